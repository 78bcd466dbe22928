package cbpay

import (
	"encoding/base64"
	"net/http"
	"strings"
	"unicode/utf8"
)

// The request headers Chargebee documents for these operations.
const (
	HeaderIdempotencyKey    = "chargebee-idempotency-key"
	HeaderReplayed          = "chargebee-idempotency-replayed"
	HeaderOriginDevice      = "chargebee-request-origin-device"
	HeaderOriginIP          = "chargebee-request-origin-ip"
	HeaderOriginUser        = "chargebee-request-origin-user"
	HeaderOriginUserEncoded = "chargebee-request-origin-user-encoded"
	HeaderBusinessEntity    = "chargebee-business-entity-id"
	HeaderEventWebhook      = "chargebee-event-webhook"
	HeaderEventActions      = "chargebee-event-actions"
	HeaderEventEmail        = "chargebee-event-email"
)

// HeaderIdempotencyKey and HeaderReplayed as http.Header stores them.
const (
	canonicalIdempotencyKey = "Chargebee-Idempotency-Key"
	canonicalReplayed       = "Chargebee-Idempotency-Replayed"
)

// canonicalHeader is http.CanonicalHeaderKey(name), without building a new
// string for the documented headers, whose names are constants.
func canonicalHeader(name string) string {
	switch name {
	case HeaderIdempotencyKey:
		return canonicalIdempotencyKey
	case HeaderOriginDevice:
		return "Chargebee-Request-Origin-Device"
	case HeaderOriginIP:
		return "Chargebee-Request-Origin-Ip"
	case HeaderOriginUser:
		return "Chargebee-Request-Origin-User"
	case HeaderOriginUserEncoded:
		return "Chargebee-Request-Origin-User-Encoded"
	case HeaderBusinessEntity:
		return "Chargebee-Business-Entity-Id"
	case HeaderEventWebhook:
		return "Chargebee-Event-Webhook"
	case HeaderEventActions:
		return "Chargebee-Event-Actions"
	case HeaderEventEmail:
		return "Chargebee-Event-Email"
	}
	return http.CanonicalHeaderKey(name)
}

// skipAll is the one value the chargebee-event-* headers take.
const skipAll = "all-disabled"

// RequestOption sets headers of one request, or of every request of a client
// through WithRequestDefaults.
type RequestOption func(*requestConfig)

type requestConfig struct {
	headers []headerValue // later entries win for the same name
}

type headerValue struct {
	name, value string
	remove      string // a header this one replaces (the other origin-user form)
}

func (r *requestConfig) set(name, value string) {
	r.headers = append(r.headers, headerValue{name: name, value: value})
}

// WithIdempotencyKey sends key as chargebee-idempotency-key (at most 100
// characters). Every retry of the call reuses it. Without it the client
// generates a UUID for each call.
func WithIdempotencyKey(key string) RequestOption {
	return func(r *requestConfig) { r.set(HeaderIdempotencyKey, key) }
}

// WithOriginDevice names the device the customer's request came from.
func WithOriginDevice(device string) RequestOption {
	return func(r *requestConfig) { r.set(HeaderOriginDevice, device) }
}

// WithOriginIP gives the IP address the customer's request came from.
func WithOriginIP(ip string) RequestOption {
	return func(r *requestConfig) { r.set(HeaderOriginIP, ip) }
}

// WithOriginUser gives the email address of the customer or user behind the
// request. An ASCII address goes in chargebee-request-origin-user; any other
// is Base64-encoded into chargebee-request-origin-user-encoded, as Chargebee
// requires.
func WithOriginUser(email string) RequestOption {
	return func(r *requestConfig) {
		if isASCII(email) {
			r.headers = append(r.headers, headerValue{name: HeaderOriginUser, value: email, remove: HeaderOriginUserEncoded})
			return
		}
		enc := base64.StdEncoding.EncodeToString([]byte(email))
		r.headers = append(r.headers, headerValue{name: HeaderOriginUserEncoded, value: enc, remove: HeaderOriginUser})
	}
}

// WithBusinessEntity acts for the given business entity on a site with
// several. API v2 operations only: the v1 operation refuses it.
func WithBusinessEntity(id string) RequestOption {
	return func(r *requestConfig) { r.set(HeaderBusinessEntity, id) }
}

// SkipWebhooks asks Chargebee not to send webhooks for the call's events.
func SkipWebhooks() RequestOption {
	return func(r *requestConfig) { r.set(HeaderEventWebhook, skipAll) }
}

// SkipActions asks Chargebee to skip every action on the call's events.
func SkipActions() RequestOption {
	return func(r *requestConfig) { r.set(HeaderEventActions, skipAll) }
}

// SkipEmails asks Chargebee not to send emails for the call's events.
func SkipEmails() RequestOption {
	return func(r *requestConfig) { r.set(HeaderEventEmail, skipAll) }
}

// WithHeader sets any other header. Values with control characters, and the
// headers the client owns (Authorization, Accept, Content-Type,
// Content-Length, Host, User-Agent: see WithUserAgentSuffix), are refused
// when the call is made.
func WithHeader(name, value string) RequestOption {
	return func(r *requestConfig) { r.set(http.CanonicalHeaderKey(name), value) }
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// resolved is the final header list of a call: one value per name.
type resolved []headerValue

// resolveHeaders merges client defaults and call options; a later value for
// the same name wins, and an origin-user form removes the other form.
// Defaults that the operation does not declare (the business entity on the
// v1 operation) are dropped; such a call option is reported in bad.
func resolveHeaders(defaults, call []RequestOption, declared func(string) bool) (out resolved, bad []string) {
	if len(defaults) == 0 && len(call) == 0 {
		return nil, nil // before dc and cc, which escape to the heap
	}
	var dc, cc requestConfig
	for _, o := range defaults {
		if o != nil {
			o(&dc)
		}
	}
	for _, o := range call {
		if o != nil {
			o(&cc)
		}
	}
	add := func(h headerValue) {
		kept := out[:0]
		for _, e := range out {
			if !strings.EqualFold(e.name, h.name) && !strings.EqualFold(e.name, h.remove) {
				kept = append(kept, e)
			}
		}
		out = append(kept, h)
	}
	for _, h := range dc.headers {
		if isChargebeeHeader(h.name) && !declared(h.name) {
			continue
		}
		add(h)
	}
	for _, h := range cc.headers {
		if isChargebeeHeader(h.name) && !declared(h.name) {
			bad = append(bad, h.name)
			continue
		}
		add(h)
	}
	return out, bad
}

// reservedHeaders are set by the client; WithHeader may not replace them.
var reservedHeaders = map[string]bool{
	"Authorization": true, "Accept": true, "Content-Type": true, "Content-Length": true, "Host": true, "User-Agent": true,
}

// validHeaderName reports whether name is an HTTP token (RFC 9110).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 0x80 || c <= ' ' || strings.IndexByte("\"(),/:;<=>?@[\\]{}\x7f", c) >= 0 {
			return false
		}
	}
	return true
}

func isChargebeeHeader(name string) bool {
	return len(name) > 10 && strings.EqualFold(name[:10], "chargebee-")
}

func (r resolved) get(name string) string {
	for _, h := range r {
		if strings.EqualFold(h.name, name) {
			return h.value
		}
	}
	return ""
}
