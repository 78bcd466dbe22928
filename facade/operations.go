package cbpay

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sync"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/rules"
)

// operationIds in api/openapi.yaml.
const (
	opCreatePaymentIntent       = "createPaymentIntent"
	opCreateUsingToken          = "createPaymentSourceUsingToken"
	opCreateUsingPermanentToken = "createPaymentSourceUsingPermanentToken"
	opUpdatePaymentMethod       = "updateCustomerPaymentMethod"
	opCardUsingPaymentIntent    = "createCustomerCardUsingPaymentIntent"
	formContentType             = "application/x-www-form-urlencoded"
)

// operation is what the call pipeline needs to know of one operation: its
// rules from the spec, bound to its parameter type.
type operation struct {
	id      string
	spec    *rules.Operation
	checker *rules.Checker
}

type operations struct {
	byID map[string]*operation
	err  error
}

// ops binds each operation's parameter type to its rules in the embedded
// spec, once. The result is immutable.
var ops = sync.OnceValue(func() operations {
	s, err := rules.Load()
	if err != nil {
		return operations{err: err}
	}
	types := map[string]reflect.Type{
		opCreatePaymentIntent:       reflect.TypeFor[CreatePaymentIntentParams](),
		opCreateUsingToken:          reflect.TypeFor[CreateUsingTokenParams](),
		opCreateUsingPermanentToken: reflect.TypeFor[CreateUsingPermanentTokenParams](),
		opUpdatePaymentMethod:       reflect.TypeFor[UpdatePaymentMethodParams](),
		opCardUsingPaymentIntent:    reflect.TypeFor[CardUsingPaymentIntentParams](),
	}
	out := operations{byID: map[string]*operation{}}
	for id, t := range types {
		spec, ok := s.Operations[id]
		if !ok {
			return operations{err: fmt.Errorf("cbpay: spec has no operation %s", id)}
		}
		c, err := rules.Bind(spec, t)
		if err != nil {
			return operations{err: err}
		}
		out.byID[id] = &operation{id: id, spec: spec, checker: c}
	}
	return out
})

// CreatePaymentIntent creates a payment intent for Chargebee.js to run the
// 3DS flow with.
func (c *Client) CreatePaymentIntent(ctx context.Context, p *CreatePaymentIntentParams, opts ...RequestOption) (*PaymentIntentResult, error) {
	res := &PaymentIntentResult{}
	meta, err := c.call(ctx, opCreatePaymentIntent, "", p, opts, &res.PaymentIntentResponse,
		func(ctx context.Context, body io.Reader, edit gen.RequestEditorFn) (*http.Response, error) {
			return c.api.CreatePaymentIntentWithBody(ctx, nil, formContentType, body, edit)
		})
	if err != nil {
		return nil, err
	}
	res.Response, res.sent = meta, p
	return res, nil
}

// CreatePaymentSourceUsingToken stores the payment method behind a
// Chargebee.js temporary token for a customer.
func (c *Client) CreatePaymentSourceUsingToken(ctx context.Context, p *CreateUsingTokenParams, opts ...RequestOption) (*PaymentSourceResult, error) {
	res := &PaymentSourceResult{}
	meta, err := c.call(ctx, opCreateUsingToken, "", p, opts, &res.PaymentSourceResponse,
		func(ctx context.Context, body io.Reader, edit gen.RequestEditorFn) (*http.Response, error) {
			return c.api.CreatePaymentSourceUsingTokenWithBody(ctx, nil, formContentType, body, edit)
		})
	if err != nil {
		return nil, err
	}
	res.Response, res.sent = meta, p
	return res, nil
}

// CreatePaymentSourceUsingPermanentToken stores a payment method that a
// gateway or vault already holds, named by reference_id or token fields.
func (c *Client) CreatePaymentSourceUsingPermanentToken(ctx context.Context, p *CreateUsingPermanentTokenParams, opts ...RequestOption) (*PaymentSourceResult, error) {
	res := &PaymentSourceResult{}
	meta, err := c.call(ctx, opCreateUsingPermanentToken, "", p, opts, &res.PaymentSourceResponse,
		func(ctx context.Context, body io.Reader, edit gen.RequestEditorFn) (*http.Response, error) {
			return c.api.CreatePaymentSourceUsingPermanentTokenWithBody(ctx, nil, formContentType, body, edit)
		})
	if err != nil {
		return nil, err
	}
	res.Response, res.sent = meta, p
	return res, nil
}

// UpdatePaymentMethod points a customer's payment method at a reference held
// by a gateway or vault.
//
// Deprecated: Chargebee supersedes this with payment sources; use
// CreatePaymentSourceUsingToken or CreatePaymentSourceUsingPermanentToken.
func (c *Client) UpdatePaymentMethod(ctx context.Context, customerID string, p *UpdatePaymentMethodParams, opts ...RequestOption) (*CustomerCardResult, error) {
	res := &CustomerCardResult{}
	meta, err := c.call(ctx, opUpdatePaymentMethod, customerID, p, opts, &res.CustomerCardResponse,
		func(ctx context.Context, body io.Reader, edit gen.RequestEditorFn) (*http.Response, error) {
			return c.api.UpdateCustomerPaymentMethodWithBody(ctx, customerID, nil, formContentType, body, edit)
		})
	if err != nil {
		return nil, err
	}
	res.Response, res.sent = meta, p
	return res, nil
}

// CreateCardUsingPaymentIntent stores the card of a completed 3DS flow as
// the customer's card (API v1: credit_card_using_payment_intent). With
// Chargebee.js, pass the authorized intent's id alone.
func (c *Client) CreateCardUsingPaymentIntent(ctx context.Context, customerID string, p *CardUsingPaymentIntentParams, opts ...RequestOption) (*V1CustomerCardResult, error) {
	res := &V1CustomerCardResult{}
	meta, err := c.call(ctx, opCardUsingPaymentIntent, customerID, p, opts, &res.V1CustomerCardResponse,
		func(ctx context.Context, body io.Reader, edit gen.RequestEditorFn) (*http.Response, error) {
			return c.api.CreateCustomerCardUsingPaymentIntentWithBody(ctx, customerID, nil, formContentType, body, edit)
		})
	if err != nil {
		return nil, err
	}
	res.Response, res.sent = meta, p
	return res, nil
}
