package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/spf13/cobra"
)

func newDemo(g *globals) *cobra.Command {
	var customer string
	cmd := &cobra.Command{
		Use:   "demo [flags]",
		Short: "Run a store-card integration end to end (against an in-process fake unless --site is given)",
		Long: `demo runs a real integration's flow: create a payment intent, authorize it
(the 3DS step), store the card with it through API v1; again through API v2
(retrieving the intent to see it authorized, then creating a payment source
from it); create payment sources from a Chargebee.js token and from a
gateway's permanent token with card and billing address; update a customer's
payment method; and list the customer's payment sources, every page.

With no flags and no CHARGEBEE_* variables it starts the fake Chargebee
in-process and creates the demo's customer in it. With --base-url pointing
at a cbpay serve it runs there: it creates its customer and runs the 3DS
step through the server's test hooks (POST /_cbpay/customers/{id},
POST /_cbpay/payment_intents/{id}/authorize); every run uses fresh ids and
tokens, so it can run any number of times in a row. With --site and
--api-key it runs against that site (--site acme-test, or --site acme
--test, for the test site; a live site needs --live) with the customer
named by --customer, which must exist there; the 3DS step needs a browser,
and the tokens are made up, so expect Chargebee to refuse some steps.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			t, err := g.connect(true)
			if err != nil {
				return err
			}
			defer t.close()
			return runDemo(cmd.Context(), cmd.OutOrStdout(), t, customer)
		},
	}
	cmd.Flags().StringVar(&customer, "customer", "", "the customer to use (default: a new id each run; a server that does not create customers needs one it knows, such as cbpay serve --customer ID)")
	return cmd
}

// demo prints a short account of each step.
type demo struct {
	out      io.Writer
	step     int
	failures int
	used     map[string]bool // operations the demo ran
}

func (d *demo) title(what, route string) {
	d.step++
	fmt.Fprintf(d.out, "\n%d. %s\n", d.step, what)
	if route != "" {
		fmt.Fprintf(d.out, "   %s\n", route)
	}
}

func (d *demo) line(format string, args ...any) {
	fmt.Fprintf(d.out, "   "+format+"\n", args...)
}

// operation starts the step of one of the client's operations, titled by
// the spec's summary and route (pathID in place of its path parameter).
func (d *demo) operation(id, pathID string) {
	for _, op := range cbpay.Operations() {
		if op.ID == id {
			path := op.Path
			if op.PathParam != "" {
				path = strings.Replace(path, "{"+op.PathParam+"}", pathID, 1)
			}
			d.title(op.Summary, op.Method+" "+path)
			d.used[id] = true
			return
		}
	}
	panic("demo: no operation " + id) // the demo and the spec are tested together
}

// failed reports err, if any, as the step's outcome.
func (d *demo) failed(err error) bool {
	if err == nil {
		return false
	}
	d.failures++
	d.line("✗ %v", err)
	return true
}

// ok reports the exchange of a step that succeeded.
func (d *demo) ok(meta cbpay.Response) {
	if meta.IdempotencyKey == "" { // a GET
		d.line("→ %d in %s", meta.StatusCode, plural(meta.Attempts, "attempt", "attempts"))
		return
	}
	d.line("→ %d in %s, idempotency key %s", meta.StatusCode, plural(meta.Attempts, "attempt", "attempts"), meta.IdempotencyKey)
}

// authorize runs the 3DS step of an intent: in the fake, over a cbpay
// serve's test hook, or not at all on a real site (it needs a browser).
func (d *demo) authorize(ctx context.Context, t *target, intentID string) {
	d.title("Authorize the intent: the 3DS step Chargebee.js runs in the customer's browser", "")
	switch {
	case intentID == "":
		d.line("skipped: no intent")
	case t.fake == nil && t.baseURL != "":
		// A cbpay serve stands in for Chargebee.js through its test hook.
		if err := postHook(ctx, t.baseURL, hookPath(intentID), http.StatusNoContent); err != nil {
			d.failures++
			d.line("✗ %v", err)
		} else {
			d.line("→ payment intent %s: authorized (POST %s)", intentID, hookPath(intentID))
		}
	case t.fake == nil:
		d.line("skipped: on a real site this needs Chargebee.js in a browser")
	default:
		if err := t.fake.AuthorizePaymentIntent(intentID); err != nil {
			d.failures++
			d.line("✗ %v", err)
		} else {
			p, _ := t.fake.PaymentIntent(intentID)
			d.line("→ payment intent %s: %s", intentID, p.Status)
		}
	}
}

func runDemo(ctx context.Context, out io.Writer, t *target, customer string) error {
	c := t.client
	d := &demo{out: out, used: map[string]bool{}}
	fmt.Fprintf(out, "cbpay demo against %s\n", t.where)
	// Ids unique to this run, so that runs in a row never meet each other's
	// state: Chargebee.js tokens are single use.
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	if customer == "" {
		customer = "cust_demo_" + run
		// Like Chargebee, the fake wants the customer to exist already, and
		// this API cannot create one: the demo creates it in the fake.
		switch {
		case t.fake != nil:
			t.fake.AddCustomer(customer)
			fmt.Fprintf(out, "customer %s created in the fake (on a real site it must exist already)\n", customer)
		case t.baseURL != "":
			if err := postHook(ctx, t.baseURL, hookCustomerPath(customer), http.StatusOK); err != nil {
				return err
			}
			fmt.Fprintf(out, "customer %s created over the test hook (on a real site it must exist already)\n", customer)
		}
	}

	d.operation("createPaymentIntent", "")
	pip := &cbpay.CreatePaymentIntentParams{Amount: 4900, CurrencyCode: "USD", CustomerID: &customer}
	d.line("%v", pip)
	pi, err := c.CreatePaymentIntent(ctx, pip)
	var intentID string
	if !d.failed(err) {
		d.ok(pi.Response)
		p := pi.PaymentIntent
		d.line("  payment intent %s: %s, %d %s, expires %s", p.ID, p.Status, p.Amount, str(p.CurrencyCode), time.Unix(p.ExpiresAt, 0).UTC().Format(time.RFC3339))
		intentID = p.ID
	}

	d.authorize(ctx, t, intentID)

	d.operation("createCardUsingPaymentIntent", customer)
	cp := &cbpay.CreateCardUsingPaymentIntentParams{PaymentIntentID: &intentID}
	d.line("%v", cp)
	card, err := c.CreateCardUsingPaymentIntent(ctx, customer, cp)
	if !d.failed(err) {
		d.ok(card.Response)
		if k := card.Card; k != nil {
			d.line("  card %s ••••%s, %s; customer %s", str((*string)(k.CardType)), str(k.Last4), k.Status, card.Customer.ID)
		}
	}

	// The same after 3DS through API v2: the answer is the payment source.
	d.operation("createPaymentIntent", "")
	pip2 := &cbpay.CreatePaymentIntentParams{Amount: 0, CurrencyCode: "USD", CustomerID: &customer}
	d.line("%v", pip2)
	pi2, err := c.CreatePaymentIntent(ctx, pip2)
	var intent2 string
	if !d.failed(err) {
		d.ok(pi2.Response)
		intent2 = pi2.PaymentIntent.ID
		d.line("  payment intent %s: %s", intent2, pi2.PaymentIntent.Status)
	}
	d.authorize(ctx, t, intent2)
	d.operation("retrievePaymentIntent", intent2)
	got, err := c.RetrievePaymentIntent(ctx, intent2, nil)
	if !d.failed(err) {
		d.ok(got.Response)
		d.line("  payment intent %s: %s", got.PaymentIntent.ID, got.PaymentIntent.Status)
	}
	d.operation("createPaymentSourceUsingPaymentIntent", "")
	vp := &cbpay.CreatePaymentSourceUsingPaymentIntentParams{CustomerID: customer, PaymentIntent: &cbpay.PaymentIntentParams{ID: &intent2}}
	d.line("%v", vp)
	v2, err := c.CreatePaymentSourceUsingPaymentIntent(ctx, vp)
	if !d.failed(err) {
		d.ok(v2.Response)
		d.paymentSource(v2.PaymentSourceResponse)
	}

	d.operation("createPaymentSourceUsingToken", "")
	tp := &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: customer, TokenID: "cb_demo_tok_" + run, ReplacePrimaryPaymentSource: cbpay.Ptr(true)}
	d.line("%v", tp)
	ps, err := c.CreatePaymentSourceUsingToken(ctx, tp)
	if !d.failed(err) {
		d.ok(ps.Response)
		d.paymentSource(ps.PaymentSourceResponse)
	}

	d.operation("createPaymentSourceUsingPermanentToken", "")
	pp := &cbpay.CreatePaymentSourceUsingPermanentTokenParams{
		CustomerID: customer, Type: cbpay.PaymentMethodTypeCard,
		PaymentMethodToken: cbpay.Ptr("pm_demo_1NxYz2"), CustomerProfileToken: cbpay.Ptr("cus_demo_OqWe12"),
		ReplacePrimaryPaymentSource: cbpay.Ptr(false),
		Card: &cbpay.CardParams{IIN: cbpay.Ptr("555555"), Last4: cbpay.Ptr("4444"), Brand: cbpay.Ptr(cbpay.CardBrandMastercard),
			FundingType: cbpay.Ptr(cbpay.CardFundingTypeDebit), ExpiryMonth: cbpay.Ptr(11), ExpiryYear: cbpay.Ptr(2031)},
		BillingAddress: &cbpay.BillingAddressParams{FirstName: cbpay.Ptr("Zoë"), LastName: cbpay.Ptr("Ñúñez"),
			Line1: cbpay.Ptr("12 Rua Augusta"), City: cbpay.Ptr("São Paulo"), Zip: cbpay.Ptr("01305-000"), Country: cbpay.Ptr("BR")},
		AdditionalInformation: &cbpay.AdditionalInformation{"payer": map[string]any{"document": "12345678909"}},
	}
	d.line("%v", pp)
	ps2, err := c.CreatePaymentSourceUsingPermanentToken(ctx, pp)
	if !d.failed(err) {
		d.ok(ps2.Response)
		d.paymentSource(ps2.PaymentSourceResponse)
	}

	d.operation("updatePaymentMethod", customer)
	up := &cbpay.UpdatePaymentMethodParams{PaymentMethod: &cbpay.PaymentMethodParams{
		Type: cbpay.PaymentMethodTypePaypalExpressCheckout, ReferenceID: cbpay.Ptr("B-5YT84129JC1234567")}}
	d.line("%v", up)
	//lint:ignore SA1019 the deprecated operation is still one of the five this project covers
	upd, err := c.UpdatePaymentMethod(ctx, customer, up)
	if !d.failed(err) {
		d.ok(upd.Response)
		if pm := upd.Customer.PaymentMethod; pm != nil {
			d.line("  customer %s pays by %s (%s)", upd.Customer.ID, pm.Type, pm.Status)
		}
	}

	d.operation("listPaymentSources", "")
	lp := &cbpay.ListPaymentSourcesParams{CustomerID: &cbpay.CustomerIDFilter{Is: &customer}, Limit: cbpay.Ptr(100)}
	d.line("%v (every page, with AllPaymentSources)", lp)
	n := 0
	for src, err := range c.AllPaymentSources(ctx, lp) {
		if d.failed(err) {
			break
		}
		n++
		d.line("  payment source %s: %s, %s", src.ID, src.Type, src.Status)
	}
	d.line("→ %s of customer %s", plural(n, "payment source", "payment sources"), customer)

	fmt.Fprintln(out)
	if d.failures > 0 {
		return fmt.Errorf("%s of %d failed", plural(d.failures, "step", "steps"), d.step)
	}
	fmt.Fprintf(out, "All %d operations succeeded (%d steps). Tokens and card digits above are redacted by the library.\n", len(d.used), d.step)
	return nil
}

// hookPath is the path of cbpay serve's 3DS test hook for an intent.
func hookPath(intentID string) string {
	return hookIntents + url.PathEscape(intentID) + hookAuthorizeTail
}

// hookCustomerPath is the path of cbpay serve's test hook that creates a
// customer.
func hookCustomerPath(id string) string { return hookCustomers + url.PathEscape(id) }

// postHook calls a test hook of the cbpay serve at baseURL and wants the
// status want. The hooks take no credentials, and none are sent.
func postHook(ctx context.Context, baseURL, path string, want int) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(baseURL, "/")+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("test hook %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != want {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return fmt.Errorf("test hook %s: %s: %s (is %s a cbpay serve?)", path, resp.Status, strings.TrimSpace(string(msg)), baseURL)
	}
	return nil
}

func (d *demo) paymentSource(ps cbpay.PaymentSourceResponse) {
	s := ps.PaymentSource
	desc := string(s.Type)
	if k := s.Card; k != nil {
		desc = fmt.Sprintf("%s %s ••••%s exp %02d/%d", desc, str((*string)(k.Brand)), str(k.Last4), ptr.Deref(k.ExpiryMonth), ptr.Deref(k.ExpiryYear))
	}
	primary := ""
	if ps.Customer.PrimaryPaymentSourceID != nil && *ps.Customer.PrimaryPaymentSourceID == s.ID {
		primary = ", primary"
	}
	d.line("  payment source %s: %s, %s%s", s.ID, desc, s.Status, primary)
}

func str(p *string) string {
	if p == nil || *p == "" {
		return "-"
	}
	return strings.TrimSpace(*p)
}
