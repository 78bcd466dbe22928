package chargebeetest

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
)

// defaultListLimit is the page size of a list without limit, as in
// Chargebee.
const defaultListLimit = 10

// listSources: GET /api/v2/payment_sources. Filters: customer_id (is,
// is_not, starts_with, in, not_in), type and status (is, is_not, in,
// not_in), created_at and updated_at (after, before, on, between). The
// fake has no subscriptions, so subscription_id matches nothing, and it
// forgets deleted sources, so include_deleted adds none. Sources come in
// creation order, oldest first, unless sort_by says otherwise; a page holds
// limit of them (10 by default), and next_offset, present while more
// remain, names the last one given: the next page starts after it, so a
// source deleted between pages shifts nothing.
func (h *Handler) listSources(req gen.ListPaymentSourcesParams) (any, *apiError) {
	byUpdated, desc := false, false
	if sb := req.SortBy; sb != nil {
		switch {
		case sb.Asc != nil && sb.Desc != nil:
			return nil, invalidParam(codeParamWrongValue, "sort_by[desc]", "cannot be used together with sort_by[asc]")
		case sb.Asc != nil:
			byUpdated = *sb.Asc == "updated_at"
		case sb.Desc != nil:
			byUpdated, desc = *sb.Desc == "updated_at", true
		}
	}
	key := func(src *gen.PaymentSource) [2]int64 {
		v := src.CreatedAt
		if byUpdated {
			v = ptr.Deref(src.UpdatedAt)
		}
		return [2]int64{v, h.st.seq[src.ID]}
	}
	less := func(a, b [2]int64) bool {
		if desc {
			a, b = b, a
		}
		return a[0] < b[0] || a[0] == b[0] && a[1] < b[1]
	}
	var after *[2]int64
	if off := ptr.Deref(req.Offset); off != "" {
		k, ok := parseOffset(off)
		if !ok {
			return nil, invalidParam(codeParamWrongValue, "offset", "is not an offset this list gave")
		}
		after = &k
	}
	var all []*gen.PaymentSource
	for _, src := range h.st.sources {
		if req.SubscriptionID != nil || !matchSource(req, src) {
			continue
		}
		if after != nil && !less(*after, key(src)) {
			continue
		}
		all = append(all, src)
	}
	slices.SortFunc(all, func(a, b *gen.PaymentSource) int {
		if less(key(a), key(b)) {
			return -1
		}
		return 1
	})
	limit := defaultListLimit
	if req.Limit != nil {
		limit = *req.Limit
	}
	out := gen.PaymentSourceList{List: []gen.PaymentSourceListEntry{}}
	for i, src := range all {
		if i == limit {
			k := key(all[i-1])
			out.NextOffset = ptr.To(formatOffset(k))
			break
		}
		out.List = append(out.List, gen.PaymentSourceListEntry{PaymentSource: *src})
	}
	return out, nil
}

// formatOffset and parseOffset write and read next_offset, shaped as
// Chargebee's: a JSON array of strings, here the sort value and the
// source's place in creation order.
func formatOffset(k [2]int64) string {
	b, _ := json.Marshal([]string{strconv.FormatInt(k[0], 10), strconv.FormatInt(k[1], 10)})
	return string(b)
}

func parseOffset(s string) ([2]int64, bool) {
	var parts []string
	if json.Unmarshal([]byte(s), &parts) != nil || len(parts) != 2 {
		return [2]int64{}, false
	}
	var k [2]int64
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return [2]int64{}, false
		}
		k[i] = n
	}
	return k, true
}

// matchSource applies the list's filters to one source.
func matchSource(req gen.ListPaymentSourcesParams, src *gen.PaymentSource) bool {
	if f := req.CustomerID; f != nil {
		id := src.CustomerID
		if f.Is != nil && id != *f.Is || f.IsNot != nil && id == *f.IsNot ||
			f.StartsWith != nil && !strings.HasPrefix(id, *f.StartsWith) ||
			f.In != nil && !slices.Contains(listValues(*f.In), id) ||
			f.NotIn != nil && slices.Contains(listValues(*f.NotIn), id) {
			return false
		}
	}
	if f := req.Type; f != nil {
		t := string(src.Type)
		if f.Is != nil && t != string(*f.Is) || f.IsNot != nil && t == string(*f.IsNot) ||
			f.In != nil && !slices.Contains(listValues(*f.In), t) ||
			f.NotIn != nil && slices.Contains(listValues(*f.NotIn), t) {
			return false
		}
	}
	if f := req.Status; f != nil {
		st := string(src.Status)
		if f.Is != nil && st != string(*f.Is) || f.IsNot != nil && st == string(*f.IsNot) ||
			f.In != nil && !slices.Contains(listValues(*f.In), st) ||
			f.NotIn != nil && slices.Contains(listValues(*f.NotIn), st) {
			return false
		}
	}
	return matchTime(req.CreatedAt, src.CreatedAt) && matchTime(req.UpdatedAt, ptr.Deref(src.UpdatedAt))
}

// listValues reads a filter's list: a JSON array, as Chargebee's SDKs send
// it (["a","b"], [1704067200,1717199999]), the same without quotes
// ([a,b]), or a single value.
func listValues(s string) []string {
	var items []json.RawMessage
	if strings.HasPrefix(s, "[") && json.Unmarshal([]byte(s), &items) == nil {
		out := make([]string, len(items))
		for i, it := range items {
			if json.Unmarshal(it, &out[i]) != nil {
				out[i] = string(it) // a number
			}
		}
		return out
	}
	inner, ok := strings.CutPrefix(s, "[")
	if !ok {
		return []string{s}
	}
	inner = strings.TrimSuffix(inner, "]")
	var out []string
	for _, v := range strings.Split(inner, ",") {
		out = append(out, strings.Trim(strings.TrimSpace(v), `"`))
	}
	return out
}

func matchTime(f *gen.TimestampFilter, t int64) bool {
	if f == nil {
		return true
	}
	num := func(s *string) (int64, bool) {
		if s == nil {
			return 0, false
		}
		n, err := strconv.ParseInt(*s, 10, 64)
		return n, err == nil
	}
	if n, ok := num(f.After); ok && t <= n {
		return false
	}
	if n, ok := num(f.Before); ok && t >= n {
		return false
	}
	if n, ok := num(f.On); ok && t != n {
		return false
	}
	if f.Between != nil {
		v := listValues(*f.Between)
		if len(v) == 2 {
			lo, _ := strconv.ParseInt(v[0], 10, 64)
			hi, _ := strconv.ParseInt(v[1], 10, 64)
			if t < lo || t > hi {
				return false
			}
		}
	}
	return true
}
