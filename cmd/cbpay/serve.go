package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/rules"
	"github.com/spf13/cobra"
)

func newServe() *cobra.Command {
	var (
		addr, key string
		customers []string
		hook      webhookFlags
	)
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the fake Chargebee as a local server, for tests in any language",
		Long: `serve runs the fake Chargebee on a local address until SIGINT or SIGTERM.

It serves the operations of the spec under /api/v2 and /api/v1, validates every
request against the embedded OpenAPI spec, keeps state in memory, and
replays idempotent requests like Chargebee. Authenticate with HTTP Basic,
the API key as user name and an empty password.

Like Chargebee, the payment source and customer operations answer 404
resource_not_found for a customer that does not exist, and this API has no
operation that creates one: start the server with --customer, or create
customers through the test hook.

With --webhook-url, the fake POSTs the events Chargebee would send for what
it does (payment_intent_created and _updated, payment_source_added, _updated
and _deleted, card_added, _updated and _deleted) as JSON to that URL, with
HTTP Basic auth when --webhook-user or --webhook-password is set, in order,
retrying a delivery that is not answered with 2xx up to 8 times with waits
from 20ms doubling.

Test hooks (not part of Chargebee's API; POST, no authentication):
  POST /_cbpay/customers/{id}                   create a customer (200 and {"customer":{...}}; an existing one is left as it is)
  POST /_cbpay/tokens/{id}                      say which card a Chargebee.js token stands for (204); the JSON
                                                body is the card: {"brand":"mastercard","funding_type":"debit",
                                                "iin":"555555","last4":"4444","expiry_month":11,"expiry_year":2031,
                                                "issuing_country":"BR","first_name":"...","last_name":"..."} (iin 6
                                                to 8 digits, last4 4, never a whole number); fields left out are
                                                left out of the answers (a token never told about is a US Visa
                                                4242 expiring 12/2035)
  POST /_cbpay/payment_intents/{id}/authorize   the 3DS step Chargebee.js would run (204); an optional JSON body
                                                is the card the customer entered, as for tokens`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, id := range customers {
				if err := checkHookCustomerID(id); err != nil {
					return usagef("--customer %q: %w", id, err)
				}
			}
			hookURL, err := hook.check()
			if err != nil {
				return usagef("%w", err)
			}
			// Nothing reads the request log of a standalone server: keep none.
			opts := []chargebeetest.Option{chargebeetest.WithAPIKey(key), chargebeetest.WithMaxRecordedRequests(0),
				chargebeetest.WithCustomers(customers...)}
			if hookURL != nil {
				opts = append(opts, chargebeetest.WithWebhook(hook.url, hook.user, hook.password))
			}
			h := chargebeetest.NewHandler(opts...)
			defer h.Close()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			srv := &http.Server{Handler: serveMux(h), ReadHeaderTimeout: 10 * time.Second}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "cbpay serve: fake Chargebee on http://%s (site root; operations under /api/v2 and /api/v1)\n", ln.Addr())
			fmt.Fprintf(out, "cbpay serve: API key %q (Basic auth user name, empty password); Ctrl-C stops\n", key)
			if len(customers) > 0 {
				fmt.Fprintf(out, "cbpay serve: customers %s; create more with POST /_cbpay/customers/{id}\n", strings.Join(customers, ", "))
			} else {
				fmt.Fprintln(out, "cbpay serve: no customers yet; create them with --customer or POST /_cbpay/customers/{id}")
			}
			if hookURL != nil {
				fmt.Fprintf(out, "cbpay serve: webhooks to %s%s\n", hookURL.Redacted(), hook.authNote())
			}
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-cmd.Context().Done():
			}
			fmt.Fprintln(out, "cbpay serve: shutting down")
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:12111", "address to listen on")
	cmd.Flags().StringVar(&key, "api-key", chargebeetest.DefaultAPIKey, "the API key the fake accepts")
	cmd.Flags().StringSliceVar(&customers, "customer", nil, "create a customer with this id at start (repeat the flag, or separate ids with commas)")
	cmd.Flags().StringVar(&hook.url, "webhook-url", "", "send Chargebee's events for what the fake does to this http(s) URL")
	cmd.Flags().StringVar(&hook.user, "webhook-user", "", "Basic auth user name for --webhook-url")
	cmd.Flags().StringVar(&hook.password, "webhook-password", "", "Basic auth password for --webhook-url (never printed)")
	return cmd
}

// webhookFlags are serve's --webhook-* flags.
type webhookFlags struct {
	url, user, password string
}

// check returns the parsed --webhook-url (nil when not given), refusing a
// URL that is not http(s) with a host, and credentials without a URL.
func (f webhookFlags) check() (*url.URL, error) {
	if f.url == "" {
		if f.user != "" || f.password != "" {
			return nil, errors.New("--webhook-user and --webhook-password need --webhook-url")
		}
		return nil, nil
	}
	u, err := url.Parse(f.url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("--webhook-url must be an http or https URL with a host")
	}
	return u, nil
}

// authNote says how deliveries authenticate, without the password.
func (f webhookFlags) authNote() string {
	if f.user == "" && f.password == "" {
		return " (no Basic auth)"
	}
	return fmt.Sprintf(" (Basic auth as user %q)", f.user)
}

// The fake's test hooks, beside the Chargebee API.
const (
	hookCustomers     = "/_cbpay/customers/"
	hookTokens        = "/_cbpay/tokens/"
	hookIntents       = "/_cbpay/payment_intents/"
	hookAuthorizeTail = "/authorize"
)

// maxHookCard bounds a hook's card body: a card is a few hundred bytes.
const maxHookCard = 4 << 10

// maxTokenID is the spec's limit on token_id: a longer token could never be
// used.
var maxTokenID = rules.Load().Operations["createPaymentSourceUsingToken"].Body["token_id"].MaxLength

// hookCard reads a hook's optional card body: TestCard when it is empty.
func hookCard(r *http.Request) (chargebeetest.Card, error) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxHookCard+1))
	switch {
	case err != nil:
		return chargebeetest.Card{}, err
	case len(data) > maxHookCard:
		return chargebeetest.Card{}, fmt.Errorf("card: over %d bytes", maxHookCard)
	case len(bytes.TrimSpace(data)) == 0:
		return chargebeetest.TestCard(), nil
	}
	var card chargebeetest.Card
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&card); err != nil {
		return chargebeetest.Card{}, fmt.Errorf("card: %w", err)
	}
	if dec.Decode(new(json.RawMessage)) != io.EOF {
		return chargebeetest.Card{}, errors.New("card: one JSON object, nothing after it")
	}
	// A card as Chargebee keeps one: never a whole number.
	switch {
	case card.IIN != "" && !digits(card.IIN, 6, 8):
		return chargebeetest.Card{}, errors.New("card: iin must be 6 to 8 digits")
	case card.Last4 != "" && !digits(card.Last4, 4, 4):
		return chargebeetest.Card{}, errors.New("card: last4 must be 4 digits")
	case card.ExpiryMonth != 0 && (card.ExpiryMonth < 1 || card.ExpiryMonth > 12):
		return chargebeetest.Card{}, errors.New("card: expiry_month must be 1 to 12")
	}
	return card, nil
}

// digits reports whether s is lo to hi ASCII digits.
func digits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// maxCustomerID is Chargebee's limit on a customer id, in characters: a
// longer one could never be named in a request.
const maxCustomerID = 50

// checkHookCustomerID refuses a customer id no request could name.
func checkHookCustomerID(id string) error {
	switch {
	case id == "":
		return errors.New("must not be empty")
	case !utf8.ValidString(id):
		return errors.New("must be UTF-8")
	case utf8.RuneCountInString(id) > maxCustomerID:
		return fmt.Errorf("must be at most %d characters long", maxCustomerID)
	}
	return nil
}

// serveMux routes the test hooks and hands every other request to the fake
// as it came. (http.ServeMux would clean paths such as
// /customers//update_payment_method into redirects, where Chargebee
// answers with an error.)
func serveMux(h *chargebeetest.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		isCustomers := strings.HasPrefix(p, hookCustomers)
		isTokens := strings.HasPrefix(p, hookTokens)
		isAuthorize := strings.HasPrefix(p, hookIntents) && strings.HasSuffix(p, hookAuthorizeTail)
		if !isCustomers && !isTokens && !isAuthorize {
			h.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		switch {
		case isCustomers:
			createCustomerHook(h, w, strings.TrimPrefix(p, hookCustomers))
		case isTokens:
			tokenHook(h, w, r, strings.TrimPrefix(p, hookTokens))
		default:
			authorizeHook(h, w, r, strings.TrimSuffix(strings.TrimPrefix(p, hookIntents), hookAuthorizeTail))
		}
	})
}

// createCustomerHook: POST /_cbpay/customers/{id}, id path-escaped as in
// Chargebee's own paths (cust%207%2F%C3%A9 is "cust 7/é").
func createCustomerHook(h *chargebeetest.Handler, w http.ResponseWriter, escaped string) {
	id, err := url.PathUnescape(escaped)
	if err == nil && strings.Contains(escaped, "/") {
		err = errors.New("must be one path segment (escape / as %2F)")
	}
	if err == nil {
		err = checkHookCustomerID(id)
	}
	if err != nil {
		http.Error(w, "customer id: "+err.Error(), http.StatusBadRequest)
		return
	}
	body, err := json.Marshal(struct {
		Customer gen.Customer `json:"customer"`
	}{h.AddCustomer(id)})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_, _ = w.Write(body)
}

// tokenHook: POST /_cbpay/tokens/{id} with the card as JSON.
func tokenHook(h *chargebeetest.Handler, w http.ResponseWriter, r *http.Request, escaped string) {
	id, err := url.PathUnescape(escaped)
	switch {
	case err != nil:
	case id == "" || strings.Contains(escaped, "/"):
		err = errors.New("must be one non-empty path segment")
	case utf8.RuneCountInString(id) > maxTokenID:
		err = fmt.Errorf("must be at most %d characters long", maxTokenID)
	}
	if err != nil {
		http.Error(w, "token id: "+err.Error(), http.StatusBadRequest)
		return
	}
	card, err := hookCard(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.AddToken(id, card)
	w.WriteHeader(http.StatusNoContent)
}

// authorizeHook: POST /_cbpay/payment_intents/{id}/authorize, with the
// customer's card as JSON, or none for TestCard.
func authorizeHook(h *chargebeetest.Handler, w http.ResponseWriter, r *http.Request, escaped string) {
	id, err := url.PathUnescape(escaped)
	if err != nil {
		http.Error(w, "payment intent id: "+err.Error(), http.StatusBadRequest)
		return
	}
	card, err := hookCard(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	switch err := h.AuthorizePaymentIntentWithCard(id, card); {
	case errors.Is(err, chargebeetest.ErrNotFound):
		http.Error(w, err.Error(), http.StatusNotFound)
	case err != nil:
		http.Error(w, err.Error(), http.StatusConflict)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
