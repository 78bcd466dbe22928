package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cbpay/cbpay/webhook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServeSendsWebhooks: cbpay serve --webhook-url posts the events of
// what it did to a webhook.Handler, with the credentials given, and does
// not print the password.
func TestServeSendsWebhooks(t *testing.T) {
	got := make(chan *webhook.Event, 10)
	h, err := webhook.NewHandler(func(_ context.Context, e *webhook.Event) error {
		got <- e
		return nil
	}, webhook.WithBasicAuth("hooks", "pw-9d2c"))
	require.NoError(t, err)
	recv := httptest.NewServer(h)
	defer recv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--customer", "c",
			"--webhook-url", recv.URL + "/hook", "--webhook-user", "hooks", "--webhook-password", "pw-9d2c"}, out, io.Discard)
	}()
	addr := regexp.MustCompile(`http://(127\.0\.0\.1:\d+) `)
	var base string
	require.Eventually(t, func() bool {
		m := addr.FindStringSubmatch(out.String())
		if m != nil {
			base = "http://" + m[1]
		}
		return m != nil
	}, 5*time.Second, 10*time.Millisecond)
	assert.Contains(t, out.String(), "webhooks to "+recv.URL+`/hook (Basic auth as user "hooks")`)
	assert.NotContains(t, out.String(), "pw-9d2c")

	req, _ := http.NewRequest("POST", base+"/api/v2/payment_sources/create_using_token", strings.NewReader("customer_id=c&token_id=tok_1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("test_cbpay_fake_key", "")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)

	select {
	case e := <-got:
		assert.Equal(t, webhook.PaymentSourceAdded, e.Type)
		ps, ok := e.PaymentSource()
		require.True(t, ok)
		assert.Equal(t, "c", ps.CustomerID)
	case <-time.After(5 * time.Second):
		t.Fatal("no webhook")
	}
	cancel()
	assert.Equal(t, 0, <-done)
}

func TestServeWebhookFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--webhook-url", "ftp://example.com/hook"},
		{"--webhook-url", "/hook"},
		{"--webhook-user", "u"},
		{"--webhook-password", "p"},
	} {
		code, _, errOut := runCLI(t, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, errOut, "--webhook-", args)
	}
}
