package chargebeetest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/stretchr/testify/require"
)

func TestServerClient(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	c, err := s.Client(cbpay.WithBackoff(time.Millisecond, 10*time.Millisecond))
	require.NoError(t, err)

	// One injected 503 is retried by the facade with the same idempotency
	// key; the fake applies the call once.
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusServiceUnavailable})
	res, err := c.CreatePaymentIntent(context.Background(), &cbpay.CreatePaymentIntentParams{
		Amount:       5000,
		CurrencyCode: "USD",
	})
	require.NoError(t, err)
	require.Equal(t, int64(5000), res.PaymentIntent.Amount)
	require.Equal(t, 1, s.Counts().PaymentIntents)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, http.StatusServiceUnavailable, reqs[0].Status)
	require.Equal(t, http.StatusOK, reqs[1].Status)
	key := reqs[0].Header.Get("chargebee-idempotency-key")
	require.NotEmpty(t, key)
	require.Equal(t, key, reqs[1].Header.Get("chargebee-idempotency-key"))
}
