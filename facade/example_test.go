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

func ExampleClient_CreatePaymentSourceUsingPaymentIntent() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()

	intent, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{
		Amount: 0, CurrencyCode: "EUR", CustomerID: cbpay.Ptr("cust_42")})
	if err != nil {
		log.Fatal(err)
	}
	// Chargebee.js runs 3DS in the customer's browser; the fake stands in.
	if err := srv.AuthorizePaymentIntent(intent.PaymentIntent.ID); err != nil {
		log.Fatal(err)
	}
	res, err := c.CreatePaymentSourceUsingPaymentIntent(ctx, &cbpay.CreatePaymentSourceUsingPaymentIntentParams{
		CustomerID:    "cust_42",
		PaymentIntent: &cbpay.PaymentIntentParams{ID: cbpay.Ptr(intent.PaymentIntent.ID)},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.PaymentSource.Type, res.PaymentSource.Status, *res.PaymentSource.Card.Last4,
		*res.Customer.PrimaryPaymentSourceID == res.PaymentSource.ID)
	// Output: card valid 4242 true
}

func ExampleClient_RetrievePaymentSource() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()

	created, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: "tok_1"})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.RetrievePaymentSource(ctx, created.PaymentSource.ID, nil) // no parameters: nil
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.PaymentSource.CustomerID, *res.PaymentSource.Card.Brand, *res.PaymentSource.Card.Last4)
	// Output: cust_42 visa 4242
}

func ExampleClient_DeletePaymentSource() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()

	created, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: "tok_1"})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.DeletePaymentSource(ctx, created.PaymentSource.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.PaymentSource.Deleted, res.Customer.PrimaryPaymentSourceID == nil)
	_, err = c.RetrievePaymentSource(ctx, created.PaymentSource.ID, nil)
	fmt.Println(errors.Is(err, cbpay.ErrNotFound))
	// Output:
	// true true
	// true
}

func ExampleClient_UpdatePaymentSourceCard() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()

	created, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: "tok_1"})
	if err != nil {
		log.Fatal(err)
	}
	// The customer's bank sent a new expiry date; the number is the same.
	res, err := c.UpdatePaymentSourceCard(ctx, created.PaymentSource.ID, &cbpay.UpdatePaymentSourceCardParams{
		Card: &cbpay.UpdateCardParams{ExpiryMonth: cbpay.Ptr(10), ExpiryYear: cbpay.Ptr(2032)}})
	if err != nil {
		log.Fatal(err)
	}
	k := res.PaymentSource.Card
	fmt.Printf("%s ••••%s %02d/%d\n", *k.Brand, *k.Last4, *k.ExpiryMonth, *k.ExpiryYear)
	// Output: visa ••••4242 10/2032
}

func ExampleClient_ListPaymentSources() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()
	for _, tok := range []string{"tok_1", "tok_2", "tok_3"} {
		if _, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: tok}); err != nil {
			log.Fatal(err)
		}
	}

	// One page: pass next_offset back as offset for the next one.
	page, err := c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{
		CustomerID: &cbpay.CustomerIDFilter{Is: cbpay.Ptr("cust_42")},
		Status:     &cbpay.PaymentSourceStatusFilter{Is: cbpay.Ptr(cbpay.PaymentSourceStatusValid)},
		Limit:      cbpay.Ptr(2),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.List), page.NextOffset != nil)
	// Output: 2 true
}

func ExampleClient_AllPaymentSources() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()
	for _, tok := range []string{"tok_1", "tok_2", "tok_3"} {
		if _, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: tok}); err != nil {
			log.Fatal(err)
		}
	}

	// Every page, fetched as the loop needs it.
	n := 0
	for ps, err := range c.AllPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{
		CustomerID: &cbpay.CustomerIDFilter{Is: cbpay.Ptr("cust_42")},
		Limit:      cbpay.Ptr(2),
	}) {
		if err != nil {
			log.Fatal(err)
		}
		n++
		fmt.Println(n, ps.CustomerID, ps.Type)
	}
	// Output:
	// 1 cust_42 card
	// 2 cust_42 card
	// 3 cust_42 card
}

func ExampleClient_RetrievePaymentIntent() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()

	intent, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 0, CurrencyCode: "USD", CustomerID: cbpay.Ptr("cust_42")})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.AuthorizePaymentIntent(intent.PaymentIntent.ID); err != nil { // the 3DS step
		log.Fatal(err)
	}
	// After the 3DS step, the intent says whether it went through.
	res, err := c.RetrievePaymentIntent(ctx, intent.PaymentIntent.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.PaymentIntent.Status)
	// Output: authorized
}

func ExampleClient_UpdatePaymentIntent() {
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer srv.Close()
	c := newClient(srv)
	ctx := context.Background()

	intent, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 5000, CurrencyCode: "USD"})
	if err != nil {
		log.Fatal(err)
	}
	// The cart changed before the customer paid: fields left out are kept.
	res, err := c.UpdatePaymentIntent(ctx, intent.PaymentIntent.ID, &cbpay.UpdatePaymentIntentParams{Amount: cbpay.Ptr[int64](7500)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.PaymentIntent.Amount, *res.PaymentIntent.CurrencyCode, res.PaymentIntent.Status)
	// Output: 7500 USD inited
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
