// Command flatspec derives api/openapi-flat.yaml from api/openapi.yaml: the
// same API, with every form body listing its wire keys as flat properties.
//
//	go run ./scripts/flatspec -o api/openapi-flat.yaml api/openapi.yaml
//
// It runs from a //go:generate line in api/spec.go, and
// scripts/check-generated.sh fails when the committed file is stale.
//
// Why: the canonical spec describes card, billing_address and
// payment_method as nested objects with `encoding: style: deepObject`, as
// OpenAPI means it. Most TypeScript generators ignore `encoding` and send a
// nested object as one JSON value (card={"iin":...}) or as [object Object].
// A body whose properties are the bracket keys themselves (card[iin],
// billing_address[line1], payment_method[additional_information]) is sent
// right by any generator that can send a form at all, with no hand-written
// serializer.
//
// What changes, and nothing else:
//
//   - Each form body's schema is replaced by a flat one: a nested object's
//     fields become properties named with bracket keys, each with its own
//     schema (limits, enums, description); top-level fields are kept as
//     they are. A field required inside an optional object
//     (payment_method[type]) cannot be required flatly: its description
//     says when it is.
//   - Flat bodies are closed (additionalProperties: false), as the fake
//     Chargebee is: a validator that reads the whole form refuses a key
//     the spec does not list (card={...}, a typo,
//     additional_information[payer][document]). Prism 5.14 reads only the
//     declared keys of a form, so it lets those through (the fake refuses
//     them); see scripts/spec-tools/prism/cases.yaml.
//   - The strings that hold a JSON object (x-cbpay-json) get the pattern
//     that a JSON object's text matches, `^\s*\{`.
//   - `encoding` blocks go (there is nothing nested left to encode), request
//     examples are flattened the same way, and schemas no longer referenced
//     (CardParams, BillingAddressParams, PaymentMethodParams) are dropped.
//
// The spec's order, comments and everything outside form bodies are kept.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

const (
	formMediaType = "application/x-www-form-urlencoded"
	schemaRef     = "#/components/schemas/"
	// jsonObjectPattern is what the text of a JSON object matches.
	jsonObjectPattern = `^\s*\{`
)

func main() {
	out := flag.String("o", "", "output file (default: standard output)")
	name := flag.String("name", "api/openapi.yaml", "the input's name in the output's header")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: flatspec [-o out.yaml] openapi.yaml")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	in, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	data, err := Derive(in, *name)
	if err != nil {
		fail(err)
	}
	if *out == "" {
		_, err = os.Stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "flatspec:", err)
	os.Exit(1)
}

// Derive returns the flat spec made from the canonical spec's YAML. source
// names the input in the generated file's header.
func Derive(in []byte, source string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(in, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the spec is not a YAML mapping")
	}
	root := doc.Content[0]
	schemas := get(get(root, "components"), "schemas")
	if schemas == nil {
		return nil, errors.New("no components.schemas")
	}
	d := &deriver{schemas: schemas, flattened: map[string]bool{}}
	if err := d.paths(get(root, "paths")); err != nil {
		return nil, err
	}
	if len(d.flattened) == 0 {
		return nil, errors.New("no form request bodies found")
	}
	for _, name := range keys(schemas) {
		if s := get(schemas, name); isJSONString(s) && get(s, "pattern") == nil {
			set(s, "pattern", str(jsonObjectPattern))
		}
	}
	dropUnreferenced(root, schemas)
	if info := get(root, "info"); info != nil {
		desc := get(info, "description")
		note := "**This is the flat form of the spec, for code generators**, derived\n" +
			"from `" + source + "` by `go generate` (do not edit). Each form body\n" +
			"lists its wire keys as flat properties: `card[iin]`,\n" +
			"`billing_address[line1]`, `payment_method[additional_information]`. A\n" +
			"generator that sends a form body field by field sends exactly what\n" +
			"Chargebee expects, with no serializer of your own. Bodies are closed\n" +
			"(`additionalProperties: false`), as the fake Chargebee is: a\n" +
			"validator that reads the whole form refuses a key the API does not\n" +
			"have.\n\n"
		if desc == nil {
			set(info, "description", str(note))
		} else {
			desc.Value = note + desc.Value
			desc.Style = yaml.LiteralStyle
		}
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# Code generated by scripts/flatspec from %s; DO NOT EDIT.\n", source)
	buf.WriteString("# The flat form of the spec for code generators: form bodies list their\n")
	buf.WriteString("# bracket keys (card[iin]) as properties. See docs/OTHER_LANGUAGES.md.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type deriver struct {
	schemas   *yaml.Node
	flattened map[string]bool // body schema names already replaced
}

// paths flattens the form body of every operation.
func (d *deriver) paths(paths *yaml.Node) error {
	if paths == nil {
		return errors.New("no paths")
	}
	for _, p := range keys(paths) {
		item := get(paths, p)
		for _, method := range keys(item) {
			op := get(item, method)
			media := get(get(get(op, "requestBody"), "content"), formMediaType)
			if media == nil {
				continue
			}
			if err := d.body(media); err != nil {
				return fmt.Errorf("%s %s: %w", method, p, err)
			}
		}
	}
	return nil
}

// body replaces a form media type's schema (a $ref to a component) with its
// flat form, in place, and flattens its examples.
func (d *deriver) body(media *yaml.Node) error {
	ref := get(media, "schema")
	name, ok := refName(ref)
	if !ok {
		return errors.New("the form body's schema is not a $ref to components.schemas")
	}
	del(media, "encoding")
	if ex := get(media, "example"); ex != nil {
		set(media, "example", flattenExample(ex))
	}
	if exs := get(media, "examples"); exs != nil {
		for _, k := range keys(exs) {
			if v := get(get(exs, k), "value"); v != nil {
				set(get(exs, k), "value", flattenExample(v))
			}
		}
	}
	if d.flattened[name] {
		return nil
	}
	src := get(d.schemas, name)
	if src == nil {
		return fmt.Errorf("no schema %s", name)
	}
	props := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	var required, notes []string
	if err := d.flatten(props, &required, &notes, nil, src, true, ""); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	flat := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	set(flat, "type", str("object"))
	desc := ""
	if d := get(src, "description"); d != nil {
		desc = strings.TrimRight(d.Value, "\n") + "\n\n"
	}
	desc += "Flat form: nested fields are listed under their wire keys (`card[iin]`)."
	for _, n := range notes {
		desc += " " + n
	}
	set(flat, "description", str(desc+"\n"))
	if len(required) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
		for _, r := range required {
			seq.Content = append(seq.Content, str(r))
		}
		set(flat, "required", seq)
	}
	set(flat, "properties", props)
	set(flat, "additionalProperties", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "false"})
	for _, k := range keys(src) {
		if strings.HasPrefix(k, "x-") {
			set(flat, k, clone(get(src, k)))
		}
	}
	replace(d.schemas, name, flat)
	d.flattened[name] = true
	return nil
}

// flatten adds obj's properties to props under prefix. sent says whether
// obj is always on the wire (the body, or a required object in it): its
// required fields are then required flatly, and appended to required.
// Otherwise a required field cannot be required flatly, and a sentence
// saying when it is goes to notes (the body's description: a $ref leaf
// takes no description of its own in OpenAPI 3.0).
func (d *deriver) flatten(props *yaml.Node, required, notes *[]string, prefix []string, obj *yaml.Node, sent bool, note string) error {
	req := map[string]bool{}
	if r := get(obj, "required"); r != nil {
		for _, n := range r.Content {
			req[n.Value] = true
		}
	}
	p := get(obj, "properties")
	if p == nil {
		return errors.New("object without properties")
	}
	for _, field := range keys(p) {
		sch := get(p, field)
		segs := append(slices.Clone(prefix), field)
		key := joinKey(segs)
		if target := d.resolve(sch); target != nil && isNested(target) {
			n := fmt.Sprintf("required when any `%s[...]` key is sent.", key)
			if err := d.flatten(props, required, notes, segs, target, sent && req[field], n); err != nil {
				return err
			}
			continue
		}
		switch {
		case req[field] && sent:
			*required = append(*required, key)
		case req[field]:
			*notes = append(*notes, fmt.Sprintf("`%s` is %s", key, note))
		}
		set(props, key, clone(sch))
	}
	return nil
}

// resolve follows a $ref to a component schema.
func (d *deriver) resolve(s *yaml.Node) *yaml.Node {
	if name, ok := refName(s); ok {
		return get(d.schemas, name)
	}
	return s
}

// isNested: an object with declared properties, sent as bracket keys.
func isNested(s *yaml.Node) bool {
	t := get(s, "type")
	return t != nil && t.Value == "object" && get(s, "properties") != nil
}

func isJSONString(s *yaml.Node) bool {
	t, j := get(s, "type"), get(s, "x-cbpay-json")
	return t != nil && t.Value == "string" && j != nil && j.Value == "true"
}

// flattenExample turns a nested example into bracket keys; strings that
// hold JSON are already one value.
func flattenExample(ex *yaml.Node) *yaml.Node {
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	var walk func(prefix []string, n *yaml.Node)
	walk = func(prefix []string, n *yaml.Node) {
		for _, k := range keys(n) {
			v := get(n, k)
			segs := append(slices.Clone(prefix), k)
			if v.Kind == yaml.MappingNode {
				walk(segs, v)
				continue
			}
			set(out, joinKey(segs), clone(v))
		}
	}
	if ex.Kind != yaml.MappingNode {
		return clone(ex)
	}
	walk(nil, ex)
	return out
}

// dropUnreferenced removes component schemas that nothing refers to any
// more, repeating until none is left (a dropped schema may have been the
// last user of another). A schema's references to itself keep nothing.
func dropUnreferenced(root, schemas *yaml.Node) {
	for {
		refs := map[string]int{}
		var count func(n *yaml.Node, self string)
		count = func(n *yaml.Node, self string) {
			if n == schemas {
				return
			}
			if name, ok := refName(n); ok && name != self {
				refs[name]++
			}
			for _, c := range n.Content {
				count(c, self)
			}
		}
		count(root, "")
		for _, name := range keys(schemas) {
			count(get(schemas, name), name)
		}
		removed := false
		for _, name := range keys(schemas) {
			if refs[name] == 0 {
				del(schemas, name)
				removed = true
			}
		}
		if !removed {
			return
		}
	}
}

// refName returns X of {$ref: '#/components/schemas/X'}.
func refName(n *yaml.Node) (string, bool) {
	r := get(n, "$ref")
	if r == nil || !strings.HasPrefix(r.Value, schemaRef) {
		return "", false
	}
	return strings.TrimPrefix(r.Value, schemaRef), true
}

func joinKey(segs []string) string {
	var b strings.Builder
	b.WriteString(segs[0])
	for _, s := range segs[1:] {
		b.WriteString("[" + s + "]")
	}
	return b.String()
}

// YAML mapping helpers. A nil node is an empty mapping to get from.

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func keys(m *yaml.Node) []string {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]string, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, m.Content[i].Value)
	}
	return out
}

func set(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, str(key), v)
}

// replace sets key's value keeping the key node (and its comments).
func replace(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v.HeadComment, v.LineComment, v.FootComment = "", "", m.Content[i+1].FootComment
			m.Content[i+1] = v
			return
		}
	}
}

func del(m *yaml.Node, key string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func str(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func clone(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	c := *n
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		c.Content[i] = clone(x)
	}
	return &c
}
