package cbpay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func unavailable(retryAfter string) reply {
	r := jsonReply(503, `{"message":"try later","api_error_code":"internal_temporary_error"}`)
	if retryAfter != "" {
		r.Header["Retry-After"] = retryAfter
	}
	return r
}

func TestRetriesReuseOneIdempotencyKey(t *testing.T) {
	s := newStub(t, unavailable(""), reply{Drop: true}, jsonReply(200, paymentSourceJSON))
	c := newTestClient(t, s)
	res, err := c.CreatePaymentSourceUsingToken(ctx(t), &CreatePaymentSourceUsingTokenParams{CustomerID: "cust_1", TokenID: "tok_1"})
	require.NoError(t, err)
	reqs := s.requests()
	require.Len(t, reqs, 3)
	key := reqs[0].Header.Get(HeaderIdempotencyKey)
	assert.Regexp(t, uuidV4, key)
	for _, r := range reqs {
		assert.Equal(t, key, r.Header.Get(HeaderIdempotencyKey))
		assert.Equal(t, "customer_id=cust_1&token_id=tok_1", r.Body, "the body is sent whole on every attempt")
	}
	assert.Equal(t, 3, res.Response.Attempts)
	assert.Equal(t, key, res.Response.IdempotencyKey)
}

func TestEachCallGetsItsOwnKeyAndTheCallersKeyWins(t *testing.T) {
	s := newStub(t, unavailable(""), jsonReply(200, paymentIntentJSON))
	c := newTestClient(t, s)
	_, err := c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithIdempotencyKey("order-7"))
	require.NoError(t, err)
	_, err = c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.NoError(t, err)
	_, err = c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.NoError(t, err)
	reqs := s.requests()
	require.Len(t, reqs, 4)
	assert.Equal(t, "order-7", reqs[0].Header.Get(HeaderIdempotencyKey))
	assert.Equal(t, "order-7", reqs[1].Header.Get(HeaderIdempotencyKey))
	assert.NotEqual(t, reqs[2].Header.Get(HeaderIdempotencyKey), reqs[3].Header.Get(HeaderIdempotencyKey))
}

func TestReplayedFlag(t *testing.T) {
	r := jsonReply(200, paymentIntentJSON)
	r.Header[HeaderReplayed] = "true"
	s := newStub(t, r)
	res, err := newTestClient(t, s).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.NoError(t, err)
	assert.True(t, res.Response.Replayed)
}

func TestRetriedStatuses(t *testing.T) {
	for _, status := range []int{429, 500, 502, 503, 504} {
		s := newStub(t, jsonReply(status, `{"message":"x"}`), jsonReply(200, paymentIntentJSON))
		res, err := newTestClient(t, s).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
		require.NoError(t, err, status)
		assert.Equal(t, 2, res.Response.Attempts, status)
	}
}

func TestNotRetried4xx(t *testing.T) {
	for _, status := range []int{400, 401, 402, 404, 409, 422} {
		s := newStub(t, jsonReply(status, `{"message":"no"}`), jsonReply(200, paymentIntentJSON))
		_, err := newTestClient(t, s).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
		var ae *APIError
		require.ErrorAs(t, err, &ae, status)
		assert.Equal(t, status, ae.StatusCode)
		assert.Equal(t, 1, ae.Attempts)
		assert.Len(t, s.requests(), 1, status)
	}
}

func TestRetriesGiveUpAfterTheLimit(t *testing.T) {
	s := newStub(t, unavailable(""))
	_, err := newTestClient(t, s, WithRetries(3)).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 4, ae.Attempts)
	assert.Len(t, s.requests(), 4)
	assert.Contains(t, err.Error(), "(after 4 attempts)")

	s = newStub(t, unavailable(""))
	_, err = newTestClient(t, s, WithRetries(0)).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.Error(t, err)
	assert.Len(t, s.requests(), 1, "retries off")
}

func TestConfiguredRetryStatuses(t *testing.T) {
	s := newStub(t, unavailable(""), jsonReply(200, paymentIntentJSON))
	_, err := newTestClient(t, s, WithRetryStatuses(429)).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.Error(t, err)
	assert.Len(t, s.requests(), 1)
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name, retryAfter string
		opts             []Option
		waits            []time.Duration // the waits the client asked its clock for
		requests         int
	}{
		{"seconds, over the shorter backoff", "1", nil, []time.Duration{time.Second}, 2},
		{"an HTTP date", now.Add(2 * time.Second).Format(http.TimeFormat), nil, []time.Duration{2 * time.Second}, 2},
		{"over the cap ends the retries", "120", []Option{WithMaxRetryAfter(10 * time.Second)}, nil, 1},
		{"at the cap is honoured", "10", []Option{WithMaxRetryAfter(10 * time.Second)}, []time.Duration{10 * time.Second}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, unavailable(tc.retryAfter), jsonReply(200, paymentIntentJSON))
			clk := &fakeClock{now: now}
			_, err := newTestClient(t, s, append(tc.opts, withClock(clk))...).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
			if tc.requests == 1 {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.waits, clk.waits)
			assert.Len(t, s.requests(), tc.requests)
		})
	}
}

// The backoff the clock is asked to wait grows from base and stays within
// [d/2, d] of each step, capped at max.
func TestRetryWaitsThroughTheClock(t *testing.T) {
	s := newStub(t, unavailable(""), unavailable(""), unavailable(""), jsonReply(200, paymentIntentJSON))
	clk := &fakeClock{now: time.Now()}
	c := newTestClient(t, s, WithRetries(3), WithBackoff(100*time.Millisecond, 300*time.Millisecond), withClock(clk))
	_, err := c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.NoError(t, err)
	require.Len(t, clk.waits, 3)
	for i, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond} {
		assert.GreaterOrEqual(t, clk.waits[i], want/2, "retry %d", i+1)
		assert.LessOrEqual(t, clk.waits[i], want, "retry %d", i+1)
	}
}

// decide is the whole retry policy, without a server or a clock.
func TestDecide(t *testing.T) {
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	json := http.Header{"Content-Type": {"application/json"}}
	withRetryAfter := func(v string) http.Header {
		return http.Header{"Content-Type": {"application/json"}, "Retry-After": {v}}
	}
	errBody := []byte(`{"message":"m","type":"invalid_request"}`)
	cases := []struct {
		name        string
		attempt     int
		o           outcome
		ctxErr      error
		deadline    time.Duration // from now; 0: none
		once        bool          // an operation that is not idempotent (the API v1 one)
		done        bool
		wait        time.Duration // exact when Retry-After sets it; else only > 0
		note        string
		errCategory error
	}{
		{name: "2xx", attempt: 1, o: outcome{status: 200, header: json, data: []byte(paymentIntentJSON)}, done: true, note: "done"},
		{name: "2xx without the resource", attempt: 1, o: outcome{status: 200, header: json, data: []byte(`{}`)}, done: true, note: "fail: undecodable answer"},
		{name: "400 is final", attempt: 1, o: outcome{status: 400, header: json, data: errBody}, done: true, note: "fail: not retried", errCategory: ErrInvalidRequest},
		{name: "503 is retried", attempt: 1, o: outcome{status: 503, header: json, data: errBody}, note: "retry in"},
		{name: "429 waits Retry-After", attempt: 1, o: outcome{status: 429, header: withRetryAfter("7"), data: errBody}, wait: 7 * time.Second, note: "retry in 7s: status 429"},
		{name: "Retry-After over the cap", attempt: 1, o: outcome{status: 429, header: withRetryAfter("31"), data: errBody}, done: true, note: "give up: Retry-After 31s exceeds 30s", errCategory: ErrRateLimited},
		{name: "the last retry spent", attempt: 3, o: outcome{status: 503, header: json, data: errBody}, done: true, note: "give up after 3 attempts: status 503"},
		{name: "a reset is retried", attempt: 1, o: outcome{err: syscall.ECONNRESET}, note: "retry in"},
		{name: "a cut 2xx is retried", attempt: 1, o: outcome{status: 200, err: io.ErrUnexpectedEOF}, note: "retry in"},
		{name: "a too large 2xx is final", attempt: 1, o: outcome{status: 200, err: errBodyTooLarge}, done: true, note: "fail: not retried"},
		{name: "an unknown host is final", attempt: 1, o: outcome{err: &net.DNSError{IsNotFound: true}}, done: true, note: "fail: not retried"},
		{name: "the context ended the attempt", attempt: 1, o: outcome{err: context.Canceled}, ctxErr: context.Canceled, done: true, note: "stop: context canceled", errCategory: context.Canceled},
		{name: "the context ended with an answer in hand", attempt: 1, o: outcome{status: 503, header: json, data: errBody}, ctxErr: context.Canceled, done: true, note: "stop: context canceled", errCategory: context.Canceled},
		{name: "a wait the deadline cuts short", attempt: 1, o: outcome{status: 429, header: withRetryAfter("20"), data: errBody}, deadline: time.Second, done: true, note: "give up: wait 20s outlasts the context", errCategory: ErrRateLimited},
		{name: "a wait within the deadline", attempt: 1, o: outcome{status: 429, header: withRetryAfter("2"), data: errBody}, deadline: time.Minute, wait: 2 * time.Second, note: "retry in 2s"},
		// Not idempotent: only what cannot have been applied is retried.
		{name: "once: a cut 2xx may be applied", once: true, attempt: 1, o: outcome{status: 200, err: io.ErrUnexpectedEOF}, done: true, note: "fail: not retried"},
		{name: "once: a reset may be applied", once: true, attempt: 1, o: outcome{err: syscall.ECONNRESET}, done: true, note: "fail: not retried"},
		{name: "once: a 503 may be applied", once: true, attempt: 1, o: outcome{status: 503, header: json, data: errBody}, done: true, note: "fail: not retried"},
		{name: "once: a refused connection was not sent", once: true, attempt: 1, o: outcome{err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}, note: "retry in"},
		{name: "once: a 429 was refused", once: true, attempt: 1, o: outcome{status: 429, header: withRetryAfter("1"), data: errBody}, wait: time.Second, note: "retry in 1s"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t, newStub(t))
			var res CreatePaymentIntentResult
			d := decider{op: "createPaymentIntent", key: "k", result: &res.PaymentIntentResponse, policy: defaultRetryPolicy(), idempotent: !tc.once,
				resources: c.ops.byID["createPaymentIntent"].resources,
				sc:        lazyScrubber{c: c, op: c.ops.byID["createPaymentIntent"]}}
			v := d.decide(tc.attempt, tc.o, now, tc.ctxErr, now.Add(tc.deadline), tc.deadline != 0)
			assert.Equal(t, tc.done, v.done)
			assert.True(t, strings.HasPrefix(v.note, tc.note), "note %q, want %q…", v.note, tc.note)
			if !tc.done {
				require.Error(t, v.err, "the error to keep if the wait is cut short")
				if tc.wait != 0 {
					assert.Equal(t, tc.wait, v.wait)
				} else {
					assert.Positive(t, v.wait)
				}
			}
			if tc.errCategory != nil {
				assert.ErrorIs(t, v.err, tc.errCategory)
			}
			if tc.note == "done" {
				require.NoError(t, v.err)
				assert.Equal(t, "pi_1", res.PaymentIntent.ID)
				assert.Equal(t, "k", v.resp.IdempotencyKey)
			}
		})
	}
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"3":                             3 * time.Second,
		"0":                             0,
		"Sun, 22 Nov 2026 08:00:05 GMT": 5 * time.Second,
		"Sun, 22 Nov 2026 07:00:00 GMT": 0,
	} {
		d, ok := retryAfter(http.Header{"Retry-After": {v}}, now)
		assert.True(t, ok, v)
		assert.Equal(t, want, d, v)
	}
	d, ok := retryAfter(http.Header{"Retry-After": {"9223372037"}}, now)
	assert.True(t, ok)
	assert.Greater(t, d, 24*time.Hour, "a huge value does not overflow into a negative wait")
	for _, v := range []string{"", "-1", "soon"} {
		_, ok := retryAfter(http.Header{"Retry-After": {v}}, now)
		assert.False(t, ok, v)
	}
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	p := defaultRetryPolicy()
	for i := 0; i < 100; i++ {
		for n, want := range map[int]time.Duration{1: 500 * time.Millisecond, 2: time.Second, 3: 2 * time.Second, 6: 8 * time.Second, 30: 8 * time.Second} {
			d := p.backoff(n)
			assert.GreaterOrEqual(t, d, want/2, n)
			assert.LessOrEqual(t, d, want, n)
		}
	}
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	s := newStub(t, unavailable("20"))
	c := newTestClient(t, s)
	cctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.CreatePaymentIntent(cctx, &CreatePaymentIntentParams{CurrencyCode: "USD"})
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.ErrorIs(t, err, context.Canceled)
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 1, re.Attempts)
	assert.Len(t, s.requests(), 1)
}

func TestDeadlineDuringAttempt(t *testing.T) {
	s := newStub(t, reply{Hang: 5 * time.Second})
	c := newTestClient(t, s)
	dctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.CreatePaymentIntent(dctx, &CreatePaymentIntentParams{CurrencyCode: "USD"})
	assert.Less(t, time.Since(start), 2*time.Second)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	s := newStub(t, reply{Hang: 5 * time.Second}, jsonReply(200, paymentIntentJSON))
	c := newTestClient(t, s, WithTimeout(100*time.Millisecond))
	res, err := c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Response.Attempts)
}

func TestNetworkErrorWithoutRetries(t *testing.T) {
	s := newStub(t, reply{Drop: true})
	_, err := newTestClient(t, s, WithRetries(0)).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 1, re.Attempts)
	assert.NotEmpty(t, re.IdempotencyKey)
	assert.False(t, errors.Is(err, context.Canceled))
}

func TestLoggingOneLinePerAttempt(t *testing.T) {
	s := newStub(t, unavailable(""), jsonReply(200, paymentSourceJSON))
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, s, WithLogger(logger))
	_, err := c.CreatePaymentSourceUsingToken(ctx(t), &CreatePaymentSourceUsingTokenParams{CustomerID: "cust_1", TokenID: "cb_tok_SECRET"}, WithIdempotencyKey("k-1"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], "operation=createPaymentSourceUsingToken attempt=1 status=503")
	assert.Contains(t, lines[0], `decision="retry in`)
	assert.Contains(t, lines[0], "status 503")
	assert.Contains(t, lines[0], "idempotency_key=k-1")
	assert.Contains(t, lines[1], "attempt=2 status=200")
	assert.Contains(t, lines[1], "decision=done")
	noSecret(t, buf.String(), "the log", "SECRET", testKey)
}

func TestDeadlineShorterThanTheWaitReturnsTheAPIError(t *testing.T) {
	s := newStub(t, jsonReply(429, `{"message":"slow down","api_error_code":"api_request_limit_exceeded"}`))
	s.replies[0].Header["Retry-After"] = "20"
	dctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := newTestClient(t, s).CreatePaymentIntent(dctx, &CreatePaymentIntentParams{CurrencyCode: "USD"})
	assert.Less(t, time.Since(start), 500*time.Millisecond, "no wait that the deadline cuts short")
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.Len(t, s.requests(), 1)
}

func TestCancelDuringWaitKeepsTheLastError(t *testing.T) {
	s := newStub(t, unavailable("5"))
	cctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := newTestClient(t, s).CreatePaymentIntent(cctx, &CreatePaymentIntentParams{CurrencyCode: "USD"})
	assert.ErrorIs(t, err, context.Canceled)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 503, ae.StatusCode)
}

func TestCompleteAnswerWinsOverALateCancel(t *testing.T) {
	cctx, cancel := context.WithCancel(context.Background())
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		cancel() // the caller gives up just as the answer arrives
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(paymentIntentJSON)), ContentLength: int64(len(paymentIntentJSON))}, nil
	})
	c, err := New(WithBaseURL("http://127.0.0.1:1"), WithAPIKey(testKey), WithHTTPClient(doer))
	require.NoError(t, err)
	res, err := c.CreatePaymentIntent(cctx, &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.NoError(t, err, "Chargebee applied the call: its result must not be lost")
	assert.Equal(t, "pi_1", res.PaymentIntent.ID)
}

func TestErrorsBeforeSendingAreNotRetried(t *testing.T) {
	calls := 0
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return nil, errors.New("net/http: invalid header field value")
	})
	c, err := New(WithBaseURL("http://127.0.0.1:1"), WithAPIKey(testKey), WithHTTPClient(doer), WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.Error(t, err)
	assert.Equal(t, 1, calls)
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestUntrustedCertificateIsNotRetried(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c, err := New(WithBaseURL(srv.URL), WithAPIKey(testKey), WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 1, re.Attempts, "another attempt would meet the same certificate")
}

func TestConnectionRefusedIsRetried(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	c, err := New(WithBaseURL(url), WithAPIKey(testKey), WithBackoff(time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	_, err = c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Attempts)
}

func TestDeadlineDuringALaterAttemptKeepsTheEarlierError(t *testing.T) {
	s := newStub(t, unavailable(""), reply{Hang: 5 * time.Second})
	dctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := newTestClient(t, s).CreatePaymentIntent(dctx, &CreatePaymentIntentParams{CurrencyCode: "USD"})
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 503, ae.StatusCode)
	assert.Contains(t, err.Error(), "last attempt: 503")
}

func TestAnswerCutShortIsRetriedAndReplayed(t *testing.T) {
	cut := jsonReply(200, paymentIntentJSON[:40])
	cut.Short = true
	replay := jsonReply(200, paymentIntentJSON)
	replay.Header[HeaderReplayed] = "true"
	s := newStub(t, cut, replay)
	res, err := newTestClient(t, s).CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Response.Attempts)
	assert.True(t, res.Response.Replayed)
	reqs := s.requests()
	assert.Equal(t, reqs[0].Header.Get(HeaderIdempotencyKey), reqs[1].Header.Get(HeaderIdempotencyKey))
}
