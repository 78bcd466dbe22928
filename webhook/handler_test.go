package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/cbpay/cbpay/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testUser = "cb_hooks"
	testPass = "s3cret-Pa55:with-colon"
)

// recorder is a callback that keeps the events it was given and fails
// while fail says so.
type recorder struct {
	mu     sync.Mutex
	events []*webhook.Event
	fail   error
}

func (r *recorder) handle(_ context.Context, e *webhook.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	return r.fail
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

func newHandler(t *testing.T, rec *recorder, opts ...webhook.Option) *webhook.Handler {
	t.Helper()
	if len(opts) == 0 {
		opts = []webhook.Option{webhook.WithBasicAuth(testUser, testPass)}
	}
	h, err := webhook.NewHandler(rec.handle, opts...)
	require.NoError(t, err)
	return h
}

// delivery is a request as Chargebee sends it, with the test credentials.
func delivery(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/chargebee/webhook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	r.SetBasicAuth(testUser, testPass)
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandlerAuth(t *testing.T) {
	body := fixture(t, "payment_source_added")
	cases := []struct {
		name string
		set  func(r *http.Request)
		want int
	}{
		{"right credentials", func(r *http.Request) {}, 200},
		{"wrong user", func(r *http.Request) { r.SetBasicAuth("cb_hook", testPass) }, 401},
		{"wrong password", func(r *http.Request) { r.SetBasicAuth(testUser, testPass+"x") }, 401},
		{"password prefix", func(r *http.Request) { r.SetBasicAuth(testUser, testPass[:5]) }, 401},
		{"swapped", func(r *http.Request) { r.SetBasicAuth(testPass, testUser) }, 401},
		{"empty", func(r *http.Request) { r.SetBasicAuth("", "") }, 401},
		{"missing", func(r *http.Request) { r.Header.Del("Authorization") }, 401},
		{"not basic", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+testPass) }, 401},
		{"not base64", func(r *http.Request) { r.Header.Set("Authorization", "Basic %%%") }, 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			r := delivery(body)
			tc.set(r)
			w := serve(newHandler(t, rec), r)
			assert.Equal(t, tc.want, w.Code)
			if tc.want == 401 {
				assert.Equal(t, `Basic realm="Chargebee webhook", charset="UTF-8"`, w.Header().Get("WWW-Authenticate"))
				assert.Zero(t, rec.count(), "the callback is not called")
				assert.NotContains(t, w.Body.String(), testPass)
				assert.NotContains(t, w.Body.String(), "pm_")
			} else {
				assert.Equal(t, 1, rec.count())
			}
		})
	}
}

func TestHandlerWithoutAuth(t *testing.T) {
	rec := &recorder{}
	h := newHandler(t, rec, webhook.WithoutAuth())
	r := delivery(fixture(t, "payment_source_added"))
	r.Header.Del("Authorization")
	assert.Equal(t, 200, serve(h, r).Code)
	r = delivery(fixture(t, "payment_source_added"))
	r.SetBasicAuth("anyone", "anything")
	assert.Equal(t, 200, serve(h, r).Code)
	assert.Equal(t, 2, rec.count())
}

// TestHandlerRotatesCredentials: two pairs are accepted, each only whole.
func TestHandlerRotatesCredentials(t *testing.T) {
	rec := &recorder{}
	h := newHandler(t, rec, webhook.WithBasicAuth("old", "old-pass"), webhook.WithBasicAuth("new", "new-pass"))
	body := fixture(t, "payment_source_added")
	for _, c := range []struct {
		user, pass string
		want       int
	}{{"old", "old-pass", 200}, {"new", "new-pass", 200}, {"old", "new-pass", 401}, {"new", "old-pass", 401}} {
		r := delivery(body)
		r.SetBasicAuth(c.user, c.pass)
		assert.Equal(t, c.want, serve(h, r).Code, c.user+":"+c.pass)
	}
}

func TestNewHandlerNeedsACredentialChoice(t *testing.T) {
	fn := func(context.Context, *webhook.Event) error { return nil }
	cases := map[string]struct {
		fn   func(context.Context, *webhook.Event) error
		opts []webhook.Option
		msg  string
	}{
		"nothing":        {fn, nil, "no credentials"},
		"both":           {fn, []webhook.Option{webhook.WithoutAuth(), webhook.WithBasicAuth("u", "p")}, "both"},
		"empty password": {fn, []webhook.Option{webhook.WithBasicAuth("u", "")}, "needs a user name and a password"},
		"empty user":     {fn, []webhook.Option{webhook.WithBasicAuth("", "p")}, "needs a user name and a password"},
		"colon in user":  {fn, []webhook.Option{webhook.WithBasicAuth("u:v", "p")}, "cannot contain ':'"},
		"no callback":    {nil, []webhook.Option{webhook.WithoutAuth()}, "needs a callback"},
	}
	for name, tc := range cases {
		h, err := webhook.NewHandler(tc.fn, tc.opts...)
		assert.Nil(t, h, name)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.msg, name)
	}
}

func TestHandlerBodyCap(t *testing.T) {
	body := fixture(t, "payment_source_added")
	rec := &recorder{}
	limit := int64(len(body))
	h := newHandler(t, rec, webhook.WithBasicAuth(testUser, testPass), webhook.WithMaxBodyBytes(limit))

	assert.Equal(t, 200, serve(h, delivery(body)).Code, "a body of exactly the limit")

	big := append(bytes.Clone(body), ' ')
	assert.Equal(t, 413, serve(h, delivery(big)).Code, "declared Content-Length over the limit")

	// A body of unknown length is cut at the limit while read.
	r := delivery(nil)
	r.Body = io.NopCloser(bytes.NewReader(big))
	r.ContentLength = -1
	assert.Equal(t, 413, serve(h, r).Code, "chunked body over the limit")
	assert.Equal(t, 1, rec.count())

	// The default is 1 MiB.
	h = newHandler(t, rec)
	huge := append([]byte(`{"id":"ev_1","event_type":"x","pad":"`), bytes.Repeat([]byte("a"), webhook.DefaultMaxBodyBytes)...)
	huge = append(huge, `"}`...)
	assert.Equal(t, 413, serve(h, delivery(huge)).Code)
}

func TestHandlerMethods(t *testing.T) {
	rec := &recorder{}
	h := newHandler(t, rec)
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		r := delivery(fixture(t, "payment_source_added"))
		r.Method = m
		w := serve(h, r)
		assert.Equal(t, 405, w.Code, m)
		assert.Equal(t, "POST", w.Header().Get("Allow"), m)
	}
	assert.Zero(t, rec.count())
}

func TestHandlerContentType(t *testing.T) {
	rec := &recorder{}
	h := newHandler(t, rec)
	for ct, want := range map[string]int{
		"application/json":                  200,
		"application/json; charset=utf-8":   200,
		"Application/JSON":                  200,
		"application/vnd.chargebee+json":    200,
		"":                                  200,
		"text/plain":                        415,
		"application/x-www-form-urlencoded": 415,
		"application/json; charset=\"":      415,
	} {
		r := delivery(fixture(t, "payment_source_added"))
		r.Header.Set("Content-Type", ct)
		if ct == "" {
			r.Header.Del("Content-Type")
		}
		assert.Equal(t, want, serve(h, r).Code, ct)
	}
}

func TestHandlerBadJSON(t *testing.T) {
	rec := &recorder{}
	h := newHandler(t, rec)
	for _, body := range []string{`{"id":"ev_1","event_type":`, `[]`, `{"event_type":"card_added"}`, `{"id":"ev_1"}`, ``} {
		w := serve(h, delivery([]byte(body)))
		assert.Equal(t, 400, w.Code, body)
		assert.Equal(t, "not a Chargebee event\n", w.Body.String())
	}
	assert.Zero(t, rec.count())
}

// TestHandlerUnknownEventPassedThrough: an event type without a constant
// reaches the callback, and a nil return answers 200.
func TestHandlerUnknownEventPassedThrough(t *testing.T) {
	rec := &recorder{}
	w := serve(newHandler(t, rec), delivery(fixture(t, "subscription_created")))
	assert.Equal(t, 200, w.Code)
	require.Equal(t, 1, rec.count())
	assert.Equal(t, webhook.EventType("subscription_created"), rec.events[0].Type)
}

// TestHandlerCallbackErrorIsRetried: an error answers 500, which Chargebee
// retries; the same delivery then succeeds.
func TestHandlerCallbackErrorIsRetried(t *testing.T) {
	rec := &recorder{fail: errors.New("database down")}
	h := newHandler(t, rec)
	body := fixture(t, "payment_intent_created")
	w := serve(h, delivery(body))
	assert.Equal(t, 500, w.Code)
	assert.NotContains(t, w.Body.String(), "database", "the callback's error is not sent back")

	rec.fail = nil
	assert.Equal(t, 200, serve(h, delivery(body)).Code)
	require.Equal(t, 2, rec.count())
	assert.Equal(t, rec.events[0].ID, rec.events[1].ID, "a retry is the same event")
}

func TestHandlerPassesTheRequestContext(t *testing.T) {
	type key struct{}
	var got any
	h, err := webhook.NewHandler(func(ctx context.Context, _ *webhook.Event) error {
		got = ctx.Value(key{})
		return nil
	}, webhook.WithoutAuth())
	require.NoError(t, err)
	r := delivery(fixture(t, "card_added"))
	r = r.WithContext(context.WithValue(r.Context(), key{}, "v"))
	serve(h, r)
	assert.Equal(t, "v", got)
}

func TestHandlerDeduper(t *testing.T) {
	rec := &recorder{}
	d := webhook.NewMemoryDeduper(0)
	h := newHandler(t, rec, webhook.WithBasicAuth(testUser, testPass), webhook.WithDeduper(d))
	added := fixture(t, "payment_source_added")

	// A failed delivery is not recorded: its retry is processed.
	rec.fail = errors.New("busy")
	assert.Equal(t, 500, serve(h, delivery(added)).Code)
	rec.fail = nil
	assert.Equal(t, 200, serve(h, delivery(added)).Code)
	assert.Equal(t, 2, rec.count())

	// Once processed, a repeated delivery is answered 200 without calling back.
	assert.Equal(t, 200, serve(h, delivery(added)).Code)
	assert.Equal(t, 2, rec.count())

	// Other events are not affected.
	assert.Equal(t, 200, serve(h, delivery(fixture(t, "payment_source_updated"))).Code)
	assert.Equal(t, 3, rec.count())
}

type failingDeduper struct{ seenErr, processedErr error }

func (f failingDeduper) Seen(context.Context, string) (bool, error) { return false, f.seenErr }
func (f failingDeduper) Processed(context.Context, string) error    { return f.processedErr }

func TestHandlerDeduperErrors(t *testing.T) {
	rec := &recorder{}
	body := fixture(t, "payment_source_added")
	h := newHandler(t, rec, webhook.WithoutAuth(), webhook.WithDeduper(failingDeduper{seenErr: errors.New("redis down")}))
	assert.Equal(t, 500, serve(h, delivery(body)).Code, "unknown whether seen: Chargebee retries")
	assert.Zero(t, rec.count())

	h = newHandler(t, rec, webhook.WithoutAuth(), webhook.WithDeduper(failingDeduper{processedErr: errors.New("redis down")}))
	assert.Equal(t, 200, serve(h, delivery(body)).Code, "processed: answering otherwise would process it again")
	assert.Equal(t, 1, rec.count())
}

func TestMemoryDeduperForgetsTheOldest(t *testing.T) {
	ctx := context.Background()
	d := webhook.NewMemoryDeduper(2)
	for _, id := range []string{"a", "b", "a", "c"} { // a is used again before c comes
		require.NoError(t, d.Processed(ctx, id))
	}
	for id, want := range map[string]bool{"a": true, "b": false, "c": true, "d": false} {
		seen, err := d.Seen(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, seen, id)
	}
}

// TestHandlerLogsNoSecrets: refusals and failures are logged by event id and
// type, never with the credentials, the body or its card data.
func TestHandlerLogsNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	rec := &recorder{fail: errors.New("boom")}
	h := newHandler(t, rec, webhook.WithBasicAuth(testUser, testPass), webhook.WithLogger(logger),
		webhook.WithDeduper(webhook.NewMemoryDeduper(10)))
	body := fixture(t, "card_added")

	r := delivery(body)
	r.SetBasicAuth(testUser, "guess-"+testPass)
	serve(h, r)
	serve(h, delivery([]byte(`{"id":"ev_1","event_type":"card_added","content":{"card":{"last4":4242}}}`)))
	serve(h, delivery(body)) // callback fails
	rec.fail = nil
	serve(h, delivery(body))
	serve(h, delivery(body)) // duplicate

	out := buf.String()
	assert.Contains(t, out, "credentials refused")
	assert.Contains(t, out, "not a Chargebee event")
	assert.Contains(t, out, "callback failed")
	assert.Contains(t, out, "event.id=ev_16BPgETyVrQbiGhA9 event.type=card_added")
	assert.Contains(t, out, "duplicate delivery skipped")
	for _, leak := range []string{testPass, "guess", "Basic ", "4242", "ada@example.com", "Lovelace"} {
		assert.NotContains(t, out, leak)
	}
	assert.False(t, strings.Contains(out, testUser), "not even the user name")
}
