package meeting

import (
	"strings"
	"unicode"

	"github.com/banlihq/banli/nlu/zh"
)

// sentence is one sentence of an utterance, with its folded form (rune for
// rune, see nlu/zh) for matching and the original for quoting.
type sentence struct {
	utt  int    // index of the utterance
	text []rune // as written
	f    []rune // folded: canonical Traditional, lower case, ASCII punctuation
}

func (s sentence) String() string { return string(s.text) }

// splitSentences cuts an utterance at sentence ends: Chinese full stops,
// question and exclamation marks, semicolons, and an English full stop
// followed by a space (not "3.5" or "e.g.").
func splitSentences(text string) [][]rune {
	rs := []rune(strings.ReplaceAll(text, "’", "'"))
	var out [][]rune
	start := 0
	cut := func(end int) {
		seg := trimRunes(rs[start:end])
		if len(seg) > 0 {
			out = append(out, seg)
		}
		start = end
	}
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '。', '！', '？', '；', '!', '?', ';', '\n':
			// Keep a run of closing marks with the sentence ("？！").
			j := i + 1
			for j < len(rs) && strings.ContainsRune("。！？!?」』\"”)", rs[j]) {
				j++
			}
			cut(j)
			i = j - 1
		case '.':
			if i+1 == len(rs) || rs[i+1] == ' ' && !abbrevBefore(rs, i) {
				cut(i + 1)
			}
		}
	}
	cut(len(rs))
	return out
}

// abbrevBefore reports an abbreviation ending at the full stop at i.
func abbrevBefore(rs []rune, i int) bool {
	j := i
	for j > 0 && unicode.IsLetter(rs[j-1]) {
		j--
	}
	w := strings.ToLower(string(rs[j:i]))
	switch w {
	case "mr", "mrs", "ms", "dr", "e.g", "i.e", "etc", "vs", "no", "st", "jr", "co", "ltd", "inc", "approx", "dept":
		return true
	}
	return len(w) == 1 && unicode.IsUpper(rs[i-1]) // an initial: "J. Smith"
}

func trimRunes(rs []rune) []rune {
	s, e := 0, len(rs)
	for s < e && (unicode.IsSpace(rs[s]) || rs[s] == '，' || rs[s] == ',') {
		s++
	}
	for e > s && unicode.IsSpace(rs[e-1]) {
		e--
	}
	return rs[s:e]
}

// fold returns the folded runes of rs with curly quotes straightened.
func fold(rs []rune) []rune {
	f := zh.FoldRunes(rs)
	for i, r := range f {
		switch r {
		case '’', '‘':
			f[i] = '\''
		case '，':
			f[i] = ','
		case '：':
			f[i] = ':'
		}
	}
	return f
}

// isHan reports a Chinese character.
func isHan(r rune) bool { return zh.IsHan(r) }

// isWord reports a rune of a Latin word or a number.
func isWord(r rune) bool {
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '\'' || unicode.IsLetter(r) && !isHan(r) && r < 0x3000
}

// tokens splits text into scoring tokens: lower-case Latin words and numbers,
// and single Chinese characters, after folding Traditional/Simplified forms.
// It is the normalisation of the meetings eval (token F1).
func tokens(text string) []string {
	f := fold([]rune(text))
	var out []string
	for i := 0; i < len(f); {
		r := f[i]
		switch {
		case isHan(r):
			out = append(out, string(r))
			i++
		case isWord(r) && r != '\'':
			j := i
			for j < len(f) && isWord(f[j]) {
				j++
			}
			w := strings.Trim(string(f[i:j]), "'")
			w = strings.TrimSuffix(w, "'s")
			// A light plural fold: "vendors" and "vendor" are one token.
			if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") {
				w = w[:len(w)-1]
			}
			if w != "" {
				out = append(out, w)
			}
			i = j
		default:
			i++
		}
	}
	return out
}

// Tokens exposes the eval's text normalisation: folded, lower-case Latin
// words and numbers, and single Chinese characters.
func Tokens(text string) []string { return tokens(text) }

// TokenF1 is the token-overlap F1 of two texts under Tokens (a multiset
// overlap).
func TokenF1(a, b string) float64 {
	ta, tb := tokens(a), tokens(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	count := map[string]int{}
	for _, t := range tb {
		count[t]++
	}
	common := 0
	for _, t := range ta {
		if count[t] > 0 {
			count[t]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p := float64(common) / float64(len(ta))
	r := float64(common) / float64(len(tb))
	return 2 * p * r / (p + r)
}

// functionChars are Chinese characters that carry grammar rather than
// topic (particles, pronouns, copulas, measure words), Cantonese included.
var functionChars = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range zh.Fold("的了嘅咗吓下啦呀吧嗎呢喎囉咯嘞噃啊哦嘛啫咩就都也先再個个一我你妳您佢他她它們们哋地係是在喺把將同和跟與給俾畀會要去嚟來好咁這呢那嗰啲些有冇沒無唔不得到着著過之而及或但因為所以如果然後還仲又已經被讓叫請麻煩對於其該每各") {
		m[r] = true
	}
	return m
}()

// englishStop are English words that carry no topic.
var englishStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but if then so to of in on at by for from with about as into over after before
		is are was were be been being am do does did have has had will would shall should can could may might must
		i me my we us our you your he him his she her it its they them their this that these those there here
		what which who whom whose when where why how all any each every some no not only just also too very
		ok okay yes yeah yep sure well right good great thanks thank please let's lets let get got going gonna
		i'll i'm i've i'd we'll we're we've you'll you're it's that's there's don't doesn't didn't won't can't isn't aren't
		one two three up out more most much many still already now today tomorrow`) {
		m[w] = true
	}
	return m
}()

// contentTokens counts the tokens that carry content.
func contentTokens(text string) int {
	n := 0
	for _, t := range tokens(text) {
		rs := []rune(t)
		if len(rs) == 1 && isHan(rs[0]) {
			if !functionChars[rs[0]] {
				n++
			}
			continue
		}
		if !englishStop[t] && !isNumber(t) {
			n++
		}
	}
	return n
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// cantoneseChars mark colloquial Cantonese.
var cantoneseChars = []rune("嘅咗唔喺佢哋嚟冇係咁啲嗰咩睇俾畀搵噉乜嘢喇囉喎")

// detectLang names a transcript's main language: en when Latin words
// outnumber Chinese characters, yue when colloquial Cantonese characters
// are frequent, else zh-Hans or zh-Hant by the characters used.
func detectLang(text string) string {
	han, latin, canto := 0, 0, 0
	inWord := false
	for _, r := range text {
		switch {
		case isHan(r):
			han++
			inWord = false
			for _, c := range cantoneseChars {
				if r == c {
					canto++
					break
				}
			}
		case r < 0x80 && unicode.IsLetter(r):
			if !inWord {
				latin++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	if han == 0 || latin > han/2 && latin > han {
		return "en"
	}
	if canto*40 >= han {
		return "yue"
	}
	hans, hant := zh.SimplifiedScore(text)
	if hans > hant {
		return "zh-Hans"
	}
	return "zh-Hant"
}

// hasAt reports whether the folded runes f hold w (folded) at i.
func hasAt(f []rune, i int, w []rune) bool {
	if i < 0 || i+len(w) > len(f) {
		return false
	}
	for j, r := range w {
		if f[i+j] != r {
			return false
		}
	}
	return true
}

// latinBoundary reports that a Latin word matched at [i,j) of f stands alone.
func latinBoundary(f []rune, i, j int) bool {
	return (i == 0 || !isWord(f[i-1])) && (j >= len(f) || !isWord(f[j]))
}

// words is a list of folded phrases, longest first.
type words [][]rune

func newWords(ws ...string) words {
	out := make(words, 0, len(ws))
	for _, w := range ws {
		out = append(out, fold([]rune(w)))
	}
	// Longest first, so "之前" wins over "前".
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// at returns the length of the phrase matching f at i (Latin phrases on word
// boundaries), or 0.
func (ws words) at(f []rune, i int) int {
	for _, w := range ws {
		if !hasAt(f, i, w) {
			continue
		}
		if w[0] < 0x80 && unicode.IsLetter(w[0]) && !latinBoundary(f, i, i+len(w)) {
			continue
		}
		return len(w)
	}
	return 0
}

// find returns the first index at or after from where a phrase matches, and
// its length; -1 when none does.
func (ws words) find(f []rune, from int) (int, int) {
	for i := max(from, 0); i < len(f); i++ {
		if n := ws.at(f, i); n > 0 {
			return i, n
		}
	}
	return -1, 0
}

// endsWith returns the length of a phrase ending f[:i] (spaces before i
// skipped), or 0.
func (ws words) endsWith(f []rune, i int) int {
	for i > 0 && f[i-1] == ' ' {
		i--
	}
	for _, w := range ws {
		s := i - len(w)
		if s < 0 || !hasAt(f, s, w) {
			continue
		}
		if w[0] < 0x80 && unicode.IsLetter(w[0]) && !latinBoundary(f, s, i) {
			continue
		}
		return i - s
	}
	return 0
}
