package knowledge

import (
	"strings"
	"unicode/utf8"
)

// snippetRunes bounds a citation's snippet.
const snippetRunes = 160

// Snippet returns the part of a passage to quote in a citation: the
// sentence sharing the most terms with the query (the first one when none
// does), with the next sentences while they fit, cut to max runes with an
// ellipsis.
func Snippet(text string, queryTerms []string, max int) string {
	sents := sentences(text)
	if len(sents) == 0 {
		return ""
	}
	want := map[string]bool{}
	for _, t := range queryTerms {
		want[t] = true
	}
	best, bestN := 0, 0
	for i, s := range sents {
		n := 0
		for _, t := range Terms(s) {
			if want[t] {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	var b strings.Builder
	n := 0
	for _, s := range sents[best:] {
		s = strings.TrimSpace(s)
		l := utf8.RuneCountInString(s)
		if n > 0 && n+1+l > max {
			break
		}
		if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(s)
		n += l
	}
	out := b.String()
	if utf8.RuneCountInString(out) > max {
		out = string([]rune(out)[:max-1]) + "…"
	}
	if best > 0 {
		out = "…" + out
	}
	return out
}
