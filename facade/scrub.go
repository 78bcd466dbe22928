package cbpay

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cbpay/cbpay/internal/form"
)

// A scrubber removes the secrets of one call from text that came from
// elsewhere: a server or proxy may echo the request, its Authorization
// header or its form body in an error message, an HTML page, a status line
// or a header. It is built only when a call fails (see lazyScrubber), so
// the success path never pays for it.
//
// Each secret is looked for in every encoding an echo may use: as it is,
// percent-encoded (form style with + for space, and path style with %20;
// upper- and lower-case hex), JSON-escaped (with and without Go's HTML
// escapes, and with every non-ASCII character as \uXXXX), HTML-escaped, and
// those escapes percent-encoded in turn.
//
// A secret shorter than shortSecret bytes (card[last4], card[iin]) is
// replaced only where it stands as a whole token, so that a last4 of 2030
// does not eat the year in "expires 2030-01" nor a 401 in "cust_4011": see
// wholeAt.
type scrubber struct {
	pats []scrubPattern // longest first, so a longer form goes before a part of it
}

type scrubPattern struct {
	text  string
	whole bool // replace only whole tokens
}

// shortSecret is the length under which a secret is matched only as a
// whole token. Eight bytes covers card[iin] (6) and card[last4] (4); a
// longer value (a key, a token, a reference) is random enough that any
// occurrence is the secret.
const shortSecret = 8

// addSecret adds a secret value and its encodings.
func (s *scrubber) addSecret(v string) {
	if v == "" {
		return
	}
	whole := len(v) < shortSecret
	bases := []string{v, jsonEscape(v, true), jsonEscape(v, false), jsonASCII(v), html.EscapeString(v)}
	for _, b := range bases {
		q, p := url.QueryEscape(b), url.PathEscape(b)
		for _, t := range []string{b, q, p, lowerHex(q), lowerHex(p)} {
			s.pats = append(s.pats, scrubPattern{text: t, whole: whole})
		}
	}
}

// addKey adds the API key and the Basic credentials made from it (padded or
// not, standard or URL alphabet: a prefix of each is the unpadded form).
func (s *scrubber) addKey(key string) {
	s.addSecret(key)
	cred := []byte(key + ":")
	s.addSecret(base64.RawStdEncoding.EncodeToString(cred))
	s.addSecret(base64.RawURLEncoding.EncodeToString(cred))
	s.addSecret(base64.RawStdEncoding.EncodeToString([]byte(key)))
}

// addValue adds the value of a field marked x-cbpay-sensitive as it was
// sent: its wire text and, for free-form JSON, every string and number in it.
func (s *scrubber) addValue(k form.Kind, v reflect.Value) {
	switch k {
	case form.String:
		s.addSecret(v.String())
	case form.Int:
		s.addSecret(strconv.FormatInt(v.Int(), 10))
	case form.Uint:
		s.addSecret(strconv.FormatUint(v.Uint(), 10))
	case form.Float:
		s.addSecret(strconv.FormatFloat(v.Float(), 'f', -1, 64))
	case form.JSON, form.Slice:
		data, err := json.Marshal(v.Interface())
		if err != nil {
			return
		}
		s.addSecret(string(data))
		var tree any
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.UseNumber()
		if dec.Decode(&tree) == nil {
			s.addLeaves(tree)
		}
	}
}

func (s *scrubber) addLeaves(v any) {
	switch v := v.(type) {
	case string:
		s.addSecret(v)
	case json.Number:
		s.addSecret(v.String())
	case []any:
		for _, e := range v {
			s.addLeaves(e)
		}
	case map[string]any:
		for _, e := range v {
			s.addLeaves(e)
		}
	}
}

// finish sorts and deduplicates the patterns; call it once, after adding.
func (s *scrubber) finish() *scrubber {
	slices.SortFunc(s.pats, func(a, b scrubPattern) int {
		if d := len(b.text) - len(a.text); d != 0 {
			return d
		}
		if a.text != b.text {
			return strings.Compare(a.text, b.text)
		}
		switch {
		case a.whole == b.whole:
			return 0
		case !a.whole:
			return -1 // the substring form of a text wins over its whole-token form
		}
		return 1
	})
	s.pats = slices.CompactFunc(s.pats, func(a, b scrubPattern) bool { return a.text == b.text })
	return s
}

// scrub returns text with every secret replaced by [REDACTED].
func (s *scrubber) scrub(text string) string {
	if s == nil {
		return text
	}
	for _, p := range s.pats {
		if len(p.text) <= len(text) && strings.Contains(text, p.text) {
			text = p.replace(text)
		}
	}
	return text
}

func (p scrubPattern) replace(text string) string {
	if !p.whole {
		return strings.ReplaceAll(text, p.text, redacted)
	}
	var b strings.Builder
	done := 0 // text[:done] is written
	for from := 0; ; {
		i := strings.Index(text[from:], p.text)
		if i < 0 {
			break
		}
		i += from
		j := i + len(p.text)
		if wholeAt(text, i, j) {
			b.WriteString(text[done:i])
			b.WriteString(redacted)
			done, from = j, j
		} else {
			from = i + 1
		}
	}
	if done == 0 {
		return text
	}
	b.WriteString(text[done:])
	return b.String()
}

// byteClass groups bytes into runs a token is made of: ASCII digits,
// letters (ASCII and every byte of a multi-byte UTF-8 character), and
// everything else.
func byteClass(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return 1
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c >= utf8.RuneSelf:
		return 2
	}
	return 0
}

// wholeAt reports whether text[i:j] stands as a whole token: it does not
// continue a run of the same class as its first byte on the left, nor of
// its last byte on the right. So a last4 of 4242 is a token in "4242",
// "last4=4242&", `"4242"`, "x4242" and "************4242", but not in
// "442420". An escape that ends just before it counts as a separator:
// "%3D4242" (a percent-encoded "="), "\u003d4242", "\n4242".
func wholeAt(text string, i, j int) bool {
	if i > 0 {
		first, prev := byteClass(text[i]), byteClass(text[i-1])
		if first != 0 && first == prev && !escapeEndsAt(text, i) {
			return false
		}
	}
	if j < len(text) {
		last, next := byteClass(text[j-1]), byteClass(text[j])
		if last != 0 && last == next {
			return false
		}
	}
	return true
}

// escapeEndsAt reports whether a %XX, \uXXXX or \n-style escape ends at i.
func escapeEndsAt(text string, i int) bool {
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	switch {
	case i >= 3 && text[i-3] == '%' && isHex(text[i-2]) && isHex(text[i-1]):
		return true
	case i >= 6 && text[i-6] == '\\' && text[i-5] == 'u' &&
		isHex(text[i-4]) && isHex(text[i-3]) && isHex(text[i-2]) && isHex(text[i-1]):
		return true
	case i >= 2 && text[i-2] == '\\' && strings.IndexByte("bfnrt", text[i-1]) >= 0:
		return true
	}
	return false
}

// header returns a copy of h for an error to keep: the values of
// credential headers become [REDACTED], and secrets are scrubbed from the
// others.
func (s *scrubber) header(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		nv := make([]string, len(vs))
		for i, v := range vs {
			if credentialHeader(k) {
				nv[i] = redacted
			} else {
				nv[i] = s.scrub(v)
			}
		}
		out[k] = nv
	}
	return out
}

// credentialHeader reports whether a header carries credentials by its
// nature, whatever its value.
func credentialHeader(name string) bool {
	switch http.CanonicalHeaderKey(name) {
	case "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie":
		return true
	}
	return false
}

// redactCredentials returns h with the values of credential headers
// replaced, for printing a Response; h itself is left alone.
func redactCredentials(h http.Header) http.Header {
	var out http.Header
	for k := range h {
		if credentialHeader(k) {
			if out == nil {
				out = h.Clone()
			}
			out[k] = []string{redacted}
		}
	}
	if out == nil {
		return h
	}
	return out
}

// err returns err, or when its text holds a secret, an error with the
// scrubbed text that still matches what err matches with errors.Is. (It
// does not unwrap to err, whose text would give the secret back; errors.As
// no longer reaches err's types in that case.)
func (s *scrubber) err(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if clean := s.scrub(msg); clean != msg {
		return &scrubbedError{msg: clean, cause: err}
	}
	return err
}

type scrubbedError struct {
	msg   string
	cause error
}

func (e *scrubbedError) Error() string        { return e.msg }
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.cause, target) }

// lazyScrubber builds a call's scrubber the first time an error path asks
// for it.
type lazyScrubber struct {
	c      *Client
	op     *operation
	params any
	s      *scrubber
}

func (l *lazyScrubber) get() *scrubber {
	if l.s == nil {
		l.s = &scrubber{}
		if l.c.secrets != nil {
			l.c.secrets(l.s)
		}
		addSent(l.s, l.op, l.params)
		l.s.finish()
	}
	return l.s
}

// addSent adds the values of params that the spec marks x-cbpay-sensitive.
func addSent(s *scrubber, op *operation, params any) {
	if op == nil || params == nil {
		return
	}
	root, err := op.checker.Plan.Root(params)
	if err != nil {
		return
	}
	for i := range op.checker.Plan.Fields {
		if !op.checker.Sensitive(i) {
			continue
		}
		f := &op.checker.Plan.Fields[i]
		if v, ok := f.Value(root); ok {
			s.addValue(f.Kind, reflect.Indirect(v))
		}
	}
}

// jsonEscape is v as a JSON string without its quotes.
func jsonEscape(v string, escapeHTML bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(v) // a string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// jsonASCII is v JSON-escaped with every non-ASCII character as \uXXXX,
// as Python's json.dumps and others write it.
func jsonASCII(v string) string {
	s := jsonEscape(v, true)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			r1, r2 := utf16Pair(r)
			b.WriteString(`\u` + hex4(r1) + `\u` + hex4(r2))
		default:
			b.WriteString(`\u` + hex4(r))
		}
	}
	return b.String()
}

func utf16Pair(r rune) (rune, rune) {
	r -= 0x10000
	return 0xD800 + (r>>10)&0x3FF, 0xDC00 + r&0x3FF
}

func hex4(r rune) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15]})
}

// lowerHex rewrites the %XX escapes of s with lower-case hex digits.
func lowerHex(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			for k := i + 1; k <= i+2; k++ {
				if 'A' <= b[k] && b[k] <= 'F' {
					b[k] += 'a' - 'A'
				}
			}
			i += 2
		}
	}
	return string(b)
}
