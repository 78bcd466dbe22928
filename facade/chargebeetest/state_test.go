package chargebeetest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/stretchr/testify/require"
)

func TestCreatePaymentIntent(t *testing.T) {
	clock := newTestClock()
	s := chargebeetest.NewServer(chargebeetest.WithClock(clock.Now), chargebeetest.WithCustomers("cust_42"))
	defer s.Close()

	pi := createIntent(t, s, "customer_id=cust_42&amount=5000&currency_code=USD")
	require.True(t, strings.HasPrefix(pi.ID, "pi_"), pi.ID)
	require.Equal(t, gen.PaymentIntentStatus("inited"), pi.Status)
	require.Equal(t, int64(5000), pi.Amount)
	require.Equal(t, "USD", ptr.Deref(pi.CurrencyCode))
	require.Equal(t, chargebeetest.DefaultGatewayAccountID, ptr.Deref(pi.GatewayAccountID))
	require.Equal(t, clock.Now().Unix(), pi.CreatedAt)
	require.Equal(t, clock.Now().Add(30*time.Minute).Unix(), pi.ExpiresAt)
	require.Equal(t, gen.PaymentIntentPaymentMethodType("card"), ptr.Deref(pi.PaymentMethodType))
	require.Equal(t, "cust_42", ptr.Deref(pi.CustomerID))

	stored, ok := s.PaymentIntent(pi.ID)
	require.True(t, ok)
	require.Equal(t, pi, stored)

	// amount=0 is meaningful and must survive.
	zero := createIntent(t, s, "amount=0&currency_code=EUR&gateway_account_id=gw_eu&payment_method_type=ideal",
		"chargebee-business-entity-id", "be_eu")
	require.Zero(t, zero.Amount)
	require.Equal(t, "gw_eu", ptr.Deref(zero.GatewayAccountID))
	require.Equal(t, gen.PaymentIntentPaymentMethodType("ideal"), ptr.Deref(zero.PaymentMethodType))
	require.Equal(t, "be_eu", ptr.Deref(zero.BusinessEntityID), "the header sets the business entity")
	require.NotEqual(t, pi.ID, zero.ID)

	// Like Chargebee: an unknown customer_id ties the intent to no customer.
	anyone := createIntent(t, s, "customer_id=cust_unknown&amount=1&currency_code=USD")
	require.Nil(t, anyone.CustomerID)
	_, exists := s.Customer("cust_unknown")
	require.False(t, exists, "payment intents do not create customers")
	require.Equal(t, 3, s.Counts().PaymentIntents)
}

func TestCreateUsingTokenAndPrimaryReplacement(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_1"))
	defer s.Close()
	s.AddToken("tok_amex", chargebeetest.Card{Brand: "american_express", IIN: "378282", Last4: "0005", ExpiryMonth: 3, ExpiryYear: 2030})

	var first gen.PaymentSourceResponse
	post(t, s, pathToken, "customer_id=cust_1&token_id=tok_any").decode(t, &first)
	src := first.PaymentSource
	require.True(t, strings.HasPrefix(src.ID, "pm_"), src.ID)
	require.Equal(t, "cust_1", src.CustomerID)
	require.Equal(t, gen.PaymentMethodType("card"), src.Type)
	require.Equal(t, gen.PaymentSourceStatus("valid"), src.Status)
	require.NotEmpty(t, src.ReferenceID)
	test := chargebeetest.TestCard()
	require.Equal(t, test.Last4, ptr.Deref(src.Card.Last4), "an unknown token carries TestCard")
	require.Equal(t, int64(test.ExpiryYear), ptr.Deref(src.Card.ExpiryYear))
	require.Equal(t, "************4242", ptr.Deref(src.Card.MaskedNumber))
	require.Equal(t, src.ID, ptr.Deref(first.Customer.PrimaryPaymentSourceID), "the first source becomes primary")
	require.Equal(t, src.ReferenceID, first.Customer.PaymentMethod.ReferenceID)

	var second gen.PaymentSourceResponse
	post(t, s, pathToken, "customer_id=cust_1&token_id=tok_amex&replace_primary_payment_source=false").decode(t, &second)
	amex := second.PaymentSource.Card
	require.Equal(t, gen.StoredCardBrand("american_express"), ptr.Deref(amex.Brand))
	require.Equal(t, "378282", ptr.Deref(amex.IIN))
	require.Equal(t, "0005", ptr.Deref(amex.Last4))
	require.Equal(t, int64(3), ptr.Deref(amex.ExpiryMonth))
	require.Equal(t, int64(2030), ptr.Deref(amex.ExpiryYear))
	require.Nil(t, amex.FundingType, "the token's card has no funding type: none is made up")
	require.Nil(t, second.PaymentSource.IssuingCountry)
	require.Equal(t, src.ID, ptr.Deref(second.Customer.PrimaryPaymentSourceID), "without replace the primary stays")

	var third gen.PaymentSourceResponse
	post(t, s, pathToken, "customer_id=cust_1&token_id=tok_3&replace_primary_payment_source=true").decode(t, &third)
	require.Equal(t, third.PaymentSource.ID, ptr.Deref(third.Customer.PrimaryPaymentSourceID), "replace makes it primary")

	sources := s.PaymentSources("cust_1")
	require.Len(t, sources, 3)
	require.Equal(t, []string{src.ID, second.PaymentSource.ID, third.PaymentSource.ID},
		[]string{sources[0].ID, sources[1].ID, sources[2].ID}, "oldest first")
	c, ok := s.Customer("cust_1")
	require.True(t, ok)
	require.Equal(t, third.PaymentSource.ID, ptr.Deref(c.PrimaryPaymentSourceID))
	require.Equal(t, third.PaymentSource.ReferenceID, c.PaymentMethod.ReferenceID)
}

func TestTokensAreSingleUseAndDeclineConvention(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c", "c2"))
	defer s.Close()
	require.Equal(t, http.StatusOK, post(t, s, pathToken, "customer_id=c&token_id=tok_once").status)
	r := post(t, s, pathToken, "customer_id=c&token_id=tok_once")
	requireError(t, r, http.StatusBadRequest, "param_wrong_value", "token_id")
	require.NotContains(t, string(r.body), "tok_once", "tokens are not echoed")

	// Chargebee sends payment errors as 400 with type payment.
	decline := chargebeetest.DeclineTokenPrefix + "_insufficient_funds"
	for range 2 {
		r = post(t, s, pathToken, "customer_id=c2&token_id="+decline)
		e := requireError(t, r, http.StatusBadRequest, "payment_method_verification_failed", "")
		require.Equal(t, gen.APIErrorTypePayment, ptr.Deref(e.Type))
		require.NotContains(t, string(r.body), decline, "tokens are not echoed")
	}
	require.Len(t, s.PaymentSources("c"), 1)
	require.Empty(t, s.PaymentSources("c2"), "a declined token stores nothing")
	c2, _ := s.Customer("c2")
	require.Nil(t, c2.PrimaryPaymentSourceID)
}

func TestCreateUsingPermanentToken(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_9"))
	defer s.Close()
	form := url.Values{
		"customer_id":                 {"cust_9"},
		"type":                        {"card"},
		"gateway_account_id":          {"gw_stripe"},
		"customer_profile_token":      {"cus_OqWe12"},
		"payment_method_token":        {"pm_1NxYz2"},
		"card[iin]":                   {"555555"},
		"card[last4]":                 {"4444"},
		"card[funding_type]":          {"debit"},
		"card[expiry_month]":          {"7"},
		"card[expiry_year]":           {"2031"},
		"billing_address[first_name]": {"Ana"},
		"billing_address[last_name]":  {"Núñez"},
		"billing_address[line1]":      {"12 Main St"},
		"billing_address[city]":       {"Austin"},
		"billing_address[zip]":        {"78701"},
		"billing_address[country]":    {"US"},
		"additional_information":      {`{"payer":{"document":"123"}}`},
	}
	var out gen.PaymentSourceResponse
	post(t, s, pathPermToken, form.Encode()).decode(t, &out)
	src := out.PaymentSource
	require.Equal(t, "cus_OqWe12/pm_1NxYz2", src.ReferenceID, "Stripe-style reference from the tokens")
	require.Equal(t, "gw_stripe", ptr.Deref(src.GatewayAccountID))
	card := src.Card
	require.NotNil(t, card)
	require.Nil(t, card.Brand, "no card[brand] sent: none guessed from the IIN")
	require.Equal(t, gen.StoredCardFundingType("debit"), ptr.Deref(card.FundingType))
	require.Equal(t, "555555", ptr.Deref(card.IIN))
	require.Equal(t, "4444", ptr.Deref(card.Last4))
	require.Equal(t, int64(7), ptr.Deref(card.ExpiryMonth))
	require.Equal(t, int64(2031), ptr.Deref(card.ExpiryYear))
	require.Equal(t, "Núñez", ptr.Deref(card.LastName))
	require.Equal(t, "12 Main St", ptr.Deref(card.BillingAddr1))
	require.Equal(t, "US", ptr.Deref(card.BillingCountry))
	require.Equal(t, "Austin", ptr.Deref(src.BillingAddress.City))
	require.Nil(t, src.IssuingCountry, "no issuing_country sent")

	var paypal gen.PaymentSourceResponse
	post(t, s, pathPermToken, "customer_id=cust_9&type=paypal_express_checkout&reference_id=B-5YT84129JC1234567&replace_primary_payment_source=true").decode(t, &paypal)
	require.Nil(t, paypal.PaymentSource.Card, "not a card")
	require.Equal(t, "B-5YT84129JC1234567", ptr.Deref(paypal.PaymentSource.Paypal.AgreementID))
	require.Equal(t, gen.PaymentMethodType("paypal_express_checkout"), paypal.Customer.PaymentMethod.Type)
	require.Equal(t, paypal.PaymentSource.ID, ptr.Deref(paypal.Customer.PrimaryPaymentSourceID))
}

func TestUpdatePaymentMethod(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_5"))
	defer s.Close()

	r := post(t, s, pathUpdatePM("cust_5"), "payment_method[type]=card&payment_method[reference_id]=cus_1/card_1&payment_method[gateway_account_id]=gw_s")
	var card gen.CustomerCardResponse
	r.decode(t, &card)
	require.NotNil(t, card.Card, "type=card answers the card")
	require.Equal(t, "cust_5", card.Card.CustomerID)
	require.Equal(t, gen.CardStatus("valid"), card.Card.Status)
	require.Equal(t, ptr.Deref(card.Customer.PrimaryPaymentSourceID), card.Card.PaymentSourceID)
	require.Equal(t, "cus_1/card_1", card.Customer.PaymentMethod.ReferenceID)
	require.Equal(t, "gw_s", ptr.Deref(card.Customer.PaymentMethod.GatewayAccountID))
	// The card is named by reference only; its details would come from the
	// gateway, which the fake does not have.
	require.Nil(t, card.Card.Last4)
	require.Nil(t, card.Card.IIN)
	require.Nil(t, card.Card.CardType)
	require.Nil(t, card.Card.ExpiryYear)
	require.Nil(t, card.Card.MaskedNumber)

	r = post(t, s, pathUpdatePM("cust_5"), "payment_method[type]=paypal_express_checkout&payment_method[reference_id]=B-1")
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(r.body, &raw))
	require.NotContains(t, raw, "card", "other types answer the customer only")
	var pp gen.CustomerCardResponse
	r.decode(t, &pp)
	require.Equal(t, gen.PaymentMethodType("paypal_express_checkout"), pp.Customer.PaymentMethod.Type)
	require.NotEqual(t, ptr.Deref(card.Customer.PrimaryPaymentSourceID), ptr.Deref(pp.Customer.PrimaryPaymentSourceID), "the new method replaces the primary one")
	require.Len(t, s.PaymentSources("cust_5"), 2)
}

func TestPathIDsAreUnescaped(t *testing.T) {
	id := "cust 7/é"
	long := strings.Repeat("é", 50)
	s := chargebeetest.NewServer(chargebeetest.WithCustomers(id, long))
	defer s.Close()
	r := post(t, s, pathUpdatePM(url.PathEscape(id)), "payment_method[type]=card")
	var out gen.CustomerCardResponse
	r.decode(t, &out)
	require.Equal(t, id, out.Customer.ID)
	_, ok := s.Customer(id)
	require.True(t, ok)
	// 50 characters is the limit, whatever their UTF-8 length.
	require.Equal(t, http.StatusOK, post(t, s, pathUpdatePM(url.PathEscape(long)), "payment_method[type]=card").status)
}

func TestThreeDSFlow(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_3ds"))
	defer s.Close()

	pi := createIntent(t, s, "customer_id=cust_3ds&amount=2500&currency_code=EUR&gateway_account_id=gw_eu")

	// Before the 3DS step the intent cannot be used.
	requireError(t, post(t, s, pathCardUsingPI("cust_3ds"), "payment_intent_id="+pi.ID),
		http.StatusConflict, "invalid_state_for_request", "payment_intent_id")
	require.Empty(t, s.PaymentSources("cust_3ds"))

	require.NoError(t, s.AuthorizePaymentIntentWithCard(pi.ID, chargebeetest.Card{IIN: "400000", Last4: "3220"}))
	got, _ := s.PaymentIntent(pi.ID)
	require.Equal(t, gen.PaymentIntentStatus("authorized"), got.Status)
	require.Equal(t, gen.PaymentAttemptStatus("authorized"), got.ActivePaymentAttempt.Status)
	require.ErrorIs(t, s.AuthorizePaymentIntent(pi.ID), chargebeetest.ErrInvalidState, "authorized once")

	var out gen.V1CustomerCardResponse
	post(t, s, pathCardUsingPI("cust_3ds"), "payment_intent_id="+pi.ID).decode(t, &out)
	require.Equal(t, "3220", ptr.Deref(out.Card.Last4))
	require.Len(t, s.PaymentSources("cust_3ds"), 1)
	stored := s.PaymentSources("cust_3ds")[0]
	require.Equal(t, "gw_eu", ptr.Deref(stored.GatewayAccountID), "the intent's gateway account")
	require.Equal(t, stored.ReferenceID, out.Customer.PaymentMethod.ReferenceID)

	got, _ = s.PaymentIntent(pi.ID)
	require.Equal(t, gen.PaymentIntentStatus("consumed"), got.Status)
	requireError(t, post(t, s, pathCardUsingPI("cust_3ds"), "payment_intent_id="+pi.ID),
		http.StatusConflict, "invalid_state_for_request", "payment_intent_id")
	require.Len(t, s.PaymentSources("cust_3ds"), 1, "a consumed intent stores nothing")
	require.ErrorIs(t, s.AuthorizePaymentIntent(pi.ID), chargebeetest.ErrInvalidState)
}

func TestPaymentIntentErrors(t *testing.T) {
	clock := newTestClock()
	s := chargebeetest.NewServer(chargebeetest.WithClock(clock.Now), chargebeetest.WithCustomers("owner", "other"))
	defer s.Close()

	requireError(t, post(t, s, pathCardUsingPI("owner"), "payment_intent_id=pi_missing"),
		http.StatusNotFound, "resource_not_found", "payment_intent_id")
	require.ErrorIs(t, s.AuthorizePaymentIntent("pi_missing"), chargebeetest.ErrNotFound)

	owned := createIntent(t, s, "customer_id=owner&amount=1&currency_code=USD")
	require.NoError(t, s.AuthorizePaymentIntent(owned.ID))
	requireError(t, post(t, s, pathCardUsingPI("other"), "payment_intent_id="+owned.ID),
		http.StatusBadRequest, "param_wrong_value", "payment_intent_id")

	requireError(t, post(t, s, pathCardUsingPI("owner"), ""),
		http.StatusBadRequest, "param_required", "payment_intent_id")

	// Intents expire 30 minutes after creation, authorized or not.
	clock.Advance(30 * time.Minute)
	requireError(t, post(t, s, pathCardUsingPI("owner"), "payment_intent_id="+owned.ID),
		http.StatusConflict, "invalid_state_for_request", "payment_intent_id")
	got, _ := s.PaymentIntent(owned.ID)
	require.Equal(t, gen.PaymentIntentStatus("expired"), got.Status)
	fresh := createIntent(t, s, "amount=1&currency_code=USD")
	clock.Advance(31 * time.Minute)
	require.ErrorIs(t, s.AuthorizePaymentIntent(fresh.ID), chargebeetest.ErrInvalidState)
	require.Empty(t, s.PaymentSources("owner"))
	require.Empty(t, s.PaymentSources("other"))
}

// Like Chargebee, the payment source and customer operations need a
// customer that exists: an unknown one is a 404 resource_not_found, with
// error_code referenced_resource_not_found and param customer_id for the
// body's id, resource_not_found and no param for the path's.
func TestUnknownCustomersAre404(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	pi := createIntent(t, s, "amount=1&currency_code=USD")
	require.NoError(t, s.AuthorizePaymentIntent(pi.ID))

	for _, tc := range []struct{ name, path, body, param, errorCode string }{
		{"create_using_token", pathToken, "customer_id=nobody&token_id=tok_1", "customer_id", "referenced_resource_not_found"},
		{"create_using_permanent_token", pathPermToken, "customer_id=nobody&type=card&card[last4]=4242", "customer_id", "referenced_resource_not_found"},
		{"update_payment_method", pathUpdatePM("nobody"), "payment_method[type]=card", "", "resource_not_found"},
		{"credit_card_using_payment_intent", pathCardUsingPI("nobody"), "payment_intent_id=" + pi.ID, "", "resource_not_found"},
		{"credit_card_using_payment_intent, gw_token", pathCardUsingPI("nobody"), "gw_token=x", "", "resource_not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := requireError(t, post(t, s, tc.path, tc.body), http.StatusNotFound, "resource_not_found", tc.param)
			require.Equal(t, gen.APIErrorTypeInvalidRequest, ptr.Deref(e.Type))
			require.Equal(t, tc.errorCode, ptr.Deref(e.ErrorCode))
			require.Equal(t, "Sorry, we couldn't find that resource", e.Message)
		})
	}
	require.Zero(t, s.Counts().Customers, "no customer was created")
	require.Zero(t, s.Counts().PaymentSources)
	got, _ := s.PaymentIntent(pi.ID)
	require.Equal(t, gen.PaymentIntentStatus("authorized"), got.Status, "the refused call did not consume the intent")

	c := s.AddCustomer("somebody")
	require.Equal(t, "somebody", c.ID)
	s.AddCustomer("somebody") // a no-op: the customer exists
	require.Equal(t, http.StatusOK, post(t, s, pathToken, "customer_id=somebody&token_id=tok_1").status)
	require.Equal(t, chargebeetest.Counts{Customers: 1, PaymentSources: 1, PaymentIntents: 1}, s.Counts())
}

// WithAutoCreateCustomers(true) brings back the old shortcut, and still
// creates nothing for a refused request.
func TestWithAutoCreateCustomers(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithAutoCreateCustomers(true))
	defer s.Close()
	require.Equal(t, http.StatusOK, post(t, s, pathToken, "customer_id=new_1&token_id=tok_1").status)
	require.Equal(t, http.StatusOK, post(t, s, pathUpdatePM("new_2"), "payment_method[type]=card").status)
	requireError(t, post(t, s, pathToken, "customer_id=new_3&token_id=tok_1"), http.StatusBadRequest, "param_wrong_value", "token_id")
	requireError(t, post(t, s, pathCardUsingPI("new_4"), "payment_intent_id=pi_none"), http.StatusNotFound, "resource_not_found", "payment_intent_id")
	for id, want := range map[string]bool{"new_1": true, "new_2": true, "new_3": false, "new_4": false} {
		_, ok := s.Customer(id)
		require.Equal(t, want, ok, id)
	}
}

// An intent created for a customer_id Chargebee does not know is tied to
// no customer (and creates none): any customer can then store its card.
func TestIntentForUnknownCustomerServesAnyCustomer(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_real"))
	defer s.Close()
	pi := createIntent(t, s, "customer_id=cust_typo&amount=100&currency_code=USD")
	require.Nil(t, pi.CustomerID)
	_, exists := s.Customer("cust_typo")
	require.False(t, exists)
	require.NoError(t, s.AuthorizePaymentIntent(pi.ID))

	var out gen.CustomerCardResponse
	post(t, s, pathCardUsingPI("cust_real"), "payment_intent_id="+pi.ID).decode(t, &out)
	require.Equal(t, "cust_real", out.Customer.ID)
	require.Equal(t, 1, s.Counts().Customers)
}

// A permanent token's card is what card[...] says, nothing more: no brand
// from the IIN, no expiry or IIN made up.
func TestPermanentTokenCardHasOnlyWhatWasSent(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_1"))
	defer s.Close()
	var out gen.PaymentSourceResponse
	post(t, s, pathPermToken, "customer_id=cust_1&type=card&payment_method_token=pm_1&card[last4]=1881").decode(t, &out)
	card := out.PaymentSource.Card
	require.NotNil(t, card, "a card source has a card")
	require.Equal(t, "1881", ptr.Deref(card.Last4))
	require.Equal(t, "************1881", ptr.Deref(card.MaskedNumber), "derived from last4")
	require.Nil(t, card.IIN)
	require.Nil(t, card.Brand)
	require.Nil(t, card.FundingType)
	require.Nil(t, card.ExpiryMonth)
	require.Nil(t, card.ExpiryYear)
	require.Nil(t, card.FirstName)
	require.Nil(t, card.BillingCountry)
	require.Nil(t, out.PaymentSource.IssuingCountry)
	require.Nil(t, out.PaymentSource.BillingAddress)

	var raw struct {
		PaymentSource struct {
			Card map[string]any `json:"card"`
		} `json:"payment_source"`
	}
	r := post(t, s, pathPermToken, "customer_id=cust_1&type=card&payment_method_token=pm_2")
	r.decode(t, &raw)
	require.Equal(t, map[string]any{"object": "card"}, raw.PaymentSource.Card, "nothing sent, nothing shown")
}

// The card stored from a payment intent is the one its 3DS step verified,
// as given; with gw_token the fake knows no card details.
func TestCardFromPaymentIntentIsTheAuthorizedOne(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_1"))
	defer s.Close()
	pi := createIntent(t, s, "customer_id=cust_1&amount=100&currency_code=EUR")
	require.NoError(t, s.AuthorizePaymentIntentWithCard(pi.ID, chargebeetest.Card{
		Brand: "mastercard", IIN: "522222", Last4: "0017", ExpiryMonth: 8, ExpiryYear: 2029, IssuingCountry: "FR"}))
	var out gen.V1CustomerCardResponse
	post(t, s, pathCardUsingPI("cust_1"), "payment_intent_id="+pi.ID).decode(t, &out)
	card := out.Card
	require.Equal(t, gen.StoredCardBrand("mastercard"), ptr.Deref(card.CardType))
	require.Equal(t, "522222", ptr.Deref(card.IIN))
	require.Equal(t, "0017", ptr.Deref(card.Last4))
	require.Equal(t, int64(8), ptr.Deref(card.ExpiryMonth))
	require.Equal(t, int64(2029), ptr.Deref(card.ExpiryYear))
	require.Equal(t, "FR", ptr.Deref(s.PaymentSources("cust_1")[0].IssuingCountry), "stored on the payment source (v1's card has no issuing_country)")

	var viaGateway gen.V1CustomerCardResponse
	post(t, s, pathCardUsingPI("cust_1"), "gw_token=tok_3ds_at_gateway").decode(t, &viaGateway)
	card = viaGateway.Card
	require.NotNil(t, card)
	require.Equal(t, gen.CardStatus("valid"), card.Status)
	require.Nil(t, card.Last4, "the gateway's card is unknown to the fake")
	require.Nil(t, card.IIN)
	require.Nil(t, card.ExpiryYear)
	require.Nil(t, card.CardType)
}

func TestInspectionReturnsCopies(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	require.Equal(t, http.StatusOK, post(t, s, pathToken, "customer_id=c&token_id=tok_1").status)
	c, _ := s.Customer("c")
	*c.PrimaryPaymentSourceID = "pm_tampered"
	srcs := s.PaymentSources("c")
	*srcs[0].Card.Last4 = "0000"
	c2, _ := s.Customer("c")
	require.NotEqual(t, "pm_tampered", ptr.Deref(c2.PrimaryPaymentSourceID))
	require.Equal(t, "4242", *s.PaymentSources("c")[0].Card.Last4)
}

func TestRequestsAreRecorded(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	post(t, s, pathPermToken, "customer_id=c&type=card&card[iin]=411111", "chargebee-idempotency-key", "k1")
	post(t, s, pathIntents, "amount=oops&currency_code=USD")

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	r := reqs[0]
	require.Equal(t, http.MethodPost, r.Method)
	require.Equal(t, pathPermToken, r.Path)
	require.Equal(t, "k1", r.Header.Get("chargebee-idempotency-key"))
	require.Equal(t, "customer_id=c&type=card&card[iin]=411111", r.Body)
	require.Equal(t, map[string]any{"iin": "411111"}, r.Form["card"])
	require.Equal(t, http.StatusOK, r.Status)
	require.False(t, r.Time.IsZero())
	require.Equal(t, http.StatusBadRequest, reqs[1].Status)
}

func TestRequestLogIsBounded(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithMaxRecordedRequests(3))
	defer s.Close()
	for i := range 8 {
		post(t, s, pathIntents, "amount="+string(rune('0'+i))+"&currency_code=USD")
	}
	reqs := s.Requests()
	require.Len(t, reqs, 3)
	require.Equal(t, "amount=7&currency_code=USD", reqs[2].Body, "the newest are kept")
	require.Equal(t, "amount=5&currency_code=USD", reqs[0].Body)
}

func TestSeededIDsRepeat(t *testing.T) {
	ids := func() string {
		s := chargebeetest.NewServer(chargebeetest.WithSeed(7))
		defer s.Close()
		return createIntent(t, s, "amount=1&currency_code=USD").ID
	}
	require.Equal(t, ids(), ids())
}

// The log keeps exactly the newest n requests, in order, as it wraps.
func TestRequestLogRing(t *testing.T) {
	const n = 5
	s := chargebeetest.NewServer(chargebeetest.WithMaxRecordedRequests(n))
	defer s.Close()
	var sent []string
	for i := range 13 {
		body := "amount=" + strconv.Itoa(i) + "&currency_code=USD"
		post(t, s, pathIntents, body)
		sent = append(sent, body)
		var got []string
		for _, r := range s.Requests() {
			got = append(got, r.Body)
		}
		require.Equal(t, sent[max(0, len(sent)-n):], got, "after %d requests", i+1)
	}
}

func TestMaxRecordedRequestsZeroRecordsNothing(t *testing.T) {
	for _, n := range []int{0, -1} {
		s := chargebeetest.NewServer(chargebeetest.WithMaxRecordedRequests(n))
		post(t, s, pathIntents, okIntentBody)
		post(t, s, pathIntents, "amount=oops")
		require.Empty(t, s.Requests(), "n=%d", n)
		require.Equal(t, 1, s.Counts().PaymentIntents, "the requests were still served")
		s.Close()
	}
}

// Of a body longer than MaxRecordedBodyBytes only the start is recorded,
// and no decoded form; the request is still served in full.
func TestRecordedBodyIsCapped(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	prefix := "payment_method[type]=card&payment_method[tmp_token]="
	long := prefix + strings.Repeat("t", 10000)
	require.Equal(t, http.StatusOK, post(t, s, pathUpdatePM("c"), long).status)
	exact := prefix + strings.Repeat("t", chargebeetest.MaxRecordedBodyBytes-len(prefix))
	require.Equal(t, http.StatusOK, post(t, s, pathUpdatePM("c"), exact).status)

	reqs := s.Requests()
	require.Len(t, reqs, 2)
	require.Equal(t, long[:chargebeetest.MaxRecordedBodyBytes], reqs[0].Body)
	require.Equal(t, len(long), reqs[0].BodySize)
	require.Nil(t, reqs[0].Form, "a body not recorded in full has no form")

	require.Equal(t, exact, reqs[1].Body, "a body of exactly the cap is kept whole")
	require.Equal(t, len(exact), reqs[1].BodySize)
	require.NotNil(t, reqs[1].Form)
}

func TestNilOptionsAreSkipped(t *testing.T) {
	require.NotPanics(t, func() {
		h := chargebeetest.NewHandler(nil)
		require.Empty(t, h.Requests())
	})
	var s *chargebeetest.Server
	require.NotPanics(t, func() { s = chargebeetest.NewServer(nil, chargebeetest.WithAPIKey("k2"), nil) })
	defer s.Close()
	require.Equal(t, "k2", s.APIKey)
	require.Equal(t, http.StatusOK, post(t, s, pathIntents, okIntentBody).status)
}
