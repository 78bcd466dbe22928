package rules

import (
	"fmt"
	"reflect"

	"github.com/cbpay/cbpay/internal/form"
)

// Checker validates one request struct type against one operation's body
// rules. It pairs each leaf of the struct's form plan with its rule once, so
// a check is a walk over the plan with no lookups.
type Checker struct {
	Plan     *form.Plan
	op       *Operation
	rules    []*Rule         // parallel to Plan.Fields
	conflict []conflictCheck // conflicting pairs, by plan index
	// check, when set, is the generated checker of the model, which Check
	// calls instead of walking the plan.
	check CheckFunc
}

type conflictCheck struct {
	a, b int
	rule *Rule
}

// Bind pairs the plan of type t with the operation's rules. Every leaf of the
// struct must be declared by the spec and every declared leaf must be in the
// struct: the generated models and the spec must agree.
//
// For an operation from Load and its generated request model (or a type
// defined from it), the checker comes from zz_rules.gen.go, paired when
// the spec was generated; any other type is paired here by reflection.
func Bind(op *Operation, t reflect.Type) (*Checker, error) {
	if g := op.checker; g != nil {
		if plan, err := g.Plan.As(t); err == nil {
			c := *g
			c.Plan, c.op = plan, op
			return &c, nil
		}
	}
	plan, err := form.PlanFor(t)
	if err != nil {
		return nil, err
	}
	c := &Checker{Plan: plan, op: op, rules: make([]*Rule, len(plan.Fields))}
	byKey := make(map[string]int, len(plan.Fields)) // plan index by wire key
	for i, f := range plan.Fields {
		r, ok := op.Body[f.Key]
		if !ok {
			return nil, fmt.Errorf("rules: %s: %s has no rule in the spec", op.ID, f.Key)
		}
		c.rules[i] = r
		byKey[f.Key] = i
	}
	for _, k := range op.Keys() {
		if _, ok := byKey[k]; !ok {
			return nil, fmt.Errorf("rules: %s: %s is in the spec but not in %s", op.ID, k, t)
		}
	}
	for i, r := range c.rules {
		for _, other := range r.Conflicts {
			j, ok := byKey[other]
			if !ok {
				return nil, fmt.Errorf("rules: %s: %s conflicts with unknown %s", op.ID, r.Key, other)
			}
			c.conflict = append(c.conflict, conflictCheck{a: i, b: j, rule: r})
		}
	}
	return c, nil
}

// Sensitive reports whether the plan's i-th field holds a secret.
func (c *Checker) Sensitive(i int) bool { return c.rules[i].Sensitive }

// Check validates root (see form.Plan.Root) and appends the problems found.
func (c *Checker) Check(root reflect.Value, dst []Problem) []Problem {
	if c.check != nil && root.CanAddr() {
		return c.check(c, root, dst)
	}
	// Which fields are set, for the conflict checks: on the stack for any
	// request of this API.
	var buf [64]bool
	set := buf[:0]
	if n := len(c.Plan.Fields); n > len(buf) {
		set = make([]bool, 0, n)
	}
	cur := form.NewCursor(root)
	for i := range c.Plan.Fields {
		f := &c.Plan.Fields[i]
		r := c.rules[i]
		v, ok := cur.Value(f)
		set = append(set, ok)
		if !ok {
			if r.Required && c.parentSent(root, r) {
				dst = append(dst, Problem{Field: f.Key, Rule: "is required"})
			}
			continue
		}
		var msg string
		switch f.Kind {
		case form.String:
			msg = r.CheckString(v.String())
		case form.Int:
			msg = r.CheckInt(v.Int())
		case form.Uint:
			msg = r.CheckInt(int64(v.Uint()))
		}
		if msg != "" {
			dst = append(dst, Problem{Field: f.Key, Rule: msg})
		}
	}
	return c.conflicts(dst, set)
}

// parentSent reports whether the object holding r is on the wire: true at the
// top level, or when any leaf under the parent is set or the parent is a
// value (not a pointer) in the struct.
func (c *Checker) parentSent(root reflect.Value, r *Rule) bool {
	if r.Parent == "" {
		return true
	}
	p := c.op.Body[r.Parent]
	if p.Required && c.parentSent(root, p) {
		return true
	}
	prefix := r.Parent + "["
	for i := range c.Plan.Fields {
		f := &c.Plan.Fields[i]
		if len(f.Key) > len(prefix) && f.Key[:len(prefix)] == prefix {
			if _, ok := f.Value(root); ok {
				return true
			}
		}
	}
	return false
}
