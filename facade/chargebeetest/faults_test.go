package chargebeetest_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/stretchr/testify/require"
)

const okIntentBody = "amount=100&currency_code=USD"

func TestFailNextWithRetryAfter(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	s.FailNext(2, chargebeetest.Fault{Status: http.StatusServiceUnavailable, RetryAfter: 1500 * time.Millisecond})

	for range 2 {
		r := post(t, s, pathIntents, okIntentBody, keyHeader, "k")
		requireError(t, r, http.StatusServiceUnavailable, "internal_temporary_error", "")
		require.Equal(t, "2", r.header.Get("Retry-After"), "whole seconds, rounded up")
	}
	require.Zero(t, s.Counts().PaymentIntents, "failed requests do not reach the operation")

	r := post(t, s, pathIntents, okIntentBody, keyHeader, "k")
	require.Equal(t, http.StatusOK, r.status)
	require.Empty(t, r.header.Get("Retry-After"))
	require.Empty(t, r.header.Get("chargebee-idempotency-replayed"), "the faults stored nothing")
	require.Equal(t, 1, s.Counts().PaymentIntents)
}

func TestFaultsQueueInOrder(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusTooManyRequests})
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusInternalServerError, APIErrorCode: "lock_timeout"})

	r := post(t, s, pathIntents, okIntentBody)
	requireError(t, r, http.StatusTooManyRequests, "api_request_limit_exceeded", "")
	require.Empty(t, r.header.Get("Retry-After"), "no Retry-After unless asked")
	requireError(t, post(t, s, pathIntents, okIntentBody), http.StatusInternalServerError, "lock_timeout", "")
	require.Equal(t, http.StatusOK, post(t, s, pathIntents, okIntentBody).status)
}

func TestFaultHTMLAndEmptyBodies(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusBadGateway, Body: chargebeetest.HTMLBody})
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusServiceUnavailable, Body: chargebeetest.EmptyBody, RetryAfter: time.Second})

	r := post(t, s, pathIntents, okIntentBody)
	require.Equal(t, http.StatusBadGateway, r.status)
	require.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/html"), r.header.Get("Content-Type"))
	require.Contains(t, string(r.body), "<html>")
	require.Contains(t, string(r.body), "502 Bad Gateway")

	r = post(t, s, pathIntents, okIntentBody)
	require.Equal(t, http.StatusServiceUnavailable, r.status)
	require.Empty(t, r.body)
	require.Equal(t, "1", r.header.Get("Retry-After"))
	require.Zero(t, s.Counts().PaymentIntents)
}

func TestClearFaults(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	s.FailNext(5, chargebeetest.Fault{})
	s.DropAfterApply(5)
	s.SetDelay(time.Hour)
	s.ClearFaults()
	require.Equal(t, http.StatusOK, post(t, s, pathIntents, okIntentBody).status)
}

func TestDelay(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	const delay = 100 * time.Millisecond
	s.SetDelay(delay)
	start := time.Now()
	require.Equal(t, http.StatusOK, post(t, s, pathIntents, okIntentBody).status)
	require.GreaterOrEqual(t, time.Since(start), delay)

	s.SetDelay(0)
	start = time.Now()
	require.Equal(t, http.StatusOK, post(t, s, pathIntents, okIntentBody).status)
	require.Less(t, time.Since(start), delay)
}

// A client that gives up during the delay leaves the state untouched.
func TestDelayHonoursClientCancellation(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	s.SetDelay(5 * time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req := newRequest(t, s, pathIntents, okIntentBody).WithContext(ctx)
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	require.Eventually(t, func() bool { return len(s.Requests()) == 1 }, 2*time.Second, 10*time.Millisecond,
		"the handler stops waiting when the client goes")
	require.Less(t, time.Since(start), 2*time.Second)
	require.Zero(t, s.Requests()[0].Status)
	require.Zero(t, s.Counts().PaymentIntents, "not applied")
}

func TestCloseDoesNotWaitForDelays(t *testing.T) {
	s := chargebeetest.NewServer()
	s.SetDelay(time.Hour)
	errc := make(chan error, 1)
	req := newRequest(t, s, pathIntents, okIntentBody)
	go func() {
		_, err := trySend(req)
		errc <- err
	}()
	require.Eventually(t, func() bool { return s.Delayed() == 1 }, 5*time.Second, time.Millisecond,
		"the request never reached the delay")
	start := time.Now()
	s.Close()
	require.Less(t, time.Since(start), 3*time.Second)
	select {
	case err := <-errc:
		require.Error(t, err, "a request cut by Close gets no answer")
	case <-time.After(3 * time.Second):
		t.Fatal("the pending request did not end")
	}
}

// The double-charge scenario: the operation is applied, the answer lost.
// A retry with the same key must get the stored answer, not a second
// payment source.
func TestDropAfterApply(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	s.DropAfterApply(1)

	body := "customer_id=c&token_id=tok_1"
	_, err := trySend(newRequest(t, s, pathToken, body, keyHeader, "once"))
	require.Error(t, err, "the client sees a connection error")
	require.Len(t, s.PaymentSources("c"), 1, "yet the operation was applied")
	last := s.Requests()[0]
	require.True(t, last.Dropped)

	r := post(t, s, pathToken, body, keyHeader, "once")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, "true", r.header.Get("chargebee-idempotency-replayed"))
	require.Len(t, s.PaymentSources("c"), 1, "the retry did not apply it twice")

	// Without a key the retry is a second call: the token is spent.
	s.DropAfterApply(1)
	_, err = trySend(newRequest(t, s, pathToken, "customer_id=c&token_id=tok_2"))
	require.Error(t, err)
	requireError(t, post(t, s, pathToken, "customer_id=c&token_id=tok_2"), http.StatusBadRequest, "param_wrong_value", "token_id")
	require.Len(t, s.PaymentSources("c"), 2)
}

func TestDropRate(t *testing.T) {
	run := func() (drops int) {
		s := chargebeetest.NewServer()
		defer s.Close()
		s.SetDropRate(0.5, 42)
		const calls = 20
		for i := range calls {
			key := "call-" + strconv.Itoa(i)
			var ok bool
			for attempt := 0; attempt < 50 && !ok; attempt++ {
				r, err := trySend(newRequest(t, s, pathIntents, okIntentBody, keyHeader, key))
				if err != nil {
					continue
				}
				require.Equal(t, http.StatusOK, r.status)
				ok = true
			}
			require.True(t, ok, "call %d never got through", i)
		}
		require.Equal(t, calls, s.Counts().PaymentIntents, "each logical call applied exactly once")
		for _, r := range s.Requests() {
			if r.Dropped {
				drops++
			}
		}
		return drops
	}
	drops := run()
	require.Greater(t, drops, 3, "about half the requests are dropped")
	require.Equal(t, drops, run(), "the seed makes the drops repeat")
}

func TestInvalidFaultStatusMeans503(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	s.FailNext(1, chargebeetest.Fault{Status: 42})
	requireError(t, post(t, s, pathIntents, okIntentBody), http.StatusServiceUnavailable, "internal_temporary_error", "")
}

// A fault is never a success, a redirect or an informational answer: any
// status outside 400-599 is 503, whatever the body kind.
func TestFaultStatusOutsideErrorsMeans503(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	for _, status := range []int{0, -1, 42, 100, 200, 204, 304, 399, 600, 1000} {
		s.FailNext(1, chargebeetest.Fault{Status: status})
		requireError(t, post(t, s, pathIntents, okIntentBody), http.StatusServiceUnavailable, "internal_temporary_error", "")

		s.FailNext(1, chargebeetest.Fault{Status: status, Body: chargebeetest.HTMLBody})
		r := post(t, s, pathIntents, okIntentBody)
		require.Equal(t, http.StatusServiceUnavailable, r.status, "status %d", status)
		require.Contains(t, string(r.body), "503 Service Unavailable")

		s.FailNext(1, chargebeetest.Fault{Status: status, Body: chargebeetest.EmptyBody})
		require.Equal(t, http.StatusServiceUnavailable, post(t, s, pathIntents, okIntentBody).status, "status %d", status)
	}
	require.Zero(t, s.Counts().PaymentIntents)

	s.FailNext(1, chargebeetest.Fault{Status: 400})
	requireError(t, post(t, s, pathIntents, okIntentBody), http.StatusBadRequest, "invalid_request", "")
	s.FailNext(1, chargebeetest.Fault{Status: 599})
	requireError(t, post(t, s, pathIntents, okIntentBody), 599, "internal_temporary_error", "")
}

// A Fault carries Chargebee's error type, code and message; a payment type
// alone picks payment_processing_failed.
func TestFaultTypeCodeAndMessage(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusBadRequest, Type: cbpay.ErrorTypePayment})
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusPaymentRequired, Type: cbpay.ErrorTypePayment,
		APIErrorCode: "payment_method_verification_failed", Message: "Your card was declined."})
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusServiceUnavailable, Type: cbpay.ErrorTypeInvalidRequest,
		APIErrorCode: "site_read_only_mode"})
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusBadRequest, Message: "Plan is not present"})

	e := requireError(t, post(t, s, pathIntents, okIntentBody), http.StatusBadRequest, "payment_processing_failed", "")
	require.Equal(t, gen.APIErrorTypePayment, ptr.Deref(e.Type))
	e = requireError(t, post(t, s, pathIntents, okIntentBody), http.StatusPaymentRequired, "payment_method_verification_failed", "")
	require.Equal(t, gen.APIErrorTypePayment, ptr.Deref(e.Type))
	require.Equal(t, "Your card was declined.", e.Message)
	e = requireError(t, post(t, s, pathIntents, okIntentBody), http.StatusServiceUnavailable, "site_read_only_mode", "")
	require.Equal(t, gen.APIErrorTypeInvalidRequest, ptr.Deref(e.Type))
	e = requireError(t, post(t, s, pathIntents, okIntentBody), http.StatusBadRequest, "invalid_request", "")
	require.Equal(t, gen.APIErrorTypeInvalidRequest, ptr.Deref(e.Type), "the status's type when none is given")
	require.Equal(t, "Plan is not present", e.Message)
	require.Zero(t, s.Counts().PaymentIntents)
}
