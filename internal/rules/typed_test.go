package rules

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGeneratedCodeMatchesReflection holds the checkers and encoders
// generated for the request models to Checker.Check's and Plan.Append's
// walks by reflection: on random values of every model (fields set or
// not, strings too long, empty, not UTF-8 or needing escapes, numbers out
// of range, free-form objects that JSON cannot encode), the same problems
// in the same order, the same body and the same error.
func TestGeneratedCodeMatchesReflection(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 200
	}
	checkGeneratedMatchesReflection(t, rand.New(rand.NewPCG(1, 2)), n)
}

// FuzzGeneratedCodeMatchesReflection is the same from random seeds.
func FuzzGeneratedCodeMatchesReflection(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(42), uint64(0))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		checkGeneratedMatchesReflection(t, rand.New(rand.NewPCG(a, b)), 20)
	})
}

func checkGeneratedMatchesReflection(t *testing.T, rng *rand.Rand, n int) {
	s := Load()
	for id, op := range s.Operations {
		if op.checker == nil {
			continue // no body, nothing generated (TestGeneratedCheckersAreBind)
		}
		typ := op.checker.Plan.Type
		fast, err := Bind(op, typ)
		require.NoError(t, err, id)
		require.NotNil(t, fast.check, id)
		require.NotNil(t, fast.Plan.Encode, id)
		slowOp := *op
		slowOp.checker = nil
		slow, err := Bind(&slowOp, typ)
		require.NoError(t, err, id)
		require.Nil(t, slow.check, id)
		require.Nil(t, slow.Plan.Encode, id)
		for range n {
			v := reflect.New(typ)
			fill(rng, v.Elem(), 0)
			root, err := fast.Plan.Root(v.Interface())
			require.NoError(t, err)
			if !assert.Equal(t, slow.Check(root, nil), fast.Check(root, nil), "%s: %#v", id, v.Interface()) {
				return
			}
			want, wantErr := slow.Plan.Append(nil, root)
			got, gotErr := fast.Plan.Append(nil, root)
			if wantErr != nil || gotErr != nil {
				if !assert.Equal(t, errString(wantErr), errString(gotErr), "%s: %#v", id, v.Interface()) {
					return
				}
				continue
			}
			if !assert.Equal(t, string(want), string(got), "%s: %#v", id, v.Interface()) {
				return
			}
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// fill sets v, a value of a request model or of a field of one, at random.
func fill(rng *rand.Rand, v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if rng.IntN(4) == 0 {
			return // nil: not sent
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(rng, v.Elem(), depth)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(rng, v.Field(i), depth+1)
			}
		}
	case reflect.String:
		v.SetString(randomString(rng))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt([]int64{0, 1, 12, 13, -1, 2030, math.MaxInt32, rng.Int64N(200000) - 100000}[rng.IntN(8)])
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(rng.Uint64N(100000))
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 0)
	case reflect.Float32, reflect.Float64:
		v.SetFloat([]float64{0, 1.5, -2, math.NaN(), math.Inf(1)}[rng.IntN(5)])
	case reflect.Map:
		if rng.IntN(4) == 0 {
			return // nil: not sent
		}
		m := reflect.MakeMap(v.Type())
		for range rng.IntN(3) {
			m.SetMapIndex(reflect.ValueOf(randomString(rng)).Convert(v.Type().Key()), reflect.ValueOf(randomJSON(rng, 0)))
		}
		v.Set(m)
	case reflect.Interface:
		if x := randomJSON(rng, 0); x != nil {
			v.Set(reflect.ValueOf(x))
		}
	}
}

var pieces = []string{"", "a", "cust_1", "Núñez", "é", "\xff", "a&b=c+d", "[x] %20", "4111", "12345678", "US", " ", "\x00", "𝄞"}

func randomString(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(4) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	switch rng.IntN(10) {
	case 0:
		b.WriteString(strings.Repeat("x", 40+rng.IntN(80))) // past most limits
	case 1:
		// At and around the spec's limits, in bytes and in characters.
		n := []int{1, 2, 3, 4, 5, 6, 7, 20, 21, 40, 41, 50, 51, 70, 71, 100, 101, 150, 151, 200, 201, 250, 251}[rng.IntN(23)]
		b.Reset()
		b.WriteString(strings.Repeat([]string{"x", "é"}[rng.IntN(2)], n))
	}
	return b.String()
}

func randomJSON(rng *rand.Rand, depth int) any {
	switch k := rng.IntN(8); {
	case k == 0 || depth > 2:
		return randomString(rng)
	case k == 1:
		return float64(rng.IntN(100)) / 4
	case k == 2:
		return math.NaN() // JSON cannot encode it: both must refuse
	case k == 3:
		return nil
	case k == 4:
		return []any{randomJSON(rng, depth+1), true}
	default:
		m := map[string]any{}
		for range rng.IntN(3) {
			m[randomString(rng)] = randomJSON(rng, depth+1)
		}
		return m
	}
}
