package api

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The spec is a product of its own: generators in other languages read it,
// so these tests hold it to rules that neither oapi-codegen nor Redocly's
// lint (scripts/spec-check.sh) enforce. Each rule is a check function that
// returns the problems it finds; TestSpecChecksCatchBrokenSpecs proves that
// every check fails on a spec broken in the way it guards against.

const (
	formMediaType = "application/x-www-form-urlencoded"
	jsonMediaType = "application/json"
	apiErrorRef   = "#/components/schemas/ChargebeeError"

	v1OperationID         = "createCardUsingPaymentIntent"
	deprecatedOperationID = "updatePaymentMethod"
)

// errorStatuses are the error answers every operation documents, each with
// the shared ChargebeeError body.
var errorStatuses = []string{"400", "401", "404", "409", "422", "429", "500", "503"}

func loadSpec(t *testing.T, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	require.NoError(t, err, "loading the spec")
	return doc
}

type operation struct {
	method, path string
	item         *openapi3.PathItem
	op           *openapi3.Operation
}

func (o operation) String() string {
	if o.op.OperationID != "" {
		return o.op.OperationID
	}
	return o.method + " " + o.path
}

// operations lists the spec's operations in path then method order, so that
// problem lists are stable.
func operations(doc *openapi3.T) []operation {
	var ops []operation
	paths := doc.Paths.Keys()
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		methods := make([]string, 0)
		for method := range item.Operations() {
			methods = append(methods, method)
		}
		sort.Strings(methods)
		for _, method := range methods {
			ops = append(ops, operation{method: method, path: path, item: item, op: item.GetOperation(method)})
		}
	}
	return ops
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkValid is kin-openapi's own validation of the document.
func checkValid(doc *openapi3.T) []string {
	if err := doc.Validate(context.Background()); err != nil {
		return []string{err.Error()}
	}
	return nil
}

// checkEncodings: every `encoding` key of a request body names a declared
// property of the body's schema (a typo there silently falls back to the
// generator's default encoding); every object property of a form body is
// style deepObject with explode (bracket keys); and a free-form object, at
// any depth, is described as what it is on the wire: a string holding one
// JSON object (x-cbpay-json), with no encoding entry that would make a tool
// JSON-encode the string again. Most generators ignore `encoding`, but every
// one sends a string as it is, nested in deepObject keys too.
func checkEncodings(doc *openapi3.T) []string {
	var problems []string
	for _, o := range operations(doc) {
		if o.op.RequestBody == nil || o.op.RequestBody.Value == nil {
			continue
		}
		content := o.op.RequestBody.Value.Content
		for _, mt := range sortedKeys(content) {
			media := content[mt]
			if media.Schema == nil || media.Schema.Value == nil {
				problems = append(problems, fmt.Sprintf("%s %s: no schema", o, mt))
				continue
			}
			props := media.Schema.Value.Properties
			for _, key := range sortedKeys(media.Encoding) {
				if _, ok := props[key]; !ok {
					problems = append(problems, fmt.Sprintf("%s %s: encoding key %q is not a property of the body", o, mt, key))
				}
			}
			if mt != formMediaType {
				continue
			}
			problems = append(problems, freeFormObjects(o.String(), "", media.Schema.Value)...)
			for _, name := range sortedKeys(props) {
				prop := props[name].Value
				if prop == nil {
					continue
				}
				enc := media.Encoding[name]
				switch {
				case isJSONString(prop):
					if enc != nil && enc.ContentType != "" {
						problems = append(problems, fmt.Sprintf("%s: JSON string property %q must have no encoding contentType, has %q", o, name, enc.ContentType))
					}
				case !prop.Type.Is(openapi3.TypeObject):
				case enc == nil:
					problems = append(problems, fmt.Sprintf("%s: object property %q has no encoding entry", o, name))
				case enc.Style != openapi3.SerializationDeepObject || enc.Explode == nil || !*enc.Explode:
					problems = append(problems, fmt.Sprintf("%s: object property %q must be style deepObject with explode true", o, name))
				}
			}
		}
	}
	return problems
}

// isJSONString: a string marked as holding one JSON object.
func isJSONString(s *openapi3.Schema) bool {
	v, ok := s.Extensions["x-cbpay-json"].(bool)
	return ok && v && s.Type.Is(openapi3.TypeString)
}

// freeFormObjects lists the object schemas without declared properties
// under a form body (the body itself excepted).
func freeFormObjects(op, key string, s *openapi3.Schema) []string {
	var problems []string
	if key != "" && s.Type.Is(openapi3.TypeObject) && len(s.Properties) == 0 {
		problems = append(problems, fmt.Sprintf("%s: %s is a free-form object: describe it as a string holding JSON (type string, x-cbpay-json: true)", op, key))
	}
	for _, name := range sortedKeys(s.Properties) {
		if p := s.Properties[name].Value; p != nil {
			k := name
			if key != "" {
				k = key + "[" + name + "]"
			}
			problems = append(problems, freeFormObjects(op, k, p)...)
		}
	}
	return problems
}

// checkExamples: every media-type example of a request body or a response,
// `example` or `examples`, is valid against its own schema. Form bodies are
// objects too and are validated as JSON. Request bodies and 200 answers
// must carry at least one example, so that the check has something to check.
func checkExamples(doc *openapi3.T) []string {
	var problems []string
	visit := func(where string, content openapi3.Content, required bool, opts ...openapi3.SchemaValidationOption) {
		for _, mt := range sortedKeys(content) {
			media := content[mt]
			examples := map[string]any{}
			if media.Example != nil {
				examples["example"] = media.Example
			}
			for _, name := range sortedKeys(media.Examples) {
				if ex := media.Examples[name]; ex != nil && ex.Value != nil {
					examples["examples/"+name] = ex.Value.Value
				}
			}
			if required && len(examples) == 0 {
				problems = append(problems, fmt.Sprintf("%s %s: no example", where, mt))
			}
			if media.Schema == nil || media.Schema.Value == nil {
				continue
			}
			for _, name := range sortedKeys(examples) {
				value, err := asJSON(examples[name])
				if err != nil {
					problems = append(problems, fmt.Sprintf("%s %s %s: %v", where, mt, name, err))
					continue
				}
				if err := media.Schema.Value.VisitJSON(value, opts...); err != nil {
					problems = append(problems, fmt.Sprintf("%s %s %s: %v", where, mt, name, err))
				}
			}
		}
	}
	for _, o := range operations(doc) {
		if o.op.RequestBody != nil && o.op.RequestBody.Value != nil {
			visit(o.String()+" request", o.op.RequestBody.Value.Content, true,
				openapi3.MultiErrors(), openapi3.VisitAsRequest())
		}
		if o.op.Responses == nil {
			continue
		}
		responses := o.op.Responses.Map()
		for _, status := range sortedKeys(responses) {
			if r := responses[status]; r != nil && r.Value != nil {
				visit(o.String()+" response "+status, r.Value.Content, status == "200",
					openapi3.MultiErrors(), openapi3.VisitAsResponse())
			}
		}
	}
	return problems
}

// asJSON turns a YAML-decoded example into what encoding/json would decode
// from the same value on the wire (float64 numbers, map[string]any objects).
func asJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// checkResponses: every operation has an operationId, a 200 answer with a
// JSON body, and each error status of errorStatuses with the ChargebeeError
// body. (Not "ApiError": openapi-typescript-codegen's runtime has a class of
// that name, and the generated model would clash with it.)
func checkResponses(doc *openapi3.T) []string {
	var problems []string
	apiError := doc.Components.Schemas["ChargebeeError"]
	if apiError == nil || apiError.Value == nil {
		return []string{"components.schemas.ChargebeeError is missing"}
	}
	for _, o := range operations(doc) {
		if o.op.OperationID == "" {
			problems = append(problems, fmt.Sprintf("%s %s: no operationId", o.method, o.path))
		}
		var responses map[string]*openapi3.ResponseRef
		if o.op.Responses != nil {
			responses = o.op.Responses.Map()
		}
		ok := responses["200"]
		switch {
		case ok == nil || ok.Value == nil:
			problems = append(problems, fmt.Sprintf("%s: no 200 response", o))
		case ok.Value.Content[jsonMediaType] == nil || ok.Value.Content[jsonMediaType].Schema == nil:
			problems = append(problems, fmt.Sprintf("%s: 200 response has no %s schema", o, jsonMediaType))
		}
		for _, status := range errorStatuses {
			r := responses[status]
			if r == nil || r.Value == nil {
				problems = append(problems, fmt.Sprintf("%s: no %s response", o, status))
				continue
			}
			media := r.Value.Content[jsonMediaType]
			if media == nil || media.Schema == nil {
				problems = append(problems, fmt.Sprintf("%s: %s response has no %s schema", o, status, jsonMediaType))
				continue
			}
			if media.Schema.Ref != apiErrorRef || media.Schema.Value != apiError.Value {
				problems = append(problems, fmt.Sprintf("%s: %s response schema is %q, want the shared %s", o, status, media.Schema.Ref, apiErrorRef))
			}
		}
	}
	return problems
}

// checkServersAndDeprecation: servers are declared once, for the document,
// at the site root (no /api/... path: generic tools use one base URL per
// client, and most ignore operation-level servers); each path carries its
// API version, /api/v1/ for the v1 operation and /api/v2/ for the others;
// updatePaymentMethod, and only it, is deprecated.
func checkServersAndDeprecation(doc *openapi3.T) []string {
	var problems []string
	if len(doc.Servers) == 0 {
		problems = append(problems, "no document-level servers")
	}
	for _, s := range doc.Servers {
		_, rest, _ := strings.Cut(s.URL, "://")
		if i := strings.IndexByte(rest, '/'); i >= 0 && strings.Trim(rest[i:], "/") != "" {
			problems = append(problems, fmt.Sprintf("server %q is not at the site root: put /api/v1 or /api/v2 in the paths", s.URL))
		}
	}
	seen := map[string]bool{}
	for _, o := range operations(doc) {
		id := o.op.OperationID
		seen[id] = true
		if o.op.Servers != nil && len(*o.op.Servers) > 0 {
			problems = append(problems, fmt.Sprintf("%s: operation-level servers (generators ignore them): use the path", o))
		}
		if len(o.item.Servers) > 0 {
			problems = append(problems, fmt.Sprintf("%s: path-level servers (generators ignore them): use the path", o))
		}
		want := "/api/v2/"
		if id == v1OperationID {
			want = "/api/v1/"
		}
		if !strings.HasPrefix(o.path, want) {
			problems = append(problems, fmt.Sprintf("%s: path %s does not start with %s", o, o.path, want))
		}
		if wantDeprecated := id == deprecatedOperationID; o.op.Deprecated != wantDeprecated {
			problems = append(problems, fmt.Sprintf("%s: deprecated is %t, want %t", o, o.op.Deprecated, wantDeprecated))
		}
	}
	for _, id := range []string{v1OperationID, deprecatedOperationID} {
		if !seen[id] {
			problems = append(problems, fmt.Sprintf("operation %s is missing", id))
		}
	}
	return problems
}

var specChecks = map[string]func(*openapi3.T) []string{
	"valid":     checkValid,
	"encodings": checkEncodings,
	"examples":  checkExamples,
	"responses": checkResponses,
	"servers":   checkServersAndDeprecation,
}

func TestSpec(t *testing.T) {
	doc := loadSpec(t, OpenAPI)
	require.Len(t, operations(doc), 12, "the operations")
	for _, name := range sortedKeys(specChecks) {
		t.Run(name, func(t *testing.T) {
			assert.Empty(t, specChecks[name](doc))
		})
	}
}

// TestSpecChecksCatchBrokenSpecs breaks a copy of the spec in one place and
// expects the named check to report it, so that no check passes vacuously.
func TestSpecChecksCatchBrokenSpecs(t *testing.T) {
	tests := []struct {
		name, check string
		old, new    string // the first occurrence in api/openapi.yaml is replaced
		want        string // in one of the problems
	}{
		{
			name: "path parameter that is not in the path", check: "valid",
			old:  "      name: customer_id\n      in: path",
			new:  "      name: customerid\n      in: path",
			want: "must define exactly all path parameters",
		},
		{
			name: "encoding key that is not a property", check: "encodings",
			old:  "              billing_address:\n                style: deepObject",
			new:  "              billing_adress:\n                style: deepObject",
			want: `encoding key "billing_adress" is not a property`,
		},
		{
			name: "object property without encoding", check: "encodings",
			old:  "            encoding:\n              payment_method:\n                style: deepObject\n                explode: true\n",
			new:  "",
			want: `object property "payment_method" has no encoding entry`,
		},
		{
			name: "free-form object described as an object", check: "encodings",
			old:  "    AdditionalInformation:\n      type: string",
			new:  "    AdditionalInformation:\n      type: object",
			want: "updatePaymentMethod: payment_method[additional_information] is a free-form object",
		},
		{
			name: "JSON string encoded as JSON again", check: "encodings",
			old:  "              billing_address:\n                style: deepObject\n                explode: true\n",
			new:  "              billing_address:\n                style: deepObject\n                explode: true\n              additional_information:\n                contentType: application/json\n",
			want: `JSON string property "additional_information" must have no encoding contentType`,
		},
		{
			name: "request example out of range", check: "examples",
			old:  "              amount: 5000\n              currency_code: USD",
			new:  "              amount: -1\n              currency_code: USD",
			want: "createPaymentIntent request",
		},
		{
			name: "response example outside an enum", check: "examples",
			old:  "                  status: inited",
			new:  "                  status: initiated",
			want: "createPaymentIntent response 200",
		},
		{
			name: "named request example of the wrong type", check: "examples",
			old:  "            example:\n              payment_intent_id: pi_AzZhUGSPAkLskJQo",
			new:  "            examples:\n              numeric:\n                value:\n                  payment_intent_id: 42",
			want: "createCardUsingPaymentIntent request application/x-www-form-urlencoded examples/numeric",
		},
		{
			name: "request body without example", check: "examples",
			old:  "            example:\n              payment_intent_id: pi_AzZhUGSPAkLskJQo\n",
			new:  "",
			want: "createCardUsingPaymentIntent request application/x-www-form-urlencoded: no example",
		},
		{
			name: "operation without operationId", check: "responses",
			old:  "      operationId: createPaymentIntent\n",
			new:  "",
			want: "POST /api/v2/payment_intents: no operationId",
		},
		{
			name: "operation without 200", check: "responses",
			old:  "        '200':\n          $ref: '#/components/responses/PaymentSourceCreated'",
			new:  "        '201':\n          $ref: '#/components/responses/PaymentSourceCreated'",
			want: "createPaymentSourceUsingToken: no 200 response",
		},
		{
			name: "operation without 429", check: "responses",
			old:  "        '429':\n          $ref: '#/components/responses/TooManyRequests'\n",
			new:  "",
			want: "createPaymentIntent: no 429 response",
		},
		{
			name: "error response with its own schema", check: "responses",
			old:  "    Conflict:\n      description: The resource is not in a state that allows this call.\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/ChargebeeError'",
			new:  "    Conflict:\n      description: The resource is not in a state that allows this call.\n      content:\n        application/json:\n          schema:\n            type: object",
			want: "409 response schema",
		},
		{
			name: "v1 operation under /api/v2", check: "servers",
			old:  "  /api/v1/customers/{customer_id}/credit_card_using_payment_intent:",
			new:  "  /api/v2/customers/{customer_id}/credit_card_using_payment_intent:",
			want: "createCardUsingPaymentIntent: path /api/v2/customers/{customer_id}/credit_card_using_payment_intent does not start with /api/v1/",
		},
		{
			name: "server with the API version in it", check: "servers",
			old:  "{site}-test.{environment}:{port}'",
			new:  "{site}-test.{environment}:{port}/api/v2'",
			want: "is not at the site root",
		},
		{
			name: "operation-level servers", check: "servers",
			old:  "      operationId: createCardUsingPaymentIntent\n",
			new:  "      operationId: createCardUsingPaymentIntent\n      servers:\n        - url: 'https://acme.chargebee.com/api/v1'\n",
			want: "createCardUsingPaymentIntent: operation-level servers",
		},
		{
			name: "update_payment_method not deprecated", check: "servers",
			old:  "      deprecated: true\n",
			new:  "",
			want: "updatePaymentMethod: deprecated is false",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := string(OpenAPI)
			require.Contains(t, spec, tt.old, "the text to break is not in the spec")
			doc, err := openapi3.NewLoader().LoadFromData([]byte(strings.Replace(spec, tt.old, tt.new, 1)))
			require.NoError(t, err)
			problems := specChecks[tt.check](doc)
			require.NotEmpty(t, problems, "check %q found nothing", tt.check)
			assert.Contains(t, strings.Join(problems, "\n"), tt.want)
		})
	}
}
