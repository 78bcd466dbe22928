# Sourced by scripts/spec-check.sh and scripts/docs.sh: puts the pinned npm
# tools of scripts/spec-tools/ on PATH, installing them first with `npm ci`
# when node_modules is missing or was installed from another lockfile.
# Needs only Node (>= 20.19) and npm; nothing is installed globally.

SPEC_TOOLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The tools' own usage reports and update checks stay off.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_NOTIFICATIONS=true
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export NO_UPDATE_NOTIFIER=1

spec_tools_install() {
  local stamp="$SPEC_TOOLS_DIR/node_modules/.cbpay-installed-lock"
  for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "$tool is required (Node >= 20.19 with npm)" >&2
      return 1
    fi
  done
  if [ -f "$stamp" ] && cmp -s "$stamp" "$SPEC_TOOLS_DIR/package-lock.json"; then
    :
  else
    echo "spec-tools: npm ci (pinned by scripts/spec-tools/package-lock.json)"
    (cd "$SPEC_TOOLS_DIR" && npm ci --no-audit --no-fund --loglevel=error) || return 1
    cp "$SPEC_TOOLS_DIR/package-lock.json" "$stamp"
  fi
  PATH="$SPEC_TOOLS_DIR/node_modules/.bin:$PATH"
  export PATH
}
