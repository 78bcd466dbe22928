package cbpay

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

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
		assert.NotContains(t, out, testKey, verb)
		assert.NotContains(t, out, basic, verb)
	}
}

func TestSiteURLs(t *testing.T) {
	c, err := New(WithSite("acme"), WithAPIKey("k"))
	require.NoError(t, err)
	assert.Equal(t, "https://acme.chargebee.com/api/v2/", c.v2.Server)
	assert.Equal(t, "https://acme.chargebee.com/api/v1/", c.v1.Server)
	c, err = New(WithSite("acme"), WithTestSite(), WithAPIKey("k"))
	require.NoError(t, err)
	assert.Equal(t, "https://acme-test.chargebee.com/api/v2/", c.v2.Server)
	c, err = New(WithBaseURL("http://localhost:8080/"), WithAPIKey("k"))
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:8080/api/v2/", c.v2.Server)
	_, err = New(WithBaseURL("http://10.0.0.5:8080"), WithAPIKey("k"), WithInsecureHTTP())
	assert.NoError(t, err)
}

func TestNewFromEnv(t *testing.T) {
	t.Setenv(EnvSite, "envsite")
	t.Setenv(EnvAPIKey, "envkey")
	c, err := NewFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "https://envsite.chargebee.com/api/v2/", c.v2.Server)
	c, err = NewFromEnv(WithSite("other"))
	require.NoError(t, err)
	assert.Equal(t, "https://other.chargebee.com/api/v2/", c.v2.Server, "options win over the environment")
	t.Setenv(EnvAPIKey, "")
	_, err = NewFromEnv()
	assert.ErrorContains(t, err, EnvAPIKey)
}

func TestFormattingNeverShowsSecrets(t *testing.T) {
	c, err := New(WithSite("acme"), WithAPIKey(testKey))
	require.NoError(t, err)
	p := fullPermanentToken()
	p.ReferenceId = Ptr("cus_SECRET/card_SECRET")
	tok := &CreateUsingTokenParams{CustomerId: "cust_1", TokenId: "cb_tok_SECRET"}
	upd := &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "direct_debit", TmpToken: Ptr("tmp_SECRET")}}
	card := &CardUsingPaymentIntentParams{GwToken: Ptr("gw_SECRET"), PaymentIntentId: Ptr("pi_1")}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{c, *c, p, *p, tok, *tok, upd, card} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, testKey, verb)
			assert.NotContains(t, out, base64.StdEncoding.EncodeToString([]byte(testKey+":")), verb)
			for _, secret := range []string{"SECRET", "pm_123", "cus_9", "411111", "\"1111\"", ":1111", "123.456"} {
				assert.NotContains(t, out, secret, "%s of %T: %s", verb, v, out)
			}
		}
	}
	assert.Equal(t, "{customer_id:cust_1 token_id:[REDACTED]}", fmt.Sprint(tok))
	assert.Contains(t, fmt.Sprint(p), "card[brand]:visa")
	assert.Contains(t, fmt.Sprint(p), "card[last4]:[REDACTED]")
	assert.Contains(t, fmt.Sprint(p), "additional_information:{…}")
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
