package chargebeetest_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	cbpay "github.com/cbpay/cbpay/facade"
	"github.com/cbpay/cbpay/facade/chargebeetest"
	"github.com/cbpay/cbpay/internal/ptr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// addSources stores n card sources for customer through the API, and
// returns their ids in creation order.
func addSources(t *testing.T, c *cbpay.Client, customer string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		res, err := c.CreatePaymentSourceUsingPermanentToken(context.Background(), &cbpay.CreatePaymentSourceUsingPermanentTokenParams{
			CustomerID: customer, Type: cbpay.PaymentMethodTypeCard, ReferenceID: ptr.To("ref_" + customer + "_" + strconv.Itoa(i))})
		require.NoError(t, err)
		ids[i] = res.PaymentSource.ID
	}
	return ids
}

func listRequests(srv *chargebeetest.Server) []chargebeetest.Request {
	var out []chargebeetest.Request
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Path == "/api/v2/payment_sources" {
			out = append(out, r)
		}
	}
	return out
}

// The iterator walks a customer's 250 sources in pages of 100: three
// requests, every source once, in order, none of another customer's.
func TestAllPaymentSourcesWalksEveryPage(t *testing.T) {
	srv, c := lifecycleClient(t)
	want := addSources(t, c, "cust_42", 250)
	addSources(t, c, "cust_7", 3)

	var got []string
	for ps, err := range c.AllPaymentSources(context.Background(), &cbpay.ListPaymentSourcesParams{
		CustomerID: &cbpay.CustomerIDFilter{Is: ptr.To("cust_42")},
		Limit:      ptr.To(100),
	}) {
		require.NoError(t, err)
		got = append(got, ps.ID)
	}
	assert.Equal(t, want, got)
	reqs := listRequests(srv)
	require.Len(t, reqs, 3)
	assert.Equal(t, "customer_id%5Bis%5D=cust_42&limit=100", reqs[0].RawQuery)
	assert.Contains(t, reqs[1].RawQuery, "offset=")
	for _, r := range reqs {
		assert.Empty(t, r.Body)
		assert.Empty(t, r.Header.Get("Content-Type"))
	}
}

func TestListPaymentSourcesPagesAndFilters(t *testing.T) {
	srv, c := lifecycleClient(t)
	ctx := context.Background()
	ids := addSources(t, c, "cust_42", 12)
	other := addSources(t, c, "cust_7", 1)

	// No parameters: the default page of 10, with next_offset.
	page, err := c.ListPaymentSources(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, page.List, 10)
	require.NotNil(t, page.NextOffset)
	page, err = c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{Offset: page.NextOffset})
	require.NoError(t, err)
	require.Len(t, page.List, 3)
	assert.Nil(t, page.NextOffset, "the last page")
	assert.Equal(t, other[0], page.List[2].PaymentSource.ID)

	// Filters, and the order.
	page, err = c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{
		CustomerID: &cbpay.CustomerIDFilter{In: ptr.To("[cust_7,cust_nobody]")}})
	require.NoError(t, err)
	require.Len(t, page.List, 1)
	assert.Equal(t, "cust_7", page.List[0].PaymentSource.CustomerID)
	page, err = c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{
		Type:   &cbpay.PaymentSourceTypeFilter{Is: ptr.To(cbpay.PaymentMethodTypeDirectDebit)},
		Status: &cbpay.PaymentSourceStatusFilter{Is: ptr.To(cbpay.PaymentSourceStatusValid)}})
	require.NoError(t, err)
	assert.Empty(t, page.List)
	// Lists as Chargebee's SDKs send them, JSON arrays, and without quotes.
	for _, f := range []cbpay.ListPaymentSourcesParams{
		{CustomerID: &cbpay.CustomerIDFilter{In: cbpay.List("cust_7", "cust_nobody")}},
		{CustomerID: &cbpay.CustomerIDFilter{NotIn: cbpay.List("cust_42")}},
		{CustomerID: &cbpay.CustomerIDFilter{Is: ptr.To("cust_7")},
			Type:   &cbpay.PaymentSourceTypeFilter{In: cbpay.List(cbpay.PaymentMethodTypeUpi, cbpay.PaymentMethodTypeCard)},
			Status: &cbpay.PaymentSourceStatusFilter{In: cbpay.List(cbpay.PaymentSourceStatusValid, cbpay.PaymentSourceStatusExpiring)}},
		{CustomerID: &cbpay.CustomerIDFilter{Is: ptr.To("cust_7")}, Type: &cbpay.PaymentSourceTypeFilter{In: ptr.To("[upi,card]")}},
		{CustomerID: &cbpay.CustomerIDFilter{Is: ptr.To("cust_7")}, Type: &cbpay.PaymentSourceTypeFilter{IsNot: ptr.To(cbpay.PaymentMethodTypeUpi)}},
	} {
		page, err = c.ListPaymentSources(ctx, &f)
		require.NoError(t, err)
		require.Len(t, page.List, 1, "%v", f)
		assert.Equal(t, other[0], page.List[0].PaymentSource.ID)
	}
	sent := listRequests(srv)
	assert.Contains(t, sent[len(sent)-1].RawQuery, "type%5Bis_not%5D=upi")
	assert.True(t, slices.ContainsFunc(sent, func(r chargebeetest.Request) bool {
		return strings.Contains(r.RawQuery, "type%5Bin%5D=%5B%22upi%22%2C%22card%22%5D")
	}), "type[in]=[\"upi\",\"card\"], as Chargebee's Node SDK sends it")
	for _, f := range []cbpay.ListPaymentSourcesParams{
		{Type: &cbpay.PaymentSourceTypeFilter{In: cbpay.List(cbpay.PaymentMethodTypeUpi, cbpay.PaymentMethodTypeDirectDebit)}},
		{Type: &cbpay.PaymentSourceTypeFilter{NotIn: cbpay.List(cbpay.PaymentMethodTypeCard)}},
		{Type: &cbpay.PaymentSourceTypeFilter{IsNot: ptr.To(cbpay.PaymentMethodTypeCard)}},
		{Status: &cbpay.PaymentSourceStatusFilter{NotIn: cbpay.List(cbpay.PaymentSourceStatusValid)}},
	} {
		page, err = c.ListPaymentSources(ctx, &f)
		require.NoError(t, err)
		assert.Empty(t, page.List, "%v", f)
	}
	desc := cbpay.PaymentSourceSortFieldCreatedAt
	page, err = c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{
		CustomerID: &cbpay.CustomerIDFilter{Is: ptr.To("cust_42")}, SortBy: &cbpay.PaymentSourceSortBy{Desc: &desc}, Limit: ptr.To(2)})
	require.NoError(t, err)
	require.Len(t, page.List, 2)
	assert.Equal(t, ids[11], page.List[0].PaymentSource.ID)

	// A deleted source leaves the list; an offset stays valid across it.
	first, err := c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{Limit: ptr.To(5)})
	require.NoError(t, err)
	_, err = c.DeletePaymentSource(ctx, ids[5], nil)
	require.NoError(t, err)
	next, err := c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{Limit: ptr.To(1), Offset: first.NextOffset})
	require.NoError(t, err)
	assert.Equal(t, ids[6], next.List[0].PaymentSource.ID)

	// The client refuses what Chargebee would: limit 1-100.
	_, err = c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{Limit: ptr.To(101)})
	var ve *cbpay.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "limit", ve.Problems[0].Field)
	// The fake refuses an offset it did not give.
	_, err = c.ListPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{Offset: ptr.To("nope")})
	var ae *cbpay.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "offset", ae.Param)
}

// Each page is retried like any call; the first error that is not
// retried is yielded once and ends the walk; breaking out fetches no
// further page.
func TestAllPaymentSourcesErrorsAndBreak(t *testing.T) {
	srv, c := lifecycleClient(t)
	addSources(t, c, "cust_42", 5)
	params := &cbpay.ListPaymentSourcesParams{Limit: ptr.To(2)}
	ctx := context.Background()

	srv.FailNext(1, chargebeetest.Fault{Status: 503})
	n := 0
	for _, err := range c.AllPaymentSources(ctx, params) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 5, n, "a 503 on the first page was retried")
	assert.Nil(t, params.Offset, "the caller's parameters are not changed")

	// A page that fails for good: after the first page, one error, then
	// nothing.
	before := len(listRequests(srv))
	var ids []string
	var errs []error
	for ps, err := range c.AllPaymentSources(ctx, params) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ids = append(ids, ps.ID)
		if len(ids) == 2 {
			srv.FailNext(1, chargebeetest.Fault{Status: 400, APIErrorCode: "param_wrong_value"})
		}
	}
	assert.Len(t, ids, 2)
	require.Len(t, errs, 1)
	var ae *cbpay.APIError
	assert.ErrorAs(t, errs[0], &ae)
	assert.Equal(t, before+2, len(listRequests(srv)), "two pages asked for, the second refused (400 is not retried)")

	// Break after the first source: one request.
	before = len(srv.Requests())
	for range c.AllPaymentSources(ctx, params) {
		break
	}
	assert.Equal(t, before+1, len(srv.Requests()))

	// A context that ended: its error, once.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	errs = nil
	for ps, err := range c.AllPaymentSources(cctx, params) {
		assert.Nil(t, ps)
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}
