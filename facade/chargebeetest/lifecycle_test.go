package chargebeetest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lifecycleClient(t *testing.T, opts ...chargebeetest.Option) (*chargebeetest.Server, *cbpay.Client) {
	t.Helper()
	srv := chargebeetest.NewServer(append([]chargebeetest.Option{chargebeetest.WithCustomers("cust_42", "cust_7")}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := srv.Client(cbpay.WithBackoff(time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

// The API v2 store-card path: an intent, its 3DS step, then the payment
// source from it; the intent is consumed and cannot store a card twice.
func TestCreatePaymentSourceUsingPaymentIntent(t *testing.T) {
	srv, c := lifecycleClient(t)
	ctx := context.Background()
	pi, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 0, CurrencyCode: "USD", CustomerID: ptr.To("cust_42")})
	require.NoError(t, err)
	card := chargebeetest.TestCard()
	card.Last4, card.Brand = "0005", "mastercard"
	require.NoError(t, srv.AuthorizePaymentIntentWithCard(pi.PaymentIntent.ID, card))

	res, err := c.CreatePaymentSourceUsingPaymentIntent(ctx, &cbpay.CreatePaymentSourceUsingPaymentIntentParams{
		CustomerID:    "cust_42",
		PaymentIntent: &cbpay.PaymentIntentParams{ID: &pi.PaymentIntent.ID},
	})
	require.NoError(t, err)
	assert.Equal(t, "cust_42", res.PaymentSource.CustomerID)
	assert.Equal(t, "0005", ptr.Deref(res.PaymentSource.Card.Last4))
	assert.Equal(t, res.PaymentSource.ID, ptr.Deref(res.Customer.PrimaryPaymentSourceID))
	assert.NotEmpty(t, res.Response.IdempotencyKey, "a POST carries an idempotency key")
	stored, _ := srv.PaymentIntent(pi.PaymentIntent.ID)
	assert.Equal(t, cbpay.PaymentIntentStatusConsumed, stored.Status)

	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	assert.Equal(t, "customer_id=cust_42&payment_intent%5Bid%5D="+pi.PaymentIntent.ID, last.Body)

	_, err = c.CreatePaymentSourceUsingPaymentIntent(ctx, &cbpay.CreatePaymentSourceUsingPaymentIntentParams{
		CustomerID: "cust_42", PaymentIntent: &cbpay.PaymentIntentParams{ID: &pi.PaymentIntent.ID}})
	var ae *cbpay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusConflict, ae.StatusCode)
	assert.Equal(t, "payment_intent[id]", ae.Param)

	// Another customer's intent, and an unknown customer.
	other, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 0, CurrencyCode: "USD", CustomerID: ptr.To("cust_7")})
	require.NoError(t, err)
	require.NoError(t, srv.AuthorizePaymentIntent(other.PaymentIntent.ID))
	_, err = c.CreatePaymentSourceUsingPaymentIntent(ctx, &cbpay.CreatePaymentSourceUsingPaymentIntentParams{
		CustomerID: "cust_42", PaymentIntent: &cbpay.PaymentIntentParams{ID: &other.PaymentIntent.ID}})
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	_, err = c.CreatePaymentSourceUsingPaymentIntent(ctx, &cbpay.CreatePaymentSourceUsingPaymentIntentParams{
		CustomerID: "cust_nobody", PaymentIntent: &cbpay.PaymentIntentParams{ID: &other.PaymentIntent.ID}})
	assert.ErrorIs(t, err, cbpay.ErrNotFound)
	assert.Len(t, srv.PaymentSources("cust_42"), 1)
}

func TestRetrieveAndDeletePaymentSource(t *testing.T) {
	srv, c := lifecycleClient(t)
	ctx := context.Background()
	first, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: "tok_1"})
	require.NoError(t, err)
	second, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "cust_42", TokenID: "tok_2"})
	require.NoError(t, err)
	id := first.PaymentSource.ID

	got, err := c.RetrievePaymentSource(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, first.PaymentSource, got.PaymentSource)
	assert.Empty(t, got.Response.IdempotencyKey, "a GET carries no idempotency key")
	req := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Empty(t, req.Header.Get("Content-Type"))
	assert.Empty(t, req.Header.Get("Chargebee-Idempotency-Key"))
	assert.Empty(t, req.Body)

	// The primary source goes: the customer has none left.
	del, err := c.DeletePaymentSource(ctx, id, &cbpay.DeletePaymentSourceParams{})
	require.NoError(t, err)
	assert.True(t, del.PaymentSource.Deleted)
	assert.Nil(t, del.Customer.PrimaryPaymentSourceID)
	assert.Nil(t, del.Customer.PaymentMethod)
	req = srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, "/api/v2/payment_sources/"+id+"/delete", req.Path)
	assert.Empty(t, req.Body)
	left := srv.PaymentSources("cust_42")
	require.Len(t, left, 1)
	assert.Equal(t, second.PaymentSource.ID, left[0].ID)

	_, err = c.RetrievePaymentSource(ctx, id, nil)
	assert.ErrorIs(t, err, cbpay.ErrNotFound)
	_, err = c.DeletePaymentSource(ctx, id, nil)
	assert.ErrorIs(t, err, cbpay.ErrNotFound)

	// Ids are escaped as one path segment; an empty one is refused before
	// any I/O.
	_, err = c.RetrievePaymentSource(ctx, "pm 1/é", nil)
	assert.ErrorIs(t, err, cbpay.ErrNotFound)
	assert.Equal(t, "/api/v2/payment_sources/pm%201%2F%C3%A9", srv.Requests()[len(srv.Requests())-1].RawPath)
	_, err = c.RetrievePaymentSource(ctx, "", nil)
	var ve *cbpay.ValidationError
	assert.ErrorAs(t, err, &ve)

	// A GET has no idempotency key to give.
	_, err = c.RetrievePaymentSource(ctx, second.PaymentSource.ID, nil, cbpay.WithIdempotencyKey("k1"))
	assert.ErrorAs(t, err, &ve)
}

// A GET is retried like any call (it reads, so it is safe without a key).
func TestRetrieveIsRetried(t *testing.T) {
	srv, c := lifecycleClient(t)
	ctx := context.Background()
	pi, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 100, CurrencyCode: "EUR"})
	require.NoError(t, err)
	srv.FailNext(2, chargebeetest.Fault{Status: 503})
	got, err := c.RetrievePaymentIntent(ctx, pi.PaymentIntent.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, got.Response.Attempts)
	assert.Equal(t, pi.PaymentIntent.ID, got.PaymentIntent.ID)
}

func TestRetrieveAndUpdatePaymentIntent(t *testing.T) {
	srv, c := lifecycleClient(t)
	ctx := context.Background()
	pi, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 5000, CurrencyCode: "USD", CustomerID: ptr.To("cust_42")})
	require.NoError(t, err)
	id := pi.PaymentIntent.ID

	up, err := c.UpdatePaymentIntent(ctx, id, &cbpay.UpdatePaymentIntentParams{Amount: ptr.To[int64](0), SuccessURL: ptr.To("https://shop.example/ok")})
	require.NoError(t, err)
	assert.Equal(t, int64(0), up.PaymentIntent.Amount, "amount=0 is sent")
	assert.Equal(t, "USD", ptr.Deref(up.PaymentIntent.CurrencyCode), "left out, kept")
	assert.Equal(t, "https://shop.example/ok", ptr.Deref(up.PaymentIntent.SuccessURL))
	assert.Equal(t, "amount=0&success_url=https%3A%2F%2Fshop.example%2Fok", srv.Requests()[len(srv.Requests())-1].Body)

	got, err := c.RetrievePaymentIntent(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, up.PaymentIntent, got.PaymentIntent)

	// Past inited/in_progress it cannot change.
	require.NoError(t, srv.AuthorizePaymentIntent(id))
	got, err = c.RetrievePaymentIntent(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, cbpay.PaymentIntentStatusAuthorized, got.PaymentIntent.Status)
	_, err = c.UpdatePaymentIntent(ctx, id, &cbpay.UpdatePaymentIntentParams{Amount: ptr.To[int64](1)})
	var ae *cbpay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusConflict, ae.StatusCode)
	assert.Equal(t, "invalid_state_for_request", ae.Code)

	_, err = c.RetrievePaymentIntent(ctx, "pi_nothing", nil)
	assert.True(t, errors.Is(err, cbpay.ErrNotFound), "%v", err)
}

// The fake refuses a body, or a query string, where the operation takes
// none.
func TestOperationsWithoutParametersTakeNone(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
	defer s.Close()
	r := send(t, newRequest(t, s, "/api/v2/payment_sources/pm_1/delete", "x=1"))
	requireError(t, r, http.StatusBadRequest, "param_not_allowed", "x")
	req := newRequest(t, s, "/api/v2/payment_intents/pi_1?x=1", "")
	req.Method = http.MethodGet
	r = send(t, req)
	assert.Equal(t, http.StatusBadRequest, r.status)
}

// update_card changes what it is given, refuses a source that is not a
// card (409), and an unknown id (404).
func TestUpdatePaymentSourceCard(t *testing.T) {
	s := chargebeetest.NewServer(chargebeetest.WithCustomers("c"))
	defer s.Close()
	c, err := s.Client()
	require.NoError(t, err)
	ctx := t.Context()
	card, err := c.CreatePaymentSourceUsingToken(ctx, &cbpay.CreatePaymentSourceUsingTokenParams{CustomerID: "c", TokenID: "tok_1"})
	require.NoError(t, err)
	res, err := c.UpdatePaymentSourceCard(ctx, card.PaymentSource.ID, &cbpay.UpdatePaymentSourceCardParams{
		Card: &cbpay.UpdateCardParams{FirstName: cbpay.Ptr("Ana"), BillingZip: cbpay.Ptr("78702")}})
	require.NoError(t, err)
	k := res.PaymentSource.Card
	assert.Equal(t, "Ana", *k.FirstName)
	assert.Equal(t, "78702", *k.BillingZip)
	assert.Equal(t, card.PaymentSource.Card.ExpiryYear, k.ExpiryYear, "what was not sent stays")
	stored := s.PaymentSources("c")[0]
	assert.Equal(t, "Ana", *stored.Card.FirstName)

	paypal, err := c.CreatePaymentSourceUsingPermanentToken(ctx, &cbpay.CreatePaymentSourceUsingPermanentTokenParams{
		CustomerID: "c", Type: cbpay.PaymentMethodTypePaypalExpressCheckout, ReferenceID: cbpay.Ptr("B-1")})
	require.NoError(t, err)
	_, err = c.UpdatePaymentSourceCard(ctx, paypal.PaymentSource.ID, &cbpay.UpdatePaymentSourceCardParams{})
	var ae *cbpay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 409, ae.StatusCode)
	_, err = c.UpdatePaymentSourceCard(ctx, "pm_nobody", &cbpay.UpdatePaymentSourceCardParams{})
	assert.ErrorIs(t, err, cbpay.ErrNotFound)
}
