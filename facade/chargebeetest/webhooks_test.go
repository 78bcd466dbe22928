package chargebeetest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	hookUser = "cb_hooks"
	hookPass = "hook-pass-7f3a"
)

// store is what a user's service keeps: the events it processed, by id
// (the unique key), and their effects, written together.
type store struct {
	mu        sync.Mutex
	processed map[string]bool
	events    []*webhook.Event // processed, in order
	calls     map[string]int   // callback calls per event id, deliveries included
	failFirst webhook.EventType
	failed    bool
}

func newStore() *store {
	return &store{processed: map[string]bool{}, calls: map[string]int{}}
}

// handle processes an event once: an id already recorded is done; else the
// effect and the id are recorded together ("in one transaction").
func (s *store) handle(_ context.Context, e *webhook.Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[e.ID]++
	if e.Type == s.failFirst && !s.failed {
		s.failed = true
		return errors.New("database unavailable") // 500: Chargebee retries
	}
	if s.processed[e.ID] {
		return nil
	}
	s.processed[e.ID] = true
	s.events = append(s.events, e)
	return nil
}

// processedEvents returns the events processed so far, in order.
func (s *store) processedEvents() []*webhook.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*webhook.Event(nil), s.events...)
}

// callsFor is how many times the callback was called with this event id.
func (s *store) callsFor(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[id]
}

// receiver mounts webhook.NewHandler on an httptest server, counting the
// requests refused for their credentials.
func receiver(t *testing.T, st *store, opts ...webhook.Option) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	h, err := webhook.NewHandler(st.handle, opts...)
	require.NoError(t, err)
	var refused atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != hookUser || p != hookPass {
			refused.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts, &refused
}

// waitWebhooks waits for the fake's deliveries, then holds every event it
// emitted to Chargebee's: an event type Chargebee has, whose content holds
// the resources Chargebee's definitions give that type.
func waitWebhooks(t *testing.T, s *chargebeetest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, s.WaitWebhooks(ctx))
	events := chargebeeEvents(t)
	for _, e := range s.Events() {
		want, ok := events[e.Type]
		if !assert.True(t, ok, "%s: not an event type of Chargebee's", e.Type) {
			continue
		}
		var body struct {
			Content map[string]json.RawMessage `json:"content"`
		}
		require.NoError(t, json.Unmarshal(e.Body, &body))
		assert.ElementsMatch(t, want, slices.Collect(maps.Keys(body.Content)), "%s: the resources of its content", e.Type)
	}
}

// chargebeeEvents are Chargebee's webhook event types and the resources of
// each one's content, from the snapshot of its definitions.
func chargebeeEvents(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile("../../api/testdata/chargebee-definitions.json")
	require.NoError(t, err)
	var defs struct {
		Events map[string][]string `json:"events"`
	}
	require.NoError(t, json.Unmarshal(data, &defs))
	require.Contains(t, defs.Events, "payment_source_added", "run `make chargebee-defs`")
	return defs.Events
}

// TestWebhooksEndToEnd: the fake sends the events of a store-card flow, a
// new payment source and a replaced payment method to a webhook.Handler,
// with its credentials; the handler's callback gets typed content whose
// ids are the ones the API answered; a delivery the callback fails is
// retried with the same event id and processed once.
func TestWebhooksEndToEnd(t *testing.T) {
	st := newStore()
	st.failFirst = webhook.PaymentSourceAdded
	dedupe := webhook.NewMemoryDeduper(0)
	recv, refused := receiver(t, st, webhook.WithBasicAuth(hookUser, hookPass), webhook.WithDeduper(dedupe))

	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"),
		chargebeetest.WithWebhook(recv.URL+"/chargebee/webhook", hookUser, hookPass),
		chargebeetest.WithWebhookRetry(3, time.Millisecond))
	defer srv.Close()
	c, err := srv.Client(cbpay.WithBackoff(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	ctx := context.Background()

	// Store a card after 3DS (API v1), then add a token's card, then
	// replace the primary method.
	pi, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 0, CurrencyCode: "USD", CustomerID: cbpay.Ptr("cust_42")})
	require.NoError(t, err)
	require.NoError(t, srv.AuthorizePaymentIntent(pi.PaymentIntent.ID))
	_, err = c.CreateCardUsingPaymentIntent(ctx, "cust_42", &cbpay.CreateCardUsingPaymentIntentParams{PaymentIntentID: &pi.PaymentIntent.ID})
	require.NoError(t, err)
	v1Source := srv.PaymentSources("cust_42")[0].ID
	tok, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: "tok_visa"})
	require.NoError(t, err)
	//lint:ignore SA1019 the deprecated operation is still one of the five this project covers
	upd, err := c.UpdatePaymentMethod(ctx, "cust_42", &cbpay.UpdatePaymentMethodParams{
		PaymentMethod: &cbpay.PaymentMethodParams{Type: gen.PaymentMethodTypeCard, ReferenceID: cbpay.Ptr("cus_9/card_9")}})
	require.NoError(t, err)
	waitWebhooks(t, srv)

	// What the fake sent, and how each delivery went.
	sent := srv.Events()
	type sentEvent struct {
		typ      string
		attempts int
	}
	var got []sentEvent
	for _, e := range sent {
		assert.Equal(t, chargebeetest.WebhookSucceeded, e.WebhookStatus, e.Type)
		assert.Equal(t, 200, e.LastStatus)
		got = append(got, sentEvent{e.Type, e.Attempts})
	}
	assert.Equal(t, []sentEvent{
		{"payment_intent_created", 1},
		{"payment_intent_updated", 1}, // 3DS: authorized
		{"payment_intent_updated", 1}, // consumed by storing the card
		{"payment_source_added", 2},   // the callback failed the first delivery
		{"card_added", 1},
		{"payment_source_added", 1},
		{"payment_source_added", 1},
		{"card_added", 1},
	}, got)
	assert.Zero(t, refused.Load(), "every delivery carried the credentials")

	// What the service processed: each event once, in order, typed.
	ev := st.processedEvents()
	require.Len(t, ev, len(sent))
	for i, e := range ev {
		assert.Equal(t, sent[i].ID, e.ID)
		assert.Equal(t, "v2", e.APIVersion)
		assert.NotZero(t, e.OccurredAt)
	}
	intent, ok := ev[0].PaymentIntent()
	require.True(t, ok)
	assert.Equal(t, pi.PaymentIntent.ID, intent.ID)
	assert.Equal(t, "inited", string(intent.Status))
	intent, _ = ev[1].PaymentIntent()
	assert.Equal(t, "authorized", string(intent.Status))
	assert.Equal(t, "js_api", ev[1].Source)
	intent, _ = ev[2].PaymentIntent()
	assert.Equal(t, "consumed", string(intent.Status))

	ps, ok := ev[3].PaymentSource()
	require.True(t, ok)
	assert.Equal(t, v1Source, ps.ID)
	require.NotNil(t, ps.Card)
	assert.Equal(t, "4242", *ps.Card.Last4)
	card, ok := ev[4].Card()
	require.True(t, ok)
	assert.Equal(t, v1Source, card.PaymentSourceID)

	ps, _ = ev[5].PaymentSource()
	assert.Equal(t, tok.PaymentSource.ID, ps.ID, "the payment source the API created")
	cust, ok := ev[5].Customer()
	require.True(t, ok)
	assert.Equal(t, "cust_42", cust.ID)
	assert.Equal(t, v1Source, *cust.PrimaryPaymentSourceID, "the content is the state when the event happened")

	ps, _ = ev[6].PaymentSource()
	assert.Equal(t, upd.Card.PaymentSourceID, ps.ID)
	assert.Equal(t, "cus_9/card_9", ps.ReferenceID)
	cust, _ = ev[6].Customer()
	assert.Equal(t, ps.ID, *cust.PrimaryPaymentSourceID, "update_payment_method replaces the primary method")
	card, _ = ev[7].Card()
	assert.Equal(t, ps.ID, card.PaymentSourceID)

	// The retried event reached the callback twice with one id, and was
	// processed once.
	failedID := sent[3].ID
	assert.Equal(t, 2, st.callsFor(failedID))

	// A delivery Chargebee repeats (a resend from its console) is answered
	// 200 and skipped by the Deduper: the callback is not called again.
	req, err := http.NewRequest(http.MethodPost, recv.URL+"/chargebee/webhook", bytes.NewReader(sent[5].Body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(hookUser, hookPass)
	resp, err := recv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 1, st.callsFor(sent[5].ID))
	assert.Len(t, st.processedEvents(), len(sent))
}

// TestWebhooksWrongCredentialsFail: a receiver with other credentials
// answers 401 to every attempt, which the fake retries, then gives up.
func TestWebhooksWrongCredentialsFail(t *testing.T) {
	st := newStore()
	recv, _ := receiver(t, st, webhook.WithBasicAuth(hookUser, "the-real-password"))
	srv := chargebeetest.NewServer(
		chargebeetest.WithWebhook(recv.URL, hookUser, hookPass),
		chargebeetest.WithWebhookRetry(3, time.Millisecond))
	defer srv.Close()
	c, err := srv.Client()
	require.NoError(t, err)
	_, err = c.CreatePaymentIntent(context.Background(), &cbpay.CreatePaymentIntentParams{Amount: 100, CurrencyCode: "EUR"})
	require.NoError(t, err)
	waitWebhooks(t, srv)

	events := srv.Events()
	require.Len(t, events, 1)
	assert.Equal(t, chargebeetest.WebhookFailed, events[0].WebhookStatus)
	assert.Equal(t, 3, events[0].Attempts)
	assert.Equal(t, 401, events[0].LastStatus)
	assert.Empty(t, st.processedEvents())
}

// TestWebhooksSkippedAndNotSent: chargebee-event-webhook: all-disabled
// records the event as skipped; failed requests and idempotent replays
// emit nothing.
func TestWebhooksSkippedAndNotSent(t *testing.T) {
	st := newStore()
	recv, _ := receiver(t, st, webhook.WithBasicAuth(hookUser, hookPass))
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"),
		chargebeetest.WithWebhook(recv.URL, hookUser, hookPass),
		chargebeetest.WithWebhookRetry(2, time.Millisecond))
	defer srv.Close()
	c, err := srv.Client(cbpay.WithRetries(0))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 1, CurrencyCode: "USD"}, cbpay.SkipWebhooks())
	require.NoError(t, err)
	_, err = c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: chargebeetest.DeclineTokenPrefix})
	require.Error(t, err, "declined: nothing happened, no event")
	_, err = c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "nobody", TokenID: "tok_1"})
	require.Error(t, err)
	p := &cbpay.CreatePaymentIntentParams{Amount: 2, CurrencyCode: "USD"}
	_, err = c.CreatePaymentIntent(ctx, p, cbpay.WithIdempotencyKey("k1"))
	require.NoError(t, err)
	again, err := c.CreatePaymentIntent(ctx, p, cbpay.WithIdempotencyKey("k1"))
	require.NoError(t, err)
	assert.True(t, again.Response.Replayed)
	waitWebhooks(t, srv)

	events := srv.Events()
	require.Len(t, events, 2)
	assert.Equal(t, chargebeetest.WebhookSkipped, events[0].WebhookStatus)
	assert.Zero(t, events[0].Attempts)
	assert.Equal(t, chargebeetest.WebhookSucceeded, events[1].WebhookStatus)
	processed := st.processedEvents()
	require.Len(t, processed, 1)
	assert.Equal(t, events[1].ID, processed[0].ID)
}

// TestWebhooksStopOnClose: Close ends a delivery that is waiting to retry,
// and WaitWebhooks returns.
func TestWebhooksStopOnClose(t *testing.T) {
	var calls atomic.Int32
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer recv.Close()
	srv := chargebeetest.NewServer(
		chargebeetest.WithWebhook(recv.URL, "", ""),
		chargebeetest.WithWebhookRetry(5, time.Hour))
	c, err := srv.Client()
	require.NoError(t, err)
	_, err = c.CreatePaymentIntent(context.Background(), &cbpay.CreatePaymentIntentParams{Amount: 1, CurrencyCode: "USD"})
	require.NoError(t, err)

	require.Eventually(t, func() bool {
		return srv.Events()[0].WebhookStatus == chargebeetest.WebhookReScheduled
	}, 5*time.Second, time.Millisecond, "the first attempt failed, the retry waits an hour")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	waited := make(chan error, 1)
	go func() { waited <- srv.WaitWebhooks(ctx) }()
	srv.Close()
	require.NoError(t, <-waited)
	e := srv.Events()[0]
	assert.Equal(t, chargebeetest.WebhookReScheduled, e.WebhookStatus)
	assert.Equal(t, 1, e.Attempts)
	assert.Equal(t, 503, e.LastStatus)
	assert.Equal(t, int32(1), calls.Load())
}

// TestWebhooksOffByDefault: without WithWebhook nothing is recorded or sent.
func TestWebhooksOffByDefault(t *testing.T) {
	srv := chargebeetest.NewServer()
	defer srv.Close()
	c, err := srv.Client()
	require.NoError(t, err)
	_, err = c.CreatePaymentIntent(context.Background(), &cbpay.CreatePaymentIntentParams{Amount: 1, CurrencyCode: "USD"})
	require.NoError(t, err)
	assert.Empty(t, srv.Events())
	assert.NoError(t, srv.WaitWebhooks(context.Background()))
}

// TestWebhooksPaymentSourceLifecycle: the events of the API v2 store-card
// path and of a deletion reach a webhook.Handler, verified by its
// credentials and typed: the intent updated (by the caller, by 3DS, then
// consumed), the payment source created from it, and the same source
// deleted, with the customer left without a primary source.
func TestWebhooksPaymentSourceLifecycle(t *testing.T) {
	st := newStore()
	recv, refused := receiver(t, st, webhook.WithBasicAuth(hookUser, hookPass))
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"),
		chargebeetest.WithWebhook(recv.URL+"/chargebee/webhook", hookUser, hookPass),
		chargebeetest.WithWebhookRetry(3, time.Millisecond))
	defer srv.Close()
	c, err := srv.Client(cbpay.WithBackoff(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	ctx := context.Background()

	pi, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 0, CurrencyCode: "USD", CustomerID: cbpay.Ptr("cust_42")})
	require.NoError(t, err)
	_, err = c.UpdatePaymentIntent(ctx, pi.PaymentIntent.ID, &cbpay.UpdatePaymentIntentParams{Amount: cbpay.Ptr[int64](100)})
	require.NoError(t, err)
	require.NoError(t, srv.AuthorizePaymentIntent(pi.PaymentIntent.ID))
	created, err := c.CreatePaymentSourceUsingPaymentIntent(ctx, &cbpay.CreatePaymentSourceUsingPaymentIntentParams{
		CustomerID: "cust_42", PaymentIntent: &cbpay.PaymentIntentParams{ID: &pi.PaymentIntent.ID}})
	require.NoError(t, err)
	_, err = c.UpdatePaymentSourceCard(ctx, created.PaymentSource.ID, &cbpay.UpdatePaymentSourceCardParams{
		Card: &cbpay.UpdateCardParams{ExpiryMonth: cbpay.Ptr(10), ExpiryYear: cbpay.Ptr(2032)}})
	require.NoError(t, err)
	_, err = c.DeletePaymentSource(ctx, created.PaymentSource.ID, nil)
	require.NoError(t, err)
	waitWebhooks(t, srv)

	ev := st.processedEvents()
	var types []webhook.EventType
	for _, e := range ev {
		types = append(types, e.Type)
	}
	assert.Equal(t, []webhook.EventType{
		webhook.PaymentIntentCreated,
		webhook.PaymentIntentUpdated, // updatePaymentIntent
		webhook.PaymentIntentUpdated, // 3DS: authorized
		webhook.PaymentIntentUpdated, // consumed by storing the card
		webhook.PaymentSourceAdded,
		webhook.PaymentSourceUpdated,
		webhook.CardUpdated,
		webhook.PaymentSourceDeleted,
		webhook.CardDeleted,
	}, types)
	assert.Zero(t, refused.Load(), "every delivery carried the credentials")

	intent, ok := ev[1].PaymentIntent()
	require.True(t, ok)
	assert.Equal(t, int64(100), intent.Amount)
	intent, _ = ev[3].PaymentIntent()
	assert.Equal(t, "consumed", string(intent.Status))

	added, ok := ev[4].PaymentSource()
	require.True(t, ok)
	assert.Equal(t, created.PaymentSource.ID, added.ID)
	assert.False(t, added.Deleted)
	cust, _ := ev[4].Customer()
	assert.Equal(t, added.ID, *cust.PrimaryPaymentSourceID)

	updated, ok := ev[5].PaymentSource()
	require.True(t, ok)
	assert.Equal(t, created.PaymentSource.ID, updated.ID)
	require.NotNil(t, updated.Card)
	assert.Equal(t, int64(2032), *updated.Card.ExpiryYear, "the update as it was made")
	assert.Equal(t, int64(10), *updated.Card.ExpiryMonth)

	deleted, ok := ev[7].PaymentSource()
	require.True(t, ok)
	assert.Equal(t, created.PaymentSource.ID, deleted.ID)
	assert.True(t, deleted.Deleted)
	cust, ok = ev[7].Customer()
	require.True(t, ok)
	assert.Nil(t, cust.PrimaryPaymentSourceID, "the deleted source was the primary one")
	card, ok := ev[8].Card()
	require.True(t, ok)
	assert.Equal(t, created.PaymentSource.ID, card.PaymentSourceID)
}
