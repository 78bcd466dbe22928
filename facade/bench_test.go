package cbpay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/fixture"
	"github.com/cbpay/cbpay/internal/form"
)

// Benchmarks of a whole call, each next to baselines run in the same
// process against the same local server, over the same keep-alive
// transport, so that their ratio means something on any machine:
//
//   - impl=facade:  cbpay.Client, parameters in, decoded result out;
//   - impl=raw:     net/http by hand: the facade's exact body, encoded once
//     before the loop, POSTed with the same headers, the answer decoded
//     into the same gen.PaymentSourceResponse;
//   - impl=genform: the generated client's own ...WithFormdataBody path
//     (runtime.MarshalForm), only for the minimal request, the one it
//     encodes to the same body.
//
// Names are benchstat keys: benchstat -col /impl bench.out compares the
// implementations. scripts/bench.sh prints the ratios.
// TestBenchRequestsAreTheSame keeps the comparison fair.

const benchKey = "test_bench_Zx81kQ2mPq3nR"

// benchIdempotencyKey stands for the key every request carries; the raw
// baseline sends this one, the facade makes a UUID per call, as it does
// for its users.
const benchIdempotencyKey = "8f14e45f-ceea-467a-9575-7a1b2c3d4e5f"

// benchResponse is a realistic answer of create_using_permanent_token: the
// customer and the new card payment source, with fields the models do not
// know (Chargebee adds fields often).
var benchResponse = []byte(`{
    "customer": {
        "id": "cust_16CHT3SpZ9Jqg1Jk",
        "first_name": "Ana",
        "last_name": "Núñez",
        "email": "ana.nunez@example.com",
        "phone": "+1 512 555 0142",
        "company": "Núñez Design LLC",
        "auto_collection": "on",
        "net_term_days": 0,
        "allow_direct_debit": false,
        "created_at": 1763798400,
        "taxability": "taxable",
        "updated_at": 1763798460,
        "pii_cleared": "active",
        "channel": "web",
        "resource_version": 1763798460123,
        "deleted": false,
        "object": "customer",
        "billing_address": {
            "first_name": "Ana",
            "last_name": "Núñez",
            "line1": "12 Main St",
            "line2": "Suite 400",
            "city": "Austin",
            "state_code": "TX",
            "state": "Texas",
            "country": "US",
            "zip": "78701",
            "validation_status": "not_validated",
            "object": "billing_address"
        },
        "card_status": "valid",
        "promotional_credits": 0,
        "refundable_credits": 0,
        "excess_payments": 0,
        "unbilled_charges": 0,
        "preferred_currency_code": "USD",
        "mrr": 0,
        "primary_payment_source_id": "pm_AzZTZeUdMlY9b2Hx",
        "payment_method": {
            "object": "payment_method",
            "type": "card",
            "reference_id": "cus_PqR4sT5uV6wX7y/card_1OaBcDeFgHiJkLmN",
            "gateway": "stripe",
            "gateway_account_id": "gw_16CHT3SpZ9JlZ1Jh",
            "status": "valid"
        },
        "business_entity_id": "acme-us"
    },
    "payment_source": {
        "id": "pm_AzZTZeUdMlY9b2Hx",
        "updated_at": 1763798460,
        "resource_version": 1763798460120,
        "deleted": false,
        "object": "payment_source",
        "customer_id": "cust_16CHT3SpZ9Jqg1Jk",
        "type": "card",
        "reference_id": "cus_PqR4sT5uV6wX7y/card_1OaBcDeFgHiJkLmN",
        "status": "valid",
        "gateway": "stripe",
        "gateway_account_id": "gw_16CHT3SpZ9JlZ1Jh",
        "ip_address": "203.0.113.7",
        "issuing_country": "US",
        "created_at": 1763798460,
        "business_entity_id": "acme-us",
        "card": {
            "first_name": "Ana",
            "last_name": "Núñez",
            "iin": "411111",
            "last4": "1111",
            "brand": "visa",
            "funding_type": "credit",
            "expiry_month": 12,
            "expiry_year": 2030,
            "billing_addr1": "12 Main St",
            "billing_addr2": "Suite 400",
            "billing_city": "Austin",
            "billing_state_code": "TX",
            "billing_state": "Texas",
            "billing_country": "US",
            "billing_zip": "78701",
            "masked_number": "************1111",
            "object": "card"
        },
        "billing_address": {
            "first_name": "Ana",
            "last_name": "Núñez",
            "line1": "12 Main St",
            "line2": "Suite 400",
            "city": "Austin",
            "state_code": "TX",
            "state": "Texas",
            "country": "US",
            "zip": "78701",
            "object": "billing_address"
        }
    }
}`)

// The shared fixtures, as the facade's parameter types (same fields).
func benchLargest() *cbpay.CreateUsingPermanentTokenParams {
	return (*cbpay.CreateUsingPermanentTokenParams)(fixture.Largest())
}

func benchMinimal() *cbpay.CreateUsingTokenParams {
	return (*cbpay.CreateUsingTokenParams)(fixture.Minimal())
}

const (
	pathPermanentToken = "/api/v2/payment_sources/create_using_permanent_token"
	pathToken          = "/api/v2/payment_sources/create_using_token"
)

// benchEnv is one local server and the clients of every implementation,
// all on one keep-alive transport.
type benchEnv struct {
	srv    *httptest.Server
	hc     *http.Client
	facade *cbpay.Client
	gen    *gen.Client
	auth   string
	ua     string
}

// newBenchEnv starts the server. It reads each request whole and answers
// benchResponse; seen, when not nil, gets each request and its body.
func newBenchEnv(tb testing.TB, seen func(*http.Request, []byte)) *benchEnv {
	tb.Helper()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			body, _ := io.ReadAll(r.Body)
			seen(r, body)
		} else {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(benchResponse)))
		_, _ = w.Write(benchResponse)
	})
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	// Benchmarks run one request at a time, but leave room for both
	// implementations (and -cpu runs) to keep their connections.
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, IdleConnTimeout: time.Minute}
	tb.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	fc, err := cbpay.New(cbpay.WithBaseURL(srv.URL), cbpay.WithAPIKey(benchKey), cbpay.WithHTTPClient(hc))
	if err != nil {
		tb.Fatal(err)
	}
	gc, err := gen.NewClient(srv.URL+"/", gen.WithHTTPClient(hc)) // the site root: paths carry /api/v2
	if err != nil {
		tb.Fatal(err)
	}
	return &benchEnv{srv: srv, hc: hc, facade: fc, gen: gc,
		auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(benchKey+":")),
		ua:   "cbpay-go/" + cbpay.Version}
}

// setHeaders sets what the facade sends besides Content-Type, which the
// caller sets.
func (e *benchEnv) setHeaders(h http.Header) {
	h.Set("Authorization", e.auth)
	h.Set("User-Agent", e.ua)
	h.Set("Accept", "application/json")
	h.Set("chargebee-idempotency-key", benchIdempotencyKey)
}

// raw is the baseline call: POST a ready body, read the answer, decode it.
func (e *benchEnv) raw(ctx context.Context, path string, body []byte) (*gen.PaymentSourceResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.setHeaders(req.Header)
	resp, err := e.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var out gen.PaymentSourceResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// genForm is the generated client's form path with the same headers.
func (e *benchEnv) genForm(ctx context.Context, p *cbpay.CreateUsingTokenParams) (*gen.PaymentSourceResponse, error) {
	resp, err := e.gen.CreatePaymentSourceUsingTokenWithFormdataBody(ctx, nil, gen.CreatePaymentSourceUsingTokenRequest(*p),
		func(_ context.Context, req *http.Request) error { e.setHeaders(req.Header); return nil })
	if err != nil {
		return nil, err
	}
	parsed, err := gen.ParseCreatePaymentSourceUsingTokenResponse(resp)
	if err != nil {
		return nil, err
	}
	if parsed.JSON200 == nil {
		return nil, fmt.Errorf("status %d", parsed.StatusCode())
	}
	return parsed.JSON200, nil
}

func mustEncode(tb testing.TB, v any) []byte {
	tb.Helper()
	body, err := form.Encode(v)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// loop is a sub-benchmark that runs call until b.Loop ends, reporting
// allocations and failing on the first error.
func loop(call func() error) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := call(); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkCall(b *testing.B) {
	e := newBenchEnv(b, nil)
	ctx := context.Background()
	largest, minimal := benchLargest(), benchMinimal()
	largestBody, minimalBody := mustEncode(b, largest), mustEncode(b, minimal)

	b.Run("req=largest/impl=facade", loop(func() error { _, err := e.facade.CreatePaymentSourceUsingPermanentToken(ctx, largest); return err }))
	b.Run("req=largest/impl=raw", loop(func() error { _, err := e.raw(ctx, pathPermanentToken, largestBody); return err }))
	b.Run("req=minimal/impl=facade", loop(func() error { _, err := e.facade.CreatePaymentSourceUsingToken(ctx, minimal); return err }))
	b.Run("req=minimal/impl=raw", loop(func() error { _, err := e.raw(ctx, pathToken, minimalBody); return err }))
	b.Run("req=minimal/impl=genform", loop(func() error { _, err := e.genForm(ctx, minimal); return err }))
}

// TestBenchRequestsAreTheSame checks that BenchmarkCall compares like with
// like: for each request, every implementation sends the same method, path,
// headers and body (the idempotency key's value aside: the facade makes
// its own), and decodes the same result.
func TestBenchRequestsAreTheSame(t *testing.T) {
	type wire struct {
		method, path, body string
		header             http.Header
	}
	var mu sync.Mutex
	var got []wire
	e := newBenchEnv(t, func(r *http.Request, body []byte) {
		h := r.Header.Clone()
		if h.Get("Chargebee-Idempotency-Key") == "" {
			t.Errorf("%s: no idempotency key", r.URL.Path)
		}
		h.Del("Chargebee-Idempotency-Key")
		mu.Lock()
		got = append(got, wire{r.Method, r.URL.Path, string(body), h})
		mu.Unlock()
	})
	ctx := context.Background()
	largest, minimal := benchLargest(), benchMinimal()
	var results []gen.PaymentSourceResponse
	keep := func(r *gen.PaymentSourceResponse, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, *r)
	}
	fr, err := e.facade.CreatePaymentSourceUsingPermanentToken(ctx, largest)
	if err != nil {
		t.Fatal(err)
	}
	keep(&fr.PaymentSourceResponse, nil)
	keep(e.raw(ctx, pathPermanentToken, mustEncode(t, largest)))
	fr, err = e.facade.CreatePaymentSourceUsingToken(ctx, minimal)
	if err != nil {
		t.Fatal(err)
	}
	keep(&fr.PaymentSourceResponse, nil)
	keep(e.raw(ctx, pathToken, mustEncode(t, minimal)))
	keep(e.genForm(ctx, minimal))

	if len(got) != 5 {
		t.Fatalf("the server saw %d requests, want 5", len(got))
	}
	same := func(name string, a, b wire) {
		t.Helper()
		if a.method != b.method || a.path != b.path {
			t.Errorf("%s: %s %s, want %s %s", name, b.method, b.path, a.method, a.path)
		}
		if a.body != b.body {
			t.Errorf("%s: body\n%s\nwant\n%s", name, b.body, a.body)
		}
		if fmt.Sprint(a.header) != fmt.Sprint(b.header) {
			t.Errorf("%s: headers\n%v\nwant\n%v", name, b.header, a.header)
		}
	}
	same("largest raw", got[0], got[1])
	same("minimal raw", got[2], got[3])
	same("minimal genform", got[2], got[4])
	if got[0].path != pathPermanentToken || got[2].path != pathToken {
		t.Errorf("paths %s and %s", got[0].path, got[2].path)
	}
	want, _ := json.Marshal(results[0])
	for i, r := range results[1:] {
		if b, _ := json.Marshal(r); !bytes.Equal(b, want) {
			t.Errorf("result %d differs:\n%s\nwant\n%s", i+1, b, want)
		}
	}
	if results[0].PaymentSource.Card == nil || results[0].PaymentSource.Card.Last4 == nil {
		t.Errorf("the response has no card: %+v", results[0].PaymentSource)
	}
}

// cannedTransport answers every request in process with benchResponse, so
// that BenchmarkCallInProcess times the client side alone.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json;charset=utf-8"}, "Content-Length": {strconv.Itoa(len(benchResponse))}},
		ContentLength: int64(len(benchResponse)),
		Body:          io.NopCloser(bytes.NewReader(benchResponse)),
		Request:       r,
	}, nil
}

// BenchmarkCallInProcess is BenchmarkCall/req=largest without the network:
// the transport answers in process, so the ratio is the client side's
// alone (parameters to body to request, answer to result) and does not
// depend on how fast the machine's loopback is.
func BenchmarkCallInProcess(b *testing.B) {
	e := newBenchEnv(b, nil)
	e.hc.Transport = cannedTransport{}
	ctx := context.Background()
	largest := benchLargest()
	body := mustEncode(b, largest)
	b.Run("req=largest/impl=facade", loop(func() error { _, err := e.facade.CreatePaymentSourceUsingPermanentToken(ctx, largest); return err }))
	b.Run("req=largest/impl=raw", loop(func() error { _, err := e.raw(ctx, pathPermanentToken, body); return err }))
}

// BenchmarkFakeServer is the fake Chargebee's throughput: clients in
// parallel POST the largest request to a chargebeetest.Server, which
// validates each against the spec and stores a payment source. Without an
// idempotency key, so that no answer is a replay. req/s counts answered
// requests per second of wall time, all goroutines together.
func BenchmarkFakeServer(b *testing.B) {
	s := chargebeetest.NewServer(chargebeetest.WithMaxRecordedRequests(100),
		chargebeetest.WithCustomers(benchLargest().CustomerId))
	b.Cleanup(s.Close)
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}
	b.Cleanup(tr.CloseIdleConnections)
	hc := &http.Client{Transport: tr}
	body := mustEncode(b, benchLargest())
	url := s.URL + pathPermanentToken
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(s.APIKey+":"))
	post := func() error {
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", auth)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		data, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d: %s", resp.StatusCode, data)
		}
		return err
	}
	if err := post(); err != nil {
		b.Fatal(err)
	}
	b.Run("req=largest", func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := post(); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	})
}
