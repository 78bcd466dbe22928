package form

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
)

// Encode returns the form body for v, a struct or a pointer to one.
func Encode(v any) ([]byte, error) {
	p, err := PlanFor(reflect.TypeOf(v))
	if err != nil {
		return nil, err
	}
	root, err := p.Root(v)
	if err != nil {
		return nil, err
	}
	return p.Append(nil, root)
}

// Append appends the form body of root (see Plan.Root) to dst. When dst has
// less room than most bodies of the type need, it is grown once first, so
// nil is a good dst.
func (p *Plan) Append(dst []byte, root reflect.Value) ([]byte, error) {
	if cap(dst)-len(dst) < p.SizeHint {
		dst = slices.Grow(dst, p.SizeHint)
	}
	if p.Encode != nil && root.CanAddr() {
		return p.Encode(dst, root)
	}
	c := NewCursor(root)
	for i := range p.Fields {
		f := &p.Fields[i]
		v, ok := c.Value(f)
		if !ok {
			continue
		}
		var err error
		if f.Kind == Slice {
			dst, err = appendSlice(dst, f.Segments, f, v)
		} else {
			dst = appendSep(dst)
			dst = append(dst, f.Prefix...)
			dst, err = AppendValue(dst, f.Kind, v)
		}
		if err != nil {
			return dst, &FieldError{Key: f.Key, Err: err}
		}
	}
	return dst, nil
}

// ErrNotFinite is the error of a NaN or infinite float field: no form value
// stands for it.
var ErrNotFinite = errors.New("not a finite number")

// FieldError is a value Append could not encode: a NaN or infinite float,
// or a free-form value encoding/json refuses (NaN, ±Inf, a channel, a
// function, a cycle, a failing MarshalJSON). Key is the wire key.
type FieldError struct {
	Key string
	Err error
}

func (e *FieldError) Error() string { return "form: " + e.Key + ": " + e.Err.Error() }

func (e *FieldError) Unwrap() error { return e.Err }

func appendSep(dst []byte) []byte {
	if len(dst) > 0 {
		dst = append(dst, '&')
	}
	return dst
}

// appendSlice writes a slice with the index last: base[sub][i] for struct
// elements, base[i] for scalar ones. Elements come field by field, each in
// index order.
func appendSlice(dst []byte, base []string, f *Field, v reflect.Value) ([]byte, error) {
	n := v.Len()
	if f.Elem == nil {
		for i := 0; i < n; i++ {
			ev := v.Index(i)
			for ev.Kind() == reflect.Pointer {
				if ev.IsNil() {
					break
				}
				ev = ev.Elem()
			}
			if ev.Kind() == reflect.Pointer {
				continue
			}
			dst = appendSep(dst)
			dst = appendEscaped(dst, JoinKey(append(append([]string(nil), base...), strconv.Itoa(i))))
			dst = append(dst, '=')
			var err error
			if dst, err = AppendValue(dst, f.ElemKind, ev); err != nil {
				return dst, err
			}
		}
		return dst, nil
	}
	for j := range f.Elem.Fields {
		sub := &f.Elem.Fields[j]
		segs := append(append([]string(nil), base...), sub.Segments...)
		for i := 0; i < n; i++ {
			ev := v.Index(i)
			if ev.Kind() == reflect.Pointer {
				if ev.IsNil() {
					continue
				}
				ev = ev.Elem()
			}
			sv, ok := sub.Value(ev)
			if !ok {
				continue
			}
			var err error
			if sub.Kind == Slice {
				dst, err = appendSlice(dst, append(segs, strconv.Itoa(i)), sub, sv)
			} else {
				dst = appendSep(dst)
				dst = appendEscaped(dst, JoinKey(append(segs, strconv.Itoa(i))))
				dst = append(dst, '=')
				dst, err = AppendValue(dst, sub.Kind, sv)
			}
			if err != nil {
				return dst, err
			}
		}
	}
	return dst, nil
}

// AppendValue appends one escaped scalar or JSON value.
func AppendValue(dst []byte, k Kind, v reflect.Value) ([]byte, error) {
	switch k {
	case String:
		return appendEscaped(dst, v.String()), nil
	case Int:
		return strconv.AppendInt(dst, v.Int(), 10), nil
	case Uint:
		return strconv.AppendUint(dst, v.Uint(), 10), nil
	case Bool:
		return strconv.AppendBool(dst, v.Bool()), nil
	case Float:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return dst, fmt.Errorf("%w: %v", ErrNotFinite, f)
		}
		return strconv.AppendFloat(dst, f, 'f', -1, 64), nil
	case JSON:
		// Compact JSON, without the HTML escaping of json.Marshal: the value
		// is percent-encoded anyway, and "&" should stay "&" once decoded.
		return appendFormJSON(dst, v.Interface())
	}
	return dst, fmt.Errorf("unsupported kind %d", k)
}

const upperhex = "0123456789ABCDEF"

// unreserved marks the bytes url.QueryEscape leaves as they are.
var unreserved = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~'
	}
	return t
}()

// appendEscaped escapes s exactly as url.QueryEscape does, copying runs of
// unreserved bytes at once.
func appendEscaped[S string | []byte](dst []byte, s S) []byte {
	for {
		i := 0
		for i < len(s) && unreserved[s[i]] {
			i++
		}
		dst = append(dst, s[:i]...)
		if i == len(s) {
			return dst
		}
		dst = appendEscapedByte(dst, s[i])
		s = s[i+1:]
	}
}

func appendEscapedByte(dst []byte, c byte) []byte {
	switch {
	case unreserved[c]:
		return append(dst, c)
	case c == ' ':
		return append(dst, '+')
	}
	return append(dst, '%', upperhex[c>>4], upperhex[c&15])
}
