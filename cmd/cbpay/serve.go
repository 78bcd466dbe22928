package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/spf13/cobra"
)

func newServe() *cobra.Command {
	var addr, key string
	var customers []string
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run the fake Chargebee as a local server, for tests in any language",
		Long: `serve runs the fake Chargebee on a local address until SIGINT or SIGTERM.

It serves the five operations under /api/v2 and /api/v1, validates every
request against the embedded OpenAPI spec, keeps state in memory, and
replays idempotent requests like Chargebee. Authenticate with HTTP Basic,
the API key as user name and an empty password.

Test hooks (not part of Chargebee's API):
  POST /_cbpay/payment_intents/{id}/authorize   the 3DS step Chargebee.js would run`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// Nothing reads the request log of a standalone server: keep none.
			h := chargebeetest.NewHandler(chargebeetest.WithAPIKey(key), chargebeetest.WithMaxRecordedRequests(0),
				chargebeetest.WithCustomers(customers...))
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			srv := &http.Server{Handler: serveMux(h), ReadHeaderTimeout: 10 * time.Second}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "cbpay serve: fake Chargebee on http://%s (site root; operations under /api/v2 and /api/v1)\n", ln.Addr())
			fmt.Fprintf(out, "cbpay serve: API key %q (Basic auth user name, empty password); Ctrl-C stops\n", key)
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
	cmd.Flags().StringArrayVar(&customers, "customer", nil, "a customer id the fake knows from the start (repeatable)")
	return cmd
}

// authorizeHook is the fake's one test hook, beside the Chargebee API.
const (
	hookPrefix = "/_cbpay/payment_intents/"
	hookSuffix = "/authorize"
)

// serveMux routes the test hook and hands every other request to the fake
// as it came. (http.ServeMux would clean paths such as
// /customers//update_payment_method into redirects, where Chargebee
// answers with an error.)
func serveMux(h *chargebeetest.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if !strings.HasPrefix(p, hookPrefix) || !strings.HasSuffix(p, hookSuffix) {
			h.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		id := strings.TrimSuffix(strings.TrimPrefix(p, hookPrefix), hookSuffix)
		switch err := h.AuthorizePaymentIntent(id); {
		case errors.Is(err, chargebeetest.ErrNotFound):
			http.Error(w, err.Error(), http.StatusNotFound)
		case err != nil:
			http.Error(w, err.Error(), http.StatusConflict)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
}
