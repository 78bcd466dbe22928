package cbpay

import (
	"log/slog"
	"net/http"
	"time"
)

// Doer sends one HTTP request; *http.Client is one.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Option configures a Client.
type Option func(*config)

type config struct {
	site          string
	apiKey        secret
	testSite      bool
	baseURL       string
	doer          Doer
	defaults      []RequestOption
	uaSuffix      string
	timeout       time.Duration
	noValidation  bool
	retry         retryPolicy
	logger        *slog.Logger
	allowInsecure bool
	maxBody       int64
	newKey        func() string
	clock         clock
}

// WithSite sets the Chargebee site by its name as in its host: "acme" for
// the live site acme.chargebee.com, "acme-test" for its test site
// acme-test.chargebee.com. CHARGEBEE_SITE (NewFromEnv) and the cbpay
// command's --site follow the same rule.
func WithSite(site string) Option { return func(c *config) { c.site = site } }

// WithAPIKey sets the API key. It is sent as the Basic auth user name and
// never appears in errors, logs or formatted output.
func WithAPIKey(key string) Option { return func(c *config) { c.apiKey = secret(key) } }

// WithTestSite targets the site's test environment, {site}-test.chargebee.com.
func WithTestSite() Option { return func(c *config) { c.testSite = true } }

// WithBaseURL replaces the site URL, for a fake server or a proxy. It is the
// site root ("http://127.0.0.1:8080"); /api/v2 and /api/v1 are added.
// Plain http is refused except to a loopback address unless
// WithInsecureHTTP is given too.
func WithBaseURL(u string) Option { return func(c *config) { c.baseURL = u } }

// WithHTTPClient sends requests through d instead of the default client,
// which follows no redirects; keep redirects off in d as well, so the
// credentials cannot follow one elsewhere.
func WithHTTPClient(d Doer) Option { return func(c *config) { c.doer = d } }

// WithRequestDefaults applies opts to every request of the client, before the
// call's own options (which win for the same header).
func WithRequestDefaults(opts ...RequestOption) Option {
	return func(c *config) { c.defaults = append(c.defaults, opts...) }
}

// WithUserAgentSuffix appends s to the User-Agent header, to name your
// service in Chargebee's logs.
func WithUserAgentSuffix(s string) Option { return func(c *config) { c.uaSuffix = s } }

// WithTimeout bounds each attempt of a call (default 30s). The whole call,
// retries included, is bounded by the context passed to it.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// WithoutValidation turns off the spec-derived checks of parameters before
// sending, leaving them to Chargebee. Empty path ids and header values with
// CR or LF are refused regardless.
func WithoutValidation() Option { return func(c *config) { c.noValidation = true } }

// WithRetries sets how many times a call is retried after its first attempt
// (default 2; 0 turns retries off).
func WithRetries(n int) Option { return func(c *config) { c.retry.maxRetries = n } }

// WithBackoff sets the first retry wait and the cap of the exponential
// backoff (defaults 500ms and 8s). Each wait is jittered to between half and
// all of its value.
func WithBackoff(base, max time.Duration) Option {
	return func(c *config) { c.retry.base, c.retry.max = base, max }
}

// WithMaxRetryAfter sets the longest Retry-After the client waits for
// (default 30s). A longer one ends the retries and returns the error.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) { c.retry.maxRetryAfter = d }
}

// WithRetryStatuses sets the HTTP statuses that are retried (default 429,
// 500, 502, 503 and 504). Transient network errors (a connection refused,
// reset or cut, a timeout) are retried too while retries remain.
func WithRetryStatuses(codes ...int) Option {
	return func(c *config) { c.retry.statuses = append([]int(nil), codes...) }
}

// WithLogger logs one line per attempt (operation, status, attempt,
// duration, idempotency key, retry decision) to l. Off by default. Bodies,
// the API key and tokens are never logged; a decision that quotes a
// transport error is scrubbed like the error.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithInsecureHTTP allows a plain http base URL to a host that is not a
// loopback address, sending the API key in clear. For tests only.
func WithInsecureHTTP() Option { return func(c *config) { c.allowInsecure = true } }

// WithMaxResponseBytes caps the response body the client reads (default 4 MiB).
func WithMaxResponseBytes(n int64) Option { return func(c *config) { c.maxBody = n } }
