#!/usr/bin/env bash
# Benchmarks with same-run baselines (make bench), then one line per
# performance target: "target NAME: measured X (limit Y) met|missed".
#
#  1. go test -bench: the encoder and the validator (internal/form,
#     internal/rules) and the fake server's throughput (facade), BENCH_COUNT
#     rounds each;
#  2. scripts/benchpair: the client against a raw net/http baseline in
#     paired rounds (implementations take turns within each round, the
#     first rotated from round to round): full calls over loopback, the
#     client side alone, throughput and new connections at 1, 8 and 64
#     goroutines, and the cold start of a new process;
#  3. scripts/benchratio on the output of both: medians, same-run ratios,
#     targets. docs/PERFORMANCE.md explains them.
#
# Environment:
#   BENCH_COUNT   rounds of each go test benchmark (default 10; benchstat
#                 needs 6 for a confidence interval)
#   BENCH_ROUNDS  rounds of each paired benchmark (default 20, spread over
#                 10 processes: the loopback ratios move by a few per cent
#                 from one process to the next)
#   BENCH_TIME    -benchtime of each go test round (default 300ms)
#   BENCH_BATCH   length of one turn of a paired per-call benchmark
#                 (default 25ms; 4 turns of each implementation a round)
#   BENCH_FILTER  go test -bench regexp (default .; "-" skips go test)
#   BENCH_PAIRED  benchpair group: call, client, throughput, coldstart
#                 (default all; "-" skips benchpair)
#   BENCH_OUT     where the raw output goes (default bin/bench.out)
#   BENCH_STRICT  1: exit 1 when a target is missed
#
# Compare two runs with benchstat (golang.org/x/perf/cmd/benchstat):
#   benchstat old.out new.out;  benchstat -col /impl bin/bench.out
set -euo pipefail
cd "$(dirname "$0")/.."

count=${BENCH_COUNT:-10}
rounds=${BENCH_ROUNDS:-20}
benchtime=${BENCH_TIME:-300ms}
batch=${BENCH_BATCH:-25ms}
filter=${BENCH_FILTER:-.}
paired=${BENCH_PAIRED:-}
out=${BENCH_OUT:-bin/bench.out}
packages=(./internal/form ./internal/rules ./facade)

mkdir -p "$(dirname "$out")" bin
# Build the tools first, so that a broken build fails before the
# benchmarks spend their minutes.
go build -o bin/benchratio ./scripts/benchratio
go build -o bin/benchpair ./scripts/benchpair

: >"$out"
if [[ $filter != - ]]; then
  echo "bench: ${packages[*]}: -count $count -benchtime $benchtime -bench '$filter' -> $out"
  go test -run '^$' -bench "$filter" -benchmem -count "$count" -benchtime "$benchtime" "${packages[@]}" | tee -a "$out"
fi
if [[ $paired != - ]]; then
  args=(-rounds "$rounds" -procs 10 -batch "$batch")
  if [[ -n $paired ]]; then
    args+=(-only "$paired")
  fi
  echo "bench: scripts/benchpair ${args[*]} -> $out"
  bin/benchpair "${args[@]}" | tee -a "$out"
fi

strict=()
if [[ ${BENCH_STRICT:-0} == 1 ]]; then
  strict=(-strict)
fi
status=0
bin/benchratio "${strict[@]}" "$out" || status=$?
echo
echo "raw output: $out (benchstat $out)"
exit "$status"
