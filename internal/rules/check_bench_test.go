package rules_test

import (
	"reflect"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/fixture"
	"github.com/cbpay/cbpay/internal/rules"
)

// The benchmarks below time validation and encoding as the client does
// them, with the checker and encoder generated for the model; what they
// accept, refuse and write is checked by the tests.

// benchLargest is the shared largest valid request.
func benchLargest() *gen.CreatePaymentSourceUsingPermanentTokenRequest { return fixture.Largest() }

// BenchmarkCheck is Checker.Check of the largest valid request.
func BenchmarkCheck(b *testing.B) {
	spec := rules.Load()
	v := benchLargest()
	c, err := rules.Bind(spec.Operations["createPaymentSourceUsingPermanentToken"], reflect.TypeOf(v))
	if err != nil {
		b.Fatal(err)
	}
	root, err := c.Plan.Root(v)
	if err != nil {
		b.Fatal(err)
	}
	if p := c.Check(root, nil); len(p) > 0 {
		b.Fatalf("the benchmark's request is not valid: %v", p)
	}
	b.Run("req=largest", func(b *testing.B) {
		b.ReportAllocs()
		var problems []rules.Problem
		for b.Loop() {
			problems = c.Check(root, problems[:0])
		}
	})
}

// BenchmarkEncode is the encoder the client uses: the one generated for
// the model (see form.Plan.Encode), which Append calls, with the one
// allocation of the body. internal/form's BenchmarkEncode times the walk
// by reflection that form.Encode does for any other type.
func BenchmarkEncode(b *testing.B) {
	spec := rules.Load()
	for _, req := range []struct {
		name, op string
		v        any
	}{
		{"largest", "createPaymentSourceUsingPermanentToken", benchLargest()},
		{"minimal", "createPaymentSourceUsingToken", fixture.Minimal()},
	} {
		c, err := rules.Bind(spec.Operations[req.op], reflect.TypeOf(req.v))
		if err != nil {
			b.Fatal(err)
		}
		root, err := c.Plan.Root(req.v)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("req="+req.name+"/impl=generated", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Plan.Append(nil, root); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
