package main

import (
	"os"
	"testing"

	"github.com/cbpay/cbpay/api"
	"github.com/cbpay/cbpay/internal/rules/rulespec"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func derived(t *testing.T) []byte {
	t.Helper()
	data, err := Derive(api.OpenAPI, "api/openapi.yaml")
	require.NoError(t, err)
	return data
}

// TestCommittedFileIsCurrent: api/openapi-flat.yaml is what Derive makes of
// the embedded spec today (scripts/check-generated.sh checks the same with
// a fresh run of the command).
func TestCommittedFileIsCurrent(t *testing.T) {
	committed, err := os.ReadFile("../../api/openapi-flat.yaml")
	require.NoError(t, err)
	assert.Equal(t, string(derived(t)), string(committed), "run 'make generate' and commit api/openapi-flat.yaml")
}

// TestFlatSpecHasTheSameRules: every wire key of every operation has the same
// rule in both specs (type, required, lengths, bounds, enum, secrecy,
// conflicts), and the flat one has no other key: flattening loses nothing
// and adds nothing but the pattern of JSON-object strings.
func TestFlatSpecHasTheSameRules(t *testing.T) {
	canon, err := rulespec.Compile(api.OpenAPI)
	require.NoError(t, err)
	flat, err := rulespec.Compile(derived(t)) // validates the document too
	require.NoError(t, err)
	require.Len(t, flat, len(canon))
	for i, c := range canon {
		id, f := c.ID, flat[i]
		require.Equal(t, id, f.ID)
		assert.Equal(t, c.Path, f.Path, id)
		assert.Equal(t, c.Keys(), f.Keys(), "%s: wire keys", id)
		for _, k := range c.Keys() {
			cr, fr := c.Body[k], f.Body[k]
			require.NotNil(t, fr, "%s %s", id, k)
			assert.Equal(t, cr.Type, fr.Type, "%s %s type", id, k)
			assert.Equal(t, cr.MinLength, fr.MinLength, "%s %s minLength", id, k)
			assert.Equal(t, cr.MaxLength, fr.MaxLength, "%s %s maxLength", id, k)
			assert.Equal(t, cr.Min, fr.Min, "%s %s minimum", id, k)
			assert.Equal(t, cr.Max, fr.Max, "%s %s maximum", id, k)
			assert.Equal(t, cr.Enum, fr.Enum, "%s %s enum", id, k)
			assert.Equal(t, cr.Sensitive, fr.Sensitive, "%s %s x-cbpay-sensitive", id, k)
			assert.Equal(t, cr.Conflicts, fr.Conflicts, "%s %s x-cbpay-conflicts-with", id, k)
			// Required at the top level stays required; required inside an
			// optional object (payment_method[type]) cannot be, flatly.
			if cr.Parent == "" {
				assert.Equal(t, cr.Required, fr.Required, "%s %s required", id, k)
			} else {
				assert.False(t, fr.Required, "%s %s required", id, k)
			}
			if cr.Type == "object" {
				require.NotEmpty(t, fr.Pattern, "%s %s: JSON-object pattern", id, k)
				assert.Equal(t, jsonObjectPattern, fr.Pattern)
			} else {
				assert.Equal(t, cr.Pattern, fr.Pattern, "%s %s pattern", id, k)
			}
		}
		assert.Equal(t, c.Headers, f.Headers, "%s headers", id)
		assert.Equal(t, c.Params, f.Params, "%s path parameters", id)
	}
}

// TestFlatBodies: the keys generators must send are plain properties of
// closed bodies, with no encoding block left, and the examples are flat and
// valid.
func TestFlatBodies(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(derived(t))
	require.NoError(t, err)
	bodies := 0
	for path, item := range doc.Paths.Map() {
		op := item.Post
		if op == nil || op.RequestBody == nil {
			continue // a read, or an operation without parameters
		}
		media := op.RequestBody.Value.Content.Get(formMediaType)
		require.NotNil(t, media, path)
		bodies++
		assert.Empty(t, media.Encoding, "%s: encoding", path)
		s := media.Schema.Value
		require.NotNil(t, s.AdditionalProperties.Has, path)
		assert.False(t, *s.AdditionalProperties.Has, "%s: closed body", path)
		for name, p := range s.Properties {
			assert.False(t, p.Value.Type.Is(openapi3.TypeObject), "%s %s is still an object", path, name)
		}
		require.NotNil(t, media.Example, path)
		assert.NoError(t, s.VisitJSON(media.Example, openapi3.VisitAsRequest()), "%s example", path)
	}
	assert.Equal(t, 8, bodies)

	perm := doc.Paths.Value("/api/v2/payment_sources/create_using_permanent_token").Post
	props := perm.RequestBody.Value.Content.Get(formMediaType).Schema.Value.Properties
	for _, k := range []string{"card[iin]", "card[last4]", "billing_address[line1]", "billing_address[country]", "additional_information"} {
		assert.Contains(t, props, k)
	}
	assert.Equal(t, uint64(6), props["card[iin]"].Value.MinLength)
	assert.Equal(t, uint64(150), *props["billing_address[line1]"].Value.MaxLength)
	upd := doc.Paths.Value("/api/v2/customers/{customer_id}/update_payment_method").Post
	uprops := upd.RequestBody.Value.Content.Get(formMediaType).Schema.Value
	assert.Contains(t, uprops.Properties, "payment_method[additional_information]")
	assert.Contains(t, uprops.Description, "`payment_method[type]` is required when any `payment_method[...]` key is sent")

	for _, gone := range []string{"CardParams", "BillingAddressParams", "PaymentMethodParams"} {
		assert.NotContains(t, doc.Components.Schemas, gone, "unreferenced schema kept")
	}
	assert.Contains(t, doc.Components.Schemas, "ChargebeeError")
}
