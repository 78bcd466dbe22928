//go:build tools

// Package tools pins the code generators this module runs through go generate,
// so `go run` resolves them from go.mod at the recorded versions.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
