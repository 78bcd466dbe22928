package cbpay

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cbpay/cbpay/gen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRefusesBadConfiguration(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want string
	}{
		{[]Option{WithSite("acme")}, "no API key"},
		{[]Option{WithAPIKey("k")}, "no site"},
		{[]Option{WithAPIKey("k"), WithSite("acme.chargebee.com")}, `site "acme.chargebee.com" must be the site's name`},
		{[]Option{WithAPIKey("k"), WithBaseURL("http://api.example.com")}, "plain http to a host that is not loopback"},
		{[]Option{WithAPIKey("k"), WithBaseURL("https://key:x@api.example.com")}, "must not carry credentials"},
		{[]Option{WithAPIKey("k"), WithBaseURL("ftp://x")}, "absolute http(s) URL"},
		{[]Option{WithAPIKey("k"), WithBaseURL("127.0.0.1:80")}, "base URL"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithTimeout(0)}, "timeout must be positive"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithRetries(-1)}, "retries must not be negative"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithBackoff(time.Second, time.Millisecond)}, "backoff needs"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithRetryStatuses(200)}, "retry status 200"},
		{[]Option{WithAPIKey("k\n"), WithSite("acme")}, "API key contains CR or LF"},
		{[]Option{WithAPIKey("k"), WithBaseURL("https://proxy.example/api/v2")}, "must be the site root"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithHTTPClient((*http.Client)(nil))}, "nil client"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithRequestDefaults(WithIdempotencyKey("fixed"))}, "idempotency key cannot be a client default"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithRequestDefaults(WithHeader("Chargebee-Idempotency-Key", "fixed"))}, "idempotency key cannot be a client default"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithRequestDefaults(WithHeader("Authorization", "Bearer x"))}, "set by the client"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithRequestDefaults(WithOriginDevice("a\nb"))}, "must not contain CR or LF"},
		{[]Option{WithAPIKey("k"), WithSite("acme"), WithRequestDefaults(WithHeader("X:Y", "v"))}, "not a valid header name"},
	} {
		c, err := New(tc.opts...)
		assert.Nil(t, c)
		assert.ErrorContains(t, err, tc.want)
	}
}

func TestNilOptionsAreSkipped(t *testing.T) {
	c, err := New(nil, WithSite("acme"), WithAPIKey("k"), WithRequestDefaults(nil))
	require.NoError(t, err)
	assert.NotNil(t, c)
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	target := newStub(t, jsonReply(200, paymentIntentJSON))
	s := newStub(t, reply{Status: 307, Header: map[string]string{"Location": target.URL + "/api/v2/payment_intents"}})
	_, err := newTestClient(t, s).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 307, ae.StatusCode)
	assert.Empty(t, target.requests(), "the credentials never reach the redirect's target")
}

func TestReflectionDumpsDoNotShowTheKey(t *testing.T) {
	c, err := New(WithSite("acme"), WithAPIKey(testKey))
	require.NoError(t, err)
	holder := struct{ c Client }{*c} // fmt reaches unexported fields without calling their methods
	basic := base64.StdEncoding.EncodeToString([]byte(testKey + ":"))
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		out := fmt.Sprintf(verb, holder)
		noSecret(t, out, verb, testKey, basic)
	}
}

func TestSiteURLs(t *testing.T) {
	c, err := New(WithSite("acme"), WithAPIKey("k"))
	require.NoError(t, err)
	assert.Equal(t, "https://acme.chargebee.com/", c.server, "the site root: paths carry /api/v2 and /api/v1")
	c, err = New(WithSite("acme"), WithTestSite(), WithAPIKey("k"))
	require.NoError(t, err)
	assert.Equal(t, "https://acme-test.chargebee.com/", c.server)
	c, err = New(WithBaseURL("http://localhost:8080/"), WithAPIKey("k"))
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:8080/", c.server)
	_, err = New(WithBaseURL("http://10.0.0.5:8080"), WithAPIKey("k"), WithInsecureHTTP())
	assert.NoError(t, err)
}

func TestNewFromEnv(t *testing.T) {
	t.Setenv(EnvSite, "envsite")
	t.Setenv(EnvAPIKey, "envkey")
	c, err := NewFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "https://envsite.chargebee.com/", c.server)
	c, err = NewFromEnv(WithSite("other"))
	require.NoError(t, err)
	assert.Equal(t, "https://other.chargebee.com/", c.server, "options win over the environment")
	t.Setenv(EnvAPIKey, "")
	_, err = NewFromEnv()
	assert.ErrorContains(t, err, EnvAPIKey)
}

func TestFormattingNeverShowsSecrets(t *testing.T) {
	c, err := New(WithSite("acme"), WithAPIKey(testKey))
	require.NoError(t, err)
	p := fullPermanentToken()
	p.ReferenceID = Ptr("cus_SECRET/card_SECRET")
	tok := &CreatePaymentSourceUsingTokenParams{CustomerID: "cust_1", TokenID: "cb_tok_SECRET"}
	upd := &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "direct_debit", TmpToken: Ptr("tmp_SECRET")}}
	card := &CreateCardUsingPaymentIntentParams{GwToken: Ptr("gw_SECRET"), PaymentIntentID: Ptr("pi_1")}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, *c, p, *p, tok, *tok, upd, card} {
			out := fmt.Sprintf(verb, v)
			// Checked by hand: testify would print the output, secrets and all.
			for i, secret := range []string{testKey, base64.StdEncoding.EncodeToString([]byte(testKey + ":")),
				"SECRET", "pm_123", "cus_9", "411111", "\"1111\"", ":1111", "123.456"} {
				if strings.Contains(out, secret) {
					t.Errorf("%s of %T shows secret %d", verb, v, i)
				}
			}
		}
	}
	assert.Equal(t, "{customer_id:cust_1 token_id:[REDACTED]}", fmt.Sprint(tok))
	assert.Contains(t, fmt.Sprint(p), "card[brand]:visa")
	assert.Contains(t, fmt.Sprint(p), "card[last4]:[REDACTED]")
	assert.Contains(t, fmt.Sprint(p), "additional_information:{…}")
}

func TestLoggingRedactsLikeFormatting(t *testing.T) {
	c, err := New(WithSite("acme"), WithAPIKey(testKey))
	require.NoError(t, err)
	tok := &CreatePaymentSourceUsingTokenParams{CustomerID: "cust_1", TokenID: "cb_tok_SECRET", ReplacePrimaryPaymentSource: Ptr(false)}
	var text, js bytes.Buffer
	noTime := func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	slog.New(slog.NewTextHandler(&text, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("x", "params", tok, "client", c, "empty", &CreatePaymentIntentParams{})
	slog.New(slog.NewJSONHandler(&js, &slog.HandlerOptions{ReplaceAttr: noTime})).Info("x", "params", *tok, "client", *c)
	if strings.Contains(text.String()+js.String(), "SECRET") || strings.Contains(text.String()+js.String(), testKey) {
		t.Fatal("a log line shows a secret") // before the comparisons below print them
	}
	assert.Equal(t, `level=INFO msg=x params.customer_id=cust_1 params.replace_primary_payment_source=false params.token_id=[REDACTED] client="cbpay.Client{server: https://acme.chargebee.com, apiKey: [REDACTED]}" empty.amount=0 empty.currency_code=""`+"\n", text.String())
	assert.JSONEq(t, `{"level":"INFO","msg":"x","params":{"customer_id":"cust_1","replace_primary_payment_source":false,"token_id":"[REDACTED]"},
		"client":"cbpay.Client{server: https://acme.chargebee.com, apiKey: [REDACTED]}"}`, js.String())
}

func TestResultsRedactThemselves(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentSourceJSON))
	p := &CreatePaymentSourceUsingPermanentTokenParams{CustomerID: "cust_1", Type: "direct_debit", MandateID: Ptr("md_SENT_SECRET")}
	res, err := newTestClient(t, s).CreatePaymentSourceUsingPermanentToken(bg, p, WithIdempotencyKey("k1"))
	require.NoError(t, err)
	res.PaymentSource.Mandates = &[]gen.Mandate{{ID: "md_SENT_SECRET"}} // as Chargebee lists the mandate sent
	res.Response.Header.Set("Set-Cookie", "lb=SECRET")
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, nil)).Info("x", "result", res)
	outs := []string{js.String(), fmt.Sprintf("%v", res), fmt.Sprintf("%+v", *res), fmt.Sprintf("%#v", res), fmt.Sprintf("%#v", res.Response)}
	for i, out := range outs {
		for _, secret := range []string{"411111", `"1111"`, "*1111", "tok/1", "SECRET"} {
			if strings.Contains(out, secret) {
				t.Fatalf("output %d shows a secret", i) // before the comparisons below print it
			}
		}
	}
	assert.Contains(t, outs[1], `"card":{"brand":"visa","expiry_month":12,"expiry_year":2030,"funding_type":"credit","iin":"[REDACTED]","last4":"[REDACTED]","masked_number":"[REDACTED]"}`)
	assert.Contains(t, outs[1], `"mandates":[{"created_at":0,"id":"[REDACTED]","subscription_id":""}]`)
	assert.Contains(t, outs[1], `(status 200, attempts 1, replayed false, idempotency key k1)`)
	assert.Contains(t, js.String(), `"response":{"status":200,"attempts":1,"replayed":false,"idempotency_key":"k1"}`)
	assert.True(t, strings.HasPrefix(outs[4], "cbpay.Response{StatusCode:200"), outs[4])
	assert.Equal(t, "lb=SECRET", res.Response.Header.Get("Set-Cookie"), "the result's own header is left alone")
	assert.Equal(t, "411111", *res.PaymentSource.Card.IIN, "and so are its fields")
}

func TestValidSiteNameIsThePattern(t *testing.T) {
	re := regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	long := "a123456789b123456789c123456789d123456789e123456789f123456789g12"
	for _, s := range []string{"", "a", "acme", "acme-test", "-acme", "Acme", "ac me", "acme.chargebee.com", "0", "a-", "é",
		long, long + "3", "a_b", "a\n"} {
		assert.Equal(t, re.MatchString(s), validSiteName(s), "%q", s)
	}
}

func TestDefaultClientKeepsConnectionsForConcurrentCallers(t *testing.T) {
	c, err := New(WithSite("acme"), WithAPIKey(testKey))
	require.NoError(t, err)
	hc, ok := c.cfg.doer.(*http.Client)
	require.True(t, ok)
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, defaultIdleConns, tr.MaxIdleConnsPerHost)
	assert.Equal(t, defaultIdleConns, tr.MaxIdleConns)
	assert.Equal(t, defaultIdleTimeout, tr.IdleConnTimeout)
	assert.NotNil(t, tr.Proxy, "the environment's proxy, as http.DefaultTransport")
	assert.NotNil(t, hc.CheckRedirect)

	other, err := New(WithSite("acme"), WithAPIKey(testKey))
	require.NoError(t, err)
	assert.NotSame(t, tr, other.cfg.doer.(*http.Client).Transport, "each client has its own pool")
}
