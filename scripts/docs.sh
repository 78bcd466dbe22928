#!/usr/bin/env bash
# Renders api/openapi.yaml into docs/index.html with Redocly (build-docs),
# using the pinned tools of scripts/spec-tools/. --inlineBundle puts the
# Redoc renderer (Redoc 3, shipped inside the pinned @redocly/cli) into the
# page instead of loading it from Redocly's CDN, so the page works offline:
# build-docs prerenders only the overview, and the operations are rendered
# by that script (one page per tag, #paymentintents). scripts/spec-check.sh
# fails when the committed page differs from a fresh build, and opens it in
# headless Chromium with the network cut off (scripts/docs-browser-check.sh),
# so run `make docs` and commit docs/index.html after editing the spec.
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
  --inlineBundle --output "$out" >"$log" 2>&1; then
  cat "$log" >&2
  echo "docs: redocly build-docs failed" >&2
  exit 1
fi
echo "docs: $out ($(wc -c <"$out" | tr -d ' ') bytes, Redoc inlined)"
