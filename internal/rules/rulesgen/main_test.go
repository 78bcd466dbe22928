package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedFileIsUpToDate is scripts/check-generated.sh's check of
// internal/rules/zz_rules.gen.go, run by go test too.
func TestGeneratedFileIsUpToDate(t *testing.T) {
	data, err := os.ReadFile("../../../api/openapi.yaml")
	require.NoError(t, err)
	ops, err := compile(data)
	require.NoError(t, err)
	src, err := generate(ops)
	require.NoError(t, err)
	committed, err := os.ReadFile("../zz_rules.gen.go")
	require.NoError(t, err)
	if string(src) != string(committed) {
		t.Error("internal/rules/zz_rules.gen.go is stale: run 'make generate' and commit the result")
	}
}

func TestCompileRefusesABrokenSpec(t *testing.T) {
	_, err := compile([]byte("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    post:\n      operationId: x\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object}\n      responses: {'200': {description: ok}}\n"))
	assert.ErrorContains(t, err, "x: no form body")
}

func TestCompileRefusesABodyWithoutAModel(t *testing.T) {
	_, err := compile([]byte("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    post:\n      operationId: x\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {$ref: '#/components/schemas/Other'}\n      responses: {'200': {description: ok}}\ncomponents:\n  schemas:\n    Other: {type: object, properties: {a: {type: string}}}\n"))
	assert.ErrorContains(t, err, "no model for schema Other")
}

func TestIdent(t *testing.T) {
	assert.Equal(t, "createPaymentIntent", ident("CreatePaymentIntent"))
	assert.Equal(t, "ab1", ident("a-b.1"))
	assert.Equal(t, "op", ident("9-"))
}
