package chargebeetest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/stretchr/testify/require"
)

// TestConcurrentUse runs every operation, the inspection methods and the
// fault knobs at once; run with -race. Each worker owns a customer, so the
// end state is known.
func TestConcurrentUse(t *testing.T) {
	s := chargebeetest.NewServer()
	defer s.Close()
	const workers = 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*8)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cust := fmt.Sprintf("cust_%d", w)
			s.AddCustomer(cust)
			post := func(path, body string) (reply, error) {
				req, err := buildRequest(s, path, body)
				if err != nil {
					return reply{}, err
				}
				r, err := trySend(req)
				if err == nil && r.status != http.StatusOK {
					err = fmt.Errorf("%s: %d %s", path, r.status, r.body)
				}
				return r, err
			}
			do := func(path, body string) {
				if _, err := post(path, body); err != nil {
					errs <- err
				}
			}
			do(pathToken, "customer_id="+cust+"&token_id=tok_"+cust)
			do(pathPermToken, "customer_id="+cust+"&type=card&reference_id=r_"+cust)
			do(pathUpdatePM(cust), "payment_method[type]=card")
			var pi struct {
				PaymentIntent struct {
					ID string `json:"id"`
				} `json:"payment_intent"`
			}
			r, err := post(pathIntents, "customer_id="+cust+"&amount=1&currency_code=USD")
			if err == nil {
				err = json.Unmarshal(r.body, &pi)
			}
			if err != nil {
				errs <- err
				return
			}
			if err := s.AuthorizePaymentIntent(pi.PaymentIntent.ID); err != nil {
				errs <- err
				return
			}
			do(pathCardUsingPI(cust), "payment_intent_id="+pi.PaymentIntent.ID)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			_ = s.Requests()
			_ = s.Counts()
			_ = s.PaymentSources("cust_0")
			_, _ = s.Customer("cust_1")
			s.SetDelay(0)
			s.DropAfterApply(0)
			time.Sleep(time.Millisecond)
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for w := range workers {
		require.Len(t, s.PaymentSources(fmt.Sprintf("cust_%d", w)), 4)
	}
	require.Equal(t, chargebeetest.Counts{Customers: workers, PaymentSources: 4 * workers, PaymentIntents: workers}, s.Counts())
}
