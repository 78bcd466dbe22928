package main

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/getkin/kin-openapi/openapi3"
)

// models are the generated request models by the name of the component
// schema they come from. The spec names each operation's body schema; Go
// cannot find a type by name, so a new request schema is added here.
var models = map[string]reflect.Type{
	"CreatePaymentIntentRequest":                    reflect.TypeFor[gen.CreatePaymentIntentRequest](),
	"CreatePaymentSourceUsingTokenRequest":          reflect.TypeFor[gen.CreatePaymentSourceUsingTokenRequest](),
	"CreatePaymentSourceUsingPermanentTokenRequest": reflect.TypeFor[gen.CreatePaymentSourceUsingPermanentTokenRequest](),
	"UpdateCustomerPaymentMethodRequest":            reflect.TypeFor[gen.UpdateCustomerPaymentMethodRequest](),
	"CreateCustomerCardUsingPaymentIntentRequest":   reflect.TypeFor[gen.CreateCustomerCardUsingPaymentIntentRequest](),
}

// rule is what the spec says of one wire field, as internal/rules.Rule
// holds it.
type rule struct {
	Key         string
	Description string
	Type        string // string, integer, boolean, object or struct
	Required    bool
	Parent      string
	MinLength   int
	MaxLength   int // -1: no limit
	Min, Max    *float64
	Enum        []string
	Pattern     string
	Sensitive   bool
	Conflicts   []string
}

// operation is one operation's rules, and its request model's plan paired
// with them.
type operation struct {
	ID, Method, Path string
	Deprecated       bool
	Body             map[string]*rule // by wire key, objects included
	Params           map[string]*rule // by name
	Headers          map[string]*rule // by lower-case name
	Model            reflect.Type     // nil without a body
	Plan             *form.Plan
	Leaves           []*rule       // parallel to Plan.Fields
	Conflicts        []conflictIdx // plan indexes
}

type conflictIdx struct {
	a, b int
	rule *rule
}

// compile reads the spec and pairs every operation with its model, sorted
// by operationId.
func compile(data []byte) ([]*operation, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate spec: %w", err)
	}
	var ops []*operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o, err := compileOperation(path, method, item, op)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			if o.Model != nil {
				if err := bind(o); err != nil {
					return nil, fmt.Errorf("%s: %w", o.ID, err)
				}
			}
			ops = append(ops, o)
		}
	}
	slices.SortFunc(ops, func(a, b *operation) int { return strings.Compare(a.ID, b.ID) })
	for i := 1; i < len(ops); i++ {
		if ops[i].ID == ops[i-1].ID {
			return nil, fmt.Errorf("operationId %s appears twice", ops[i].ID)
		}
	}
	return ops, nil
}

func compileOperation(path, method string, item *openapi3.PathItem, op *openapi3.Operation) (*operation, error) {
	if op.OperationID == "" {
		return nil, fmt.Errorf("%s %s has no operationId", method, path)
	}
	o := &operation{ID: op.OperationID, Method: method, Path: path, Deprecated: op.Deprecated,
		Body: map[string]*rule{}, Params: map[string]*rule{}, Headers: map[string]*rule{}}
	params := append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)
	for _, pr := range params {
		p := pr.Value
		r, err := leafRule(p.Name, p.Schema, p.Required)
		if err != nil {
			return nil, err
		}
		if p.Description != "" {
			r.Description = p.Description
		}
		switch p.In {
		case openapi3.ParameterInPath:
			o.Params[p.Name] = r
		case openapi3.ParameterInHeader:
			r.Key = strings.ToLower(p.Name)
			o.Headers[r.Key] = r
		}
	}
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return o, nil
	}
	mt := op.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
	if mt == nil || mt.Schema == nil {
		return nil, fmt.Errorf("no form body")
	}
	if err := addObject(o.Body, nil, mt.Schema); err != nil {
		return nil, err
	}
	name, ok := strings.CutPrefix(mt.Schema.Ref, "#/components/schemas/")
	if !ok {
		return nil, fmt.Errorf("the form body is not a $ref to a component schema, so it has no generated model")
	}
	if o.Model = models[name]; o.Model == nil {
		return nil, fmt.Errorf("no model for schema %s: add gen.%s to rulesgen's models", name, name)
	}
	return o, nil
}

func addObject(dst map[string]*rule, parent []string, ref *openapi3.SchemaRef) error {
	sc := ref.Value
	required := map[string]bool{}
	for _, n := range sc.Required {
		required[n] = true
	}
	for name, pref := range sc.Properties {
		segs := append(append([]string(nil), parent...), name)
		key := form.JoinKey(segs)
		p := pref.Value
		if p.Type.Is(openapi3.TypeObject) && len(p.Properties) > 0 {
			r := &rule{Key: key, Type: "struct", Required: required[name], MaxLength: -1}
			if len(parent) > 0 {
				r.Parent = form.JoinKey(parent)
			}
			dst[key] = r
			if err := addObject(dst, segs, pref); err != nil {
				return err
			}
			continue
		}
		r, err := leafRule(key, pref, required[name])
		if err != nil {
			return err
		}
		if len(parent) > 0 {
			r.Parent = form.JoinKey(parent)
		}
		if v, ok := p.Extensions["x-cbpay-sensitive"].(bool); ok {
			r.Sensitive = v
		}
		if list, ok := p.Extensions["x-cbpay-conflicts-with"].([]any); ok {
			for _, c := range list {
				r.Conflicts = append(r.Conflicts, form.JoinKey(append(append([]string(nil), parent...), fmt.Sprint(c))))
			}
		}
		dst[key] = r
	}
	return nil
}

func leafRule(key string, ref *openapi3.SchemaRef, required bool) (*rule, error) {
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("%s: no schema", key)
	}
	sc := ref.Value
	r := &rule{Key: key, Description: sc.Description, Required: required, MinLength: int(sc.MinLength), MaxLength: -1, Min: sc.Min, Max: sc.Max}
	if sc.MaxLength != nil {
		r.MaxLength = int(*sc.MaxLength)
	}
	switch {
	case sc.Type.Is(openapi3.TypeString):
		r.Type = "string"
	case sc.Type.Is(openapi3.TypeInteger):
		r.Type = "integer"
	case sc.Type.Is(openapi3.TypeBoolean):
		r.Type = "boolean"
	case sc.Type.Is(openapi3.TypeObject):
		r.Type = "object"
	default:
		return nil, fmt.Errorf("%s: unsupported schema type %v", key, sc.Type)
	}
	for _, e := range sc.Enum {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("%s: enum value %v is not a string", key, e)
		}
		r.Enum = append(r.Enum, s)
	}
	if sc.Pattern != "" {
		if _, err := regexp.Compile(sc.Pattern); err != nil {
			return nil, fmt.Errorf("%s: pattern: %w", key, err)
		}
		r.Pattern = sc.Pattern
	}
	return r, nil
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
	o.Leaves = make([]*rule, len(plan.Fields))
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
