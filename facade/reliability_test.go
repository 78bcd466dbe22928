package cbpay_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// doerFunc adapts a function to cbpay.Doer.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

type stormFigures struct {
	calls, failed, recovered, attempts, replayed, duplicates, lost int
}

// storm runs calls concurrent create calls against a fake that drops a share
// of connections after applying the operation, and counts what the fake
// stored for each logical call.
//
// A call that still fails is tried again by the caller with the
// idempotency key from its error (up to 5 times), as an application would:
// it must then get the one object the failed call may already have stored.
func storm(t *testing.T, calls int, dropRate float64, opts ...cbpay.Option) stormFigures {
	t.Helper()
	srv := chargebeetest.NewServer()
	t.Cleanup(srv.Close)
	srv.SetDropRate(dropRate, 20261122)
	for i := range calls {
		srv.AddCustomer(fmt.Sprintf("cust_%d", i))
	}
	base := []cbpay.Option{cbpay.WithBaseURL(srv.URL), cbpay.WithAPIKey(srv.APIKey),
		cbpay.WithBackoff(time.Millisecond, 5*time.Millisecond)}
	c, err := cbpay.New(append(base, opts...)...)
	require.NoError(t, err)

	var fig stormFigures
	var mu sync.Mutex
	ids := make([]string, calls)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range calls {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			params := &cbpay.CreatePaymentSourceUsingPermanentTokenParams{
				CustomerID: fmt.Sprintf("cust_%d", i), Type: "card",
				PaymentMethodToken: cbpay.Ptr(fmt.Sprintf("pm_%d", i)),
				Card:               &cbpay.CardParams{Last4: cbpay.Ptr("4242")},
			}
			res, err := c.CreatePaymentSourceUsingPermanentToken(context.Background(), params)
			failed := err != nil
			var re *cbpay.RequestError
			if errors.As(err, &re) {
				key := re.IdempotencyKey
				for try := 0; try < 5 && err != nil; try++ {
					res, err = c.CreatePaymentSourceUsingPermanentToken(context.Background(), params, cbpay.WithIdempotencyKey(key))
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if failed {
				fig.failed++
			}
			if err != nil {
				return
			}
			if failed {
				fig.recovered++
			}
			ids[i] = res.PaymentSource.ID
			fig.attempts += res.Response.Attempts
			if res.Response.Replayed {
				fig.replayed++
			}
		}()
	}
	wg.Wait()
	fig.calls = calls
	for i := range calls {
		stored := srv.PaymentSources(fmt.Sprintf("cust_%d", i))
		switch {
		case len(stored) > 1:
			fig.duplicates += len(stored) - 1
		case ids[i] != "" && (len(stored) == 0 || stored[0].ID != ids[i]):
			fig.lost++
		}
	}
	return fig
}

// TestNoDoubleChargeWhenConnectionsDrop is the double-charge test: 30% of
// requests that reach the operation are applied and then lose their
// connection before the answer. Every logical call must end with exactly one
// stored payment source, the one it reports, with the default retry policy
// (2 retries; calls that exhaust it are recovered with their key) and with a
// longer one.
func TestNoDoubleChargeWhenConnectionsDrop(t *testing.T) {
	calls := 300
	if testing.Short() {
		calls = 60
	}
	for _, retries := range []int{2, 8} {
		fig := storm(t, calls, 0.3, cbpay.WithRetries(retries))
		t.Logf("retries=%d calls=%d drop_rate=0.30 attempts=%d replayed=%d failed=%d recovered=%d duplicates=%d lost=%d",
			retries, fig.calls, fig.attempts, fig.replayed, fig.failed, fig.recovered, fig.duplicates, fig.lost)
		assert.Equal(t, fig.failed, fig.recovered, "a call that failed is recovered with its idempotency key")
		assert.Zero(t, fig.duplicates)
		assert.Zero(t, fig.lost)
		assert.Greater(t, fig.attempts, fig.calls, "connections were dropped and calls retried")
		assert.Positive(t, fig.replayed, "retries after an applied call were answered by replay")
	}
}

// TestDoubleChargeWithoutIdempotencyKey is the control: the same storm with
// the idempotency key stripped on the way out does create duplicates, so
// the test above can fail.
func TestDoubleChargeWithoutIdempotencyKey(t *testing.T) {
	strip := doerFunc(func(r *http.Request) (*http.Response, error) {
		r.Header.Del(cbpay.HeaderIdempotencyKey)
		return http.DefaultClient.Do(r)
	})
	fig := storm(t, 60, 0.3, cbpay.WithHTTPClient(strip))
	assert.Positive(t, fig.duplicates)
}

// TestParallelCallsOnOneClient shares one client between goroutines doing
// every operation; run under -race.
func TestParallelCallsOnOneClient(t *testing.T) {
	srv := chargebeetest.NewServer()
	defer srv.Close()
	c, err := cbpay.New(cbpay.WithBaseURL(srv.URL), cbpay.WithAPIKey(srv.APIKey),
		cbpay.WithRequestDefaults(cbpay.WithOriginDevice("test")))
	require.NoError(t, err)
	ctx := context.Background()
	var failures atomic.Int32
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				cust := fmt.Sprintf("cust_%d_%d", g, i)
				srv.AddCustomer(cust)
				pi, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: int64(i), CurrencyCode: "USD", CustomerID: &cust})
				if err != nil {
					failures.Add(1)
					continue
				}
				if srv.AuthorizePaymentIntent(pi.PaymentIntent.ID) != nil {
					failures.Add(1)
				}
				_, err1 := c.CreateCardUsingPaymentIntent(ctx, cust, &cbpay.CreateCardUsingPaymentIntentParams{PaymentIntentID: &pi.PaymentIntent.ID})
				_, err2 := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: cust, TokenID: "tok_" + cust})
				_, err3 := c.UpdatePaymentMethod(ctx, cust, &cbpay.UpdatePaymentMethodParams{PaymentMethod: &cbpay.PaymentMethodParams{Type: "card", ReferenceID: cbpay.Ptr("r")}})
				for _, err := range []error{err1, err2, err3} {
					if err != nil {
						t.Log(err)
						failures.Add(1)
					}
				}
			}
		}()
	}
	wg.Wait()
	assert.Zero(t, failures.Load())
	assert.Equal(t, 80, srv.Counts().PaymentIntents)
}
