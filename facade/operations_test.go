package cbpay

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// assertWire checks what every call puts on the wire besides its body.
func assertWire(t *testing.T, r captured, path string) {
	t.Helper()
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, path, r.Path)
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
	assert.True(t, r.HasAuth, "basic auth")
	assert.Equal(t, testKey, r.User)
	assert.Empty(t, r.Pass)
	assert.Equal(t, "cbpay-go/"+Version, r.Header.Get("User-Agent"))
	assert.Regexp(t, uuidV4, r.Header.Get(HeaderIdempotencyKey))
}

func TestCreatePaymentIntentFull(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentIntentJSON))
	c := newTestClient(t, s)
	res, err := c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{
		Amount: 0, CurrencyCode: "USD", CustomerID: Ptr("cust_1"), GatewayAccountID: Ptr("gw_1"),
		BusinessEntityID: Ptr("be_1"), ReferenceID: Ptr("ref/1"), PaymentMethodType: Ptr(gen.PaymentIntentPaymentMethodTypeIdeal),
		SuccessURL: Ptr("https://shop.example/ok?a=1&b=2"), FailureURL: Ptr("https://shop.example/fail#x"),
	})
	require.NoError(t, err)
	reqs := s.requests()
	require.Len(t, reqs, 1)
	assertWire(t, reqs[0], "/api/v2/payment_intents")
	assert.Equal(t, url.Values{
		"amount": {"0"}, "currency_code": {"USD"}, "customer_id": {"cust_1"}, "gateway_account_id": {"gw_1"},
		"business_entity_id": {"be_1"}, "reference_id": {"ref/1"}, "payment_method_type": {"ideal"},
		"success_url": {"https://shop.example/ok?a=1&b=2"}, "failure_url": {"https://shop.example/fail#x"},
	}, reqs[0].Form)
	assert.Equal(t, "pi_1", res.PaymentIntent.ID)
	assert.Equal(t, gen.PaymentIntentStatusInited, res.PaymentIntent.Status)
	assert.Equal(t, 200, res.Response.StatusCode)
	assert.Equal(t, 1, res.Response.Attempts)
	assert.False(t, res.Response.Replayed)
	assert.Equal(t, reqs[0].Header.Get(HeaderIdempotencyKey), res.Response.IdempotencyKey)
}

func TestCreatePaymentIntentMinimalSendsZeroAmount(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentIntentJSON))
	c := newTestClient(t, s)
	_, err := c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "EUR"})
	require.NoError(t, err)
	assert.Equal(t, "amount=0&currency_code=EUR", s.requests()[0].Body)
}

func TestCreatePaymentSourceUsingToken(t *testing.T) {
	for name, tc := range map[string]struct {
		params CreatePaymentSourceUsingTokenParams
		want   url.Values
	}{
		"minimal": {CreatePaymentSourceUsingTokenParams{CustomerID: "cust_1", TokenID: "cb_tok_1"},
			url.Values{"customer_id": {"cust_1"}, "token_id": {"cb_tok_1"}}},
		"explicit false": {CreatePaymentSourceUsingTokenParams{CustomerID: "cust_1", TokenID: "cb_tok_1", ReplacePrimaryPaymentSource: Ptr(false)},
			url.Values{"customer_id": {"cust_1"}, "token_id": {"cb_tok_1"}, "replace_primary_payment_source": {"false"}}},
		"true and reserved characters": {CreatePaymentSourceUsingTokenParams{CustomerID: "a&b=c+d e[f]", TokenID: "tok%2F", ReplacePrimaryPaymentSource: Ptr(true)},
			url.Values{"customer_id": {"a&b=c+d e[f]"}, "token_id": {"tok%2F"}, "replace_primary_payment_source": {"true"}}},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStub(t, jsonReply(200, paymentSourceJSON))
			c := newTestClient(t, s)
			res, err := c.CreatePaymentSourceUsingToken(ctx(t), &tc.params)
			require.NoError(t, err)
			r := s.requests()[0]
			assertWire(t, r, "/api/v2/payment_sources/create_using_token")
			assert.Equal(t, tc.want, r.Form)
			assert.Equal(t, "pm_1", res.PaymentSource.ID)
			assert.Equal(t, "1111", *res.PaymentSource.Card.Last4)
			assert.Equal(t, "cust_1", res.Customer.ID)
		})
	}
}

func fullPermanentToken() *CreatePaymentSourceUsingPermanentTokenParams {
	return &CreatePaymentSourceUsingPermanentTokenParams{
		CustomerID: "cust_1", Type: gen.PaymentMethodTypeCard, GatewayAccountID: Ptr("gw_1"),
		PaymentMethodToken: Ptr("pm_123"), CustomerProfileToken: Ptr("cus_9"), NetworkTransactionID: Ptr("ntx_1"),
		MandateID: Ptr("md_1"), SkipRetrieval: Ptr(false), ReplacePrimaryPaymentSource: Ptr(true), IssuingCountry: Ptr("BR"),
		Card: &CardParams{IIN: Ptr("411111"), Last4: Ptr("1111"), Brand: Ptr(gen.CardBrandVisa),
			FundingType: Ptr(gen.CardFundingTypeCredit), ExpiryMonth: Ptr(1), ExpiryYear: Ptr(2031)},
		BillingAddress: &BillingAddressParams{FirstName: Ptr("José"), LastName: Ptr("Ñandú"), Email: Ptr("jose@example.com"),
			Line1: Ptr("Rua A & B, 10"), Line2: Ptr("apto = 3"), Line3: Ptr("50% off"), City: Ptr("São Paulo"),
			State: Ptr("SP"), StateCode: Ptr("SP"), Zip: Ptr("01000-000"), Country: Ptr("BR")},
		AdditionalInformation: &AdditionalInformation{"payer": map[string]any{"document": "123.456", "country_of_residence": "BR"}},
	}
}

func TestCreatePaymentSourceUsingPermanentTokenFull(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentSourceJSON))
	c := newTestClient(t, s)
	_, err := c.CreatePaymentSourceUsingPermanentToken(ctx(t), fullPermanentToken())
	require.NoError(t, err)
	r := s.requests()[0]
	assertWire(t, r, "/api/v2/payment_sources/create_using_permanent_token")
	assert.Equal(t, url.Values{
		"customer_id": {"cust_1"}, "type": {"card"}, "gateway_account_id": {"gw_1"},
		"payment_method_token": {"pm_123"}, "customer_profile_token": {"cus_9"}, "network_transaction_id": {"ntx_1"},
		"mandate_id": {"md_1"}, "skip_retrieval": {"false"}, "replace_primary_payment_source": {"true"}, "issuing_country": {"BR"},
		"card[iin]": {"411111"}, "card[last4]": {"1111"}, "card[brand]": {"visa"}, "card[funding_type]": {"credit"},
		"card[expiry_month]": {"1"}, "card[expiry_year]": {"2031"},
		"billing_address[first_name]": {"José"}, "billing_address[last_name]": {"Ñandú"}, "billing_address[email]": {"jose@example.com"},
		"billing_address[line1]": {"Rua A & B, 10"}, "billing_address[line2]": {"apto = 3"}, "billing_address[line3]": {"50% off"},
		"billing_address[city]": {"São Paulo"}, "billing_address[state]": {"SP"}, "billing_address[state_code]": {"SP"},
		"billing_address[zip]": {"01000-000"}, "billing_address[country]": {"BR"},
		"additional_information": {`{"payer":{"country_of_residence":"BR","document":"123.456"}}`},
	}, r.Form)
	// Keys are sorted and escaped like url.Values.Encode: one canonical body.
	assert.Equal(t, r.Form.Encode(), r.Body)
}

func TestUpdatePaymentMethodEscapesPathAndNestsObject(t *testing.T) {
	s := newStub(t, jsonReply(200, customerCardJSON))
	c := newTestClient(t, s)
	res, err := c.UpdatePaymentMethod(ctx(t), "cust 7/é", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{
		Type: gen.PaymentMethodTypePaypalExpressCheckout, ReferenceID: Ptr("B-1"), GatewayAccountID: Ptr("gw_pp"),
		IssuingCountry: Ptr("US"), AdditionalInformation: &AdditionalInformation{"fraud": map[string]any{"device_session_id": "a b&c"}},
	}})
	require.NoError(t, err)
	r := s.requests()[0]
	assertWire(t, r, "/api/v2/customers/cust%207%2F%C3%A9/update_payment_method")
	assert.Equal(t, url.Values{
		"payment_method[type]": {"paypal_express_checkout"}, "payment_method[reference_id]": {"B-1"},
		"payment_method[gateway_account_id]": {"gw_pp"}, "payment_method[issuing_country]": {"US"},
		"payment_method[additional_information]": {`{"fraud":{"device_session_id":"a b&c"}}`},
	}, r.Form)
	assert.Equal(t, "cust 7/é", res.Customer.ID)
	require.NotNil(t, res.Card)
	assert.Equal(t, "4242", *res.Card.Last4)
}

func TestCreateCardUsingPaymentIntentUsesAPIv1(t *testing.T) {
	s := newStub(t, jsonReply(200, customerCardJSON))
	c := newTestClient(t, s)
	res, err := c.CreateCardUsingPaymentIntent(ctx(t), "cust_1", &CreateCardUsingPaymentIntentParams{PaymentIntentID: Ptr("pi_1")})
	require.NoError(t, err)
	r := s.requests()[0]
	assertWire(t, r, "/api/v1/customers/cust_1/credit_card_using_payment_intent")
	assert.Equal(t, url.Values{"payment_intent_id": {"pi_1"}}, r.Form)
	assert.Equal(t, "4242", *res.Card.Last4)

	_, err = c.CreateCardUsingPaymentIntent(ctx(t), "cust_1", &CreateCardUsingPaymentIntentParams{
		GatewayAccountID: Ptr("gw_1"), GwToken: Ptr("3ds_tx_1"), ReferenceID: Ptr("bt/1")})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"gateway_account_id": {"gw_1"}, "gw_token": {"3ds_tx_1"}, "reference_id": {"bt/1"}}, s.requests()[1].Form)
}

func TestHeaders(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentIntentJSON))
	c := newTestClient(t, s, WithUserAgentSuffix("shop/2.1"),
		WithRequestDefaults(WithOriginDevice("ios"), WithBusinessEntity("be_default"), SkipEmails(), WithOriginUser("ops@example.com")))
	_, err := c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"},
		WithOriginIP("203.0.113.9"), WithBusinessEntity("be_call"), SkipWebhooks(), SkipActions(),
		WithOriginUser("zoë@example.com"), WithIdempotencyKey("order-42"), WithHeader("X-Trace", "t1"))
	require.NoError(t, err)
	h := s.requests()[0].Header
	assert.Equal(t, "cbpay-go/"+Version+" shop/2.1", h.Get("User-Agent"))
	assert.Equal(t, "ios", h.Get(HeaderOriginDevice))
	assert.Equal(t, "203.0.113.9", h.Get(HeaderOriginIP))
	assert.Equal(t, "be_call", h.Get(HeaderBusinessEntity), "the call's option wins over the default")
	assert.Equal(t, "all-disabled", h.Get(HeaderEventEmail))
	assert.Equal(t, "all-disabled", h.Get(HeaderEventWebhook))
	assert.Equal(t, "all-disabled", h.Get(HeaderEventActions))
	assert.Equal(t, base64.StdEncoding.EncodeToString([]byte("zoë@example.com")), h.Get(HeaderOriginUserEncoded))
	assert.Empty(t, h.Values(HeaderOriginUser), "the encoded form replaces the plain one")
	assert.Equal(t, "order-42", h.Get(HeaderIdempotencyKey))
	assert.Equal(t, "t1", h.Get("X-Trace"))
}

func TestOriginUserASCIIUsesPlainHeader(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentIntentJSON))
	c := newTestClient(t, s)
	_, err := c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithOriginUser("ana@example.com"))
	require.NoError(t, err)
	h := s.requests()[0].Header
	assert.Equal(t, "ana@example.com", h.Get(HeaderOriginUser))
	assert.Empty(t, h.Values(HeaderOriginUserEncoded))
}

func TestBusinessEntityDefaultIsNotSentToV1(t *testing.T) {
	s := newStub(t, jsonReply(200, customerCardJSON))
	c := newTestClient(t, s, WithRequestDefaults(WithBusinessEntity("be_1")))
	_, err := c.CreateCardUsingPaymentIntent(ctx(t), "cust_1", &CreateCardUsingPaymentIntentParams{PaymentIntentID: Ptr("pi_1")})
	require.NoError(t, err)
	assert.Empty(t, s.requests()[0].Header.Values(HeaderBusinessEntity))
}
