package chargebeetest

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/cbpay/cbpay/api"
	"github.com/cbpay/cbpay/internal/oas"
	"github.com/cbpay/cbpay/internal/rules"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// spec is the embedded OpenAPI document, parsed, validated and compiled
// into what a request needs: the operations with their routes and the body
// schemas. It is immutable once built, so every Handler shares one.
type spec struct {
	doc   *openapi3.T
	ops   []*operation
	rules *rules.Spec // the facade's rules, generated from the same document
}

// operation is one operation of the spec, ready to match and validate.
type operation struct {
	id       string
	method   string
	segments []string // "api", "v2", "customers", "{customer_id}", ...
	route    *routers.Route
	body     *openapi3.Schema // the form body's schema, or the query's (query)
	query    bool             // parameters come in the query string (a GET), not a body
	headers  map[string]bool  // lower-cased names of declared header parameters
	// conflicts are the wire keys that x-cbpay-conflicts-with forbids
	// together, read by internal/rules as the facade reads them.
	conflicts []conflict
}

type conflict struct{ key, other string }

// loadSpec parses the embedded spec once per process: the document never
// changes, and parsing it per request or per server would be wasted work.
var loadSpec = sync.OnceValues(func() (*spec, error) {
	return compileSpec(rules.Load())
})

// mustSpec returns the compiled embedded spec. The spec is part of the
// binary and covered by this package's tests, so failing here is a build
// defect, not a configuration error.
func mustSpec() *spec {
	s, err := loadSpec()
	if err != nil {
		panic(fmt.Sprintf("chargebeetest: embedded OpenAPI spec: %v", err))
	}
	return s
}

// compileSpec parses the embedded spec and builds the fake's routes and
// schemas from it; conflicts come from rs, the rules the facade checks,
// generated from the same document.
func compileSpec(rs *rules.Spec) (*spec, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate: %w", err)
	}
	s := &spec{doc: doc, rules: rs}
	paths := doc.Paths.Map()
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		item := paths[path]
		for method, op := range item.Operations() {
			// The most specific servers win: operation, path, document.
			servers := doc.Servers
			if len(item.Servers) > 0 {
				servers = item.Servers
			}
			if op.Servers != nil && len(*op.Servers) > 0 {
				servers = *op.Servers
			}
			prefix, err := basePath(servers)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			o, err := s.compile(prefix, path, method, item, op)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			s.ops = append(s.ops, o)
		}
	}
	for _, o := range s.ops {
		if behaviours[o.id] == nil {
			return nil, fmt.Errorf("operation %s has no behaviour in the fake", o.id)
		}
	}
	return s, nil
}

// basePath returns the path part of the servers' URLs (/api/v2), which must
// be the same for every server of a path.
func basePath(servers openapi3.Servers) (string, error) {
	prefix := ""
	for i, srv := range servers {
		// The host part holds variables ({site}.{environment}); the path
		// part does not, so it is everything from the first "/" after "//".
		_, rest, ok := strings.Cut(srv.URL, "://")
		if !ok {
			return "", fmt.Errorf("server %q has no scheme", srv.URL)
		}
		p := "/"
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			p = rest[i:]
		}
		if i > 0 && p != prefix {
			return "", fmt.Errorf("servers disagree on the base path: %s and %s", prefix, p)
		}
		prefix = p
	}
	if prefix == "" {
		return "", fmt.Errorf("no server")
	}
	return strings.TrimSuffix(prefix, "/"), nil
}

func (s *spec) compile(prefix, path, method string, item *openapi3.PathItem, op *openapi3.Operation) (*operation, error) {
	o := &operation{
		id:      op.OperationID,
		method:  method,
		headers: map[string]bool{},
		route: &routers.Route{
			Spec:      s.doc,
			Path:      path,
			PathItem:  item,
			Method:    method,
			Operation: op,
		},
	}
	o.segments = strings.Split(strings.Trim(prefix+path, "/"), "/")
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, p := range params {
			if p.Value.In == openapi3.ParameterInHeader {
				o.headers[strings.ToLower(p.Value.Name)] = true
			}
		}
	}
	if qs := oas.QuerySchema(item.Parameters, op.Parameters); qs != nil {
		// A GET's query is checked as a body is (see oas.QuerySchema).
		o.body, o.query = qs, true
	} else if op.RequestBody == nil || op.RequestBody.Value == nil {
		// No body: nothing may be sent (every key is undeclared).
		closed := false
		o.body = &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeObject}, Properties: openapi3.Schemas{},
			AdditionalProperties: openapi3.AdditionalProperties{Has: &closed}}
	} else {
		mt := op.RequestBody.Value.Content.Get(formContentType)
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
			return nil, fmt.Errorf("no %s body schema", formContentType)
		}
		o.body = mt.Schema.Value
	}
	ro, ok := s.rules.Operations[o.id]
	if !ok {
		return nil, fmt.Errorf("no rules for %s", o.id)
	}
	for _, key := range ro.Keys() {
		for _, other := range ro.Body[key].Conflicts {
			o.conflicts = append(o.conflicts, conflict{key: key, other: other})
		}
	}
	return o, nil
}

// match finds the operation for a request path (escaped, as sent) and
// returns its unescaped path parameters. pathFound reports whether some
// operation has this path, so that a wrong method can be told apart from an
// unknown path.
func (s *spec) match(method, escapedPath string) (op *operation, params map[string]string, pathFound bool) {
	segs := strings.Split(strings.TrimPrefix(escapedPath, "/"), "/")
	for _, o := range s.ops {
		p, ok := matchSegments(o.segments, segs)
		if !ok {
			continue
		}
		pathFound = true
		if o.method == method {
			return o, p, true
		}
	}
	return nil, nil, pathFound
}

func matchSegments(tmpl, segs []string) (map[string]string, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	var params map[string]string
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				return nil, false
			}
			if params == nil {
				params = map[string]string{}
			}
			params[t[1:len(t)-1]] = v
			continue
		}
		if t != segs[i] {
			return nil, false
		}
	}
	return params, true
}
