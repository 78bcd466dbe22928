package cbpay

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/redact"
)

const redacted = redact.Mask

// secret holds the API key; every way of printing it prints [REDACTED].
type secret string

func (secret) String() string   { return redacted }
func (secret) GoString() string { return `"` + redacted + `"` }
func (secret) Format(f fmt.State, _ rune) {
	_, _ = f.Write([]byte(redacted))
}

// paramFields lists the parameters that are set by their wire keys, as
// formatParams and paramsLogValue show them: every field the spec marks
// x-cbpay-sensitive (tokens, card digits) is [REDACTED], and free-form
// objects show {…}. ok is false when v cannot be read (nil, or the spec
// failed to load).
func paramFields(opID string, v any) (fields []redact.Field, ok bool) {
	b := ops()
	if b.err != nil {
		return nil, false
	}
	op := b.byID[opID]
	root, err := op.checker.Plan.Root(v)
	if err != nil {
		return nil, false
	}
	for i := range op.checker.Plan.Fields {
		fd := &op.checker.Plan.Fields[i]
		val, ok := fd.Value(root)
		if !ok {
			continue
		}
		switch {
		case op.checker.Sensitive(i):
			fields = append(fields, redact.Field{Name: fd.Key, Mask: redact.Mask})
		case fd.Kind == form.JSON || fd.Kind == form.Slice:
			// Free-form objects may hold anything a gateway wants, documents
			// and fraud ids included: show their shape, not their content.
			fields = append(fields, redact.Field{Name: fd.Key, Mask: redact.FreeForm})
		default:
			fields = append(fields, redact.Field{Name: fd.Key, Value: reflect.Indirect(val).Interface()})
		}
	}
	return fields, true
}

// formatParams prints parameters as their wire fields, with every field the
// spec marks x-cbpay-sensitive (tokens, card digits) redacted:
// {customer_id:cust_1 token_id:[REDACTED]}.
func formatParams(f fmt.State, opID string, v any) {
	fields, ok := paramFields(opID, v)
	if !ok {
		fmt.Fprintf(f, "{%s}", redacted)
		return
	}
	_, _ = f.Write([]byte(redact.Render(fields)))
}

// paramsLogValue is formatParams for log/slog: a group of the wire fields
// that are set, with the same redaction, so the JSON handler does not
// serialise the struct (and its tokens) by its tags.
func paramsLogValue(opID string, v any) slog.Value {
	fields, ok := paramFields(opID, v)
	if !ok {
		return slog.StringValue("{" + redacted + "}")
	}
	return redact.Group(fields)
}

// maskJSONValues shows the shape of a JSON body without its values: every
// string that is not an object key becomes "…", numbers, booleans and
// null stay. Keys and numbers go through scrub (an answer may echo the
// request with its values as keys); a number that held a secret becomes
// "[REDACTED]". A body that is not valid JSON shows only its size, since
// there is no telling what in it is a secret.
func maskJSONValues(body string, scrub func(string) string) string {
	if !json.Valid([]byte(body)) {
		return fmt.Sprintf("(%d bytes, not JSON)", len(body))
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	type container struct {
		object bool
		n      int // tokens written in it
	}
	var stack []container
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			break // io.EOF: json.Valid said the rest is well formed
		}
		key := false
		if d, ok := tok.(json.Delim); !ok || d == '{' || d == '[' {
			if len(stack) > 0 {
				top := &stack[len(stack)-1]
				switch {
				case top.object && top.n%2 == 1:
					b.WriteByte(':')
				case top.n > 0:
					b.WriteByte(',')
				}
				key = top.object && top.n%2 == 0
				top.n++
			}
		}
		switch t := tok.(type) {
		case json.Delim:
			b.WriteRune(rune(t))
			if t == '{' || t == '[' {
				stack = append(stack, container{object: t == '{'})
			} else {
				stack = stack[:len(stack)-1]
			}
		case string:
			if key {
				q, _ := json.Marshal(scrub(t))
				b.Write(q)
			} else {
				b.WriteString(`"…"`)
			}
		case json.Number:
			if n := t.String(); scrub(n) == n {
				b.WriteString(n)
			} else {
				b.WriteString(`"` + redacted + `"`)
			}
		case nil:
			b.WriteString("null")
		default:
			fmt.Fprint(&b, t)
		}
	}
	return b.String()
}

// A result keeps the parameters of its call (a pointer: 16 bytes, no
// allocation) to redact the values it sent when it is printed; they are
// read only then. Reusing the parameters for another call changes which
// values that finds; the values at sensitive key paths are redacted by name
// regardless.

// paramsOp is the operation whose parameters p holds.
func paramsOp(p any) string {
	if op := ops().byParams[reflect.TypeOf(p)]; op != nil {
		return op.id
	}
	return ""
}

// sensitivePaths are the key paths of the request fields the spec marks
// x-cbpay-sensitive in any operation ([reference_id], [card iin],
// [payment_method reference_id], ...) and of the attributes it marks in
// nested models, answers included ([card masked_number], [mandates id],
// [payment_source vault_token], ...). A value in a result whose key path
// ends with one of them is redacted: the resources in answers name the same
// things the same way (payment_source.card.last4,
// customer.payment_method.reference_id).
var sensitivePaths = sync.OnceValue(func() [][]string {
	b := ops()
	if b.err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out [][]string
	for _, p := range sensitiveModelPaths {
		seen[strings.Join(p, "\x00")] = true
		out = append(out, p)
	}
	for _, op := range b.byID {
		for i := range op.checker.Plan.Fields {
			f := &op.checker.Plan.Fields[i]
			if k := strings.Join(f.Segments, "\x00"); op.checker.Sensitive(i) && !seen[k] {
				seen[k] = true
				out = append(out, f.Segments)
			}
		}
	}
	return out
})

func sensitivePath(path []string) bool {
	for _, sp := range sensitivePaths() {
		if len(sp) <= len(path) && slices.Equal(sp, path[len(path)-len(sp):]) {
			return true
		}
	}
	return false
}

// maskResult returns the resources of a result as a JSON tree with every
// secret redacted: the values at sensitive key paths, and anywhere else the
// values the call sent in sensitive fields or found at those paths (a
// masked_number ends with the last4; a mandate's id is the mandate_id sent).
func maskResult(body any, params any) any {
	data, err := json.Marshal(body)
	if err != nil {
		return redacted
	}
	var tree any
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if dec.Decode(&tree) != nil {
		return redacted
	}
	sc := &scrubber{}
	if b := ops(); b.err == nil {
		if op := b.byID[paramsOp(params)]; op != nil {
			addSent(sc, op, params)
		}
	}
	tree = maskSensitive(tree, nil, sc)
	sc.finish()
	return scrubTree(tree, sc)
}

// maskSensitive replaces the values at sensitive key paths, adding them to
// sc. Array indexes are not part of a path.
func maskSensitive(v any, path []string, sc *scrubber) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			p := append(path[:len(path):len(path)], k)
			if sensitivePath(p) {
				sc.addLeaves(e)
				v[k] = redacted
			} else {
				v[k] = maskSensitive(e, p, sc)
			}
		}
	case []any:
		for i, e := range v {
			v[i] = maskSensitive(e, path, sc)
		}
	}
	return v
}

// scrubTree scrubs every string, number and key of a JSON tree.
func scrubTree(v any, sc *scrubber) any {
	switch v := v.(type) {
	case string:
		return sc.scrub(v)
	case json.Number:
		if n := v.String(); sc.scrub(n) != n {
			return redacted
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = scrubTree(e, sc)
		}
		return v
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[sc.scrub(k)] = scrubTree(e, sc)
		}
		return out
	}
	return v
}

// formatResult prints a result as its resources' JSON, secrets redacted,
// and the exchange behind it.
func formatResult(f fmt.State, body any, r Response, params any) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(maskResult(body, params))
	fmt.Fprintf(f, "%s (status %d, attempts %d, replayed %t, idempotency key %s)",
		strings.TrimSuffix(b.String(), "\n"), r.StatusCode, r.Attempts, r.Replayed, r.IdempotencyKey)
}

// resultLogValue is formatResult for log/slog: a group per resource, and
// the exchange as "response".
func resultLogValue(body any, r Response, params any) slog.Value {
	v := treeLogValue(maskResult(body, params))
	var attrs []slog.Attr
	if v.Kind() == slog.KindGroup {
		attrs = v.Group()
	}
	return slog.GroupValue(append(attrs, slog.Any("response", r))...)
}

// treeLogValue turns a JSON tree into slog values: objects become groups
// (keys sorted), so the text and JSON handlers print them alike.
func treeLogValue(v any) slog.Value {
	switch v := v.(type) {
	case map[string]any:
		attrs := make([]slog.Attr, 0, len(v))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			attrs = append(attrs, slog.Attr{Key: k, Value: treeLogValue(v[k])})
		}
		return slog.GroupValue(attrs...)
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return slog.Int64Value(n)
		}
		return slog.StringValue(v.String())
	case string:
		return slog.StringValue(v)
	case bool:
		return slog.BoolValue(v)
	}
	return slog.AnyValue(v) // nil, or an array of masked values
}

// Format prints the response with the values of Authorization,
// Proxy-Authorization, Cookie and Set-Cookie headers redacted.
func (r Response) Format(f fmt.State, verb rune) {
	type plain Response // without methods
	r.Header = redactCredentials(r.Header)
	out := fmt.Sprintf(fmt.FormatString(f, verb), plain(r))
	_, _ = io.WriteString(f, strings.Replace(out, "cbpay.plain{", "cbpay.Response{", 1))
}

// LogValue logs the response without its headers.
func (r Response) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("status", r.StatusCode),
		slog.Int("attempts", r.Attempts),
		slog.Bool("replayed", r.Replayed),
		slog.String("idempotency_key", r.IdempotencyKey))
}
