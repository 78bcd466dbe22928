package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/cbpay/cbpay/internal/rules"
)

// commandName is an operation's subcommand: its operationId in words,
// createPaymentSourceUsingToken -> create-payment-source-using-token.
func commandName(id string) string {
	var b strings.Builder
	for i, r := range id {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// flagName turns a wire key into a flag name: card[last4] -> card.last4.
func flagName(key string) string {
	segs, err := form.SplitKey(key)
	if err != nil {
		return key
	}
	return strings.Join(segs, ".")
}

func flagUsage(r *rules.Rule) string {
	var parts []string
	if r.Description != "" {
		// pflag reads a `quoted` word as the value's name: drop the quotes.
		parts = append(parts, strings.ReplaceAll(strings.Join(strings.Fields(r.Description), " "), "`", ""))
	}
	var facts []string
	switch r.Type {
	case "integer":
		facts = append(facts, "integer")
	case "boolean":
		facts = append(facts, "true or false")
	case "object":
		facts = append(facts, "a JSON object")
	}
	if r.Required {
		facts = append(facts, "required")
	}
	if len(r.Enum) > 0 {
		facts = append(facts, "one of "+strings.Join(r.Enum, ", "))
	}
	switch {
	case r.MaxLength >= 0 && r.MinLength == r.MaxLength:
		facts = append(facts, fmt.Sprintf("exactly %d characters", r.MaxLength))
	case r.MaxLength >= 0:
		facts = append(facts, fmt.Sprintf("at most %d characters", r.MaxLength))
	}
	if r.Pattern != nil {
		facts = append(facts, "matching "+r.Pattern.String())
	}
	if r.Min != nil {
		facts = append(facts, "min "+strconv.FormatFloat(*r.Min, 'f', -1, 64))
	}
	if r.Max != nil {
		facts = append(facts, "max "+strconv.FormatFloat(*r.Max, 'f', -1, 64))
	}
	if len(facts) > 0 {
		parts = append(parts, "("+strings.Join(facts, "; ")+")")
	}
	return strings.Join(parts, " ")
}

// newOperation is the subcommand of one operation, everything about it read
// from the client's operation table and the spec's rules: its name, flags,
// help and call. Its flags are the operation's wire fields: card[last4]
// becomes --card.last4.
func newOperation(g *globals, oc cbpay.Operation) *cobra.Command {
	op := rules.Load().Operations[oc.ID]
	short := fmt.Sprintf("%s (%s %s)", oc.Summary, oc.Method, oc.Path)
	if oc.Deprecated {
		short = fmt.Sprintf("%s, deprecated by Chargebee (%s %s)", oc.Summary, oc.Method, oc.Path)
	}
	values := map[string]*string{}  // body fields by wire key
	headers := map[string]*string{} // header flags by header name
	var pathID, idemKey string
	cmd := &cobra.Command{
		Use:   commandName(oc.ID) + " [flags]",
		Short: short,
		Long: short + "\n\nFlags are the operation's fields as Chargebee names them, with dots for " +
			"brackets (--card.last4 is card[last4]). The result is printed as JSON.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			params := oc.NewParams()
			if err := fillParams(params, op, cmd, values); err != nil {
				return err
			}
			t, err := g.connect(false)
			if err != nil {
				return err
			}
			defer t.close()
			if t.fake != nil {
				// A fresh fake holds no customers, and Chargebee answers 404
				// for one that does not exist: the customer this command
				// names is created in the fake first, as it would exist on
				// a real site.
				for _, id := range []string{pathID, ptr.Deref(values["customer_id"])} {
					if id != "" {
						t.fake.AddCustomer(id)
					}
				}
			}
			var opts []cbpay.RequestOption
			if idemKey != "" {
				opts = append(opts, cbpay.WithIdempotencyKey(idemKey))
			}
			for _, name := range slices.Sorted(maps.Keys(headers)) {
				v := headers[name]
				switch {
				case !cmd.Flags().Changed(strings.TrimPrefix(name, "chargebee-")):
				case name == cbpay.HeaderOriginUser:
					opts = append(opts, cbpay.WithOriginUser(*v)) // Base64 form when not ASCII
				default:
					opts = append(opts, cbpay.WithHeader(name, *v))
				}
			}
			_, meta, err := oc.Call(cmd.Context(), t.client, pathID, params, opts...)
			if err != nil {
				return err
			}
			// Chargebee's answer as it came, every attribute included.
			var out bytes.Buffer
			if err := json.Indent(&out, meta.Raw, "", "  "); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), out.String())
			if meta.IdempotencyKey == "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d, %s\n", meta.StatusCode, plural(meta.Attempts, "attempt", "attempts"))
			} else {
				fmt.Fprintf(cmd.ErrOrStderr(), "%d, %s, idempotency key %s, replayed %t\n",
					meta.StatusCode, plural(meta.Attempts, "attempt", "attempts"), meta.IdempotencyKey, meta.Replayed)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&g.fake, "fake", false, "run against an in-process fake Chargebee, in which the customer named by the command exists")
	if _, ok := op.Headers[cbpay.HeaderIdempotencyKey]; ok { // not for a GET
		fs.StringVar(&idemKey, "idempotency-key", "", "chargebee-idempotency-key (default: a new UUID)")
	}
	for name, r := range op.Headers {
		if name == cbpay.HeaderIdempotencyKey {
			continue
		}
		headers[name] = fs.String(strings.TrimPrefix(name, "chargebee-"), "", flagUsage(r)+" [header "+name+"]")
	}
	for name, r := range op.Params {
		fs.StringVar(&pathID, name, "", flagUsage(r))
	}
	for _, key := range op.Keys() {
		r := op.Body[key]
		values[key] = fs.String(flagName(key), "", flagUsage(r))
	}
	// A header and a body field of the same name (business entity) are
	// two ways to say one thing: one of them per command line.
	for name := range headers {
		flag := strings.TrimPrefix(name, "chargebee-")
		if body := strings.ReplaceAll(flag, "-", "_"); fs.Lookup(body) != nil {
			cmd.MarkFlagsMutuallyExclusive(flag, body)
		}
	}
	// Chargebee ignores the plain form when the encoded one is present.
	if fs.Lookup("request-origin-user") != nil && fs.Lookup("request-origin-user-encoded") != nil {
		cmd.MarkFlagsMutuallyExclusive("request-origin-user", "request-origin-user-encoded")
	}
	return cmd
}

// fillParams builds the parameters from the flags that were set: it
// nests them by their wire keys, converts each to the type the spec gives
// it, and decodes the result into the parameter struct by its json tags.
func fillParams(params any, op *rules.Operation, cmd *cobra.Command, values map[string]*string) error {
	tree := map[string]any{}
	for key, v := range values {
		if !cmd.Flags().Changed(flagName(key)) {
			continue
		}
		r := op.Body[key]
		val, err := convert(r, *v)
		if err != nil {
			return usagef("--%s: %w", flagName(key), err)
		}
		segs, _ := form.SplitKey(key)
		m := tree
		for _, s := range segs[:len(segs)-1] {
			next, ok := m[s].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[s] = next
			}
			m = next
		}
		m[segs[len(segs)-1]] = val
	}
	data, err := json.Marshal(tree)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, params); err != nil {
		return usagef("parameters: %w", err)
	}
	return nil
}

func convert(r *rules.Rule, v string) (any, error) {
	switch r.Type {
	case "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer", v)
		}
		return n, nil
	case "boolean":
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("%q is not true or false", v)
		}
		return b, nil
	case "object":
		var m map[string]any
		if err := json.Unmarshal([]byte(v), &m); err != nil || m == nil {
			return nil, fmt.Errorf("must be a JSON object")
		}
		return m, nil
	}
	return v, nil
}
