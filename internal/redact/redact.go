// Package redact prints models that hold tokens or card data with those
// fields replaced by [REDACTED] and free-form objects by {…}, for fmt and
// log/slog alike. The generated request models (gen.CardParams,
// gen.PaymentMethodParams, ...) print through Format and LogValue, which
// internal/facadegen writes from the spec's x-cbpay-sensitive marks
// (gen/redact.gen.go); the facade's parameters print through Render and
// Group with their wire keys.
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

// Field is one field as it is printed: its name and either its value or
// what stands for it (Mask, FreeForm).
type Field struct {
	Name  string
	Value any // shown when Mask is empty
	Mask  string
}

// Render prints fields as {name:value ...}.
func Render(fields []Field) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(f.Name)
		sb.WriteByte(':')
		if f.Mask != "" {
			sb.WriteString(f.Mask)
		} else {
			fmt.Fprint(&sb, f.Value)
		}
	}
	sb.WriteByte('}')
	return sb.String()
}

// Group is Render for log/slog: a group of the fields, so that the JSON
// handler does not serialise the value they come from by its tags.
func Group(fields []Field) slog.Value {
	if len(fields) == 0 {
		return slog.StringValue("{}") // an empty group would drop the attribute
	}
	attrs := make([]slog.Attr, len(fields))
	for i, f := range fields {
		if f.Mask != "" {
			attrs[i] = slog.String(f.Name, f.Mask)
		} else {
			attrs[i] = slog.Any(f.Name, f.Value)
		}
	}
	return slog.GroupValue(attrs...)
}

// Format prints v, a model, as {name:value ...} by its JSON names, with the
// fields named in sensitive as [REDACTED] and free-form objects as {…}, for
// every verb: %#v and %+v must not reach the fields either.
func Format(f fmt.State, v any, sensitive ...string) {
	_, _ = f.Write([]byte(Render(fields(v, sensitive, false))))
}

// LogValue is Format for log/slog.
func LogValue(v any, sensitive ...string) slog.Value {
	return Group(fields(v, sensitive, true))
}

// fields lists the set fields of the struct v by their JSON names, with
// those named in sensitive masked. A field of an embedded struct is listed
// as its own, as encoding/json does. A nested struct that prints itself
// (it has Format, LogValue or String, as a model holding secrets does) is
// left to print itself; any other is listed the same way, so that it does
// not print as a struct of pointers.
func fields(v any, sensitive []string, forLog bool) []Field {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return nil
	}
	var out []Field
	for i := 0; i < rv.NumField(); i++ {
		sf := rv.Type().Field(i)
		fv := rv.Field(i)
		switch fv.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
			if fv.IsNil() {
				continue
			}
		}
		if sf.Anonymous && reflect.Indirect(fv).Kind() == reflect.Struct {
			out = append(out, fields(fv.Interface(), sensitive, forLog)...)
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		switch inner := reflect.Indirect(fv); {
		case slices.Contains(sensitive, name) && inner.IsZero():
			out = append(out, Field{Name: name, Value: inner.Interface()}) // nothing to hide
		case slices.Contains(sensitive, name):
			out = append(out, Field{Name: name, Mask: Mask})
		case (inner.Kind() == reflect.Slice || inner.Kind() == reflect.Array) && inner.Type().Elem().Kind() == reflect.Struct:
			// A list of models (a page's entries, a source's mandates):
			// each prints as a nested model does.
			out = append(out, Field{Name: name, Value: list(inner, forLog)})
		case inner.Kind() == reflect.Map || inner.Kind() == reflect.Interface ||
			inner.Kind() == reflect.Slice || inner.Kind() == reflect.Array:
			out = append(out, Field{Name: name, Mask: FreeForm})
		case inner.Kind() == reflect.Struct && !printsItself(inner.Type()):
			nested := fields(inner.Interface(), nil, forLog)
			if forLog {
				out = append(out, Field{Name: name, Value: Group(nested)})
			} else {
				out = append(out, Field{Name: name, Value: Render(nested)})
			}
		case forLog && inner.Kind() == reflect.Struct && !reflect.PointerTo(inner.Type()).Implements(reflect.TypeFor[slog.LogValuer]()):
			// slog's JSON handler would marshal it by its tags.
			out = append(out, Field{Name: name, Value: fmt.Sprint(addressable(inner))})
		default:
			out = append(out, Field{Name: name, Value: addressable(inner)})
		}
	}
	return out
}

// list prints a slice or array of structs as [{...} {...}], each element
// as a field of its type would print.
func list(v reflect.Value, forLog bool) any {
	items := make([]string, v.Len())
	for i := range items {
		e := v.Index(i)
		if printsItself(e.Type()) {
			items[i] = fmt.Sprint(addressable(e))
		} else {
			items[i] = Render(fields(e.Interface(), nil, forLog))
		}
	}
	return "[" + strings.Join(items, " ") + "]"
}

// printsItself reports whether t, or a pointer to it, has a method that
// fmt or log/slog would print it with.
func printsItself(t reflect.Type) bool {
	for _, t := range []reflect.Type{t, reflect.PointerTo(t)} {
		if t.Implements(reflect.TypeFor[fmt.Formatter]()) || t.Implements(reflect.TypeFor[slog.LogValuer]()) ||
			t.Implements(reflect.TypeFor[fmt.Stringer]()) {
			return true
		}
	}
	return false
}

// addressable returns a pointer to a copy of a struct v, whose method set
// holds the pointer methods too (a Format on *T), and any other v as it is.
func addressable(v reflect.Value) any {
	if v.Kind() != reflect.Struct {
		return v.Interface()
	}
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	return p.Interface()
}
