package chargebeetest

import cbpay "github.com/cbpay/cbpay/facade"

// Client returns a facade client for this server: its URL and API key, and
// an HTTP client whose connections Close ends. opts come after those, so
// they can replace any of them (a shorter backoff, WithoutValidation to let
// bad requests reach the fake's own validation, ...).
func (s *Server) Client(opts ...cbpay.Option) (*cbpay.Client, error) {
	base := []cbpay.Option{
		cbpay.WithBaseURL(s.URL),
		cbpay.WithAPIKey(s.APIKey),
		cbpay.WithHTTPClient(s.ts.Client()),
	}
	return cbpay.New(append(base, opts...)...)
}
