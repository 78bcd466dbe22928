package cbpay

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/cbpay/cbpay/gen"
)

// Parameters of the five operations. They are the models generated from
// api/openapi.yaml (so field names and types follow the spec), given their
// own names here so they can format themselves without secrets.
type (
	// CreatePaymentIntentParams are the parameters of CreatePaymentIntent.
	CreatePaymentIntentParams gen.CreatePaymentIntentRequest
	// CreateUsingTokenParams are the parameters of CreatePaymentSourceUsingToken.
	CreateUsingTokenParams gen.CreatePaymentSourceUsingTokenRequest
	// CreateUsingPermanentTokenParams are the parameters of
	// CreatePaymentSourceUsingPermanentToken.
	CreateUsingPermanentTokenParams gen.CreatePaymentSourceUsingPermanentTokenRequest
	// UpdatePaymentMethodParams are the parameters of UpdatePaymentMethod.
	UpdatePaymentMethodParams gen.UpdatePaymentMethodRequest
	// CardUsingPaymentIntentParams are the parameters of
	// CreateCardUsingPaymentIntent.
	CardUsingPaymentIntentParams gen.CreateCardUsingPaymentIntentRequest
)

// Nested parameter objects and enums, from the generated models. The enum
// constants are in package gen (gen.CardBrandVisa, gen.PaymentMethodTypeCard);
// an untyped string constant works too: Type: "card".
type (
	CardParams                     = gen.CardDetails
	BillingAddressParams           = gen.BillingAddressDetails
	PaymentMethodParams            = gen.PaymentMethodDetails
	AdditionalInformation          = gen.AdditionalInformation
	PaymentMethodType              = gen.PaymentMethodType
	PaymentIntentPaymentMethodType = gen.PaymentIntentPaymentMethodType
	CardBrand                      = gen.CardBrand
	CardFundingType                = gen.CardFundingType
	PaymentMethodOptions           = gen.PaymentMethodOptions
	Gateway                        = gen.Gateway
)

// Resources in results.
type (
	PaymentIntent  = gen.PaymentIntent
	PaymentSource  = gen.PaymentSource
	Customer       = gen.Customer
	Card           = gen.Card
	BillingAddress = gen.BillingAddress
	BankAccount    = gen.BankAccount
	V1Customer     = gen.V1Customer
	V1Card         = gen.V1Card
)

// Ptr returns a pointer to v, to set an optional field: Ptr(false), Ptr(0).
func Ptr[T any](v T) *T { return &v }

// Response describes the HTTP exchange behind a result.
type Response struct {
	StatusCode int
	Header     http.Header
	// IdempotencyKey is the key every attempt carried: the caller's, or the
	// one the client generated.
	IdempotencyKey string
	// Replayed is true when Chargebee answered with the stored result of an
	// earlier call with the same key (chargebee-idempotency-replayed).
	Replayed bool
	// Attempts counts the requests sent, retries included.
	Attempts int
	// Raw is the answer's JSON as Chargebee sent it, for attributes the
	// typed result does not have yet (Chargebee adds them often) and custom
	// fields (cf_...). It holds card data: it prints as its size only.
	Raw RawJSON
}

// RawJSON is a JSON document as received. It is a []byte (pass it to
// json.Unmarshal as it is) that prints as its size only, since an answer
// holds card and customer data.
type RawJSON []byte

// Format prints the size, never the content.
func (r RawJSON) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "RawJSON(%d bytes)", len(r))
}

// LogValue logs the size, never the content.
func (r RawJSON) LogValue() slog.Value {
	return slog.StringValue(fmt.Sprintf("RawJSON(%d bytes)", len(r)))
}

// PaymentIntentResult is the result of CreatePaymentIntent.
type PaymentIntentResult struct {
	gen.PaymentIntentResponse
	Response Response
	sent     any // the call's parameters, to redact the values it sent when printed
}

// PaymentSourceResult is the result of the payment-source operations: the
// customer and the payment source created.
type PaymentSourceResult struct {
	gen.PaymentSourceResponse
	Response Response
	sent     any // the call's parameters, to redact the values it sent when printed
}

// CustomerCardResult is the result of UpdatePaymentMethod: the customer
// and, for cards, its card.
type CustomerCardResult struct {
	gen.CustomerCardResponse
	Response Response
	sent     any // the call's parameters, to redact the values it sent when printed
}

// V1CustomerCardResult is the result of CreateCardUsingPaymentIntent, an
// API v1 operation: the customer and its card in API v1's shapes.
type V1CustomerCardResult struct {
	gen.V1CustomerCardResponse
	Response Response
	sent     any // the call's parameters, to redact the values it sent when printed
}
