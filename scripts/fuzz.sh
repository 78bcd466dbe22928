#!/usr/bin/env bash
# Runs every fuzz target for a short while: the seed corpora run in `go test`
# anyway; this explores beyond them.
#
# Each target runs for a number of executions (-fuzztime Nx), about 3 to 5
# seconds each on a 2-core machine, not for a duration: with a duration, Go
# before 1.27 can fail a target that found nothing with a bare "context
# deadline exceeded" at the end of the window (a race in its fuzzing
# coordinator, golang/go#75804), which would redden CI at random on a loaded
# machine. `scripts/fuzz.sh 30s` (or `make fuzz FUZZTIME=30s`) runs each for
# that long instead, for a longer search by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
override=${1:-}
targets=(
  "./internal/form FuzzEncodeRoundTrip 20000x"
  "./internal/form FuzzDecode 100000x"
  "./internal/form FuzzFormJSONString 60000x"
  "./internal/rules FuzzGeneratedCodeMatchesReflection 1000x"
  "./facade FuzzDecodeAPIError 15000x"
  "./facade FuzzMaskJSONValues 25000x"
  "./webhook FuzzParse 3000x"
)
for t in "${targets[@]}"; do
  set -- $t
  budget=${override:-$3}
  echo "fuzz: $2 in $1 for $budget"
  go test -run '^$' -fuzz "^$2\$" -fuzztime "$budget" "$1"
done
