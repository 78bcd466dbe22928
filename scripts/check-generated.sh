#!/usr/bin/env bash
# Fails when gen/ or api/openapi-flat.yaml is stale: regenerates both from
# api/openapi.yaml into a temporary folder and compares them with the
# committed files.
set -euo pipefail
cd "$(dirname "$0")/../api"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Same configuration, output redirected (the config's output wins over -o).
sed "s|^output:.*|output: $tmp/client.gen.go|" ../oapi-codegen.yaml >"$tmp/config.yaml"
go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen \
  -config "$tmp/config.yaml" openapi.yaml
if ! diff -u ../gen/client.gen.go "$tmp/client.gen.go" >"$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "gen/ is stale: run 'make generate' and commit the result" >&2
  exit 1
fi
go run ../scripts/flatspec -o "$tmp/openapi-flat.yaml" openapi.yaml
if ! diff -u openapi-flat.yaml "$tmp/openapi-flat.yaml" >"$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "api/openapi-flat.yaml is stale: run 'make generate' and commit the result" >&2
  exit 1
fi
echo "gen/ and api/openapi-flat.yaml match api/openapi.yaml"
