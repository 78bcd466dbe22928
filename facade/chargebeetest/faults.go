package chargebeetest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	cbpay "github.com/cbpay/cbpay/facade"
)

// BodyKind is what an injected fault answers with.
type BodyKind int

const (
	// JSONBody is a Chargebee-shaped JSON error, as Chargebee itself sends.
	JSONBody BodyKind = iota
	// HTMLBody is a text/html page, as a proxy or load balancer in front of
	// Chargebee sends.
	HTMLBody
	// EmptyBody is no body at all.
	EmptyBody
)

// Fault is an answer the fake gives instead of serving a request. The
// request does not reach validation or the operation: nothing changes.
type Fault struct {
	// Status is the HTTP status, an error status from 400 to 599. Any
	// other number (0, a 1xx, 2xx or 3xx status, or a number that is not a
	// status) means 503: a fault never answers as a success or a redirect.
	Status int
	// RetryAfter, when positive, is sent as a Retry-After header in whole
	// seconds, rounded up.
	RetryAfter time.Duration
	// Body is the kind of body; JSONBody by default.
	Body BodyKind
	// Type is the type of a JSON body: cbpay.ErrorTypePayment,
	// ErrorTypeInvalidRequest or ErrorTypeOperationFailed. Empty picks
	// Chargebee's type for the status: none for 401 and 429,
	// operation_failed for 5xx, invalid_request otherwise. Chargebee sends
	// a declined or failed payment as status 400 with type payment:
	// Fault{Status: 400, Type: cbpay.ErrorTypePayment} simulates one, and
	// the client's error then matches cbpay.ErrPayment.
	Type cbpay.ErrorType
	// APIErrorCode is the api_error_code of a JSON body. Empty picks
	// Chargebee's code for the type or status: payment_processing_failed
	// for type payment, api_request_limit_exceeded for 429, internal_error
	// for 500, internal_temporary_error for other 5xx, and so on.
	APIErrorCode string
	// Message is the message of a JSON body (keep card data and keys out
	// of it, as Chargebee does). Empty picks a message for the status.
	Message string
}

type queuedFault struct {
	fault Fault
	left  int
}

// faultState is the fault configuration; the Handler's mutex guards it.
type faultState struct {
	queue    []queuedFault
	delay    time.Duration
	dropNext int
	dropRate float64
	dropRNG  *rand.Rand
}

// FailNext answers the next n requests with f, after any faults queued
// before. Injected faults come before authentication and validation, as a
// proxy's or a rate limiter's would.
func (h *Handler) FailNext(n int, f Fault) {
	if n <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults.queue = append(h.faults.queue, queuedFault{fault: f, left: n})
}

// SetDelay holds every answer back by d before the request is served. A
// client that gives up first (its context ends) leaves no trace in the
// state: the operation is not applied. Zero turns the delay off.
func (h *Handler) SetDelay(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults.delay = d
}

// DropAfterApply closes the connection of the next n requests that reach
// the operation, after it was applied and its idempotent answer stored but
// before any answer is written: the client sees a connection error although
// the state changed. Replays and operation errors count as reaching it.
func (h *Handler) DropAfterApply(n int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults.dropNext += n
}

// SetDropRate drops, as DropAfterApply does, each request that reaches the
// operation with probability p, drawn from a generator seeded with seed so
// that a failing run can be repeated. p <= 0 turns it off.
func (h *Handler) SetDropRate(p float64, seed int64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults.dropRate = p
	h.faults.dropRNG = rand.New(rand.NewPCG(uint64(seed), 0x2545f4914f6cdd1d))
}

// ClearFaults removes queued faults, the delay and both kinds of drops.
func (h *Handler) ClearFaults() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.faults = faultState{}
}

func (h *Handler) delay() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.faults.delay
}

// nextFault takes one use of the first queued fault.
func (h *Handler) nextFault() (Fault, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	q := h.faults.queue
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0].fault
	q[0].left--
	if q[0].left == 0 {
		h.faults.queue = q[1:]
	}
	return f, true
}

// shouldDrop decides whether a request that reached the operation loses its
// connection.
func (h *Handler) shouldDrop() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.faults.dropNext > 0 {
		h.faults.dropNext--
		return true
	}
	return h.faults.dropRate > 0 && h.faults.dropRNG != nil && h.faults.dropRNG.Float64() < h.faults.dropRate
}

// response renders the fault.
func (f Fault) response() response {
	status := f.Status
	if status < 400 || status > 599 {
		status = http.StatusServiceUnavailable
	}
	var r response
	switch f.Body {
	case HTMLBody:
		text := strconv.Itoa(status) + " " + http.StatusText(status)
		r = response{status: status, contentType: "text/html; charset=utf-8",
			body: fmt.Appendf(nil, "<html>\n<head><title>%s</title></head>\n<body>\n<h1>%s</h1>\n<p>injected by chargebeetest</p>\n</body>\n</html>\n", text, text)}
	case EmptyBody:
		r = response{status: status}
	default:
		r = errorResponse(faultError(status, f))
	}
	if f.RetryAfter > 0 {
		r.retryAfter = strconv.FormatInt(int64((f.RetryAfter+time.Second-1)/time.Second), 10)
	}
	return r
}

// faultError is the Chargebee error body of an injected fault: f's type,
// code and message, or the ones Chargebee uses for the status.
func faultError(status int, f Fault) *apiError {
	typ, defCode, msg := typeInvalidRequest, codeInvalidRequest, "Sorry, the request could not be processed (injected fault)."
	switch {
	case status == http.StatusUnauthorized:
		typ, defCode, msg = "", codeAuthFailed, "Sorry, authentication failed. Invalid api key"
	case status == http.StatusNotFound:
		defCode, msg = codeNotFound, "Sorry, the resource was not found (injected fault)."
	case status == http.StatusConflict:
		defCode, msg = codeInvalidState, "Sorry, the resource is not in a state for this request (injected fault)."
	case status == http.StatusUnprocessableEntity:
		defCode = codeUnableToProcess
	case status == http.StatusTooManyRequests:
		typ, defCode, msg = "", codeRateLimited, "Sorry, access has been blocked temporarily due to request count exceeding acceptable limits."
	case status == http.StatusInternalServerError:
		typ, defCode, msg = typeOperationFailed, codeInternalError, "Sorry, something went wrong when trying to process the request."
	case status >= 500:
		typ, defCode, msg = typeOperationFailed, codeInternalTemporary, "Sorry, Chargebee is temporarily unavailable. Please retry."
	}
	if f.Type != "" {
		typ = string(f.Type)
	}
	if typ == typePayment {
		defCode, msg = codePaymentFailed, "The payment could not be processed: the gateway declined it (injected fault)."
	}
	code := f.APIErrorCode
	if code == "" {
		code = defCode
	}
	if f.Message != "" {
		msg = f.Message
	}
	return newAPIError(status, typ, code, "", msg)
}

// dropConnection closes the client's connection without an answer. A
// hijacked TCP connection is closed outright; where hijacking is not
// possible (HTTP/2), http.ErrAbortHandler makes the server reset the stream
// without logging.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
