package cbpay

import (
	"testing"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestJSONFieldsFollowTheSpec: the encoder sends a field as one JSON value
// exactly where the spec describes a string holding a JSON object
// (x-cbpay-json: additional_information at both levels,
// payment_method_options), and as bracket keys or a plain value everywhere
// else. The encoder decides by the Go type, which x-go-type keeps a map for
// those fields; this holds the two to each other.
func TestJSONFieldsFollowTheSpec(t *testing.T) {
	o := ops()
	require.NoError(t, o.err)
	var jsonKeys []string
	for id, op := range o.byID {
		for _, f := range op.checker.Plan.Fields {
			rule := op.spec.Body[f.Key]
			require.NotNil(t, rule, "%s %s", id, f.Key)
			isJSON := f.Kind == form.JSON
			assert.Equal(t, rule.Type == "object", isJSON, "%s %s: spec type %s, encoder kind %d", id, f.Key, rule.Type, f.Kind)
			if isJSON {
				jsonKeys = append(jsonKeys, f.Key)
			}
		}
	}
	assert.ElementsMatch(t, []string{
		"additional_information", "payment_method[additional_information]", "payment_method_options", // create
		"payment_method_options",                                                    // updatePaymentIntent
		"payment_intent[additional_info]", "payment_intent[additional_information]", // createPaymentSourceUsingPaymentIntent
		"gateway_meta_data", "card[additional_information]", // updatePaymentSourceCard
	}, jsonKeys)
}
