package chargebeetest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/cbpay/cbpay/gen"
)

// Webhook delivery defaults. Chargebee tries a delivery once and retries it
// up to seven times over about three days; the fake makes as many attempts
// with waits short enough for a test (20ms, 40ms, ... 1.28s: under 2.6s in
// all).
const (
	DefaultWebhookAttempts  = 8
	DefaultWebhookRetryWait = 20 * time.Millisecond
	// WebhookAttemptTimeout bounds one delivery attempt, as Chargebee's
	// own timeouts do; a longer one counts as failed and is retried.
	WebhookAttemptTimeout = 10 * time.Second
	// MaxRecordedEvents bounds the event log (Handler.Events): past it, the
	// oldest settled events are forgotten. Events not yet delivered are
	// always kept.
	MaxRecordedEvents = 10000
)

// The event types the fake sends (see WithWebhook).
const (
	EventPaymentSourceAdded   = "payment_source_added"
	EventPaymentSourceUpdated = "payment_source_updated"
	EventPaymentSourceDeleted = "payment_source_deleted"
	EventPaymentIntentCreated = "payment_intent_created"
	EventPaymentIntentUpdated = "payment_intent_updated"
	EventCardAdded            = "card_added"
	EventCardUpdated          = "card_updated"
	EventCardDeleted          = "card_deleted"
)

// fakeWebhookID is the id of the one webhook endpoint the fake has, as an
// event's webhooks list names it.
const fakeWebhookID = "whv2_cbpay_fake"

// headerEventWebhook is the request header that asks Chargebee not to send
// the webhooks of what the request does.
const headerEventWebhook = "chargebee-event-webhook"

// WebhookStatus is where an event's delivery stands, in the words of the
// webhook_status attribute of Chargebee's event resource.
type WebhookStatus string

const (
	// WebhookScheduled: not attempted yet.
	WebhookScheduled WebhookStatus = "scheduled"
	// WebhookReScheduled: an attempt failed; another one is due.
	WebhookReScheduled WebhookStatus = "re_scheduled"
	// WebhookSucceeded: an attempt was answered with a 2xx status.
	WebhookSucceeded WebhookStatus = "succeeded"
	// WebhookFailed: every attempt failed; no more are made.
	WebhookFailed WebhookStatus = "failed"
	// WebhookSkipped: the request that caused the event carried
	// chargebee-event-webhook: all-disabled, so it is not sent.
	WebhookSkipped WebhookStatus = "skipped"
)

// Event is an event the fake emitted and its delivery, for tests to
// inspect (Handler.Events).
type Event struct {
	ID         string // ev_...; every attempt sends the same id
	Type       string // event_type: EventPaymentSourceAdded, ...
	OccurredAt int64  // Unix seconds, by the fake's clock
	// Body is the JSON POSTed, the same bytes on every attempt. It holds
	// customer and card data (last4, expiry), as Chargebee's do.
	Body          []byte
	WebhookStatus WebhookStatus
	// Attempts is how many times the fake POSTed the event.
	Attempts int
	// LastStatus is the HTTP status that answered the last attempt, 0
	// when it got no answer (LastError then says why).
	LastStatus int
	LastError  string
}

// webhookConfig is what WithWebhook and WithWebhookRetry set.
type webhookConfig struct {
	url, user, pass string
	attempts        int
	wait            time.Duration
}

// WithWebhook makes the fake send, as Chargebee does, the events of what it
// does to url: a JSON POST for each event, with HTTP Basic auth when
// username or password is set, retried on any answer but a 2xx (see
// WithWebhookRetry), one event at a time, in the order they happened.
// Events have fresh ids (ev_...), occurred_at by the fake's clock,
// api_version v2 and content shaped as in Chargebee:
//
//	create_payment_intent         payment_intent_created {payment_intent}
//	AuthorizePaymentIntent        payment_intent_updated {payment_intent} (source js_api: the 3DS step)
//	create_using_token,           payment_source_added {customer, payment_source}
//	create_using_permanent_token
//	update_payment_method         payment_source_added, and for a card card_added {customer, card}
//	credit_card_using_payment_intent  payment_intent_updated (consumed), payment_source_added, card_added
//
// A request with chargebee-event-webhook: all-disabled has its events
// recorded as skipped and not sent; a failed request, or an idempotent
// replay, has none. Events lists them; WaitWebhooks waits for their
// delivery. Close (or Server.Close) stops delivering.
func WithWebhook(url, username, password string) Option {
	return func(c *config) {
		c.webhook.url, c.webhook.user, c.webhook.pass = url, username, password
	}
}

// WithWebhookRetry sets how many attempts the fake makes to deliver an
// event (DefaultWebhookAttempts otherwise; at least 1) and the wait after
// the first failed one (DefaultWebhookRetryWait otherwise), which doubles
// after each further failure.
func WithWebhookRetry(attempts int, wait time.Duration) Option {
	return func(c *config) {
		c.webhook.attempts, c.webhook.wait = attempts, wait
	}
}

// eventRec is an event and its delivery; webhookSender.mu guards the
// delivery fields.
type eventRec struct {
	Event
}

// webhookSender delivers events in order from one goroutine at a time,
// started when there is something to send and ending when there is not.
type webhookSender struct {
	cfg    webhookConfig
	client *http.Client
	ctx    context.Context // canceled by stop
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	events  []*eventRec   // oldest first; those before next are settled
	next    int           // the event being delivered, or due next
	running bool          // a delivery goroutine is on
	stopped bool          // stop was called: nothing more is sent
	changed chan struct{} // closed, and replaced, on every change
}

func newWebhookSender(cfg webhookConfig) *webhookSender {
	if cfg.url == "" {
		return nil
	}
	if cfg.attempts <= 0 {
		cfg.attempts = DefaultWebhookAttempts
	}
	if cfg.wait <= 0 {
		cfg.wait = DefaultWebhookRetryWait
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &webhookSender{
		cfg: cfg,
		client: &http.Client{
			Transport: http.DefaultTransport.(*http.Transport).Clone(),
			// Chargebee counts a redirect as a failed delivery.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		ctx:     ctx,
		cancel:  cancel,
		changed: make(chan struct{}),
	}
}

// eventBody is an event as Chargebee's webhooks send it.
type eventBody struct {
	ID            string         `json:"id"`
	OccurredAt    int64          `json:"occurred_at"`
	Source        string         `json:"source"`
	Object        string         `json:"object"`
	APIVersion    string         `json:"api_version"`
	Content       any            `json:"content"`
	EventType     string         `json:"event_type"`
	WebhookStatus string         `json:"webhook_status"`
	Webhooks      []eventWebhook `json:"webhooks"`
}

type eventWebhook struct {
	ID            string `json:"id"`
	WebhookStatus string `json:"webhook_status"`
	Object        string `json:"object"`
}

// emit records an event of the operation under way, its content encoded
// now, as the state is at this point; commitEvents then queues or drops the
// operation's events. h.mu is held. Without WithWebhook it does nothing.
func (h *Handler) emit(typ, source string, content any, now time.Time) {
	if h.hooks == nil {
		return
	}
	b := eventBody{
		ID:            h.newID("ev_"),
		OccurredAt:    now.Unix(),
		Source:        source,
		Object:        "event",
		APIVersion:    "v2",
		Content:       content,
		EventType:     typ,
		WebhookStatus: string(WebhookScheduled),
		Webhooks:      []eventWebhook{{ID: fakeWebhookID, WebhookStatus: string(WebhookScheduled), Object: "webhook"}},
	}
	body, err := json.Marshal(b)
	if err != nil {
		return // gen models always marshal
	}
	h.opEvents = append(h.opEvents, &eventRec{Event{ID: b.ID, Type: typ, OccurredAt: b.OccurredAt, Body: body, WebhookStatus: WebhookScheduled}})
}

// emitSource records a payment_source_* event (typ) of src, a source of c,
// and, when cardTyp is set and src is a card, the card_* event of the
// card resource: the fake sends card events only for the operations that
// answer with that resource.
func (h *Handler) emitSource(typ, cardTyp string, c *gen.Customer, src *gen.PaymentSource, now time.Time) {
	if h.hooks == nil {
		return
	}
	h.emit(typ, "api", gen.PaymentSourceResponse{Customer: *c, PaymentSource: *src}, now)
	if cardTyp != "" && src.Type == "card" {
		h.emit(cardTyp, "api", gen.CustomerCardResponse{Customer: *c, Card: cardView(src)}, now)
	}
}

// emitIntent records a payment_intent_* event.
func (h *Handler) emitIntent(typ, source string, pi *gen.PaymentIntent, now time.Time) {
	if h.hooks == nil {
		return
	}
	h.emit(typ, source, gen.PaymentIntentResponse{PaymentIntent: *pi}, now)
}

// commitEvents queues the events the operation emitted when it succeeded
// (as skipped when the request disabled webhooks) and drops them when it
// failed. h.mu is held.
func (h *Handler) commitEvents(succeeded bool, hdr http.Header) {
	evs := h.opEvents
	h.opEvents = nil
	if h.hooks == nil || !succeeded || len(evs) == 0 {
		return
	}
	skip := hdr != nil && hdr.Get(headerEventWebhook) == "all-disabled"
	h.hooks.enqueue(evs, skip)
}

func (s *webhookSender) enqueue(evs []*eventRec, skip bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range evs {
		if skip {
			e.WebhookStatus = WebhookSkipped
		}
		s.events = append(s.events, e)
	}
	s.trimLocked()
	s.broadcastLocked()
	if !s.running && !s.stopped && s.next < len(s.events) {
		s.running = true
		s.wg.Add(1)
		go s.run()
	}
}

// run delivers the events from next on, one at a time, until none is left
// or the sender is stopped.
func (s *webhookSender) run() {
	defer s.wg.Done()
	for {
		s.mu.Lock()
		if s.stopped || s.next >= len(s.events) {
			s.running = false
			s.mu.Unlock()
			return
		}
		e := s.events[s.next]
		s.mu.Unlock()

		if !s.deliver(e) {
			s.mu.Lock()
			s.running = false
			s.broadcastLocked()
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		s.next++
		s.trimLocked()
		s.broadcastLocked()
		s.mu.Unlock()
	}
}

// deliver makes the attempts for one event, waiting between them; false
// means the sender was stopped first.
func (s *webhookSender) deliver(e *eventRec) bool {
	s.mu.Lock()
	skipped := e.WebhookStatus == WebhookSkipped
	s.mu.Unlock()
	if skipped {
		return true
	}
	wait := s.cfg.wait
	for attempt := 1; ; attempt++ {
		status, errText := s.post(e.Body)
		if s.ctx.Err() != nil {
			return false
		}
		ok := errText == "" && status >= 200 && status < 300
		last := attempt >= s.cfg.attempts
		s.mu.Lock()
		e.Attempts, e.LastStatus, e.LastError = attempt, status, errText
		switch {
		case ok:
			e.WebhookStatus = WebhookSucceeded
		case last:
			e.WebhookStatus = WebhookFailed
		default:
			e.WebhookStatus = WebhookReScheduled
		}
		s.broadcastLocked()
		s.mu.Unlock()
		if ok || last {
			return true
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
			return false
		}
		wait = min(2*wait, time.Hour)
	}
}

// post sends one attempt and returns the answer's status, or why there
// was none.
func (s *webhookSender) post(body []byte) (int, string) {
	ctx, cancel := context.WithTimeout(s.ctx, WebhookAttemptTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.url, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "cbpay-chargebeetest")
	if s.cfg.user != "" || s.cfg.pass != "" {
		req.SetBasicAuth(s.cfg.user, s.cfg.pass)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	return resp.StatusCode, ""
}

// trimLocked forgets the oldest settled events past MaxRecordedEvents.
func (s *webhookSender) trimLocked() {
	n := min(len(s.events)-MaxRecordedEvents, s.next)
	if n <= 0 {
		return
	}
	clear(s.events[:n])
	s.events = s.events[n:]
	s.next -= n
}

func (s *webhookSender) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// stop ends deliveries, waiting for the attempt in flight to give up.
func (s *webhookSender) stop() {
	s.mu.Lock()
	s.stopped = true
	s.broadcastLocked()
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	s.client.CloseIdleConnections()
}

// Events returns the events the fake emitted, oldest first, with their
// delivery status so far (the newest MaxRecordedEvents settled ones, and
// every one not yet settled). It is empty without WithWebhook.
func (h *Handler) Events() []Event {
	s := h.hooks
	if s == nil {
		return []Event{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Event, len(s.events))
	for i, e := range s.events {
		out[i] = e.Event
		out[i].Body = bytes.Clone(e.Body)
	}
	return out
}

// WaitWebhooks waits until every event emitted so far has been delivered
// or given up (or skipped), the fake is closed, or ctx ends (its error is
// returned then). Without WithWebhook it returns at once.
func (h *Handler) WaitWebhooks(ctx context.Context) error {
	s := h.hooks
	if s == nil {
		return nil
	}
	for {
		s.mu.Lock()
		if s.stopped || s.next >= len(s.events) {
			s.mu.Unlock()
			return nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Close ends pending delays (their requests get no answer) and stops
// sending webhooks, waiting for the attempt in flight; events not delivered
// by then stay scheduled or re_scheduled. Server.Close calls it; call it
// when done with a Handler you mounted yourself, once its server has
// stopped.
func (h *Handler) Close() {
	h.shutdown()
	if h.hooks != nil {
		h.hooks.stop()
	}
}
