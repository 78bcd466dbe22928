#!/usr/bin/env bash
# Checks api/openapi.yaml as a product of its own, with the pinned npm tools
# of scripts/spec-tools/ (installed there by `npm ci`, nothing global) and
# ogen (pinned in scripts/spec-tools/ogen/go.mod):
#
#   1. Redocly lint, `recommended` ruleset (redocly.yaml), of the spec and of
#      its flat form api/openapi-flat.yaml: fails on any error, warning or
#      ignored problem, not only on errors as redocly does.
#   2. docs/index.html is what scripts/docs.sh makes today, and it works
#      offline: headless Chromium with the network cut off shows every
#      operation and its request body or query (scripts/docs-browser-check.sh).
#   3. Clients generated fresh from the spec call every operation of the spec
#      (the operationIds read from it) against `cbpay serve` on a loopback
#      port and get 200s, with card[...], billing_address[...] and
#      additional_information at both levels, the list's deepObject filters
#      (customer_id[is], type[is]) and limit, and a 404 resource_not_found
#      after a delete; no hand-written body or query encoding:
#        a. openapi-typescript + openapi-fetch, from api/openapi-flat.yaml
#        b. @hey-api/openapi-ts, from api/openapi-flat.yaml
#        c. ogen (Go), from api/openapi.yaml (it applies `encoding`)
#      Their set-up lines are marked `// glue:`; this counts them, and fails
#      if a client file encodes a body or query itself.
#   4. Prism as a validating proxy (api/openapi-flat.yaml, --errors) in front
#      of the same cbpay serve: the valid requests of
#      spec-tools/prism/cases.yaml, one for every operation at least, pass
#      and get 200s (or the Chargebee error named) that Prism finds right,
#      the invalid ones are refused by Prism.
#   5. tsc --strict over the generated TypeScript and the committed checks
#      (spec-tools/check/: types of the canonical spec, @ts-expect-error
#      lines that must stay errors).
#   6. api/testdata/chargebee-definitions.json, the snapshot of Chargebee's
#      own definitions that api/chargebee_test.go holds the spec against, is
#      what scripts/spec-tools/chargebee/extract.js makes from the pinned
#      chargebee package today.
#
# Servers started here listen on 127.0.0.1 only and are stopped on exit.
# Generated code goes to scripts/spec-tools/out/ and ogen/out/ (gitignored,
# rewritten on every run) so that editors resolve the check files' imports.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shellcheck source=spec-tools/lib.sh
source scripts/spec-tools/lib.sh

start=$(date +%s)
spec_tools_install

spec=api/openapi.yaml
flat=api/openapi-flat.yaml
tools=scripts/spec-tools
out=$tools/out
tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT

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

# step NAME: prints how long the previous step took.
step_start=$(date +%s)
step() {
  local now
  now=$(date +%s)
  echo "spec-check: ($((now - step_start))s) $*"
  step_start=$now
}

# 1. Lint. `redocly lint` exits 0 on warnings, so read the totals from its
# JSON report; on any problem print them again in the readable format.
lint() {
  local file=$1 lint_rc=0 totals
  redocly lint "$file" --config redocly.yaml --lint-config=error \
    --format=json --max-problems=10000 >"$tmp/lint.json" 2>"$tmp/lint.err" || lint_rc=$?
  if ! totals=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const t = r.totals;
    console.log(`${t.errors} ${t.warnings} ${t.ignored} ${r.version}`);
  ' "$tmp/lint.json" 2>/dev/null); then
    cat "$tmp/lint.err" >&2
    fail "redocly lint $file did not produce a report (exit $lint_rc)"
  fi
  read -r lint_errors lint_warnings lint_ignored redocly_version <<<"$totals"
  if [ "$lint_rc" -ne 0 ] || [ "$lint_errors" -ne 0 ] || [ "$lint_warnings" -ne 0 ] || [ "$lint_ignored" -ne 0 ]; then
    # (the grep drops redocly's boxed notice that Node 20 support is ending)
    redocly lint "$file" --config redocly.yaml --format=codeframe --max-problems=10000 2>&1 |
      grep -v '^ *[║╔╚]' >&2 || true
    fail "redocly $redocly_version lint $file: $lint_errors errors, $lint_warnings warnings, $lint_ignored ignored (want 0, 0, 0)"
  fi
  step "redocly $redocly_version lint (recommended) $file: $lint_errors errors, $lint_warnings warnings"
}
lint "$spec"
lint "$flat"

# 2. Docs page: up to date, and working offline in a browser.
run build-docs bash scripts/docs.sh "$tmp/index.html"
if ! cmp -s "$tmp/index.html" docs/index.html; then
  fail "docs/index.html is stale or missing: run 'make docs' and commit it"
fi
step "docs/index.html up to date ($(wc -c <docs/index.html | tr -d ' ') bytes, Redoc inlined)"
bash scripts/docs-browser-check.sh docs/index.html
step "docs page checked in a browser"

# 3 and 5. Generate the clients. --default-non-nullable false: openapi-
# typescript otherwise makes every property with a `default` required, even
# in request bodies (replace_primary_payment_source, skip_retrieval). The
# ./ matters for hey-api: it reads a bare "api/openapi.yaml" as the
# shorthand "organization/project" of its hosted registry and fails.
rm -rf "$out" "$tools/ogen/out"
run openapi-typescript openapi-typescript "$spec" --default-non-nullable false \
  --output "$out/openapi-typescript/schema.d.ts"
run openapi-typescript-flat openapi-typescript "$flat" --default-non-nullable false \
  --output "$out/openapi-fetch/schema.d.ts"
run hey-api openapi-ts --input "./$flat" --output "$out/hey-api" \
  --client @hey-api/client-fetch --no-log-file
(cd "$tools/ogen" && run ogen go run github.com/ogen-go/ogen/cmd/ogen --config ogen.yml \
  --target out/client --package client --clean "$root/$spec")
run tsc tsc -p "$tools/tsconfig.json" --strict --noEmit
versions=$(cd "$tools/node_modules" && node -e '
  const v = (p) => require(`./${p}/package.json`).version;
  console.log(`openapi-typescript ${v("openapi-typescript")}, openapi-fetch ${v("openapi-fetch")}, @hey-api/openapi-ts ${v("@hey-api/openapi-ts")} generated; tsc ${v("typescript")} --strict passes`);
')
ogen_version=$(cd "$tools/ogen" && go list -m -f '{{.Version}}' github.com/ogen-go/ogen)
step "$versions; ogen $ogen_version generated"

# The client files must not encode a body or a query: that is the generated
# code's job.
# Glue (base URL, auth, content type) is marked and counted.
clients=("openapi-fetch:$tools/e2e/openapi-fetch.ts" "hey-api:$tools/e2e/hey-api.ts" "ogen:$tools/ogen/main.go")
glue_report=""
for c in "${clients[@]}"; do
  name=${c%%:*} file=${c#*:}
  if grep -nvE '^\s*//' "$file" |
    grep -E 'URLSearchParams|bodySerializer|querySerializer|JSON\.stringify|encodeURIComponent|url\.Values|QueryEscape|PathEscape' >&2; then
    fail "$file encodes by hand (above): the generated client must do it"
  fi
  n=$(grep -vE '^\s*//' "$file" | grep -c '// glue:' || true)
  [ "$n" -le 5 ] || fail "$file has $n glue lines, more than the 5 docs/OTHER_LANGUAGES.md allows for"
  glue_report+="$name $n, "
done

# A cbpay serve on a free loopback port, one seeded customer per client and
# one more, cust_decoy, whose card (stored below through cbpay's own Go
# client) the clients' listPaymentSources customer_id[is] filter must leave
# out.
run build-cbpay go build -o "$tmp/cbpay" ./cmd/cbpay
"$tmp/cbpay" serve --addr 127.0.0.1:0 --customer cust_openapi_fetch --customer cust_hey_api \
  --customer cust_ogen --customer cust_prism --customer cust_decoy >"$tmp/serve.log" 2>&1 &
pids+=($!)
base=""
for _ in $(seq 100); do
  base=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$tmp/serve.log" | head -1 || true)
  [ -n "$base" ] && break
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$tmp/serve.log" >&2; fail "cbpay serve did not start"; }
  sleep 0.1
done
[ -n "$base" ] || fail "cbpay serve did not print its address"
key=$(sed -nE 's/.*API key "([^"]+)".*/\1/p' "$tmp/serve.log" | head -1)
run seed-decoy "$tmp/cbpay" create-payment-source-using-token --base-url "$base" --api-key "$key" \
  --customer_id cust_decoy --token_id cb_decoy
step "cbpay serve on $base, cust_decoy's card stored"

# Every client must have each operation of the spec answered 200: the
# operationIds, read from the spec, not counted by hand.
operations=$(cd "$tools" && node -e '
  const spec = require("js-yaml").load(require("fs").readFileSync(process.argv[1], "utf8"));
  const ids = [];
  for (const item of Object.values(spec.paths)) for (const op of Object.values(item)) if (op && op.operationId) ids.push(op.operationId);
  console.log(ids.join(","));
' "$root/$spec")
n_ops=$(tr ',' '\n' <<<"$operations" | wc -l | tr -d ' ')

run tsc-emit tsc --strict --target es2022 --module node16 --lib es2022,dom,dom.iterable --skipLibCheck \
  --outDir "$out/js" "$tools/e2e/openapi-fetch.ts" "$tools/e2e/hey-api.ts"
for g in openapi-fetch hey-api; do
  CBPAY_BASE_URL=$base CBPAY_API_KEY=$key CBPAY_CUSTOMER=cust_${g//-/_} CBPAY_OPERATIONS=$operations \
    run "e2e-$g" node -e 'require(process.argv[1]).main().catch((e) => { console.error(e); process.exit(1); })' \
    "$root/$out/js/e2e/$g.js"
  tail -1 "$tmp/e2e-$g.log"
done
(cd "$tools/ogen" && CBPAY_BASE_URL=$base CBPAY_API_KEY=$key CBPAY_CUSTOMER=cust_ogen CBPAY_OPERATIONS=$operations \
  run e2e-ogen go run .)
tail -1 "$tmp/e2e-ogen.log"
step "three generated clients: $n_ops of $n_ops operations each; glue lines: ${glue_report%, }"

# 4. Prism as a validating proxy in front of the fake.
prism_port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
prism proxy "$flat" "$base" --host 127.0.0.1 --port "$prism_port" --errors >"$tmp/prism.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do
  grep -q 'Prism is listening' "$tmp/prism.log" && break
  kill -0 "${pids[-1]}" 2>/dev/null || { cat "$tmp/prism.log" >&2; fail "prism did not start"; }
  sleep 0.1
done
grep -q 'Prism is listening' "$tmp/prism.log" || { cat "$tmp/prism.log" >&2; fail "prism did not start in 60s"; }
run prism-cases node "$tools/prism/run.js" "http://127.0.0.1:$prism_port" "$key" cust_prism "$base"
prism_version=$(node -p "require('./$tools/node_modules/@stoplight/prism-cli/package.json').version")
step "Prism $prism_version proxy: $(sed 's/^prism: //' "$tmp/prism-cases.log" | tail -1)"

# 6. Chargebee's definitions snapshot.
run chargebee-extract node "$tools/chargebee/extract.js" "$tmp/chargebee-definitions.json"
if ! cmp -s "$tmp/chargebee-definitions.json" api/testdata/chargebee-definitions.json; then
  diff -u api/testdata/chargebee-definitions.json "$tmp/chargebee-definitions.json" 2>&1 | head -n 40 >&2 || true
  fail "api/testdata/chargebee-definitions.json is stale or missing: run 'make chargebee-defs' and commit it"
fi
step "api/testdata/chargebee-definitions.json up to date ($(node -p 'require("./api/testdata/chargebee-definitions.json").source.split(" (")[0]'))"

echo "spec-check: all passed ($(($(date +%s) - start))s)"
