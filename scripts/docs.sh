#!/usr/bin/env bash
# Renders api/openapi.yaml into docs/index.html with Redocly (build-docs),
# using the pinned tools of scripts/spec-tools/. The page loads Redoc's script
# from Redocly's CDN at a pinned version with an integrity hash; the API
# reference itself is prerendered into the HTML. scripts/spec-check.sh fails
# when the committed page differs from a fresh build, so run `make docs` and
# commit docs/index.html after editing the spec.
#
# Usage: scripts/docs.sh [OUTPUT]   (default docs/index.html)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=spec-tools/lib.sh
source scripts/spec-tools/lib.sh
spec_tools_install

out=${1:-docs/index.html}
mkdir -p "$(dirname "$out")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! redocly build-docs api/openapi.yaml --config redocly.yaml --lint-config=error \
  --output "$out" >"$log" 2>&1; then
  cat "$log" >&2
  echo "docs: redocly build-docs failed" >&2
  exit 1
fi
echo "docs: $out ($(wc -c <"$out" | tr -d ' ') bytes)"
