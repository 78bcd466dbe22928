package rules_test

import (
	"reflect"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/rules"
)

// The benchmarks below time validation only; what it accepts and refuses is
// checked by the tests.

func ptr[T any](v T) *T { return &v }

// benchLargest is the largest valid request of the five operations
// (create_using_permanent_token): every field set except reference_id,
// which the spec forbids together with the four token fields that are set.
func benchLargest() *gen.CreatePaymentSourceUsingPermanentTokenRequest {
	return &gen.CreatePaymentSourceUsingPermanentTokenRequest{
		CustomerId:                  "cust_16CHT3SpZ9Jqg1Jk",
		Type:                        gen.PaymentMethodTypeCard,
		GatewayAccountId:            ptr("gw_16CHT3SpZ9JlZ1Jh"),
		PaymentMethodToken:          ptr("pm_1OaBcDeFgHiJkLmNoPqRsTuV"),
		CustomerProfileToken:        ptr("cus_PqR4sT5uV6wX7y"),
		NetworkTransactionId:        ptr("MCC123456789012"),
		MandateId:                   ptr("MD0012345ABCDEF"),
		SkipRetrieval:               ptr(false),
		ReplacePrimaryPaymentSource: ptr(true),
		IssuingCountry:              ptr("US"),
		AdditionalInformation: &gen.AdditionalInformation{
			"payer": map[string]any{"document": "12345678909", "country_of_residence": "BR"},
			"fraud": map[string]any{"device_session_id": "dsid_7f3a9c2e"},
		},
		Card: &gen.CardDetails{
			Iin: ptr("411111"), Last4: ptr("1111"), ExpiryMonth: ptr(12), ExpiryYear: ptr(2030),
			Brand: ptr(gen.CardBrandVisa), FundingType: ptr(gen.CardFundingTypeCredit),
		},
		BillingAddress: &gen.BillingAddressDetails{
			FirstName: ptr("Ana"), LastName: ptr("Núñez"), Email: ptr("ana.nunez@example.com"),
			Line1: ptr("12 Main St"), Line2: ptr("Suite 400"), Line3: ptr("Building B"),
			City: ptr("Austin"), State: ptr("Texas"), StateCode: ptr("TX"), Zip: ptr("78701"), Country: ptr("US"),
		},
	}
}

func BenchmarkCheck(b *testing.B) {
	spec, err := rules.Load()
	if err != nil {
		b.Fatal(err)
	}
	v := benchLargest()
	c, err := rules.Bind(spec.Operations["createPaymentSourceUsingPermanentToken"], reflect.TypeOf(v))
	if err != nil {
		b.Fatal(err)
	}
	root, err := c.Plan.Root(v)
	if err != nil {
		b.Fatal(err)
	}
	if p := c.Check(root, nil); len(p) > 0 {
		b.Fatalf("the benchmark's request is not valid: %v", p)
	}
	b.Run("req=largest", func(b *testing.B) {
		b.ReportAllocs()
		var problems []rules.Problem
		for b.Loop() {
			problems = c.Check(root, problems[:0])
		}
	})
}
