package rules

import (
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// classRun matches what a pattern of the form ^[class]{min,max}$ matches
// when the class holds only ASCII characters, the shape of every pattern in
// the spec (card[iin], card[last4], country codes). regexp's one-pass
// matcher takes about 80ns for such a string; a table takes a few.
type classRun struct {
	set      [utf8.RuneSelf]bool
	min, max int // max -1: no limit
}

// compileClassRun returns the classRun equivalent to pattern as
// regexp.Compile reads it, or false when pattern has another shape.
func compileClassRun(pattern string) (*classRun, bool) {
	if !strings.HasPrefix(pattern, "^[") {
		return nil, false // another shape, told without parsing it
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) != 3 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[2].Op != syntax.OpEndText {
		return nil, false
	}
	m := &classRun{}
	class := re.Sub[1]
	switch class.Op {
	case syntax.OpRepeat:
		m.min, m.max = class.Min, class.Max
		class = class.Sub[0]
	case syntax.OpPlus:
		m.min, m.max = 1, -1
		class = class.Sub[0]
	case syntax.OpStar:
		m.min, m.max = 0, -1
		class = class.Sub[0]
	case syntax.OpQuest:
		m.min, m.max = 0, 1
		class = class.Sub[0]
	default:
		m.min, m.max = 1, 1
	}
	if class.Op != syntax.OpCharClass || class.Flags&syntax.FoldCase != 0 {
		return nil, false
	}
	for i := 0; i+1 < len(class.Rune); i += 2 {
		lo, hi := class.Rune[i], class.Rune[i+1]
		if lo < 0 || hi >= utf8.RuneSelf {
			return nil, false
		}
		for c := lo; c <= hi; c++ {
			m.set[c] = true
		}
	}
	return m, true
}

// match reports whether s matches. Each matching character is one ASCII
// byte, so the byte length is the character count; any other byte fails.
func (m *classRun) match(s string) bool {
	if len(s) < m.min || m.max >= 0 && len(s) > m.max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || !m.set[c] {
			return false
		}
	}
	return true
}

// matches reports whether s matches r.Pattern, through the table when the
// pattern has one.
func (r *Rule) matches(s string) bool {
	if r.run != nil && r.runOf == r.Pattern {
		return r.run.match(s)
	}
	return r.Pattern.MatchString(s)
}

// setPattern sets r.Pattern, and its table when the pattern's shape allows.
// The generator writes both; this is for rules made by hand (tests).
func (r *Rule) setPattern(p *Pattern) {
	r.Pattern = p
	r.run, r.runOf = nil, nil
	if m, ok := compileClassRun(p.String()); ok {
		r.run, r.runOf = m, p
	}
}

// runeCount is utf8.RuneCountInString and utf8.ValidString in one pass
// for ASCII strings, the usual case.
func runeCount(s string) (n int, valid bool) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s), utf8.ValidString(s)
		}
	}
	return len(s), true
}
