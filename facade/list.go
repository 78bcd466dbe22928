package cbpay

import (
	"context"
	"encoding/json"
	"iter"
	"strings"
)

// List is the value of an in or not_in filter of a list: the values as one
// JSON array, the way Chargebee's SDKs send it.
//
//	Type: &cbpay.PaymentSourceTypeFilter{In: cbpay.List(cbpay.PaymentMethodTypeCard, cbpay.PaymentMethodTypeUpi)}
//
// sends type[in]=["card","upi"].
func List[T ~string](values ...T) *string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // as JSON.stringify: & < > as they are
	_ = enc.Encode(s)        // strings always encode
	out := strings.TrimSuffix(b.String(), "\n")
	return &out
}

// AllPaymentSources returns an iterator over every payment source the
// list's filters match, across pages: it calls ListPaymentSources for one
// page, yields its sources, and asks for the next with the page's
// next_offset until there is none. Each page is one call, checked and
// retried like any other; p is not changed (p.Offset, if set, is where the
// first page starts), and nil lists everything.
//
// The first error (from a page, or ctx ending) is yielded once, with a nil
// source, and the iteration stops. Breaking out of the loop stops it too:
// no page is fetched that was not needed.
//
//	for ps, err := range c.AllPaymentSources(ctx, &cbpay.ListPaymentSourcesParams{
//		CustomerID: &cbpay.CustomerIDFilter{Is: cbpay.Ptr("cust_42")},
//		Limit:      cbpay.Ptr(100),
//	}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(ps.ID)
//	}
func (c *Client) AllPaymentSources(ctx context.Context, p *ListPaymentSourcesParams, opts ...RequestOption) iter.Seq2[*PaymentSource, error] {
	return func(yield func(*PaymentSource, error) bool) {
		var q ListPaymentSourcesParams
		if p != nil {
			q = *p
		}
		for {
			res, err := c.ListPaymentSources(ctx, &q, opts...)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range res.List {
				if !yield(&res.List[i].PaymentSource, nil) {
					return
				}
			}
			if res.NextOffset == nil || *res.NextOffset == "" {
				return
			}
			next := *res.NextOffset
			q.Offset = &next
		}
	}
}
