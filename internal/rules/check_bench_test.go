package rules_test

import (
	"reflect"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/fixture"
	"github.com/cbpay/cbpay/internal/rules"
)

// The benchmarks below time validation only; what it accepts and refuses is
// checked by the tests.

// benchLargest is the shared largest valid request.
func benchLargest() *gen.CreatePaymentSourceUsingPermanentTokenRequest { return fixture.Largest() }

func BenchmarkCheck(b *testing.B) {
	spec, err := rules.Load()
	if err != nil {
		b.Fatal(err)
	}
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
