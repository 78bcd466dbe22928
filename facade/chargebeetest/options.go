package chargebeetest

import "time"

// DefaultAPIKey is the API key a fake accepts unless WithAPIKey says
// otherwise. It is a made-up test key, good for nothing but this fake.
const DefaultAPIKey = "test_cbpay_fake_key"

// DefaultGatewayAccountID is the gateway account of intents and payment
// sources created without gateway_account_id.
const DefaultGatewayAccountID = "gw_fake"

// DefaultMaxRecordedRequests bounds the request log (Handler.Requests) so
// that a long benchmark, or a long-running cbpay serve, does not grow the
// fake without limit.
const DefaultMaxRecordedRequests = 10000

// MaxRecordedBodyBytes is how much of a request's raw body the request log
// keeps (Request.Body); the rest is not recorded, and neither is the
// decoded form of such a body (Request.Form is nil). The whole body, up to
// its 1 MiB limit, is still read, validated and served.
const MaxRecordedBodyBytes = 4096

// DefaultMaxIdempotencyKeys bounds how many stored idempotent answers a
// fake keeps unless WithIdempotencyLimit says otherwise; past it, the
// oldest go first.
const DefaultMaxIdempotencyKeys = 100000

// IdempotencyKeyLifetime is how long a stored idempotent answer is kept,
// by the fake's clock (WithClock), from the first answer. After it the key
// is forgotten: a request with it is a new call, applied again.
const IdempotencyKeyLifetime = 24 * time.Hour

// fakeGateway is the gateway name the fake reports: Chargebee's own test
// gateway.
const fakeGateway = "chargebee"

// Option configures a Handler or Server.
type Option func(*config)

type config struct {
	apiKey           string
	now              func() time.Time
	seed             uint64
	seeded           bool
	gatewayAccountID string
	autoCreate       bool
	customers        []string
	maxRequests      int
	idempotency      bool
	maxIdemKeys      int
	webhook          webhookConfig // see webhooks.go
}

func newConfig(opts []Option) config {
	c := config{
		apiKey:           DefaultAPIKey,
		now:              time.Now,
		gatewayAccountID: DefaultGatewayAccountID,
		maxRequests:      DefaultMaxRecordedRequests,
		idempotency:      true,
		maxIdemKeys:      DefaultMaxIdempotencyKeys,
	}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithAPIKey sets the one API key the fake accepts (as the Basic auth user
// name, with an empty password).
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey = key }
}

// WithClock makes the fake read the time from now, for timestamps and for
// the expiry of payment intents (30 minutes after creation). now is called
// from concurrent requests, so it must be safe for concurrent use.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithSeed makes generated ids (pi_..., pm_...) repeat from run to run.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seed, c.seeded = seed, true }
}

// WithGatewayAccountID sets the gateway account used when a request names
// none (DefaultGatewayAccountID otherwise).
func WithGatewayAccountID(id string) Option {
	return func(c *config) { c.gatewayAccountID = id }
}

// WithAutoCreateCustomers(true) makes the payment source and customer
// operations create a customer they name and the fake does not hold,
// instead of refusing it with 404 resource_not_found as Chargebee does (the
// default, false). It is a shortcut for tests written before the fake
// required customers; prefer WithCustomers or AddCustomer, which keep the
// 404 that a typo in a customer id deserves. Payment intents never create
// customers: like Chargebee, an intent for an unknown customer_id is tied
// to no customer.
func WithAutoCreateCustomers(on bool) Option {
	return func(c *config) { c.autoCreate = on }
}

// WithCustomers creates customers with these ids up front, as if they had
// been created in Chargebee before the test. The payment source and
// customer operations answer 404 resource_not_found for any other id
// (add more later with AddCustomer).
func WithCustomers(ids ...string) Option {
	return func(c *config) { c.customers = append(c.customers, ids...) }
}

// WithMaxRecordedRequests bounds the request log (Handler.Requests) to the
// newest n requests; the oldest go first. Zero or less records nothing:
// Requests always returns an empty slice.
func WithMaxRecordedRequests(n int) Option {
	return func(c *config) { c.maxRequests = max(n, 0) }
}

// WithIdempotency says whether the fake honours chargebee-idempotency-key
// (the default). With false it ignores the key, as an endpoint where
// Chargebee does not honour it would: every request is applied, nothing is
// replayed, and reusing a key with other parameters is not refused. The
// header is still checked against the spec (its length).
func WithIdempotency(on bool) Option {
	return func(c *config) { c.idempotency = on }
}

// WithIdempotencyLimit bounds how many stored idempotent answers the fake
// keeps (DefaultMaxIdempotencyKeys otherwise); past it, the oldest go
// first, and their keys then count as new. Zero or less stores none, which
// honours no key, as WithIdempotency(false) does. Each answer is also
// forgotten IdempotencyKeyLifetime after it was stored.
func WithIdempotencyLimit(n int) Option {
	return func(c *config) { c.maxIdemKeys = max(n, 0) }
}
