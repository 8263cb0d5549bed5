package builtin

import (
	"strings"
	"unicode"

	"github.com/banlihq/banli/nlu/zh"
)

// stopTokens carry no meaning for matching records by description.
var stopTokens = map[string]bool{
	"the": true, "a": true, "an": true, "to": true, "of": true, "on": true, "in": true, "for": true, "and": true,
	"my": true, "me": true, "it": true, "task": true, "meeting": true, "please": true, "with": true, "at": true,
	"會議": true, "任務": true, "一個": true, "嘅會": true, "個會": true,
}

// tokens splits text into English words and Chinese character bigrams
// (single characters for one-character runs), folded.
func tokens(s string) []string {
	rs := zh.FoldRunes([]rune(s))
	var out []string
	var word []rune
	var han []rune
	flushWord := func() {
		if len(word) >= 2 && !stopTokens[string(word)] {
			out = append(out, string(word))
		}
		word = word[:0]
	}
	flushHan := func() {
		if len(han) == 1 {
			out = append(out, string(han))
		}
		for i := 0; i+1 < len(han); i++ {
			if bg := string(han[i : i+2]); !stopTokens[bg] {
				out = append(out, bg)
			}
		}
		han = han[:0]
	}
	for _, r := range rs {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			flushHan()
			word = append(word, r)
		case zh.IsHan(r):
			flushWord()
			han = append(han, r)
		default:
			flushWord()
			flushHan()
		}
	}
	flushWord()
	flushHan()
	return out
}

// overlap scores how much of a record's title the utterance mentions: the
// number of the title's tokens found in the utterance's tokens.
func overlap(utterance, title string) (hits, total int) {
	ut := map[string]bool{}
	for _, t := range tokens(utterance) {
		ut[t] = true
	}
	seen := map[string]bool{}
	for _, t := range tokens(title) {
		if seen[t] {
			continue
		}
		seen[t] = true
		total++
		if ut[t] || len([]rune(t)) > 3 && strings.Contains(zh.Fold(utterance), t) {
			hits++
		}
	}
	return hits, total
}
