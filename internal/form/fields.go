package form

import (
	"reflect"
	"strconv"
)

// Appenders of one field, for the encoders generated for the request
// models (internal/rules/zz_rules.gen.go): each writes the separator, the
// field's prefix (its escaped key and '=', from Field.Prefix) and the
// value, as Plan.Append writes a field of that kind.

// AppendString appends a string field.
func AppendString(dst []byte, prefix, s string) []byte {
	return appendEscaped(append(appendSep(dst), prefix...), s)
}

// AppendInt appends an integer field.
func AppendInt(dst []byte, prefix string, n int64) []byte {
	return strconv.AppendInt(append(appendSep(dst), prefix...), n, 10)
}

// AppendUint appends an unsigned integer field.
func AppendUint(dst []byte, prefix string, n uint64) []byte {
	return strconv.AppendUint(append(appendSep(dst), prefix...), n, 10)
}

// AppendBool appends a boolean field.
func AppendBool(dst []byte, prefix string, b bool) []byte {
	return strconv.AppendBool(append(appendSep(dst), prefix...), b)
}

// AppendJSON appends a free-form field (a map or interface value) as one
// compact JSON value. An error names the field by key, as Plan.Append's
// do.
func AppendJSON(dst []byte, key, prefix string, v any) ([]byte, error) {
	dst, err := appendFormJSON(append(appendSep(dst), prefix...), v)
	if err != nil {
		return dst, &FieldError{Key: key, Err: err}
	}
	return dst, nil
}

// AppendFunc is an encoder generated for one struct type, which Append
// calls instead of walking the plan: the same bytes from the same value,
// without reflection. root is the plan's Root of the value.
type AppendFunc func(dst []byte, root reflect.Value) ([]byte, error)
