package form

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Decode parses a form body into nested maps: card[iin]=4111 becomes
// {"card": {"iin": "4111"}}. Leaves stay strings; what they mean (a number, a
// boolean, a JSON object) is for the caller's schema to say. It refuses a key
// sent twice, a malformed bracket key, and a name used both as a value and as
// an object (card=x with card[iin]=y).
func Decode(body string) (map[string]any, error) {
	vals, err := url.ParseQuery(body)
	if err != nil {
		return nil, fmt.Errorf("form: %w", err)
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[string]any{}
	for _, k := range keys {
		if len(vals[k]) > 1 {
			return nil, fmt.Errorf("form: %s is sent %d times", k, len(vals[k]))
		}
		segs, err := SplitKey(k)
		if err != nil {
			return nil, err
		}
		m := out
		for i, s := range segs[:len(segs)-1] {
			switch next := m[s].(type) {
			case nil:
				n := map[string]any{}
				m[s] = n
				m = n
			case map[string]any:
				m = next
			default:
				return nil, fmt.Errorf("form: %s is both a value and an object", JoinKey(segs[:i+1]))
			}
		}
		last := segs[len(segs)-1]
		if _, taken := m[last]; taken {
			return nil, fmt.Errorf("form: %s is both a value and an object", k)
		}
		m[last] = vals[k][0]
	}
	return out, nil
}

// SplitKey splits a wire key into its segments: a[b][c] -> a, b, c.
func SplitKey(k string) ([]string, error) {
	name, rest, _ := strings.Cut(k, "[")
	if name == "" || strings.Contains(name, "]") {
		return nil, fmt.Errorf("form: malformed key %q", k)
	}
	segs := []string{name}
	if len(rest) == 0 && !strings.HasSuffix(k, "[") {
		return segs, nil
	}
	rest = "[" + rest
	for rest != "" {
		if rest[0] != '[' {
			return nil, fmt.Errorf("form: malformed key %q", k)
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return nil, fmt.Errorf("form: malformed key %q", k)
		}
		seg := rest[1:end]
		if seg == "" || strings.Contains(seg, "[") {
			return nil, fmt.Errorf("form: malformed key %q", k)
		}
		segs = append(segs, seg)
		rest = rest[end+1:]
	}
	return segs, nil
}
