package chargebeetest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/stretchr/testify/require"
)

const keyHeader = "chargebee-idempotency-key"

func TestIdempotentReplay(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()

	first := post(t, s, pathIntents, "amount=100&currency_code=USD", keyHeader, "key-1")
	require.Equal(t, http.StatusOK, first.status)
	require.Empty(t, first.header.Get("chargebee-idempotency-replayed"), "the first answer is not a replay")

	// Same key, same parameters in another order: the stored answer again.
	again := post(t, s, pathIntents, "currency_code=USD&amount=100", keyHeader, "key-1")
	require.Equal(t, first.status, again.status)
	require.Equal(t, string(first.body), string(again.body))
	require.Equal(t, "true", again.header.Get("chargebee-idempotency-replayed"))
	require.Equal(t, 1, s.Counts().PaymentIntents, "applied once")

	// A new key is a new call.
	other := post(t, s, pathIntents, "amount=100&currency_code=USD", keyHeader, "key-2")
	require.Equal(t, http.StatusOK, other.status)
	require.NotEqual(t, string(first.body), string(other.body))
	require.Equal(t, 2, s.Counts().PaymentIntents)

	// Without a key nothing is replayed.
	post(t, s, pathIntents, "amount=100&currency_code=USD")
	post(t, s, pathIntents, "amount=100&currency_code=USD")
	require.Equal(t, 4, s.Counts().PaymentIntents)

	reqs := s.Requests()
	require.True(t, reqs[1].Replayed)
	require.False(t, reqs[0].Replayed)
}

func TestIdempotencyKeyReuseWithOtherParameters(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	require.Equal(t, http.StatusOK, post(t, s, pathIntents, "amount=100&currency_code=USD", keyHeader, "k").status)

	requireError(t, post(t, s, pathIntents, "amount=101&currency_code=USD", keyHeader, "k"),
		http.StatusUnprocessableEntity, "unable_to_process_request", "chargebee-idempotency-key")
	requireError(t, post(t, s, pathToken, "customer_id=c&token_id=tok_1", keyHeader, "k"),
		http.StatusUnprocessableEntity, "unable_to_process_request", "chargebee-idempotency-key")
	require.Equal(t, 1, s.Counts().PaymentIntents)
	require.Zero(t, s.Counts().PaymentSources, "the refused call was not applied")

	// The original call still replays.
	r := post(t, s, pathIntents, "amount=100&currency_code=USD", keyHeader, "k")
	require.Equal(t, "true", r.header.Get("chargebee-idempotency-replayed"))
}

func TestIdempotencyReplaysEveryOperation(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	pi := createIntent(t, s, "amount=1&currency_code=USD")
	require.NoError(t, s.AuthorizePaymentIntent(pi.ID))
	calls := []struct{ path, body string }{
		{pathToken, "customer_id=c&token_id=tok_1"},
		{pathPermToken, "customer_id=c&type=card&reference_id=cus_1/card_1"},
		{pathUpdatePM("c"), "payment_method[type]=card"},
		{pathCardUsingPI("c"), "payment_intent_id=" + pi.ID},
	}
	for i, c := range calls {
		key := "op-" + string(rune('a'+i))
		first := post(t, s, c.path, c.body, keyHeader, key)
		require.Equal(t, http.StatusOK, first.status, "%s: %s", c.path, first.body)
		again := post(t, s, c.path, c.body, keyHeader, key)
		require.Equal(t, http.StatusOK, again.status, "%s: a replay, not a second (refused) use of the token or intent: %s", c.path, again.body)
		require.Equal(t, string(first.body), string(again.body))
		require.Equal(t, "true", again.header.Get("chargebee-idempotency-replayed"))
	}
	require.Len(t, s.PaymentSources("c"), len(calls))
}

// Failed answers are not stored: once the cause is fixed, the same call
// with the same key goes through.
func TestIdempotencyDoesNotStoreFailures(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	pi := createIntent(t, s, "amount=1&currency_code=USD")
	body := "payment_intent_id=" + pi.ID
	requireError(t, post(t, s, pathCardUsingPI("c"), body, keyHeader, "k"),
		http.StatusConflict, "invalid_state_for_request", "payment_intent_id")
	require.NoError(t, s.AuthorizePaymentIntent(pi.ID))
	r := post(t, s, pathCardUsingPI("c"), body, keyHeader, "k")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Empty(t, r.header.Get("chargebee-idempotency-replayed"))
}

func TestConcurrentRequestsWithOneKeyApplyOnce(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	const n = 24
	replies := make([]reply, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		req := newRequest(t, s, pathToken, "customer_id=c&token_id=tok_race", keyHeader, "race")
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			replies[i], errs[i] = trySend(req)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}

	replayed := 0
	for _, r := range replies {
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		require.Equal(t, string(replies[0].body), string(r.body))
		if r.header.Get("chargebee-idempotency-replayed") == "true" {
			replayed++
		}
	}
	require.Equal(t, n-1, replayed, "exactly one request applied the operation")
	require.Len(t, s.PaymentSources("c"), 1)
}

// A stored answer lives IdempotencyKeyLifetime by the fake's clock; after
// it the key is new again: the call is applied, and other parameters are
// no longer refused.
func TestIdempotencyKeysExpire(t *testing.T) {
	clock := newTestClock()
	s := chargebeetest.NewServer(chargebeetest.WithClock(clock.Now))
	defer s.Close()

	first := post(t, s, pathIntents, okIntentBody, keyHeader, "day")
	require.Equal(t, http.StatusOK, first.status)

	clock.Advance(chargebeetest.IdempotencyKeyLifetime - time.Second)
	r := post(t, s, pathIntents, okIntentBody, keyHeader, "day")
	require.Equal(t, "true", r.header.Get("chargebee-idempotency-replayed"), "still within 24 hours")
	require.Equal(t, string(first.body), string(r.body))
	requireError(t, post(t, s, pathIntents, "amount=1&currency_code=USD", keyHeader, "day"),
		http.StatusUnprocessableEntity, "unable_to_process_request", "chargebee-idempotency-key")

	clock.Advance(time.Second)
	r = post(t, s, pathIntents, "amount=1&currency_code=USD", keyHeader, "day")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Empty(t, r.header.Get("chargebee-idempotency-replayed"), "24 hours on, the key is forgotten")
	require.Equal(t, 2, s.Counts().PaymentIntents)

	// The new answer is stored from now on.
	clock.Advance(time.Hour)
	r = post(t, s, pathIntents, "amount=1&currency_code=USD", keyHeader, "day")
	require.Equal(t, "true", r.header.Get("chargebee-idempotency-replayed"))
	require.Equal(t, 2, s.Counts().PaymentIntents)
}

// WithIdempotencyLimit keeps the newest n answers; the oldest key is
// forgotten first.
func TestIdempotencyLimitForgetsTheOldest(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithIdempotencyLimit(2))
	defer s.Close()
	for _, k := range []string{"a", "b", "c"} {
		require.Equal(t, http.StatusOK, post(t, s, pathIntents, okIntentBody, keyHeader, k).status)
	}
	for _, k := range []string{"b", "c"} {
		r := post(t, s, pathIntents, okIntentBody, keyHeader, k)
		require.Equal(t, "true", r.header.Get("chargebee-idempotency-replayed"), "key %s is among the newest two", k)
	}
	r := post(t, s, pathIntents, okIntentBody, keyHeader, "a")
	require.Equal(t, http.StatusOK, r.status)
	require.Empty(t, r.header.Get("chargebee-idempotency-replayed"), "key a was the oldest, so it went")
	require.Equal(t, 4, s.Counts().PaymentIntents)

	// Storing a again pushed b out.
	r = post(t, s, pathIntents, okIntentBody, keyHeader, "b")
	require.Empty(t, r.header.Get("chargebee-idempotency-replayed"))
	require.Equal(t, 5, s.Counts().PaymentIntents)
}

func TestIdempotencyLimitZeroStoresNothing(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithIdempotencyLimit(0))
	defer s.Close()
	post(t, s, pathIntents, okIntentBody, keyHeader, "k")
	r := post(t, s, pathIntents, okIntentBody, keyHeader, "k")
	require.Equal(t, http.StatusOK, r.status)
	require.Empty(t, r.header.Get("chargebee-idempotency-replayed"))
	require.Equal(t, 2, s.Counts().PaymentIntents)
}

// chargebee-business-entity-id changes the answer, so it is part of "the
// same parameters": another entity's request with the same key and body
// is refused rather than given the first entity's answer. Headers that do
// not change the answer (request origin) do not count.
func TestIdempotencyFingerprintIncludesBusinessEntity(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	const entity = "chargebee-business-entity-id"
	first := post(t, s, pathIntents, okIntentBody, keyHeader, "k", entity, "be_1")
	require.Equal(t, http.StatusOK, first.status, "body: %s", first.body)
	require.Contains(t, string(first.body), `"business_entity_id":"be_1"`)

	requireError(t, post(t, s, pathIntents, okIntentBody, keyHeader, "k", entity, "be_2"),
		http.StatusUnprocessableEntity, "unable_to_process_request", "chargebee-idempotency-key")
	requireError(t, post(t, s, pathIntents, okIntentBody, keyHeader, "k"),
		http.StatusUnprocessableEntity, "unable_to_process_request", "chargebee-idempotency-key")
	require.Equal(t, 1, s.Counts().PaymentIntents)

	r := post(t, s, pathIntents, okIntentBody, keyHeader, "k", entity, "be_1",
		"chargebee-request-origin-ip", "203.0.113.9")
	require.Equal(t, "true", r.header.Get("chargebee-idempotency-replayed"))
	require.Equal(t, string(first.body), string(r.body))

	// Without the header on either side, it is the same call.
	first = post(t, s, pathPermToken, "customer_id=c&type=card&reference_id=cus_1/card_1", keyHeader, "k2")
	require.Equal(t, http.StatusOK, first.status, "body: %s", first.body)
	r = post(t, s, pathPermToken, "customer_id=c&type=card&reference_id=cus_1/card_1", keyHeader, "k2", entity, "")
	require.Equal(t, "true", r.header.Get("chargebee-idempotency-replayed"), "an empty header is no header")
}

// WithIdempotency(false) models an endpoint that ignores the key: every
// request is applied, nothing is replayed, nothing is refused for reuse.
func TestWithIdempotencyOff(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithIdempotency(false), chargebeetest.WithCustomers("c"))
	defer s.Close()
	a := post(t, s, pathIntents, okIntentBody, keyHeader, "k")
	b := post(t, s, pathIntents, okIntentBody, keyHeader, "k")
	c := post(t, s, pathIntents, "amount=1&currency_code=USD", keyHeader, "k")
	for _, r := range []reply{a, b, c} {
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		require.Empty(t, r.header.Get("chargebee-idempotency-replayed"))
	}
	require.NotEqual(t, string(a.body), string(b.body))
	require.Equal(t, 3, s.Counts().PaymentIntents)

	// A retry after a lost answer applies the operation again.
	s.DropAfterApply(1)
	_, err := trySend(newRequest(t, s, pathToken, "customer_id=c&token_id=tok_1", keyHeader, "once"))
	require.Error(t, err)
	requireError(t, post(t, s, pathToken, "customer_id=c&token_id=tok_1", keyHeader, "once"),
		http.StatusBadRequest, "param_wrong_value", "token_id")
	for _, r := range s.Requests() {
		require.False(t, r.Replayed)
	}
}
