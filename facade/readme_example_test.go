package cbpay_test

import (
	"context"
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
	// ...and the card is stored, surviving a 503 and a dropped connection.
	srv.FailNext(1, chargebeetest.Fault{Status: 503})
	srv.DropAfterApply(1)
	res, err := c.CreateCardUsingPaymentIntent(ctx, "cust_42", &cbpay.CreateCardUsingPaymentIntentParams{
		PaymentIntentID: &pi.PaymentIntent.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Response.Replayed || res.Response.Attempts != 3 {
		t.Errorf("replayed %v after %d attempts", res.Response.Replayed, res.Response.Attempts)
	}
	if n := len(srv.PaymentSources("cust_42")); n != 1 {
		t.Errorf("%d payment sources stored, want exactly 1", n)
	}
}
