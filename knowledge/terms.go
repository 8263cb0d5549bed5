package knowledge

import (
	"strings"
	"unicode"

	"github.com/banlihq/banli/nlu/zh"
)

// stopWords are English words too common to say anything about a passage.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"can": true, "do": true, "does": true, "for": true, "from": true, "has": true, "have": true,
	"how": true, "i": true, "in": true, "is": true, "it": true, "its": true, "me": true, "my": true,
	"of": true, "on": true, "or": true, "our": true, "the": true, "their": true, "this": true,
	"that": true, "to": true, "was": true, "we": true, "what": true, "when": true, "where": true,
	"which": true, "who": true, "will": true, "with": true, "you": true, "your": true,
}

// token is a run of text of one script: a Han run, or a word of letters
// and digits.
type token struct {
	text string
	han  bool
}

// tokens folds s (zh.Fold: one form for Traditional and Simplified
// characters, lower case, half-width) and cuts it into Han runs and words.
func tokens(s string) []token {
	var out []token
	var cur []rune
	han := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, token{text: string(cur), han: han})
			cur = cur[:0]
		}
	}
	for _, r := range zh.Fold(s) {
		switch {
		case zh.IsHan(r):
			if !han {
				flush()
			}
			han = true
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if han {
				flush()
			}
			han = false
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// Terms returns the keyword terms of s, each once, in order of first
// appearance: every word of two to 64 letters or digits that is not a stop
// word, stemmed (stem), and every pair of adjacent Han characters (a lone Han
// character stands for itself). Chinese has no spaces, so character pairs
// are its terms; folding makes 請假 and 请假 the same term.
func Terms(s string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, t := range tokens(s) {
		if !t.han {
			if n := len([]rune(t.text)); n >= 2 && n <= 64 && !stopWords[t.text] {
				add(stem(t.text))
			}
			continue
		}
		rs := []rune(t.text)
		if len(rs) == 1 {
			add(t.text)
		}
		for i := 0; i+1 < len(rs); i++ {
			add(string(rs[i : i+2]))
		}
	}
	return out
}

// stem strips the commonest English inflections, so that "claims" and
// "claim", "changed" and "change", "policies" and "policy" are one term. It
// is deliberately crude: a shared stem matters, a pretty one does not.
func stem(w string) string {
	if len(w) <= 3 || strings.IndexFunc(w, func(r rune) bool { return r > unicode.MaxASCII || unicode.IsDigit(r) }) >= 0 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		w = w[:len(w)-3]
	case strings.HasSuffix(w, "ed") && len(w) > 4:
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	if strings.HasSuffix(w, "e") && len(w) > 4 {
		w = w[:len(w)-1]
	}
	return w
}

// tsquery renders terms as a PostgreSQL tsquery matching any of them. The
// lexemes are quoted, so the server takes them as they are, without a
// parser or dictionary: the same on every server and locale.
func tsquery(terms []string) string {
	var b strings.Builder
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" | ")
		}
		b.WriteByte('\'')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t))
		b.WriteByte('\'')
	}
	return b.String()
}
