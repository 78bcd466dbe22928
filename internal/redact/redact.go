// Package redact prints the generated request models that hold tokens or
// card data (gen.CardParams, gen.PaymentMethodParams, ...) with those
// fields replaced by [REDACTED], for fmt and log/slog alike. The fields
// come from the spec's x-cbpay-sensitive marks: internal/facadegen writes
// each model's Format and LogValue (gen/redact.gen.go), which call here.
package redact

import (
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
)

// Mask is what stands for a secret wherever one would be printed.
const Mask = "[REDACTED]"

// FreeForm is what stands for a free-form object (additional_information):
// a gateway's documents and fraud ids may be in it.
const FreeForm = "{…}"

// field is one set field of a model as it is printed: its JSON name and
// either its value or what stands for it.
type field struct {
	name string
	val  reflect.Value // valid when the value is shown
	mask string
}

// fields lists the set fields of the struct v by their JSON names, with
// those named in sensitive masked.
func fields(v any, sensitive []string) []field {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return nil
	}
	var out []field
	for i := 0; i < rv.NumField(); i++ {
		sf := rv.Type().Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fv := rv.Field(i)
		if (fv.Kind() == reflect.Pointer || fv.Kind() == reflect.Interface || fv.Kind() == reflect.Map) && fv.IsNil() {
			continue
		}
		switch inner := reflect.Indirect(fv); {
		case slices.Contains(sensitive, name):
			out = append(out, field{name: name, mask: Mask})
		case inner.Kind() == reflect.Map || inner.Kind() == reflect.Interface || inner.Kind() == reflect.Slice:
			out = append(out, field{name: name, mask: FreeForm})
		default:
			out = append(out, field{name: name, val: inner})
		}
	}
	return out
}

// Format prints v, a generated model, as {name:value ...} with the fields
// named in sensitive as [REDACTED] and free-form objects as {…}, for every
// verb: %#v and %+v must not reach the fields either.
func Format(f fmt.State, v any, sensitive ...string) {
	_, _ = f.Write([]byte(String(v, sensitive...)))
}

// String is what Format prints.
func String(v any, sensitive ...string) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, fd := range fields(v, sensitive) {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(fd.name)
		sb.WriteByte(':')
		switch {
		case fd.mask != "":
			sb.WriteString(fd.mask)
		case fd.val.Kind() == reflect.Struct && !implements[fmt.Formatter](fd.val):
			// A nested model with nothing to hide prints the same way,
			// not as a struct of pointers.
			sb.WriteString(String(fd.val.Interface()))
		default:
			fmt.Fprint(&sb, fd.val.Interface())
		}
	}
	sb.WriteByte('}')
	return sb.String()
}

// LogValue is Format for log/slog: a group of the set fields with the same
// redaction, so that the JSON handler does not serialise the model by its
// tags.
func LogValue(v any, sensitive ...string) slog.Value {
	fs := fields(v, sensitive)
	if len(fs) == 0 {
		return slog.StringValue("{}") // an empty group would drop the attribute
	}
	attrs := make([]slog.Attr, len(fs))
	for i, fd := range fs {
		switch {
		case fd.mask != "":
			attrs[i] = slog.String(fd.name, fd.mask)
		case fd.val.Kind() == reflect.Struct && !implements[slog.LogValuer](fd.val):
			attrs[i] = slog.Attr{Key: fd.name, Value: LogValue(fd.val.Interface())}
		default:
			attrs[i] = slog.Any(fd.name, fd.val.Interface())
		}
	}
	return slog.GroupValue(attrs...)
}

// implements reports whether v's type has I's methods.
func implements[I any](v reflect.Value) bool {
	return v.Type().Implements(reflect.TypeFor[I]())
}
