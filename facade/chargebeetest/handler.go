package chargebeetest

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cbpay/cbpay/internal/form"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Handler is the fake Chargebee as an http.Handler: mount it on any
// http.Server (cbpay serve does), or let NewServer run it on a loopback
// port. Its methods seed and inspect state and inject faults; all of them,
// and ServeHTTP, are safe for concurrent use.
type Handler struct {
	spec             *spec
	apiKey           string
	kinOptions       openapi3filter.Options
	now              func() time.Time
	gatewayAccountID string
	autoCreate       bool
	maxRequests      int
	idempotency      bool

	done     chan struct{} // closed by shutdown: ends pending delays
	delayed  atomic.Int32  // requests held in the delay now, for tests
	doneOnce sync.Once

	// mu guards everything below. It is held across the idempotency check,
	// the operation and the storing of its answer, so two requests with the
	// same key can never both apply.
	mu          sync.Mutex
	st          store
	idem        *idemStore
	faults      faultState
	requests    []Request // a ring of at most maxRequests; see record
	reqNext     int       // where record writes once requests is full
	ids         *rand.Rand
	lastVersion int64
	opEvents    []*eventRec // events of the operation under way (webhooks.go)

	hooks *webhookSender // nil without WithWebhook
}

// NewHandler returns a fake Chargebee that serves the operations of the
// embedded spec under /api/v2 and /api/v1.
func NewHandler(opts ...Option) *Handler {
	cfg := newConfig(opts)
	seed := cfg.seed
	if !cfg.seeded {
		seed = rand.Uint64()
	}
	h := &Handler{
		spec:             mustSpec(),
		apiKey:           cfg.apiKey,
		now:              cfg.now,
		gatewayAccountID: cfg.gatewayAccountID,
		autoCreate:       cfg.autoCreate,
		maxRequests:      cfg.maxRequests,
		idempotency:      cfg.idempotency,
		done:             make(chan struct{}),
		st:               newStore(),
		idem:             newIdemStore(cfg.maxIdemKeys),
		ids:              rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		hooks:            newWebhookSender(cfg.webhook),
	}
	h.kinOptions = openapi3filter.Options{
		ExcludeRequestBody:  true,
		SkipSettingDefaults: true,
		AuthenticationFunc:  h.authenticate,
	}
	now := h.now()
	for _, id := range cfg.customers {
		h.addCustomerLocked(id, now)
	}
	return h
}

// response is what the fake decided to answer, before it is written.
type response struct {
	status      int
	contentType string
	body        []byte
	retryAfter  string
	replayed    bool
	drop        bool // close the connection instead of answering
	gone        bool // the client went away, or the fake shut down, during the delay
}

func jsonResponse(status int, body []byte) response {
	return response{status: status, contentType: "application/json;charset=utf-8", body: body}
}

func errorResponse(e *apiError) response {
	return jsonResponse(e.status, e.marshal())
}

// ServeHTTP answers one request: delay, injected fault, routing, spec
// validation, idempotency, the operation, and the drop fault, in that
// order. Every request is recorded for Requests (see
// WithMaxRecordedRequests and MaxRecordedBodyBytes).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	received := h.now()
	raw, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	decoded, formErr := form.Decode(string(raw))

	resp := h.handle(r, raw, readErr, decoded, formErr)

	if h.maxRequests > 0 {
		rec := Request{
			Method:   r.Method,
			Path:     r.URL.Path,
			RawPath:  r.URL.EscapedPath(),
			RawQuery: r.URL.RawQuery,
			Header:   r.Header.Clone(),
			// string() copies: the log never holds on to the whole body.
			Body:     string(raw[:min(len(raw), MaxRecordedBodyBytes)]),
			BodySize: len(raw),
			Time:     received,
			Status:   resp.status,
			Replayed: resp.replayed,
			Dropped:  resp.drop,
		}
		if formErr == nil && len(raw) <= MaxRecordedBodyBytes {
			rec.Form = decoded
		}
		if resp.gone {
			rec.Status = 0
		}
		h.record(rec)
	}

	if resp.gone || resp.drop {
		// Never let net/http send its default empty 200 for these.
		dropConnection(w)
		return
	}
	hdr := w.Header()
	if resp.contentType != "" {
		hdr.Set("Content-Type", resp.contentType)
	}
	if resp.retryAfter != "" {
		hdr.Set("Retry-After", resp.retryAfter)
	}
	if resp.replayed {
		hdr.Set(headerReplayed, "true")
	}
	hdr.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

func (h *Handler) handle(r *http.Request, raw []byte, readErr error, decoded map[string]any, formErr error) response {
	ctx := r.Context()
	if !h.wait(ctx) {
		return response{gone: true}
	}
	if f, ok := h.nextFault(); ok {
		return f.response()
	}
	op, params, pathFound := h.spec.match(r.Method, r.URL.EscapedPath())
	if op == nil {
		if pathFound {
			return errorResponse(newAPIError(http.StatusMethodNotAllowed, typeInvalidRequest, codeMethodNotSupported, "",
				"Sorry, the HTTP method "+r.Method+" is not supported for this resource"))
		}
		return errorResponse(newAPIError(http.StatusNotFound, typeInvalidRequest, codeNotFound, "",
			"Sorry, there is no such API endpoint"))
	}
	if e := h.checkEnvelope(ctx, op, r, params, len(raw)); e != nil {
		return errorResponse(e)
	}
	if readErr != nil {
		var tooBig *http.MaxBytesError
		if errors.As(readErr, &tooBig) {
			return errorResponse(invalidParam(codeParamWrongValue, "", "the body is larger than "+strconv.Itoa(maxBodyBytes)+" bytes"))
		}
		return errorResponse(invalidParam(codeParamWrongValue, "", "the body could not be read"))
	}
	if op.query {
		decoded, formErr = form.Decode(r.URL.RawQuery)
	}
	if formErr != nil {
		return errorResponse(formError(formErr))
	}
	body, e := h.checkBody(op, decoded)
	if e != nil {
		return errorResponse(e)
	}
	c := call{params: params, body: body, header: r.Header}
	if h.idempotency {
		c.idemKey = r.Header.Get(headerIdempotencyKey)
		c.print = fingerprint(r.Method, r.URL.EscapedPath(), r.Header, decoded)
	}
	resp := h.execute(op, c)
	resp.drop = h.shouldDrop()
	return resp
}

// wait sleeps the configured delay; false means the client went away (or
// the fake was shut down) first, and nothing should be done.
func (h *Handler) wait(ctx context.Context) bool {
	d := h.delay()
	if d <= 0 {
		return ctx.Err() == nil
	}
	h.delayed.Add(1)
	defer h.delayed.Add(-1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-h.done:
		return false
	}
}

// shutdown ends pending delays, so that closing a server does not wait for
// them.
func (h *Handler) shutdown() {
	h.doneOnce.Do(func() { close(h.done) })
}

// formError words a form.Decode error. An escape error would quote part of
// a value, so it gets a fixed message instead.
func formError(err error) *apiError {
	var esc url.EscapeError
	if errors.As(err, &esc) {
		return invalidParam(codeParamWrongValue, "", "the body is not valid "+formContentType)
	}
	return invalidParam(codeParamWrongValue, "", strings.TrimPrefix(err.Error(), "form: "))
}
