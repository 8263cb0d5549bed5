package meeting

import (
	"math"
	"sort"
	"strings"

	"github.com/banlihq/banli/domain"
)

// decisions lists sentences that record a decision ("決定…", "Decision:",
// "we agreed to…"), without their openers, in transcript order.
func (s *summarizer) decisions() []domain.SummaryPoint {
	var out []domain.SummaryPoint
	seen := map[string]bool{}
	for _, u := range s.utts {
		for _, se := range u.sents {
			i, _ := decisionCue.find(se.f, 0)
			if i < 0 || endsQuestion(se.f) || negated(se.f, i) {
				continue
			}
			text := decisionText(se)
			if contentTokens(text) < 3 || seen[text] {
				continue
			}
			seen[text] = true
			out = append(out, domain.SummaryPoint{Text: text, Speaker: s.speakerRef(u), Line: u.line.N})
		}
	}
	return out
}

// negated reports a negation just before i: "未決定", "not decided".
func negated(f []rune, i int) bool {
	before := strings.TrimSpace(string(f[max(0, i-6):i]))
	for _, w := range []string{"未", "冇", "沒有", "沒", "唔", "不", "not", "haven't", "hasn't", "no"} {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	return false
}

func decisionText(se sentence) string {
	i := skipFillers(se.f)
	for {
		n := decisionStrip.at(se.f, i)
		if n == 0 {
			break
		}
		i = skipPunctSpace(se.f, i+n)
	}
	return tidy(se.text[i:], nil)
}

// keyPoints ranks the sentences that carry the meeting's topics: each
// term (a Latin word, or a pair of Chinese characters) weighs by how often
// the meeting returns to it and how few sentences it is in; a sentence
// scores the mean weight of its terms, discounted when it repeats a point
// already chosen. Small talk and sentences already listed as decisions or
// action items are left out. The points are returned in transcript order.
func (s *summarizer) keyPoints(decisions []domain.SummaryPoint, items []domain.ActionItem) []domain.SummaryPoint {
	type cand struct {
		u     int
		text  string
		terms map[string]int
		score float64
	}
	used := map[string]bool{}
	for _, d := range decisions {
		used[d.Text] = true
	}
	for _, a := range items {
		used[a.Source] = true
	}
	var cs []cand
	df := map[string]int{}
	tf := map[string]int{}
	for k, u := range s.utts {
		for _, se := range u.sents {
			text := strings.TrimSpace(string(se.text))
			ts := terms(se.f)
			for t, n := range ts {
				df[t]++
				tf[t] += n
			}
			if contentTokens(text) < 5 || endsQuestion(se.f) || used[text] || used[decisionText(se)] {
				continue
			}
			cs = append(cs, cand{u: k, text: text, terms: ts})
		}
	}
	if len(cs) == 0 {
		return nil
	}
	n := float64(len(cs))
	weight := func(t string) float64 {
		if tf[t] < 2 {
			return 0.2 // said once: little evidence it is a topic
		}
		return math.Log(1+float64(tf[t])) * math.Log(1+n/float64(df[t]))
	}
	for i := range cs {
		sum := 0.0
		for t := range cs[i].terms {
			sum += weight(t)
		}
		// Mean weight, softly favouring fuller sentences.
		cs[i].score = sum / math.Sqrt(float64(len(cs[i].terms))+4)
	}
	want := int(math.Round(math.Sqrt(n)))
	want = max(3, min(want, 8))
	chosen := make([]cand, 0, want)
	left := cs
	for len(chosen) < want && len(left) > 0 {
		best, bestScore := -1, 0.0
		for i, c := range left {
			// Maximal marginal relevance: penalise overlap with chosen points.
			over := 0.0
			for _, p := range chosen {
				over = math.Max(over, overlap(c.terms, p.terms))
			}
			sc := c.score * (1 - 0.7*over)
			if best < 0 || sc > bestScore {
				best, bestScore = i, sc
			}
		}
		chosen = append(chosen, left[best])
		left = append(left[:best:best], left[best+1:]...)
	}
	sort.SliceStable(chosen, func(i, j int) bool { return chosen[i].u < chosen[j].u })
	out := make([]domain.SummaryPoint, 0, len(chosen))
	for _, c := range chosen {
		out = append(out, domain.SummaryPoint{Text: c.text, Speaker: s.speakerRef(s.utts[c.u]), Line: s.utts[c.u].line.N})
	}
	return out
}

// terms returns a sentence's topic terms with counts: Latin words that are
// not stop words (a trailing "s" dropped), and pairs of adjacent Chinese
// characters that are not grammar characters.
func terms(f []rune) map[string]int {
	out := map[string]int{}
	for i := 0; i < len(f); {
		r := f[i]
		switch {
		case isHan(r):
			if i+1 < len(f) && isHan(f[i+1]) && !functionChars[r] && !functionChars[f[i+1]] {
				out[string(f[i:i+2])]++
			}
			i++
		case isWord(r):
			j := i
			for j < len(f) && isWord(f[j]) {
				j++
			}
			w := strings.Trim(string(f[i:j]), "'")
			if len(w) > 2 && !englishStop[w] && !isNumber(w) {
				if len(w) > 4 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
					w = w[:len(w)-1]
				}
				out[w]++
			}
			i = j
		default:
			i++
		}
	}
	return out
}

// overlap is the share of a's terms that b also has.
func overlap(a, b map[string]int) float64 {
	if len(a) == 0 {
		return 0
	}
	n := 0
	for t := range a {
		if b[t] > 0 {
			n++
		}
	}
	return float64(n) / float64(len(a))
}
