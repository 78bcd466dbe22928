package cbpay

import (
	"encoding/base64"
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The tests below never print a secret: a failure names the encoding and
// the case, not the text (testify's assertions would print it).

func TestScrubFindsEveryEncoding(t *testing.T) {
	secret := `tok_Qm7 "x"+y/<z>&é😀` // spaces, quotes, +, /, HTML and JSON specials, non-ASCII
	sc := &scrubber{}
	sc.addSecret(secret)
	sc.finish()
	q := url.QueryEscape(secret)
	forms := map[string]string{
		"plain":                    secret,
		"form-encoded":             q,
		"percent-encoded":          url.PathEscape(secret),
		"lower-case hex":           lowerHex(q),
		"JSON-escaped":             jsonEscape(secret, false),
		"JSON-escaped, HTML-safe":  jsonEscape(secret, true),
		"JSON-escaped, ASCII-only": jsonASCII(secret),
		"HTML-escaped":             html.EscapeString(secret),
		"JSON in a form value":     url.QueryEscape(jsonEscape(secret, false)),
	}
	for name, enc := range forms {
		for i, text := range []string{enc, "message: " + enc + ".", "<p>" + enc + "</p>", `{"param":"` + enc + `"}`} {
			if out := sc.scrub(text); strings.Contains(out, enc) || !strings.Contains(out, redacted) {
				t.Errorf("the %s form survived in text %d", name, i)
			}
		}
	}
	assert.Equal(t, `\ud83d\ude00`, jsonASCII("😀"), "a character outside the BMP as a surrogate pair")
}

func TestScrubTheKeyAndItsBasicCredentials(t *testing.T) {
	key := "live_Qx81kQ2mPqZz9" // its Basic form has padding
	sc := keyScrubber(key)
	cred := []byte(key + ":")
	for name, enc := range map[string]string{
		"key":                   key,
		"Basic, padded":         base64.StdEncoding.EncodeToString(cred),
		"Basic, unpadded":       base64.RawStdEncoding.EncodeToString(cred),
		"Basic, URL alphabet":   base64.URLEncoding.EncodeToString(cred),
		"Basic, percent-quoted": url.QueryEscape(base64.StdEncoding.EncodeToString(cred)),
		"key alone in Base64":   base64.StdEncoding.EncodeToString([]byte(key)),
	} {
		if out := sc.scrub("Authorization: Basic " + enc + "\n"); strings.Contains(out, enc) || strings.Contains(out, key[:12]) {
			t.Errorf("the %s survived", name)
		}
	}
}

// TestShortSecretsAreScrubbedAsWholeTokens is the rule for secrets shorter
// than shortSecret bytes (card[last4], card[iin]): they are replaced where
// they stand as a token of their own, in any encoding, and left alone
// inside a longer run of digits or letters, so that ids, amounts and
// timestamps that merely contain them stay readable.
func TestShortSecretsAreScrubbedAsWholeTokens(t *testing.T) {
	sc := &scrubber{}
	sc.addSecret("4019") // last4
	sc.addSecret("520473")
	sc.addSecret("ab") // a short letter secret
	sc.finish()
	digits := regexp.MustCompile(`(^|[^0-9])(4019|520473)([^0-9]|$)`)
	letters := regexp.MustCompile(`(^|[^A-Za-z])ab([^A-Za-z]|$)`)
	for i, text := range []string{
		"4019",
		"card[last4]=4019&card[iin]=520473",
		"card%5Blast4%5D=4019",
		"card%5Blast4%5D%3D4019%26", // the form body percent-encoded again: %3D ends in a letter
		`{"last4":"4019","iin":520473}`,
		`"last4\u003d4019"`, // JSON \u escape before it
		`"a\n4019"`,         // JSON \n before it
		"************4019",  // a masked number
		"card ending in 4019.",
		"x4019y", // letters around digits: a different run
		"520473******4019",
		"<td>ab</td> ab-c",
		"4019 4019 4019",
	} {
		out := sc.scrub(text)
		if digits.MatchString(out) || letters.MatchString(out) || !strings.Contains(out, redacted) {
			t.Errorf("case %d: a short secret survived", i)
		}
	}
	for _, text := range []string{
		"HTTP 401 Unauthorized",
		"cust_40190 created at 1763798400",
		"amount 5204730 in 14019 ms",
		"table label about",
		"status 402: 40 19",
	} {
		assert.Equal(t, text, sc.scrub(text), "only whole tokens are replaced")
	}
	// A secret of shortSecret bytes or more is replaced wherever it is.
	long := &scrubber{}
	long.addSecret("87654321")
	long.finish()
	assert.Equal(t, "x"+redacted+"9", long.scrub("x876543219"))
}

func TestScrubbedHeaders(t *testing.T) {
	sc := keyScrubber(testKey)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(testKey+":"))
	h := http.Header{
		"Authorization":       {basic},
		"Proxy-Authorization": {"Bearer anything"},
		"Cookie":              {"session=s3cr3t"},
		"Set-Cookie":          {"session=s3cr3t; HttpOnly", "lb=1"},
		"X-Echo":              {"key=" + testKey},
		"X-Request-Id":        {"rq_1"},
	}
	out := sc.header(h)
	for _, name := range []string{"Authorization", "Proxy-Authorization", "Cookie"} {
		if len(out[name]) != 1 || out[name][0] != redacted {
			t.Errorf("%s is not redacted", name)
		}
	}
	if len(out["Set-Cookie"]) != 2 || out["Set-Cookie"][0] != redacted || out["Set-Cookie"][1] != redacted {
		t.Error("Set-Cookie is not redacted")
	}
	if out.Get("X-Echo") != "key="+redacted {
		t.Error("the key survived in a header value")
	}
	assert.Equal(t, "rq_1", out.Get("X-Request-Id"))
	assert.True(t, h.Get("Authorization") == basic, "the answer's own header is left alone")
	assert.Nil(t, sc.header(nil))
}

func TestScrubbedErrorsKeepTheirCategory(t *testing.T) {
	sc := keyScrubber(testKey)
	plain := &url.Error{Op: "Post", URL: "http://127.0.0.1/api", Err: io.ErrUnexpectedEOF}
	assert.Same(t, plain, sc.err(plain), "an error with no secret is kept as it is")
	leaky := &url.Error{Op: "Post", URL: "http://127.0.0.1/api", Err: errors.Join(io.ErrUnexpectedEOF,
		errors.New(`malformed HTTP status code "`+testKey+`"`))}
	got := sc.err(leaky)
	if strings.Contains(got.Error(), testKey) || !strings.Contains(got.Error(), redacted) {
		t.Error("the key survived in the error text")
	}
	assert.ErrorIs(t, got, io.ErrUnexpectedEOF)
	assert.Nil(t, errors.Unwrap(got), "the scrubbed error does not give back the text it hides")
}
