// Command ogen-e2e calls every operation of the spec through a client that
// ogen generates from api/openapi.yaml (the canonical spec: ogen applies its
// `encoding` block, deepObject bracket keys included, and the deepObject
// style of the list's query filters), against a running cbpay serve.
// scripts/spec-check.sh generates out/client fresh, seeds a payment source
// of another customer (which the list's customer filter must leave out),
// then runs
//
//	CBPAY_BASE_URL=http://127.0.0.1:PORT CBPAY_API_KEY=... CBPAY_CUSTOMER=... CBPAY_OPERATIONS=op1,op2,... go run .
//
// No line here encodes a body or a query: the generated client does. The
// only set-up is the glue counted in docs/OTHER_LANGUAGES.md, marked
// `// glue:` below; setup.go holds the test scaffolding (the 3DS hook, the
// request recorder, the tally).
package main

import (
	"context"
	"fmt"
	"os"
	"slices"
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
	if base == "" || key == "" || customer == "" || os.Getenv("CBPAY_OPERATIONS") == "" {
		return fmt.Errorf("CBPAY_BASE_URL, CBPAY_API_KEY, CBPAY_CUSTOMER and CBPAY_OPERATIONS must be set")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sent := &recorder{}
	c, err := client.NewClient(base, basicAuth{key}, client.WithClient(sent)) // glue: base URL and auth (WithClient only records URLs for the checks)
	if err != nil {
		return err
	}
	run := fmt.Sprint(time.Now().UnixNano())
	t := &tally{answered: map[string]bool{}}

	// A PayPal billing agreement first: the customer's oldest payment
	// source, and not a card (the list's type filter must leave it out).
	pp, err := c.CreatePaymentSourceUsingPermanentToken(ctx, &client.CreatePaymentSourceUsingPermanentTokenRequest{
		CustomerID:  customer,
		Type:        client.PaymentMethodTypePaypalExpressCheckout,
		ReferenceID: client.NewOptString("B-ogen-" + run),
	}, client.CreatePaymentSourceUsingPermanentTokenParams{})
	if err != nil {
		return fmt.Errorf("createPaymentSourceUsingPermanentToken (PayPal): %w", err)
	}
	ppOK, isOK := pp.(*client.PaymentSourceCreatedHeaders)
	if !isOK || ppOK.Response.PaymentSource.Type != client.PaymentMethodTypePaypalExpressCheckout {
		return fmt.Errorf("createPaymentSourceUsingPermanentToken (PayPal): %T %+v", pp, pp)
	}
	paypal := ppOK.Response.PaymentSource
	t.ok("createPaymentSourceUsingPermanentToken")

	// A payment intent, with payment_method_options (one JSON value):
	// created, retrieved, its amount changed, then stored as a payment
	// source after the 3DS step (API v2).
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
	intent := piOK.Response.PaymentIntent
	t.ok("createPaymentIntent")
	fmt.Printf("ogen: createPaymentIntent 200 %s %s\n", intent.ID, intent.Status)

	got, err := c.RetrievePaymentIntent(ctx, client.RetrievePaymentIntentParams{PaymentIntentID: intent.ID})
	if err != nil {
		return fmt.Errorf("retrievePaymentIntent: %w", err)
	}
	gotOK, isOK := got.(*client.PaymentIntentResponse)
	if !isOK || gotOK.PaymentIntent.ID != intent.ID || gotOK.PaymentIntent.Amount != 4900 {
		return fmt.Errorf("retrievePaymentIntent: want %s of 4900, got %T %+v", intent.ID, got, got)
	}
	t.ok("retrievePaymentIntent")

	moved, err := c.UpdatePaymentIntent(ctx, &client.UpdatePaymentIntentRequest{Amount: client.NewOptInt64(5900)},
		client.UpdatePaymentIntentParams{PaymentIntentID: intent.ID})
	if err != nil {
		return fmt.Errorf("updatePaymentIntent: %w", err)
	}
	movedOK, isOK := moved.(*client.PaymentIntentAnswerHeaders)
	if !isOK || movedOK.Response.PaymentIntent.ID != intent.ID || movedOK.Response.PaymentIntent.Amount != 5900 {
		return fmt.Errorf("updatePaymentIntent: want %s of 5900, got %T %+v", intent.ID, moved, moved)
	}
	t.ok("updatePaymentIntent")

	if err := authorize(base, intent.ID); err != nil {
		return err
	}
	fp, err := c.CreatePaymentSourceUsingPaymentIntent(ctx, &client.CreatePaymentSourceUsingPaymentIntentRequest{
		CustomerID:                  customer,
		ReplacePrimaryPaymentSource: client.NewOptBool(true),
		PaymentIntent:               client.NewOptPaymentIntentParams(client.PaymentIntentParams{ID: client.NewOptString(intent.ID)}),
	}, client.CreatePaymentSourceUsingPaymentIntentParams{})
	if err != nil {
		return fmt.Errorf("createPaymentSourceUsingPaymentIntent: %w", err)
	}
	fpOK, isOK := fp.(*client.PaymentSourceCreatedHeaders)
	if !isOK || fpOK.Response.PaymentSource.CustomerID != customer ||
		fpOK.Response.Customer.PrimaryPaymentSourceID.Or("") != fpOK.Response.PaymentSource.ID {
		return fmt.Errorf("createPaymentSourceUsingPaymentIntent: want the customer's primary source, got %T %+v", fp, fp)
	}
	fromPi := fpOK.Response.PaymentSource
	t.ok("createPaymentSourceUsingPaymentIntent")

	// A second intent, stored through API v1.
	pi2, err := c.CreatePaymentIntent(ctx, &client.CreatePaymentIntentRequest{
		CustomerID: client.NewOptString(customer), Amount: 100, CurrencyCode: "USD",
	}, client.CreatePaymentIntentParams{ChargebeeIdempotencyKey: client.NewOptString("ogen-pi2-" + run)})
	if err != nil {
		return fmt.Errorf("createPaymentIntent: %w", err)
	}
	pi2OK, isOK := pi2.(*client.PaymentIntentResponseHeaders)
	if !isOK {
		return fmt.Errorf("createPaymentIntent: %T %+v", pi2, pi2)
	}
	t.ok("createPaymentIntent")
	if err := authorize(base, pi2OK.Response.PaymentIntent.ID); err != nil {
		return err
	}
	cc, err := c.CreateCardUsingPaymentIntent(ctx, &client.CreateCardUsingPaymentIntentRequest{
		PaymentIntentID: client.NewOptString(pi2OK.Response.PaymentIntent.ID),
	}, client.CreateCardUsingPaymentIntentParams{CustomerID: customer})
	if err != nil {
		return fmt.Errorf("createCardUsingPaymentIntent: %w", err)
	}
	ccOK, isOK := cc.(*client.V1CustomerCardHeaders)
	if !isOK {
		return fmt.Errorf("createCardUsingPaymentIntent: %T %+v", cc, cc)
	}
	t.ok("createCardUsingPaymentIntent")
	fmt.Printf("ogen: createCardUsingPaymentIntent 200 customer %s\n", ccOK.Response.Customer.ID)

	tok, err := c.CreatePaymentSourceUsingToken(ctx, &client.CreatePaymentSourceUsingTokenRequest{
		CustomerID:                  customer,
		TokenID:                     "cb_ogen_" + run,
		ReplacePrimaryPaymentSource: client.NewOptBool(true),
	}, client.CreatePaymentSourceUsingTokenParams{})
	if err != nil {
		return fmt.Errorf("createPaymentSourceUsingToken: %w", err)
	}
	tokOK, isOK := tok.(*client.PaymentSourceCreatedHeaders)
	if !isOK {
		return fmt.Errorf("createPaymentSourceUsingToken: %T %+v", tok, tok)
	}
	t.ok("createPaymentSourceUsingToken")

	// createPaymentSourceUsingPermanentToken: card[...], billing_address[...]
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
	ps := psOK.Response.PaymentSource
	k, _ := ps.Card.Get()
	if k.Last4.Or("") != "1111" || k.Iin.Or("") != "411111" || k.BillingAddr1.Or("") != "12 Main St" || k.BillingCountry.Or("") != "US" {
		return fmt.Errorf("createPaymentSourceUsingPermanentToken: card and billing address did not arrive: %+v", k)
	}
	t.ok("createPaymentSourceUsingPermanentToken")
	fmt.Printf("ogen: createPaymentSourceUsingPermanentToken 200 card %s ••••%s, %s\n", k.Brand.Or(""), k.Last4.Or(""), k.BillingAddr1.Or(""))

	// The stored card: retrieved, its expiry changed.
	rs, err := c.RetrievePaymentSource(ctx, client.RetrievePaymentSourceParams{PaymentSourceID: ps.ID})
	if err != nil {
		return fmt.Errorf("retrievePaymentSource: %w", err)
	}
	rsOK, isOK := rs.(*client.PaymentSourceOnlyResponse)
	if !isOK || rsOK.PaymentSource.ID != ps.ID || rsOK.PaymentSource.Card.Value.Last4.Or("") != "1111" {
		return fmt.Errorf("retrievePaymentSource: want %s ••••1111, got %T %+v", ps.ID, rs, rs)
	}
	t.ok("retrievePaymentSource")

	uc, err := c.UpdatePaymentSourceCard(ctx, &client.UpdatePaymentSourceCardRequest{
		Card: client.NewOptUpdateCardParams(client.UpdateCardParams{ExpiryMonth: client.NewOptInt(10), ExpiryYear: client.NewOptInt(2032)}),
	}, client.UpdatePaymentSourceCardParams{PaymentSourceID: ps.ID})
	if err != nil {
		return fmt.Errorf("updatePaymentSourceCard: %w", err)
	}
	ucOK, isOK := uc.(*client.PaymentSourceCreatedHeaders)
	if !isOK {
		return fmt.Errorf("updatePaymentSourceCard: %T %+v", uc, uc)
	}
	if uk := ucOK.Response.PaymentSource.Card.Value; ucOK.Response.PaymentSource.ID != ps.ID ||
		uk.ExpiryMonth.Or(0) != 10 || uk.ExpiryYear.Or(0) != 2032 || uk.Last4.Or("") != "1111" {
		return fmt.Errorf("updatePaymentSourceCard: %s expires %d/%d, want 10/2032", ucOK.Response.PaymentSource.ID, uk.ExpiryMonth.Or(0), uk.ExpiryYear.Or(0))
	}
	t.ok("updatePaymentSourceCard")

	// The customer's cards: customer_id[is], type[is] and limit, deepObject
	// filters as Chargebee reads them.
	ls, err := c.ListPaymentSources(ctx, client.ListPaymentSourcesParams{
		CustomerID: client.NewOptCustomerIDFilter(client.CustomerIDFilter{Is: client.NewOptString(customer)}),
		Type:       client.NewOptPaymentSourceTypeFilter(client.PaymentSourceTypeFilter{Is: client.NewOptPaymentMethodType(client.PaymentMethodTypeCard)}),
		Limit:      client.NewOptInt(100),
	})
	if err != nil {
		return fmt.Errorf("listPaymentSources: %w", err)
	}
	list, isOK := ls.(*client.PaymentSourceList)
	if !isOK {
		return fmt.Errorf("listPaymentSources: %T %+v", ls, ls)
	}
	q := sent.last.Query()
	if len(q) != 3 || q.Get("customer_id[is]") != customer || q.Get("type[is]") != "card" || q.Get("limit") != "100" {
		return fmt.Errorf("listPaymentSources: sent query %s, want customer_id[is]=%s, type[is]=card and limit=100", sent.last.RawQuery, customer)
	}
	var ids []string
	for _, e := range list.List {
		s := e.PaymentSource
		if s.CustomerID != customer || s.Type != client.PaymentMethodTypeCard {
			return fmt.Errorf("listPaymentSources: %s of %s, a %s, is listed", s.ID, s.CustomerID, s.Type)
		}
		if s.ID == ps.ID && s.Card.Value.ExpiryYear.Or(0) != 2032 {
			return fmt.Errorf("listPaymentSources: %s expires in %d, want 2032", s.ID, s.Card.Value.ExpiryYear.Or(0))
		}
		ids = append(ids, s.ID)
	}
	for _, id := range []string{ps.ID, fromPi.ID, tokOK.Response.PaymentSource.ID} {
		if !slices.Contains(ids, id) {
			return fmt.Errorf("listPaymentSources: %s is not in %v", id, ids)
		}
	}
	if list.NextOffset.Set {
		return fmt.Errorf("listPaymentSources: a next page with limit=100: %s", list.NextOffset.Value)
	}
	t.ok("listPaymentSources")
	fmt.Printf("ogen: listPaymentSources sent ?%s: %d cards, all %s's\n", sent.last.RawQuery, len(ids), customer)

	// limit=1 without type[is]: one page of one, the customer's oldest (the
	// PayPal source); without filters: the oldest of all, another customer's.
	ls, err = c.ListPaymentSources(ctx, client.ListPaymentSourcesParams{
		CustomerID: client.NewOptCustomerIDFilter(client.CustomerIDFilter{Is: client.NewOptString(customer)}),
		Limit:      client.NewOptInt(1),
	})
	if err != nil {
		return fmt.Errorf("listPaymentSources limit=1: %w", err)
	}
	if first, isOK := ls.(*client.PaymentSourceList); !isOK || len(first.List) != 1 ||
		first.List[0].PaymentSource.ID != paypal.ID || !first.NextOffset.Set {
		return fmt.Errorf("listPaymentSources limit=1: want [%s] and a next page, got %T %+v", paypal.ID, ls, ls)
	}
	t.ok("listPaymentSources")
	ls, err = c.ListPaymentSources(ctx, client.ListPaymentSourcesParams{Limit: client.NewOptInt(1)})
	if err != nil {
		return fmt.Errorf("listPaymentSources unfiltered: %w", err)
	}
	if anyone, isOK := ls.(*client.PaymentSourceList); !isOK || len(anyone.List) != 1 || anyone.List[0].PaymentSource.CustomerID == customer {
		return fmt.Errorf("listPaymentSources unfiltered: want another customer's source first, got %T %+v", ls, ls)
	}
	t.ok("listPaymentSources")

	// updatePaymentMethod: payment_method[...] with
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
	t.ok("updatePaymentMethod")
	pm, _ := cuOK.Response.Customer.PaymentMethod.Get()
	fmt.Printf("ogen: updatePaymentMethod 200 pays by %s\n", pm.Type)

	// Deleted, then gone: a retrieve is Chargebee's 404 resource_not_found,
	// decoded by the generated client as RetrievePaymentSourceNotFound (the
	// spec's ChargebeeError).
	del, err := c.DeletePaymentSource(ctx, client.DeletePaymentSourceParams{PaymentSourceID: ps.ID})
	if err != nil {
		return fmt.Errorf("deletePaymentSource: %w", err)
	}
	delOK, isOK := del.(*client.PaymentSourceResponseHeaders)
	if !isOK || delOK.Response.PaymentSource.ID != ps.ID || !delOK.Response.PaymentSource.Deleted {
		return fmt.Errorf("deletePaymentSource: want %s deleted, got %T %+v", ps.ID, del, del)
	}
	t.ok("deletePaymentSource")
	gone, err := c.RetrievePaymentSource(ctx, client.RetrievePaymentSourceParams{PaymentSourceID: ps.ID})
	if err != nil {
		return fmt.Errorf("retrievePaymentSource after delete: %w", err)
	}
	nf, isOK := gone.(*client.RetrievePaymentSourceNotFound)
	if !isOK || nf.APIErrorCode.Or("") != "resource_not_found" || nf.Message == "" {
		return fmt.Errorf("retrievePaymentSource after delete: want 404 resource_not_found, got %T %+v", gone, gone)
	}
	t.calls++
	t.notFounds++
	return t.done("ogen")
}
