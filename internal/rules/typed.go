package rules

import (
	"reflect"
	"unicode/utf8"
)

// CheckFunc is a checker generated for one request model
// (zz_rules.gen.go), which Check calls instead of walking the plan by
// reflection: the same problems, in the same order, from the same value.
// root is the plan's Root of the value.
type CheckFunc func(c *Checker, root reflect.Value, dst []Problem) []Problem

// The helpers below are what a generated checker calls for one field, so
// that every rule is applied by the same code as Check's.

// checkString appends r's problem with a string value, if any.
func (r *Rule) checkString(dst []Problem, s string) []Problem {
	if msg := r.CheckString(s); msg != "" {
		dst = append(dst, Problem{Field: r.Key, Rule: msg})
	}
	return dst
}

// checkInt appends r's problem with an integer value, if any.
func (r *Rule) checkInt(dst []Problem, n int64) []Problem {
	if msg := r.CheckInt(n); msg != "" {
		dst = append(dst, Problem{Field: r.Key, Rule: msg})
	}
	return dst
}

// missing appends the problem of r's field not being set: "is required"
// when the rule requires it and its object is sent.
func (c *Checker) missing(dst []Problem, root reflect.Value, r *Rule) []Problem {
	if r.Required && c.parentSent(root, r) {
		dst = append(dst, Problem{Field: r.Key, Rule: "is required"})
	}
	return dst
}

// conflicts appends the problems of the fields set together that must not
// be; set is indexed like the plan's fields.
func (c *Checker) conflicts(dst []Problem, set []bool) []Problem {
	for _, cc := range c.conflict {
		if set[cc.a] && set[cc.b] {
			dst = append(dst, Problem{Field: cc.rule.Key, Rule: "cannot be combined with " + c.Plan.Fields[cc.b].Key})
		}
	}
	return dst
}

// lengthOK is the generated checkers' fast path for a string field whose
// rule has no pattern and allows lo to hi characters (hi < 0: no limit),
// lo at most 1 and at least 1 when the field is required: a valid UTF-8
// value of lo to hi bytes has lo to hi characters, so CheckString accepts
// it. The checkers call CheckString, which words the problem, only for a
// value this refuses; keep the two in step.
func lengthOK(s string, lo, hi int) bool {
	return len(s) >= lo && (hi < 0 || len(s) <= hi) && utf8.ValidString(s)
}
