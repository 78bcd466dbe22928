package form

import (
	"net/url"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func largest() gen.CreatePaymentSourceUsingPermanentTokenRequest {
	return gen.CreatePaymentSourceUsingPermanentTokenRequest{
		CustomerID:                  "cust 7/é",
		Type:                        gen.PaymentMethodTypeCard,
		GatewayAccountID:            ptr.To("gw_stripe"),
		PaymentMethodToken:          ptr.To("pm_1&2=3+4"),
		CustomerProfileToken:        ptr.To("cus_[x]"),
		ReplacePrimaryPaymentSource: ptr.To(false),
		SkipRetrieval:               ptr.To(true),
		Card: &gen.CardParams{
			IIN: ptr.To("411111"), Last4: ptr.To("1111"), ExpiryMonth: ptr.To(12), ExpiryYear: ptr.To(2030),
			Brand: ptr.To(gen.CardBrandVisa), FundingType: ptr.To(gen.CardFundingTypeCredit),
		},
		BillingAddress: &gen.BillingAddressParams{
			FirstName: ptr.To("Ana"), LastName: ptr.To("Núñez"), Line1: ptr.To("12 Main St"),
			City: ptr.To("Austin"), Zip: ptr.To("78701"), Country: ptr.To("US"),
		},
		AdditionalInformation: &gen.AdditionalInformation{"payer": map[string]any{"document": "123", "country_of_residence": "BR"}},
	}
}

func TestEncodeMatchesURLValues(t *testing.T) {
	body, err := Encode(largest())
	require.NoError(t, err)
	want := url.Values{
		"customer_id":                    {"cust 7/é"},
		"type":                           {"card"},
		"gateway_account_id":             {"gw_stripe"},
		"payment_method_token":           {"pm_1&2=3+4"},
		"customer_profile_token":         {"cus_[x]"},
		"replace_primary_payment_source": {"false"},
		"skip_retrieval":                 {"true"},
		"card[iin]":                      {"411111"},
		"card[last4]":                    {"1111"},
		"card[expiry_month]":             {"12"},
		"card[expiry_year]":              {"2030"},
		"card[brand]":                    {"visa"},
		"card[funding_type]":             {"credit"},
		"billing_address[first_name]":    {"Ana"},
		"billing_address[last_name]":     {"Núñez"},
		"billing_address[line1]":         {"12 Main St"},
		"billing_address[city]":          {"Austin"},
		"billing_address[zip]":           {"78701"},
		"billing_address[country]":       {"US"},
		"additional_information":         {`{"payer":{"country_of_residence":"BR","document":"123"}}`},
	}
	assert.Equal(t, want.Encode(), string(body))
}

func TestEncodeOmitsUnsetAndSendsZero(t *testing.T) {
	body, err := Encode(&gen.CreatePaymentIntentRequest{Amount: 0, CurrencyCode: "USD"})
	require.NoError(t, err)
	assert.Equal(t, "amount=0&currency_code=USD", string(body))

	body, err = Encode(gen.CreatePaymentSourceUsingTokenRequest{CustomerID: "c", TokenID: "t", ReplacePrimaryPaymentSource: ptr.To(false)})
	require.NoError(t, err)
	assert.Equal(t, "customer_id=c&replace_primary_payment_source=false&token_id=t", string(body))

	// An empty nested object sends nothing; an empty free-form object is {}.
	body, err = Encode(gen.CreatePaymentSourceUsingPermanentTokenRequest{CustomerID: "c", Type: "card",
		Card: &gen.CardParams{}, AdditionalInformation: &gen.AdditionalInformation{}})
	require.NoError(t, err)
	assert.Equal(t, "additional_information=%7B%7D&customer_id=c&type=card", string(body))
}

func TestEncodeNestedFreeFormInsideObject(t *testing.T) {
	body, err := Encode(gen.UpdatePaymentMethodRequest{PaymentMethod: &gen.PaymentMethodParams{
		Type: gen.PaymentMethodTypeCard, AdditionalInformation: &gen.AdditionalInformation{"fraud": map[string]any{"device_session_id": "d 1"}},
	}})
	require.NoError(t, err)
	got, err := url.ParseQuery(string(body))
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"payment_method[type]":                   {"card"},
		"payment_method[additional_information]": {`{"fraud":{"device_session_id":"d 1"}}`},
	}, got)
}

type item struct {
	ID    string  `json:"id"`
	Qty   *int    `json:"qty,omitempty"`
	Price float64 `json:"price"`
}

type withSlices struct {
	Items []item   `json:"items,omitempty"`
	Tags  []string `json:"tags,omitempty"`
	Skip  string   `json:"-"`
	priv  string
}

func TestEncodeSlicesPutIndexLast(t *testing.T) {
	body, err := Encode(withSlices{Items: []item{{ID: "a", Qty: ptr.To(2), Price: 1.5}, {ID: "b"}}, Tags: []string{"x", "y z"}, Skip: "no", priv: "no"})
	require.NoError(t, err)
	assert.Equal(t, "items%5Bid%5D%5B0%5D=a&items%5Bid%5D%5B1%5D=b&items%5Bprice%5D%5B0%5D=1.5&items%5Bprice%5D%5B1%5D=0&items%5Bqty%5D%5B0%5D=2&tags%5B0%5D=x&tags%5B1%5D=y+z", string(body))
}

func TestPlanRejectsBadTypes(t *testing.T) {
	_, err := Encode(42)
	assert.ErrorContains(t, err, "not a struct")
	_, err = Encode(struct {
		C chan int `json:"c"`
	}{})
	assert.ErrorContains(t, err, "c: unsupported type chan int")
	type Inner struct {
		A string `json:"a"`
	}
	_, err = Encode(struct {
		A string `json:"a"`
		Inner
	}{})
	assert.ErrorContains(t, err, "key a appears twice")
}

func TestDecode(t *testing.T) {
	body, err := Encode(largest())
	require.NoError(t, err)
	m, err := Decode(string(body))
	require.NoError(t, err)
	assert.Equal(t, "Núñez", m["billing_address"].(map[string]any)["last_name"])
	assert.Equal(t, "1111", m["card"].(map[string]any)["last4"])
	assert.Equal(t, "pm_1&2=3+4", m["payment_method_token"])

	for body, msg := range map[string]string{
		"card=1&card[iin]=2":     "card is both a value and an object",
		"card[iin]=1&card=2":     "card is both a value and an object",
		"a=1&a=2":                "a is sent 2 times",
		"card[iin=1":             "malformed key",
		"card[]=1":               "malformed key",
		"[x]=1":                  "malformed key",
		"card[a]b=1":             "malformed key",
		"a%ZZ=1":                 "invalid URL escape",
		"card[a][b]=1&card[a]=2": "card[a] is both a value and an object",
	} {
		_, err := Decode(body)
		assert.ErrorContains(t, err, msg, body)
	}
}
