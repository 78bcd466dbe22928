package chargebeetest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cbpay/cbpay/facade/chargebeetest"
)

// benchServe sends body to path through the Handler, in process, so that
// the numbers are the fake's own cost: validation, state and encoding.
func benchServe(b *testing.B, path, body string) {
	h := chargebeetest.NewHandler(chargebeetest.WithMaxRecordedRequests(1000), chargebeetest.WithCustomers("cust_1"))
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(chargebeetest.DefaultAPIKey, "")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

func BenchmarkCreatePaymentIntent(b *testing.B) {
	benchServe(b, pathIntents, "customer_id=cust_1&amount=5000&currency_code=USD&payment_method_type=card")
}

func BenchmarkCreateUsingPermanentToken(b *testing.B) {
	benchServe(b, pathPermToken, "customer_id=cust_1&type=card&payment_method_token=pm_1&customer_profile_token=cus_1"+
		"&card[iin]=411111&card[last4]=1111&card[brand]=visa&card[expiry_month]=12&card[expiry_year]=2030"+
		"&billing_address[line1]=1%20Main&billing_address[city]=Austin&billing_address[country]=US"+
		`&additional_information={"payer":{"document":"123"}}`)
}
