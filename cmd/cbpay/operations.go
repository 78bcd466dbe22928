package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/internal/form"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/cbpay/cbpay/internal/rules"
)

// operationCommand ties a subcommand to one operation of the spec. Its
// flags are the operation's wire fields, read from the spec's rules
// (generated into internal/rules): card[last4] becomes --card.last4.
type operationCommand struct {
	use, short string
	opID       string
	// call runs the operation; params is a pointer to a fresh parameter
	// struct filled from the flags.
	newParams func() any
	call      func(ctx context.Context, c *cbpay.Client, pathID string, params any, opts ...cbpay.RequestOption) (result any, meta cbpay.Response, err error)
}

var operationCommands = []operationCommand{
	{
		use: "create-payment-intent", short: "Create a payment intent (POST /api/v2/payment_intents)",
		opID: "createPaymentIntent", newParams: func() any { return &cbpay.CreatePaymentIntentParams{} },
		call: func(ctx context.Context, c *cbpay.Client, _ string, p any, o ...cbpay.RequestOption) (any, cbpay.Response, error) {
			r, err := c.CreatePaymentIntent(ctx, p.(*cbpay.CreatePaymentIntentParams), o...)
			if err != nil {
				return nil, cbpay.Response{}, err
			}
			return r.PaymentIntentResponse, r.Response, nil
		},
	},
	{
		use: "create-using-token", short: "Create a payment source from a Chargebee.js token (POST /api/v2/payment_sources/create_using_token)",
		opID: "createPaymentSourceUsingToken", newParams: func() any { return &cbpay.CreateUsingTokenParams{} },
		call: func(ctx context.Context, c *cbpay.Client, _ string, p any, o ...cbpay.RequestOption) (any, cbpay.Response, error) {
			r, err := c.CreatePaymentSourceUsingToken(ctx, p.(*cbpay.CreateUsingTokenParams), o...)
			if err != nil {
				return nil, cbpay.Response{}, err
			}
			return r.PaymentSourceResponse, r.Response, nil
		},
	},
	{
		use: "create-using-permanent-token", short: "Create a payment source from a gateway's permanent token (POST /api/v2/payment_sources/create_using_permanent_token)",
		opID: "createPaymentSourceUsingPermanentToken", newParams: func() any { return &cbpay.CreateUsingPermanentTokenParams{} },
		call: func(ctx context.Context, c *cbpay.Client, _ string, p any, o ...cbpay.RequestOption) (any, cbpay.Response, error) {
			r, err := c.CreatePaymentSourceUsingPermanentToken(ctx, p.(*cbpay.CreateUsingPermanentTokenParams), o...)
			if err != nil {
				return nil, cbpay.Response{}, err
			}
			return r.PaymentSourceResponse, r.Response, nil
		},
	},
	{
		use: "update-payment-method", short: "Update a customer's payment method, deprecated by Chargebee (POST /api/v2/customers/{id}/update_payment_method)",
		opID: "updatePaymentMethod", newParams: func() any { return &cbpay.UpdatePaymentMethodParams{} },
		call: func(ctx context.Context, c *cbpay.Client, id string, p any, o ...cbpay.RequestOption) (any, cbpay.Response, error) {
			//lint:ignore SA1019 the deprecated operation is still one of the five this project covers
			r, err := c.UpdatePaymentMethod(ctx, id, p.(*cbpay.UpdatePaymentMethodParams), o...)
			if err != nil {
				return nil, cbpay.Response{}, err
			}
			return r.CustomerCardResponse, r.Response, nil
		},
	},
	{
		use: "card-using-payment-intent", short: "Store a card after 3DS with a payment intent (POST /api/v1/customers/{id}/credit_card_using_payment_intent)",
		opID: "createCardUsingPaymentIntent", newParams: func() any { return &cbpay.CardUsingPaymentIntentParams{} },
		call: func(ctx context.Context, c *cbpay.Client, id string, p any, o ...cbpay.RequestOption) (any, cbpay.Response, error) {
			r, err := c.CreateCardUsingPaymentIntent(ctx, id, p.(*cbpay.CardUsingPaymentIntentParams), o...)
			if err != nil {
				return nil, cbpay.Response{}, err
			}
			return r.V1CustomerCardResponse, r.Response, nil
		},
	},
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

func newOperation(g *globals, oc operationCommand) *cobra.Command {
	spec, err := rules.Load()
	if err != nil {
		panic(fmt.Sprintf("embedded spec: %v", err)) // the spec is compiled in and tested
	}
	op := spec.Operations[oc.opID]
	values := map[string]*string{}  // body fields by wire key
	headers := map[string]*string{} // header flags by header name
	var pathID, idemKey string
	cmd := &cobra.Command{
		Use:   oc.use + " [flags]",
		Short: oc.short,
		Long: oc.short + "\n\nFlags are the operation's fields as Chargebee names them, with dots for " +
			"brackets (--card.last4 is card[last4]). The result is printed as JSON.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			params := oc.newParams()
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
			res, meta, err := oc.call(cmd.Context(), t.client, pathID, params, opts...)
			if err != nil {
				return err
			}
			out, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), string(out))
			fmt.Fprintf(cmd.ErrOrStderr(), "%d, %s, idempotency key %s, replayed %t\n",
				meta.StatusCode, plural(meta.Attempts, "attempt", "attempts"), meta.IdempotencyKey, meta.Replayed)
			return nil
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&g.fake, "fake", false, "run against an in-process fake Chargebee, in which the customer named by the command exists")
	fs.StringVar(&idemKey, "idempotency-key", "", "chargebee-idempotency-key (default: a new UUID)")
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
	// Chargebee ignores the plain form when the encoded one is present.
	cmd.MarkFlagsMutuallyExclusive("request-origin-user", "request-origin-user-encoded")
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
