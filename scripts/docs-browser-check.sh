#!/usr/bin/env bash
# Opens docs/index.html in headless Chromium with the network cut off and
# checks that the five operations and their request bodies are on the page
# (scripts/spec-tools/docs/check-page.js). Run by scripts/spec-check.sh.
#
# Chromium is Debian's package `chromium`. When it is missing it is installed
# with apt-get (as root, or through sudo without a password); the version is
# whatever Debian's archive serves, which cannot be pinned. Only when apt-get
# is not there at all is the check skipped, with a message saying so.
#
# Usage: scripts/docs-browser-check.sh [PAGE]   (default docs/index.html)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=spec-tools/lib.sh
source scripts/spec-tools/lib.sh
spec_tools_install

page=${1:-docs/index.html}
chromium=${CHROMIUM:-$(command -v chromium || true)}
if [ -z "$chromium" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "docs-browser-check: SKIPPED: chromium is not installed and apt-get is not available to install it (install Chromium, or set CHROMIUM to its path, to run this check)"
    exit 0
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "docs-browser-check: chromium is missing; install it with: sudo apt-get install -y chromium" >&2
      exit 1
    fi
  fi
  echo "docs-browser-check: installing Debian's chromium (apt-get install -y chromium)"
  log=$(mktemp)
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
    tail -20 "$log" >&2
    rm -f "$log"
    echo "docs-browser-check: apt-get install chromium failed" >&2
    exit 1
  fi
  rm -f "$log"
  chromium=$(command -v chromium)
fi
echo "docs-browser-check: $("$chromium" --version 2>/dev/null | head -1)"
node scripts/spec-tools/docs/check-page.js "$chromium" "$page" api/openapi.yaml
