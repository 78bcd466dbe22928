package cbpay

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"

	"github.com/cbpay/cbpay/internal/rules"
)

const formContentType = "application/x-www-form-urlencoded"

// operation is what the call pipeline needs to know of one operation: its
// rules from the spec, bound to its parameter type, and the generated
// request builder its URL comes from.
type operation struct {
	id      string
	method  string // POST, or GET for an operation that only reads
	index   int    // in Client.endpoints
	spec    *rules.Operation
	checker *rules.Checker
	// resources are those the response model requires (see decodeResult).
	resources []resource
	// idempotent: Chargebee honours the idempotency key for it, so a retry
	// after the call may have been applied is answered by replay.
	idempotent bool
	// request is the generated ...RequestWithBody builder. A client calls
	// it once, with a placeholder for the path id, to learn the URL (see
	// newEndpoint): building every request with it would parse, print and
	// parse the URL again on every call (about 4 µs and 10 allocations).
	request func(server, pathID string) (*http.Request, error)
}

// opDef is an operation as the spec declares it; operations.gen.go
// writes one for each (opDefs), from which the methods, the types, the
// command's subcommands and the fake's routing all derive.
type opDef struct {
	id, name, method, path, summary string
	deprecated                      bool
	idempotent                      bool         // safe to retry after a lost answer (x-cbpay-idempotent)
	pathParam                       string       // "" without a path parameter
	params, result                  reflect.Type // XParams, and the answer's model
	// request is the generated ...RequestWithBody builder (see newEndpoint).
	request   func(server, pathID string) (*http.Request, error)
	newParams func() any
	call      func(ctx context.Context, c *Client, pathID string, params any, opts []RequestOption) (any, Response, error)
}

// Operation describes one of the client's operations, as the spec declares
// it: what a tool built on the client (the cbpay command, docs) lists and
// calls without naming each operation.
type Operation struct {
	ID      string // the spec's operationId: createPaymentIntent
	Name    string // the method's name: CreatePaymentIntent
	Method  string
	Path    string // /api/v2/payment_intents
	Summary string
	// Deprecated is true for an operation Chargebee supersedes.
	Deprecated bool
	// PathParam names the path parameter (customer_id), "" without one.
	PathParam string
	// NewParams returns a new *XParams.
	NewParams func() any
	// Call calls the method with pathID (when PathParam is set) and params,
	// a *XParams, and returns its *XResult.
	Call func(ctx context.Context, c *Client, pathID string, params any, opts ...RequestOption) (result any, resp Response, err error)
}

// wrongParams is the error of an Operation.Call given parameters of another
// type: a tool's mistake, reported like any refused parameter rather than
// a panic.
func wrongParams(opID string, got, want any) error {
	return &ValidationError{Operation: opID, Problems: []FieldError{{Field: "parameters",
		Rule: fmt.Sprintf("must be a %T, not %T", want, got)}}}
}

// Operations lists the client's operations in the spec's order.
func Operations() []Operation {
	out := make([]Operation, len(opDefs))
	for i, d := range opDefs {
		call := d.call
		out[i] = Operation{ID: d.id, Name: d.name, Method: d.method, Path: d.path, Summary: d.summary,
			Deprecated: d.deprecated, PathParam: d.pathParam, NewParams: d.newParams,
			Call: func(ctx context.Context, c *Client, pathID string, params any, opts ...RequestOption) (any, Response, error) {
				return call(ctx, c, pathID, params, opts)
			}}
	}
	return out
}

type operations struct {
	list     [numOps]*operation
	byID     map[string]*operation
	byParams map[reflect.Type]*operation // by *XParams
	err      error
}

// ops binds each operation's parameter type to its rules, once. The rules
// and the plans are generated from the spec (internal/rules), so this
// reads tables: no spec is parsed. The result is immutable.
var ops = sync.OnceValue(func() operations {
	s := rules.Load()
	out := operations{byID: make(map[string]*operation, numOps), byParams: make(map[reflect.Type]*operation, numOps)}
	for i, d := range opDefs {
		spec, ok := s.Operations[d.id]
		if !ok {
			return operations{err: fmt.Errorf("cbpay: spec has no operation %s", d.id)}
		}
		c, err := rules.Bind(spec, d.params)
		if err != nil {
			return operations{err: err}
		}
		op := &operation{id: d.id, method: d.method, index: i, spec: spec, checker: c, resources: resources(d.result), request: d.request, idempotent: d.idempotent}
		out.list[i] = op
		out.byID[d.id] = op
		out.byParams[reflect.PointerTo(d.params)] = op
	}
	return out
})

// pathIDPlaceholder stands for the path id when a client learns an
// operation's URL: letters only, so escaping leaves it as it is.
const pathIDPlaceholder = "cbpayPathIdPlaceholder"

// endpoint is an operation's URL for one client: prefix alone, or prefix,
// the escaped path id and suffix.
type endpoint struct {
	prefix, suffix string
	hasID          bool
}

// newEndpoint asks the operation's generated request builder for its URL
// on server once, with a placeholder path id, and keeps the parts around
// it.
func newEndpoint(op *operation, server string) (endpoint, error) {
	req, err := op.request(server, pathIDPlaceholder)
	if err != nil {
		return endpoint{}, err
	}
	if req.Method != op.method || req.Method != http.MethodPost && req.Method != http.MethodGet {
		return endpoint{}, fmt.Errorf("generated request is %s, not %s", req.Method, op.method)
	}
	u := req.URL.String()
	if len(op.spec.Params) == 0 {
		return endpoint{prefix: u}, nil
	}
	prefix, suffix, ok := strings.Cut(u, pathIDPlaceholder)
	if !ok || strings.Contains(suffix, pathIDPlaceholder) {
		return endpoint{}, fmt.Errorf("generated URL %s does not hold the path id once", u)
	}
	return endpoint{prefix: prefix, suffix: suffix, hasID: true}, nil
}

// url returns the endpoint's URL for a path id, escaped as the generated
// request builder escapes it (url.PathEscape).
func (e *endpoint) url(pathID string) string {
	if !e.hasID {
		return e.prefix
	}
	return e.prefix + url.PathEscape(pathID) + e.suffix
}
