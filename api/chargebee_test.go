package api

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The rule of the project: the client never refuses what Chargebee accepts
// and decodes everything Chargebee returns. TestChargebeeDefinitions holds
// api/openapi.yaml against Chargebee's own definitions, snapshotted from the
// pinned npm package `chargebee` and the API v1 description by `make
// chargebee-defs`; scripts/spec-check.sh fails when the snapshot is stale.
// README.md, "Agreeing with Chargebee" explains the rules and how to follow Chargebee.

const (
	chargebeeDefinitionsFile = "testdata/chargebee-definitions.json"
	specToolsPackageFile     = "../scripts/spec-tools/package.json"
)

func loadDefinitions(t *testing.T) *cbDefinitions {
	t.Helper()
	data, err := os.ReadFile(chargebeeDefinitionsFile)
	require.NoError(t, err, "run `make chargebee-defs`")
	defs, err := parseDefinitions(data)
	require.NoError(t, err)
	return defs
}

// TestChargebeeDefinitions fails with one line per place where the spec is
// narrower than Chargebee: a field missing, an enum value missing, a limit,
// pattern, format or required field Chargebee does not have.
func TestChargebeeDefinitions(t *testing.T) {
	defs := loadDefinitions(t)
	got := compareWithChargebee(loadSpec(t, OpenAPI), defs)
	if n := len(got.problems); n > 0 {
		t.Errorf("api/openapi.yaml is narrower than Chargebee's definitions in %s\n"+
			"(snapshot: %s; rules: README.md, section Agreeing with Chargebee):\n%s\n%s",
			count(n, "place"), defs.Source, strings.Join(got.problems, "\n"), count(n, "problem"))
	}
	if n := len(got.extras); n > 0 {
		t.Logf("%s that Chargebee's definitions do not have (allowed):\n%s",
			count(n, "spec field"), strings.Join(got.extras, "\n"))
	}
}

// count writes "1 problem", "2 problems".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// TestChargebeeSnapshotFacts checks that the snapshot is the pinned
// package's and holds facts known from Chargebee's files, so that an empty
// or truncated snapshot cannot make TestChargebeeDefinitions pass.
func TestChargebeeSnapshotFacts(t *testing.T) {
	defs := loadDefinitions(t)

	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	data, err := os.ReadFile(specToolsPackageFile)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &pkg))
	pin := pkg.DevDependencies["chargebee"]
	require.NotEmpty(t, pin, "chargebee is not pinned in %s", specToolsPackageFile)
	assert.Contains(t, defs.Source, "npm chargebee "+pin+" ", "the snapshot is not from the pinned package: run `make chargebee-defs`")

	want := []string{
		"createCardUsingPaymentIntent", "createPaymentIntent", "createPaymentSourceUsingPaymentIntent",
		"createPaymentSourceUsingPermanentToken", "createPaymentSourceUsingToken", "deletePaymentSource",
		"listPaymentSources", "retrievePaymentIntent", "retrievePaymentSource", "updatePaymentIntent", "updatePaymentMethod",
		"updatePaymentSourceCard",
	}
	noRequest := []string{"deletePaymentSource", "retrievePaymentIntent", "retrievePaymentSource"}
	assert.Equal(t, want, sortedKeys(defs.Operations))
	for _, id := range want {
		op := defs.Operations[id]
		require.NotNil(t, op.Response, id)
		assert.NotEmpty(t, op.Response.Properties, "%s response", id)
		if slices.Contains(noRequest, id) {
			assert.True(t, op.NoRequest, "%s takes no parameters in Chargebee", id)
			assert.Nil(t, op.Request, id)
			continue
		}
		require.NotNil(t, op.Request, id)
		assert.NotEmpty(t, op.Request.Properties, "%s request", id)
	}
	fromIntent := defs.Operations["createPaymentSourceUsingPaymentIntent"]
	assert.Equal(t, uint64(150), *fromIntent.Request.field(t, "payment_intent", "id").MaxLength)
	assert.Equal(t, []string{"customer_id"}, fromIntent.Request.Required)
	assert.Contains(t, defs.Operations["retrievePaymentSource"].Response.Required, "payment_source")
	assert.Empty(t, defs.Operations["updatePaymentIntent"].Request.Required)
	list := defs.Operations["listPaymentSources"].Request
	assert.Equal(t, 100.0, *list.field(t, "limit").Maximum)
	assert.Contains(t, list.enumAt(t, "status", "is"), "pending_verification")

	ops := defs.Operations
	intent := ops["createPaymentIntent"].Request
	assert.Contains(t, intent.enumAt(t, "payment_method_type"), "apple_pay")
	assert.Equal(t, []string{"amount", "currency_code"}, intent.Required)
	assert.Equal(t, 0.0, *intent.field(t, "amount").Minimum)
	assert.Equal(t, uint64(3), *intent.field(t, "currency_code").MaxLength)
	assert.Equal(t, "string", ops["createPaymentIntent"].Response.field(t, "payment_intent", "status").Type)

	permanent := ops["createPaymentSourceUsingPermanentToken"]
	assert.Contains(t, permanent.Request.enumAt(t, "card", "brand"), "mada")
	assert.Equal(t, uint64(4), *permanent.Request.field(t, "card", "last4").MinLength)
	assert.True(t, permanent.Request.field(t, "additional_information").AdditionalProperties)
	assert.Equal(t, "object", permanent.Response.field(t, "payment_source", "bank_account").Type)
	assert.Contains(t, permanent.Response.enumAt(t, "payment_source", "card", "brand"), "mada")
	// TypeEnum of core.d.ts also holds other resources' types (hold, credit,
	// ...); the extractor narrows it to payment method types.
	sourceType := permanent.Response.enumAt(t, "payment_source", "type")
	assert.Contains(t, sourceType, "apple_pay")
	assert.NotContains(t, sourceType, "hold")
	assert.Equal(t, permanent.Request.enumAt(t, "type"), sourceType)

	assert.Equal(t, uint64(40), *ops["createPaymentSourceUsingToken"].Request.field(t, "token_id").MaxLength)
	assert.Contains(t, ops["updatePaymentMethod"].Request.enumAt(t, "payment_method", "type"), "paypal_express_checkout")
	assert.True(t, ops["updatePaymentMethod"].Response.field(t, "customer").AdditionalProperties)

	v1 := ops["createCardUsingPaymentIntent"]
	assert.Equal(t, uint64(150), *v1.Request.field(t, "payment_intent_id").MaxLength)
	assert.Equal(t, uint64(65000), *v1.Request.field(t, "reference_id").MaxLength)
	assert.Contains(t, v1.Response.field(t, "card").Required, "last4")
}

// field walks object properties by name and fails the test when one is
// missing.
func (n *cbNode) field(t *testing.T, names ...string) *cbNode {
	t.Helper()
	for i, name := range names {
		next := n.Properties[name]
		require.NotNil(t, next, "no %s in the snapshot", strings.Join(names[:i+1], "."))
		n = next
	}
	return n
}

// enumAt is the enum of a field as strings.
func (n *cbNode) enumAt(t *testing.T, names ...string) []string {
	t.Helper()
	var out []string
	for _, v := range n.field(t, names...).Enum {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// The synthetic pair the comparer tests start from: a spec and a snapshot
// that agree, every test case then breaks one of them in one place.
const comparerSpec = `openapi: 3.0.3
info: {title: comparer test, version: '1'}
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 1, maxLength: 50}
                note: {type: string, maxLength: 100}
                amount: {type: integer, format: int64, minimum: 0}
                card:
                  type: object
                  properties:
                    brand: {type: string, enum: [visa, mastercard]}
                    month: {type: integer, minimum: 1, maximum: 12}
                additional_information: {type: object, additionalProperties: true}
      responses:
        '200':
          description: the thing
          content:
            application/json:
              schema:
                type: object
                required: [thing]
                properties:
                  thing:
                    type: object
                    required: [id]
                    properties:
                      id: {type: string}
                      status: {type: string, enum: [valid, expired]}
                      count: {type: integer}
                      meta: {type: object, additionalProperties: true}
                      tags: {type: array, items: {type: string}}
`

const comparerSnapshot = `{"source": "synthetic", "operations": {"makeThing": {
  "request": {"type": "object", "additionalProperties": true, "required": ["name"], "properties": {
    "name": {"type": "string", "maxLength": 50},
    "note": {"type": "string", "maxLength": 100},
    "amount": {"type": "integer", "minimum": 0},
    "card": {"type": "object", "properties": {
      "brand": {"type": "string", "enum": ["mastercard", "visa"]},
      "month": {"type": "integer", "minimum": 1, "maximum": 12}}},
    "additional_information": {"type": "object", "additionalProperties": true}}},
  "response": {"type": "object", "required": ["thing"], "properties": {
    "thing": {"type": "object", "required": ["id", "status"], "additionalProperties": true, "properties": {
      "id": {"type": "string"},
      "status": {"type": "string", "enum": ["expired", "valid"]},
      "count": {"type": "number"},
      "meta": {"type": "any"},
      "tags": {"type": "array", "items": {"type": "string"}}}}}}}}}`

// TestChargebeeComparer shows each rule failing on a synthetic spec and
// snapshot that differ in one place, and passing where the rules allow.
func TestChargebeeComparer(t *testing.T) {
	type snapshotEdit func(ops map[string]cbOperation)
	tests := []struct {
		name     string
		old, new string       // replaced once in comparerSpec
		edit     snapshotEdit // applied to the parsed comparerSnapshot
		want     []string     // the problems, exactly
		extras   []string     // the logged extras, exactly
	}{
		// Also shows what is allowed: a spec integer for a response number,
		// any spec schema for a response `any`, minLength 1 on a field
		// Chargebee requires, an enum in another order.
		{name: "agreeing pair"},
		{
			name: "request field missing from the spec",
			edit: func(ops map[string]cbOperation) {
				ops["makeThing"].Request.Properties["email"] = &cbNode{Type: "string", MaxLength: ptr.To(uint64(70))}
			},
			want: []string{"makeThing request email: missing"},
		},
		{
			name: "nested request field missing",
			edit: func(ops map[string]cbOperation) {
				ops["makeThing"].Request.Properties["card"].Properties["iin"] = &cbNode{Type: "string"}
			},
			want: []string{"makeThing request card[iin]: missing"},
		},
		{
			name: "enum value missing",
			edit: func(ops map[string]cbOperation) {
				brand := ops["makeThing"].Request.Properties["card"].Properties["brand"]
				brand.Enum = append(brand.Enum, "mada", "elo")
			},
			want: []string{"makeThing request card[brand]: enum lacks mada, elo"},
		},
		{
			name: "enum where Chargebee has none",
			old:  "note: {type: string, maxLength: 100}", new: "note: {type: string, maxLength: 100, enum: [a, b]}",
			want: []string{"makeThing request note: enum of 2 values, Chargebee has none"},
		},
		{
			name: "stricter maxLength",
			old:  "maxLength: 50}", new: "maxLength: 10}",
			want: []string{"makeThing request name: maxLength 10 < Chargebee's 50"},
		},
		{
			name: "maxLength where Chargebee has none",
			edit: func(ops map[string]cbOperation) { ops["makeThing"].Request.Properties["note"].MaxLength = nil },
			want: []string{"makeThing request note: maxLength 100, Chargebee has none"},
		},
		{
			name: "wider maxLength and no maxLength are fine",
			old:  "name: {type: string, minLength: 1, maxLength: 50}\n                note: {type: string, maxLength: 100}",
			new:  "name: {type: string, minLength: 1, maxLength: 500}\n                note: {type: string}",
		},
		{
			name: "minLength 1 on a field Chargebee does not require",
			old:  "note: {type: string, maxLength: 100}", new: "note: {type: string, minLength: 1, maxLength: 100}",
			want: []string{"makeThing request note: minLength 1 > Chargebee's 0"},
		},
		{
			name: "minLength above 1 on a required field",
			old:  "minLength: 1, maxLength: 50", new: "minLength: 2, maxLength: 50",
			want: []string{"makeThing request name: minLength 2 > Chargebee's 0"},
		},
		{
			name: "stricter minimum and maximum",
			old:  "month: {type: integer, minimum: 1, maximum: 12}", new: "month: {type: integer, minimum: 2, maximum: 11}",
			want: []string{
				"makeThing request card[month]: maximum 11 < Chargebee's 12",
				"makeThing request card[month]: minimum 2 > Chargebee's 1",
			},
		},
		{
			name: "exclusive minimum equal to Chargebee's",
			old:  "format: int64, minimum: 0}", new: "format: int64, minimum: 0, exclusiveMinimum: true}",
			want: []string{"makeThing request amount: minimum 0 (exclusive) > Chargebee's 0"},
		},
		{
			name: "minimum where Chargebee has none",
			edit: func(ops map[string]cbOperation) { ops["makeThing"].Request.Properties["amount"].Minimum = nil },
			want: []string{"makeThing request amount: minimum 0, Chargebee has none"},
		},
		{
			name: "pattern and validating format where Chargebee has none",
			old:  "note: {type: string, maxLength: 100}", new: "note: {type: string, maxLength: 100, pattern: '^[a-z]+$', format: date-time}",
			want: []string{
				"makeThing request note: format date-time, Chargebee has none",
				"makeThing request note: pattern ^[a-z]+$, Chargebee has none",
			},
		},
		{
			name: "type Chargebee does not send",
			old:  "note: {type: string, maxLength: 100}", new: "note: {type: integer}",
			want: []string{"makeThing request note: type integer, Chargebee's is string"},
		},
		{
			name: "required field Chargebee does not require",
			old:  "required: [name]", new: "required: [name, note]",
			want: []string{"makeThing request note: required in the spec, optional in Chargebee's definitions"},
		},
		{
			name: "required nested object whose parent is optional upstream",
			old:  "required: [name]", new: "required: [card, name]",
			want: []string{"makeThing request card: required in the spec, optional in Chargebee's definitions"},
		},
		{
			name: "required field inside an optional object",
			old:  "card:\n                  type: object\n", new: "card:\n                  type: object\n                  required: [brand]\n",
			want: []string{"makeThing request card[brand]: required in the spec, optional in Chargebee's definitions"},
		},
		{
			name: "required field unknown to Chargebee",
			old:  "required: [name]", new: "required: [name, nickname]",
			want: []string{"makeThing request nickname: required in the spec, unknown to Chargebee"},
		},
		{
			name: "free-form object closed",
			old:  "additional_information: {type: object, additionalProperties: true}",
			new:  "additional_information: {type: object, additionalProperties: false}",
			want: []string{"makeThing request additional_information: additionalProperties false, Chargebee's object takes unknown keys"},
		},
		{
			name: "free-form object as a string holding JSON (x-cbpay-json)",
			old:  "additional_information: {type: object, additionalProperties: true}",
			new:  "additional_information: {type: string, x-cbpay-json: true}",
		},
		{
			name: "free-form object as a plain string",
			old:  "additional_information: {type: object, additionalProperties: true}",
			new:  "additional_information: {type: string}",
			want: []string{"makeThing request additional_information: type string, Chargebee's is object"},
		},
		{
			name: "free-form object as a JSON string with a limit",
			old:  "additional_information: {type: object, additionalProperties: true}",
			new:  "additional_information: {type: string, x-cbpay-json: true, maxLength: 1000}",
			want: []string{"makeThing request additional_information: maxLength 1000, Chargebee has none"},
		},
		{
			name: "extra optional spec field is only logged",
			old:  "note: {type: string, maxLength: 100}", new: "note: {type: string, maxLength: 100}\n                nickname: {type: string}",
			extras: []string{"makeThing request nickname: not in Chargebee's definitions"},
		},
		{
			name: "response attribute missing",
			edit: func(ops map[string]cbOperation) {
				ops["makeThing"].Response.Properties["thing"].Properties["bank_account"] = &cbNode{Type: "object", AdditionalProperties: true}
			},
			want: []string{"makeThing response thing.bank_account: missing"},
		},
		{
			name: "response enum value missing",
			edit: func(ops map[string]cbOperation) {
				status := ops["makeThing"].Response.Properties["thing"].Properties["status"]
				status.Enum = append(status.Enum, "pending_verification")
			},
			want: []string{"makeThing response thing.status: enum lacks pending_verification"},
		},
		{
			name: "response attribute required but optional in Chargebee",
			old:  "required: [id]", new: "required: [count, id]",
			want: []string{"makeThing response thing.count: required in the spec, optional in Chargebee's definitions"},
		},
		{
			name: "response type mismatch and array items",
			old:  "tags: {type: array, items: {type: string}}", new: "tags: {type: array, items: {type: integer}}",
			want: []string{"makeThing response thing.tags[]: type integer, Chargebee's is string"},
		},
		{
			name: "response limits are not held to the request rules",
			old:  "id: {type: string}", new: "id: {type: string, maxLength: 5, pattern: '^x'}",
		},
		{
			name: "request number needs a spec number",
			edit: func(ops map[string]cbOperation) { ops["makeThing"].Request.Properties["amount"].Type = "number" },
			want: []string{"makeThing request amount: type integer, Chargebee's is number"},
		},
		{
			name: "operation missing from the spec",
			edit: func(ops map[string]cbOperation) { ops["dropThing"] = ops["makeThing"] },
			want: []string{"dropThing: not in the spec"},
		},
		{
			name: "spec composition is reported, not guessed",
			old:  "note: {type: string, maxLength: 100}", new: "note: {oneOf: [{type: string}, {type: integer}]}",
			want: []string{"makeThing request note: uses oneOf, which this check cannot compare: describe the field without it"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Contains(t, comparerSpec, tt.old, "the text to replace is not in comparerSpec")
			doc, err := openapi3.NewLoader().LoadFromData([]byte(strings.Replace(comparerSpec, tt.old, tt.new, 1)))
			require.NoError(t, err)
			require.NoError(t, doc.Validate(t.Context()))
			defs, err := parseDefinitions([]byte(comparerSnapshot))
			require.NoError(t, err)
			if tt.edit != nil {
				tt.edit(defs.Operations)
			}
			got := compareWithChargebee(doc, defs)
			assert.Equal(t, slices.Sorted(slices.Values(tt.want)), got.problems)
			assert.Equal(t, tt.extras, got.extras)
		})
	}
}

// TestParseChargebeeDefinitionsStrict: a keyword the comparer does not know
// (here `nullable`) fails the decoding instead of being ignored.
func TestParseChargebeeDefinitionsStrict(t *testing.T) {
	_, err := parseDefinitions([]byte(`{"source": "x", "operations": {"a": {"request": {"type": "string", "nullable": true}}}}`))
	assert.ErrorContains(t, err, "nullable")
}

// TestEndpointsAreChargebees holds each API v2 operation of the spec to the
// row of Chargebee's SDK endpoint table for it: the same method and path,
// x-cbpay-idempotent where Chargebee marks the operation idempotent (GETs
// are idempotent by their method), and x-cbpay-json on exactly the keys
// the SDK sends as one JSON value.
func TestEndpointsAreChargebees(t *testing.T) {
	defs := loadDefinitions(t)
	doc := loadSpec(t, OpenAPI)
	byID := map[string]operation{}
	for _, o := range operations(doc) {
		byID[o.op.OperationID] = o
	}
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	checked := 0
	for id, cb := range defs.Operations {
		ep := cb.Endpoint
		if ep == nil {
			continue
		}
		checked++
		o, ok := byID[id]
		if !assert.True(t, ok, "%s: not in the spec", id) {
			continue
		}
		assert.Equal(t, ep.Method, o.method, "%s: method", id)
		assert.Equal(t, ep.Path, placeholder.ReplaceAllString(o.path, "{id}"), "%s: path", id)
		if o.method != "GET" {
			idem, _ := o.op.Extensions["x-cbpay-idempotent"].(bool)
			assert.Equal(t, ep.Idempotent, idem, "%s: x-cbpay-idempotent", id)
		}
		var jsonKeys map[string]int
		if rb := o.op.RequestBody; rb != nil {
			mt := rb.Value.Content.Get("application/x-www-form-urlencoded")
			if !assert.NotNil(t, mt, "%s: a body that is not a form", id) {
				continue
			}
			jsonKeys = jsonValued(mt.Schema.Value, 0)
		}
		if len(ep.JSONKeys) > 0 || len(jsonKeys) > 0 {
			assert.Equal(t, ep.JSONKeys, jsonKeys, "%s: the keys sent as one JSON value (x-cbpay-json)", id)
		}
	}
	assert.Equal(t, 11, checked, "the API v2 operations of the snapshot")
}

// jsonValued lists the properties of a form body marked x-cbpay-json, by
// name, with their depth.
func jsonValued(s *openapi3.Schema, depth int) map[string]int {
	out := map[string]int{}
	for name, p := range s.Properties {
		switch {
		case p.Value.Extensions["x-cbpay-json"] == true:
			out[name] = depth
		case p.Value.Type.Is(openapi3.TypeObject):
			maps.Copy(out, jsonValued(p.Value, depth+1))
		}
	}
	return out
}
