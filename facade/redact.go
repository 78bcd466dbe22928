package cbpay

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/cbpay/cbpay/internal/form"
)

const redacted = "[REDACTED]"

// secret holds the API key; every way of printing it prints [REDACTED].
type secret string

func (secret) String() string   { return redacted }
func (secret) GoString() string { return `"` + redacted + `"` }
func (secret) Format(f fmt.State, _ rune) {
	_, _ = f.Write([]byte(redacted))
}

// formatParams prints parameters as their wire fields, with every field the
// spec marks x-cbpay-sensitive (tokens, card digits) redacted:
// {customer_id:cust_1 token_id:[REDACTED]}.
func formatParams(f fmt.State, opID string, v any) {
	b := ops()
	if b.err != nil {
		fmt.Fprintf(f, "{%s}", redacted)
		return
	}
	op := b.byID[opID]
	root, err := op.checker.Plan.Root(v)
	if err != nil {
		fmt.Fprintf(f, "{%s}", redacted)
		return
	}
	var sb strings.Builder
	sb.WriteByte('{')
	for i := range op.checker.Plan.Fields {
		fd := &op.checker.Plan.Fields[i]
		val, ok := fd.Value(root)
		if !ok {
			continue
		}
		if sb.Len() > 1 {
			sb.WriteByte(' ')
		}
		sb.WriteString(fd.Key)
		sb.WriteByte(':')
		switch {
		case op.checker.Sensitive(i):
			sb.WriteString(redacted)
		case fd.Kind == form.JSON || fd.Kind == form.Slice:
			// Free-form objects may hold anything a gateway wants, documents
			// and fraud ids included: show their shape, not their content.
			sb.WriteString("{…}")
		default:
			fmt.Fprint(&sb, reflect.Indirect(val).Interface())
		}
	}
	sb.WriteByte('}')
	_, _ = f.Write([]byte(sb.String()))
}

// Format prints the parameters with tokens and card data redacted.
func (p CreatePaymentIntentParams) Format(f fmt.State, _ rune) {
	formatParams(f, opCreatePaymentIntent, &p)
}

// Format prints the parameters with tokens and card data redacted.
func (p CreateUsingTokenParams) Format(f fmt.State, _ rune) {
	formatParams(f, opCreateUsingToken, &p)
}

// Format prints the parameters with tokens and card data redacted.
func (p CreateUsingPermanentTokenParams) Format(f fmt.State, _ rune) {
	formatParams(f, opCreateUsingPermanentToken, &p)
}

// Format prints the parameters with tokens and card data redacted.
func (p UpdatePaymentMethodParams) Format(f fmt.State, _ rune) {
	formatParams(f, opUpdatePaymentMethod, &p)
}

// Format prints the parameters with tokens and card data redacted.
func (p CardUsingPaymentIntentParams) Format(f fmt.State, _ rune) {
	formatParams(f, opCardUsingPaymentIntent, &p)
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
