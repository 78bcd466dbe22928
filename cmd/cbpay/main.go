// Command cbpay runs Chargebee's payment-method operations from the shell:
// a demo of the store-card flows against an in-process fake Chargebee (or a test site),
// the fake as a standalone server for any language's tests, and one
// subcommand per operation.
//
// Exit codes: 0 success, 1 an error from Chargebee or the network, 2 a usage
// error (bad flags or parameters refused before sending).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	cbpay "github.com/cbpay/cbpay/facade"
)

// usageError marks errors that exit with status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes the command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	// Errors before a command's own code runs (unknown command, bad flags
	// or flag combinations) are usage errors.
	started := false
	for _, c := range root.Commands() {
		if runE := c.RunE; runE != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				started = true
				return runE(cmd, args)
			}
		}
	}
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	msg := oneLine(err)
	if !strings.HasPrefix(msg, "cbpay: ") {
		msg = "cbpay: " + msg
	}
	fmt.Fprintln(stderr, msg)
	var ue usageError
	var ve *cbpay.ValidationError
	if !started || errors.As(err, &ue) || errors.As(err, &ve) {
		return 2
	}
	return 1
}

func oneLine(err error) string {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}

// globals are the flags every subcommand that talks to Chargebee shares.
type globals struct {
	site, apiKey, baseURL string
	live, test, fake      bool
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "cbpay",
		Short: "Chargebee payment-method operations: a demo, a fake server, and one command per operation",
		Long: `cbpay runs Chargebee's payment-method operations.

  cbpay demo             the store-card flows end to end against an in-process fake
  cbpay serve            the fake Chargebee as a local server, for tests in any language
  cbpay <operation> ...  one operation, parameters as flags, JSON result on stdout

The operation commands and "demo --site" talk to a Chargebee site given by
--site and --api-key (or CHARGEBEE_SITE and CHARGEBEE_API_KEY), to a base URL
such as a "cbpay serve" instance (--base-url), or to an in-process fake (--fake).
A site is named as in its host, the same rule as the library's
CHARGEBEE_SITE: "acme-test" is acme-test.chargebee.com, the test site;
"acme" is acme.chargebee.com, the live site. --test picks the test site of a
name given without it (--site acme --test). A live site is used only with
--live.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	demo := newDemo(g)
	g.addFlags(demo)
	root.AddCommand(demo, newServe())
	for _, oc := range cbpay.Operations() {
		op := newOperation(g, oc)
		g.addFlags(op)
		root.AddCommand(op)
	}
	return root
}

// addFlags gives a command that talks to Chargebee the target flags.
func (g *globals) addFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&g.site, "site", "", "Chargebee site name (default $"+cbpay.EnvSite+")")
	fs.StringVar(&g.apiKey, "api-key", "", "API key (default $"+cbpay.EnvAPIKey+")")
	fs.StringVar(&g.baseURL, "base-url", "", "site root to use instead of a Chargebee site, e.g. http://127.0.0.1:12111 for cbpay serve")
	fs.BoolVar(&g.test, "test", false, "use the site's test environment: --site acme --test is acme-test.chargebee.com")
	fs.BoolVar(&g.live, "live", false, "allow a live site (a name without -test): real customers, real payment methods")
}

// plural spells a count with its noun: 1 attempt, 2 attempts.
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
