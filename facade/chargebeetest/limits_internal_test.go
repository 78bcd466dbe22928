package chargebeetest

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// serve sends one authenticated form POST through h, in process.
func serve(h *Handler, path, body string, headers ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", formContentType)
	req.SetBasicAuth(h.apiKey, "")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// The log itself, not just what Requests shows, never holds more than
// maxRequests entries, nor room for more.
func TestRequestLogMemoryIsBoundedExactly(t *testing.T) {
	for _, n := range []int{1, 3, 17, 40} {
		h := NewHandler(WithMaxRecordedRequests(n))
		for i := range 3*n + 5 {
			serve(h, "/api/v2/payment_intents", "amount="+strconv.Itoa(i)+"&currency_code=USD")
			h.mu.Lock()
			l, c := len(h.requests), cap(h.requests)
			h.mu.Unlock()
			require.Equal(t, min(i+1, n), l, "n=%d after %d requests", n, i+1)
			require.LessOrEqual(t, c, n, "n=%d after %d requests", n, i+1)
		}
	}
	h := NewHandler(WithMaxRecordedRequests(0))
	serve(h, "/api/v2/payment_intents", "amount=1&currency_code=USD")
	require.Nil(t, h.requests)
}

// Expired answers are dropped from memory as new ones are stored, not
// only when their key comes back; and the store never exceeds its limit.
func TestIdempotencyStoreIsBounded(t *testing.T) {
	var (
		clockMu sync.Mutex
		clock   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	)
	now := func() time.Time {
		clockMu.Lock()
		defer clockMu.Unlock()
		return clock
	}
	advance := func(d time.Duration) {
		clockMu.Lock()
		defer clockMu.Unlock()
		clock = clock.Add(d)
	}
	h := NewHandler(WithClock(now), WithIdempotencyLimit(10))
	size := func() int {
		h.mu.Lock()
		defer h.mu.Unlock()
		require.Equal(t, h.idem.len(), h.idem.order.Len())
		return h.idem.len()
	}
	for i := range 25 {
		w := serve(h, "/api/v2/payment_intents", "amount=1&currency_code=USD", headerIdempotencyKey, "k"+strconv.Itoa(i))
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		require.LessOrEqual(t, size(), 10)
	}
	require.Equal(t, 10, size())

	advance(IdempotencyKeyLifetime)
	serve(h, "/api/v2/payment_intents", "amount=1&currency_code=USD", headerIdempotencyKey, "fresh")
	require.Equal(t, 1, size(), "the expired answers went when a new one was stored")

	// A key found expired on lookup is dropped and stored anew.
	advance(IdempotencyKeyLifetime)
	w := serve(h, "/api/v2/payment_intents", "amount=1&currency_code=USD", headerIdempotencyKey, "fresh")
	require.Empty(t, w.Header().Get(headerReplayed))
	require.Equal(t, 1, size())
}
