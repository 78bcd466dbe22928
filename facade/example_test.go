package cbpay_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
)

// The examples run against the in-process fake Chargebee, in which the
// customer cust_42 exists (WithCustomers), as it would on a real site;
// against a real site, build the client with WithSite and WithAPIKey (or
// NewFromEnv).
func newClient(srv *chargebeetest.Server) *cbpay.Client {
	c, err := cbpay.New(cbpay.WithBaseURL(srv.URL), cbpay.WithAPIKey(srv.APIKey))
	if err != nil {
		log.Fatal(err)
	}
	return c
}

func ExampleClient_CreatePaymentIntent() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)

	res, err := c.CreatePaymentIntent(context.Background(), &cbpay.CreatePaymentIntentParams{
		Amount:       5000,
		CurrencyCode: "USD",
		CustomerID:   cbpay.Ptr("cust_42"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.PaymentIntent.Status, res.PaymentIntent.Amount, *res.PaymentIntent.CurrencyCode)
	// Output: inited 5000 USD
}

func ExampleClient_CreatePaymentSourceUsingToken() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)

	res, err := c.CreatePaymentSourceUsingToken(context.Background(), &cbpay.CreatePaymentSourceUsingTokenParams{
		CustomerID:                  "cust_42",
		TokenID:                     "cb_tok_from_chargebee_js",
		ReplacePrimaryPaymentSource: cbpay.Ptr(true),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.PaymentSource.Type, res.PaymentSource.Status,
		*res.Customer.PrimaryPaymentSourceID == res.PaymentSource.ID)
	// Output: card valid true
}

func ExampleClient_CreatePaymentSourceUsingPermanentToken() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)

	res, err := c.CreatePaymentSourceUsingPermanentToken(context.Background(), &cbpay.CreatePaymentSourceUsingPermanentTokenParams{
		CustomerID:           "cust_42",
		Type:                 gen.PaymentMethodTypeCard,
		PaymentMethodToken:   cbpay.Ptr("pm_1NxYz2AbCdEf"),
		CustomerProfileToken: cbpay.Ptr("cus_OqWe12"),
		Card: &cbpay.CardParams{
			IIN: cbpay.Ptr("555555"), Last4: cbpay.Ptr("4444"), Brand: cbpay.Ptr(gen.CardBrandMastercard),
			ExpiryMonth: cbpay.Ptr(3), ExpiryYear: cbpay.Ptr(2031),
		},
		BillingAddress:        &cbpay.BillingAddressParams{FirstName: cbpay.Ptr("Ana"), Country: cbpay.Ptr("BR")},
		AdditionalInformation: &cbpay.AdditionalInformation{"payer": map[string]any{"document": "12345678"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	card := res.PaymentSource.Card
	fmt.Println(*card.Brand, *card.Last4, *card.ExpiryMonth, *card.ExpiryYear)
	// Output: mastercard 4444 3 2031
}

func ExampleClient_UpdatePaymentMethod() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)

	res, err := c.UpdatePaymentMethod(context.Background(), "cust_42", &cbpay.UpdatePaymentMethodParams{
		PaymentMethod: &cbpay.PaymentMethodParams{
			Type:        gen.PaymentMethodTypePaypalExpressCheckout,
			ReferenceID: cbpay.Ptr("B-5YT84129JC1234567"),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Customer.PaymentMethod.Type, res.Customer.PaymentMethod.Status)
	// Output: paypal_express_checkout valid
}

func ExampleClient_CreateCardUsingPaymentIntent() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()

	intent, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{
		Amount: 0, CurrencyCode: "EUR", CustomerID: cbpay.Ptr("cust_42")})
	if err != nil {
		log.Fatal(err)
	}
	// In production Chargebee.js runs 3DS in the customer's browser; the
	// fake lets the test do it.
	if err := srv.AuthorizePaymentIntent(intent.PaymentIntent.ID); err != nil {
		log.Fatal(err)
	}
	res, err := c.CreateCardUsingPaymentIntent(ctx, "cust_42", &cbpay.CreateCardUsingPaymentIntentParams{
		PaymentIntentID: cbpay.Ptr(intent.PaymentIntent.ID),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Card.Status, *res.Card.Last4)
	// Output: valid 4242
}

func ExampleValidationError() {
	srv := chargebeetest.NewServer()
	defer srv.Close()
	c := newClient(srv)

	_, err := c.CreatePaymentSourceUsingPermanentToken(context.Background(), &cbpay.CreatePaymentSourceUsingPermanentTokenParams{
		CustomerID: "cust_42", Type: "card",
		Card:        &cbpay.CardParams{Last4: cbpay.Ptr("42")},
		ReferenceID: cbpay.Ptr("cus_1/card_1"), PaymentMethodToken: cbpay.Ptr("pm_1"),
	})
	var ve *cbpay.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Field, "-", p.Rule)
		}
	}
	// Output:
	// card[last4] - must be exactly 4 characters long
	// reference_id - cannot be combined with payment_method_token
}

func ExampleAPIError() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()

	intent, _ := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 100, CurrencyCode: "USD"})
	// Not authorized by 3DS yet: Chargebee refuses with 409.
	_, err := c.CreateCardUsingPaymentIntent(ctx, "cust_42", &cbpay.CreateCardUsingPaymentIntentParams{
		PaymentIntentID: cbpay.Ptr(intent.PaymentIntent.ID)})
	var ae *cbpay.APIError
	if errors.As(err, &ae) {
		fmt.Println(ae.StatusCode, ae.Code, errors.Is(err, cbpay.ErrInvalidRequest))
	}
	// Output: 409 invalid_state_for_request true
}
