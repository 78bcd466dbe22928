package chargebeetest

import (
	"container/list"
	"encoding/json"
	"net/http"
	"time"
)

const (
	headerIdempotencyKey = "chargebee-idempotency-key"
	headerReplayed       = "chargebee-idempotency-replayed"
	headerBusinessEntity = "chargebee-business-entity-id"
)

// fingerprintHeaders are the request headers that change an operation's
// answer, and so are part of what "the same parameters" means for
// idempotency. The idempotency key itself is not; nor are the request-origin
// headers (fraud signals, which do not change the answer) or the event
// headers (which skip webhooks, emails and actions, not part of the answer).
var fingerprintHeaders = []string{headerBusinessEntity}

// idemEntry is the stored answer to the first request with a key.
type idemEntry struct {
	key    string
	print  string
	status int
	body   []byte
	stored time.Time
	elem   *list.Element // in idemStore.order
}

// idemStore holds stored idempotent answers, oldest first in order, at most
// limit of them, each for IdempotencyKeyLifetime. The Handler's mutex
// guards it.
type idemStore struct {
	limit   int
	entries map[string]*idemEntry
	order   *list.List // of *idemEntry, oldest at the front
}

func newIdemStore(limit int) *idemStore {
	return &idemStore{limit: limit, entries: map[string]*idemEntry{}, order: list.New()}
}

// expired says whether e is past its lifetime at now.
func (e *idemEntry) expired(now time.Time) bool {
	return !now.Before(e.stored.Add(IdempotencyKeyLifetime))
}

// get returns the live entry for key, forgetting it when it expired.
func (s *idemStore) get(key string, now time.Time) (*idemEntry, bool) {
	e, ok := s.entries[key]
	if !ok {
		return nil, false
	}
	if e.expired(now) {
		s.remove(e)
		return nil, false
	}
	return e, true
}

// put stores an answer, then forgets expired entries from the oldest on
// and the oldest entries past the limit.
func (s *idemStore) put(e *idemEntry, now time.Time) {
	if s.limit <= 0 {
		return
	}
	if old, ok := s.entries[e.key]; ok {
		s.remove(old)
	}
	e.elem = s.order.PushBack(e)
	s.entries[e.key] = e
	for front := s.order.Front(); front != nil; front = s.order.Front() {
		oldest := front.Value.(*idemEntry)
		if len(s.entries) <= s.limit && !oldest.expired(now) {
			break
		}
		s.remove(oldest)
	}
}

func (s *idemStore) remove(e *idemEntry) {
	s.order.Remove(e.elem)
	delete(s.entries, e.key)
}

// len is the number of entries held, expired ones not yet forgotten
// included.
func (s *idemStore) len() int { return len(s.entries) }

// call is a validated request on its way to an operation.
type call struct {
	params  map[string]string // path parameters, unescaped
	body    map[string]any    // body with typed leaves
	header  http.Header
	idemKey string // empty when there is none or the fake ignores keys
	print   string // what "same parameters" means for idempotency
}

// fingerprint identifies a request's parameters for idempotency: method,
// path as sent, the headers that change the answer (fingerprintHeaders;
// absent and empty are the same), and the decoded body (json.Marshal sorts
// map keys, so the order of the form's pairs does not matter).
func fingerprint(method, escapedPath string, header http.Header, form map[string]any) string {
	hdr := make(map[string]string, len(fingerprintHeaders))
	for _, name := range fingerprintHeaders {
		if v := header.Get(name); v != "" {
			hdr[name] = v
		}
	}
	h, err := json.Marshal(hdr)
	if err != nil {
		h = nil // a map of strings always marshals
	}
	b, err := json.Marshal(form)
	if err != nil {
		// Decoded forms hold only strings and maps; this cannot happen.
		b = nil
	}
	return method + " " + escapedPath + "\n" + string(h) + "\n" + string(b)
}

// execute runs an operation with Chargebee's idempotency rules. With a
// chargebee-idempotency-key, the first successful answer is stored; a later
// request with the same key and parameters gets that answer again, marked
// with chargebee-idempotency-replayed: true, and the operation is not
// applied again; the same key with other parameters is refused with 422.
// Failed answers are not stored: they changed nothing, so running the
// operation again is as safe as replaying them. Stored answers expire after
// IdempotencyKeyLifetime and are bounded by WithIdempotencyLimit.
//
// The state lock is held from the key lookup to the storing of the answer,
// so concurrent requests with one key apply the operation once.
func (h *Handler) execute(op *operation, c call) response {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.now()
	if c.idemKey != "" {
		if e, ok := h.idem.get(c.idemKey, now); ok {
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
		h.idem.put(&idemEntry{key: c.idemKey, print: c.print, status: status, body: body, stored: now}, now)
	}
	return jsonResponse(status, body)
}
