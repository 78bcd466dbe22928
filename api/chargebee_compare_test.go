package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cbpay/cbpay/internal/oas"
	"github.com/getkin/kin-openapi/openapi3"
)

// The comparer behind TestChargebeeDefinitions: it walks Chargebee's own
// definition of each operation (api/testdata/chargebee-definitions.json,
// written by scripts/spec-tools/chargebee/extract.js) next to the spec's
// schema, and reports every way the spec is narrower. The rules are in
// README.md, "Agreeing with Chargebee".

// cbDefinitions is the snapshot file.
type cbDefinitions struct {
	Source     string                 `json:"source"`
	Operations map[string]cbOperation `json:"operations"`
	// Wire is what Chargebee's SDK sends for sample parameters
	// (facade/chargebee_wire_test.go holds the client to it).
	Wire []json.RawMessage `json:"wire"`
	// Events are Chargebee's webhook event types and the resources of each
	// one's content (webhook/chargebee_test.go and the fake's tests hold
	// the package and the fake to them).
	Events map[string][]string `json:"events"`
}

// cbOperation is Chargebee's request body and 200 answer of one operation.
type cbOperation struct {
	Request  *cbNode `json:"request"`
	Response *cbNode `json:"response"`
	// NoRequest: Chargebee's operation takes no parameters (a retrieve,
	// a delete): the spec must declare no body either.
	NoRequest bool `json:"no_request,omitempty"`
	// Endpoint is the operation's row in the SDK's endpoint table (API v2
	// operations only).
	Endpoint *cbEndpoint `json:"endpoint,omitempty"`
}

// cbEndpoint is how Chargebee's SDK calls an operation.
type cbEndpoint struct {
	Method string `json:"method"`
	Path   string `json:"path"` // under the site root, {id} for the path parameter
	// Idempotent: the SDK sends an idempotency key and retries it.
	Idempotent bool `json:"idempotent"`
	// JSONKeys are the keys sent as one JSON value, by name, with their
	// depth (0: a top-level key, 1: a key inside one object).
	JSONKeys map[string]int `json:"json_keys"`
	List     bool           `json:"list"`
}

// cbNode is one schema in the snapshot. Type is object, string, integer,
// number, boolean, array or any; AdditionalProperties marks a loose or
// free-form object.
type cbNode struct {
	Type                 string             `json:"type"`
	Properties           map[string]*cbNode `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	Enum                 []any              `json:"enum,omitempty"`
	MaxLength            *uint64            `json:"maxLength,omitempty"`
	MinLength            *uint64            `json:"minLength,omitempty"`
	Minimum              *float64           `json:"minimum,omitempty"`
	Maximum              *float64           `json:"maximum,omitempty"`
	Format               string             `json:"format,omitempty"`
	Pattern              string             `json:"pattern,omitempty"`
	Items                *cbNode            `json:"items,omitempty"`
	AdditionalProperties bool               `json:"additionalProperties,omitempty"`
}

// parseDefinitions decodes a snapshot strictly, so that a change of its
// format fails here instead of comparing nothing.
func parseDefinitions(data []byte) (*cbDefinitions, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var defs cbDefinitions
	if err := dec.Decode(&defs); err != nil {
		return nil, fmt.Errorf("decoding the Chargebee definitions: %w", err)
	}
	return &defs, nil
}

// comparison is what compareWithChargebee finds: problems, where the spec is
// narrower than Chargebee (failures), and extras, spec fields Chargebee does
// not define (allowed, only logged). Both are sorted.
type comparison struct {
	problems []string
	extras   []string
}

// compareWithChargebee holds every operation of the snapshot against the
// spec operation with the same operationId.
func compareWithChargebee(doc *openapi3.T, defs *cbDefinitions) comparison {
	var out comparison
	byID := map[string]*openapi3.Operation{}
	for _, o := range operations(doc) {
		byID[o.op.OperationID] = o.op
	}
	for _, id := range sortedKeys(defs.Operations) {
		def := defs.Operations[id]
		op := byID[id]
		if op == nil {
			out.problems = append(out.problems, id+": not in the spec")
			continue
		}
		switch spec := requestSchema(op); {
		case def.NoRequest && (spec != nil || op.RequestBody != nil):
			out.problems = append(out.problems, id+" request: Chargebee's definitions take no parameters, the spec has a body")
		case !def.NoRequest:
			compareSide(&out, sideRequest, id, def.Request, spec)
		}
		compareSide(&out, sideResponse, id, def.Response, responseSchema(op))
	}
	for _, id := range sortedKeys(byID) {
		if _, ok := defs.Operations[id]; !ok {
			out.problems = append(out.problems, id+": no Chargebee definitions to check it against")
		}
	}
	slices.Sort(out.problems)
	slices.Sort(out.extras)
	return out
}

// requestSchema is the operation's form body, or for a GET its query
// parameters as one object (oas.QuerySchema): Chargebee's definitions
// describe both the same way.
func requestSchema(op *openapi3.Operation) *openapi3.Schema {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return oas.QuerySchema(op.Parameters)
	}
	return schemaOf(op.RequestBody.Value.Content.Get(formMediaType))
}

func responseSchema(op *openapi3.Operation) *openapi3.Schema {
	if op.Responses == nil {
		return nil
	}
	ok := op.Responses.Value("200")
	if ok == nil || ok.Value == nil {
		return nil
	}
	return schemaOf(ok.Value.Content.Get(jsonMediaType))
}

func schemaOf(media *openapi3.MediaType) *openapi3.Schema {
	if media == nil || media.Schema == nil {
		return nil
	}
	return media.Schema.Value
}

// side says which half of an operation is compared: requests are held to
// every rule, responses to fields, types, enums and required.
type side string

const (
	sideRequest  side = "request"
	sideResponse side = "response"
)

// fieldPath names a field as it appears on the wire: bracket keys in a form
// body (card[brand]), dots in a JSON answer (payment_source.card.brand).
func (s side) fieldPath(parent, name string) string {
	switch {
	case parent == "":
		return name
	case s == sideRequest:
		return parent + "[" + name + "]"
	default:
		return parent + "." + name
	}
}

// comparer compares one side of one operation.
type comparer struct {
	out  *comparison
	side side
	op   string
}

func compareSide(out *comparison, s side, op string, def *cbNode, spec *openapi3.Schema) {
	c := comparer{out: out, side: s, op: op}
	switch {
	case def == nil:
		c.problem("", "no Chargebee definition in the snapshot")
	case spec == nil && s == sideRequest:
		c.problem("", "no %s schema", formMediaType)
	case spec == nil:
		c.problem("", "no 200 %s schema", jsonMediaType)
	default:
		c.node("", def, spec, true)
	}
}

func (c comparer) line(path, format string, args ...any) string {
	where := c.op + " " + string(c.side)
	if path != "" {
		where += " " + path
	}
	return where + ": " + fmt.Sprintf(format, args...)
}

func (c comparer) problem(path, format string, args ...any) {
	c.out.problems = append(c.out.problems, c.line(path, format, args...))
}

func (c comparer) extra(path string) {
	c.out.extras = append(c.out.extras, c.line(path, "not in Chargebee's definitions"))
}

// node compares one field; cbRequired says whether Chargebee requires it in
// its parent object (the top-level body counts as required).
func (c comparer) node(path string, def *cbNode, spec *openapi3.Schema, cbRequired bool) {
	if kw := composition(spec); kw != "" {
		c.problem(path, "uses %s, which this check cannot compare: describe the field without it", kw)
		return
	}
	if c.side == sideRequest && freeFormObject(def) && jsonObjectString(spec) {
		// The spec describes a free-form object as its wire form, a string
		// holding one JSON object (x-cbpay-json): every object Chargebee
		// takes is such a string, so this is not narrower. The string's
		// limits are still compared with Chargebee's (it has none).
		c.lengths(path, def, spec, cbRequired)
		c.patternAndFormat(path, def, spec)
		return
	}
	if !c.typeAccepts(spec, def.Type) {
		c.problem(path, "type %s, Chargebee's is %s", typeName(spec), def.Type)
		return
	}
	c.enum(path, def, spec)
	if c.side == sideRequest {
		c.lengths(path, def, spec, cbRequired)
		c.bounds(path, def, spec)
		c.patternAndFormat(path, def, spec)
	}
	switch def.Type {
	case openapi3.TypeObject:
		c.object(path, def, spec)
	case openapi3.TypeArray:
		c.array(path, def, spec)
	}
}

// freeFormObject reports whether a Chargebee field is an object of any keys
// with no declared properties (additional_information).
func freeFormObject(def *cbNode) bool {
	return def.Type == openapi3.TypeObject && def.AdditionalProperties && len(def.Properties) == 0
}

// jsonObjectString reports whether a spec schema is a string marked as
// holding one JSON object (x-cbpay-json: true), the wire form of a
// free-form object in a form body.
func jsonObjectString(s *openapi3.Schema) bool {
	v, ok := s.Extensions["x-cbpay-json"].(bool)
	return ok && v && s.Type.Is(openapi3.TypeString)
}

// composition names the first schema combinator the spec uses, if any.
func composition(s *openapi3.Schema) string {
	switch {
	case len(s.OneOf) > 0:
		return "oneOf"
	case len(s.AnyOf) > 0:
		return "anyOf"
	case len(s.AllOf) > 0:
		return "allOf"
	case s.Not != nil:
		return "not"
	}
	return ""
}

func typeName(s *openapi3.Schema) string {
	if s.Type.IsEmpty() {
		return "any"
	}
	return strings.Join(*s.Type, "|")
}

// typeAccepts reports whether a spec schema takes every value of
// Chargebee's type. An untyped spec schema takes anything. Chargebee's
// TypeScript declarations say `number` for integers too, so in responses
// integer and number stand for each other; Zod does tell them apart, so a
// request number needs a spec number. Chargebee's `any` needs an untyped
// spec field in a request and matches anything in a response.
func (c comparer) typeAccepts(spec *openapi3.Schema, cbType string) bool {
	if spec.Type.IsEmpty() {
		return true
	}
	has := spec.Type.Includes
	switch cbType {
	case "any":
		return c.side == sideResponse
	case openapi3.TypeInteger:
		return has(openapi3.TypeInteger) || has(openapi3.TypeNumber)
	case openapi3.TypeNumber:
		return has(openapi3.TypeNumber) || (c.side == sideResponse && has(openapi3.TypeInteger))
	default:
		return has(cbType)
	}
}

// enum: the spec lists every value Chargebee lists, and lists none when
// Chargebee takes any value.
func (c comparer) enum(path string, def *cbNode, spec *openapi3.Schema) {
	if len(spec.Enum) == 0 {
		return
	}
	if len(def.Enum) == 0 {
		c.problem(path, "enum of %d values, Chargebee has none", len(spec.Enum))
		return
	}
	listed := map[string]bool{}
	for _, v := range spec.Enum {
		listed[fmt.Sprint(v)] = true
	}
	var lacks []string
	for _, v := range def.Enum {
		if s := fmt.Sprint(v); !listed[s] {
			lacks = append(lacks, s)
		}
	}
	if len(lacks) > 0 {
		c.problem(path, "enum lacks %s", strings.Join(lacks, ", "))
	}
}

// lengths: maxLength no lower than Chargebee's and absent when Chargebee has
// none; minLength no higher than Chargebee's, except that a field Chargebee
// requires may have minLength 1 (an empty form value leaves a field blank).
func (c comparer) lengths(path string, def *cbNode, spec *openapi3.Schema, cbRequired bool) {
	if spec.MaxLength != nil {
		switch {
		case def.MaxLength == nil:
			c.problem(path, "maxLength %d, Chargebee has none", *spec.MaxLength)
		case *spec.MaxLength < *def.MaxLength:
			c.problem(path, "maxLength %d < Chargebee's %d", *spec.MaxLength, *def.MaxLength)
		}
	}
	var cbMin uint64
	if def.MinLength != nil {
		cbMin = *def.MinLength
	}
	if spec.MinLength > cbMin && !(spec.MinLength == 1 && cbRequired) {
		c.problem(path, "minLength %d > Chargebee's %d", spec.MinLength, cbMin)
	}
}

// bounds: minimum no higher than Chargebee's, maximum no lower, each absent
// when Chargebee has none; an exclusive bound equal to Chargebee's is
// stricter.
func (c comparer) bounds(path string, def *cbNode, spec *openapi3.Schema) {
	if v, exclusive, ok := lowerBound(spec); ok {
		switch {
		case def.Minimum == nil:
			c.problem(path, "minimum %v, Chargebee has none", v)
		case v > *def.Minimum || (exclusive && v == *def.Minimum):
			c.problem(path, "minimum %v%s > Chargebee's %v", v, exclusiveNote(exclusive), *def.Minimum)
		}
	}
	if v, exclusive, ok := upperBound(spec); ok {
		switch {
		case def.Maximum == nil:
			c.problem(path, "maximum %v, Chargebee has none", v)
		case v < *def.Maximum || (exclusive && v == *def.Maximum):
			c.problem(path, "maximum %v%s < Chargebee's %v", v, exclusiveNote(exclusive), *def.Maximum)
		}
	}
}

func exclusiveNote(exclusive bool) string {
	if exclusive {
		return " (exclusive)"
	}
	return ""
}

// lowerBound is the spec's effective minimum: `minimum` with the OpenAPI 3.0
// boolean `exclusiveMinimum`, or a 3.1 numeric `exclusiveMinimum`.
func lowerBound(s *openapi3.Schema) (v float64, exclusive, ok bool) {
	if s.ExclusiveMin.Value != nil {
		return *s.ExclusiveMin.Value, true, true
	}
	if s.Min == nil {
		return 0, false, false
	}
	return *s.Min, s.ExclusiveMin.IsTrue(), true
}

func upperBound(s *openapi3.Schema) (v float64, exclusive, ok bool) {
	if s.ExclusiveMax.Value != nil {
		return *s.ExclusiveMax.Value, true, true
	}
	if s.Max == nil {
		return 0, false, false
	}
	return *s.Max, s.ExclusiveMax.IsTrue(), true
}

// formatsWithoutEffect are formats that refuse no value of their type that
// Chargebee takes: int64 holds every integer Chargebee's Zod schemas accept
// (safe integers), float and double are plain numbers, and password only
// marks a string for display.
var formatsWithoutEffect = map[string]bool{"int64": true, "float": true, "double": true, "password": true}

// patternAndFormat: a spec pattern, or a format that validates, only where
// Chargebee has the same one.
func (c comparer) patternAndFormat(path string, def *cbNode, spec *openapi3.Schema) {
	if spec.Pattern != "" && spec.Pattern != def.Pattern {
		if def.Pattern == "" {
			c.problem(path, "pattern %s, Chargebee has none", spec.Pattern)
		} else {
			c.problem(path, "pattern %s differs from Chargebee's %s", spec.Pattern, def.Pattern)
		}
	}
	if f := spec.Format; f != "" && f != def.Format && !formatsWithoutEffect[f] {
		if def.Format == "" {
			c.problem(path, "format %s, Chargebee has none", f)
		} else {
			c.problem(path, "format %s, Chargebee's is %s", f, def.Format)
		}
	}
}

// object: every Chargebee field exists in the spec and is compared in turn;
// the spec requires nothing Chargebee does not; an open Chargebee object is
// not closed in the spec. Spec fields Chargebee does not define are extras.
func (c comparer) object(path string, def *cbNode, spec *openapi3.Schema) {
	for _, name := range sortedKeys(def.Properties) {
		child := c.side.fieldPath(path, name)
		ref := spec.Properties[name]
		if ref == nil || ref.Value == nil {
			c.problem(child, "missing")
			continue
		}
		c.node(child, def.Properties[name], ref.Value, slices.Contains(def.Required, name))
	}
	for _, name := range sortedKeys(spec.Properties) {
		if _, ok := def.Properties[name]; !ok {
			c.extra(c.side.fieldPath(path, name))
		}
	}
	required := slices.Sorted(slices.Values(spec.Required))
	for _, name := range slices.Compact(required) {
		switch {
		case slices.Contains(def.Required, name):
		case def.Properties[name] == nil:
			c.problem(c.side.fieldPath(path, name), "required in the spec, unknown to Chargebee")
		default:
			c.problem(c.side.fieldPath(path, name), "required in the spec, optional in Chargebee's definitions")
		}
	}
	if def.AdditionalProperties && spec.AdditionalProperties.Has != nil && !*spec.AdditionalProperties.Has {
		c.problem(path, "additionalProperties false, Chargebee's object takes unknown keys")
	}
}

// array: no item limits in a request (the snapshot has none to compare
// with), and the items compared as a field. Chargebee items without a
// schema are items of any type; spec items without one take anything.
func (c comparer) array(path string, def *cbNode, spec *openapi3.Schema) {
	if c.side == sideRequest && (spec.MinItems > 0 || spec.MaxItems != nil || spec.UniqueItems) {
		c.problem(path, "minItems, maxItems or uniqueItems, Chargebee has none")
	}
	if spec.Items == nil || spec.Items.Value == nil {
		return
	}
	items := def.Items
	if items == nil {
		items = &cbNode{Type: "any"}
	}
	c.node(path+"[]", items, spec.Items.Value, false)
}
