package cbpay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/rules"
)

// operationIds in api/openapi.yaml.
const (
	opCreatePaymentIntent       = "createPaymentIntent"
	opCreateUsingToken          = "createPaymentSourceUsingToken"
	opCreateUsingPermanentToken = "createPaymentSourceUsingPermanentToken"
	opUpdatePaymentMethod       = "updatePaymentMethod"
	opCardUsingPaymentIntent    = "createCardUsingPaymentIntent"
	formContentType             = "application/x-www-form-urlencoded"
)

// operation is what the call pipeline needs to know of one operation: its
// rules from the spec, bound to its parameter type, and the generated
// request builder its URL comes from.
type operation struct {
	id      string
	index   int // in Client.endpoints
	spec    *rules.Operation
	checker *rules.Checker
	// resources are those the response model requires (see decodeResult).
	resources []resource
	// request is the generated ...RequestWithBody builder. A client calls
	// it once, with a placeholder for the path id, to learn the URL (see
	// newEndpoint): building every request with it would parse, print and
	// parse the URL again on every call (about 4 µs and 10 allocations).
	request func(server, pathID string) (*http.Request, error)
}

// Operation indexes, in Client.endpoints.
const (
	ixCreatePaymentIntent = iota
	ixCreateUsingToken
	ixCreateUsingPermanentToken
	ixUpdatePaymentMethod
	ixCardUsingPaymentIntent
	numOps
)

// opDefs binds each operation to its parameter type and generated
// request builder.
var opDefs = [numOps]struct {
	id      string
	params  reflect.Type
	result  reflect.Type // the response model
	request func(server, pathID string) (*http.Request, error)
}{
	ixCreatePaymentIntent: {opCreatePaymentIntent, reflect.TypeFor[CreatePaymentIntentParams](), reflect.TypeFor[gen.PaymentIntentResponse](),
		func(server, _ string) (*http.Request, error) {
			return gen.NewCreatePaymentIntentRequestWithBody(server, nil, formContentType, nil)
		}},
	ixCreateUsingToken: {opCreateUsingToken, reflect.TypeFor[CreateUsingTokenParams](), reflect.TypeFor[gen.PaymentSourceResponse](),
		func(server, _ string) (*http.Request, error) {
			return gen.NewCreatePaymentSourceUsingTokenRequestWithBody(server, nil, formContentType, nil)
		}},
	ixCreateUsingPermanentToken: {opCreateUsingPermanentToken, reflect.TypeFor[CreateUsingPermanentTokenParams](), reflect.TypeFor[gen.PaymentSourceResponse](),
		func(server, _ string) (*http.Request, error) {
			return gen.NewCreatePaymentSourceUsingPermanentTokenRequestWithBody(server, nil, formContentType, nil)
		}},
	ixUpdatePaymentMethod: {opUpdatePaymentMethod, reflect.TypeFor[UpdatePaymentMethodParams](), reflect.TypeFor[gen.CustomerCardResponse](),
		func(server, id string) (*http.Request, error) {
			return gen.NewUpdatePaymentMethodRequestWithBody(server, id, nil, formContentType, nil)
		}},
	ixCardUsingPaymentIntent: {opCardUsingPaymentIntent, reflect.TypeFor[CardUsingPaymentIntentParams](), reflect.TypeFor[gen.V1CustomerCardResponse](),
		func(server, id string) (*http.Request, error) {
			return gen.NewCreateCardUsingPaymentIntentRequestWithBody(server, id, nil, formContentType, nil)
		}},
}

type operations struct {
	list [numOps]*operation
	byID map[string]*operation
	err  error
}

// ops binds each operation's parameter type to its rules, once. The rules
// and the plans are generated from the spec (internal/rules), so this
// reads tables: no spec is parsed. The result is immutable.
var ops = sync.OnceValue(func() operations {
	s, err := rules.Load()
	if err != nil {
		return operations{err: err}
	}
	out := operations{byID: make(map[string]*operation, numOps)}
	for i, d := range opDefs {
		spec, ok := s.Operations[d.id]
		if !ok {
			return operations{err: fmt.Errorf("cbpay: spec has no operation %s", d.id)}
		}
		c, err := rules.Bind(spec, d.params)
		if err != nil {
			return operations{err: err}
		}
		op := &operation{id: d.id, index: i, spec: spec, checker: c, resources: resources(d.result), request: d.request}
		out.list[i] = op
		out.byID[d.id] = op
	}
	return out
})

// pathIDPlaceholder stands for the path id when a client learns an
// operation's URL: letters only, so escaping leaves it as it is.
const pathIDPlaceholder = "cbpayPathIdPlaceholder"

// endpoint is an operation's URL for one client: prefix alone, or prefix,
// the escaped path id and suffix.
type endpoint struct {
	prefix, suffix string
	hasID          bool
}

// newEndpoint asks the operation's generated request builder for its URL
// on server once, with a placeholder path id, and keeps the parts around
// it.
func newEndpoint(op *operation, server string) (endpoint, error) {
	req, err := op.request(server, pathIDPlaceholder)
	if err != nil {
		return endpoint{}, err
	}
	if req.Method != http.MethodPost {
		return endpoint{}, fmt.Errorf("generated request is %s, not POST", req.Method)
	}
	u := req.URL.String()
	if len(op.spec.Params) == 0 {
		return endpoint{prefix: u}, nil
	}
	prefix, suffix, ok := strings.Cut(u, pathIDPlaceholder)
	if !ok || strings.Contains(suffix, pathIDPlaceholder) {
		return endpoint{}, fmt.Errorf("generated URL %s does not hold the path id once", u)
	}
	return endpoint{prefix: prefix, suffix: suffix, hasID: true}, nil
}

// url returns the endpoint's URL for a path id, escaped as the generated
// request builder escapes it (url.PathEscape).
func (e *endpoint) url(pathID string) string {
	if !e.hasID {
		return e.prefix
	}
	return e.prefix + url.PathEscape(pathID) + e.suffix
}

// CreatePaymentIntent creates a payment intent for Chargebee.js to run the
// 3DS flow with.
func (c *Client) CreatePaymentIntent(ctx context.Context, p *CreatePaymentIntentParams, opts ...RequestOption) (*PaymentIntentResult, error) {
	res := &PaymentIntentResult{}
	meta, err := c.call(ctx, c.ops.list[ixCreatePaymentIntent], "", p, opts, &res.PaymentIntentResponse)
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
	meta, err := c.call(ctx, c.ops.list[ixCreateUsingToken], "", p, opts, &res.PaymentSourceResponse)
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
	meta, err := c.call(ctx, c.ops.list[ixCreateUsingPermanentToken], "", p, opts, &res.PaymentSourceResponse)
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
	meta, err := c.call(ctx, c.ops.list[ixUpdatePaymentMethod], customerID, p, opts, &res.CustomerCardResponse)
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
	meta, err := c.call(ctx, c.ops.list[ixCardUsingPaymentIntent], customerID, p, opts, &res.V1CustomerCardResponse)
	if err != nil {
		return nil, err
	}
	res.Response, res.sent = meta, p
	return res, nil
}
