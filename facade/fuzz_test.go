package cbpay

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeAPIError feeds arbitrary bodies and statuses to the error
// decoder: it must keep the status, never panic, keep excerpts short and
// valid UTF-8, and never let the API key through.
func FuzzDecodeAPIError(f *testing.F) {
	f.Add(400, []byte(`{"message":"bad","type":"invalid_request","api_error_code":"param_wrong_value","param":"card[last4]"}`))
	f.Add(502, []byte("<html><body>Bad Gateway</body></html>"))
	f.Add(500, []byte{})
	f.Add(401, []byte(`{"message":"key `+testKey+` refused"}`))
	f.Add(500, []byte(strings.Repeat("x", excerptLen-5)+testKey))
	f.Add(503, []byte("\xff\xfe<h1>"+strings.Repeat("é", 300)))
	f.Add(429, []byte(`{"message":null,"api_error_code":7}`))
	scrub := scrubber(testKey)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := decodeAPIError("op", status, http.Header{}, body, scrub)
		if e.StatusCode != status {
			t.Fatalf("status %d became %d", status, e.StatusCode)
		}
		msg := e.Error()
		if msg == "" {
			t.Fatal("empty error text")
		}
		if strings.Contains(msg, testKey) {
			t.Fatalf("the API key leaked: %q", msg)
		}
		if len([]rune(e.Excerpt)) > excerptLen+1 {
			t.Fatalf("excerpt of %d runes", len([]rune(e.Excerpt)))
		}
		if !utf8.ValidString(e.Excerpt) {
			t.Fatal("excerpt is not text")
		}
	})
}
