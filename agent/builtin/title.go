package builtin

import (
	"sort"
	"strings"
	"unicode"

	"github.com/banlihq/banli/nlu/zh"
)

// connectors join entities ("阿明同寶儀", "Lok and Winsy"); they are dropped
// from titles only next to an entity, so that 合同 keeps its 同.
var connectors = []string{"同", "和", "跟", "與", "及", "、", ",", "and", "&", "or", "with", "同埋", "仲有", "以及"}

// particles are trimmed from both ends of a title.
var particles = []string{"嘅", "的", "個", "个", "下", "咗", "佢", "喇", "啦", "吖", "呀", "啊", "吧", "了", "一下", "吓", "先", "要", "去", "埋", "就",
	"the", "a", "an", "to", "and", "with", "on", "at", "for", "please", "about", "in", "of", "by", "due", "is", "it", "me", "my", "我", "你", "：", ":", "-", "—", "，", ",", "。", ".", "?", "？", "!", "！", "、", "~", "（", "）", "(", ")", "\"", "'", "「", "」", "把", "将", "將", "再", "喺", "在", "都", "係", "是", "有", "并", "並", "前", "之前"}

// titleOf derives a short title from what is left of the utterance once
// entities and the given filler words are removed. Text after a topic
// marker ("討論", "about") is preferred.
func (u *utter) titleOf(fillers, markers []string, extra ...[2]int) string {
	rs := blank(u.orig, append(u.entitySpans(), extra...)...)
	f := append([]rune(nil), u.f...)
	for i, r := range rs {
		if r == 0 {
			f[i] = 0
		}
	}
	blankWords(rs, f, fillers)
	// 約 is "arrange" next to a person or at the start, but part of 續約.
	yue := []rune(zh.Fold("約"))[0]
	for i := range f {
		if f[i] == yue && (i == 0 || f[i-1] == 0 || i+1 < len(f) && f[i+1] == 0 || i > 0 && isClauseEnd(u.orig[i-1])) {
			rs[i], f[i] = 0, 0
		}
	}
	blankConnectors(rs, f)
	// Topic marker: the title is the rest of its clause.
	best := -1
	bestLen := 0
	for _, m := range markers {
		fm := []rune(zh.Fold(m))
		for i := 0; i+len(fm) <= len(f); i++ {
			if runesAt(f, i, fm) && boundaryOK(f, i, len(fm)) {
				if best < 0 || i < best {
					best, bestLen = i, len(fm)
				}
				break
			}
		}
	}
	if best >= 0 {
		start := best + bestLen
		end := start
		for end < len(rs) && !isClauseEnd(u.orig[end]) {
			end++
		}
		if t := collapse(rs[start:end]); t != "" {
			return t
		}
	}
	// Otherwise the clause with most content.
	var bestT string
	bestScore := 0
	start := 0
	for i := 0; i <= len(rs); i++ {
		if i == len(rs) || isClauseEnd(u.orig[i]) {
			t := collapse(rs[start:i])
			if sc := contentScore(t); sc > bestScore {
				bestT, bestScore = t, sc
			}
			start = i + 1
		}
	}
	return bestT
}

func isClauseEnd(r rune) bool {
	return strings.ContainsRune("，,。!?！？；;：:\n", r)
}

func contentScore(s string) int {
	n := 0
	for _, r := range s {
		if zh.IsHan(r) {
			n += 2
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

func runesAt(f []rune, i int, w []rune) bool {
	if i+len(w) > len(f) {
		return false
	}
	for j, r := range w {
		if f[i+j] != r {
			return false
		}
	}
	return true
}

// boundaryOK requires English words to stand alone.
func boundaryOK(f []rune, i, n int) bool {
	if !isASCIIWord(f[i]) && !isASCIIWord(f[i+n-1]) {
		return true
	}
	if isASCIIWord(f[i]) && i > 0 && isASCIIWord(f[i-1]) {
		return false
	}
	if isASCIIWord(f[i+n-1]) && i+n < len(f) && isASCIIWord(f[i+n]) {
		return false
	}
	return true
}

// blankWords blanks every occurrence of the words in rs (matched on f).
func blankWords(rs, f []rune, words []string) {
	// Longest first, so that "開始" goes before "開".
	words = append([]string(nil), words...)
	sort.SliceStable(words, func(i, j int) bool { return len([]rune(words[i])) > len([]rune(words[j])) })
	for _, w := range words {
		fw := []rune(zh.Fold(w))
		for i := 0; i+len(fw) <= len(f); i++ {
			if runesAt(f, i, fw) && boundaryOK(f, i, len(fw)) {
				for j := i; j < i+len(fw); j++ {
					rs[j], f[j] = 0, 0
				}
			}
		}
	}
}

// blankConnectors blanks connectors that touch a blank (an entity).
func blankConnectors(rs, f []rune) {
	for changed := true; changed; {
		changed = false
		for _, w := range connectors {
			fw := []rune(zh.Fold(w))
			for i := 0; i+len(fw) <= len(f); i++ {
				if !runesAt(f, i, fw) || !boundaryOK(f, i, len(fw)) {
					continue
				}
				l := i - 1
				for l >= 0 && f[l] == ' ' {
					l--
				}
				r := i + len(fw)
				for r < len(f) && f[r] == ' ' {
					r++
				}
				if l < 0 || f[l] == 0 || r >= len(f) || f[r] == 0 {
					for j := i; j < i+len(fw); j++ {
						rs[j], f[j] = 0, 0
					}
					changed = true
				}
			}
		}
	}
}

// collapse joins the kept runs of rs and trims particles.
func collapse(rs []rune) string {
	var parts []string
	var cur []rune
	flush := func() {
		if s := strings.TrimSpace(string(cur)); s != "" {
			parts = append(parts, s)
		}
		cur = cur[:0]
	}
	for _, r := range rs {
		if r == 0 {
			flush()
			continue
		}
		cur = append(cur, r)
	}
	flush()
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			prev := []rune(parts[i-1])
			if !(zh.IsHan(prev[len(prev)-1]) && zh.IsHan([]rune(p)[0])) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return trimParticles(b.String())
}

func trimParticles(s string) string {
	for changed := true; changed; {
		changed = false
		s = strings.TrimSpace(s)
		for _, p := range particles {
			if strings.HasPrefix(strings.ToLower(s), p) && wordCut(s, len(p), true) {
				s = s[len(p):]
				changed = true
			}
			if strings.HasSuffix(strings.ToLower(s), p) && wordCut(s, len(s)-len(p), false) {
				s = s[:len(s)-len(p)]
				changed = true
			}
		}
	}
	return s
}

// wordCut reports whether cutting s at i does not split an English word.
func wordCut(s string, i int, prefix bool) bool {
	if i <= 0 || i >= len(s) {
		return i >= 0 && i <= len(s) && len(s) > 0 && (prefix && i < len(s) || !prefix && i > 0)
	}
	a, b := rune(s[i-1]), rune(s[i])
	return !(isASCIIWord(a) && isASCIIWord(b))
}
