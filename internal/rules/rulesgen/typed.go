package main

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/rules/rulespec"
)

// typed writes the operation's generated checker and encoder: the plan's
// fields in order, each reached by its Go field names with nil checks
// instead of by reflection, checked by the same Rule methods and written
// by the same form appenders as Checker.Check and Plan.Append use. A model
// with a kind it does not write (floats, slices: see typedOK) is checked
// and encoded by reflection.
func (w *writer) typed(o *operation, v string, body []*rulespec.Rule) {
	conflicted := map[int]bool{}
	for _, c := range o.Conflicts {
		conflicted[c.a], conflicted[c.b] = true, true
	}
	ruleOf := func(i int) string { return fmt.Sprintf("%sBody[%d]", v, slices.Index(body, o.Leaves[i])) }
	model := "gen." + o.Model.Name()

	// The checker.
	w.printf("// check%s is Checker.Check for %s, without reflection.\n", exported(v), model)
	w.printf("func check%s(c *Checker, root reflect.Value, dst []Problem) []Problem {\n", exported(v))
	w.printf("\tp := (*%s)(root.Addr().UnsafePointer())\n", model)
	if len(o.Conflicts) > 0 {
		w.printf("\tvar set [%d]bool\n", len(o.Plan.Fields))
	}
	w.walk(o, func(i int, x string, f form.Field) string {
		var b strings.Builder
		r := o.Leaves[i]
		switch f.Kind {
		case form.String:
			// The limits are constants here, so that a valid value is
			// checked without reading its rule (see rules.lengthOK).
			lo := r.MinLength
			if r.Required {
				lo = max(lo, 1)
			}
			if r.Pattern == "" && lo <= 1 {
				fmt.Fprintf(&b, "if s := string(%s); !lengthOK(s, %d, %d) {\ndst = %s.checkString(dst, s)\n}\n", x, lo, r.MaxLength, ruleOf(i))
			} else {
				fmt.Fprintf(&b, "dst = %s.checkString(dst, string(%s))\n", ruleOf(i), x)
			}
		case form.Int, form.Uint:
			var out []string
			if r.Min != nil {
				out = append(out, fmt.Sprintf("float64(n) < %s", floatLit(*r.Min)))
			}
			if r.Max != nil {
				out = append(out, fmt.Sprintf("float64(n) > %s", floatLit(*r.Max)))
			}
			if len(out) > 0 { // no range: CheckInt accepts any value
				fmt.Fprintf(&b, "if n := int64(%s); %s {\ndst = %s.checkInt(dst, n)\n}\n", x, strings.Join(out, " || "), ruleOf(i))
			}
		}
		if conflicted[i] {
			fmt.Fprintf(&b, "set[%d] = true\n", i)
		}
		return b.String()
	}, func(i int) string {
		if o.Leaves[i].Required {
			return fmt.Sprintf("dst = c.missing(dst, root, &%s)\n", ruleOf(i))
		}
		return ""
	})
	if len(o.Conflicts) > 0 {
		w.printf("\treturn c.conflicts(dst, set[:])\n}\n\n")
	} else {
		w.printf("\treturn dst\n}\n\n")
	}

	// The encoder.
	w.printf("// append%s is Plan.Append for %s, without reflection.\n", exported(v), model)
	w.printf("func append%s(dst []byte, root reflect.Value) ([]byte, error) {\n", exported(v))
	w.printf("\tp := (*%s)(root.Addr().UnsafePointer())\n", model)
	if slices.ContainsFunc(o.Plan.Fields, func(f form.Field) bool { return f.Kind == form.JSON }) {
		w.printf("\tvar err error\n")
	}
	w.walk(o, func(i int, x string, f form.Field) string {
		switch f.Kind {
		case form.String:
			return fmt.Sprintf("dst = form.AppendString(dst, %q, string(%s))\n", f.Prefix, x)
		case form.Int:
			return fmt.Sprintf("dst = form.AppendInt(dst, %q, int64(%s))\n", f.Prefix, x)
		case form.Uint:
			return fmt.Sprintf("dst = form.AppendUint(dst, %q, uint64(%s))\n", f.Prefix, x)
		case form.Bool:
			return fmt.Sprintf("dst = form.AppendBool(dst, %q, bool(%s))\n", f.Prefix, x)
		case form.JSON:
			return fmt.Sprintf("if dst, err = form.AppendJSON(dst, %q, %q, %s); err != nil {\nreturn dst, err\n}\n", f.Key, f.Prefix, x)
		}
		return ""
	}, func(int) string { return "" })
	w.printf("\treturn dst, nil\n}\n\n")
}

// walk writes the code that reaches each field of the plan in order: the
// code set(i, x, f) returns, with x the expression of the field's value,
// where it is set, and the code unset(i) returns where it is not.
// Consecutive fields under the same parent struct share its nil checks;
// a check with no code on either side is left out.
func (w *writer) walk(o *operation, set func(i int, x string, f form.Field) string, unset func(i int) string) {
	fields := o.Plan.Fields
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].Shared {
			j++
		}
		// fields[i:j] share their parent: reach it, through its pointers.
		parent := fields[i].Steps[:len(fields[i].Steps)-1]
		t := o.Model
		x := "p"
		var opens []string
		for _, s := range parent {
			sf := t.Field(s.Index)
			t = sf.Type
			if s.Ptr {
				n := len(opens) + 1
				opens = append(opens, fmt.Sprintf("if p%d := %s.%s; p%d != nil {\n", n, x, sf.Name, n))
				x = fmt.Sprintf("p%d", n)
				t = t.Elem()
			} else {
				x += "." + sf.Name
			}
		}
		var inner, missing strings.Builder
		for k := i; k < j; k++ {
			inner.WriteString(w.leaf(fields[k], k, t, x, set, unset))
			missing.WriteString(unset(k))
		}
		code := inner.String()
		for d := len(opens) - 1; d >= 0; d-- {
			switch {
			case code == "" && missing.Len() == 0:
			case missing.Len() == 0:
				code = opens[d] + code + "}\n"
			default:
				code = opens[d] + code + "} else {\n" + missing.String() + "}\n"
			}
		}
		w.printf("%s", code)
		i = j
	}
}

// leaf returns the code of one field of the struct t reached by x.
func (w *writer) leaf(f form.Field, i int, t reflect.Type, x string, set func(int, string, form.Field) string, unset func(int) string) string {
	s := f.Steps[len(f.Steps)-1]
	sf := t.Field(s.Index)
	ft := sf.Type
	ref := x + "." + sf.Name
	nilable := func(t reflect.Type) bool {
		switch t.Kind() {
		case reflect.Map, reflect.Interface, reflect.Slice:
			return true
		}
		return false
	}
	var cond, val string
	switch {
	case s.Ptr && nilable(ft.Elem()):
		cond, val = fmt.Sprintf("v := %s; v != nil && *v != nil", ref), "*v"
	case s.Ptr:
		cond, val = fmt.Sprintf("v := %s; v != nil", ref), "*v"
	case nilable(ft):
		cond, val = fmt.Sprintf("v := %s; v != nil", ref), "v"
	default:
		return set(i, ref, f)
	}
	yes, no := set(i, val, f), unset(i)
	switch {
	case yes == "" && no == "":
		return ""
	case no == "":
		return "if " + cond + " {\n" + yes + "}\n"
	case yes == "":
		return "if " + strings.Replace(cond, "; v != nil", "; v == nil", 1) + " {\n" + no + "}\n"
	}
	return "if " + cond + " {\n" + yes + "} else {\n" + no + "}\n"
}

// floatLit writes f as a Go float constant.
func floatLit(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return s
}

// exported returns s with its first letter in upper case.
func exported(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
