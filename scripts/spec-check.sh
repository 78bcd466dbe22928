#!/usr/bin/env bash
# Checks api/openapi.yaml as a product of its own, with the pinned npm tools
# of scripts/spec-tools/ (installed there by `npm ci`, nothing global):
#
#   1. Redocly lint, `recommended` ruleset (redocly.yaml): fails on any error,
#      any warning and any ignored problem, not only on errors as redocly does.
#   2. Redocly build-docs into a temporary file: the page builds, and the
#      committed docs/index.html is what scripts/docs.sh makes today.
#   3. openapi-typescript types + `tsc --strict --noEmit` with the committed
#      checks in scripts/spec-tools/check/ (a typed createPaymentSourceUsing-
#      PermanentToken body and @ts-expect-error lines that must stay errors).
#   4. @hey-api/openapi-ts client generation, type-checked by the same tsc run.
#   5. The committed form encoder (check/form.ts), compiled and run by node on
#      the typed body: bracket keys, JSON additional_information.
#   6. api/testdata/chargebee-definitions.json, the snapshot of Chargebee's
#      own definitions that api/chargebee_test.go holds the spec against, is
#      what scripts/spec-tools/chargebee/extract.js makes from the pinned
#      chargebee package today.
#
# Generated code goes to scripts/spec-tools/out/ (gitignored, rewritten on
# every run) so that editors resolve the check files' imports.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=spec-tools/lib.sh
source scripts/spec-tools/lib.sh

start=$(date +%s)
spec_tools_install

spec=api/openapi.yaml
tools=scripts/spec-tools
out=$tools/out
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "spec-check: $*" >&2
  exit 1
}

# run LABEL CMD...: runs CMD with its output kept in a log that is shown only
# when it fails.
run() {
  local label=$1
  shift
  if ! "$@" >"$tmp/$label.log" 2>&1; then
    cat "$tmp/$label.log" >&2
    fail "$label failed: $*"
  fi
}

# 1. Lint. `redocly lint` exits 0 on warnings, so read the totals from its
# JSON report; on any problem print them again in the readable format.
lint_rc=0
redocly lint "$spec" --config redocly.yaml --lint-config=error \
  --format=json --max-problems=10000 >"$tmp/lint.json" 2>"$tmp/lint.err" || lint_rc=$?
if ! totals=$(node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const t = r.totals;
  console.log(`${t.errors} ${t.warnings} ${t.ignored} ${r.version}`);
' "$tmp/lint.json" 2>/dev/null); then
  cat "$tmp/lint.err" >&2
  fail "redocly lint did not produce a report (exit $lint_rc)"
fi
read -r lint_errors lint_warnings lint_ignored redocly_version <<<"$totals"
if [ "$lint_rc" -ne 0 ] || [ "$lint_errors" -ne 0 ] || [ "$lint_warnings" -ne 0 ] || [ "$lint_ignored" -ne 0 ]; then
  # (the grep drops redocly's boxed notice that Node 20 support is ending)
  redocly lint "$spec" --config redocly.yaml --format=codeframe --max-problems=10000 2>&1 |
    grep -v '^ *[║╔╚]' >&2 || true
  fail "redocly $redocly_version lint: $lint_errors errors, $lint_warnings warnings, $lint_ignored ignored (want 0, 0, 0)"
fi
echo "spec-check: redocly $redocly_version lint (recommended): $lint_errors errors, $lint_warnings warnings"

# 2. Docs page.
run build-docs redocly build-docs "$spec" --config redocly.yaml --lint-config=error \
  --output "$tmp/index.html"
[ -s "$tmp/index.html" ] || fail "redocly build-docs wrote no page"
if ! cmp -s "$tmp/index.html" docs/index.html; then
  fail "docs/index.html is stale or missing: run 'make docs' and commit it"
fi
echo "spec-check: docs build ($(wc -c <"$tmp/index.html" | tr -d ' ') bytes), docs/index.html up to date"

# 3 and 4. Two generators. --default-non-nullable false: openapi-typescript
# otherwise makes every property with a `default` required, even in request
# bodies (replace_primary_payment_source, skip_retrieval).
rm -rf "$out"
run openapi-typescript openapi-typescript "$spec" --default-non-nullable false \
  --output "$out/openapi-typescript/schema.d.ts"
# The ./ matters: hey-api reads a bare "api/openapi.yaml" as the shorthand
# "organization/project" of its hosted registry and fails.
run hey-api openapi-ts --input "./$spec" --output "$out/hey-api" \
  --client @hey-api/client-fetch --no-log-file
run tsc tsc -p "$tools/tsconfig.json" --strict --noEmit
versions=$(cd "$tools/node_modules" && node -e '
  const v = (p) => require(`./${p}/package.json`).version;
  console.log(`openapi-typescript ${v("openapi-typescript")} and @hey-api/openapi-ts ${v("@hey-api/openapi-ts")} output pass tsc ${v("typescript")} --strict`);
')
echo "spec-check: $versions"

# 5. Run the encoder on the typed body.
run tsc-emit tsc --strict --target es2022 --module node16 --lib es2022,dom \
  --skipLibCheck --outDir "$tmp/js" "$tools/check/permanent-token.ts"
run form-check node -e 'require(process.argv[1]).main()' "$tmp/js/permanent-token.js"
cat "$tmp/form-check.log"

# 6. Chargebee's definitions snapshot.
run chargebee-extract node "$tools/chargebee/extract.js" "$tmp/chargebee-definitions.json"
if ! cmp -s "$tmp/chargebee-definitions.json" api/testdata/chargebee-definitions.json; then
  diff -u api/testdata/chargebee-definitions.json "$tmp/chargebee-definitions.json" 2>&1 | head -n 40 >&2 || true
  fail "api/testdata/chargebee-definitions.json is stale or missing: run 'make chargebee-defs' and commit it"
fi
echo "spec-check: api/testdata/chargebee-definitions.json up to date ($(node -p 'require("./api/testdata/chargebee-definitions.json").source.split(" (")[0]'))"

echo "spec-check: redocly $lint_errors errors, $lint_warnings warnings; docs ok; openapi-typescript+tsc ok; hey-api ok ($(($(date +%s) - start))s)"
