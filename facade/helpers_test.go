package cbpay

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const testKey = "test_Zx81kQ2mPq"

// captured is one request as the server saw it.
type captured struct {
	Method  string
	Path    string // escaped, as on the wire
	Header  http.Header
	Body    string
	Form    url.Values
	User    string
	Pass    string
	HasAuth bool
}

// reply is what the stub answers to one request.
type reply struct {
	Status int
	Header map[string]string
	Body   string
	Hang   time.Duration // wait before answering (or until the request ends)
	Drop   bool          // close the connection without answering
	Short  bool          // declare a longer body than is sent, then close
}

// stub is an httptest server that records requests and answers from a
// queue of replies, then with the last one again.
type stub struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []captured
	replies []reply
}

func newStub(t *testing.T, replies ...reply) *stub {
	t.Helper()
	s := &stub{replies: replies}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *stub) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	u, p, ok := r.BasicAuth()
	s.mu.Lock()
	s.reqs = append(s.reqs, captured{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(),
		Body: string(body), Form: form, User: u, Pass: p, HasAuth: ok})
	rep := reply{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: `{}`}
	if len(s.replies) > 0 {
		rep = s.replies[0]
		if len(s.replies) > 1 {
			s.replies = s.replies[1:]
		}
	}
	s.mu.Unlock()
	if rep.Hang > 0 {
		select {
		case <-time.After(rep.Hang):
		case <-r.Context().Done():
			return
		}
	}
	if rep.Drop {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return
	}
	for k, v := range rep.Header {
		w.Header().Set(k, v)
	}
	if rep.Short {
		w.Header().Set("Content-Length", strconv.Itoa(len(rep.Body)+100))
	}
	w.WriteHeader(rep.Status)
	_, _ = io.WriteString(w, rep.Body)
}

func (s *stub) requests() []captured {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]captured(nil), s.reqs...)
}

func jsonReply(status int, body string) reply {
	return reply{Status: status, Header: map[string]string{"Content-Type": "application/json;charset=utf-8"}, Body: body}
}

// newTestClient returns a client of the stub with fast retries.
func newTestClient(t *testing.T, s *stub, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithBaseURL(s.URL), WithAPIKey(testKey), WithBackoff(time.Millisecond, 4*time.Millisecond)}
	c, err := New(append(base, opts...)...)
	require.NoError(t, err)
	return c
}

var bg = context.Background()

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

const paymentSourceJSON = `{"customer":{"id":"cust_1","object":"customer","auto_collection":"on","net_term_days":0,"allow_direct_debit":false,"created_at":1763798400,"deleted":false,"primary_payment_source_id":"pm_1","unknown_new_field":{"x":1}},
"payment_source":{"id":"pm_1","customer_id":"cust_1","type":"card","reference_id":"tok/1","status":"valid","gateway":"stripe","gateway_account_id":"gw_1","deleted":false,"created_at":1763798460,
"card":{"iin":"411111","last4":"1111","brand":"visa","funding_type":"credit","expiry_month":12,"expiry_year":2030,"masked_number":"************1111"}}}`

const paymentIntentJSON = `{"payment_intent":{"id":"pi_1","status":"inited","currency_code":"USD","amount":0,"gateway_account_id":"gw_1","expires_at":1763800200,"created_at":1763798400,"payment_method_type":"card"}}`

const customerCardJSON = `{"customer":{"id":"cust 7/é","created_at":1763798400,"deleted":false,"payment_method":{"type":"card","status":"valid","reference_id":"r"}},
"card":{"payment_source_id":"pm_2","customer_id":"cust 7/é","status":"valid","last4":"4242","card_type":"visa"}}`

// keyScrubber is the scrubber of a call that sent no sensitive field.
func keyScrubber(key string) *scrubber {
	s := &scrubber{}
	s.addKey(key)
	return s.finish()
}

// noSecret fails the test when text holds one of secrets, naming where
// and which (by position), never the text: testify's NotContains would
// print the secret it found.
func noSecret(t *testing.T, text, where string, secrets ...string) {
	t.Helper()
	for i, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s shows secret %d", where, i)
		}
	}
}

// fakeClock answers Sleep at once, moving its time on, and records every
// wait asked of it: retry timing without waiting for it.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits []time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits = append(f.waits, d)
	f.now = f.now.Add(d)
	return nil
}

// withClock replaces the client's clock.
func withClock(c clock) Option { return func(cfg *config) { cfg.clock = c } }
