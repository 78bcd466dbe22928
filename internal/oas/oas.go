// Package oas holds what the spec's readers (the rules generator, the flat
// spec generator and the fake) need to agree on about its schemas. The
// client never imports it: it links no OpenAPI library.
package oas

import "github.com/getkin/kin-openapi/openapi3"

// IsJSONObject reports whether a schema is a free-form object described as
// what it is on the wire: a string holding one JSON object, marked
// `x-cbpay-json: true` (additional_information, payment_method_options).
// The Go models keep such a field as a map (x-go-type), which the form
// encoder writes as one compact JSON value.
func IsJSONObject(sc *openapi3.Schema) bool {
	v, ok := sc.Extensions["x-cbpay-json"].(bool)
	return ok && v && sc.Type.Is(openapi3.TypeString)
}

// IsSensitive reports whether a schema is marked `x-cbpay-sensitive: true`:
// its value is a token or card data, never printed or logged.
func IsSensitive(sc *openapi3.Schema) bool {
	v, ok := sc.Extensions["x-cbpay-sensitive"].(bool)
	return ok && v
}

// QuerySchema returns the query parameters of an operation as one object
// schema, a property per parameter, or nil when it has none. The query of
// a GET is encoded as a form body is (Chargebee's bracket keys,
// `customer_id[is]=...`, which is what OpenAPI's deepObject style writes
// for an object parameter), so its readers treat this schema as they treat
// a form body's: the same rules, the same encoder, the same checks.
func QuerySchema(params ...openapi3.Parameters) *openapi3.Schema {
	var s *openapi3.Schema
	for _, list := range params {
		for _, p := range list {
			if p.Value == nil || p.Value.In != openapi3.ParameterInQuery {
				continue
			}
			if s == nil {
				s = &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Properties: openapi3.Schemas{}}
			}
			s.Properties[p.Value.Name] = p.Value.Schema
			if p.Value.Required {
				s.Required = append(s.Required, p.Value.Name)
			}
		}
	}
	return s
}

// QueryModel names the generated model of an operation's query parameters
// (oapi-codegen's XParams), by which rulesgen's model table knows it:
// listPaymentSources -> ListPaymentSourcesParams.
func QueryModel(operationID string) string {
	if operationID == "" {
		return ""
	}
	return string(operationID[0]-'a'+'A') + operationID[1:] + "Params"
}
