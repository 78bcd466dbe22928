package perf

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImplementationsAreTheSame checks that the paired benchmarks compare
// like with like: for each case, the client and the baseline send the
// same method, path, headers and body (the idempotency key's value aside:
// the client makes its own), and decode the same result, over loopback
// and in process.
func TestImplementationsAreTheSame(t *testing.T) {
	type wire struct {
		method, path, body string
		header             http.Header
	}
	var mu sync.Mutex
	var got []wire
	srv := NewServer(LargeAnswer, func(r *http.Request, body []byte) {
		h := r.Header.Clone()
		if h.Get("Chargebee-Idempotency-Key") == "" {
			t.Errorf("%s: no idempotency key", r.URL.Path)
		}
		h.Del("Chargebee-Idempotency-Key")
		mu.Lock()
		got = append(got, wire{r.Method, r.URL.RequestURI(), string(body), h})
		mu.Unlock()
	})
	defer srv.Close()
	cases, err := Cases()
	require.NoError(t, err)
	ctx := context.Background()
	client, err := NewClient(srv.URL, nil)
	require.NoError(t, err)
	canned := &http.Client{Transport: Canned{Answer: SmallAnswer}}
	cannedClient, err := NewClient("http://127.0.0.1:1", canned)
	require.NoError(t, err)
	for _, c := range cases {
		got = nil
		fromClient, err := c.Call(ctx, client)
		require.NoError(t, err, c.Name)
		fromRaw, err := NewRaw(&http.Client{Transport: TunedTransport()}, srv.URL, c).Call(ctx)
		require.NoError(t, err, c.Name)
		fromDefault, err := NewRaw(http.DefaultClient, srv.URL, c).Call(ctx)
		require.NoError(t, err, c.Name)
		require.Len(t, got, 3, c.Name)
		for i, w := range got[1:] {
			assert.Equal(t, got[0].method, w.method, "%s %d", c.Name, i)
			assert.Equal(t, c.Path, w.path, "%s %d", c.Name, i)
			assert.Equal(t, got[0].path, w.path, "%s %d", c.Name, i)
			assert.Equal(t, got[0].body, w.body, "%s %d", c.Name, i)
			assert.Equal(t, fmt.Sprint(got[0].header), fmt.Sprint(w.header), "%s %d", c.Name, i)
		}
		assert.Equal(t, mustJSON(t, fromClient), mustJSON(t, fromRaw), c.Name)
		assert.Equal(t, mustJSON(t, fromClient), mustJSON(t, fromDefault), c.Name)
		assert.NotNil(t, fromClient.PaymentSource.Card, "%s: the realistic answer has a card", c.Name)

		fromClient, err = c.Call(ctx, cannedClient)
		require.NoError(t, err, c.Name)
		fromRaw, err = NewRaw(canned, "http://127.0.0.1:1", c).Call(ctx)
		require.NoError(t, err, c.Name)
		assert.Equal(t, mustJSON(t, fromClient), mustJSON(t, fromRaw), c.Name)
		assert.Equal(t, "pm_AzZTZeUdMlY9b2Hx", fromClient.PaymentSource.ID)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestServerCountsConnections(t *testing.T) {
	srv := NewServer(SmallAnswer, nil)
	defer srv.Close()
	cases, err := Cases()
	require.NoError(t, err)
	tr := TunedTransport()
	defer tr.CloseIdleConnections()
	raw := NewRaw(&http.Client{Transport: tr}, srv.URL, cases[1])
	for range 3 {
		_, err := raw.Call(context.Background())
		require.NoError(t, err)
	}
	assert.Equal(t, int64(1), srv.NewConns(), "one connection, reused")
}

func TestColdStartIsMeasured(t *testing.T) {
	srv := NewServer(LargeAnswer, nil)
	defer srv.Close()
	cases, err := Cases()
	require.NoError(t, err)
	for name, f := range map[string]func(string, Case) (ColdStart, error){"client": ColdClient, "raw": ColdRaw} {
		cs, err := f(srv.URL, cases[0])
		require.NoError(t, err, name)
		assert.Positive(t, cs.TotalNs, name)
		assert.GreaterOrEqual(t, cs.TotalNs, cs.NewNs, name)
	}
}

// BenchmarkClientSide times one call of each implementation through the
// in-process transport, unpaired: for profiles (-cpuprofile,
// -memprofile). make bench's paired rounds (scripts/benchpair) are the
// measure.
func BenchmarkClientSide(b *testing.B) {
	cases, err := Cases()
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: Canned{Answer: SmallAnswer}}
	client, err := NewClient("http://127.0.0.1:1", hc)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range cases {
		raw := NewRaw(hc, "http://127.0.0.1:1", c)
		b.Run("req="+c.Name+"/impl=facade", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Call(ctx, client); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("req="+c.Name+"/impl=raw", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := raw.Call(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
