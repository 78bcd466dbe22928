//go:build tools

// Package tools pins ogen, the third generator family scripts/spec-check.sh
// proves the spec with: `go run github.com/ogen-go/ogen/cmd/ogen` resolves it
// from this module's go.mod. A module of its own, so that ogen and its
// dependencies stay out of cbpay's go.mod.
package tools

import _ "github.com/ogen-go/ogen/cmd/ogen"
