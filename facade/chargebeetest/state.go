package chargebeetest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
)

// store is the fake's memory: customers, their payment sources, payment
// intents and the test tokens. The Handler's mutex guards it; every method
// here expects the caller to hold it.
type store struct {
	customers  map[string]*gen.Customer
	sources    map[string]*gen.PaymentSource
	bySource   map[string][]string // customer id -> its source ids, oldest first
	seq        map[string]int64    // source id -> its place in creation order, for lists
	lastSeq    int64
	intents    map[string]*intentRec
	tokens     map[string]Card
	usedTokens map[string]bool
}

// intentRec is a payment intent and the card its 3DS flow authorized.
type intentRec struct {
	pi   gen.PaymentIntent
	card Card
}

func newStore() store {
	return store{
		customers:  map[string]*gen.Customer{},
		sources:    map[string]*gen.PaymentSource{},
		bySource:   map[string][]string{},
		seq:        map[string]int64{},
		intents:    map[string]*intentRec{},
		tokens:     map[string]Card{},
		usedTokens: map[string]bool{},
	}
}

// Card describes a card as Chargebee would know it: the card behind a
// Chargebee.js token (AddToken) or the card a customer entered during 3DS
// (AuthorizePaymentIntentWithCard). The fake reports exactly these
// fields: a zero field is left out of its answers, never filled in or
// guessed (no brand from the IIN). masked_number is derived from Last4,
// as twelve asterisks and the last four digits, when Last4 is set. Its
// JSON names are Chargebee's, for `cbpay serve`'s test hooks.
type Card struct {
	Brand          gen.CardBrand       `json:"brand,omitempty"`
	FundingType    gen.CardFundingType `json:"funding_type,omitempty"`
	IIN            string              `json:"iin,omitempty"` // first six digits
	Last4          string              `json:"last4,omitempty"`
	ExpiryMonth    int                 `json:"expiry_month,omitempty"`
	ExpiryYear     int                 `json:"expiry_year,omitempty"`
	IssuingCountry string              `json:"issuing_country,omitempty"`
	FirstName      string              `json:"first_name,omitempty"`
	LastName       string              `json:"last_name,omitempty"`
}

// TestCard is the card of a token the fake was not told about (AddToken)
// and of a payment intent authorized without a card
// (AuthorizePaymentIntent): a US Visa credit card 4242 4242 4242 4242
// expiring 12/2035, the kind of test card a Chargebee.js form on a test
// site would tokenize. The fake never uses it where a request describes
// the card itself (card[...] of create_using_permanent_token).
func TestCard() Card {
	return Card{
		Brand:          "visa",
		FundingType:    "credit",
		IIN:            "424242",
		Last4:          "4242",
		ExpiryMonth:    12,
		ExpiryYear:     2035,
		IssuingCountry: "US",
	}
}

// sourceCard is the card of a payment source: the fields of c that are
// set, and nothing else. It never holds a full number.
func (c Card) sourceCard() *gen.PaymentSourceCard {
	sc := &gen.PaymentSourceCard{
		Object:      ptr.To("card"),
		IIN:         nonEmpty(c.IIN),
		Last4:       nonEmpty(c.Last4),
		ExpiryMonth: nonZero(c.ExpiryMonth),
		ExpiryYear:  nonZero(c.ExpiryYear),
		FirstName:   nonEmpty(c.FirstName),
		LastName:    nonEmpty(c.LastName),
	}
	if c.Brand != "" {
		sc.Brand = ptr.To(gen.StoredCardBrand(c.Brand))
	}
	if c.FundingType != "" {
		sc.FundingType = ptr.To(gen.StoredCardFundingType(c.FundingType))
	}
	if c.Last4 != "" {
		sc.MaskedNumber = ptr.To(strings.Repeat("*", 12) + c.Last4)
	}
	return sc
}

// version returns a resource_version: milliseconds, strictly increasing.
func (h *Handler) version(now time.Time) int64 {
	v := now.UnixMilli()
	if v <= h.lastVersion {
		v = h.lastVersion + 1
	}
	h.lastVersion = v
	return v
}

// newID returns prefix plus 16 letters and digits, as Chargebee's ids look.
func (h *Handler) newID(prefix string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, len(prefix)+16)
	copy(b, prefix)
	for i := len(prefix); i < len(b); i++ {
		b[i] = alphabet[h.ids.IntN(len(alphabet))]
	}
	return string(b)
}

// addCustomerLocked creates (or returns) the customer with this id.
func (h *Handler) addCustomerLocked(id string, now time.Time) *gen.Customer {
	if c := h.st.customers[id]; c != nil {
		return c
	}
	c := &gen.Customer{
		ID:               id,
		Object:           ptr.To("customer"),
		AutoCollection:   "on",
		NetTermDays:      0,
		AllowDirectDebit: false,
		CreatedAt:        now.Unix(),
		UpdatedAt:        ptr.To(now.Unix()),
		Deleted:          false,
		ResourceVersion:  ptr.To(h.version(now)),
	}
	h.st.customers[id] = c
	return c
}

// checkCustomer refuses a customer id the fake does not hold with
// Chargebee's 404 naming param (empty for the path's customer_id), unless
// WithAutoCreateCustomers(true) asked for such customers to be created.
// An operation checks first and calls customer once nothing else can
// fail, so that a refused request changes nothing.
func (h *Handler) checkCustomer(id, param string) *apiError {
	if h.st.customers[id] == nil && !h.autoCreate {
		return notFound(param)
	}
	return nil
}

// customer returns the customer with this id, creating it if need be (only
// reached for a missing one under WithAutoCreateCustomers(true)).
func (h *Handler) customer(id string, now time.Time) *gen.Customer {
	return h.addCustomerLocked(id, now)
}

// touch records a change of the customer.
func (h *Handler) touch(c *gen.Customer, now time.Time) {
	c.UpdatedAt = ptr.To(now.Unix())
	c.ResourceVersion = ptr.To(h.version(now))
}

// attachSource stores a new payment source of c. It becomes the primary one
// when asked, or when c has none yet; the customer's payment_method follows
// the primary source.
func (h *Handler) attachSource(c *gen.Customer, src *gen.PaymentSource, primary bool, now time.Time) {
	h.st.sources[src.ID] = src
	h.st.bySource[c.ID] = append(h.st.bySource[c.ID], src.ID)
	h.st.lastSeq++
	h.st.seq[src.ID] = h.st.lastSeq
	if primary || c.PrimaryPaymentSourceID == nil {
		c.PrimaryPaymentSourceID = ptr.To(src.ID)
		c.PaymentMethod = &gen.CustomerPaymentMethod{
			Object:           ptr.To("payment_method"),
			Type:             src.Type,
			Gateway:          src.Gateway,
			GatewayAccountID: src.GatewayAccountID,
			Status:           src.Status,
			ReferenceID:      src.ReferenceID,
		}
	}
	h.touch(c, now)
}

// newSource builds a valid payment source of c, not yet stored.
func (h *Handler) newSource(c *gen.Customer, typ gen.PaymentMethodType, gatewayAccount, referenceID string, now time.Time) *gen.PaymentSource {
	if gatewayAccount == "" {
		gatewayAccount = h.gatewayAccountID
	}
	if referenceID == "" {
		referenceID = h.newID("ref_")
	}
	return &gen.PaymentSource{
		ID:               h.newID("pm_"),
		Object:           ptr.To("payment_source"),
		CustomerID:       c.ID,
		Type:             typ,
		ReferenceID:      referenceID,
		Status:           "valid",
		Gateway:          fakeGateway,
		GatewayAccountID: ptr.To(gatewayAccount),
		CreatedAt:        now.Unix(),
		UpdatedAt:        ptr.To(now.Unix()),
		ResourceVersion:  ptr.To(h.version(now)),
		Deleted:          false,
		BusinessEntityID: c.BusinessEntityID,
	}
}

// cardView is a card payment source as the card resource shows it.
func cardView(src *gen.PaymentSource) *gen.Card {
	card := &gen.Card{
		Object:           ptr.To("card"),
		PaymentSourceID:  src.ID,
		CustomerID:       src.CustomerID,
		Status:           "valid",
		Gateway:          src.Gateway,
		GatewayAccountID: src.GatewayAccountID,
		IssuingCountry:   src.IssuingCountry,
		CreatedAt:        src.CreatedAt,
		UpdatedAt:        src.UpdatedAt,
		ResourceVersion:  src.ResourceVersion,
	}
	if sc := src.Card; sc != nil {
		card.FirstName, card.LastName = sc.FirstName, sc.LastName
		card.IIN, card.Last4, card.MaskedNumber = sc.IIN, sc.Last4, sc.MaskedNumber
		card.CardType, card.FundingType = sc.Brand, sc.FundingType
		card.ExpiryMonth, card.ExpiryYear = sc.ExpiryMonth, sc.ExpiryYear
		card.BillingAddr1, card.BillingAddr2 = sc.BillingAddr1, sc.BillingAddr2
		card.BillingCity, card.BillingZip = sc.BillingCity, sc.BillingZip
		card.BillingState, card.BillingStateCode = sc.BillingState, sc.BillingStateCode
		card.BillingCountry = sc.BillingCountry
	}
	return card
}

// refreshIntent moves an intent past its expires_at to expired.
func (h *Handler) refreshIntent(rec *intentRec, now time.Time) {
	switch rec.pi.Status {
	case "inited", "in_progress", "authorized":
		if now.Unix() >= rec.pi.ExpiresAt {
			rec.pi.Status = "expired"
			rec.pi.ModifiedAt = now.Unix()
			rec.pi.UpdatedAt = ptr.To(now.Unix())
			rec.pi.ResourceVersion = ptr.To(h.version(now))
		}
	}
}

// nonEmpty is ptr.To for strings, but nil for "".
func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nonZero is ptr.To, but nil for 0: for fields where 0 means not known (an
// expiry month or year).
func nonZero(n int) *int64 {
	if n == 0 {
		return nil
	}
	v := int64(n)
	return &v
}

// deepCopy copies a gen value through JSON, so that callers of the
// inspection methods cannot reach the fake's own pointers.
func deepCopy[T any](v *T) T {
	var out T
	b, err := json.Marshal(v)
	if err == nil {
		_ = json.Unmarshal(b, &out)
	}
	return out
}

// v1Customer is c as API v1 shows a customer: no deleted flag, credits as
// account_credits.
func v1Customer(c *gen.Customer) gen.V1Customer {
	out := gen.V1Customer{
		ID:                c.ID,
		Object:            c.Object,
		FirstName:         c.FirstName,
		LastName:          c.LastName,
		Email:             c.Email,
		Company:           c.Company,
		Phone:             c.Phone,
		AutoCollection:    c.AutoCollection,
		AllowDirectDebit:  c.AllowDirectDebit,
		CreatedAt:         c.CreatedAt,
		AccountCredits:    c.PromotionalCredits,
		RefundableCredits: c.RefundableCredits,
		ExcessPayments:    c.ExcessPayments,
	}
	if pm := c.PaymentMethod; pm != nil {
		out.PaymentMethod = &gen.V1CustomerPaymentMethod{
			Object:      pm.Object,
			Type:        pm.Type,
			Gateway:     pm.Gateway,
			Status:      pm.Status,
			ReferenceID: pm.ReferenceID,
		}
	}
	return out
}

// v1Card is a card payment source as API v1's card resource shows it.
func v1Card(src *gen.PaymentSource) *gen.V1Card {
	v2 := cardView(src)
	return &gen.V1Card{
		Object:           v2.Object,
		CustomerID:       v2.CustomerID,
		Status:           v2.Status,
		Gateway:          v2.Gateway,
		ReferenceID:      ptr.To(src.ReferenceID),
		FirstName:        v2.FirstName,
		LastName:         v2.LastName,
		IIN:              v2.IIN,
		Last4:            v2.Last4,
		CardType:         v2.CardType,
		ExpiryMonth:      v2.ExpiryMonth,
		ExpiryYear:       v2.ExpiryYear,
		MaskedNumber:     v2.MaskedNumber,
		BillingAddr1:     v2.BillingAddr1,
		BillingAddr2:     v2.BillingAddr2,
		BillingCity:      v2.BillingCity,
		BillingStateCode: v2.BillingStateCode,
		BillingState:     v2.BillingState,
		BillingCountry:   v2.BillingCountry,
		BillingZip:       v2.BillingZip,
	}
}
