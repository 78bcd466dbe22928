package rules

import (
	"reflect"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryOperationBindsToItsModel(t *testing.T) {
	s := Load()
	models := map[string]any{
		"createPaymentIntent":                    gen.CreatePaymentIntentRequest{},
		"createPaymentSourceUsingToken":          gen.CreatePaymentSourceUsingTokenRequest{},
		"createPaymentSourceUsingPermanentToken": gen.CreatePaymentSourceUsingPermanentTokenRequest{},
		"updatePaymentMethod":                    gen.UpdatePaymentMethodRequest{},
		"createCardUsingPaymentIntent":           gen.CreateCardUsingPaymentIntentRequest{},
		"updatePaymentIntent":                    gen.UpdatePaymentIntentRequest{},
		"createPaymentSourceUsingPaymentIntent":  gen.CreatePaymentSourceUsingPaymentIntentRequest{},
		"listPaymentSources":                     gen.ListPaymentSourcesParams{}, // its query
		"retrievePaymentIntent":                  struct{}{},                     // no parameters
		"retrievePaymentSource":                  struct{}{},
		"deletePaymentSource":                    struct{}{},
		"updatePaymentSourceCard":                gen.UpdatePaymentSourceCardRequest{},
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
	s := Load()
	_, err := Bind(s.Operations["createPaymentIntent"], reflect.TypeOf(gen.CreatePaymentSourceUsingTokenRequest{}))
	assert.ErrorContains(t, err, "has no rule in the spec")
	type partial struct {
		Amount int64 `json:"amount"`
	}
	_, err = Bind(s.Operations["createPaymentIntent"], reflect.TypeOf(partial{}))
	assert.ErrorContains(t, err, "is in the spec but not in")
}

func TestRulesComeFromTheSpec(t *testing.T) {
	s := Load()
	pt := s.Operations["createPaymentSourceUsingPermanentToken"].Body
	assert.Equal(t, 4, pt["card[last4]"].MaxLength)
	assert.True(t, pt["card[last4]"].Sensitive)
	assert.Equal(t, "card", pt["card[last4]"].Parent)
	assert.Equal(t, "object", pt["additional_information"].Type)
	assert.ElementsMatch(t, []string{"payment_method_token", "customer_profile_token", "network_transaction_id", "mandate_id"}, pt["reference_id"].Conflicts)
	um := s.Operations["updatePaymentMethod"]
	assert.True(t, um.Deprecated)
	assert.True(t, um.Body["payment_method[type]"].Required)
	assert.Equal(t, 65000, um.Body["payment_method[tmp_token]"].MaxLength)
	assert.Equal(t, 50, um.Params["customer_id"].MaxLength)
	assert.Equal(t, 100, um.Headers["chargebee-idempotency-key"].MaxLength)
	_, v1HasEntity := s.Operations["createCardUsingPaymentIntent"].Headers["chargebee-business-entity-id"]
	assert.False(t, v1HasEntity)
}

// TestGeneratedPlansArePlanFor holds the plans written by rulesgen to what
// form.PlanFor computes by reflection from the same models.
func TestGeneratedPlansArePlanFor(t *testing.T) {
	for i := range generated {
		g := &generated[i]
		if len(g.body) == 0 {
			assert.Nil(t, g.checker, "%s has no body, so no model", g.id)
			continue
		}
		require.NotNil(t, g.checker, g.id)
		want, err := form.PlanFor(g.checker.Plan.Type)
		require.NoError(t, err, g.id)
		got := *g.checker.Plan
		assert.NotNil(t, got.Encode, "%s: a generated encoder", g.id)
		got.Encode = nil // PlanFor's encoder is Append's walk
		assert.Equal(t, want, &got, g.id)
	}
}

// TestGeneratedCheckersAreBind holds the checkers written by rulesgen to
// what Bind pairs by reflection: the same rule for every field and the
// same conflicts.
func TestGeneratedCheckersAreBind(t *testing.T) {
	s := Load()
	for id, op := range s.Operations {
		if op.checker == nil {
			assert.Empty(t, op.Body, "%s: a body without a generated checker", id)
			continue
		}
		fast, err := Bind(op, op.checker.Plan.Type)
		require.NoError(t, err, id)
		slow := *op
		slow.checker = nil
		want, err := Bind(&slow, op.checker.Plan.Type)
		require.NoError(t, err, id)
		assert.Equal(t, want.rules, fast.rules, id)
		assert.Equal(t, want.conflict, fast.conflict, id)
		assert.NotNil(t, fast.check, "%s: a generated checker", id)
		plan := *fast.Plan
		plan.Encode = nil
		assert.Equal(t, want.Plan, &plan, id)
	}
}

func TestBindTakesATypeDefinedFromTheModel(t *testing.T) {
	type params gen.CreatePaymentIntentRequest
	s := Load()
	c, err := Bind(s.Operations["createPaymentIntent"], reflect.TypeFor[params]())
	require.NoError(t, err)
	_, err = c.Plan.Root(&params{CurrencyCode: "USD"})
	assert.NoError(t, err)
	_, err = c.Plan.Root(&gen.CreatePaymentIntentRequest{})
	assert.Error(t, err, "a checker checks the type it was bound to")
	assert.Same(t, s.Operations["createPaymentIntent"].checker.rules[0], c.rules[0], "the generated rules, not a copy")
}
