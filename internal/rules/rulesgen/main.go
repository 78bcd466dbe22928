// Command rulesgen writes internal/rules/zz_rules.gen.go from the OpenAPI
// spec: every operation's rules (required, lengths, ranges, enums,
// patterns, x-cbpay-sensitive, x-cbpay-conflicts-with) and the form plan of
// its request model, paired with its rules, as Go literals. The client then
// starts without parsing YAML or linking an OpenAPI library.
//
// It runs from api/spec.go's //go:generate lines, after oapi-codegen (the
// plans are read from the generated models), and scripts/check-generated.sh
// fails when its output and the committed file differ:
//
//	go run ../internal/rules/rulesgen -o ../internal/rules/zz_rules.gen.go openapi.yaml
//
// It imports neither internal/rules nor anything that does, so that a
// stale generated file, which may no longer compile, can always be
// regenerated.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("o", "", "output file (default: stdout)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: rulesgen [-o file] openapi.yaml")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out); err != nil {
		fmt.Fprintln(os.Stderr, "rulesgen:", err)
		os.Exit(1)
	}
}

func run(specPath, out string) error {
	data, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	ops, err := compile(data)
	if err != nil {
		return err
	}
	src, err := generate(ops)
	if err != nil {
		return err
	}
	if out == "" {
		_, err = os.Stdout.Write(src)
		return err
	}
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, src) {
		return nil // unchanged: keep the file's time, and go's build cache
	}
	return os.WriteFile(out, src, 0o644)
}
