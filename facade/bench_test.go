package cbpay_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/internal/fixture"
	"github.com/cbpay/cbpay/internal/form"
)

// The client's own benchmarks, against a raw net/http baseline in paired
// rounds, are in scripts/benchpair (make bench); the implementations they
// compare are in internal/perf, with the test that keeps them fair.

// benchLargest is the shared largest valid request.
func benchLargest() *cbpay.CreatePaymentSourceUsingPermanentTokenParams {
	return (*cbpay.CreatePaymentSourceUsingPermanentTokenParams)(fixture.Largest())
}

const pathPermanentToken = "/api/v2/payment_sources/create_using_permanent_token"

func mustEncode(tb testing.TB, v any) []byte {
	tb.Helper()
	body, err := form.Encode(v)
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// BenchmarkFakeServer is the fake Chargebee's throughput: clients in
// parallel POST the largest request to a chargebeetest.Server, which
// validates each against the spec and stores a payment source. Without an
// idempotency key, so that no answer is a replay. req/s counts answered
// requests per second of wall time, all goroutines together.
func BenchmarkFakeServer(b *testing.B) {
	s := chargebeetest.NewServer(chargebeetest.WithMaxRecordedRequests(100),
		chargebeetest.WithCustomers(benchLargest().CustomerID))
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
