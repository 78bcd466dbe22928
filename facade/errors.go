package cbpay

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
)

// ErrorType is the category Chargebee gives an error: the spec's
// APIErrorType, under the name APIError.Type reads best with. An error
// may have none, and Chargebee may add kinds.
type ErrorType = APIErrorType

// The error types Chargebee sends, the spec's APIErrorType constants.
const (
	ErrorTypePayment         = APIErrorTypePayment
	ErrorTypeInvalidRequest  = APIErrorTypeInvalidRequest
	ErrorTypeOperationFailed = APIErrorTypeOperationFailed
)

// Sentinels to test an error's category with errors.Is.
var (
	// ErrPayment: the payment method was declined or failed at the gateway.
	ErrPayment = errors.New("cbpay: payment error")
	// ErrInvalidRequest: Chargebee refused the request's parameters or state.
	ErrInvalidRequest = errors.New("cbpay: invalid request")
	// ErrOperationFailed: Chargebee could not complete the operation.
	ErrOperationFailed = errors.New("cbpay: operation failed")
	// ErrUnauthorized: the API key was refused (401).
	ErrUnauthorized = errors.New("cbpay: unauthorized")
	// ErrNotFound: a resource the call names does not exist (404).
	ErrNotFound = errors.New("cbpay: not found")
	// ErrRateLimited: too many requests (429).
	ErrRateLimited = errors.New("cbpay: rate limited")
	// ErrInvalidParams: the client refused the parameters before sending.
	ErrInvalidParams = errors.New("cbpay: invalid parameters")
)

// APIError is an error answer from Chargebee, or from a proxy in front of it.
type APIError struct {
	Operation  string // operationId, e.g. createPaymentIntent
	StatusCode int
	Type       ErrorType // may be empty
	Code       string    // api_error_code: the stable code to branch on
	Param      string    // the wire field at fault, e.g. card[last4]
	Message    string
	ErrorCode  string // error_code, Chargebee's older code
	// Excerpt is the start of a body that is not Chargebee's JSON error
	// (an HTML page from a proxy, say); empty otherwise.
	Excerpt string
	// Header is the answer's header, with the values of Authorization,
	// Proxy-Authorization, Cookie and Set-Cookie replaced by [REDACTED].
	//
	// Every text above that came from the answer (Type, Code, Param,
	// Message, ErrorCode, Excerpt, header values) has the call's secrets
	// removed: the API key, its Basic credentials and the values sent in
	// fields the spec marks x-cbpay-sensitive.
	Header         http.Header
	IdempotencyKey string
	Attempts       int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "cbpay: %s: %d", e.Operation, e.StatusCode)
	if e.Type != "" {
		b.WriteString(" " + string(e.Type))
	}
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Param != "" {
		b.WriteString(" (param " + e.Param + ")")
	}
	switch {
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.Excerpt != "":
		b.WriteString(": " + strconv.Quote(e.Excerpt))
	default:
		b.WriteString(": " + http.StatusText(e.StatusCode))
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Is matches the category sentinels: ErrPayment, ErrInvalidRequest,
// ErrOperationFailed by type; ErrUnauthorized, ErrNotFound, ErrRateLimited
// by status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrPayment:
		return e.Type == ErrorTypePayment
	case ErrInvalidRequest:
		return e.Type == ErrorTypeInvalidRequest
	case ErrOperationFailed:
		return e.Type == ErrorTypeOperationFailed
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// Temporary reports whether trying again later may succeed (429 or 5xx).
func (e *APIError) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

const excerptLen = 200

// decodeAPIError builds the error of a non-2xx answer. A body that is not
// Chargebee's JSON error keeps the real status and a short excerpt. Every
// text taken from the answer, and the headers kept, go through sc: a server
// or proxy may echo the request in any of them.
func decodeAPIError(op string, status int, header http.Header, body []byte, sc *scrubber) *APIError {
	e := &APIError{Operation: op, StatusCode: status, Header: sc.header(header)}
	var ae gen.ChargebeeError
	if err := json.Unmarshal(body, &ae); err == nil &&
		(ae.Message != "" || ae.APIErrorCode != nil || ae.ErrorMsg != nil || ae.ErrorCode != nil) {
		// Older errors carry only the legacy fields (error_msg,
		// error_code, error_param): they are Chargebee's too.
		msg := ae.Message
		if msg == "" {
			msg = ptr.Deref(ae.ErrorMsg)
		}
		e.Message = sc.scrub(msg)
		e.Type = ErrorType(sc.scrub(string(ptr.Deref(ae.Type))))
		e.Code = sc.scrub(ptr.Deref(ae.APIErrorCode))
		e.Param = ptr.Deref(ae.Param)
		if e.Param == "" {
			e.Param = ptr.Deref(ae.ErrorParam)
		}
		e.Param = sc.scrub(e.Param)
		e.ErrorCode = sc.scrub(ptr.Deref(ae.ErrorCode))
		return e
	}
	// Scrub before cutting, so no prefix of a secret survives the cut.
	e.Excerpt = excerpt(sc.scrub(string(body)))
	return e
}

// excerpt returns the start of body as one line of valid UTF-8.
func excerpt(body string) string {
	s := strings.TrimSpace(strings.ToValidUTF8(body, "\uFFFD"))
	if len(s) > excerptLen {
		s = s[:excerptLen]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return strings.Join(strings.Fields(s), " ")
}

// ValidationError lists the parameters the client refused before sending.
type ValidationError struct {
	Operation string
	Problems  []FieldError
}

// FieldError is one broken rule. Field is the name on the wire
// (card[last4], payment_method[type], a header or path parameter name);
// the value is never included.
type FieldError struct {
	Field string
	Rule  string
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Rule
	}
	return "cbpay: " + e.Operation + ": invalid parameters: " + strings.Join(parts, "; ")
}

// Is matches ErrInvalidParams.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidParams }

// RequestError is a call that got no usable answer: the network failed or
// the context ended. It unwraps to the cause, so errors.Is(err,
// context.Canceled) works, and to the last attempt's error when the context
// ended during a retry wait, so errors.As(err, &apiErr) still finds a 503.
//
// A transport error can quote the server (a malformed status line): when
// the text of Err held a secret of the call, Err is an error with that
// text scrubbed, which errors.Is still matches against the original
// (io.ErrUnexpectedEOF, context.DeadlineExceeded, ...) but which does not
// unwrap to it.
type RequestError struct {
	Operation      string
	Attempts       int
	IdempotencyKey string
	Err            error
	Last           error // the error of the last attempt, when Err ended the retries
}

func (e *RequestError) Error() string {
	msg := fmt.Sprintf("cbpay: %s: %v", e.Operation, e.Err)
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.Last != nil {
		msg += "; last attempt: " + strings.TrimPrefix(e.Last.Error(), "cbpay: "+e.Operation+": ")
	}
	return msg
}

func (e *RequestError) Unwrap() []error {
	if e.Last != nil {
		return []error{e.Err, e.Last}
	}
	return []error{e.Err}
}

// DecodeError is a 2xx answer whose body could not be read as the result.
// Chargebee applied the call: try it again with
// WithIdempotencyKey(e.IdempotencyKey) to have the stored answer replayed.
type DecodeError struct {
	Operation  string
	StatusCode int
	// Excerpt is the body's shape: string values masked, and the call's
	// secrets removed from keys and numbers.
	Excerpt        string
	IdempotencyKey string
	Attempts       int
	Err            error // scrubbed like RequestError.Err
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("cbpay: %s: decode %d response: %v (body %q)", e.Operation, e.StatusCode, e.Err, e.Excerpt)
}

func (e *DecodeError) Unwrap() error { return e.Err }
