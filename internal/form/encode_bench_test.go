package form_test

import (
	"reflect"
	"testing"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/fixture"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/oapi-codegen/runtime"
)

// The benchmarks below time encoding only; what the bodies must be is
// checked by the tests in form_test.go. Names use key=value parts so that
// benchstat can pivot on them: benchstat -col /impl bench.out.

// The shared fixtures: the largest valid request and a minimal one.
func benchLargest() *gen.CreatePaymentSourceUsingPermanentTokenRequest { return fixture.Largest() }
func benchMinimal() *gen.CreatePaymentSourceUsingTokenRequest          { return fixture.Minimal() }

func BenchmarkEncode(b *testing.B) {
	largest, minimal := benchLargest(), benchMinimal()
	b.Run("req=largest/impl=form", func(b *testing.B) { benchEncode(b, largest) })
	b.Run("req=minimal/impl=form", func(b *testing.B) { benchEncode(b, minimal) })
	// The generated client's encoder, as a baseline. Only on the minimal
	// request: on the largest it writes additional_information as
	// map[...] (fmt's rendering of a map), so it would not be the same body.
	b.Run("req=minimal/impl=marshalform", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			vals, err := runtime.MarshalForm(*minimal, nil)
			if err != nil {
				b.Fatal(err)
			}
			_ = vals.Encode()
		}
	})
}

func benchEncode(b *testing.B, v any) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := form.Encode(v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppend is the facade's path: a plan looked up once, the body
// appended to a buffer the caller supplies.
func BenchmarkAppend(b *testing.B) {
	v := benchLargest()
	p, err := form.PlanFor(reflect.TypeOf(v))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 2048)
	b.Run("req=largest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			root, err := p.Root(v)
			if err != nil {
				b.Fatal(err)
			}
			if buf, err = p.Append(buf[:0], root); err != nil {
				b.Fatal(err)
			}
		}
	})
}
