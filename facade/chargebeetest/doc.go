// Package chargebeetest is an in-process fake of Chargebee's payment-method
// API, in the manner of net/http/httptest: tests and demos talk HTTP to it
// instead of to a Chargebee site.
//
// It serves every operation of api/openapi.yaml:
//
//	POST /api/v2/payment_intents
//	GET  /api/v2/payment_intents/{payment_intent_id}
//	POST /api/v2/payment_intents/{payment_intent_id}
//	POST /api/v2/payment_sources/create_using_payment_intent
//	POST /api/v2/payment_sources/create_using_token
//	POST /api/v2/payment_sources/create_using_permanent_token
//	GET  /api/v2/payment_sources
//	GET  /api/v2/payment_sources/{payment_source_id}
//	POST /api/v2/payment_sources/{payment_source_id}/delete
//	POST /api/v2/customers/{customer_id}/update_payment_method
//	POST /api/v1/customers/{customer_id}/credit_card_using_payment_intent
//
// It behaves like the real API rather than answering canned replies: it
// checks every request against the embedded spec, keeps customers, payment
// sources and payment intents in memory, replays idempotent requests, and
// can be told to fail in the ways networks and proxies fail.
//
// # Quick start
//
//	// Like Chargebee, the fake holds no customers until told: the payment
//	// source and customer operations answer 404 for any other id.
//	s := chargebeetest.NewServer(chargebeetest.WithCustomers("cust_42"))
//	defer s.Close()
//
//	// s.URL is the site root (http://127.0.0.1:port); s.APIKey the key it
//	// accepts, as the Basic auth user name with an empty password.
//	req, _ := http.NewRequest("POST", s.URL+"/api/v2/payment_intents",
//		strings.NewReader("customer_id=cust_42&amount=5000&currency_code=USD"))
//	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
//	req.SetBasicAuth(s.APIKey, "")
//	resp, err := http.DefaultClient.Do(req) // {"payment_intent":{"id":"pi_...","status":"inited",...}}
//
//	// The customer's browser would run 3DS with Chargebee.js; here:
//	err = s.AuthorizePaymentIntent(intentID)
//	// Now POST /api/v1/customers/cust_42/credit_card_using_payment_intent
//	// with payment_intent_id stores the card, and consumes the intent.
//
//	sources := s.PaymentSources("cust_42") // what the fake holds, as gen types
//
// With the facade, s.Client returns a client already pointed at the fake:
//
//	c, err := s.Client()
//	res, err := c.CreatePaymentIntent(ctx, &cbpay.CreatePaymentIntentParams{Amount: 5000, CurrencyCode: "USD"})
//
// To serve the fake on a port of your choice (cbpay serve does), mount a
// Handler on an http.Server:
//
//	h := chargebeetest.NewHandler(chargebeetest.WithAPIKey(key))
//	err := http.ListenAndServe("127.0.0.1:8080", h)
//
// # Validation
//
// Each request is checked with kin-openapi against the embedded spec:
// Basic auth (security), header and path parameters (enums, lengths), then
// the form body. kin-openapi cannot read Chargebee's bracket keys with JSON
// in one value, so the body is decoded here, its leaves converted to the
// schema's types (integer, boolean, one JSON object for
// additional_information) and then validated with the schema. The fake is
// stricter than the spec's letter, to catch client bugs early: it refuses
// undeclared body keys, an object sent as one value (card=x), bracket keys
// under a scalar or a free-form JSON field, a JSON value that is not an
// object, properties that x-cbpay-conflicts-with forbids together
// (reference_id with payment_method_token), undeclared chargebee-* headers
// (chargebee-business-entity-id on the v1 operation), any query string, and
// a body that is not application/x-www-form-urlencoded.
//
// Refusals are Chargebee's JSON error body with the legacy fields filled
// (error_code, error_msg, error_param, http_status_code). param names the
// field as sent: card[last4], payment_method[type], chargebee-idempotency-key,
// customer_id. Messages name fields, never values: keys, tokens and card
// data are not echoed.
//
//	status  api_error_code                      when
//	400     param_required                      a required field is missing or empty ("amount : cannot be blank")
//	400     param_wrong_value                   a value breaks the schema (type, length, pattern, enum, range, JSON),
//	                                            a spent token, another customer's payment intent
//	400     param_not_allowed                   an undeclared key or header, a query parameter, a forbidden combination
//	400     payment_method_verification_failed  a token starting with DeclineTokenPrefix: type payment, as Chargebee
//	                                            sends a declined card
//	401     api_authentication_failed           a missing or wrong key, or a non-empty password
//	404     resource_not_found                  an unknown customer (param customer_id, error_code
//	                                            referenced_resource_not_found; or the path's id, no param), payment
//	                                            intent (param payment_intent_id) or path
//	405     http_method_not_supported           a method other than POST
//	409     invalid_state_for_request           a payment intent that is not authorized, already consumed, or expired
//	422     unable_to_process_request           an idempotency key reused with other parameters
//
// # State
//
// Customers exist only when seeded, with WithCustomers or AddCustomer, as
// they would have been created in Chargebee before the code under test
// runs (this API cannot create one). The payment source
// operations and the customer operations answer any other customer id with
// Chargebee's 404 resource_not_found, and create nothing.
// WithAutoCreateCustomers(true) brings back the old shortcut of creating
// them on first use.
//
// A payment intent, as Chargebee's reference page says, is tied to its
// customer_id only when that customer exists; for an unknown one it is
// tied to no customer (and creates none), and any customer can then store
// its card. Intents start inited and expire 30 minutes after creation;
// AuthorizePaymentIntent stands in for the 3DS step, and
// credit_card_using_payment_intent consumes the intent.
//
// Payment sources are valid, get ids pm_..., and the first one of a
// customer, or one created with replace_primary_payment_source=true,
// becomes primary; the customer's payment_method follows the primary
// source. update_payment_method and credit_card_using_payment_intent always
// replace the primary method. create_using_token accepts a token id once
// (tokens are single use), and declines ids starting with
// DeclineTokenPrefix.
//
// # Card data
//
// The fake returns only the card data it was given, or that a token or a
// 3DS step carries; it makes nothing up. A zero field of a Card, or a
// card[...] field not sent, is absent from the answer. The only derived
// field is masked_number, from last4.
//
//	operation                          the card stored
//	create_using_token                 the Card given to AddToken for the token id; TestCard for any other token
//	create_using_permanent_token       the card[...] fields sent, billing_address as billing_* and the
//	                                   cardholder's name; nothing retrieved (there is no gateway)
//	update_payment_method              no card details: the card is named by reference only
//	credit_card_using_payment_intent   the Card given to AuthorizePaymentIntentWithCard (TestCard for
//	                                   AuthorizePaymentIntent); no card details for gw_token or reference_id
//
// # Idempotency
//
// A request with chargebee-idempotency-key whose first answer succeeded is
// answered again from memory when the key comes back with the same method,
// path, body (pairs in any order) and chargebee-business-entity-id header
// (the one header that changes the answer; the origin and event headers do
// not count): same status and body, plus chargebee-idempotency-replayed:
// true, and nothing is applied twice, even for concurrent requests. The
// same key with other parameters, or for another business entity, is
// refused with 422. Failed answers are not stored; they changed nothing.
//
// A stored answer is forgotten IdempotencyKeyLifetime (24 hours) after it
// was stored, by the fake's clock (WithClock); the key then counts as new.
// At most DefaultMaxIdempotencyKeys answers are kept, the oldest forgotten
// first; WithIdempotencyLimit changes the bound. WithIdempotency(false)
// ignores the key altogether (no replay, no 422), to model an endpoint
// where Chargebee does not honour it.
//
// # Faults
//
// FailNext answers the next requests with an error status (400 to 599;
// any other number means 503), an optional Retry-After, and a Chargebee
// JSON, HTML (proxy) or empty body, before anything is checked or applied.
// A JSON body carries the Fault's type, api_error_code and message, or
// Chargebee's for the status: Fault{Status: 400, Type:
// cbpay.ErrorTypePayment} is a declined payment, as Chargebee sends one,
// and matches cbpay.ErrPayment in the client. SetDelay holds answers back,
// honouring the client's context. DropAfterApply and SetDropRate (seeded, so runs
// repeat) close the connection after the operation was applied and its
// idempotent answer stored: the client sees a connection error although the
// state changed, which is what a retry with the same key must survive.
//
// # Inspection
//
// Requests returns what was received (method, path, headers, decoded form,
// raw body, time, status, replayed, dropped); Customer, PaymentSources,
// PaymentIntent and Counts return copies of the state as gen types.
//
// Every request is recorded, refused ones included, so memory is bounded
// for a long-running fake: the log keeps the newest
// DefaultMaxRecordedRequests requests (WithMaxRecordedRequests; zero
// records nothing), and of each body only its first MaxRecordedBodyBytes
// (4 KiB), with no decoded form for a longer one.
//
// # Webhooks
//
// Given WithWebhook(url, user, password), the fake POSTs the events
// Chargebee would send for what it did, shaped as Chargebee's (event id,
// occurred_at, api_version v2, content such as {"customer": ...,
// "payment_source": ...}), with Basic auth, one at a time and in order,
// retrying failed deliveries (WithWebhookRetry: a few attempts with
// millisecond waits, where Chargebee takes days). Events lists them with
// their delivery status; WaitWebhooks waits until they are settled; a
// request with chargebee-event-webhook: all-disabled has its events
// skipped. Package webhook (github.com/cbpay/cbpay/webhook) receives them.
//
// A Handler and a Server are safe for concurrent use. Each has its own
// state; the parsed spec is shared, as it never changes.
package chargebeetest
