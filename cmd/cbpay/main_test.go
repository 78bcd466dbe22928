package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("CHARGEBEE_SITE", "")
	t.Setenv("CHARGEBEE_API_KEY", "")
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestDemoRunsTheStoreCardFlows(t *testing.T) {
	code, out, stderr := runCLI(t, "demo")
	require.Equal(t, 0, code, stderr+out)
	for _, want := range []string{
		"POST /api/v2/payment_intents", "POST /api/v1/customers/", "/credit_card_using_payment_intent",
		"GET /api/v2/payment_intents/pi_", "POST /api/v2/payment_sources/create_using_payment_intent",
		"POST /api/v2/payment_sources/create_using_token", "POST /api/v2/payment_sources/create_using_permanent_token",
		"/update_payment_method", "GET /api/v2/payment_sources\n", "→ 5 payment sources of customer", "All 8 operations succeeded",
	} {
		assert.Contains(t, out, want)
	}
	assert.Equal(t, 8, strings.Count(out, "→ 200"), out)
	assert.NotContains(t, out, "pm_demo_1NxYz2", "tokens are redacted")
	assert.NotContains(t, out, "✗")
	assert.Contains(t, out, "created in the fake")
}

func TestOperationCommandPrintsJSON(t *testing.T) {
	code, out, stderr := runCLI(t, "create-payment-source-using-permanent-token", "--fake", "--customer_id", "cust_1", "--type", "card",
		"--card.last4", "4242", "--card.expiry_month", "7", "--replace_primary_payment_source=false",
		"--additional_information", `{"payer":{"document":"1"}}`, "--idempotency-key", "k-1")
	require.Equal(t, 0, code, stderr)
	var res struct {
		PaymentSource struct {
			Card struct {
				Last4       string `json:"last4"`
				ExpiryMonth int    `json:"expiry_month"`
			} `json:"card"`
		} `json:"payment_source"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	assert.Equal(t, "4242", res.PaymentSource.Card.Last4)
	assert.Equal(t, 7, res.PaymentSource.Card.ExpiryMonth)
	assert.Contains(t, stderr, "200, 1 attempt, idempotency key k-1")
	assert.NotContains(t, out, `"expiry_year"`, "the fake shows only the card fields sent")
	assert.NotContains(t, out, `"iin"`)
}

// With --fake, the customer a command names exists in the fresh fake, in
// the body (customer_id) or in the path (--customer_id).
func TestFakeHasTheCommandsCustomer(t *testing.T) {
	code, out, stderr := runCLI(t, "update-payment-method", "--fake", "--customer_id", "cust 7/é",
		"--payment_method.type", "paypal_express_checkout", "--payment_method.reference_id", "B-1")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `"id": "cust 7/é"`)
	code, _, stderr = runCLI(t, "create-payment-source-using-token", "--fake", "--customer_id", "cust_1", "--token_id", "tok_1")
	require.Equal(t, 0, code, stderr)
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"create-payment-intent", "--fake", "--amount", "x", "--currency_code", "USD"}, 2, `--amount: "x" is not an integer`},
		{[]string{"create-payment-source-using-permanent-token", "--fake", "--customer_id", "c", "--type", "card", "--card.last4", "42"}, 2, "card[last4]: must be exactly 4 characters long"},
		{[]string{"update-payment-method", "--fake", "--payment_method.type", "card"}, 2, "customer_id: must not be empty"},
		{[]string{"create-payment-intent", "--amount", "1", "--currency_code", "USD"}, 2, "no target"},
		{[]string{"no-such-command"}, 2, "unknown command"},
		{[]string{"serve", "--customer", strings.Repeat("c", 51)}, 2, "must be at most 50 characters long"},
		{[]string{"demo", "--no-such-flag"}, 2, "unknown flag"},
		{[]string{"create-payment-source-using-permanent-token", "--fake", "--customer_id", "c", "--type", "card", "--additional_information", "[1]"}, 2, "must be a JSON object"},
		{[]string{"create-card-using-payment-intent", "--fake", "--customer_id", "c1", "--payment_intent_id", "pi_nope"}, 1, "404 invalid_request resource_not_found"},
		{[]string{"create-payment-intent", "--fake", "--amount", "1", "--currency_code", "USD", "--request-origin-user", "a@b.c", "--request-origin-user-encoded", "eA=="}, 2, "none of the others can be"},
		{[]string{"create-payment-intent", "--fake", "--amount", "1", "--currency_code", "USD", "--business-entity-id", "a", "--business_entity_id", "b"}, 2, "none of the others can be"},
		{[]string{"create-payment-intent", "--base-url", "https://proxy.example", "--amount", "1", "--currency_code", "USD"}, 2, "needs a key"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, stderr)
		assert.Contains(t, stderr, tc.msg, tc.args)
		assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
		assert.True(t, strings.HasPrefix(stderr, "cbpay: ") && !strings.HasPrefix(stderr, "cbpay: cbpay:"), stderr)
	}
}

func TestHelpEverywhere(t *testing.T) {
	for _, cmd := range []string{"demo", "serve", "create-payment-intent", "create-payment-source-using-token", "create-payment-source-using-permanent-token", "update-payment-method", "create-card-using-payment-intent",
		"create-payment-source-using-payment-intent", "retrieve-payment-source", "delete-payment-source", "list-payment-sources", "retrieve-payment-intent", "update-payment-intent"} {
		code, out, _ := runCLI(t, cmd, "--help")
		assert.Equal(t, 0, code, cmd)
		assert.Contains(t, out, "Usage:", cmd)
	}
	_, out, _ := runCLI(t, "create-payment-source-using-permanent-token", "--help")
	assert.Contains(t, out, "--card.last4 string")
	assert.Contains(t, out, "exactly 4 characters")
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeAnswersLikeChargebeeAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--api-key", "k_test", "--customer", "c", "--customer", "d,e"}, out, io.Discard)
	}()

	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)`)
	var base string
	require.Eventually(t, func() bool {
		m := addr.FindStringSubmatch(out.String())
		if m != nil {
			base = "http://" + m[1]
		}
		return m != nil
	}, 5*time.Second, 10*time.Millisecond)
	assert.Contains(t, out.String(), `API key "k_test"`)
	assert.Contains(t, out.String(), "customers c, d, e")

	post := func(path, body string) (*http.Response, string) {
		req, _ := http.NewRequest("POST", base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("k_test", "")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := post("/api/v2/payment_intents", "amount=100&currency_code=USD")
	assert.Equal(t, 200, resp.StatusCode, body)
	var pi struct {
		PaymentIntent struct{ ID string } `json:"payment_intent"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &pi))

	resp, body = post("/api/v2/payment_sources/create_using_permanent_token", "customer_id=c&type=card&card[last4]=42")
	assert.Equal(t, 400, resp.StatusCode)
	assert.Contains(t, body, `"param":"card[last4]"`)
	assert.Contains(t, body, `"api_error_code":"param_wrong_value"`)

	// The 3DS test hook, then the v1 operation that needs it.
	resp, _ = post("/_cbpay/payment_intents/"+pi.PaymentIntent.ID+"/authorize", "")
	assert.Equal(t, 204, resp.StatusCode)
	resp, body = post("/api/v1/customers/c/credit_card_using_payment_intent", "payment_intent_id="+pi.PaymentIntent.ID)
	assert.Equal(t, 200, resp.StatusCode, body)
	resp, _ = post("/_cbpay/payment_intents/pi_nope/authorize", "")
	assert.Equal(t, 404, resp.StatusCode)

	// Like Chargebee, an unknown customer is a 404; the test hook creates one.
	const other = "/api/v2/customers/cust%207%2F%C3%A9/update_payment_method"
	resp, body = post(other, "payment_method[type]=card")
	assert.Equal(t, 404, resp.StatusCode, body)
	assert.Contains(t, body, `"api_error_code":"resource_not_found"`)
	resp, body = post("/_cbpay/customers/cust%207%2F%C3%A9", "")
	assert.Equal(t, 200, resp.StatusCode, body)
	assert.Contains(t, body, `"id":"cust 7/é"`)
	resp, body = post(other, "payment_method[type]=card")
	assert.Equal(t, 200, resp.StatusCode, body)
	resp, body = post("/_cbpay/customers/cust%207%2F%C3%A9", "")
	assert.Equal(t, 200, resp.StatusCode, "an existing customer is left as it is")
	assert.Contains(t, body, `"primary_payment_source_id"`)
	for _, bad := range []string{"/_cbpay/customers/", "/_cbpay/customers/a/b", "/_cbpay/customers/" + strings.Repeat("x", 51)} {
		resp, body = post(bad, "")
		assert.Equal(t, 400, resp.StatusCode, bad+": "+body)
	}
	resp, body = post("/api/v2/payment_sources/create_using_token", "customer_id=d&token_id=tok_1")
	assert.Equal(t, 200, resp.StatusCode, "seeded with --customer d,e: %s", body)
	assert.Contains(t, body, `"last4":"4242"`, "a token never told about is the test Visa")

	// The card behind a token, and the one entered during 3DS, said through the hooks.
	resp, body = post("/_cbpay/tokens/tok_mc", `{"brand":"mastercard","funding_type":"debit","last4":"4444","expiry_month":11,"expiry_year":2031,"issuing_country":"BR"}`)
	assert.Equal(t, 204, resp.StatusCode, body)
	resp, body = post("/_cbpay/tokens/"+strings.Repeat("t", 41), `{"last4":"4444"}`)
	assert.Equal(t, 400, resp.StatusCode, "a token longer than token_id allows: %s", body)
	resp, body = post("/api/v2/payment_sources/create_using_token", "customer_id=d&token_id=tok_mc")
	assert.Equal(t, 200, resp.StatusCode, body)
	assert.Contains(t, body, `"brand":"mastercard"`)
	assert.Contains(t, body, `"last4":"4444"`)
	assert.NotContains(t, body, `"iin"`, "a field not given is left out")
	for _, bad := range []string{`{"bogus":1}`, `{"last4":4444}`, "not json", `{"last4":"4111111111111111"}`,
		`{"iin":"41111"}`, `{"expiry_month":13}`, `{"last4":"4444"} {"last4":"1111"}`, `{"last4":"4444"}}`} {
		resp, body = post("/_cbpay/tokens/tok_bad", bad)
		assert.Equal(t, 400, resp.StatusCode, bad+": "+body)
	}
	resp, body = post("/api/v2/payment_intents", "amount=100&currency_code=USD")
	require.Equal(t, 200, resp.StatusCode, body)
	require.NoError(t, json.Unmarshal([]byte(body), &pi))
	resp, body = post("/_cbpay/payment_intents/"+pi.PaymentIntent.ID+"/authorize", `{"brand":"american_express","last4":"0005","expiry_month":1,"expiry_year":2030}`)
	assert.Equal(t, 204, resp.StatusCode, body)
	resp, body = post("/api/v1/customers/d/credit_card_using_payment_intent", "payment_intent_id="+pi.PaymentIntent.ID)
	assert.Equal(t, 200, resp.StatusCode, body)
	assert.Contains(t, body, `"last4":"0005"`)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	var last string
	for sc.Scan() {
		last = sc.Text()
	}
	assert.Equal(t, "cbpay serve: shutting down", last)
}

func TestHeaderFlagsReachTheWire(t *testing.T) {
	srv := chargebeetest.NewServer()
	defer srv.Close()
	t.Setenv("CHARGEBEE_API_KEY", "live_key_from_env")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"create-payment-intent", "--base-url", srv.URL,
		"--amount", "0", "--currency_code", "USD", "--request-origin-user", "zoë@example.com",
		"--event-webhook", "all-disabled", "--request-origin-ip", "203.0.113.9"}, &out, &errb)
	require.Equal(t, 0, code, errb.String())
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	h := reqs[0].Header
	assert.Equal(t, "all-disabled", h.Get("chargebee-event-webhook"))
	assert.Equal(t, "203.0.113.9", h.Get("chargebee-request-origin-ip"))
	assert.Equal(t, "em/Dq0BleGFtcGxlLmNvbQ==", h.Get("chargebee-request-origin-user-encoded"))
	assert.Equal(t, "0", reqs[0].Form["amount"])
	user, _, _ := (&http.Request{Header: h}).BasicAuth()
	assert.Equal(t, chargebeetest.DefaultAPIKey, user, "the environment's key is not sent to a base URL")
}

func TestServeHandsOddPathsToTheFake(t *testing.T) {
	srv := httptest.NewServer(serveMux(chargebeetest.NewHandler()))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v2/customers//update_payment_method", strings.NewReader("payment_method[type]=card"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(chargebeetest.DefaultAPIKey, "")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	assert.GreaterOrEqual(t, resp.StatusCode, 400, "a Chargebee-shaped error, not a redirect")
	assert.Contains(t, string(body), `"api_error_code"`)
	for _, hook := range []string{"/_cbpay/payment_intents/pi_1/authorize", "/_cbpay/customers/c", "/_cbpay/tokens/t"} {
		resp2, err := http.Get(srv.URL + hook)
		require.NoError(t, err)
		resp2.Body.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, resp2.StatusCode, hook)
	}
}

// One rule for site names, the library's: named as in the host; --test adds
// -test; a live site only with --live.
func TestSiteNameRule(t *testing.T) {
	cases := []struct {
		site       string
		test, live bool
		want, err  string
	}{
		{site: "acme-test", want: "acme-test"},
		{site: "acme", test: true, want: "acme-test"},
		{site: "acme-test", test: true, want: "acme-test"},
		{site: "acme", live: true, want: "acme"},
		{site: "acme", err: "acme is a live site"},
		{site: "acme", test: true, live: true, err: "cannot be combined"},
	}
	for _, tc := range cases {
		g := &globals{test: tc.test, live: tc.live}
		got, err := g.siteName(tc.site)
		if tc.err != "" {
			require.ErrorContains(t, err, tc.err, "%+v", tc)
			continue
		}
		require.NoError(t, err, "%+v", tc)
		assert.Equal(t, tc.want, got, "%+v", tc)
	}
	// Through the command: refused before any network I/O, exit 2.
	t.Setenv("CHARGEBEE_SITE", "acme")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"create-payment-intent", "--api-key", "k", "--amount", "1", "--currency_code", "USD"}, &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "CHARGEBEE_SITE=acme-test")
}

// TestDemoAgainstServeRunsAgainAndAgain: cbpay demo --base-url against a
// cbpay serve (seeded as by serve --customer) runs every step, the 3DS one
// through the test hook, and a second and third run in a row pass as well
// (fresh tokens each run).
func TestDemoAgainstServeRunsAgainAndAgain(t *testing.T) {
	h := chargebeetest.NewHandler(chargebeetest.WithCustomers("cust_seeded"))
	srv := httptest.NewServer(serveMux(h))
	defer srv.Close()
	for run := range 3 {
		code, out, stderr := runCLI(t, "demo", "--base-url", srv.URL, "--customer", "cust_seeded")
		require.Equal(t, 0, code, "run %d: %s%s", run+1, stderr, out)
		assert.Equal(t, 8, strings.Count(out, "→ 200"), "run %d: %s", run+1, out)
		assert.Contains(t, out, fmt.Sprintf("→ %d payment sources of customer cust_seeded", 5*(run+1)), "run %d: the list is the customer's, every page", run+1)
		assert.Contains(t, out, "authorized (POST /_cbpay/payment_intents/", "run %d", run+1)
		assert.NotContains(t, out, "✗")
	}
	assert.Len(t, h.PaymentSources("cust_seeded"), 15, "three runs: the v1 card, the v2 source, two payment sources and the updated payment method each")
}

// Without --customer the demo creates its own customer over the test hook,
// a new one each run.
func TestDemoAgainstServeCreatesItsCustomer(t *testing.T) {
	h := chargebeetest.NewHandler()
	srv := httptest.NewServer(serveMux(h))
	defer srv.Close()
	for run := range 2 {
		code, out, stderr := runCLI(t, "demo", "--base-url", srv.URL)
		require.Equal(t, 0, code, "run %d: %s%s", run+1, stderr, out)
		assert.Contains(t, out, "created over the test hook")
		assert.NotContains(t, out, "✗")
	}
	assert.Equal(t, 2, h.Counts().Customers)
}

// TestDemoHookNeedsServe: against a server without the test hook, the 3DS
// step fails with a message that says what is missing.
func TestDemoHookNeedsServe(t *testing.T) {
	srv := httptest.NewServer(chargebeetest.NewHandler(chargebeetest.WithCustomers("cust_1"))) // no test hook
	defer srv.Close()
	code, out, _ := runCLI(t, "demo", "--base-url", srv.URL, "--customer", "cust_1")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "test hook /_cbpay/payment_intents/")
	assert.Contains(t, out, "404 Not Found")
	assert.Contains(t, out, "a cbpay serve?")
}

func TestServeSeedsCustomers(t *testing.T) {
	cmd := newServe()
	require.NoError(t, cmd.ParseFlags([]string{"--customer", "cust_a", "--customer", "cust_b,cust_c"}))
	got, err := cmd.Flags().GetStringSlice("customer")
	require.NoError(t, err)
	assert.Equal(t, []string{"cust_a", "cust_b", "cust_c"}, got)
}
