package chargebeetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/gen"
)

// Example stores a card after 3DS: create a payment intent, let the fake
// stand in for Chargebee.js's 3DS step, then attach the card to the
// customer with the authorized intent.
func Example() {
	s := chargebeetest.NewServer()
	defer s.Close()
	// The customer exists in Chargebee before the checkout starts.
	s.AddCustomer("cust_42")

	call := func(path string, form url.Values, out any) int {
		req, err := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(form.Encode()))
		if err != nil {
			panic(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(s.APIKey, "")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		_ = json.Unmarshal(body, out)
		return resp.StatusCode
	}

	var created gen.PaymentIntentResponse
	status := call("/api/v2/payment_intents", url.Values{
		"amount":        {"5000"},
		"currency_code": {"USD"},
	}, &created)
	pi := created.PaymentIntent
	fmt.Println(status, pi.Status, pi.Amount, *pi.CurrencyCode)

	// Too early: the intent is not authorized yet.
	var refused gen.ChargebeeError
	status = call("/api/v1/customers/cust_42/credit_card_using_payment_intent",
		url.Values{"payment_intent_id": {pi.ID}}, &refused)
	fmt.Println(status, *refused.APIErrorCode)

	if err := s.AuthorizePaymentIntent(pi.ID); err != nil {
		panic(err)
	}
	var stored gen.V1CustomerCardResponse
	status = call("/api/v1/customers/cust_42/credit_card_using_payment_intent",
		url.Values{"payment_intent_id": {pi.ID}}, &stored)
	fmt.Println(status, *stored.Card.MaskedNumber, stored.Customer.PaymentMethod.ReferenceID == *stored.Card.ReferenceID)

	after, _ := s.PaymentIntent(pi.ID)
	fmt.Println(after.Status, len(s.PaymentSources("cust_42")))

	// Output:
	// 200 inited 5000 USD
	// 409 invalid_state_for_request
	// 200 ************4242 true
	// consumed 1
}

// ExampleHandler_FailNext makes the next request fail the way a rate
// limiter does; the one after it goes through.
func ExampleHandler_FailNext() {
	s := chargebeetest.NewServer()
	defer s.Close()
	s.FailNext(1, chargebeetest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second})

	for range 2 {
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v2/payment_intents",
			strings.NewReader("amount=100&currency_code=USD"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(s.APIKey, "")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("%d Retry-After=%q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	fmt.Println(s.Counts().PaymentIntents)

	// Output:
	// 429 Retry-After="2"
	// 200 Retry-After=""
	// 1
}

// ExampleFault_declinedCard simulates a card the gateway declines.
// Chargebee answers a payment error with status 400 and type payment,
// which the client reports as cbpay.ErrPayment. A token starting with
// DeclineTokenPrefix is declined the same way, without a queued fault.
func ExampleFault_declinedCard() {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer s.Close()
	c, err := s.Client()
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	s.FailNext(1, chargebeetest.Fault{
		Status:       http.StatusBadRequest,
		Type:         cbpay.ErrorTypePayment,
		APIErrorCode: "payment_processing_failed",
		Message:      "Your card was declined.",
	})
	_, err = c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: "tok_visa"})
	var ae *cbpay.APIError
	if errors.As(err, &ae) {
		fmt.Println(errors.Is(err, cbpay.ErrPayment), ae.StatusCode, ae.Code, ae.Message)
	}

	_, err = c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: chargebeetest.DeclineTokenPrefix})
	if errors.As(err, &ae) {
		fmt.Println(errors.Is(err, cbpay.ErrPayment), ae.StatusCode, ae.Code)
	}

	_, err = c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_unknown", TokenID: "tok_visa"})
	if errors.As(err, &ae) {
		fmt.Println(errors.Is(err, cbpay.ErrNotFound), ae.StatusCode, ae.Code, ae.Param)
	}
	fmt.Println(len(s.PaymentSources("cust_42")))

	// Output:
	// true 400 payment_processing_failed Your card was declined.
	// true 400 payment_method_verification_failed
	// true 404 resource_not_found customer_id
	// 0
}
