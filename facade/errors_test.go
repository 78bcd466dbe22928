package cbpay

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func callToken(c *Client) error {
	_, err := c.CreatePaymentSourceUsingToken(bg, &CreatePaymentSourceUsingTokenParams{CustomerID: "cust_1", TokenID: "cb_tok_secret"})
	return err
}

func TestAPIErrorFromJSON(t *testing.T) {
	s := newStub(t, reply{Status: 400, Header: map[string]string{"Content-Type": "application/json", "X-Request-Id": "rq_1"},
		Body: `{"message":"card[last4] : invalid","type":"invalid_request","api_error_code":"param_wrong_value","param":"card[last4]","error_code":"param_wrong_value","http_status_code":400}`})
	err := callToken(newTestClient(t, s))
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 400, ae.StatusCode)
	assert.Equal(t, ErrorTypeInvalidRequest, ae.Type)
	assert.Equal(t, "param_wrong_value", ae.Code)
	assert.Equal(t, "card[last4]", ae.Param)
	assert.Equal(t, "card[last4] : invalid", ae.Message)
	assert.Equal(t, "rq_1", ae.Header.Get("X-Request-Id"))
	assert.Equal(t, 1, ae.Attempts)
	assert.NotEmpty(t, ae.IdempotencyKey)
	assert.ErrorIs(t, err, ErrInvalidRequest)
	assert.NotErrorIs(t, err, ErrPayment)
	assert.Equal(t, "cbpay: createPaymentSourceUsingToken: 400 invalid_request param_wrong_value (param card[last4]): card[last4] : invalid", err.Error())
}

func TestAPIErrorCategories(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		is     error
	}{
		{402, `{"message":"declined","type":"payment","api_error_code":"payment_processing_failed"}`, ErrPayment},
		{400, `{"message":"x","type":"operation_failed","api_error_code":"state_mismatch"}`, ErrOperationFailed},
		{401, `{"message":"Sorry, authentication failed. Invalid api key","api_error_code":"api_authentication_failed"}`, ErrUnauthorized},
		{404, `{"message":"cust_1 not found","type":"invalid_request","api_error_code":"resource_not_found"}`, ErrNotFound},
		{429, `{"message":"slow down","api_error_code":"api_request_limit_exceeded"}`, ErrRateLimited},
	} {
		s := newStub(t, jsonReply(tc.status, tc.body))
		err := callToken(newTestClient(t, s, WithRetries(0)))
		assert.ErrorIs(t, err, tc.is, tc.body)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, tc.status, ae.StatusCode)
	}
}

func TestAPIErrorFromHTMLAndEmptyBodies(t *testing.T) {
	html := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("<p>upstream gone</p>", 30) + "</body></html>"
	s := newStub(t, reply{Status: 502, Header: map[string]string{"Content-Type": "text/html"}, Body: html})
	err := callToken(newTestClient(t, s, WithRetries(0)))
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 502, ae.StatusCode)
	assert.True(t, strings.HasPrefix(ae.Excerpt, "<html><head><title>502 Bad Gateway</title>"), ae.Excerpt)
	assert.LessOrEqual(t, len([]rune(ae.Excerpt)), excerptLen+1)
	assert.True(t, ae.Temporary())

	s = newStub(t, reply{Status: 401})
	err = callToken(newTestClient(t, s))
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 401, ae.StatusCode, "an empty 4xx keeps its status")
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, "cbpay: createPaymentSourceUsingToken: 401: Unauthorized", err.Error())

	// JSON that is not Chargebee's error shape is kept as an excerpt.
	s = newStub(t, jsonReply(400, `{"unexpected":true}`))
	err = callToken(newTestClient(t, s))
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, `{"unexpected":true}`, ae.Excerpt)
}

func TestErrorsNeverShowTheAPIKey(t *testing.T) {
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(testKey+":"))
	echo := "<pre>Authorization: " + basic + "\nkey=" + testKey + "\nbody: customer_id=cust_1&token_id=cb_tok_secret</pre>"
	for _, status := range []int{500, 200} {
		s := newStub(t, reply{Status: status, Header: map[string]string{"Content-Type": "text/html"}, Body: echo})
		err := callToken(newTestClient(t, s, WithRetries(0)))
		require.Error(t, err)
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(verb, err)
			noSecret(t, out, verb, testKey, basic[len("Basic "):])
		}
		if status == 500 {
			assert.Contains(t, err.Error(), redacted)
		}
	}
}

func TestSuccessExcerptHidesValues(t *testing.T) {
	s := newStub(t, reply{Status: 200, Header: map[string]string{"Content-Type": "text/plain"},
		Body: `{"payment_source":{"id":"pm_1","reference_id":"cus_9/card_9","card":{"iin":"411111","last4":"1111"}}}`})
	err := callToken(newTestClient(t, s))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, `{"payment_source":{"id":"…","reference_id":"…","card":{"iin":"…","last4":"…"}}}`, de.Excerpt)
}

func TestSuccessWithoutItsResourceIsAnError(t *testing.T) {
	s := newStub(t, jsonReply(200, `{}`))
	_, err := newTestClient(t, s).CreatePaymentIntent(bg, &CreatePaymentIntentParams{CurrencyCode: "USD"})
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), "answer has no payment_intent")

	s = newStub(t, jsonReply(200, `{"customer":{"id":"c"}}`))
	err = callToken(newTestClient(t, s))
	assert.ErrorContains(t, err, "answer has no payment_source")
}

func TestLargeErrorBodyKeepsItsStatus(t *testing.T) {
	s := newStub(t, reply{Status: 502, Header: map[string]string{"Content-Type": "text/html"}, Body: strings.Repeat("<p>down</p>", 20000)})
	err := callToken(newTestClient(t, s, WithRetries(0), WithMaxResponseBytes(1024)))
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 502, ae.StatusCode)
	assert.True(t, strings.HasPrefix(ae.Excerpt, "<p>down</p>"))
}

func TestUndecodableSuccess(t *testing.T) {
	s := newStub(t, jsonReply(200, `{"customer":`))
	err := callToken(newTestClient(t, s))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, 200, de.StatusCode)
	assert.Equal(t, "(12 bytes, not JSON)", de.Excerpt, "a body that is not JSON shows only its size")
	assert.NotEmpty(t, de.IdempotencyKey, "the key to have the applied call replayed")
	assert.Equal(t, 1, de.Attempts)
	assert.Contains(t, err.Error(), "decode 200 response")

	s = newStub(t, reply{Status: 200, Header: map[string]string{"Content-Type": "text/plain"}, Body: "ok"})
	err = callToken(newTestClient(t, s))
	require.ErrorAs(t, err, &de)
	assert.Contains(t, err.Error(), `answer is not JSON (Content-Type "text/plain")`)
}

func TestResponseBodyLimit(t *testing.T) {
	s := newStub(t, jsonReply(200, `{"customer":{"id":"`+strings.Repeat("x", 2000)+`"}}`))
	err := callToken(newTestClient(t, s, WithMaxResponseBytes(1024)))
	var re *RequestError
	require.ErrorAs(t, err, &re)
	assert.True(t, errors.Is(err, errBodyTooLarge))
	assert.Len(t, s.requests(), 1, "a body over the limit is not retried")
}

func TestMaskJSONValues(t *testing.T) {
	for in, want := range map[string]string{
		`{"a":"tok_secret","b":[1,"x",true,null,{"c":"d"}],"e":{}}`: `{"a":"…","b":[1,"…",true,null,{"c":"…"}],"e":{}}`,
		`"just a string"`:             `"…"`,
		`[]`:                          `[]`,
		`{"k\"q":"v\"w"}`:             `{"k\"q":"…"}`,
		`{"a":"tok_secret" : 1}`:      "(22 bytes, not JSON)",
		`token_id=tok_live&card=4111`: "(27 bytes, not JSON)",
		`<input value='tok_secret'>`:  "(26 bytes, not JSON)",
	} {
		assert.Equal(t, want, maskJSONValues(in, func(s string) string { return s }), in)
	}
}
