// Package rules holds, per operation, what api/openapi.yaml says of each
// wire field (required, lengths, enums, ranges, patterns, conflicts, which
// fields hold secrets) and checks request values against it. The facade
// validates with it before any network I/O, so limits live only in the
// spec.
//
// The rules and the form plans of the request types are generated from the
// spec at go generate time (zz_rules.gen.go, written by ./rulesgen), so a
// program using them parses no YAML and links no OpenAPI library:
// starting a client costs microseconds, not the milliseconds of reading
// the spec.
package rules

import (
	"regexp"
	"sort"
	"sync"
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
	Pattern     *Pattern
	Sensitive   bool
	Conflicts   []string  // wire keys that must not be sent with this one
	run         *classRun // Pattern as a table, when its shape allows
	runOf       *Pattern  // the Pattern run was made from
}

// Pattern is a regular expression of the spec, compiled the first time a
// value is matched against it: a program that never sends the field never
// pays for compiling it. Patterns of the shape ^[class]{n,m}$ are matched
// by a table instead and never compiled (see classRun).
type Pattern struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

// NewPattern returns the pattern src, which must compile.
func NewPattern(src string) (*Pattern, error) {
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, err
	}
	return &Pattern{src: src, re: re}, nil
}

// String returns the pattern as the spec writes it.
func (p *Pattern) String() string { return p.src }

// MatchString reports whether s matches the pattern.
func (p *Pattern) MatchString(s string) bool {
	p.once.Do(func() {
		if p.re == nil {
			// The generator compiled every pattern it wrote: this
			// cannot fail.
			p.re = regexp.MustCompile(p.src)
		}
	})
	return p.re.MatchString(s)
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
	// checker is the generated checker of the operation's request model,
	// which Bind returns instead of building one by reflection.
	checker *Checker
}

// Spec is the rule set of every operation.
type Spec struct {
	Operations map[string]*Operation
}

// Load returns the rules of every operation of api/openapi.yaml, as
// generated into zz_rules.gen.go. The maps are built once, from the
// generated tables, and each pattern of the shape classRun reads gets its
// table; the result is immutable and shared.
var Load = sync.OnceValue(func() *Spec {
	for i := range generated {
		for _, rules := range [][]Rule{generated[i].body, generated[i].params, generated[i].headers} {
			for j := range rules {
				if r := &rules[j]; r.Pattern != nil {
					r.setPattern(r.Pattern)
				}
			}
		}
	}
	s := &Spec{Operations: make(map[string]*Operation, len(generated))}
	for i := range generated {
		g := &generated[i]
		o := &Operation{ID: g.id, Method: g.method, Path: g.path, Deprecated: g.deprecated,
			Body: index(g.body), Params: index(g.params), Headers: index(g.headers), checker: g.checker}
		s.Operations[o.ID] = o
	}
	return s
})

func index(rules []Rule) map[string]*Rule {
	m := make(map[string]*Rule, len(rules))
	for i := range rules {
		m[rules[i].Key] = &rules[i]
	}
	return m
}

// generatedOperation is one operation as zz_rules.gen.go lists it: rules
// sorted by key (header names in lower case), and the checker of its
// request model.
type generatedOperation struct {
	id, method, path string
	deprecated       bool
	body             []Rule
	params           []Rule
	headers          []Rule
	checker          *Checker
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
