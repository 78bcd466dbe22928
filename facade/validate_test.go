package cbpay

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refused runs call against a stub and asserts it is refused before any
// request reaches the network, with a problem naming field and rule.
func refused(t *testing.T, field, rule string, call func(c *Client) error) {
	t.Helper()
	s := newStub(t, jsonReply(200, paymentSourceJSON))
	err := call(newTestClient(t, s))
	require.Error(t, err)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.ErrorIs(t, err, ErrInvalidParams)
	assert.Contains(t, ve.Problems, FieldError{Field: field, Rule: rule}, "problems: %v", ve.Problems)
	assert.Contains(t, err.Error(), field+": "+rule)
	assert.Empty(t, s.requests(), "nothing may be sent")
}

func permanent(mut func(p *CreateUsingPermanentTokenParams)) func(c *Client) error {
	return func(c *Client) error {
		p := &CreateUsingPermanentTokenParams{CustomerId: "cust_1", Type: "card"}
		mut(p)
		_, err := c.CreatePaymentSourceUsingPermanentToken(bg, p)
		return err
	}
}

func TestValidationRules(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) } // counted in characters, not bytes
	cases := []struct {
		name, field, rule string
		call              func(c *Client) error
	}{
		{"required string", "customer_id", "is required and must not be empty", permanent(func(p *CreateUsingPermanentTokenParams) { p.CustomerId = "" })},
		{"required enum", "type", "is required and must not be empty", permanent(func(p *CreateUsingPermanentTokenParams) { p.Type = "" })},
		{"max length", "customer_id", "must be at most 50 characters long", permanent(func(p *CreateUsingPermanentTokenParams) { p.CustomerId = long(51) })},
		{"exact length", "card[last4]", "must be exactly 4 characters long", permanent(func(p *CreateUsingPermanentTokenParams) { p.Card = &CardParams{Last4: Ptr("111")} })},
		{"maximum", "card[expiry_month]", "must be at most 12", permanent(func(p *CreateUsingPermanentTokenParams) { p.Card = &CardParams{ExpiryMonth: Ptr(13)} })},
		{"minimum", "card[expiry_month]", "must be at least 1", permanent(func(p *CreateUsingPermanentTokenParams) { p.Card = &CardParams{ExpiryMonth: Ptr(0)} })},
		{"zip length", "billing_address[zip]", "must be at most 20 characters long", permanent(func(p *CreateUsingPermanentTokenParams) { p.BillingAddress = &BillingAddressParams{Zip: Ptr(long(21))} })},
		{"invalid UTF-8", "billing_address[city]", "must be valid UTF-8", permanent(func(p *CreateUsingPermanentTokenParams) {
			p.BillingAddress = &BillingAddressParams{City: Ptr("S\xffo")}
		})},
		{"conflict", "reference_id", "cannot be combined with payment_method_token", permanent(func(p *CreateUsingPermanentTokenParams) {
			p.ReferenceId, p.PaymentMethodToken = Ptr("r"), Ptr("t")
		})},
		{"conflict with mandate", "reference_id", "cannot be combined with mandate_id", permanent(func(p *CreateUsingPermanentTokenParams) {
			p.ReferenceId, p.MandateId = Ptr("r"), Ptr("m")
		})},
		{"amount minimum", "amount", "must be at least 0", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{Amount: -1, CurrencyCode: "USD"})
			return err
		}},
		{"currency length", "currency_code", "must be at most 3 characters long", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USDX"})
			return err
		}},
		{"token length", "token_id", "must be at most 40 characters long", func(c *Client) error {
			_, err := c.CreatePaymentSourceUsingToken(bg, &CreateUsingTokenParams{CustomerId: "c", TokenId: long(41)})
			return err
		}},
		{"nested required", "payment_method[type]", "is required and must not be empty", func(c *Client) error {
			_, err := c.UpdatePaymentMethod(bg, "cust_1", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{ReferenceId: Ptr("r")}})
			return err
		}},
		{"empty path id", "customer-id", "must not be empty", func(c *Client) error {
			_, err := c.CreateCardUsingPaymentIntent(bg, "", &CardUsingPaymentIntentParams{PaymentIntentId: Ptr("pi_1")})
			return err
		}},
		{"long path id", "customer-id", "must be at most 50 characters long", func(c *Client) error {
			_, err := c.UpdatePaymentMethod(bg, long(51), &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card"}})
			return err
		}},
		{"dot path id", "customer-id", "must not be . or ..", func(c *Client) error {
			_, err := c.UpdatePaymentMethod(bg, "..", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card"}})
			return err
		}},
		{"single dot path id", "customer-id", "must not be . or ..", func(c *Client) error {
			_, err := c.CreateCardUsingPaymentIntent(bg, ".", &CardUsingPaymentIntentParams{PaymentIntentId: Ptr("pi_1")})
			return err
		}},
		{"header control character", "x-note", "must not contain control characters", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithHeader("X-Note", "a\x00b"))
			return err
		}},
		{"header name", "x bad", "is not a valid header name", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithHeader("X Bad", "v"))
			return err
		}},
		{"reserved Accept header", "accept", "is set by the client and cannot be replaced", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithHeader("Accept", "text/html"))
			return err
		}},
		{"reserved header", "authorization", "is set by the client and cannot be replaced", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithHeader("Authorization", "Bearer x"))
			return err
		}},
		{"nil params", "parameters", "are required", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, nil)
			return err
		}},
		{"idempotency key length", "chargebee-idempotency-key", "must be at most 100 characters long", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithIdempotencyKey(strings.Repeat("k", 101)))
			return err
		}},
		{"header CR LF", "x-note", "must not contain CR or LF", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithHeader("X-Note", "a\r\nSet-Cookie: x"))
			return err
		}},
		{"business entity on v1", "chargebee-business-entity-id", "is not accepted by createCustomerCardUsingPaymentIntent", func(c *Client) error {
			_, err := c.CreateCardUsingPaymentIntent(bg, "cust_1", &CardUsingPaymentIntentParams{PaymentIntentId: Ptr("pi_1")}, WithBusinessEntity("be_1"))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { refused(t, tc.field, tc.rule, tc.call) })
	}
}

func TestValidationReportsEveryProblemAndNoValue(t *testing.T) {
	s := newStub(t)
	c := newTestClient(t, s)
	_, err := c.CreatePaymentSourceUsingPermanentToken(bg, &CreateUsingPermanentTokenParams{
		Type: "card", Card: &CardParams{Last4: Ptr("42424"), Iin: Ptr("4242x")}})
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.ElementsMatch(t, []string{"customer_id", "card[iin]", "card[last4]"}, fields)
	assert.NotContains(t, err.Error(), "42424")
	assert.NotContains(t, err.Error(), "4242x")
}

func TestValidationCanBeSwitchedOff(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentSourceJSON))
	c := newTestClient(t, s, WithoutValidation())
	_, err := c.CreatePaymentSourceUsingPermanentToken(bg, &CreateUsingPermanentTokenParams{
		CustomerId: "cust_1", Type: "cardz", Card: &CardParams{Last4: Ptr("1")}})
	require.NoError(t, err)
	assert.Equal(t, "1", s.requests()[0].Form.Get("card[last4]"))

	// Safety checks stay on.
	_, err = c.UpdatePaymentMethod(bg, "", &UpdatePaymentMethodParams{})
	assert.ErrorContains(t, err, "customer-id: must not be empty")
	_, err = c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{}, WithOriginDevice("a\nb"))
	assert.ErrorContains(t, err, "chargebee-request-origin-device: must not contain CR or LF")
	assert.Len(t, s.requests(), 1)
}
