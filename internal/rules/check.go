package rules

import (
	"fmt"
	"strconv"
	"strings"
)

// Problem is one broken rule: the wire field and what is wrong with it. It
// never holds the value, which may be a token or card data.
type Problem struct {
	Field string
	Rule  string
}

func (p Problem) String() string { return p.Field + ": " + p.Rule }

// maxQuotedPattern is the longest pattern a problem quotes; a longer one
// (the IPv4/IPv6/host-name pattern of chargebee-request-origin-ip is about
// 2,000 characters) is named instead.
const maxQuotedPattern = 80

// CheckString checks a string value against r and returns the broken rule,
// or "" when the value is fine.
func (r *Rule) CheckString(s string) string {
	if r.Required && s == "" {
		return "is required and must not be empty"
	}
	n, valid := runeCount(s)
	if !valid {
		return "must be valid UTF-8"
	}
	if r.MinLength > 0 || r.MaxLength >= 0 {
		switch {
		case r.MinLength == r.MaxLength && n != r.MinLength:
			return fmt.Sprintf("must be exactly %d characters long", r.MinLength)
		case n < r.MinLength:
			if r.MinLength == 1 {
				return "must not be empty"
			}
			return fmt.Sprintf("must be at least %d characters long", r.MinLength)
		case r.MaxLength >= 0 && n > r.MaxLength:
			return fmt.Sprintf("must be at most %d characters long", r.MaxLength)
		}
	}
	// Enums are open: Chargebee adds payment method types and card brands
	// every few months, and a client pinned to an older list must not
	// refuse a payment Chargebee takes. Chargebee (and the fake) refuse
	// values they do not know.
	if r.Pattern != nil && !r.matches(s) {
		if p := r.Pattern.String(); len(p) <= maxQuotedPattern {
			return "must match " + p
		}
		return "must match the pattern api/openapi.yaml gives for it"
	}
	return ""
}

// CheckInt checks an integer value against r's range.
func (r *Rule) CheckInt(n int64) string {
	f := float64(n)
	switch {
	case r.Min != nil && f < *r.Min:
		return "must be at least " + strconv.FormatFloat(*r.Min, 'f', -1, 64)
	case r.Max != nil && f > *r.Max:
		return "must be at most " + strconv.FormatFloat(*r.Max, 'f', -1, 64)
	}
	return ""
}

// CheckHeader checks a header value: the rule's limits, and
// CheckHeaderSafety.
func (r *Rule) CheckHeader(v string) string {
	if msg := CheckHeaderSafety(v); msg != "" {
		return msg
	}
	return r.CheckString(v)
}

// CheckHeaderSafety refuses what would split a header (CR, LF) or what
// HTTP does not allow in a value (other control characters but tab).
func CheckHeaderSafety(v string) string {
	if strings.ContainsAny(v, "\r\n") {
		return "must not contain CR or LF"
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return "must not contain control characters"
		}
	}
	return ""
}
