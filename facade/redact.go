package cbpay

import (
	"encoding/base64"
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

// scrubber returns a function that removes the API key, and the Basic
// credentials made from it, from text that came from elsewhere (an error
// page may echo a request).
func scrubber(key string) func(string) string {
	if len(key) < 4 {
		return func(s string) string { return s }
	}
	basic := base64.StdEncoding.EncodeToString([]byte(key + ":"))
	return func(s string) string {
		s = strings.ReplaceAll(s, basic, redacted)
		return strings.ReplaceAll(s, key, redacted)
	}
}

// maskJSONValues replaces the contents of every JSON string that is not an
// object key with "…", so an excerpt of a resource shows its shape but
// none of its ids, tokens or card digits. Text that is not JSON passes
// through with its quoted parts masked the same way.
func maskJSONValues(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '"' {
			b.WriteByte(s[i])
			i++
			continue
		}
		end := i + 1
		for end < len(s) && s[end] != '"' {
			if s[end] == '\\' {
				end++
			}
			end++
		}
		if end >= len(s) {
			b.WriteString(`"…`)
			break
		}
		next := end + 1
		for next < len(s) && (s[next] == ' ' || s[next] == '\n' || s[next] == '\t' || s[next] == '\r') {
			next++
		}
		if next < len(s) && s[next] == ':' {
			b.WriteString(s[i : end+1]) // a key
		} else {
			b.WriteString(`"…"`)
		}
		i = end + 1
	}
	return b.String()
}
