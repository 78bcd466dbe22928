package main

// Test scaffolding of the ogen run, as e2e/setup.ts is for the TypeScript
// ones: the 3DS step through cbpay serve's test hook (not part of
// Chargebee's API), a record of the URL each request went to, and the
// operations the spec has. Nothing here touches a request body or builds a
// query string.

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// authorize runs the 3DS step Chargebee.js would run, through cbpay serve's
// test hook.
func authorize(base, intentID string) error {
	resp, err := http.Post(base+"/_cbpay/payment_intents/"+intentID+"/authorize", "", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return fmt.Errorf("3DS hook: %s", resp.Status)
	}
	return nil
}

// recorder is the generated client's HTTP client: it sends each request
// with http.DefaultClient and keeps its URL, for the checks of the query
// string the generated code built.
type recorder struct{ last *url.URL }

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.last = req.URL
	return http.DefaultClient.Do(req)
}

// tally counts the calls and the operations answered as they should be.
type tally struct {
	answered  map[string]bool
	calls     int
	notFounds int
}

// ok counts a call of operationID answered 200.
func (t *tally) ok(operationID string) {
	t.calls++
	t.answered[operationID] = true
}

// done fails unless every operation of the spec (CBPAY_OPERATIONS, read
// from api/openapi.yaml by spec-check) was answered 200 at least once.
func (t *tally) done(generator string) error {
	ops := strings.Split(os.Getenv("CBPAY_OPERATIONS"), ",")
	var missing []string
	for _, op := range ops {
		if !t.answered[op] {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 || len(t.answered) != len(ops) {
		return fmt.Errorf("%d of %d operations answered 200; missing %v", len(t.answered), len(ops), missing)
	}
	fmt.Printf("%s: %d of %d operations answered 200 (%d calls, %d answered 404 resource_not_found as expected)\n",
		generator, len(t.answered), len(ops), t.calls, t.notFounds)
	return nil
}
