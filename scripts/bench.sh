#!/usr/bin/env bash
# Benchmarks with same-run baselines (make bench). Runs every benchmark of
# the packages below BENCH_COUNT times, keeps the raw output for benchstat,
# then prints from that same output the medians, the ratios of the facade
# to its baselines, and the performance targets met or missed
# (docs/PERFORMANCE.md explains them).
#
# Environment:
#   BENCH_COUNT   rounds of each benchmark (default 10; benchstat needs 6
#                 for a confidence interval)
#   BENCH_TIME    -benchtime of each round (default 300ms; about a minute
#                 on 2 cores, build included once cached)
#   BENCH_FILTER  -bench regexp (default .)
#   BENCH_OUT     where the raw output goes (default bin/bench.out)
#   BENCH_STRICT  1: exit 1 when a target is missed
#
# Compare two runs with benchstat (golang.org/x/perf/cmd/benchstat):
#   benchstat old.out new.out;  benchstat -col /impl bin/bench.out
set -euo pipefail
cd "$(dirname "$0")/.."

count=${BENCH_COUNT:-10}
benchtime=${BENCH_TIME:-300ms}
filter=${BENCH_FILTER:-.}
out=${BENCH_OUT:-bin/bench.out}
packages=(./internal/form ./internal/rules ./facade)

mkdir -p "$(dirname "$out")" bin
# Build the ratio tool first, so that a broken build fails before the
# benchmarks spend their minute.
go build -o bin/benchratio ./scripts/benchratio

echo "bench: ${packages[*]}: -count $count -benchtime $benchtime -bench '$filter' -> $out"
go test -run '^$' -bench "$filter" -benchmem -count "$count" -benchtime "$benchtime" "${packages[@]}" | tee "$out"

strict=()
if [[ ${BENCH_STRICT:-0} == 1 ]]; then
  strict=(-strict)
fi
bin/benchratio "${strict[@]}" "$out"
echo
echo "raw output: $out (benchstat $out)"
