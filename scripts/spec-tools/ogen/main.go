// Command ogen-e2e calls the five operations through a client that ogen
// generates from api/openapi.yaml (the canonical spec: ogen applies its
// `encoding` block, deepObject bracket keys included), against a running
// cbpay serve. scripts/spec-check.sh generates out/client fresh, then runs
//
//	CBPAY_BASE_URL=http://127.0.0.1:PORT CBPAY_API_KEY=... CBPAY_CUSTOMER=... go run .
//
// No line here encodes a body: the generated client does. The only set-up
// is the glue counted in docs/OTHER_LANGUAGES.md, marked `// glue:` below.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"cbpay-spec-tools/ogen/out/client"
)

// basicAuth is ogen's SecuritySource for the basicAuth scheme.
type basicAuth struct{ key string } // glue: auth

func (b basicAuth) BasicAuth(context.Context, client.OperationName) (client.BasicAuth, error) { // glue: auth
	return client.BasicAuth{Username: b.key}, nil // glue: auth (the key is the user name, the password empty)
} // glue: auth

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ogen:", err)
		os.Exit(1)
	}
}

func run() error {
	base, key, customer := os.Getenv("CBPAY_BASE_URL"), os.Getenv("CBPAY_API_KEY"), os.Getenv("CBPAY_CUSTOMER")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.NewClient(base, basicAuth{key}) // glue: base URL and auth
	if err != nil {
		return err
	}
	run := fmt.Sprint(time.Now().UnixNano())
	ok := 0

	// 1. createPaymentIntent, with payment_method_options (one JSON value).
	pi, err := c.CreatePaymentIntent(ctx, &client.CreatePaymentIntentRequest{
		CustomerID:           client.NewOptString(customer),
		Amount:               4900,
		CurrencyCode:         "USD",
		PaymentMethodOptions: client.NewOptPaymentMethodOptions(`{"card":{"request_three_d_secure":"any"}}`),
	}, client.CreatePaymentIntentParams{ChargebeeIdempotencyKey: client.NewOptString("ogen-pi-" + run)})
	if err != nil {
		return fmt.Errorf("createPaymentIntent: %w", err)
	}
	piOK, isOK := pi.(*client.PaymentIntentResponseHeaders)
	if !isOK {
		return fmt.Errorf("createPaymentIntent: %T %+v", pi, pi)
	}
	intent := piOK.Response
	ok++
	fmt.Printf("ogen: createPaymentIntent 200 %s %s\n", intent.PaymentIntent.ID, intent.PaymentIntent.Status)

	// The 3DS step, through cbpay serve's test hook (not part of the API).
	resp, err := http.Post(base+"/_cbpay/payment_intents/"+intent.PaymentIntent.ID+"/authorize", "", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("3DS hook: %s", resp.Status)
	}

	// 2. createCardUsingPaymentIntent, API v1.
	cc, err := c.CreateCardUsingPaymentIntent(ctx, &client.CreateCardUsingPaymentIntentRequest{
		PaymentIntentID: client.NewOptString(intent.PaymentIntent.ID),
	}, client.CreateCardUsingPaymentIntentParams{CustomerID: customer})
	if err != nil {
		return fmt.Errorf("createCardUsingPaymentIntent: %w", err)
	}
	ccOK, isOK := cc.(*client.V1CustomerCardHeaders)
	if !isOK {
		return fmt.Errorf("createCardUsingPaymentIntent: %T %+v", cc, cc)
	}
	card := ccOK.Response
	ok++
	fmt.Printf("ogen: createCardUsingPaymentIntent 200 customer %s\n", card.Customer.ID)

	// 3. createPaymentSourceUsingToken.
	tok, err := c.CreatePaymentSourceUsingToken(ctx, &client.CreatePaymentSourceUsingTokenRequest{
		CustomerID:                  customer,
		TokenID:                     "cb_ogen_" + run,
		ReplacePrimaryPaymentSource: client.NewOptBool(true),
	}, client.CreatePaymentSourceUsingTokenParams{})
	if err != nil {
		return fmt.Errorf("createPaymentSourceUsingToken: %w", err)
	}
	if _, isOK := tok.(*client.PaymentSourceCreatedHeaders); !isOK {
		return fmt.Errorf("createPaymentSourceUsingToken: %T %+v", tok, tok)
	}
	ok++
	fmt.Println("ogen: createPaymentSourceUsingToken 200")

	// 4. createPaymentSourceUsingPermanentToken: card[...], billing_address[...]
	// and additional_information as one JSON value.
	perm, err := c.CreatePaymentSourceUsingPermanentToken(ctx, &client.CreatePaymentSourceUsingPermanentTokenRequest{
		CustomerID:                  customer,
		Type:                        client.PaymentMethodTypeCard,
		PaymentMethodToken:          client.NewOptString("pm_ogen_" + run),
		CustomerProfileToken:        client.NewOptString("cus_ogen"),
		ReplacePrimaryPaymentSource: client.NewOptBool(false),
		Card: client.NewOptCardParams(client.CardParams{
			Iin: client.NewOptString("411111"), Last4: client.NewOptString("1111"),
			Brand: client.NewOptCardBrand(client.CardBrandVisa), ExpiryMonth: client.NewOptInt(12), ExpiryYear: client.NewOptInt(2030),
		}),
		BillingAddress: client.NewOptBillingAddressParams(client.BillingAddressParams{
			FirstName: client.NewOptString("Ana"), Line1: client.NewOptString("12 Main St"),
			City: client.NewOptString("Austin"), Country: client.NewOptString("US"),
		}),
		AdditionalInformation: client.NewOptAdditionalInformation(`{"payer":{"document":"12345678"}}`),
	}, client.CreatePaymentSourceUsingPermanentTokenParams{})
	if err != nil {
		return fmt.Errorf("createPaymentSourceUsingPermanentToken: %w", err)
	}
	psOK, isOK := perm.(*client.PaymentSourceCreatedHeaders)
	if !isOK {
		return fmt.Errorf("createPaymentSourceUsingPermanentToken: %T %+v", perm, perm)
	}
	ps := psOK.Response
	k, _ := ps.PaymentSource.Card.Get()
	if k.Last4.Or("") != "1111" || k.Iin.Or("") != "411111" || k.BillingAddr1.Or("") != "12 Main St" || k.BillingCountry.Or("") != "US" {
		return fmt.Errorf("createPaymentSourceUsingPermanentToken: card and billing address did not arrive: %+v", k)
	}
	ok++
	fmt.Printf("ogen: createPaymentSourceUsingPermanentToken 200 card %s ••••%s, %s\n", k.Brand.Or(""), k.Last4.Or(""), k.BillingAddr1.Or(""))

	// 5. updatePaymentMethod: payment_method[...] with
	// payment_method[additional_information] as one JSON value.
	upd, err := c.UpdatePaymentMethod(ctx, &client.UpdatePaymentMethodRequest{
		PaymentMethod: client.NewOptPaymentMethodParams(client.PaymentMethodParams{
			Type:                  client.PaymentMethodTypeCard,
			ReferenceID:           client.NewOptString("cus_ogen/card_" + run),
			AdditionalInformation: client.NewOptAdditionalInformation(`{"fraud":{"device_session_id":"ds_1"}}`),
		}),
	}, client.UpdatePaymentMethodParams{CustomerID: customer})
	if err != nil {
		return fmt.Errorf("updatePaymentMethod: %w", err)
	}
	cuOK, isOK := upd.(*client.CustomerCardHeaders)
	if !isOK {
		return fmt.Errorf("updatePaymentMethod: %T %+v", upd, upd)
	}
	cu := cuOK.Response
	ok++
	pm, _ := cu.Customer.PaymentMethod.Get()
	fmt.Printf("ogen: updatePaymentMethod 200 pays by %s\n", pm.Type)
	fmt.Printf("ogen: %d of 5 operations answered 200\n", ok)
	return nil
}
