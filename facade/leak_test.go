package cbpay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/rules"
)

// The leak matrix: every operation is called once per field the spec marks
// x-cbpay-sensitive, with a distinctive value in that field, against
// servers that echo the request back in every way a server or proxy might,
// and every text the caller can get from the call (the error and what it
// unwraps to, the parameters, the result, the client, with fmt's verbs and
// log/slog's text and JSON handlers, and the client's own log lines) is
// searched for every secret in every encoding. A failure names the secret
// kind and where it leaked, never the value.

// secretKind is one secret the matrix plants and looks for.
type secretKind struct {
	name  string // "API key", "Basic credentials" or the wire field
	value string
	// basic: value is the Basic credentials, looked for in the forms
	// Base64 takes (padded or not, standard or URL alphabet).
	basic bool
	// digits: a short all-digit value (card[iin], card[last4]), scrubbed as
	// a whole token: it leaks where it stands outside a longer run of digits.
	digits *regexp.Regexp
}

// forms are the encodings a leak of the secret may take.
func (s secretKind) forms() []string {
	v := s.value
	if s.basic {
		return []string{base64.RawStdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v))}
	}
	inner := func(q string) string { return q[1 : len(q)-1] }
	jsonHTML, _ := json.Marshal(v)
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	q, p := url.QueryEscape(v), url.PathEscape(v)
	lower := regexp.MustCompile(`%[0-9A-F]{2}`)
	low := func(s string) string { return lower.ReplaceAllStringFunc(s, strings.ToLower) }
	out := []string{v, q, p, low(q), low(p), inner(string(jsonHTML)), inner(strings.TrimSpace(b.String())),
		inner(strconv.Quote(v)), inner(strconv.QuoteToASCII(v)), html.EscapeString(v)}
	slices.Sort(out)
	return slices.Compact(out)
}

// leaksIn reports whether text holds the secret in any of its forms.
func (s secretKind) leaksIn(text string) bool {
	if s.digits != nil {
		return s.digits.MatchString(text)
	}
	for _, f := range s.forms() {
		if strings.Contains(text, f) {
			return true
		}
	}
	return false
}

// leakOp calls one operation with parameters decoded from JSON (so any
// field the spec names can be set by its wire key).
type leakOp struct {
	base map[string]any // the required fields that are not secrets
	call func(ctx context.Context, c *cbpay.Client, body []byte, opts ...cbpay.RequestOption) (params, result any, err error)
}

func decodeParams[P any](body []byte) *P {
	p := new(P)
	if err := json.Unmarshal(body, p); err != nil {
		panic(err)
	}
	return p
}

func orNil[R any](r *R) any {
	if r == nil {
		return nil
	}
	return r
}

const leakCustomer = "cust_leak"

var leakOps = map[string]leakOp{
	"createPaymentIntent": {
		base: map[string]any{"amount": 5000, "currency_code": "USD"},
		call: func(ctx context.Context, c *cbpay.Client, body []byte, opts ...cbpay.RequestOption) (any, any, error) {
			p := decodeParams[cbpay.CreatePaymentIntentParams](body)
			res, err := c.CreatePaymentIntent(ctx, p, opts...)
			return p, orNil(res), err
		},
	},
	"createPaymentSourceUsingToken": {
		base: map[string]any{"customer_id": leakCustomer},
		call: func(ctx context.Context, c *cbpay.Client, body []byte, opts ...cbpay.RequestOption) (any, any, error) {
			p := decodeParams[cbpay.CreatePaymentSourceUsingTokenParams](body)
			res, err := c.CreatePaymentSourceUsingToken(ctx, p, opts...)
			return p, orNil(res), err
		},
	},
	"createPaymentSourceUsingPermanentToken": {
		base: map[string]any{"customer_id": leakCustomer, "type": "card", "card": map[string]any{"brand": "visa"}},
		call: func(ctx context.Context, c *cbpay.Client, body []byte, opts ...cbpay.RequestOption) (any, any, error) {
			p := decodeParams[cbpay.CreatePaymentSourceUsingPermanentTokenParams](body)
			res, err := c.CreatePaymentSourceUsingPermanentToken(ctx, p, opts...)
			return p, orNil(res), err
		},
	},
	"updatePaymentMethod": {
		base: map[string]any{"payment_method": map[string]any{"type": "card"}},
		call: func(ctx context.Context, c *cbpay.Client, body []byte, opts ...cbpay.RequestOption) (any, any, error) {
			p := decodeParams[cbpay.UpdatePaymentMethodParams](body)
			res, err := c.UpdatePaymentMethod(ctx, leakCustomer, p, opts...)
			return p, orNil(res), err
		},
	},
	"createPaymentSourceUsingPaymentIntent": {
		base: map[string]any{"customer_id": leakCustomer, "payment_intent": map[string]any{"gateway_account_id": "gw_1"}},
		call: func(ctx context.Context, c *cbpay.Client, body []byte, opts ...cbpay.RequestOption) (any, any, error) {
			p := decodeParams[cbpay.CreatePaymentSourceUsingPaymentIntentParams](body)
			res, err := c.CreatePaymentSourceUsingPaymentIntent(ctx, p, opts...)
			return p, orNil(res), err
		},
	},
	"createCardUsingPaymentIntent": {
		base: map[string]any{},
		call: func(ctx context.Context, c *cbpay.Client, body []byte, opts ...cbpay.RequestOption) (any, any, error) {
			p := decodeParams[cbpay.CreateCardUsingPaymentIntentParams](body)
			res, err := c.CreateCardUsingPaymentIntent(ctx, leakCustomer, p, opts...)
			return p, orNil(res), err
		},
	},
}

// leakCall is one call of the matrix: an operation with one secret planted.
type leakCall struct {
	name   string // operationId/wire key
	op     leakOp
	body   []byte // the parameters as JSON
	secret secretKind
}

// leakCalls derives the calls from the spec: one per operation and field it
// marks x-cbpay-sensitive, so a field added to the spec joins the matrix.
func leakCalls(t *testing.T) []leakCall {
	t.Helper()
	spec := rules.Load()
	rng := rand.New(rand.NewPCG(11, 0xcb))
	const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
	randomish := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alnum[rng.IntN(len(alnum))]
		}
		return string(b)
	}
	var calls []leakCall
	for _, id := range slices.Sorted(maps.Keys(spec.Operations)) {
		op, ok := leakOps[id]
		if !ok {
			if slices.ContainsFunc(spec.Operations[id].Keys(), func(k string) bool { return spec.Operations[id].Body[k].Sensitive }) {
				t.Fatalf("operation %s has no call in the leak matrix: add it to leakOps", id)
			}
			continue // nothing sensitive to send (a retrieve, a delete)
		}
		for _, key := range spec.Operations[id].Keys() {
			r := spec.Operations[id].Body[key]
			if !r.Sensitive {
				continue
			}
			var v string
			var digits *regexp.Regexp
			switch {
			case r.MaxLength >= 0 && r.MaxLength < 30:
				// card[iin], card[last4]: short, digits as a card has them.
				// A leading 9 keeps the value from reading as a year or a
				// short length.
				v = "9"
				for len(v) < r.MinLength {
					v += strconv.Itoa(1 + rng.IntN(9))
				}
				if r.Pattern != nil && !r.Pattern.MatchString(v) {
					t.Fatalf("%s %s: the matrix makes digit values; %s needs another kind", id, key, r.Pattern)
				}
				digits = regexp.MustCompile(`(^|[^0-9])` + v + `([^0-9]|$)`)
			default:
				// Long and random-looking, with characters every encoding
				// changes: a space, + / & = " < and a non-ASCII letter.
				v = randomish(12) + " " + randomish(4) + `+/&="<é` + randomish(6)
				if r.MaxLength >= 0 && len([]rune(v)) > r.MaxLength {
					t.Fatalf("%s %s: no room for a distinctive value in %d characters", id, key, r.MaxLength)
				}
			}
			params := deepCopy(op.base)
			segs, err := form.SplitKey(key)
			if err != nil {
				t.Fatal(err)
			}
			var val any = v
			switch r.Type {
			case "string":
			case "object": // free-form JSON marked sensitive: the secret inside it
				val = map[string]any{"document": v}
			default:
				t.Fatalf("%s %s: the matrix has no values of type %s", id, key, r.Type)
			}
			setPath(params, segs, val)
			body, err := json.Marshal(params)
			if err != nil {
				t.Fatal(err)
			}
			calls = append(calls, leakCall{name: id + "/" + key, op: op, body: body,
				secret: secretKind{name: key + " of " + id, value: v, digits: digits}})
		}
	}
	return calls
}

func deepCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = deepCopy(sub)
		}
		out[k] = v
	}
	return out
}

func setPath(m map[string]any, segs []string, v any) {
	for _, s := range segs[:len(segs)-1] {
		sub, ok := m[s].(map[string]any)
		if !ok {
			sub = map[string]any{}
			m[s] = sub
		}
		m = sub
	}
	m[segs[len(segs)-1]] = v
}

// echo is everything a server saw of one request, in the forms servers
// and proxies repeat it.
type echo struct {
	raw     string // the body as sent, percent-encoded
	decoded string // k=v pairs, decoded
	auth    string // the Authorization header
	user    string // the API key, from the Basic credentials
	asJSON  string // the decoded form as a JSON object
}

func echoOf(r *http.Request) echo {
	body, _ := io.ReadAll(r.Body)
	vals, _ := url.ParseQuery(string(body))
	var pairs []string
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		pairs = append(pairs, k+"="+vals.Get(k))
	}
	user, _, _ := r.BasicAuth()
	j, _ := json.Marshal(vals)
	return echo{raw: string(body), decoded: strings.Join(pairs, "&"), auth: r.Header.Get("Authorization"), user: user, asJSON: string(j)}
}

func (e echo) all() string {
	return e.raw + " | " + e.decoded + " | Authorization: " + e.auth + " | key " + e.user + " | " + e.asJSON
}

// leakScenario is one way a call can end. fake scenarios run against
// chargebeetest; the others against serve on an httptest server.
type leakScenario struct {
	name    string
	fake    func(srv *chargebeetest.Server)
	fakeKey string // the key the fake accepts, when not the client's
	serve   func(w http.ResponseWriter, r *http.Request, e echo)
	timeout time.Duration // per attempt; 5s when zero
	// echoes says the scenario sends the request back, so the secrets
	// must be in what the server wrote (checked, so the matrix cannot
	// pass by echoing nothing).
	echoes bool
	// wantErr: the call must fail (every scenario but the fake's success).
	wantErr bool
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// hijack takes the connection to write bytes no handler could.
func hijack(w http.ResponseWriter, raw string, reset bool) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0) // close with RST
	}
	_ = conn.Close()
}

var leakScenarios = []leakScenario{
	{name: "success", fake: func(*chargebeetest.Server) {}},
	{name: "fake 429 HTML then success", fake: func(srv *chargebeetest.Server) {
		srv.FailNext(1, chargebeetest.Fault{Status: 429, Body: chargebeetest.HTMLBody})
	}},
	{name: "fake 401 wrong key", fake: func(*chargebeetest.Server) {}, fakeKey: "live_not_the_clients_key_0000", wantErr: true},
	{name: "4xx echo in message", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		writeJSON(w, 400, map[string]any{"message": "bad request: " + e.all(), "type": "invalid_request",
			"api_error_code": "param_wrong_value", "param": "card[iin]", "http_status_code": 400})
	}},
	{name: "4xx echo in param", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		writeJSON(w, 422, map[string]any{"message": "invalid", "type": "invalid_request", "api_error_code": "param_wrong_value",
			"param": e.all(), "error_param": e.decoded})
	}},
	{name: "4xx echo in api_error_code", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		writeJSON(w, 401, map[string]any{"message": "no", "type": e.user + " " + e.decoded, "api_error_code": e.all(),
			"error_code": e.auth + " " + e.raw, "error_msg": e.all()})
	}},
	{name: "4xx echo in headers", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		h := w.Header()
		h.Set("Set-Cookie", "session="+url.QueryEscape(e.user))
		h.Set("Www-Authenticate", `Basic realm="`+e.user+`"`)
		h.Set("X-Echo-Authorization", e.auth)
		h.Set("X-Echo-Body", e.raw)
		h.Set("Location", "/retry?"+e.raw)
		writeJSON(w, 403, map[string]any{"message": "forbidden", "api_error_code": "forbidden"})
	}},
	{name: "HTML echo", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		fmt.Fprintf(w, "<html><body><h1>502</h1><pre>%s</pre><p>%s</p><!-- %s --></body></html>",
			html.EscapeString(e.all()), e.decoded, e.raw)
	}},
	{name: "2xx echo", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		vals, _ := url.ParseQuery(e.raw)
		keys := map[string]any{e.auth: 1, e.user: true, e.raw: nil}
		for k := range vals {
			v := vals.Get(k)
			keys[v] = v
			if n, err := strconv.Atoi(v); err == nil {
				keys[k] = n // digits echoed as a JSON number
			}
		}
		writeJSON(w, 200, map[string]any{"echo": keys})
	}},
	{name: "decode failure", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		w.Header().Set("Content-Type", "text/plain; echo="+url.QueryEscape(e.decoded+" "+e.auth))
		w.WriteHeader(200)
		_, _ = io.WriteString(w, e.all())
	}},
	{name: "cut body", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "8000")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"echo":`+strconv.Quote(e.all()))
	}},
	{name: "cut error body", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "8000")
		w.WriteHeader(500)
		_, _ = io.WriteString(w, "<pre>"+e.all())
	}},
	{name: "reset", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		hijack(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 8000\r\n\r\n"+e.all(), true)
	}},
	{name: "malformed status line", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		hijack(w, e.all()+"\r\n\r\n", false)
	}},
	{name: "malformed status code", echoes: true, wantErr: true, serve: func(w http.ResponseWriter, _ *http.Request, e echo) {
		hijack(w, "HTTP/1.1 "+e.raw+" OK\r\n\r\n", false)
	}},
	{name: "timeout", wantErr: true, timeout: 30 * time.Millisecond, serve: func(w http.ResponseWriter, r *http.Request, _ echo) {
		<-r.Context().Done()
	}},
}

// fanout sends each record to every handler.
type fanout []slog.Handler

func (f fanout) Enabled(context.Context, slog.Level) bool { return true }
func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}
func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}
func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// logs captures the text and JSON handlers at Debug. Times and durations
// are left out: they are digits that could happen to look like a last4.
type logs struct{ text, json bytes.Buffer }

func (l *logs) logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug, ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "duration" {
			return slog.Attr{}
		}
		return a
	}}
	return slog.New(fanout{slog.NewTextHandler(&l.text, opts), slog.NewJSONHandler(&l.json, opts)})
}

// errorTree lists err and every error it unwraps to.
func errorTree(err error) []error {
	if err == nil {
		return nil
	}
	out := []error{err}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		out = append(out, errorTree(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			out = append(out, errorTree(e)...)
		}
	}
	return out
}

// address is a pointer as fmt prints it (0xc000123456): no secret, but its
// hex digits may read as a last4 (a4242b).
var address = regexp.MustCompile(`\b0x[0-9a-f]{6,}\b`)

// texts is every text the caller can get from one call, by where it came from.
func texts(err error, params, result any, c *cbpay.Client, l *logs) map[string]string {
	out := map[string]string{}
	for i, e := range errorTree(err) {
		where := "error"
		if i > 0 {
			where = fmt.Sprintf("unwrapped error %d (%T)", i, e)
		}
		out[where+": Error()"] = e.Error()
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			out[where+": "+verb] = fmt.Sprintf(verb, e)
		}
	}
	for name, v := range map[string]any{"params": params, "result": result, "client": c} {
		if v == nil {
			continue
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out[name+": "+verb] = fmt.Sprintf(verb, v)
		}
	}
	// The caller logs everything it holds, at Debug, with both handlers.
	l.logger().Debug("call", "err", err, "params", params, "result", result, "client", c)
	if ae := (*cbpay.APIError)(nil); errors.As(err, &ae) {
		l.logger().Debug("api error", "header", ae.Header, "message", ae.Message, "excerpt", ae.Excerpt)
	}
	out["slog text handler"] = l.text.String()
	out["slog JSON handler"] = l.json.String()
	for where, text := range out {
		out[where] = address.ReplaceAllString(text, "0xADDR")
	}
	return out
}

func TestNothingTheClientSentOrHoldsLeaks(t *testing.T) {
	calls := leakCalls(t)
	if len(calls) < 10 {
		t.Fatalf("only %d sensitive fields in the spec: the matrix lost its inputs", len(calls))
	}
	rng := rand.New(rand.NewPCG(5, 0x11))
	keyBytes := make([]byte, 24)
	for i := range keyBytes {
		keyBytes[i] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"[rng.IntN(57)]
	}
	key := "live_" + string(keyBytes)
	common := []secretKind{{name: "API key", value: key}, {name: "Basic credentials", value: key + ":", basic: true}}
	var all []secretKind
	all = append(all, common...)
	for _, c := range calls {
		all = append(all, c.secret)
	}
	n := 0
	for _, sc := range leakScenarios {
		t.Run(sc.name, func(t *testing.T) {
			var srv *chargebeetest.Server
			var hs *httptest.Server
			var (
				mu    sync.Mutex
				wrote bytes.Buffer // what the echo server sent back, all calls
			)
			if sc.fake != nil {
				fakeKey := key
				if sc.fakeKey != "" {
					fakeKey = sc.fakeKey
				}
				srv = chargebeetest.NewServer(chargebeetest.WithAPIKey(fakeKey), chargebeetest.WithCustomers(leakCustomer))
				defer srv.Close()
			} else {
				hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					e := echoOf(r)
					mu.Lock()
					wrote.WriteString(e.all())
					mu.Unlock()
					sc.serve(w, r, e)
				}))
				defer hs.Close()
			}
			for i, call := range calls {
				var l logs
				timeout := sc.timeout
				if timeout == 0 {
					timeout = 5 * time.Second
				}
				opts := []cbpay.Option{cbpay.WithAPIKey(key), cbpay.WithLogger(l.logger()),
					cbpay.WithBackoff(time.Millisecond, 2*time.Millisecond), cbpay.WithTimeout(timeout)}
				var c *cbpay.Client
				var err error
				if srv != nil {
					sc.fake(srv)
					c, err = srv.Client(opts...)
				} else {
					c, err = cbpay.New(append(opts, cbpay.WithBaseURL(hs.URL))...)
				}
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				params, result, callErr := call.op.call(ctx, c, call.body, cbpay.WithIdempotencyKey(fmt.Sprintf("leak-matrix-%d", i)))
				cancel()
				if sc.wantErr != (callErr != nil) {
					// The error is printed only through its type: its text is
					// what this test checks.
					t.Errorf("%s: got error %T, want an error: %v", call.name, callErr, sc.wantErr)
				}
				for where, text := range texts(callErr, params, result, c, &l) {
					for _, s := range append(common, call.secret) {
						n++
						if s.leaksIn(text) {
							t.Errorf("%s: the %s leaked in %s", call.name, s.name, where)
						}
					}
					for _, s := range all[len(common):] { // and no other call's secret either
						if s.value != call.secret.value && s.leaksIn(text) {
							t.Errorf("%s: the %s of another call leaked in %s", call.name, s.name, where)
						}
					}
				}
			}
			if sc.echoes {
				mu.Lock()
				defer mu.Unlock()
				for _, s := range all {
					if !s.leaksIn(wrote.String()) {
						t.Errorf("the server did not echo the %s: the scenario tests nothing for it", s.name)
					}
				}
			}
		})
	}
	t.Logf("%d scenarios x %d calls (%d secret kinds): %d checks", len(leakScenarios), len(calls), len(all), n)
}
