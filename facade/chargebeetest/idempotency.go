package chargebeetest

import (
	"encoding/json"
	"net/http"
)

const (
	headerIdempotencyKey = "chargebee-idempotency-key"
	headerReplayed       = "chargebee-idempotency-replayed"
)

// idemEntry is the stored answer to the first request with a key.
type idemEntry struct {
	print  string
	status int
	body   []byte
}

// call is a validated request on its way to an operation.
type call struct {
	params  map[string]string // path parameters, unescaped
	body    map[string]any    // body with typed leaves
	header  http.Header
	idemKey string
	print   string // what "same parameters" means for idempotency
}

// fingerprint identifies a request's parameters for idempotency: method,
// path as sent, and the decoded body (json.Marshal sorts map keys, so the
// order of the form's pairs does not matter).
func fingerprint(method, escapedPath string, form map[string]any) string {
	b, err := json.Marshal(form)
	if err != nil {
		// Decoded forms hold only strings and maps; this cannot happen.
		b = nil
	}
	return method + " " + escapedPath + "\n" + string(b)
}

// execute runs an operation with Chargebee's idempotency rules. With a
// chargebee-idempotency-key, the first successful answer is stored; a later
// request with the same key and parameters gets that answer again, marked
// with chargebee-idempotency-replayed: true, and the operation is not
// applied again; the same key with other parameters is refused with 422.
// Failed answers are not stored: they changed nothing, so running the
// operation again is as safe as replaying them.
//
// The state lock is held from the key lookup to the storing of the answer,
// so concurrent requests with one key apply the operation once.
func (h *Handler) execute(op *operation, c call) response {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c.idemKey != "" {
		if e, ok := h.idem[c.idemKey]; ok {
			if e.print != c.print {
				return errorResponse(newAPIError(http.StatusUnprocessableEntity, typeInvalidRequest, codeUnableToProcess, headerIdempotencyKey,
					"The idempotency key was already used with different parameters"))
			}
			r := jsonResponse(e.status, e.body)
			r.replayed = true
			return r
		}
	}
	status, body := h.apply(op, c)
	if c.idemKey != "" && status >= 200 && status < 300 {
		h.idem[c.idemKey] = &idemEntry{print: c.print, status: status, body: body}
	}
	return jsonResponse(status, body)
}
