package cbpay

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/cbpay/cbpay/internal/loopback"
	"github.com/cbpay/cbpay/internal/rules"
)

// Version is the library version sent in the User-Agent.
const Version = "0.2.0"

const (
	defaultTimeout = 30 * time.Second
	defaultMaxBody = 4 << 20
	// defaultIdleConns is how many idle connections the default client
	// keeps, all for the one Chargebee host a client talks to: enough for
	// 64 concurrent callers to reuse their connections instead of opening
	// one per call (http.DefaultTransport keeps 2 per host).
	defaultIdleConns = 100
	// defaultIdleTimeout closes connections idle for longer, as
	// http.DefaultTransport does.
	defaultIdleTimeout = 90 * time.Second
)

// Environment variables read by NewFromEnv.
const (
	EnvSite   = "CHARGEBEE_SITE"
	EnvAPIKey = "CHARGEBEE_API_KEY"
)

// Client calls Chargebee's payment-method operations for one site. It holds
// no per-call state and is safe for concurrent use.
type Client struct {
	cfg    config // its apiKey is cleared once the closures below hold it
	server string // the site root, ending in "/": the spec's paths carry /api/v2 or /api/v1
	ops    operations
	// endpoints are the operations' URLs, by operation index, learnt once
	// from the generated request builders.
	endpoints [numOps]endpoint
	// authorize sets the Authorization header. The key lives only in this
	// closure and in secrets (which adds it to a failed call's scrubber),
	// out of reach of anything that dumps the struct by reflection (%+v of a
	// struct holding a Client, testify's diffs).
	authorize func(*http.Request)
	secrets   func(*scrubber)
	ua        string
}

// validSiteName reports whether site is a site's name as Chargebee allows
// it: ^[a-z0-9][a-z0-9-]{0,62}$. (A regexp of that shape costs 50 KB and
// 0.2 ms to compile when the program starts.)
func validSiteName(site string) bool {
	if site == "" || len(site) > 63 || site[0] == '-' {
		return false
	}
	for i := 0; i < len(site); i++ {
		if c := site[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// New returns a client configured by opts. It needs an API key and either a
// site or a base URL, and refuses bad configuration with an error.
func New(opts ...Option) (*Client, error) {
	cfg := config{
		timeout: defaultTimeout,
		maxBody: defaultMaxBody,
		retry:   defaultRetryPolicy(),
		newKey:  newIdempotencyKey,
		clock:   realClock{},
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	base, err := cfg.siteURL()
	if err != nil {
		return nil, err
	}
	if cfg.apiKey == "" {
		return nil, errors.New("cbpay: no API key: use WithAPIKey or " + EnvAPIKey)
	}
	if strings.ContainsAny(string(cfg.apiKey), "\r\n") {
		return nil, errors.New("cbpay: the API key contains CR or LF")
	}
	if cfg.timeout <= 0 {
		return nil, fmt.Errorf("cbpay: timeout must be positive, got %v", cfg.timeout)
	}
	if cfg.maxBody <= 0 {
		return nil, fmt.Errorf("cbpay: max response bytes must be positive, got %d", cfg.maxBody)
	}
	if err := cfg.retry.check(); err != nil {
		return nil, err
	}
	if strings.ContainsAny(cfg.uaSuffix, "\r\n") {
		return nil, errors.New("cbpay: the user-agent suffix contains CR or LF")
	}
	if err := checkDefaults(cfg.defaults); err != nil {
		return nil, err
	}
	if isNil(cfg.doer) {
		if cfg.doer != nil {
			return nil, errors.New("cbpay: WithHTTPClient was given a nil client")
		}
		cfg.doer = &http.Client{Transport: defaultTransport(), CheckRedirect: noRedirects}
	}
	key := string(cfg.apiKey)
	c := &Client{cfg: cfg, ops: ops(), secrets: func(s *scrubber) { s.addKey(key) }}
	if c.ops.err != nil {
		return nil, fmt.Errorf("cbpay: embedded spec: %w", c.ops.err)
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(string(cfg.apiKey)+":"))
	c.authorize = func(r *http.Request) { r.Header.Set("Authorization", auth) }
	c.cfg.apiKey = ""
	c.ua = "cbpay-go/" + Version
	if cfg.uaSuffix != "" {
		c.ua += " " + cfg.uaSuffix
	}
	// The site root: the spec's paths carry the API version (/api/v2/...,
	// /api/v1/...). The generated request builders resolve paths against
	// it, and it must end in "/" or its last segment is dropped.
	c.server = base + "/"
	for _, op := range c.ops.list {
		if c.endpoints[op.index], err = newEndpoint(op, c.server); err != nil {
			return nil, fmt.Errorf("cbpay: %s: %w", op.id, err)
		}
	}
	return c, nil
}

// defaultTransport is http.DefaultTransport's configuration (proxy from
// the environment, dial and TLS timeouts, HTTP/2) with room for
// defaultIdleConns idle connections to the one host. Each client has its
// own, so that no client's pool is another's.
func defaultTransport() *http.Transport {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else { // replaced by the program: start from the same settings
		t = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		}
	}
	t.MaxIdleConns = defaultIdleConns
	t.MaxIdleConnsPerHost = defaultIdleConns
	t.IdleConnTimeout = defaultIdleTimeout
	return t
}

// NewFromEnv is New with the site and API key read from CHARGEBEE_SITE and
// CHARGEBEE_API_KEY; opts are applied after them and win. CHARGEBEE_SITE is
// the site's name as in its host, like WithSite: "acme-test" is the test
// site, "acme" the live one (WithTestSite picks the test site of either).
func NewFromEnv(opts ...Option) (*Client, error) {
	var env []Option
	if s := os.Getenv(EnvSite); s != "" {
		env = append(env, WithSite(s))
	}
	if k := os.Getenv(EnvAPIKey); k != "" {
		env = append(env, WithAPIKey(k))
	}
	return New(append(env, opts...)...)
}

// siteURL returns the site root without a trailing slash.
func (cfg *config) siteURL() (string, error) {
	if cfg.baseURL != "" {
		u, err := url.Parse(cfg.baseURL)
		if err != nil {
			return "", fmt.Errorf("cbpay: base URL: %w", err)
		}
		if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			return "", fmt.Errorf("cbpay: base URL %q must be an absolute http(s) URL", u.Redacted())
		}
		if u.User != nil {
			return "", errors.New("cbpay: base URL must not carry credentials: use WithAPIKey")
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return "", fmt.Errorf("cbpay: base URL %q must have no query or fragment", u.Redacted())
		}
		if p := strings.TrimRight(u.Path, "/"); strings.HasSuffix(p, "/api/v2") || strings.HasSuffix(p, "/api/v1") {
			return "", fmt.Errorf("cbpay: base URL %q must be the site root, without /api/v1 or /api/v2", u.Redacted())
		}
		if u.Scheme == "http" && !cfg.allowInsecure && !loopback.Host(u.Hostname()) {
			return "", fmt.Errorf("cbpay: base URL %q is plain http to a host that is not loopback: the API key would travel in clear (WithInsecureHTTP allows it)", u.String())
		}
		return strings.TrimRight(u.String(), "/"), nil
	}
	if cfg.site == "" {
		return "", errors.New("cbpay: no site: use WithSite, " + EnvSite + " or WithBaseURL")
	}
	site := cfg.site
	if !validSiteName(site) {
		return "", fmt.Errorf("cbpay: site %q must be the site's name, like \"acme\" for acme.chargebee.com", site)
	}
	if cfg.testSite && !strings.HasSuffix(site, "-test") {
		site += "-test"
	}
	return "https://" + site + ".chargebee.com", nil
}

// noRedirects keeps the default client from following redirects: Chargebee's
// API does not redirect, and following one could carry the Authorization
// header to another scheme or host. The 3xx comes back as an *APIError.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// isNil reports whether d is nil, or an interface holding a nil pointer.
func isNil(d Doer) bool {
	if d == nil {
		return true
	}
	v := reflect.ValueOf(d)
	switch v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Interface, reflect.Slice, reflect.Chan:
		return v.IsNil()
	}
	return false
}

// checkDefaults refuses client-wide request options that must differ per
// call: an idempotency key shared by every call would replay the first
// call's answer to all the others.
func checkDefaults(defaults []RequestOption) error {
	var rc requestConfig
	for _, o := range defaults {
		if o != nil {
			o(&rc)
		}
	}
	for _, h := range rc.headers {
		switch {
		case strings.EqualFold(h.name, HeaderIdempotencyKey):
			return errors.New("cbpay: an idempotency key cannot be a client default: pass WithIdempotencyKey per call")
		case !validHeaderName(h.name):
			return fmt.Errorf("cbpay: default header %q is not a valid header name", h.name)
		case reservedHeaders[http.CanonicalHeaderKey(h.name)]:
			return fmt.Errorf("cbpay: default header %s is set by the client and cannot be replaced", h.name)
		}
		if msg := rules.CheckHeaderSafety(h.value); msg != "" {
			return fmt.Errorf("cbpay: default header %s %s", h.name, msg)
		}
	}
	return nil
}

// String describes the client without its API key.
func (c Client) String() string {
	return fmt.Sprintf("cbpay.Client{server: %s, apiKey: %s}", strings.TrimSuffix(c.server, "/"), redacted)
}

// Format prints String for every verb, so neither %+v nor %#v reaches the
// fields that hold the key.
func (c Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue logs String, with log/slog's text and JSON handlers alike.
func (c Client) LogValue() slog.Value { return slog.StringValue(c.String()) }
