package cbpay

import (
	"encoding/json"
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
	sc := keyScrubber(testKey)
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := decodeAPIError("op", status, http.Header{}, body, sc)
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

// FuzzMaskJSONValues: the mask never panics, keeps valid JSON valid,
// leaves no string value but "…" (or "[REDACTED]" for a number that held a
// secret), and no key or number that is a secret.
func FuzzMaskJSONValues(f *testing.F) {
	f.Add(`{"a":"tok","b":[1,"x",{"c":"4111"}]}`)
	f.Add(`{"k\"q":"v"}`)
	f.Add(`token_id=tok&card=4111`)
	f.Add(`[[[[{"":""}]]]]`)
	f.Add(`{"4111":4111,"` + testKey + `":{"x\u0034111":-4111.0}}`)
	sc := keyScrubber(testKey)
	sc.addSecret("4111")
	sc.finish()
	f.Fuzz(func(t *testing.T, in string) {
		out := maskJSONValues(in, sc.scrub)
		if !json.Valid([]byte(in)) {
			return
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(out))
		dec.UseNumber() // 1E1000 is JSON, if not a float64
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("mask of valid JSON is not JSON: %q -> %q", in, out)
		}
		var walk func(any)
		walk = func(v any) {
			switch v := v.(type) {
			case string:
				if v != "…" && v != redacted {
					t.Fatalf("string value %q survived in %q", v, out)
				}
			case json.Number:
				if v.String() == "4111" {
					t.Fatalf("a secret number survived in %q", out)
				}
			case []any:
				for _, e := range v {
					walk(e)
				}
			case map[string]any:
				for k, e := range v {
					if k == "4111" || strings.Contains(k, testKey) {
						t.Fatalf("a secret key survived in %q", out)
					}
					walk(e)
				}
			}
		}
		walk(v)
	})
}
