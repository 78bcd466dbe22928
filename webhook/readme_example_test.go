package webhook_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/webhook"
)

func TestPaymentSourceWebhook(t *testing.T) {
	// The service's webhook endpoint, built as in production.
	events := make(chan *webhook.Event, 10)
	h, err := webhook.NewHandler(func(ctx context.Context, e *webhook.Event) error {
		events <- e
		return nil
	}, webhook.WithBasicAuth("cb_hooks", "test-password"))
	if err != nil {
		t.Fatal(err)
	}
	endpoint := httptest.NewServer(h)
	defer endpoint.Close()

	// The fake Chargebee, sending its events there with those credentials.
	srv := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"),
		chargebeetest.WithWebhook(endpoint.URL, "cb_hooks", "test-password"),
		chargebeetest.WithWebhookRetry(3, time.Millisecond))
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	res, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{
		CustomerID: "cust_42", TokenID: "tok_from_chargebee_js"})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitWebhooks(ctx); err != nil { // delivered, or given up
		t.Fatal(err)
	}
	e := <-events
	ps, ok := e.PaymentSource()
	if e.Type != webhook.PaymentSourceAdded || !ok || ps.ID != res.PaymentSource.ID {
		t.Errorf("got %v", e)
	}
	if sent := srv.Events(); sent[0].WebhookStatus != chargebeetest.WebhookSucceeded {
		t.Errorf("delivery %s after %d attempts", sent[0].WebhookStatus, sent[0].Attempts)
	}
}
