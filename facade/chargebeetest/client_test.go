package chargebeetest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
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

// The errors the fake gives land in the client's categories: a declined
// card (a tok_decline token, or a Fault of type payment) is
// cbpay.ErrPayment, an unknown customer cbpay.ErrNotFound.
func TestClientErrorCategories(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer s.Close()
	c, err := s.Client()
	require.NoError(t, err)
	ctx := context.Background()
	useToken := func(customer, token string) error {
		_, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: customer, TokenID: token})
		return err
	}

	err = useToken("cust_42", chargebeetest.DeclineTokenPrefix)
	var ae *cbpay.APIError
	require.ErrorAs(t, err, &ae)
	require.ErrorIs(t, err, cbpay.ErrPayment)
	require.Equal(t, http.StatusBadRequest, ae.StatusCode)
	require.Equal(t, "payment_method_verification_failed", ae.Code)
	require.Equal(t, 1, ae.Attempts, "a payment error is not retried")

	s.FailNext(1, chargebeetest.Fault{Status: http.StatusBadRequest, Type: cbpay.ErrorTypePayment,
		APIErrorCode: "payment_processing_failed", Message: "Your card has insufficient funds."})
	err = useToken("cust_42", "tok_visa")
	require.ErrorAs(t, err, &ae)
	require.ErrorIs(t, err, cbpay.ErrPayment)
	require.NotErrorIs(t, err, cbpay.ErrInvalidRequest)
	require.Equal(t, "payment_processing_failed", ae.Code)
	require.Equal(t, "Your card has insufficient funds.", ae.Message)

	err = useToken("cust_nobody", "tok_visa")
	require.ErrorAs(t, err, &ae)
	require.ErrorIs(t, err, cbpay.ErrNotFound)
	require.ErrorIs(t, err, cbpay.ErrInvalidRequest)
	require.Equal(t, "resource_not_found", ae.Code)
	require.Equal(t, "customer_id", ae.Param)

	//lint:ignore SA1019 the deprecated operation is still one of the five this project covers
	_, err = c.UpdatePaymentMethod(ctx, "cust_nobody", &cbpay.UpdatePaymentMethodParams{
		PaymentMethod: &cbpay.PaymentMethodParams{Type: "card", ReferenceID: cbpay.Ptr("cus_1/card_1")}})
	require.ErrorIs(t, err, cbpay.ErrNotFound)

	require.Empty(t, s.PaymentSources("cust_42"), "nothing was stored")
	require.NoError(t, useToken("cust_42", "tok_visa"), "the token was not spent by the failures")
}
