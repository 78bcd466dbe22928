package cbpay

import (
	"errors"
	"math"
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

func permanent(mut func(p *CreatePaymentSourceUsingPermanentTokenParams)) func(c *Client) error {
	return func(c *Client) error {
		p := &CreatePaymentSourceUsingPermanentTokenParams{CustomerID: "cust_1", Type: "card"}
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
		{"required string", "customer_id", "is required and must not be empty", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) { p.CustomerID = "" })},
		{"required enum", "type", "is required and must not be empty", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) { p.Type = "" })},
		{"max length", "customer_id", "must be at most 50 characters long", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) { p.CustomerID = long(51) })},
		{"exact length", "card[last4]", "must be exactly 4 characters long", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) { p.Card = &CardParams{Last4: Ptr("111")} })},
		{"maximum", "card[expiry_month]", "must be at most 12", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) { p.Card = &CardParams{ExpiryMonth: Ptr(13)} })},
		{"minimum", "card[expiry_month]", "must be at least 1", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) { p.Card = &CardParams{ExpiryMonth: Ptr(0)} })},
		{"zip length", "billing_address[zip]", "must be at most 20 characters long", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
			p.BillingAddress = &BillingAddressParams{Zip: Ptr(long(21))}
		})},
		{"invalid UTF-8", "billing_address[city]", "must be valid UTF-8", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
			p.BillingAddress = &BillingAddressParams{City: Ptr("S\xffo")}
		})},
		{"conflict", "reference_id", "cannot be combined with payment_method_token", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
			p.ReferenceID, p.PaymentMethodToken = Ptr("r"), Ptr("t")
		})},
		{"conflict with mandate", "reference_id", "cannot be combined with mandate_id", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
			p.ReferenceID, p.MandateID = Ptr("r"), Ptr("m")
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
			_, err := c.CreatePaymentSourceUsingToken(bg, &CreatePaymentSourceUsingTokenParams{CustomerID: "c", TokenID: long(41)})
			return err
		}},
		{"nested required", "payment_method[type]", "is required and must not be empty", func(c *Client) error {
			_, err := c.UpdatePaymentMethod(bg, "cust_1", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{ReferenceID: Ptr("r")}})
			return err
		}},
		{"empty path id", "customer_id", "must not be empty", func(c *Client) error {
			_, err := c.CreateCardUsingPaymentIntent(bg, "", &CreateCardUsingPaymentIntentParams{PaymentIntentID: Ptr("pi_1")})
			return err
		}},
		{"long path id", "customer_id", "must be at most 50 characters long", func(c *Client) error {
			_, err := c.UpdatePaymentMethod(bg, long(51), &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card"}})
			return err
		}},
		{"dot path id", "customer_id", "must not be . or ..", func(c *Client) error {
			_, err := c.UpdatePaymentMethod(bg, "..", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card"}})
			return err
		}},
		{"single dot path id", "customer_id", "must not be . or ..", func(c *Client) error {
			_, err := c.CreateCardUsingPaymentIntent(bg, ".", &CreateCardUsingPaymentIntentParams{PaymentIntentID: Ptr("pi_1")})
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
		{"blank path id", "customer_id", "must not be only white space", func(c *Client) error {
			_, err := c.UpdatePaymentMethod(bg, "   ", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card"}})
			return err
		}},
		{"tab path id", "customer_id", "must not be only white space", func(c *Client) error {
			_, err := c.CreateCardUsingPaymentIntent(bg, "\t", &CreateCardUsingPaymentIntentParams{PaymentIntentID: Ptr("pi_1")})
			return err
		}},
		{"NaN in additional_information", "additional_information", "holds NaN, which JSON cannot encode", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
			p.AdditionalInformation = &AdditionalInformation{"score": math.NaN()}
		})},
		{"+Inf in additional_information", "additional_information", "holds +Inf, which JSON cannot encode", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
			p.AdditionalInformation = &AdditionalInformation{"payer": map[string]any{"score": math.Inf(1)}}
		})},
		{"-Inf in nested additional_information", "payment_method[additional_information]", "holds -Inf, which JSON cannot encode", func(c *Client) error {
			_, err := c.UpdatePaymentMethod(bg, "cust_1", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card",
				AdditionalInformation: &AdditionalInformation{"x": []any{math.Inf(-1)}}}})
			return err
		}},
		{"channel in additional_information", "additional_information", "holds a chan int, which JSON cannot encode", permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
			p.AdditionalInformation = &AdditionalInformation{"c": make(chan int)}
		})},
		{"failing MarshalJSON in additional_information", "additional_information", "cannot be encoded: it must hold only JSON values (finite numbers, strings, booleans, null, arrays and objects)",
			permanent(func(p *CreatePaymentSourceUsingPermanentTokenParams) {
				p.AdditionalInformation = &AdditionalInformation{"m": failingMarshaler{}}
			})},
		{"origin IP", "chargebee-request-origin-ip", "must match the pattern api/openapi.yaml gives for it", func(c *Client) error {
			_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithOriginIP("not an address"))
			return err
		}},
		{"origin IP out of range", "chargebee-request-origin-ip", "must match the pattern api/openapi.yaml gives for it", func(c *Client) error {
			_, err := c.CreateCardUsingPaymentIntent(bg, "cust_1", &CreateCardUsingPaymentIntentParams{PaymentIntentID: Ptr("pi_1")}, WithOriginIP("256.1.1.1"))
			return err
		}},
		{"business entity on v1", "chargebee-business-entity-id", "is not accepted by createCardUsingPaymentIntent", func(c *Client) error {
			_, err := c.CreateCardUsingPaymentIntent(bg, "cust_1", &CreateCardUsingPaymentIntentParams{PaymentIntentID: Ptr("pi_1")}, WithBusinessEntity("be_1"))
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
	_, err := c.CreatePaymentSourceUsingPermanentToken(bg, &CreatePaymentSourceUsingPermanentTokenParams{
		Type: "card", Card: &CardParams{Last4: Ptr("42424"), IIN: Ptr("4242x")}})
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.ElementsMatch(t, []string{"customer_id", "card[iin]", "card[last4]"}, fields)
	noSecret(t, err.Error(), "the error", "42424", "4242x")
}

func TestValidationCanBeSwitchedOff(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentSourceJSON))
	c := newTestClient(t, s, WithoutValidation())
	_, err := c.CreatePaymentSourceUsingPermanentToken(bg, &CreatePaymentSourceUsingPermanentTokenParams{
		CustomerID: "cust_1", Type: "cardz", Card: &CardParams{Last4: Ptr("1")}})
	require.NoError(t, err)
	assert.Equal(t, "1", s.requests()[0].Form.Get("card[last4]"))

	// Safety checks stay on.
	_, err = c.UpdatePaymentMethod(bg, "", &UpdatePaymentMethodParams{})
	assert.ErrorContains(t, err, "customer_id: must not be empty")
	_, err = c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{}, WithOriginDevice("a\nb"))
	assert.ErrorContains(t, err, "chargebee-request-origin-device: must not contain CR or LF")
	assert.Len(t, s.requests(), 1)
}

// failingMarshaler fails to encode with a message quoting a value, which
// the refusal must not repeat.
type failingMarshaler struct{}

func (failingMarshaler) MarshalJSON() ([]byte, error) {
	return nil, errors.New("cannot encode document 12345678")
}

func TestUnencodableValuesAreValidationErrorsWithoutTheirContent(t *testing.T) {
	for _, validate := range []bool{true, false} {
		s := newStub(t)
		var opts []Option
		if !validate {
			opts = append(opts, WithoutValidation())
		}
		c := newTestClient(t, s, opts...)
		_, err := c.CreatePaymentSourceUsingPermanentToken(bg, &CreatePaymentSourceUsingPermanentTokenParams{CustomerID: "cust_1", Type: "card",
			AdditionalInformation: &AdditionalInformation{"payer": map[string]any{"document": "12345678", "m": failingMarshaler{}}}})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "validation %v", validate)
		assert.ErrorIs(t, err, ErrInvalidParams)
		assert.NotErrorIs(t, err, ErrInvalidRequest)
		var re *RequestError
		assert.False(t, errors.As(err, &re), "not a network error: an application must not retry it")
		assert.Equal(t, "additional_information", ve.Problems[0].Field)
		noSecret(t, err.Error(), "the error", "12345678")
		assert.Empty(t, s.requests())
	}
}

func TestBlankPathIDsAreRefusedWithValidationOff(t *testing.T) {
	s := newStub(t, jsonReply(200, customerCardJSON))
	c := newTestClient(t, s, WithoutValidation())
	for _, id := range []string{" ", "   ", "\t", "\n", " \t\r\n ", "\u00a0", "\u3000"} {
		_, err := c.UpdatePaymentMethod(bg, id, &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card"}})
		var ve *ValidationError
		require.ErrorAs(t, err, &ve, "%q", id)
		assert.Equal(t, []FieldError{{Field: "customer_id", Rule: "must not be only white space"}}, ve.Problems, "%q", id)
	}
	assert.Empty(t, s.requests())
	// An id with spaces around other characters is the caller's to choose.
	_, err := c.UpdatePaymentMethod(bg, " cust 7 ", &UpdatePaymentMethodParams{PaymentMethod: &PaymentMethodParams{Type: "card"}})
	require.NoError(t, err)
	assert.Equal(t, "/api/v2/customers/%20cust%207%20/update_payment_method", s.requests()[0].Path)
}

// TestOriginIPFollowsChargebeesPattern: the header is checked by the
// pattern Chargebee publishes for it, which api/openapi.yaml carries:
// IPv4, IPv6 (with an embedded IPv4 too) and host names of its alphabet.
func TestOriginIPFollowsChargebeesPattern(t *testing.T) {
	s := newStub(t, jsonReply(200, paymentIntentJSON))
	c := newTestClient(t, s)
	good := []string{"192.168.1.2", "0.0.0.0", "255.255.255.255", "::1", "::", "2001:db8::1", "fe80::1:2:3:4", "::ffff:192.0.2.1",
		"2001:0db8:85a3:0000:0000:8a2e:0370:7334", "cafe.bad", "deadbeef"}
	bad := []string{"", "256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", " 1.2.3.4", "1.2.3.4 ", "1:2:3:4:5:6:7:8:9", "2001:db8::g",
		"a b", "1.2.3.4,5.6.7.8", "x.example"}
	for _, ip := range good {
		_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithOriginIP(ip))
		assert.NoError(t, err, "%q", ip)
	}
	require.Len(t, s.requests(), len(good))
	assert.Equal(t, good[len(good)-1], s.requests()[len(good)-1].Header.Get(HeaderOriginIP))
	for _, ip := range bad {
		_, err := c.CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"}, WithOriginIP(ip))
		var ve *ValidationError
		if assert.ErrorAs(t, err, &ve, "%q", ip) {
			assert.Equal(t, HeaderOriginIP, ve.Problems[0].Field)
		}
	}
	assert.Len(t, s.requests(), len(good), "a refused header is not sent")
}
