package cbpay

import (
	"fmt"
	"log/slog"
	"net/http"
)

// The operations' params and result types (XParams, XResult) are
// generated from the spec into operations.gen.go, and the spec's other
// schemas and enum constants into types.gen.go.

// Ptr returns a pointer to v, to set an optional field: Ptr(false), Ptr(0).
func Ptr[T any](v T) *T { return &v }

// Response describes the HTTP exchange behind a result.
type Response struct {
	StatusCode int
	Header     http.Header
	// IdempotencyKey is the key every attempt carried: the caller's, or the
	// one the client generated.
	IdempotencyKey string
	// Replayed is true when Chargebee answered with the stored result of an
	// earlier call with the same key (chargebee-idempotency-replayed).
	Replayed bool
	// Attempts counts the requests sent, retries included.
	Attempts int
	// Raw is the answer's JSON as Chargebee sent it, for attributes the
	// typed result does not have yet (Chargebee adds them often) and custom
	// fields (cf_...). It holds card data: it prints as its size only.
	Raw RawJSON
}

// RawJSON is a JSON document as received. It is a []byte (pass it to
// json.Unmarshal as it is) that prints as its size only, since an answer
// holds card and customer data.
type RawJSON []byte

// Format prints the size, never the content.
func (r RawJSON) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "RawJSON(%d bytes)", len(r))
}

// LogValue logs the size, never the content.
func (r RawJSON) LogValue() slog.Value {
	return slog.StringValue(fmt.Sprintf("RawJSON(%d bytes)", len(r)))
}
