// Package rules turns the embedded OpenAPI spec into per-operation checks on
// wire fields (required, lengths, enums, ranges, patterns, conflicts) and
// knows which fields hold secrets. The facade validates with it before any
// network I/O, so limits live only in api/openapi.yaml.
package rules

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/cbpay/cbpay/api"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/getkin/kin-openapi/openapi3"
)

// Rule is what the spec says of one wire field: a body key such as
// card[last4], a path parameter or a header.
type Rule struct {
	Key         string
	Description string
	Type        string // string, integer, boolean, object (free-form JSON) or struct (nested fields)
	Required    bool   // required within its parent object
	Parent      string // wire key of the enclosing object, "" at the top
	MinLength   int
	MaxLength   int // -1: no limit
	Min, Max    *float64
	Enum        []string // the values the spec lists; informative, not enforced (see CheckString)
	Pattern     *regexp.Regexp
	Sensitive   bool
	Conflicts   []string       // wire keys that must not be sent with this one
	run         *classRun      // Pattern as a table, when its shape allows
	runOf       *regexp.Regexp // the Pattern run was made from
}

// Operation holds the rules of one operation, by operationId.
type Operation struct {
	ID         string
	Method     string
	Path       string
	Deprecated bool
	Body       map[string]*Rule // body fields by wire key, objects included
	Params     map[string]*Rule // path parameters by name
	Headers    map[string]*Rule // header parameters by lower-case name
}

// Spec is the compiled rule set of every operation.
type Spec struct {
	Doc        *openapi3.T
	Operations map[string]*Operation
}

// Load parses the embedded spec once and returns its rules. The result is
// immutable and shared.
var Load = sync.OnceValues(func() (*Spec, error) { return Compile(api.OpenAPI) })

// Compile builds rules from spec bytes.
func Compile(data []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("rules: load spec: %w", err)
	}
	s := &Spec{Doc: doc, Operations: map[string]*Operation{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := &Operation{ID: op.OperationID, Method: method, Path: path, Deprecated: op.Deprecated,
				Body: map[string]*Rule{}, Params: map[string]*Rule{}, Headers: map[string]*Rule{}}
			params := append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)
			for _, pr := range params {
				p := pr.Value
				r, err := leafRule(p.Name, p.Schema, p.Required)
				if err != nil {
					return nil, fmt.Errorf("rules: %s: %w", o.ID, err)
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
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				mt := op.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
				if mt == nil || mt.Schema == nil {
					return nil, fmt.Errorf("rules: %s: no form body", o.ID)
				}
				if err := addObject(o.Body, nil, mt.Schema); err != nil {
					return nil, fmt.Errorf("rules: %s: %w", o.ID, err)
				}
			}
			s.Operations[o.ID] = o
		}
	}
	return s, nil
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
	case sc.Type.Is(openapi3.TypeString) && IsJSONObject(sc):
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
		re, err := regexp.Compile(sc.Pattern)
		if err != nil {
			return nil, fmt.Errorf("%s: pattern: %w", key, err)
		}
		r.setPattern(re)
	}
	return r, nil
}

// IsJSONObject reports whether a schema is a free-form object described as
// what it is on the wire: a string holding one JSON object, marked
// `x-cbpay-json: true` (additional_information, payment_method_options).
// The Go models keep such a field as a map (x-go-type), which the form
// encoder writes as one compact JSON value.
func IsJSONObject(sc *openapi3.Schema) bool {
	v, ok := sc.Extensions["x-cbpay-json"].(bool)
	return ok && v && sc.Type.Is(openapi3.TypeString)
}

// Keys returns the operation's body wire keys of leaves, sorted.
func (o *Operation) Keys() []string {
	var ks []string
	for k, r := range o.Body {
		if r.Type != "struct" {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}
