package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/cbpay/cbpay/webhook"
)

// The handler mounted in a net/http server, receiving a payment_source_added
// delivery as Chargebee sends it: POST, JSON, Basic auth.
func Example() {
	h, err := webhook.NewHandler(func(ctx context.Context, e *webhook.Event) error {
		switch e.Type {
		case webhook.PaymentSourceAdded, webhook.PaymentSourceUpdated:
			ps, _ := e.PaymentSource()
			fmt.Printf("%v: %s of %s is %s\n", e, ps.ID, ps.CustomerID, ps.Status)
		default:
			fmt.Println("ignored", e.Type)
		}
		return nil // 200: Chargebee will not deliver it again
	}, webhook.WithBasicAuth("cb_hooks", "a-long-random-password"))
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /chargebee/webhook", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// What Chargebee would send.
	body := `{"id":"ev_16BPgETyVrQbiGhA1","occurred_at":1767225601,"source":"api","object":"event",
	  "api_version":"v2","event_type":"payment_source_added","webhook_status":"scheduled",
	  "content":{"customer":{"id":"cust_42","auto_collection":"on","net_term_days":0,"allow_direct_debit":false,
	    "created_at":1767139200,"deleted":false,"excess_payments":0,"promotional_credits":0,"refundable_credits":0,"unbilled_charges":0},
	  "payment_source":{"id":"pm_169vujSL0rYZJ1Bk","customer_id":"cust_42","type":"card","reference_id":"cus_1/card_1",
	    "status":"valid","gateway":"stripe","created_at":1767225600,"deleted":false,
	    "card":{"last4":"4242","brand":"visa","expiry_month":12,"expiry_year":2030}}}}`
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/chargebee/webhook", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("cb_hooks", "a-long-random-password")
	resp, err := srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/chargebee/webhook", strings.NewReader(body))
	req.SetBasicAuth("cb_hooks", "a-guess")
	resp, err = srv.Client().Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.Status)

	// Output:
	// webhook.Event{id:"ev_16BPgETyVrQbiGhA1" type:"payment_source_added" occurred_at:1767225601}: pm_169vujSL0rYZJ1Bk of cust_42 is valid
	// 200 OK
	// 401 Unauthorized
}
