package main

import (
	"fmt"
	"reflect"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/rules/rulespec"
)

// operation is one operation's rules, and its request model's plan paired
// with them.
type operation struct {
	*rulespec.Operation
	Model     reflect.Type // nil without a body
	Plan      *form.Plan
	Leaves    []*rulespec.Rule // parallel to Plan.Fields
	Conflicts []conflictIdx    // plan indexes
}

type conflictIdx struct {
	a, b int
	rule *rulespec.Rule
}

// compile reads the spec and pairs every operation with its model, sorted
// by operationId.
func compile(data []byte) ([]*operation, error) {
	specOps, err := rulespec.Compile(data)
	if err != nil {
		return nil, err
	}
	ops := make([]*operation, len(specOps))
	for i, so := range specOps {
		o := &operation{Operation: so}
		if len(so.Body) > 0 || so.BodySchema != "" {
			if so.BodySchema == "" {
				return nil, fmt.Errorf("%s: the form body is not a $ref to a component schema, so it has no generated model", so.ID)
			}
			if o.Model = models[so.BodySchema]; o.Model == nil {
				return nil, fmt.Errorf("%s: no model for schema %s: add gen.%s to rulesgen's models", so.ID, so.BodySchema, so.BodySchema)
			}
			if err := bind(o); err != nil {
				return nil, fmt.Errorf("%s: %w", o.ID, err)
			}
		}
		ops[i] = o
	}
	return ops, nil
}

// bind pairs the plan of the operation's model with its rules, as
// rules.Bind does: every leaf of the struct must be declared by the spec
// and every declared leaf must be in the struct.
func bind(o *operation) error {
	plan, err := form.PlanFor(o.Model)
	if err != nil {
		return err
	}
	o.Plan = plan
	o.Leaves = make([]*rulespec.Rule, len(plan.Fields))
	byKey := map[string]int{}
	for i, f := range plan.Fields {
		r, ok := o.Body[f.Key]
		if !ok {
			return fmt.Errorf("%s has no rule in the spec", f.Key)
		}
		if f.Kind == form.Slice && f.Elem != nil {
			return fmt.Errorf("%s: slices of objects are not written by rulesgen yet", f.Key)
		}
		o.Leaves[i] = r
		byKey[f.Key] = i
	}
	for k, r := range o.Body {
		if _, ok := byKey[k]; !ok && r.Type != "struct" {
			return fmt.Errorf("%s is in the spec but not in %s", k, o.Model)
		}
	}
	for i, r := range o.Leaves {
		for _, other := range r.Conflicts {
			j, ok := byKey[other]
			if !ok {
				return fmt.Errorf("%s conflicts with unknown %s", r.Key, other)
			}
			o.Conflicts = append(o.Conflicts, conflictIdx{a: i, b: j, rule: r})
		}
	}
	return nil
}
