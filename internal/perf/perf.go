// Package perf holds what the paired benchmarks (scripts/benchpair)
// compare: the client and a raw net/http baseline making the same call, a
// local server that counts the connections it accepts, and a transport
// that answers in process. TestImplementationsAreTheSame keeps the
// comparison fair: both send the same request and decode the same result.
package perf

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/fixture"
	"github.com/cbpay/cbpay/internal/form"
)

// APIKey is the key both implementations send.
const APIKey = "test_bench_Zx81kQ2mPq3nR"

// IdempotencyKey is the key the raw baseline sends on every call. The
// client makes a UUID per call, as it does for its users; the baseline
// does not, nor does it encode or validate: it measures net/http alone.
const IdempotencyKey = "8f14e45f-ceea-467a-9575-7a1b2c3d4e5f"

// LargeAnswer is a realistic answer of create_using_permanent_token: the
// customer and the new card payment source (3.7 KB), with fields the
// models do not know (Chargebee adds fields often).
var LargeAnswer = []byte(`{
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

// SmallAnswer is the smallest answer the client accepts for a payment
// source: the in-process benchmarks use it, so that decoding JSON, the
// same work on both sides, weighs little against what differs.
var SmallAnswer = []byte(`{"customer":{"id":"cust_16CHT3SpZ9Jqg1Jk"},"payment_source":{"id":"pm_AzZTZeUdMlY9b2Hx","customer_id":"cust_16CHT3SpZ9Jqg1Jk","type":"card","status":"valid"}}`)

// Case is one request both implementations make.
type Case struct {
	Name string // largest or minimal
	Path string // escaped request path
	// Body is the client's encoding of the parameters, made once: what the
	// baseline sends on every call.
	Body []byte
	// Call makes the call with the client.
	Call func(ctx context.Context, c *cbpay.Client) (*gen.PaymentSourceResponse, error)
}

// Cases are the largest valid request (create_using_permanent_token with
// every field: 29 wire fields, 1.1 KB) and a minimal one
// (create_using_token with its two fields).
func Cases() ([]Case, error) {
	largest := (*cbpay.CreatePaymentSourceUsingPermanentTokenParams)(fixture.Largest())
	minimal := (*cbpay.CreatePaymentSourceUsingTokenParams)(fixture.Minimal())
	lb, err := form.Encode(largest)
	if err != nil {
		return nil, err
	}
	mb, err := form.Encode(minimal)
	if err != nil {
		return nil, err
	}
	return []Case{
		{Name: "largest", Path: "/api/v2/payment_sources/create_using_permanent_token", Body: lb,
			Call: func(ctx context.Context, c *cbpay.Client) (*gen.PaymentSourceResponse, error) {
				r, err := c.CreatePaymentSourceUsingPermanentToken(ctx, largest)
				if err != nil {
					return nil, err
				}
				return &r.PaymentSourceResponse, nil
			}},
		{Name: "minimal", Path: "/api/v2/payment_sources/create_using_token", Body: mb,
			Call: func(ctx context.Context, c *cbpay.Client) (*gen.PaymentSourceResponse, error) {
				r, err := c.CreatePaymentSourceUsingToken(ctx, minimal)
				if err != nil {
					return nil, err
				}
				return &r.PaymentSourceResponse, nil
			}},
	}, nil
}

// Server is a local server that reads each request whole and answers with
// a fixed JSON body, counting the connections it accepts.
type Server struct {
	*httptest.Server
	newConns atomic.Int64
}

// NewServer starts a server answering answer. seen, when not nil, gets
// every request and its body.
func NewServer(answer []byte, seen func(*http.Request, []byte)) *Server {
	s := &Server{}
	length := strconv.Itoa(len(answer))
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen != nil {
			body, _ := io.ReadAll(r.Body)
			seen(r, body)
		} else {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		w.Header()["Content-Type"] = []string{"application/json;charset=utf-8"}
		w.Header()["Content-Length"] = []string{length}
		_, _ = w.Write(answer)
	}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	return s
}

// NewConns is how many connections the server has accepted.
func (s *Server) NewConns() int64 { return s.newConns.Load() }

// TunedTransport is the transport of the raw baseline: http.DefaultTransport's
// settings with room for as many idle connections to the one host as the
// client's default keeps (100), so that both reuse connections alike.
func TunedTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost, t.IdleConnTimeout = 100, 100, 90*time.Second
	return t
}

// NewClient returns the client for a server's base URL: with its default
// HTTP client when hc is nil, else through hc.
func NewClient(baseURL string, hc *http.Client) (*cbpay.Client, error) {
	opts := []cbpay.Option{cbpay.WithBaseURL(baseURL), cbpay.WithAPIKey(APIKey)}
	if hc != nil {
		opts = append(opts, cbpay.WithHTTPClient(hc))
	}
	return cbpay.New(opts...)
}

// Raw is the baseline: net/http by hand, written as the fastest correct
// client would be. The URL and body are made once; each call builds the
// request, sets the client's headers under their canonical names, reads an
// answer of known length into a buffer of that size in one read (or
// whole, when the length is unknown), checks the status and decodes into
// the same generated model as the client.
type Raw struct {
	hc       *http.Client
	url      string
	body     []byte
	auth, ua string
}

// NewRaw returns the baseline for one case against baseURL, through hc.
func NewRaw(hc *http.Client, baseURL string, c Case) *Raw {
	return &Raw{hc: hc, url: baseURL + c.Path, body: c.Body,
		auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(APIKey+":")),
		ua:   "cbpay-go/" + cbpay.Version}
}

// Call makes the call once.
func (r *Raw) Call(ctx context.Context) (*gen.PaymentSourceResponse, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(r.body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", r.auth)
	req.Header.Set("User-Agent", r.ua)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Chargebee-Idempotency-Key", IdempotencyKey)
	resp, err := r.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var data []byte
	if resp.ContentLength >= 0 {
		data = make([]byte, resp.ContentLength)
		_, err = io.ReadFull(resp.Body, data)
	} else {
		data, err = io.ReadAll(resp.Body)
	}
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	out := &gen.PaymentSourceResponse{}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Canned answers every request in process with Answer, after reading the
// request body whole, as a server would: with it, a benchmark times the
// client side alone.
type Canned struct{ Answer []byte }

// RoundTrip answers r.
func (t Canned) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json;charset=utf-8"}},
		ContentLength: int64(len(t.Answer)),
		Body:          io.NopCloser(bytes.NewReader(t.Answer)),
		Request:       r,
	}, nil
}

// ColdStart is what the first call of a process costs: to be measured once
// per process, in a new one each time (see scripts/benchpair -child).
type ColdStart struct {
	NewNs      int64 // making the client (cbpay.New; nothing for raw net/http)
	TotalNs    int64 // that and the first call, connection included
	NewBytes   int64 // live heap added by making the client
	TotalBytes int64 // live heap added by making the client and the first call
}

// ColdClient measures cbpay.New with its default HTTP client and the first
// call of the largest case against baseURL.
func ColdClient(baseURL string, c Case) (ColdStart, error) {
	var client *cbpay.Client
	return coldStart(func() (any, error) {
		var err error
		client, err = NewClient(baseURL, nil)
		return client, err
	}, func() error {
		_, err := c.Call(context.Background(), client)
		return err
	})
}

// ColdRaw measures the baseline's first call of the case against baseURL,
// with http.DefaultClient.
func ColdRaw(baseURL string, c Case) (ColdStart, error) {
	var r *Raw
	return coldStart(func() (any, error) {
		r = NewRaw(http.DefaultClient, baseURL, c)
		return r, nil
	}, func() error {
		_, err := r.Call(context.Background())
		return err
	})
}

// coldStart times setup, then call, with the heap measured after each
// (outside the times). What setup returns is kept alive to the end.
func coldStart(setup func() (any, error), call func() error) (ColdStart, error) {
	var m0, m1, m2 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	made, err := setup()
	newNs := time.Since(t0).Nanoseconds()
	if err != nil {
		return ColdStart{}, err
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	t1 := time.Now()
	err = call()
	callNs := time.Since(t1).Nanoseconds()
	if err != nil {
		return ColdStart{}, err
	}
	runtime.GC()
	runtime.ReadMemStats(&m2)
	runtime.KeepAlive(made)
	return ColdStart{NewNs: newNs, TotalNs: newNs + callNs,
		NewBytes: int64(m1.HeapAlloc) - int64(m0.HeapAlloc), TotalBytes: int64(m2.HeapAlloc) - int64(m0.HeapAlloc)}, nil
}
