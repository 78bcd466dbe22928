package chargebeetest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithAPIKey("test_site_key_123"))
	defer s.Close()
	require.Equal(t, "test_site_key_123", s.APIKey)

	body := "amount=100&currency_code=USD"
	cases := map[string]func(r *http.Request){
		"no credentials": func(r *http.Request) { r.Header.Del("Authorization") },
		"wrong key":      func(r *http.Request) { r.SetBasicAuth("test_other_key", "") },
		"key as password": func(r *http.Request) {
			r.SetBasicAuth("", s.APIKey)
		},
		"non-empty password": func(r *http.Request) { r.SetBasicAuth(s.APIKey, "x") },
		"bearer token":       func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+s.APIKey) },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			req := newRequest(t, s, pathIntents, body)
			mutate(req)
			r := send(t, req)
			requireError(t, r, http.StatusUnauthorized, "api_authentication_failed", "")
			require.NotContains(t, string(r.body), s.APIKey, "the key must never be echoed")
		})
	}
	require.Zero(t, s.Counts().PaymentIntents, "refused requests change nothing")

	r := post(t, s, pathIntents, body)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	require.Equal(t, 1, s.Counts().PaymentIntents)
}

func TestAuthenticationComesBeforeValidation(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	req := newRequest(t, s, pathIntents, "amount=oops")
	req.SetBasicAuth("wrong", "")
	requireError(t, send(t, req), http.StatusUnauthorized, "api_authentication_failed", "")
}

// TestValidation sends one bad request per rule and checks the refusal
// names the wire field as sent.
func TestValidation(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()

	const (
		okIntent = "amount=100&currency_code=USD"
		okPerm   = "customer_id=cust_1&type=card"
	)
	secretToken := "tok_" + strings.Repeat("S", 40) // 44 > maxLength 40
	cases := []struct {
		name    string
		path    string
		body    string
		headers []string
		code    string
		param   string
		secret  string // a value that must not appear in the answer
	}{
		{name: "missing required", path: pathIntents, body: "currency_code=USD", code: "param_required", param: "amount"},
		{name: "nothing to update", path: pathUpdatePM("cust_1"), body: "", code: "param_required", param: "payment_method[type]"},
		{name: "missing nested required", path: pathUpdatePM("cust_1"), body: "payment_method[reference_id]=B-1", code: "param_required", param: "payment_method[type]"},
		{name: "empty required value", path: pathToken, body: "customer_id=&token_id=tok_1", code: "param_required", param: "customer_id"},
		{name: "maxLength", path: pathIntents, body: "amount=1&currency_code=USDX", code: "param_wrong_value", param: "currency_code"},
		{name: "maxLength of a token", path: pathToken, body: "customer_id=c&token_id=" + secretToken, code: "param_wrong_value", param: "token_id", secret: secretToken},
		{name: "exact length", path: pathPermToken, body: okPerm + "&card[last4]=123", code: "param_wrong_value", param: "card[last4]"},
		{name: "enum", path: pathIntents, body: okIntent + "&payment_method_type=cash", code: "param_wrong_value", param: "payment_method_type"},
		{name: "nested enum", path: pathUpdatePM("cust_1"), body: "payment_method[type]=cheque", code: "param_wrong_value", param: "payment_method[type]"},
		{name: "nested enum in card", path: pathPermToken, body: okPerm + "&card[brand]=Visa", code: "param_wrong_value", param: "card[brand]"},
		{name: "minimum", path: pathIntents, body: "amount=-1&currency_code=USD", code: "param_wrong_value", param: "amount"},
		{name: "maximum", path: pathPermToken, body: okPerm + "&card[expiry_month]=13", code: "param_wrong_value", param: "card[expiry_month]"},
		{name: "not an integer", path: pathIntents, body: "amount=1.5&currency_code=USD", code: "param_wrong_value", param: "amount"},
		{name: "not a boolean", path: pathToken, body: "customer_id=c&token_id=tok_1&replace_primary_payment_source=yes", code: "param_wrong_value", param: "replace_primary_payment_source"},
		{name: "undeclared key", path: pathIntents, body: okIntent + "&customer[id]=c", code: "param_not_allowed", param: "customer"},
		{name: "undeclared nested key", path: pathPermToken, body: okPerm + "&card[number]=4111111111111111", code: "param_not_allowed", param: "card[number]", secret: "4111111111111111"},
		{name: "object sent flat", path: pathPermToken, body: okPerm + "&card=4111111111111111", code: "param_wrong_value", param: "card", secret: "4111111111111111"},
		{name: "nested object sent flat", path: pathUpdatePM("cust_1"), body: "payment_method=card", code: "param_wrong_value", param: "payment_method"},
		{name: "brackets under a scalar", path: pathIntents, body: "amount[value]=1&currency_code=USD", code: "param_wrong_value", param: "amount"},
		{name: "bad JSON", path: pathPermToken, body: okPerm + `&additional_information={"payer":`, code: "param_wrong_value", param: "additional_information"},
		{name: "JSON not an object", path: pathPermToken, body: okPerm + `&additional_information=["doc-123"]`, code: "param_wrong_value", param: "additional_information", secret: "doc-123"},
		{name: "JSON with trailing data", path: pathPermToken, body: okPerm + `&additional_information={}{}`, code: "param_wrong_value", param: "additional_information"},
		{name: "nested JSON not an object", path: pathUpdatePM("cust_1"), body: `payment_method[type]=card&payment_method[additional_information]="doc-123"`, code: "param_wrong_value", param: "payment_method[additional_information]", secret: "doc-123"},
		{name: "JSON bracket-flattened", path: pathUpdatePM("cust_1"), body: "payment_method[type]=card&payment_method[additional_information][payer][document]=123", code: "param_wrong_value", param: "payment_method[additional_information]"},
		{name: "conflict", path: pathPermToken, body: okPerm + "&reference_id=cus_1/card_1&payment_method_token=pm_secret_1", code: "param_not_allowed", param: "reference_id", secret: "pm_secret_1"},
		{name: "conflict with mandate", path: pathPermToken, body: "customer_id=c&type=direct_debit&reference_id=MD1&mandate_id=MD2", code: "param_not_allowed", param: "reference_id"},
		{name: "header enum", path: pathIntents, body: okIntent, headers: []string{"chargebee-event-webhook", "disabled"}, code: "param_wrong_value", param: "chargebee-event-webhook"},
		{name: "idempotency key too long", path: pathIntents, body: okIntent, headers: []string{"chargebee-idempotency-key", strings.Repeat("k", 101)}, code: "param_wrong_value", param: "chargebee-idempotency-key"},
		{name: "idempotency key empty", path: pathIntents, body: okIntent, headers: []string{"chargebee-idempotency-key", ""}, code: "param_required", param: "chargebee-idempotency-key"},
		{name: "business entity too long", path: pathToken, body: "customer_id=c&token_id=tok_1", headers: []string{"chargebee-business-entity-id", strings.Repeat("b", 51)}, code: "param_wrong_value", param: "chargebee-business-entity-id"},
		{name: "v2-only header on v1", path: pathCardUsingPI("cust_1"), body: "gw_token=x", headers: []string{"chargebee-business-entity-id", "be_1"}, code: "param_not_allowed", param: "chargebee-business-entity-id"},
		{name: "unknown chargebee header", path: pathIntents, body: okIntent, headers: []string{"chargebee-idempotency-replayed", "true"}, code: "param_not_allowed", param: "chargebee-idempotency-replayed"},
		{name: "empty path id", path: pathUpdatePM(""), body: "payment_method[type]=card", code: "param_required", param: "customer_id"},
		{name: "too long customer id", path: pathUpdatePM(strings.Repeat("c", 51)), body: "payment_method[type]=card", code: "param_wrong_value", param: "customer_id"},
		{name: "too long escaped customer id", path: pathCardUsingPI(strings.Repeat("%C3%A9", 51)), body: "gw_token=x", code: "param_wrong_value", param: "customer_id"},
		{name: "query string", path: pathIntents + "?amount=100", body: "currency_code=USD", code: "param_not_allowed", param: "amount"},
		{name: "key sent twice", path: pathIntents, body: "amount=1&amount=2&currency_code=USD", code: "param_wrong_value", param: ""},
		{name: "value and object", path: pathPermToken, body: okPerm + "&card=x&card[iin]=411111", code: "param_wrong_value", param: ""},
		{name: "malformed escape", path: pathToken, body: "customer_id=c&token_id=tok_%zz", code: "param_wrong_value", param: "", secret: "%zz"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := s.Counts()
			r := post(t, s, tc.path, tc.body, tc.headers...)
			e := requireError(t, r, http.StatusBadRequest, tc.code, tc.param)
			require.Equal(t, gen.APIErrorTypeInvalidRequest, ptr.Deref(e.Type))
			if tc.param != "" {
				require.True(t, strings.HasPrefix(e.Message, tc.param+" : "), "message %q names the field", e.Message)
			}
			if tc.secret != "" {
				require.NotContains(t, string(r.body), tc.secret, "values must not be echoed")
			}
			require.Equal(t, before, s.Counts(), "a refused request changes nothing")
		})
	}
}

func TestValidationMessages(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	e := post(t, s, pathPermToken, "customer_id=c&type=card&card[last4]=123").apiError(t)
	require.Equal(t, "card[last4] : length must be 4", e.Message)
	e = post(t, s, pathIntents, "currency_code=USD").apiError(t)
	require.Equal(t, "amount : cannot be blank", e.Message)
	e = post(t, s, pathIntents, "amount=1&currency_code=USDX").apiError(t)
	require.Equal(t, "currency_code : cannot be more than 3 characters", e.Message)
	e = post(t, s, pathPermToken, "customer_id=c&type=card&reference_id=r&customer_profile_token=p").apiError(t)
	require.Equal(t, "reference_id : cannot be used together with customer_profile_token", e.Message)
}

func TestContentType(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	req := newRequest(t, s, pathIntents, `{"amount":100,"currency_code":"USD"}`)
	req.Header.Set("Content-Type", "application/json")
	requireError(t, send(t, req), http.StatusBadRequest, "param_wrong_value", "")

	req = newRequest(t, s, pathIntents, "amount=100&currency_code=USD")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	require.Equal(t, http.StatusOK, send(t, req).status, "a charset parameter is fine")
}

func TestUnknownPathAndMethod(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	requireError(t, post(t, s, "/api/v2/payment_intent", "amount=1&currency_code=USD"), http.StatusNotFound, "resource_not_found", "")
	requireError(t, post(t, s, "/api/v1/payment_intents", "amount=1&currency_code=USD"), http.StatusNotFound, "resource_not_found", "")
	requireError(t, post(t, s, "/api/v2/customers/c1/credit_card_using_payment_intent", "gw_token=x"), http.StatusNotFound, "resource_not_found", "")

	req := newRequest(t, s, pathIntents, "")
	req.Method = http.MethodGet
	requireError(t, send(t, req), http.StatusMethodNotAllowed, "http_method_not_supported", "")
}

// TestValidRequestsPass makes sure the validation does not refuse what the
// spec allows: every optional field of every operation, typed as the spec
// says.
func TestValidRequestsPass(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_1"))
	defer s.Close()
	headers := []string{
		"chargebee-request-origin-device", "iPhone",
		"chargebee-request-origin-ip", "203.0.113.7",
		"chargebee-request-origin-user", "ana@example.com",
		"chargebee-request-origin-user-encoded", "YW5hQGV4YW1wbGUuY29t",
		"chargebee-event-webhook", "all-disabled",
		"chargebee-event-actions", "all-disabled",
		"chargebee-event-email", "all-disabled",
	}
	v2 := append([]string{"chargebee-business-entity-id", "be_1"}, headers...)
	cases := []struct{ path, body string }{
		{pathIntents, "business_entity_id=be_1&customer_id=cust_1&amount=0&currency_code=EUR&gateway_account_id=gw_1&reference_id=cus_1/card_1&payment_method_type=ideal&success_url=https://x/ok&failure_url=https://x/ko"},
		{pathToken, "customer_id=cust_1&token_id=tok_1&replace_primary_payment_source=false"},
		{pathPermToken, "customer_id=cust_1&type=card&gateway_account_id=gw_1&payment_method_token=pm_1&customer_profile_token=cus_1&network_transaction_id=nt_1" +
			"&skip_retrieval=true&replace_primary_payment_source=true&issuing_country=US&additional_information=" + `{"payer":{"document":"123"},"n":1.5}` +
			"&card[iin]=555555&card[last4]=4444&card[brand]=mastercard&card[funding_type]=debit&card[expiry_month]=1&card[expiry_year]=2031" +
			"&billing_address[first_name]=Ana&billing_address[last_name]=N%C3%BA%C3%B1ez&billing_address[email]=ana@example.com&billing_address[line1]=1&billing_address[line2]=2&billing_address[line3]=3" +
			"&billing_address[city]=Austin&billing_address[state_code]=TX&billing_address[state]=Texas&billing_address[zip]=78701&billing_address[country]=US"},
		{pathUpdatePM("cust_1"), "payment_method[type]=paypal_express_checkout&payment_method[gateway_account_id]=gw_pp&payment_method[reference_id]=B-1&payment_method[tmp_token]=t&payment_method[issuing_country]=DE&payment_method[additional_information]={}"},
	}
	for _, tc := range cases {
		r := post(t, s, tc.path, tc.body, v2...)
		require.Equal(t, http.StatusOK, r.status, "%s: %s", tc.path, r.body)
	}
	r := post(t, s, pathCardUsingPI("cust_1"), "gateway_account_id=gw_1&gw_token=tok_3ds&reference_id=bt_1", headers...)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
}
