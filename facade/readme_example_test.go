package cbpay_test

import (
	"context"
	"errors"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
)

func TestSaveCardAfter3DS(t *testing.T) {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c, err := srv.Client(cbpay.WithBackoff(time.Millisecond, 10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// The code under test creates an intent...
	pi, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{
		Amount: 0, CurrencyCode: "USD", CustomerID: cbpay.Ptr("cust_42")})
	if err != nil {
		t.Fatal(err)
	}
	// ...the customer passes 3DS in Chargebee.js (the fake stands in)...
	if err := srv.AuthorizePaymentIntent(pi.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	// ...and the card is stored, through a rate limit (retried) and a
	// connection dropped after Chargebee stored it. This API v1 operation
	// is not retried once it may have been applied: the caller decides,
	// and tries again with the error's idempotency key.
	srv.FailNext(1, chargebeetest.Fault{Status: 429})
	srv.DropAfterApply(1)
	store := &cbpay.CreateCardUsingPaymentIntentParams{PaymentIntentID: &pi.PaymentIntent.ID}
	_, err = c.CreateCardUsingPaymentIntent(ctx, "cust_42", store)
	var re *cbpay.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("want a RequestError, got %v", err)
	}
	res, err := c.CreateCardUsingPaymentIntent(ctx, "cust_42", store, cbpay.WithIdempotencyKey(re.IdempotencyKey))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Response.Replayed {
		t.Error("the second call was applied again instead of replayed")
	}
	if n := len(srv.PaymentSources("cust_42")); n != 1 {
		t.Errorf("%d payment sources stored, want exactly 1", n)
	}
}
