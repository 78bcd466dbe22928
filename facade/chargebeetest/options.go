package chargebeetest

import "time"

// DefaultAPIKey is the API key a fake accepts unless WithAPIKey says
// otherwise. It is a made-up test key, good for nothing but this fake.
const DefaultAPIKey = "test_cbpay_fake_key"

// DefaultGatewayAccountID is the gateway account of intents and payment
// sources created without gateway_account_id.
const DefaultGatewayAccountID = "gw_fake"

// DefaultMaxRecordedRequests bounds the request log (Handler.Requests) so
// that a long benchmark does not grow the fake without limit.
const DefaultMaxRecordedRequests = 10000

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
}

func newConfig(opts []Option) config {
	c := config{
		apiKey:           DefaultAPIKey,
		now:              time.Now,
		gatewayAccountID: DefaultGatewayAccountID,
		autoCreate:       true,
		maxRequests:      DefaultMaxRecordedRequests,
	}
	for _, o := range opts {
		o(&c)
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

// WithAutoCreateCustomers says whether a customer id the fake has not seen
// creates the customer (the default, handy in tests) or is refused with 404
// resource_not_found, as Chargebee does. Payment intents never create
// customers: like Chargebee, an intent for an unknown customer_id is tied
// to no customer.
func WithAutoCreateCustomers(on bool) Option {
	return func(c *config) { c.autoCreate = on }
}

// WithCustomers creates customers with these ids up front.
func WithCustomers(ids ...string) Option {
	return func(c *config) { c.customers = append(c.customers, ids...) }
}

// WithMaxRecordedRequests bounds the request log; the oldest entries go
// first. Zero or less keeps no log at all.
func WithMaxRecordedRequests(n int) Option {
	return func(c *config) { c.maxRequests = n }
}
