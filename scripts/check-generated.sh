#!/usr/bin/env bash
# Fails when gen/ is stale: regenerates the client from api/openapi.yaml into a
# temporary file and compares it with the committed gen/client.gen.go.
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
echo "gen/ matches api/openapi.yaml"
