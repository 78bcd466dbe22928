package rules

import (
	"math/rand/v2"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClassRunMatchesRegexp holds the pattern tables to regexp on the
// spec's patterns and on shapes near them, for short strings of every kind.
func TestClassRunMatchesRegexp(t *testing.T) {
	s := Load()
	patterns := map[string]bool{}
	for _, op := range s.Operations {
		for _, group := range []map[string]*Rule{op.Body, op.Params, op.Headers} {
			for _, r := range group {
				if r.Pattern != nil {
					_, shaped := compileClassRun(r.Pattern.String())
					assert.Equal(t, shaped, r.run != nil, "%s %s: %s table", op.ID, r.Key, r.Pattern)
					patterns[r.Pattern.String()] = shaped
				}
			}
		}
	}
	for _, p := range []string{`^[0-9]{6}$`, `^[A-Z]{2}$`, `^[a-z0-9_-]{1,50}$`, `^[a-z]+$`, `^[a-z]*$`, `^[ab]?$`,
		`^[0-9]$`, `^[0-9]{2,}$`, `^[^0-9]{2}$`, `^[é]{2}$`, `(?i)^[a-z]{2}$`, `^[0-9]{6}`, `[0-9]{6}$`, `^\d{4}$`, `^.{2}$`} {
		patterns[p] = false
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"0", "5", "9", "a", "z", "A", "Z", "_", "-", " ", "\n", "é", "\xff", "\x00", "\x7f", "٣"}
	for p := range patterns {
		re := regexp.MustCompile(p)
		m, ok := compileClassRun(p)
		if !ok {
			continue
		}
		for i := 0; i < 3000; i++ {
			var b []byte
			for n := rng.IntN(9); n > 0; n-- {
				b = append(b, alphabet[rng.IntN(len(alphabet))]...)
			}
			assert.Equal(t, re.MatchString(string(b)), m.match(string(b)), "%s on %q", p, b)
		}
	}
	for _, p := range []string{`^[^0-9]{2}$`, `^[é]{2}$`, `(?i)^[a-z]{2}$`, `^[0-9]{6}`, `[0-9]{6}$`, `^.{2}$`, `^(ab){2}$`} {
		_, ok := compileClassRun(p)
		assert.False(t, ok, p)
	}
}

func TestRuneCount(t *testing.T) {
	for _, s := range []string{"", "abc", "Núñez", "\xff", "a\xc3", "𝄞x"} {
		n, valid := runeCount(s)
		assert.Equal(t, utf8.RuneCountInString(s), n, s)
		assert.Equal(t, utf8.ValidString(s), valid, s)
	}
}

func mustPattern(t *testing.T, src string) *Pattern {
	t.Helper()
	p, err := NewPattern(src)
	require.NoError(t, err)
	return p
}

func TestAChangedPatternIsNotReadFromTheOldTable(t *testing.T) {
	r := &Rule{}
	r.setPattern(mustPattern(t, `^[0-9]{4}$`))
	assert.True(t, r.matches("1234"))
	r.Pattern = mustPattern(t, `^[a-z]{4}$`)
	assert.True(t, r.matches("abcd"))
	assert.False(t, r.matches("1234"))
}

func TestPatternCompilesOnFirstUse(t *testing.T) {
	p := &Pattern{src: `^(a|b)+$`}
	assert.Nil(t, p.re)
	assert.True(t, p.MatchString("abba"))
	assert.False(t, p.MatchString("abc"))
	assert.Equal(t, `^(a|b)+$`, p.String())
	_, err := NewPattern(`^(`)
	assert.Error(t, err)
}
