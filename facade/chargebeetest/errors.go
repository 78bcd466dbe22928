package chargebeetest

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/cbpay/cbpay/gen"
	"github.com/cbpay/cbpay/internal/ptr"
)

// Errors returned by the Handler's test helpers (AuthorizePaymentIntent and
// friends); match them with errors.Is.
var (
	// ErrNotFound means the object named does not exist.
	ErrNotFound = errors.New("chargebeetest: not found")
	// ErrInvalidState means the object is not in a state that allows the
	// change (an intent that is consumed or expired cannot be authorized).
	ErrInvalidState = errors.New("chargebeetest: invalid state")
)

// Error types of Chargebee's error body (the "type" field).
const (
	typeInvalidRequest  = "invalid_request"
	typePayment         = "payment"
	typeOperationFailed = "operation_failed"
)

// api_error_code values the fake answers with. Chargebee's own codes where
// one exists; param_required and param_not_allowed are the fake's names for
// a missing and an unexpected parameter.
const (
	codeParamWrongValue      = "param_wrong_value"
	codeParamRequired        = "param_required"
	codeParamNotAllowed      = "param_not_allowed"
	codeAuthFailed           = "api_authentication_failed"
	codeNotFound             = "resource_not_found"
	codeMethodNotSupported   = "http_method_not_supported"
	codeInvalidState         = "invalid_state_for_request"
	codeUnableToProcess      = "unable_to_process_request"
	codeVerificationFailed   = "payment_method_verification_failed"
	codePaymentFailed        = "payment_processing_failed"
	codeRateLimited          = "api_request_limit_exceeded"
	codeInternalError        = "internal_error"
	codeInternalTemporary    = "internal_temporary_error"
	codeInvalidRequest       = "invalid_request"
	errorCodeInvalidKey      = "api_authentication_invalid_key"
	errorCodeReferencedNotFd = "referenced_resource_not_found"
)

// apiError is a refusal in Chargebee's shape: a status and the JSON body.
type apiError struct {
	status int
	body   gen.ChargebeeError
}

// newAPIError builds an error body with the legacy fields (error_code,
// error_msg, error_param, http_status_code) filled the way Chargebee fills
// them. typ and param may be empty.
func newAPIError(status int, typ, code, param, msg string) *apiError {
	e := &apiError{status: status}
	e.body.Message = msg
	e.body.APIErrorCode = &code
	e.body.ErrorCode = &code
	e.body.ErrorMsg = &msg
	e.body.HTTPStatusCode = &status
	if typ != "" {
		e.body.Type = ptr.To(gen.APIErrorType(typ))
	}
	if param != "" {
		e.body.Param = &param
		e.body.ErrorParam = &param
	}
	return e
}

// withErrorCode sets the legacy error_code when it differs from
// api_error_code.
func (e *apiError) withErrorCode(code string) *apiError {
	e.body.ErrorCode = &code
	return e
}

func (e *apiError) Error() string { return e.body.Message }

// invalidParam is a 400 naming one wire field (card[last4]).
func invalidParam(code, param, problem string) *apiError {
	msg := problem
	if param != "" {
		msg = param + " : " + problem
	}
	return newAPIError(http.StatusBadRequest, typeInvalidRequest, code, param, msg)
}

// msgNotFound is Chargebee's message for an id that names nothing.
const msgNotFound = "Sorry, we couldn't find that resource"

// notFound is Chargebee's 404 for an id that names nothing. For an id in the
// body (param customer_id, payment_intent_id) error_code is
// referenced_resource_not_found; for the resource of the path (param
// empty) it is resource_not_found, like api_error_code. The id itself is
// not echoed.
func notFound(param string) *apiError {
	e := newAPIError(http.StatusNotFound, typeInvalidRequest, codeNotFound, param, msgNotFound)
	if param != "" {
		e.withErrorCode(errorCodeReferencedNotFd)
	}
	return e
}

// declined is a card the gateway refused when Chargebee verified it:
// Chargebee sends payment errors with status 400 and type payment.
func declined() *apiError {
	return newAPIError(http.StatusBadRequest, typePayment, codeVerificationFailed, "",
		"The card could not be verified: the gateway declined it (test token).")
}

func invalidState(param, msg string) *apiError {
	return newAPIError(http.StatusConflict, typeInvalidRequest, codeInvalidState, param, msg)
}

func unauthorized() *apiError {
	return newAPIError(http.StatusUnauthorized, "", codeAuthFailed, "",
		"Sorry, authentication failed. Invalid api key").withErrorCode(errorCodeInvalidKey)
}

// marshal renders the error body; it cannot fail for these plain fields.
func (e *apiError) marshal() []byte {
	b, err := json.Marshal(e.body)
	if err != nil {
		return []byte(`{"message":"internal error"}`)
	}
	return b
}
