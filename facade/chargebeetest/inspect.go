package chargebeetest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
)

// Request is one request the fake received, for tests to inspect. Header
// holds what was sent, Authorization included: do not print it.
type Request struct {
	Method   string
	Path     string // unescaped, as http.Request.URL.Path
	RawPath  string // escaped, as sent
	RawQuery string
	Header   http.Header
	// Form is the decoded body: nested maps with string leaves
	// (card[iin]=411111 is Form["card"].(map[string]any)["iin"]). Nil when
	// the body was not a valid form, or was longer than
	// MaxRecordedBodyBytes.
	Form map[string]any
	// Body is the raw body, or its first MaxRecordedBodyBytes bytes when it
	// is longer: then len(Body) < BodySize.
	Body string
	// BodySize is the length of the whole body in bytes, as read (at most
	// the 1 MiB the fake reads).
	BodySize int
	Time     time.Time

	// Status is the status answered, 0 when the client went away during
	// a delay.
	Status int
	// Replayed is true for a stored idempotent answer sent again.
	Replayed bool
	// Dropped is true when the connection was closed instead of answering.
	Dropped bool
}

// record adds to the request log, keeping at most maxRequests entries: the
// log grows to maxRequests, then is a ring in which the newest overwrites
// the oldest, at h.reqNext.
func (h *Handler) record(r Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.maxRequests <= 0 {
		return
	}
	if n := len(h.requests); n < h.maxRequests {
		if n == cap(h.requests) {
			// Grow as append would, but never past maxRequests.
			grown := make([]Request, n, min(max(2*n, 16), h.maxRequests))
			copy(grown, h.requests)
			h.requests = grown
		}
		h.requests = append(h.requests, r)
		return
	}
	h.requests[h.reqNext] = r
	h.reqNext = (h.reqNext + 1) % h.maxRequests
}

// Requests returns the requests received so far, oldest first: the newest
// WithMaxRecordedRequests of them (DefaultMaxRecordedRequests unless said
// otherwise), none when that bound is zero.
func (h *Handler) Requests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]Request, 0, len(h.requests))
	out = append(out, h.requests[h.reqNext:]...)
	return append(out, h.requests[:h.reqNext]...)
}

// Counts is how many objects the fake holds.
type Counts struct {
	Customers      int
	PaymentSources int
	PaymentIntents int
}

// Counts returns how many customers, payment sources and payment intents
// the fake holds.
func (h *Handler) Counts() Counts {
	h.mu.Lock()
	defer h.mu.Unlock()
	return Counts{
		Customers:      len(h.st.customers),
		PaymentSources: len(h.st.sources),
		PaymentIntents: len(h.st.intents),
	}
}

// Customer returns a copy of the customer with this id.
func (h *Handler) Customer(id string) (gen.Customer, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := h.st.customers[id]
	if c == nil {
		return gen.Customer{}, false
	}
	return deepCopy(c), true
}

// PaymentSources returns copies of the customer's payment sources, oldest
// first.
func (h *Handler) PaymentSources(customerID string) []gen.PaymentSource {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids := h.st.bySource[customerID]
	out := make([]gen.PaymentSource, 0, len(ids))
	for _, id := range ids {
		out = append(out, deepCopy(h.st.sources[id]))
	}
	return out
}

// PaymentIntent returns a copy of the payment intent with this id; an
// intent past its expires_at shows as expired.
func (h *Handler) PaymentIntent(id string) (gen.PaymentIntent, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec := h.st.intents[id]
	if rec == nil {
		return gen.PaymentIntent{}, false
	}
	h.refreshIntent(rec, h.now())
	return deepCopy(&rec.pi), true
}

// AddCustomer creates a customer with this id, as if it had been created in
// Chargebee beforehand, and returns a copy (ignore it if you like:
// s.AddCustomer("cust_42")). A customer that exists is left as it is. The
// payment source and customer operations answer 404 resource_not_found
// for a customer the fake does not hold.
func (h *Handler) AddCustomer(id string) gen.Customer {
	h.mu.Lock()
	defer h.mu.Unlock()
	return deepCopy(h.addCustomerLocked(id, h.now()))
}

// AddToken says which card the Chargebee.js token id carries:
// create_using_token stores exactly card's fields (zero ones are left out).
// A token the fake was not told about carries TestCard, and ids starting
// with DeclineTokenPrefix are declined. Tokens are single use; AddToken
// makes id usable again.
func (h *Handler) AddToken(id string, card Card) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.st.tokens[id] = card
	delete(h.st.usedTokens, id)
}

// AuthorizePaymentIntent stands in for the 3DS step that Chargebee.js runs
// in the customer's browser: the intent moves from inited to authorized,
// with TestCard as the card the customer entered (use
// AuthorizePaymentIntentWithCard to say which). credit_card_using_payment_intent
// then stores that card. It fails with ErrNotFound for an unknown id and
// ErrInvalidState for an intent that is not inited (already authorized,
// consumed or expired).
func (h *Handler) AuthorizePaymentIntent(id string) error {
	return h.AuthorizePaymentIntentWithCard(id, TestCard())
}

// AuthorizePaymentIntentWithCard is AuthorizePaymentIntent with the card the
// customer entered during 3DS: credit_card_using_payment_intent stores
// exactly card's fields (zero ones are left out).
func (h *Handler) AuthorizePaymentIntentWithCard(id string, card Card) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec := h.st.intents[id]
	if rec == nil {
		return fmt.Errorf("payment intent %s: %w", id, ErrNotFound)
	}
	now := h.now()
	h.refreshIntent(rec, now)
	if s := rec.pi.Status; s != "inited" && s != "in_progress" {
		return fmt.Errorf("payment intent %s is %s: %w", id, s, ErrInvalidState)
	}
	rec.card = card
	pmType := rec.pi.PaymentMethodType
	rec.pi.Status = "authorized"
	rec.pi.ModifiedAt = now.Unix()
	rec.pi.UpdatedAt = ptr.To(now.Unix())
	rec.pi.ResourceVersion = ptr.To(h.version(now))
	rec.pi.ActivePaymentAttempt = &gen.PaymentAttempt{
		ID:                ptr.To(h.newID("pa_")),
		Status:            "authorized",
		PaymentMethodType: pmType,
		IDAtGateway:       ptr.To(h.newID("gw_txn_")),
		CreatedAt:         now.Unix(),
		ModifiedAt:        now.Unix(),
	}
	h.emitIntent(EventPaymentIntentUpdated, "js_api", &rec.pi, now)
	h.commitEvents(true, nil)
	return nil
}
