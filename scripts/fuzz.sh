#!/usr/bin/env bash
# Runs every fuzz target for a short time (default 10s each): the seed
# corpora run in `go test` anyway; this explores beyond them.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-10s}
targets=(
  "./internal/form FuzzEncodeRoundTrip"
  "./internal/form FuzzDecode"
  "./internal/form FuzzFormJSONString"
  "./internal/rules FuzzGeneratedCodeMatchesReflection"
  "./facade FuzzDecodeAPIError"
  "./facade FuzzMaskJSONValues"
  "./webhook FuzzParse"
)
for t in "${targets[@]}"; do
  set -- $t
  echo "fuzz: $2 in $1 for $fuzztime"
  go test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" "$1"
done
