package cbpay

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/cbpay/cbpay/gen"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values Chargebee accepts must reach the wire: payment method types and
// card brands newer than the reference pages, lowercase or three-letter
// country codes, and enum values newer than this client's spec.
func TestSendsWhatChargebeeAccepts(t *testing.T) {
	t.Run("permanent token with type=pix, card[brand]=mada, lowercase country", func(t *testing.T) {
		s := newStub(t, jsonReply(200, paymentSourceJSON))
		c := newTestClient(t, s)
		_, err := c.CreatePaymentSourceUsingPermanentToken(ctx(t), &CreatePaymentSourceUsingPermanentTokenParams{
			CustomerID: "cust_1", Type: gen.PaymentMethodTypePix, IssuingCountry: Ptr("br"),
			Card:           &CardParams{Brand: Ptr(gen.CardBrandMada), ExpiryYear: Ptr(31)},
			BillingAddress: &BillingAddressParams{Country: Ptr("bra")},
		})
		require.NoError(t, err)
		assert.Equal(t, url.Values{
			"customer_id": {"cust_1"}, "type": {"pix"}, "issuing_country": {"br"},
			"card[brand]": {"mada"}, "card[expiry_year]": {"31"}, "billing_address[country]": {"bra"},
		}, s.requests()[0].Form)
	})
	t.Run("payment intent with payment_method_type=apple_pay and options", func(t *testing.T) {
		s := newStub(t, jsonReply(200, paymentIntentJSON))
		c := newTestClient(t, s)
		_, err := c.CreatePaymentIntent(ctx(t), &CreatePaymentIntentParams{
			Amount: 100, CurrencyCode: "EUR", PaymentMethodType: Ptr(gen.PaymentIntentPaymentMethodTypeApplePay),
			DeferPaymentMethodType: Ptr(false),
			PaymentMethodOptions:   &PaymentMethodOptions{"capture": "manual"},
		})
		require.NoError(t, err)
		assert.Equal(t, url.Values{
			"amount": {"100"}, "currency_code": {"EUR"}, "payment_method_type": {"apple_pay"},
			"defer_payment_method_type": {"false"}, "payment_method_options": {`{"capture":"manual"}`},
		}, s.requests()[0].Form)
	})
	t.Run("a payment method type this client does not list yet", func(t *testing.T) {
		s := newStub(t, jsonReply(200, paymentSourceJSON))
		c := newTestClient(t, s)
		_, err := c.CreatePaymentSourceUsingPermanentToken(ctx(t), &CreatePaymentSourceUsingPermanentTokenParams{
			CustomerID: "cust_1", Type: "wallet_from_next_year"})
		require.NoError(t, err, "enums are open in the client")
		assert.Equal(t, []string{"wallet_from_next_year"}, s.requests()[0].Form["type"])
	})
	t.Run("update_payment_method without payment_method", func(t *testing.T) {
		s := newStub(t, jsonReply(200, customerCardJSON))
		c := newTestClient(t, s)
		_, err := c.UpdatePaymentMethod(ctx(t), "cust_1", &UpdatePaymentMethodParams{})
		require.NoError(t, err, "payment_method is optional in Chargebee's definitions")
	})
}

// Lengths, ranges, required fields and conflicts stay enforced: they are
// Chargebee's own limits.
func TestStillRefusesWhatChargebeeRefuses(t *testing.T) {
	refused(t, "card[iin]", "must be exactly 6 characters long", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) { p.Card = &CardParams{IIN: Ptr("41111")} }))
	refused(t, "issuing_country", "must be at most 50 characters long", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
		p.IssuingCountry = Ptr(string(make([]byte, 51)))
	}))
}

// A direct-debit payment source's bank account is in the typed result, and
// the raw answer keeps what the typed result does not know.
func TestBankAccountAndRawAnswer(t *testing.T) {
	const body = `{"customer":{"id":"cust_1","auto_collection":"on","net_term_days":0,"allow_direct_debit":true,
		"created_at":1,"deleted":false,"promotional_credits":0,"unbilled_charges":0,"refundable_credits":0,"excess_payments":0,
		"cf_tier":"gold"},
		"payment_source":{"id":"pm_dd","customer_id":"cust_1","type":"direct_debit","reference_id":"MD0001",
		"status":"valid","gateway":"gocardless","created_at":1,"deleted":false,
		"bank_account":{"last4":"6789","name_on_account":"Ana Núñez","bank_name":"Barclays","direct_debit_scheme":"bacs",
		"mandate_id":"MD0001","account_type":"checking","account_holder_type":"individual"},
		"mandates":[{"id":"MD0001","subscription_id":"","created_at":1}],
		"attribute_from_the_future":{"x":1}}}`
	s := newStub(t, jsonReply(200, body))
	c := newTestClient(t, s)
	res, err := c.CreatePaymentSourceUsingPermanentToken(ctx(t), &CreatePaymentSourceUsingPermanentTokenParams{
		CustomerID: "cust_1", Type: gen.PaymentMethodTypeDirectDebit, ReferenceID: Ptr("MD0001")})
	require.NoError(t, err)
	ba := res.PaymentSource.BankAccount
	require.NotNil(t, ba)
	assert.Equal(t, "6789", ba.Last4)
	assert.Equal(t, "Barclays", *ba.BankName)
	assert.Equal(t, gen.DirectDebitSchemeBacs, *ba.DirectDebitScheme)
	assert.Equal(t, "MD0001", (*res.PaymentSource.Mandates)[0].ID)

	var raw struct {
		Customer      map[string]any `json:"customer"`
		PaymentSource map[string]any `json:"payment_source"`
	}
	require.NoError(t, json.Unmarshal(res.Response.Raw, &raw))
	assert.Equal(t, "gold", raw.Customer["cf_tier"], "custom fields survive in the raw answer")
	assert.Contains(t, raw.PaymentSource, "attribute_from_the_future")
	assert.NotContains(t, fmtAll(res.Response.Raw), "6789", "the raw answer prints as its size only")
}

// fmtAll prints v with every verb a log line might use.
func fmtAll(v any) string { return fmt.Sprintf("%v %+v %#v %s %q", v, v, v, v, v) }
