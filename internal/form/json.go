package form

import (
	"bytes"
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// appendFormJSON appends a free-form value (a map or interface field) as
// one form value: its compact JSON, as a json.Encoder with
// SetEscapeHTML(false) writes it (without the final newline),
// percent-encoded as appendEscaped encodes.
//
// The encoder allocates for every map entry it visits (reflect copies of
// keys and values, a slice to sort the keys) and for its result, and the
// result would then be escaped in a second pass. The values of free-form
// fields are almost always what a caller writes as a literal or gets from
// json.Unmarshal: maps, slices, strings, numbers, booleans and nil. Those
// are written here, escaped as they are written, without allocating;
// anything else (a struct, a type with its own MarshalJSON, json.Number, a
// NaN, a cycle) sends the whole value to the encoder, so that the output
// and the errors stay encoding/json's. TestFormJSONMatchesEncodingJSON and
// FuzzFormJSONString hold the two paths to the same bytes.
func appendFormJSON(dst []byte, v any) ([]byte, error) {
	if m, ok := asPlainMap(v); ok {
		v = m
	}
	start := len(dst)
	if out, ok := appendPlainJSON(dst, v, 0); ok {
		return out, nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst[:start], err
	}
	return appendEscaped(dst[:start], bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// maxPlainDepth bounds the nesting appendPlainJSON follows before it hands
// the value to encoding/json, which detects cycles.
const maxPlainDepth = 64

// JSON punctuation, percent-encoded.
const (
	escObjectOpen  = "%7B"
	escObjectClose = "%7D"
	escArrayOpen   = "%5B"
	escArrayClose  = "%5D"
	escColon       = "%3A"
	escComma       = "%2C"
	escQuote       = "%22"
	escBackslash   = "%5C"
)

// appendPlainJSON writes v, escaped, when it is made only of plain values,
// and reports false (with dst in any state) otherwise.
func appendPlainJSON(dst []byte, v any, depth int) ([]byte, bool) {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...), true
	case string:
		return appendFormJSONString(dst, v), true
	case bool:
		return strconv.AppendBool(dst, v), true
	case float64:
		var buf [32]byte
		b, ok := appendJSONFloat(buf[:0], v)
		return appendEscaped(dst, b), ok // "1e+21": the + needs escaping
	case int:
		return strconv.AppendInt(dst, int64(v), 10), true
	case int64:
		return strconv.AppendInt(dst, v, 10), true
	case int32:
		return strconv.AppendInt(dst, int64(v), 10), true
	case uint:
		return strconv.AppendUint(dst, uint64(v), 10), true
	case uint64:
		return strconv.AppendUint(dst, v, 10), true
	case map[string]any:
		if v == nil {
			return append(dst, "null"...), true
		}
		if depth >= maxPlainDepth {
			return dst, false
		}
		var buf [16]member
		members := buf[:0]
		for k, e := range v {
			members = append(members, member{k, e})
		}
		slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.key, b.key) })
		dst = append(dst, escObjectOpen...)
		for i, m := range members {
			if i > 0 {
				dst = append(dst, escComma...)
			}
			dst = appendFormJSONString(dst, m.key)
			dst = append(dst, escColon...)
			var ok bool
			if dst, ok = appendPlainJSON(dst, m.value, depth+1); !ok {
				return dst, false
			}
		}
		return append(dst, escObjectClose...), true
	case map[string]string:
		if v == nil {
			return append(dst, "null"...), true
		}
		var buf [16]string
		keys := buf[:0]
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		dst = append(dst, escObjectOpen...)
		for i, k := range keys {
			if i > 0 {
				dst = append(dst, escComma...)
			}
			dst = appendFormJSONString(dst, k)
			dst = append(dst, escColon...)
			dst = appendFormJSONString(dst, v[k])
		}
		return append(dst, escObjectClose...), true
	case []any:
		if v == nil {
			return append(dst, "null"...), true
		}
		if depth >= maxPlainDepth {
			return dst, false
		}
		dst = append(dst, escArrayOpen...)
		for i, e := range v {
			if i > 0 {
				dst = append(dst, escComma...)
			}
			var ok bool
			if dst, ok = appendPlainJSON(dst, e, depth+1); !ok {
				return dst, false
			}
		}
		return append(dst, escArrayClose...), true
	case []string:
		if v == nil {
			return append(dst, "null"...), true
		}
		dst = append(dst, escArrayOpen...)
		for i, s := range v {
			if i > 0 {
				dst = append(dst, escComma...)
			}
			dst = appendFormJSONString(dst, s)
		}
		return append(dst, escArrayClose...), true
	}
	return dst, false
}

// member is one entry of a JSON object, to sort by key.
type member struct {
	key   string
	value any
}

var (
	plainMapType = reflect.TypeFor[map[string]any]()
	plainMaps    sync.Map // reflect.Type -> bool, see isPlainMap
)

// isPlainMap reports whether t is a map[string]any, named or not, that
// encoding/json encodes as a plain map: it has no method of its own that
// encoding/json would call.
func isPlainMap(t reflect.Type) bool {
	return t.Kind() == reflect.Map &&
		t.Key() == plainMapType.Key() && t.Elem() == plainMapType.Elem() &&
		!t.Implements(reflect.TypeFor[json.Marshaler]()) &&
		!t.Implements(reflect.TypeFor[encoding.TextMarshaler]())
}

// asPlainMap returns v as a map[string]any when it is a plain map of a
// named type. The generated AdditionalInformation and PaymentMethodOptions
// are aliases of map[string]any (x-go-type in the spec) and take the first
// case; named map types go through reflect, which costs about 100ns.
func asPlainMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case nil:
		return nil, false
	case map[string]any:
		return m, true
	}
	rv := reflect.ValueOf(v)
	t := rv.Type()
	plain, ok := plainMaps.Load(t)
	if !ok {
		plain = isPlainMap(t)
		plainMaps.Store(t, plain)
	}
	if !plain.(bool) {
		return nil, false
	}
	return rv.Convert(plainMapType).Interface().(map[string]any), true
}

// appendJSONFloat writes f as encoding/json does (ES6 number formatting),
// and reports false for NaN and infinities, which encoding/json refuses.
func appendJSONFloat(dst []byte, f float64) ([]byte, bool) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return dst, false
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 to e-9, as encoding/json does.
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst, true
}

const lowerhex = "0123456789abcdef"

// appendFormJSONString writes s as a JSON string the way encoding/json
// quotes it without HTML escaping (quotes, backslashes and control
// characters escaped, U+2028 and U+2029 too, invalid UTF-8 as U+FFFD),
// then percent-encoded, in one pass. Unreserved bytes need neither.
func appendFormJSONString(dst []byte, s string) []byte {
	dst = append(dst, escQuote...)
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if unreserved[b] {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		size := 1
		if b < utf8.RuneSelf {
			switch b {
			case '"':
				dst = append(dst, escBackslash+escQuote...)
			case '\\':
				dst = append(dst, escBackslash+escBackslash...)
			case '\b':
				dst = append(dst, escBackslash+"b"...)
			case '\f':
				dst = append(dst, escBackslash+"f"...)
			case '\n':
				dst = append(dst, escBackslash+"n"...)
			case '\r':
				dst = append(dst, escBackslash+"r"...)
			case '\t':
				dst = append(dst, escBackslash+"t"...)
			default:
				if b < 0x20 {
					dst = append(dst, escBackslash+"u00"...)
					dst = append(dst, lowerhex[b>>4], lowerhex[b&0xF])
				} else {
					dst = appendEscapedByte(dst, b)
				}
			}
		} else {
			var c rune
			c, size = utf8.DecodeRuneInString(s[i:])
			switch {
			case c == utf8.RuneError && size == 1:
				dst = append(dst, escBackslash+"ufffd"...)
			case c == '\u2028' || c == '\u2029':
				dst = append(dst, escBackslash+"u202"...)
				dst = append(dst, lowerhex[c&0xF])
			default:
				for j := i; j < i+size; j++ {
					dst = append(dst, '%', upperhex[s[j]>>4], upperhex[s[j]&15])
				}
			}
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, escQuote...)
}
