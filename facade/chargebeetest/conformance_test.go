package chargebeetest_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/cbpay/cbpay/api"
	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/require"
)

// specRoutes loads the embedded spec on its own, apart from the fake's
// copy, and returns the route of each path template.
func specRoutes(t *testing.T) func(tmpl string) *routers.Route {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	return func(tmpl string) *routers.Route {
		item := doc.Paths.Value(tmpl)
		require.NotNil(t, item, tmpl)
		require.NotNil(t, item.Post, tmpl)
		return &routers.Route{Spec: doc, Path: tmpl, PathItem: item, Method: http.MethodPost, Operation: item.Post}
	}
}

// TestResponsesConformToSpec validates real answers of every operation,
// successes, replays and refusals alike, with kin-openapi's
// ValidateResponse: status documented, Content-Type, headers and body.
func TestResponsesConformToSpec(t *testing.T) {
	route := specRoutes(t)
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	pi := createIntent(t, s, "amount=1&currency_code=USD")
	require.NoError(t, s.AuthorizePaymentIntent(pi.ID))
	authorized := pi.ID // consumed by "card using intent", then refused with 409

	type call struct {
		name, tmpl, path, body string
		headers                []string
		setup                  func()
		status                 int
	}
	cases := []call{
		{name: "intent", tmpl: "/api/v2/payment_intents", path: pathIntents, status: 200,
			body: "customer_id=c&amount=5000&currency_code=USD&reference_id=r&success_url=https://x&failure_url=https://y", headers: []string{keyHeader, "pi-1"}},
		{name: "intent replayed", tmpl: "/api/v2/payment_intents", path: pathIntents, status: 200,
			body: "customer_id=c&amount=5000&currency_code=USD&reference_id=r&success_url=https://x&failure_url=https://y", headers: []string{keyHeader, "pi-1"}},
		{name: "token", tmpl: "/api/v2/payment_sources/create_using_token", path: pathToken, status: 200,
			body: "customer_id=c&token_id=tok_1&replace_primary_payment_source=true"},
		{name: "permanent token card", tmpl: "/api/v2/payment_sources/create_using_permanent_token", path: pathPermToken, status: 200,
			body: "customer_id=c&type=card&reference_id=cus_1/card_1&card[iin]=411111&card[last4]=1111&billing_address[line1]=1&billing_address[country]=US"},
		{name: "permanent token paypal", tmpl: "/api/v2/payment_sources/create_using_permanent_token", path: pathPermToken, status: 200,
			body: "customer_id=c&type=paypal_express_checkout&reference_id=B-1"},
		{name: "permanent token direct debit", tmpl: "/api/v2/payment_sources/create_using_permanent_token", path: pathPermToken, status: 200,
			body: "customer_id=c&type=direct_debit&mandate_id=MD1"},
		{name: "update card", tmpl: "/api/v2/customers/{customer_id}/update_payment_method", path: pathUpdatePM("c"), status: 200,
			body: "payment_method[type]=card&payment_method[reference_id]=cus_1/card_2"},
		{name: "update paypal", tmpl: "/api/v2/customers/{customer_id}/update_payment_method", path: pathUpdatePM("c"), status: 200,
			body: "payment_method[type]=paypal_express_checkout&payment_method[reference_id]=B-2"},
		{name: "card using intent", tmpl: "/api/v1/customers/{customer_id}/credit_card_using_payment_intent", path: pathCardUsingPI("c"), status: 200,
			body: "payment_intent_id=" + authorized},
		{name: "card using gw_token", tmpl: "/api/v1/customers/{customer_id}/credit_card_using_payment_intent", path: pathCardUsingPI("c"), status: 200,
			body: "gateway_account_id=gw_1&gw_token=t"},
		{name: "400", tmpl: "/api/v2/payment_intents", path: pathIntents, status: 400, body: "amount=x&currency_code=USD"},
		{name: "404", tmpl: "/api/v1/customers/{customer_id}/credit_card_using_payment_intent", path: pathCardUsingPI("c"), status: 404, body: "payment_intent_id=pi_none"},
		{name: "409", tmpl: "/api/v1/customers/{customer_id}/credit_card_using_payment_intent", path: pathCardUsingPI("c"), status: 409, body: "payment_intent_id=" + authorized},
		{name: "422 key reuse", tmpl: "/api/v2/payment_intents", path: pathIntents, status: 422, body: "amount=2&currency_code=USD", headers: []string{keyHeader, "pi-1"}},
		{name: "400 decline", tmpl: "/api/v2/payment_sources/create_using_token", path: pathToken, status: 400, body: "customer_id=c&token_id=tok_decline"},
		{name: "400 payment fault", tmpl: "/api/v2/payment_sources/create_using_token", path: pathToken, status: 400, body: "customer_id=c&token_id=tok_f",
			setup: func() { s.FailNext(1, chargebeetest.Fault{Status: 400, Type: cbpay.ErrorTypePayment}) }},
		{name: "404 customer_id", tmpl: "/api/v2/payment_sources/create_using_token", path: pathToken, status: 404, body: "customer_id=nobody&token_id=tok_2"},
		{name: "404 path customer", tmpl: "/api/v2/customers/{customer_id}/update_payment_method", path: pathUpdatePM("nobody"), status: 404, body: "payment_method[type]=card"},
		{name: "429", tmpl: "/api/v2/payment_intents", path: pathIntents, status: 429, body: okIntentBody,
			setup: func() { s.FailNext(1, chargebeetest.Fault{Status: 429, RetryAfter: 3 * time.Second}) }},
		{name: "500", tmpl: "/api/v2/payment_intents", path: pathIntents, status: 500, body: okIntentBody,
			setup: func() { s.FailNext(1, chargebeetest.Fault{Status: 500}) }},
		{name: "503", tmpl: "/api/v2/payment_intents", path: pathIntents, status: 503, body: okIntentBody,
			setup: func() { s.FailNext(1, chargebeetest.Fault{Status: 503, RetryAfter: time.Second}) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup()
			}
			req := newRequest(t, s, c.path, c.body, c.headers...)
			r := send(t, req)
			require.Equal(t, c.status, r.status, "body: %s", r.body)
			rt := route(c.tmpl)
			err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
				RequestValidationInput: &openapi3filter.RequestValidationInput{
					Request:    req,
					PathParams: map[string]string{"customer_id": "c"},
					Route:      rt,
				},
				Status:  r.status,
				Header:  r.header,
				Body:    io.NopCloser(bytes.NewReader(r.body)),
				Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
			})
			require.NoError(t, err, "body: %s", r.body)
		})
	}
}

// TestConformanceCheckCanFail makes sure the check above is not vacuous: a
// body missing a required field and an undocumented status are caught.
func TestConformanceCheckCanFail(t *testing.T) {
	route := specRoutes(t)
	req, err := http.NewRequest(http.MethodPost, "http://x/api/v2/payment_intents", nil)
	require.NoError(t, err)
	validate := func(status int, body string) error {
		return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: route("/api/v2/payment_intents")},
			Status:                 status,
			Header:                 http.Header{"Content-Type": {"application/json"}},
			Body:                   io.NopCloser(bytes.NewReader([]byte(body))),
			Options:                &openapi3filter.Options{IncludeResponseStatus: true},
		})
	}
	require.Error(t, validate(200, `{"payment_intent":{"id":"pi_1","status":"inited"}}`))
	require.Error(t, validate(200, `{"payment_intent":{"id":"pi_1","status":"done","currency_code":"USD","amount":1,"gateway_account_id":"g","expires_at":1,"created_at":1,"modified_at":1}}`))
	require.Error(t, validate(418, `{"message":"teapot"}`))
	require.NoError(t, validate(200, `{"payment_intent":{"id":"pi_1","status":"inited","currency_code":"USD","amount":1,"gateway_account_id":"g","expires_at":1,"created_at":1,"modified_at":1}}`))
}
