// Command facadegen writes, from the spec, everything of the facade that is
// one per operation or one per schema, so that an operation is declared
// once, in api/openapi.yaml:
//
//   - facade/operations.gen.go: for each operation, its params and result
//     types, their redacted formatting, the method, and its entry in the
//     operation table the command and the docs read (cbpay.Operations);
//   - facade/types.gen.go: every other schema's type and every enum
//     constant of package gen, under the same names in package cbpay, so
//     that users import one package;
//   - internal/rules/rulesgen/models.gen.go: the request models rulesgen
//     binds to each operation's rules.
//
// It reads the models oapi-codegen wrote (gen/client.gen.go) to name the Go
// types exactly as oapi-codegen did, and fails when a name it needs is not
// there.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"log"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/cbpay/cbpay/internal/oas"
	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

func main() {
	specPath := flag.String("spec", "api/openapi.yaml", "the spec")
	genPath := flag.String("gen", "gen/client.gen.go", "oapi-codegen's output")
	facade := flag.String("facade", "facade", "the facade's folder")
	models := flag.String("models", "internal/rules/rulesgen/models.gen.go", "rulesgen's model table")
	redact := flag.String("redact", "gen/redact.gen.go", "the models' redaction")
	flag.Parse()
	if err := run(*specPath, *genPath, *facade, *models, *redact); err != nil {
		log.Fatalf("facadegen: %v", err)
	}
}

func run(specPath, genPath, facadeDir, modelsPath, redactPath string) error {
	data, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	ops, schemas, err := readSpec(data)
	if err != nil {
		return err
	}
	g, err := readGen(genPath)
	if err != nil {
		return err
	}
	files := map[string]func([]operation, []schema, *genNames) ([]byte, error){
		facadeDir + "/operations.gen.go": operationsFile,
		facadeDir + "/types.gen.go":      typesFile,
		modelsPath:                       modelsFile,
		redactPath:                       redactFile,
	}
	for path, write := range files {
		src, err := write(ops, schemas, g)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := os.WriteFile(path, src, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// operation is what the facade needs of one spec operation.
type operation struct {
	ID, Name             string // operationId, Go name
	Method, Path         string
	Summary, Description string
	Deprecated           bool
	Idempotent           bool   // x-cbpay-idempotent, or a GET
	PathParam            string // the path parameter's name, "" without one
	Headers              bool   // header or query parameters: gen has an XParams type
	Query                bool   // query parameters, which take the place of a body (GET)
	Body, Result         string // the request and 200 response schemas; Body is "" without a body
}

// schema is what the generated files need of one component schema.
type schema struct {
	Name string
	// Sensitive are the properties marked x-cbpay-sensitive (tokens, card
	// digits), in order.
	Sensitive []string
	// Holds is true when the schema has such properties, is a free-form
	// object (x-cbpay-json: a gateway's documents and fraud ids), or has a
	// property whose schema holds either.
	Holds bool
	// Refs are the component schemas of its properties (of their items,
	// for arrays), by property.
	Refs map[string]string
}

// readSpec returns the operations in the order of the spec's paths, and
// the component schemas by name.
func readSpec(data []byte) ([]operation, []schema, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, nil, err
	}
	order, err := pathOrder(data)
	if err != nil {
		return nil, nil, err
	}
	var ops []operation
	for _, path := range order {
		item := doc.Paths.Value(path)
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			op := item.GetOperation(method)
			if op == nil {
				continue
			}
			o := operation{ID: op.OperationID, Name: exported(op.OperationID), Method: method, Path: path,
				Summary: op.Summary, Description: strings.TrimSpace(op.Description), Deprecated: op.Deprecated}
			idem, _ := op.Extensions["x-cbpay-idempotent"].(bool)
			o.Idempotent = idem || method == "GET"
			for _, p := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
				if p.Value.In == openapi3.ParameterInHeader || p.Value.In == openapi3.ParameterInQuery {
					o.Headers = true
				}
				if p.Value.In == openapi3.ParameterInQuery {
					o.Query = true
				}
				if p.Value.In == openapi3.ParameterInPath {
					if o.PathParam != "" {
						return nil, nil, fmt.Errorf("%s: more than one path parameter", o.ID)
					}
					o.PathParam = p.Value.Name
				}
			}
			if rb := op.RequestBody; rb != nil && rb.Value != nil {
				if mt := rb.Value.Content.Get("application/x-www-form-urlencoded"); mt != nil && mt.Schema != nil {
					o.Body = refName(mt.Schema.Ref)
				}
			}
			if o.Body == "" && op.RequestBody != nil {
				return nil, nil, fmt.Errorf("%s: a request body that is not a form body with a component schema", o.ID)
			}
			if o.Query {
				if o.Body != "" {
					return nil, nil, fmt.Errorf("%s: both a body and query parameters", o.ID)
				}
				// oapi-codegen's XParams holds the query parameters (and
				// the headers, which such an operation must not have).
				o.Body = oas.QueryModel(o.ID)
			}
			if r := op.Responses.Status(200); r != nil && r.Value != nil {
				if mt := r.Value.Content.Get("application/json"); mt != nil && mt.Schema != nil {
					o.Result = refName(mt.Schema.Ref)
				}
			}
			if o.Result == "" {
				return nil, nil, fmt.Errorf("%s: no 200 JSON answer that is a component schema", o.ID)
			}
			ops = append(ops, o)
		}
	}
	schemas := make([]schema, 0, len(doc.Components.Schemas))
	for name, ref := range doc.Components.Schemas {
		s := schema{Name: name, Refs: map[string]string{}}
		for prop, p := range ref.Value.Properties {
			if oas.IsSensitive(p.Value) {
				s.Sensitive = append(s.Sensitive, prop)
			}
			if p.Ref != "" {
				s.Refs[prop] = refName(p.Ref)
			} else if p.Value.Items != nil && p.Value.Items.Ref != "" {
				s.Refs[prop] = refName(p.Value.Items.Ref)
			}
		}
		slices.Sort(s.Sensitive)
		schemas = append(schemas, s)
	}
	slices.SortFunc(schemas, func(a, b schema) int { return strings.Compare(a.Name, b.Name) })
	holds := map[string]bool{}
	for _, s := range schemas {
		holds[s.Name] = len(s.Sensitive) > 0 || oas.IsJSONObject(doc.Components.Schemas[s.Name].Value)
	}
	for changed := true; changed; { // until no schema learns it holds secrets
		changed = false
		for _, s := range schemas {
			for _, to := range s.Refs {
				if !holds[s.Name] && holds[to] {
					holds[s.Name], changed = true, true
				}
			}
		}
	}
	for i := range schemas {
		schemas[i].Holds = holds[schemas[i].Name]
	}
	return ops, schemas, nil
}

// pathOrder reads the order of the spec's paths, which the loaded document
// (a map) does not keep: operations are listed as the spec lists them.
func pathOrder(data []byte) ([]string, error) {
	var doc struct {
		Paths yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	var out []string
	for i := 0; i+1 < len(doc.Paths.Content); i += 2 {
		out = append(out, doc.Paths.Content[i].Value)
	}
	return out, nil
}

func refName(ref string) string {
	name, _ := strings.CutPrefix(ref, "#/components/schemas/")
	return name
}

// genNames are the exported types and constants oapi-codegen wrote, and
// each constant's type.
type genNames struct {
	types   map[string]bool
	consts  map[string]string          // constant -> its type
	structs map[string]*ast.StructType // for their field lists
}

func readGen(path string) (*genNames, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	g := &genNames{types: map[string]bool{}, consts: map[string]string{}, structs: map[string]*ast.StructType{}}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, s := range gd.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				g.types[s.Name.Name] = true
				if st, ok := s.Type.(*ast.StructType); ok {
					g.structs[s.Name.Name] = st
				}
			case *ast.ValueSpec:
				if gd.Tok != token.CONST {
					continue
				}
				if id, ok := s.Type.(*ast.Ident); ok {
					for _, n := range s.Names {
						g.consts[n.Name] = id.Name
					}
				}
			}
		}
	}
	return g, nil
}

// typeName is the Go name oapi-codegen gave a schema, with its initialisms.
func (g *genNames) typeName(schema string) (string, error) {
	name := initialisms(schema)
	if !g.types[name] {
		return "", fmt.Errorf("gen has no type %s for schema %s", name, schema)
	}
	return name, nil
}

// initialismWords are the words oapi-codegen's ToCamelCaseWithInitialisms
// writes in capitals that this spec's names hold (oapi-codegen.yaml adds
// IIN).
var initialismWords = []string{"Api", "Http", "Id", "Iin", "Ip", "Json", "Url", "Uuid"}

// initialisms turns the words of a CamelCase name that are initialisms into
// capitals: ApiErrorType -> APIErrorType.
func initialisms(name string) string {
	words := splitCamel(name)
	for i, w := range words {
		if slices.Contains(initialismWords, w) {
			words[i] = strings.ToUpper(w)
		}
	}
	return strings.Join(words, "")
}

func splitCamel(s string) []string {
	var words []string
	start := 0
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			words = append(words, s[start:i])
			start = i
		}
	}
	return append(words, s[start:])
}

// exported is the Go name of an operationId: createPaymentIntent ->
// CreatePaymentIntent.
func exported(id string) string { return initialisms(strings.ToUpper(id[:1]) + id[1:]) }

// argName is the Go argument of a path parameter: customer_id ->
// customerID.
func argName(param string) string {
	var b strings.Builder
	for i, w := range strings.Split(param, "_") {
		w = initialisms(strings.ToUpper(w[:1]) + w[1:])
		if i == 0 {
			w = strings.ToLower(w[:1]) + w[1:]
			if strings.ToUpper(w) == w {
				w = strings.ToLower(w)
			}
		}
		b.WriteString(w)
	}
	return b.String()
}

const header = "// Code generated by internal/facadegen from api/openapi.yaml. DO NOT EDIT.\n\n"

type writer struct{ bytes.Buffer }

func (w *writer) printf(format string, args ...any) { fmt.Fprintf(&w.Buffer, format, args...) }

func (w *writer) gofmt() ([]byte, error) {
	src, err := format.Source(w.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%w\n%s", err, w.Bytes())
	}
	return src, nil
}

// comment writes text as a Go comment, wrapped near 76 columns.
func (w *writer) comment(indent, text string) {
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		line := indent + "//"
		for _, word := range strings.Fields(para) {
			if len(line)+1+len(word) > 76 && line != indent+"//" {
				w.printf("%s\n", line)
				line = indent + "//"
			}
			line += " " + word
		}
		w.printf("%s\n", line)
		w.printf("%s//\n", indent)
	}
}
