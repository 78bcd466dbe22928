// Package api holds the OpenAPI description of the five Chargebee
// payment-method operations, embedded so that the facade and the fake server
// read limits and schemas from the one source of truth at run time.
package api

import _ "embed"

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config ../oapi-codegen.yaml openapi.yaml
//go:generate go run ../scripts/flatspec -o openapi-flat.yaml openapi.yaml

// OpenAPI is the spec, api/openapi.yaml, as YAML bytes.
//
//go:embed openapi.yaml
var OpenAPI []byte
