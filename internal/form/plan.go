package form

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Kind is how a leaf value goes on the wire.
type Kind uint8

// The kinds of leaves.
const (
	String Kind = iota + 1
	Int
	Uint
	Float
	Bool
	JSON  // a map or interface value, sent as one compact JSON value
	Slice // a slice, sent with the index last
)

// valueSizeHint is room for a typical escaped value of each kind: ids and
// names for strings, a small object for free-form JSON. A slice's size is
// unknown; the buffer grows for it.
var valueSizeHint = [...]int{String: 24, Int: 8, Uint: 8, Float: 12, Bool: 5, JSON: 128, Slice: 0}

// Field is one leaf of a request struct: a wire key and how to reach its value.
type Field struct {
	// Key is the wire key as it appears in the decoded body: card[last4].
	Key string
	// Segments are the key's parts: ["card", "last4"].
	Segments []string
	// Kind is how the value is written.
	Kind Kind
	// Elem describes the elements of a Slice field: a plan for struct
	// elements, or nil with ElemKind set for scalar elements.
	Elem     *Plan
	ElemKind Kind

	// Steps are the struct field indexes from the root to the leaf.
	Steps []Step
	// Shared is true when the previous field of the plan has the same
	// parent struct (Steps but the last): a Cursor reaches it once.
	Shared bool
	// Prefix is the escaped key followed by '='.
	Prefix string
}

// Step is one struct field on the way to a leaf.
type Step struct {
	Index int
	Ptr   bool // the field at Index is a pointer to follow
}

// Plan lists the leaves of a struct type in wire-key order.
//
// Its fields are exported so that a plan can be written out as a Go
// literal: internal/rules holds the plans of the request types, generated
// from PlanFor's result at go generate time, so that a program does not
// build them by reflection when it starts.
type Plan struct {
	Fields []Field
	// Type is the struct type the plan walks (see Root).
	Type reflect.Type
	// SizeHint is a body size that fits most values of the type, so that
	// Append grows its buffer once.
	SizeHint int
	// Encode, when set, is the type's generated encoder, which Append
	// calls instead of walking Fields by reflection. PlanFor never sets
	// it.
	Encode AppendFunc
}

var plans sync.Map // reflect.Type -> *Plan; immutable once stored

// PlanFor returns the plan of a struct type (or pointer to one). Plans are
// computed once per type and shared.
func PlanFor(t reflect.Type) (*Plan, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if p, ok := plans.Load(t); ok {
		return p.(*Plan), nil
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("form: %s is not a struct", t)
	}
	p := &Plan{Type: t}
	if err := p.add(t, nil, nil, map[reflect.Type]bool{}); err != nil {
		return nil, err
	}
	sort.Slice(p.Fields, func(i, j int) bool { return p.Fields[i].Key < p.Fields[j].Key })
	for i := 1; i < len(p.Fields); i++ {
		if p.Fields[i].Key == p.Fields[i-1].Key {
			return nil, fmt.Errorf("form: %s: key %s appears twice", t, p.Fields[i].Key)
		}
	}
	for i := range p.Fields {
		f := &p.Fields[i]
		p.SizeHint += len(f.Prefix) + 1 + valueSizeHint[f.Kind]
		f.Shared = i > 0 && slices.Equal(f.parentSteps(), p.Fields[i-1].parentSteps())
	}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*Plan), nil
}

func (p *Plan) add(t reflect.Type, segs []string, steps []Step, seen map[reflect.Type]bool) error {
	if seen[t] {
		return fmt.Errorf("form: %s refers to itself", t)
	}
	seen[t] = true
	defer delete(seen, t)
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, skip := wireName(sf)
		if skip {
			continue
		}
		ft := sf.Type
		st := Step{Index: i}
		if ft.Kind() == reflect.Pointer {
			st.Ptr = true
			ft = ft.Elem()
		}
		fsteps := append(append([]Step(nil), steps...), st)
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			if err := p.add(ft, segs, fsteps, seen); err != nil {
				return err
			}
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fsegs := append(append([]string(nil), segs...), name)
		if ft.Kind() == reflect.Struct {
			if err := p.add(ft, fsegs, fsteps, seen); err != nil {
				return err
			}
			continue
		}
		f := Field{Key: JoinKey(fsegs), Segments: fsegs, Steps: fsteps}
		f.Prefix = string(append(appendEscaped(nil, f.Key), '='))
		k, err := leafKind(ft)
		if err != nil {
			return fmt.Errorf("form: %s: %w", f.Key, err)
		}
		f.Kind = k
		if k == Slice {
			et := ft.Elem()
			for et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				ep, err := PlanFor(et)
				if err != nil {
					return err
				}
				f.Elem = ep
			} else if f.ElemKind, err = leafKind(et); err != nil || f.ElemKind == Slice {
				return fmt.Errorf("form: %s: unsupported slice element %s", f.Key, et)
			}
		}
		p.Fields = append(p.Fields, f)
	}
	return nil
}

func wireName(sf reflect.StructField) (name string, skip bool) {
	if !sf.IsExported() {
		return "", true
	}
	tag := sf.Tag.Get("json")
	if tag == "-" {
		return "", true
	}
	name, _, _ = strings.Cut(tag, ",")
	return name, false
}

func leafKind(t reflect.Type) (Kind, error) {
	switch t.Kind() {
	case reflect.String:
		return String, nil
	case reflect.Bool:
		return Bool, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Int, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Uint, nil
	case reflect.Float32, reflect.Float64:
		return Float, nil
	case reflect.Map, reflect.Interface:
		return JSON, nil
	case reflect.Slice:
		return Slice, nil
	}
	return 0, fmt.Errorf("unsupported type %s", t)
}

// JoinKey renders segments as a wire key: a, b, c -> a[b][c]. It is the
// inverse of SplitKey.
func JoinKey(segs []string) string {
	var b strings.Builder
	b.WriteString(segs[0])
	for _, s := range segs[1:] {
		b.WriteByte('[')
		b.WriteString(s)
		b.WriteByte(']')
	}
	return b.String()
}

// Value returns the leaf's value in the struct v (a struct or pointer to
// one, of the plan's type) and whether it is set: false when a pointer on the
// way, or a nil map, interface or slice at the end, leaves it out.
func (f *Field) Value(v reflect.Value) (reflect.Value, bool) {
	v, ok := walk(v, f.parentSteps())
	if !ok {
		return reflect.Value{}, false
	}
	return f.leaf(v)
}

func (f *Field) parentSteps() []Step { return f.Steps[:len(f.Steps)-1] }

// walk follows steps from v; false when a nil pointer is on the way.
func walk(v reflect.Value, steps []Step) (reflect.Value, bool) {
	for _, s := range steps {
		v = v.Field(s.Index)
		if s.Ptr {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
	}
	return v, true
}

// leaf is Value from the field's parent struct.
func (f *Field) leaf(parent reflect.Value) (reflect.Value, bool) {
	v, ok := walk(parent, f.Steps[len(f.Steps)-1:])
	if !ok {
		return reflect.Value{}, false
	}
	switch v.Kind() {
	case reflect.Map, reflect.Interface, reflect.Slice:
		if v.IsNil() {
			return reflect.Value{}, false
		}
	}
	return v, true
}

// A Cursor reads the values of a plan's fields from one root, reaching the
// parent struct that consecutive fields share (card[...],
// billing_address[...]) once instead of once per field.
type Cursor struct {
	root   reflect.Value
	parent reflect.Value
	ok     bool
}

// NewCursor returns a cursor over root (see Plan.Root).
func NewCursor(root reflect.Value) Cursor { return Cursor{root: root} }

// Value is f.Value(root). The plan's fields must be passed in order, each
// once, as a loop over Plan.Fields does.
func (c *Cursor) Value(f *Field) (reflect.Value, bool) {
	if !f.Shared {
		c.parent, c.ok = walk(c.root, f.parentSteps())
	}
	if !c.ok {
		return reflect.Value{}, false
	}
	return f.leaf(c.parent)
}

// Root turns v (a value of the plan's struct type, or a non-nil pointer to
// one) into the reflect.Value that Field.Value walks from.
func (p *Plan) Root(v any) (reflect.Value, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return reflect.Value{}, fmt.Errorf("form: nil %s", rv.Type())
		}
		rv = rv.Elem()
	}
	if rv.Type() != p.Type {
		return reflect.Value{}, fmt.Errorf("form: plan for %s used with %s", p.Type, rv.Type())
	}
	return rv, nil
}

// As returns the plan for t (or the type t points to), a struct type with
// the same fields as the plan's (a named type defined from it, as the
// facade's parameter types are): the same fields, checked against t by
// Root.
func (p *Plan) As(t reflect.Type) (*Plan, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == p.Type {
		return p, nil
	}
	// Conversion ignores struct tags, which hold the wire names.
	same := t.Kind() == reflect.Struct && t.ConvertibleTo(p.Type)
	for i := 0; same && i < t.NumField(); i++ {
		same = t.Field(i).Tag == p.Type.Field(i).Tag
	}
	if !same {
		return nil, fmt.Errorf("form: %s does not have the fields of %s", t, p.Type)
	}
	q := *p
	q.Type = t
	return &q, nil
}
