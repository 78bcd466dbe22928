package form

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cbpay/cbpay/gen"
)

// wantFormJSON is what appendFormJSON must write: encoding/json's output,
// percent-encoded.
func wantFormJSON(t testing.TB, v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return url.QueryEscape(string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))), nil
}

type withMarshaler map[string]any

func (withMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"custom"`), nil }

type named map[string]any

func TestFormJSONMatchesEncodingJSON(t *testing.T) {
	deep := map[string]any{}
	for m, i := deep, 0; i < 100; i++ {
		n := map[string]any{}
		m["d"] = n
		m = n
	}
	values := []any{
		nil, true, false, "", "plain", 0, -1, int64(math.MinInt64), int32(7), uint(8), uint64(math.MaxUint64),
		0.0, math.Copysign(0, -1), 1.5, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, 5e-324, math.MaxFloat64, float32(1.1),
		"<a href=\"x\">&amp;</a>", "tab\tnl\ncr\rbs\\q\"ff\fbk\b\x00\x01\x1f\x7f", "ü€𝄞", "\u2028\u2029",
		"\xff\xfe", "a\xc3", "\xed\xa0\x80", "sp ace+plus%pct~_.-", "=&?#[]{}:,;/",
		map[string]any{}, map[string]any{"b": 1, "a": []any{nil, "x", 2.5, map[string]any{"z": true}}, "": ""},
		map[string]any{"<k>": "v", "k\x00": 1, "é": "ü"},
		map[string]string{"b": "2", "a": "1"}, map[string]string(nil), map[string]any(nil),
		[]any{}, []any(nil), []string{"a", "b c"}, []string(nil),
		gen.AdditionalInformation{"payer": map[string]any{"document": "123", "country_of_residence": "BR"}},
		named{"x": []any{1, "2"}},
		withMarshaler{"x": 1},
		map[string]any{"m": withMarshaler{}}, map[string]any{"s": struct{ A int }{1}},
		map[string]any{"n": json.Number("12.50")}, map[string]any{"t": map[string]int{"a": 1}},
		deep,
	}
	for _, v := range values {
		want, err := wantFormJSON(t, v)
		require.NoError(t, err, "%#v", v)
		got, err := appendFormJSON([]byte("prefix="), v)
		require.NoError(t, err, "%#v", v)
		assert.Equal(t, "prefix="+want, string(got), "%#v", v)
	}
	for _, v := range []any{math.NaN(), math.Inf(1), map[string]any{"x": math.Inf(-1)}, []any{func() {}}} {
		_, wantErr := wantFormJSON(t, v)
		got, err := appendFormJSON([]byte("p="), v)
		assert.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(err), "%#v", v)
		assert.Equal(t, "p=", string(got))
	}
	cycle := map[string]any{}
	cycle["c"] = cycle
	_, err := appendFormJSON(nil, cycle)
	assert.ErrorContains(t, err, "cycle")
}

func TestFormJSONDoesNotAllocate(t *testing.T) {
	v := gen.AdditionalInformation{"payer": map[string]any{"document": "12345678909", "country_of_residence": "BR"},
		"fraud": map[string]any{"device_session_id": "dsid 7f3a9c2e", "score": 0.25, "n": 3, "ok": true, "list": []any{"a", nil}}}
	buf := make([]byte, 0, 1024)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := appendFormJSON(buf[:0], v); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// FuzzFormJSONString holds the one-pass string writer to encoding/json
// followed by url.QueryEscape, for any bytes.
func FuzzFormJSONString(f *testing.F) {
	for _, s := range []string{"", "a b", "\"\\/", "\x00\x1f\x7f", "ü€𝄞\u2028", "\xff", "<>&", "%+="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := map[string]any{s: []any{s}}
		want, err := wantFormJSON(t, v)
		require.NoError(t, err)
		got, err := appendFormJSON(nil, v)
		require.NoError(t, err)
		assert.Equal(t, want, string(got))
	})
}
