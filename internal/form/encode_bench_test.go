package form_test

import (
	"reflect"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/oapi-codegen/runtime"
)

// The benchmarks below time encoding only; what the bodies must be is
// checked by the tests in form_test.go. Names use key=value parts so that
// benchstat can pivot on them: benchstat -col /impl bench.out.

func ptr[T any](v T) *T { return &v }

// benchLargest is the largest request of the five operations
// (create_using_permanent_token) with every field set, card, billing
// address and a two-object additional_information included.
func benchLargest() *gen.CreatePaymentSourceUsingPermanentTokenRequest {
	return &gen.CreatePaymentSourceUsingPermanentTokenRequest{
		CustomerId:                  "cust_16CHT3SpZ9Jqg1Jk",
		Type:                        gen.PaymentMethodTypeCard,
		GatewayAccountId:            ptr("gw_16CHT3SpZ9JlZ1Jh"),
		ReferenceId:                 ptr("cus_PqR4sT5uV6wX7y/card_1OaBcDeFgHiJkLmN"),
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

// benchMinimal is create_using_token with its two required fields.
func benchMinimal() *gen.CreatePaymentSourceUsingTokenRequest {
	return &gen.CreatePaymentSourceUsingTokenRequest{CustomerId: "cust_16CHT3SpZ9Jqg1Jk", TokenId: "cb_tok_XpbG5PRaHUqgC7Ab2JR9Jz"}
}

func BenchmarkEncode(b *testing.B) {
	largest, minimal := benchLargest(), benchMinimal()
	b.Run("req=largest/impl=form", func(b *testing.B) { benchEncode(b, largest) })
	b.Run("req=minimal/impl=form", func(b *testing.B) { benchEncode(b, minimal) })
	// The generated client's encoder, as a baseline. Only on the minimal
	// request: on the largest it writes additional_information as
	// map[...] (see DESIGN.md), so it would not be the same body.
	b.Run("req=minimal/impl=marshalform", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			vals, err := runtime.MarshalForm(*minimal, nil)
			if err != nil {
				b.Fatal(err)
			}
			_ = vals.Encode()
		}
	})
}

func benchEncode(b *testing.B, v any) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := form.Encode(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppend is the facade's path: a plan looked up once, the body
// appended to a buffer the caller supplies.
func BenchmarkAppend(b *testing.B) {
	v := benchLargest()
	p, err := form.PlanFor(reflect.TypeOf(v))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 2048)
	b.Run("req=largest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			root, err := p.Root(v)
			if err != nil {
				b.Fatal(err)
			}
			if buf, err = p.Append(buf[:0], root); err != nil {
				b.Fatal(err)
			}
		}
	})
}
