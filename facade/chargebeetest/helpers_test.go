package chargebeetest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/stretchr/testify/require"
)

// Paths of the five operations, as a client sends them.
const (
	pathIntents   = "/api/v2/payment_intents"
	pathToken     = "/api/v2/payment_sources/create_using_token"
	pathPermToken = "/api/v2/payment_sources/create_using_permanent_token"
)

func pathUpdatePM(customerID string) string {
	return "/api/v2/customers/" + customerID + "/update_payment_method"
}

func pathCardUsingPI(customerID string) string {
	return "/api/v1/customers/" + customerID + "/credit_card_using_payment_intent"
}

// reply is a response, read in full.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// apiError decodes a Chargebee error body.
func (r reply) apiError(t *testing.T) gen.ChargebeeError {
	t.Helper()
	var e gen.ChargebeeError
	require.NoError(t, json.Unmarshal(r.body, &e), "body: %s", r.body)
	return e
}

// decode decodes a success body into v.
func (r reply) decode(t *testing.T, v any) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// newRequest builds an authenticated form POST to the fake; headers come in
// name, value pairs.
func newRequest(t *testing.T, s *chargebeetest.Server, path, body string, headers ...string) *http.Request {
	t.Helper()
	req, err := buildRequest(s, path, body, headers...)
	require.NoError(t, err)
	return req
}

// buildRequest is newRequest for goroutines other than the test's.
func buildRequest(s *chargebeetest.Server, path, body string, headers ...string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(s.APIKey, "")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req, nil
}

// send sends a request and reads the whole answer.
func send(t *testing.T, req *http.Request) reply {
	t.Helper()
	r, err := trySend(req)
	require.NoError(t, err)
	return r
}

// trySend is send for goroutines other than the test's, where require
// must not be called.
func trySend(req *http.Request) (reply, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// post is newRequest then send.
func post(t *testing.T, s *chargebeetest.Server, path, body string, headers ...string) reply {
	t.Helper()
	return send(t, newRequest(t, s, path, body, headers...))
}

// requireError checks a Chargebee-shaped refusal: status, api_error_code,
// param, and the legacy fields that mirror them.
func requireError(t *testing.T, r reply, status int, code, param string) gen.ChargebeeError {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	require.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "application/json"), "content type %q", r.header.Get("Content-Type"))
	e := r.apiError(t)
	require.NotEmpty(t, e.Message)
	require.Equal(t, code, ptr.Deref(e.APIErrorCode), "body: %s", r.body)
	require.Equal(t, param, ptr.Deref(e.Param), "body: %s", r.body)
	require.Equal(t, param, ptr.Deref(e.ErrorParam))
	require.Equal(t, e.Message, ptr.Deref(e.ErrorMsg))
	require.Equal(t, status, ptr.Deref(e.HTTPStatusCode))
	return e
}

// createIntent creates a payment intent and returns it.
func createIntent(t *testing.T, s *chargebeetest.Server, body string, headers ...string) gen.PaymentIntent {
	t.Helper()
	var out gen.PaymentIntentResponse
	post(t, s, pathIntents, body, headers...).decode(t, &out)
	return out.PaymentIntent
}

// testClock is a settable clock for WithClock.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, 11, 22, 8, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
