// Package rulespec reads the spec's rules for every wire field of every
// operation (required, lengths, ranges, enums, patterns,
// x-cbpay-sensitive, x-cbpay-conflicts-with). The rules generator and the
// tests that hold two specs to the same rules read it; the client does
// not: it uses the rules generated from it, and links no OpenAPI library.
package rulespec

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/oas"
	"github.com/getkin/kin-openapi/openapi3"
)

// Rule is what the spec says of one wire field, as internal/rules.Rule
// holds it.
type Rule struct {
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

// Operation is one operation's rules.
type Operation struct {
	ID, Method, Path string
	Deprecated       bool
	Body             map[string]*Rule // by wire key, objects included
	Params           map[string]*Rule // by name
	Headers          map[string]*Rule // by lower-case name
	// BodySchema names the component schema of the form body ("" without
	// a body, or for an inline one); for a GET's query parameters, their
	// generated model (oas.QueryModel).
	BodySchema string
}

// Keys returns the operation's body wire keys of leaves, sorted.
func (o *Operation) Keys() []string {
	var ks []string
	for k, r := range o.Body {
		if r.Type != "struct" {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return ks
}

// Compile reads and validates the spec and returns its operations, sorted
// by operationId.
func Compile(data []byte) ([]*Operation, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate spec: %w", err)
	}
	var ops []*Operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o, err := compileOperation(path, method, item, op)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", op.OperationID, err)
			}
			ops = append(ops, o)
		}
	}
	slices.SortFunc(ops, func(a, b *Operation) int { return strings.Compare(a.ID, b.ID) })
	for i := 1; i < len(ops); i++ {
		if ops[i].ID == ops[i-1].ID {
			return nil, fmt.Errorf("operationId %s appears twice", ops[i].ID)
		}
	}
	return ops, nil
}

func compileOperation(path, method string, item *openapi3.PathItem, op *openapi3.Operation) (*Operation, error) {
	if op.OperationID == "" {
		return nil, fmt.Errorf("%s %s has no operationId", method, path)
	}
	o := &Operation{ID: op.OperationID, Method: method, Path: path, Deprecated: op.Deprecated,
		Body: map[string]*Rule{}, Params: map[string]*Rule{}, Headers: map[string]*Rule{}}
	params := append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)
	for _, pr := range params {
		p := pr.Value
		if p.In == openapi3.ParameterInQuery {
			continue // below, with the body's rules
		}
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
		// A GET's query parameters are its form: bracket keys, encoded and
		// checked as a body is (see oas.QuerySchema).
		if qs := oas.QuerySchema(item.Parameters, op.Parameters); qs != nil {
			if err := addObject(o.Body, nil, &openapi3.SchemaRef{Value: qs}); err != nil {
				return nil, err
			}
			o.BodySchema = oas.QueryModel(o.ID)
		}
		return o, nil
	}
	mt := op.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
	if mt == nil || mt.Schema == nil {
		return nil, fmt.Errorf("no form body")
	}
	if err := addObject(o.Body, nil, mt.Schema); err != nil {
		return nil, err
	}
	o.BodySchema, _ = strings.CutPrefix(mt.Schema.Ref, "#/components/schemas/")
	return o, nil
}

func addObject(dst map[string]*Rule, parent []string, ref *openapi3.SchemaRef) error {
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
			r := &Rule{Key: key, Type: "struct", Required: required[name], MaxLength: -1}
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
		r.Sensitive = oas.IsSensitive(p)
		if list, ok := p.Extensions["x-cbpay-conflicts-with"].([]any); ok {
			for _, c := range list {
				r.Conflicts = append(r.Conflicts, form.JoinKey(append(append([]string(nil), parent...), fmt.Sprint(c))))
			}
		}
		dst[key] = r
	}
	return nil
}

func leafRule(key string, ref *openapi3.SchemaRef, required bool) (*Rule, error) {
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("%s: no schema", key)
	}
	sc := ref.Value
	r := &Rule{Key: key, Description: sc.Description, Required: required, MinLength: int(sc.MinLength), MaxLength: -1, Min: sc.Min, Max: sc.Max}
	if sc.MaxLength != nil {
		r.MaxLength = int(*sc.MaxLength)
	}
	switch {
	case oas.IsJSONObject(sc):
		r.Type = "object"
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
