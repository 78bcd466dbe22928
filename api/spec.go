// Package api holds the OpenAPI description of Chargebee's payment-method
// operations, the one source of truth: go generate writes the client's
// models and their redaction (gen/), its operations (facade/*.gen.go) and
// its validation rules and form plans (internal/rules/zz_rules.gen.go) from
// it, and the fake server reads the embedded copy at run time.
package api

import _ "embed"

// oapi-codegen first: rulesgen reads the request models it writes.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config ../oapi-codegen.yaml openapi.yaml
//go:generate go run ../internal/facadegen -spec openapi.yaml -gen ../gen/client.gen.go -facade ../facade -models ../internal/rules/rulesgen/models.gen.go -redact ../gen/redact.gen.go
//go:generate go run ../scripts/flatspec -o openapi-flat.yaml openapi.yaml
//go:generate go run ../internal/rules/rulesgen -o ../internal/rules/zz_rules.gen.go openapi.yaml

// OpenAPI is the spec, api/openapi.yaml, as YAML bytes.
//
//go:embed openapi.yaml
var OpenAPI []byte
