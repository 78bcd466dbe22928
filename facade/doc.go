// Package cbpay is a client for Chargebee's payment-method API: create a
// payment intent, create a payment source from a Chargebee.js token, a
// gateway's permanent token or an authorized payment intent, update a
// customer's payment method (deprecated by Chargebee) and store a card after
// 3DS with a payment intent (API v1); and around them, retrieve and update
// payment intents, and retrieve, list, update and delete payment sources.
// Operations lists them all.
//
// Import it as
//
//	import cbpay "github.com/cbpay/cbpay/facade"
//
// A Client is built once per site and API key and is safe for concurrent use:
//
//	c, err := cbpay.New(cbpay.WithSite("acme"), cbpay.WithTestSite(), cbpay.WithAPIKey(key))
//	res, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 5000, CurrencyCode: "USD"})
//
// Parameters are the models generated from api/openapi.yaml: a nil pointer
// leaves a field out, a pointer to a zero value sends it (use Ptr). Requests
// are validated against the spec's rules before any network I/O, and a
// ValidationError names the field as it appears on the wire (card[last4]).
// Calls carry one idempotency key for every attempt and are retried, with
// backoff, on transient network errors and on 429, 500, 502, 503 and 504.
// Errors from Chargebee are *APIError values.
package cbpay
