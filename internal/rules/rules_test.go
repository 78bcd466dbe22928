package rules

import (
	"reflect"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryOperationBindsToItsModel(t *testing.T) {
	s, err := Load()
	require.NoError(t, err)
	models := map[string]any{
		"createPaymentIntent":                    gen.CreatePaymentIntentRequest{},
		"createPaymentSourceUsingToken":          gen.CreatePaymentSourceUsingTokenRequest{},
		"createPaymentSourceUsingPermanentToken": gen.CreatePaymentSourceUsingPermanentTokenRequest{},
		"updateCustomerPaymentMethod":            gen.UpdateCustomerPaymentMethodRequest{},
		"createCustomerCardUsingPaymentIntent":   gen.CreateCustomerCardUsingPaymentIntentRequest{},
	}
	require.Len(t, s.Operations, len(models))
	for id, m := range models {
		op := s.Operations[id]
		require.NotNil(t, op, id)
		_, err := Bind(op, reflect.TypeOf(m))
		assert.NoError(t, err, id)
	}
}

func TestBindRefusesAModelTheSpecDoesNotDescribe(t *testing.T) {
	s, err := Load()
	require.NoError(t, err)
	_, err = Bind(s.Operations["createPaymentIntent"], reflect.TypeOf(gen.CreatePaymentSourceUsingTokenRequest{}))
	assert.ErrorContains(t, err, "has no rule in the spec")
	type partial struct {
		Amount int64 `json:"amount"`
	}
	_, err = Bind(s.Operations["createPaymentIntent"], reflect.TypeOf(partial{}))
	assert.ErrorContains(t, err, "is in the spec but not in")
}

func TestRulesComeFromTheSpec(t *testing.T) {
	s, err := Load()
	require.NoError(t, err)
	pt := s.Operations["createPaymentSourceUsingPermanentToken"].Body
	assert.Equal(t, 4, pt["card[last4]"].MaxLength)
	assert.True(t, pt["card[last4]"].Sensitive)
	assert.Equal(t, "card", pt["card[last4]"].Parent)
	assert.Equal(t, "object", pt["additional_information"].Type)
	assert.ElementsMatch(t, []string{"payment_method_token", "customer_profile_token", "network_transaction_id", "mandate_id"}, pt["reference_id"].Conflicts)
	um := s.Operations["updateCustomerPaymentMethod"]
	assert.True(t, um.Deprecated)
	assert.True(t, um.Body["payment_method[type]"].Required)
	assert.Equal(t, 65000, um.Body["payment_method[tmp_token]"].MaxLength)
	assert.Equal(t, 50, um.Params["customer-id"].MaxLength)
	assert.Equal(t, 100, um.Headers["chargebee-idempotency-key"].MaxLength)
	_, v1HasEntity := s.Operations["createCustomerCardUsingPaymentIntent"].Headers["chargebee-business-entity-id"]
	assert.False(t, v1HasEntity)
}

func TestCompileRefusesABrokenSpec(t *testing.T) {
	_, err := Compile([]byte("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    post:\n      operationId: x\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object}\n      responses: {'200': {description: ok}}\n"))
	assert.ErrorContains(t, err, "x: no form body")
}
