package cbpay

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"time"
)

type retryPolicy struct {
	maxRetries    int
	base, max     time.Duration
	maxRetryAfter time.Duration
	statuses      []int
}

func defaultRetryPolicy() retryPolicy {
	return retryPolicy{
		maxRetries:    2,
		base:          500 * time.Millisecond,
		max:           8 * time.Second,
		maxRetryAfter: 30 * time.Second,
		statuses: []int{http.StatusTooManyRequests, http.StatusInternalServerError,
			http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout},
	}
}

func (p retryPolicy) check() error {
	switch {
	case p.maxRetries < 0:
		return fmt.Errorf("cbpay: retries must not be negative, got %d", p.maxRetries)
	case p.base <= 0 || p.max < p.base:
		return fmt.Errorf("cbpay: backoff needs 0 < base <= max, got %v and %v", p.base, p.max)
	case p.maxRetryAfter < 0:
		return fmt.Errorf("cbpay: max Retry-After must not be negative, got %v", p.maxRetryAfter)
	}
	for _, s := range p.statuses {
		if s < 400 || s > 599 {
			return fmt.Errorf("cbpay: retry status %d is not an error status", s)
		}
	}
	return nil
}

// retryableStatus reports whether a response with this status is retried.
func (p retryPolicy) retryableStatus(code int) bool { return slices.Contains(p.statuses, code) }

// backoff is the wait before retry n (1 for the first retry): exponential
// from base, capped at max, jittered to between half and all of it so that
// clients that failed together do not retry together.
func (p retryPolicy) backoff(n int) time.Duration {
	d := p.base
	for i := 1; i < n && d < p.max; i++ {
		d *= 2
	}
	d = min(d, p.max)
	half := d / 2
	return half + rand.N(half+1)
}

// retryAfter parses a Retry-After header: delay seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		const maxSecs = 1 << 30 // decades: any cap is smaller, and no overflow
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// clock is the client's time: when an attempt starts, and the wait before
// a retry. Tests replace it (withClock) to check retry timing without
// waiting for it.
type clock interface {
	Now() time.Time
	// Sleep waits d, or less if ctx ends first, and then returns ctx.Err().
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

// Sleep waits in a select on ctx.Done: cancelling the context ends the
// wait at once.
func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
