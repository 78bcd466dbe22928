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
