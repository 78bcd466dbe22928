package chargebeetest

import "net/http/httptest"

// Server is a fake Chargebee listening on a loopback port, in the manner of
// httptest.Server. The embedded Handler's methods seed and inspect its
// state and inject faults.
type Server struct {
	*Handler

	// URL is the site root, http://127.0.0.1:port, with no trailing slash.
	// The operations are under URL+"/api/v2/" and URL+"/api/v1/".
	URL string
	// APIKey is the key the server accepts (DefaultAPIKey unless
	// WithAPIKey said otherwise).
	APIKey string

	ts *httptest.Server
}

// NewServer starts a fake Chargebee. Close it when done.
func NewServer(opts ...Option) *Server {
	h := NewHandler(opts...)
	ts := httptest.NewServer(h)
	return &Server{Handler: h, URL: ts.URL, APIKey: h.apiKey, ts: ts}
}

// Close ends pending delays and webhook deliveries, then shuts the server
// down and waits for the requests in flight.
func (s *Server) Close() {
	s.Handler.Close()
	s.ts.Close()
}
