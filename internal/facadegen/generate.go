package main

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// operationsFile writes facade/operations.gen.go.
func operationsFile(ops []operation, _ []schema, g *genNames) ([]byte, error) {
	var w writer
	w.printf("%spackage cbpay\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"log/slog\"\n\t\"net/http\"\n\t\"reflect\"\n\n\t\"github.com/cbpay/cbpay/gen\"\n)\n\n", header)
	w.printf("// Operation indexes, in the spec's order.\nconst (\n")
	for i, o := range ops {
		if i == 0 {
			w.printf("\tix%s = iota\n", o.Name)
		} else {
			w.printf("\tix%s\n", o.Name)
		}
	}
	w.printf("\tnumOps\n)\n\n")
	w.printf("// opDefs declares every operation of the spec: see Operations.\nvar opDefs = [numOps]opDef{\n")
	for _, o := range ops {
		result, err := g.typeName(o.Result)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", o.ID, err)
		}
		if o.Body != "" {
			if _, err := g.typeName(o.Body); err != nil {
				return nil, fmt.Errorf("%s: %w", o.ID, err)
			}
		}
		idArg, idParam := "_", ""
		if o.PathParam != "" {
			idArg, idParam = "id", "id, "
		}
		w.printf("\tix%s: {\n", o.Name)
		w.printf("\t\tid: %q, name: %q, method: %q, path: %q,\n", o.ID, o.Name, o.Method, o.Path)
		w.printf("\t\tsummary: %q, deprecated: %t, idempotent: %t, pathParam: %q,\n", o.Summary, o.Deprecated, o.Idempotent, o.PathParam)
		w.printf("\t\tparams: reflect.TypeFor[%sParams](), result: reflect.TypeFor[gen.%s](),\n", o.Name, result)
		if o.Query {
			// The query is encoded by the facade: the builder gives the URL.
			w.printf("\t\trequest: func(server, %s string) (*http.Request, error) {\n\t\t\treturn gen.New%sRequest(server, %snil)\n\t\t},\n", idArg, o.Name, idParam)
		} else if o.Body != "" {
			w.printf("\t\trequest: func(server, %s string) (*http.Request, error) {\n\t\t\treturn gen.New%sRequestWithBody(server, %snil, formContentType, nil)\n\t\t},\n", idArg, o.Name, idParam)
		} else {
			// Without a body, oapi-codegen's builder takes the header
			// parameters only when the operation declares some.
			hdrs := ""
			if o.Headers {
				hdrs = ", nil"
			}
			w.printf("\t\trequest: func(server, %s string) (*http.Request, error) {\n\t\t\treturn gen.New%sRequest(server%s%s)\n\t\t},\n", idArg, o.Name, strings.TrimSuffix(", "+idParam, ", "), hdrs)
		}
		w.printf("\t\tnewParams: func() any { return new(%sParams) },\n", o.Name)
		w.printf("\t\tcall: func(ctx context.Context, c *Client, id string, p any, opts []RequestOption) (any, Response, error) {\n")
		args := "ctx, "
		if o.PathParam != "" {
			args += "id, "
		}
		w.printf("\t\t\tparams, ok := p.(*%sParams)\n\t\t\tif !ok && p != nil {\n\t\t\t\treturn nil, Response{}, wrongParams(%q, p, params)\n\t\t\t}\n", o.Name, o.ID)
		w.printf("\t\t\tr, err := c.%s(%sparams, opts...)\n", o.Name, args)
		w.printf("\t\t\tif err != nil {\n\t\t\t\treturn nil, Response{}, err\n\t\t\t}\n\t\t\treturn r, r.Response, nil\n\t\t},\n\t},\n")
	}
	w.printf("}\n\n")
	for _, o := range ops {
		if err := w.operation(o, ops, g); err != nil {
			return nil, fmt.Errorf("%s: %w", o.ID, err)
		}
	}
	return w.gofmt()
}

func (w *writer) operation(o operation, ops []operation, g *genNames) error {
	result, _ := g.typeName(o.Result)
	if o.Body == "" {
		w.comment("", fmt.Sprintf("%sParams are the parameters of %s, which has none besides its path: %s %s sends no body. It is empty, and nil will do, so that every operation has the same shape.", o.Name, o.Name, o.Method, o.Path))
		w.printf("type %sParams struct{}\n\n", o.Name)
	} else if err := w.params(o, g); err != nil {
		return err
	}
	return w.resultAndMethod(o, ops, result)
}

func (w *writer) params(o operation, g *genNames) error {
	body, _ := g.typeName(o.Body)
	fields, err := g.fieldDocs(body)
	if err != nil {
		return err
	}
	what := "the form body"
	if o.Query {
		what = "the query string, in the form body's bracket keys,"
	}
	w.comment("", fmt.Sprintf("%sParams are the parameters of %s: %s of %s %s. Nil optional fields are left out; set them with Ptr, zero values included. They print (fmt, slog) with tokens and card data redacted.", o.Name, o.Name, what, o.Method, o.Path))
	w.printf("// Fields (Go name, wire key), as gen.%s has them:\n//\n", body)
	for _, f := range fields {
		w.printf("//\t%s\n", f)
	}
	w.printf("type %sParams gen.%s\n\n", o.Name, body)
	w.printf("// Format prints the parameters with tokens and card data redacted.\nfunc (p %sParams) Format(f fmt.State, _ rune) { formatParams(f, %q, &p) }\n\n", o.Name, o.ID)
	w.printf("// LogValue logs the parameters with tokens and card data redacted.\nfunc (p %sParams) LogValue() slog.Value { return paramsLogValue(%q, &p) }\n\n", o.Name, o.ID)
	return nil
}

func (w *writer) resultAndMethod(o operation, ops []operation, result string) error {
	w.printf("// %sResult is the result of %s: Chargebee's answer (gen.%s) and the\n// exchange behind it.\n", o.Name, o.Name, result)
	w.printf("type %sResult struct {\n\tgen.%s\n\tResponse Response\n\tsent any // the call's parameters, to redact the values it sent when printed\n}\n\n", o.Name, result)
	w.printf("// Format prints the result with tokens and card data redacted.\nfunc (r %sResult) Format(f fmt.State, _ rune) { formatResult(f, r.%s, r.Response, r.sent) }\n\n", o.Name, result)
	w.printf("// LogValue logs the result with tokens and card data redacted.\nfunc (r %sResult) LogValue() slog.Value { return resultLogValue(r.%s, r.Response, r.sent) }\n\n", o.Name, result)
	// Method.
	doc := verbPhrase(o.Summary) + "."
	if o.Description != "" {
		doc += "\n\n" + docLinks(o.Description, ops)
	}
	doc += fmt.Sprintf("\n\n%s %s", o.Method, o.Path)
	if o.Deprecated && !strings.Contains(o.Description, "Deprecated:") {
		doc += "\n\nDeprecated: Chargebee deprecates this operation."
	}
	w.comment("", o.Name+" "+doc)
	args, id := "", `""`
	if o.PathParam != "" {
		arg := argName(o.PathParam)
		args, id = arg+" string, ", arg
	}
	w.printf("func (c *Client) %s(ctx context.Context, %sp *%sParams, opts ...RequestOption) (*%sResult, error) {\n", o.Name, args, o.Name, o.Name)
	w.printf("\tres := &%sResult{}\n", o.Name)
	w.printf("\tmeta, err := c.call(ctx, c.ops.list[ix%s], %s, p, opts, &res.%s)\n", o.Name, id, result)
	w.printf("\tif err != nil {\n\t\treturn nil, err\n\t}\n\tres.Response, res.sent = meta, p\n\treturn res, nil\n}\n\n")
	return nil
}

// typesFile writes facade/types.gen.go: the schemas that are not a request
// body (those are the Params types) and their enum constants, as aliases.
func typesFile(ops []operation, schemas []schema, g *genNames) ([]byte, error) {
	bodies := map[string]bool{}
	for _, o := range ops {
		bodies[o.Body] = true
	}
	var w writer
	w.printf("%spackage cbpay\n\nimport \"github.com/cbpay/cbpay/gen\"\n\n", header)
	w.printf("// The spec's schemas, as package gen has them, so that one import does:\n// nested parameters (CardParams), resources (PaymentSource), enums\n// (CardBrand) and their constants (CardBrandVisa). Enums are open: a\n// value the constants do not list is sent as it is.\ntype (\n")
	var names []string
	for _, s := range schemas {
		if bodies[s.Name] {
			continue
		}
		name, err := g.typeName(s.Name)
		if err != nil {
			return nil, err
		}
		names = append(names, name)
		w.printf("\t%s = gen.%s\n", name, name)
	}
	w.printf(")\n\n")
	isType := map[string]bool{}
	for _, n := range names {
		isType[n] = true
	}
	var consts []string
	for c, t := range g.consts {
		if isType[t] {
			consts = append(consts, c)
		}
	}
	slices.Sort(consts)
	// The key paths of the sensitive properties of nested models, for
	// results, which print their resources as JSON.
	bySchema := map[string]schema{}
	for _, s := range schemas {
		bySchema[s.Name] = s
	}
	var paths []string
	for _, s := range schemas {
		for prop, ref := range s.Refs {
			for _, p := range bySchema[ref].Sensitive {
				paths = append(paths, fmt.Sprintf("{%q, %q}", prop, p))
			}
		}
	}
	slices.Sort(paths)
	paths = slices.Compact(paths)
	w.printf("// sensitiveModelPaths are the key paths, parent and property, of what\n// the spec marks x-cbpay-sensitive in nested models (answers included):\n// results redact the values whose key path ends with one.\n")
	w.printf("var sensitiveModelPaths = [][]string{\n")
	for _, p := range paths {
		w.printf("\t%s,\n", p)
	}
	w.printf("}\n\n")
	w.printf("// Enum constants.\nconst (\n")
	for _, c := range consts {
		w.printf("\t%s = gen.%s\n", c, c)
	}
	w.printf(")\n")
	return w.gofmt()
}

// modelsFile writes rulesgen's table of request models.
func modelsFile(ops []operation, _ []schema, g *genNames) ([]byte, error) {
	var w writer
	w.printf("%spackage main\n\nimport (\n\t\"reflect\"\n\n\t\"github.com/cbpay/cbpay/gen\"\n)\n\n", header)
	w.printf("// models are the generated request models by the name of the component\n// schema they come from.\nvar models = map[string]reflect.Type{\n")
	for _, o := range ops {
		if o.Body == "" {
			continue
		}
		name, err := g.typeName(o.Body)
		if err != nil {
			return nil, err
		}
		w.printf("\t%q: reflect.TypeFor[gen.%s](),\n", o.Body, name)
	}
	w.printf("}\n")
	return w.gofmt()
}

// redactFile writes gen/redact.gen.go: Format and LogValue for every model
// that holds properties the spec marks x-cbpay-sensitive or free-form
// objects, itself or in a nested model, so that a nested model printed on its own (a
// *gen.CardParams in a log line) hides them too, and so does log/slog's JSON
// handler, which would marshal a nested model by its tags.
func redactFile(_ []operation, schemas []schema, g *genNames) ([]byte, error) {
	var w writer
	w.printf("%spackage gen\n\nimport (\n\t\"fmt\"\n\t\"log/slog\"\n\n\t\"github.com/cbpay/cbpay/internal/redact\"\n)\n", header)
	for _, s := range schemas {
		if !s.Holds {
			continue
		}
		name, err := g.typeName(s.Name)
		if err != nil {
			return nil, err
		}
		if g.structs[name] == nil {
			if len(s.Sensitive) > 0 {
				return nil, fmt.Errorf("%s: sensitive properties on a schema that is not a struct", s.Name)
			}
			continue // a free-form object itself: its holders print it as {…}
		}
		args := ""
		if len(s.Sensitive) > 0 {
			args = ", " + strings.Join(quoteAll(s.Sensitive), ", ")
		}
		w.printf("\n// Format prints %s without its tokens, card data and free-form\n// objects, nested ones included (see package redact).\n", name)
		w.printf("func (v %s) Format(f fmt.State, _ rune) { redact.Format(f, v%s) }\n", name, args)
		w.printf("\n// LogValue logs %s as Format prints it.\n", name)
		w.printf("func (v %s) LogValue() slog.Value { return redact.LogValue(v%s) }\n", name, args)
	}
	return w.gofmt()
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strconv.Quote(s)
	}
	return out
}

// fieldDocs lists a gen struct's fields as "Name  wire_key" lines, nested
// structs' keys under their parent's.
func (g *genNames) fieldDocs(typ string) ([]string, error) {
	st := g.structs[typ]
	if st == nil {
		return nil, fmt.Errorf("gen has no struct %s", typ)
	}
	var out []string
	for _, f := range st.Fields.List {
		if len(f.Names) == 0 || f.Tag == nil {
			continue
		}
		tag, _ := strconv.Unquote(f.Tag.Value)
		key, opts, _ := strings.Cut(reflect.StructTag(tag).Get("form"), ",")
		if key == "" {
			key, opts, _ = strings.Cut(reflect.StructTag(tag).Get("json"), ",")
		}
		note := ""
		if !strings.Contains(opts, "omitempty") {
			note = " (required)"
		}
		out = append(out, fmt.Sprintf("%-28s %s%s", f.Names[0].Name, key, note))
	}
	return out, nil
}

// verbPhrase turns a summary into the rest of a Go doc sentence: "Create a
// payment intent" -> "creates a payment intent".
func verbPhrase(summary string) string {
	verb, rest, _ := strings.Cut(summary, " ")
	verb = strings.ToLower(verb[:1]) + verb[1:]
	if !strings.HasSuffix(verb, "s") {
		verb += "s"
	}
	return strings.TrimSpace(verb + " " + rest)
}

// docLinks turns the spec's `operationId` mentions into doc links to the
// methods: `createPaymentSourceUsingToken` -> [Client.CreatePaymentSourceUsingToken].
func docLinks(text string, ops []operation) string {
	for _, o := range ops {
		text = strings.ReplaceAll(text, "`"+o.ID+"`", "[Client."+o.Name+"]")
	}
	return text
}
