#!/usr/bin/env bash
# Fails when generated code is stale: regenerates gen/*.gen.go,
# facade/*.gen.go, internal/rules/zz_rules.gen.go and api/openapi-flat.yaml from
# api/openapi.yaml into a temporary directory and compares them with the
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
echo "gen/ matches api/openapi.yaml"
# The facade's per-operation code and rulesgen's model table.
go run ../internal/facadegen -spec openapi.yaml -gen ../gen/client.gen.go -facade "$tmp" -models "$tmp/models.gen.go" \
  -redact "$tmp/redact.gen.go"
for f in operations.gen.go types.gen.go; do
  if ! diff -u "../facade/$f" "$tmp/$f" >"$tmp/diff"; then
    head -40 "$tmp/diff"
    echo "facade/$f is stale: run 'make generate' and commit the result" >&2
    exit 1
  fi
done
if ! diff -u ../internal/rules/rulesgen/models.gen.go "$tmp/models.gen.go" >"$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "internal/rules/rulesgen/models.gen.go is stale: run 'make generate' and commit the result" >&2
  exit 1
fi
if ! diff -u ../gen/redact.gen.go "$tmp/redact.gen.go" >"$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "gen/redact.gen.go is stale: run 'make generate' and commit the result" >&2
  exit 1
fi
echo "facade/*.gen.go, gen/redact.gen.go and rulesgen's models match api/openapi.yaml"
# The rules are read from the committed models, which match the spec now.
go run ../internal/rules/rulesgen -o "$tmp/zz_rules.gen.go" openapi.yaml
if ! diff -u ../internal/rules/zz_rules.gen.go "$tmp/zz_rules.gen.go" >"$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "internal/rules/zz_rules.gen.go is stale: run 'make generate' and commit the result" >&2
  exit 1
fi
echo "internal/rules/zz_rules.gen.go matches api/openapi.yaml"
go run ../scripts/flatspec -o "$tmp/openapi-flat.yaml" openapi.yaml
if ! diff -u openapi-flat.yaml "$tmp/openapi-flat.yaml" >"$tmp/diff"; then
  head -40 "$tmp/diff"
  echo "api/openapi-flat.yaml is stale: run 'make generate' and commit the result" >&2
  exit 1
fi
echo "api/openapi-flat.yaml matches api/openapi.yaml"
