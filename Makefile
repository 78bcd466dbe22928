# cbpay developer commands. `make demo` and `make test` are the two the README
# promises work on a fresh machine with Go, Node/npm, gcc and git.
GO ?= go
FUZZTIME ?=

.PHONY: demo test unit generate check-generated fmt-check vet lint spec-check docs docs-check bench fuzz chargebee-defs

## demo: run the five operations end to end against the in-process fake Chargebee
demo:
	$(GO) run ./cmd/cbpay demo

## test: everything CI checks
test: fmt-check vet lint check-generated unit fuzz spec-check

unit:
	$(GO) test -race -count=1 ./...

## generate: regenerate gen/, internal/rules/zz_rules.gen.go and api/openapi-flat.yaml after editing api/openapi.yaml
generate:
	$(GO) generate ./...

check-generated:
	bash scripts/check-generated.sh

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

## lint: staticcheck, pinned in go.mod as a tool
lint:
	$(GO) tool staticcheck ./...

## spec-check: lint the spec and prove it with other-language generators against cbpay serve, Prism and a browser
spec-check:
	bash scripts/spec-check.sh

## chargebee-defs: snapshot Chargebee's definitions from the pinned npm package into api/testdata/chargebee-definitions.json
chargebee-defs:
	bash -c 'set -euo pipefail; source scripts/spec-tools/lib.sh; spec_tools_install; \
	  node scripts/spec-tools/chargebee/extract.js api/testdata/chargebee-definitions.json'

## docs: render api/openapi.yaml into docs/index.html (Redoc inlined: works offline)
docs:
	bash scripts/docs.sh

## docs-check: open docs/index.html in headless Chromium, offline (installs Debian's chromium when missing)
docs-check:
	bash scripts/docs-browser-check.sh

## fuzz: a short run of every fuzz target
fuzz:
	bash scripts/fuzz.sh $(FUZZTIME)

## bench: benchmarks with same-run baselines and their ratios
bench:
	bash scripts/bench.sh
