package builtin

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/when"
	"github.com/banlihq/banli/nlu/zh"
)

// utter is one utterance analysed once: folded text, language, dates and
// people, shared by intent detection and slot filling.
type utter struct {
	ctx  context.Context
	text string
	orig []rune
	f    []rune // folded, rune-aligned with orig
	fs   string // string(f)
	lang string
	now  time.Time
	req  *Request
	opt  when.Options
	tm   when.Result // dates read with the future lean
	ms   []people.Mention

	// Lookups, loaded at most once per utterance.
	evCache   []EventRef
	evLoaded  bool
	taskCache []TaskRef
	taskOK    bool
	pendCache []PendingItem
	pendOK    bool
	meetCache []MeetingRef
	meetOK    bool
	// Memoised record matches, asked for by several intent rules.
	taskRef   *TaskRef
	taskRefOK bool
	taskDone  bool
	evRef     int // 0 unknown, 1 yes, 2 no
}

// stripQuoted removes quoted and bracketed passages: pasted content is
// data, not instructions (DESIGN.md invariant 3), so it never picks the
// intent or the records acted on.
func stripQuoted(s string) string {
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	pairs := map[rune]rune{'「': '」', '『': '』', '“': '”', '"': '"', '[': ']', '【': '】', '\'': '\''}
	for i := 0; i < len(rs); i++ {
		closeR, ok := pairs[rs[i]]
		if ok && (rs[i] != '\'' || i == 0 || !isASCIIWord(rs[i-1])) {
			j := i + 1
			for j < len(rs) && rs[j] != closeR {
				j++
			}
			if j < len(rs) && j-i > 8 {
				i = j
				continue
			}
		}
		out = append(out, rs[i])
	}
	return string(out)
}

func analyse(ctx context.Context, req *Request, text string) *utter {
	u := &utter{ctx: ctx, text: text, orig: []rune(text), now: req.Now, req: req}
	u.f = zh.FoldRunes(u.orig)
	u.fs = string(u.f)
	u.lang = detectLang(text)
	u.opt = when.Options{DayFirst: when.DayFirstLocale(req.Locale), Lean: when.Future}
	u.tm = when.Parse(text, req.Now, u.opt)
	if req.Dir != nil {
		u.ms = req.Dir.Find(text, req.Actor)
		u.ms = resolveMentions(bareSurnames(req.Dir, u))
		// "投影機1號" is a resource, not the 1st of the month.
		var keep []when.DateMention
		for _, d := range u.tm.Dates {
			if !overlapsRoom(u.ms, d.Start, d.End) {
				keep = append(keep, d)
			}
		}
		u.tm.Dates = keep
	}
	return u
}

// resolveMentions drops an ambiguous mention when a later, precise one names
// one of its candidates ("陳 ... 陳嘉慧"), as when the user answers "which?".
func resolveMentions(ms []people.Mention) []people.Mention {
	var out []people.Mention
	for i, m := range ms {
		if m.Ambiguous() {
			settled := false
			for j, o := range ms {
				if j != i && o.Kind == people.Person && len(o.IDs) == 1 && contains(m.IDs, o.IDs[0]) {
					settled = true
				}
			}
			if settled {
				continue
			}
		}
		out = append(out, m)
	}
	return out
}

// personCue are characters that introduce a person in Chinese: a lone
// surname right after them ("約陳開會", "叫黃交報告") is a reference.
const personCue = "約约同跟與与和叫請请給给俾讓让找搵問问"

// bareSurnames finds lone Chinese surnames after a person cue; they are
// ambiguous when several colleagues share the surname.
func bareSurnames(d *Directory, u *utter) []people.Mention {
	var out []people.Mention
	bySurname := map[rune][]string{}
	for _, e := range d.Employees {
		if sur, _ := people.SplitChineseName(e.Name); len([]rune(sur)) == 1 {
			r := zh.FoldRune([]rune(sur)[0])
			bySurname[r] = append(bySurname[r], e.ID)
		}
	}
	cue := zh.Fold(personCue)
	for i := 1; i < len(u.f); i++ {
		if !strings.ContainsRune(cue, u.f[i-1]) || !zh.IsHan(u.f[i]) {
			continue
		}
		if covered(u.ms, i) {
			continue
		}
		ids := bySurname[u.f[i]]
		if len(ids) == 0 {
			continue
		}
		// The next character must not continue a name we do not know.
		if i+1 < len(u.f) && zh.IsHan(u.f[i+1]) && !strings.ContainsRune(zh.Fold("開开傾倾見见交做講讲去食吃過过約约生先小太總总經经同和跟與一聯联確确覆回打跟報报提"), u.f[i+1]) {
			continue
		}
		out = append(out, people.Mention{Kind: people.Person, IDs: ids, Start: i, End: i + 1, Text: string(u.orig[i])})
	}
	return append(append([]people.Mention(nil), u.ms...), out...)
}

func overlapsRoom(ms []people.Mention, s, e int) bool {
	for _, m := range ms {
		if m.Kind == people.Room && s < m.End && m.Start < e {
			return true
		}
	}
	return false
}

func covered(ms []people.Mention, i int) bool {
	for _, m := range ms {
		if i >= m.Start && i < m.End {
			return true
		}
	}
	return false
}

// detectLang guesses zh-Hant, zh-Hans, yue or en.
func detectLang(s string) string {
	han, latin := 0, 0
	for _, r := range s {
		switch {
		case zh.IsHan(r):
			han++
		case r < 0x80 && unicode.IsLetter(r):
			latin++
		}
	}
	if han == 0 || latin > 4*han && han < 3 {
		return "en"
	}
	simp, trad := zh.SimplifiedScore(s)
	if simp > trad {
		return "zh-Hans"
	}
	for _, w := range []string{"嘅", "咗", "唔", "佢", "哋", "喺", "冇", "咩", "嚟", "啲", "嗰", "聽日", "琴日", "尋日", "畀", "俾", "嘢", "噉", "啱", "得閒", "邊個", "幾多", "攞", "搵", "睇", "落", "吖", "喇", "㗎", "嘞", "咪", "下晝", "朝早", "禮拜", "後日", "乜", "點樣", "係"} {
		if strings.Contains(s, w) {
			return "yue"
		}
	}
	return "zh-Hant"
}

// has reports whether the folded utterance contains any of the words.
func (u *utter) has(words ...string) bool {
	for _, w := range words {
		if strings.Contains(u.fs, zh.Fold(w)) {
			return true
		}
	}
	return false
}

// index returns the rune index of the first of words in the utterance, or -1.
func (u *utter) index(words ...string) (int, int) {
	best, bl := -1, 0
	for _, w := range words {
		fw := zh.Fold(w)
		if i := strings.Index(u.fs, fw); i >= 0 {
			ri := len([]rune(u.fs[:i]))
			if best < 0 || ri < best {
				best, bl = ri, len([]rune(fw))
			}
		}
	}
	return best, bl
}

// word reports whether an English word occurs on word boundaries.
func (u *utter) word(words ...string) bool {
	for _, w := range words {
		fw := zh.Fold(w)
		for i := 0; ; {
			j := strings.Index(u.fs[i:], fw)
			if j < 0 {
				break
			}
			j += i
			before := j == 0 || !isASCIIWord(rune(u.fs[j-1]))
			k := j + len(fw)
			after := k >= len(u.fs) || !isASCIIWord(rune(u.fs[k]))
			if before && after {
				return true
			}
			i = j + 1
		}
	}
	return false
}

func isASCIIWord(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// people returns the resolved mentions of the given kinds.
func (u *utter) mentions(kinds ...people.Kind) []people.Mention {
	var out []people.Mention
	for _, m := range u.ms {
		for _, k := range kinds {
			if m.Kind == k {
				out = append(out, m)
			}
		}
	}
	return out
}

// others returns the employees mentioned, other than the actor, and whether
// any mention was ambiguous or unresolvable.
func (u *utter) others() (ids []string, ambiguous bool) {
	for _, m := range u.mentions(people.Person, people.Team, people.Manager, people.Unresolved) {
		if m.Kind == people.Unresolved || m.Ambiguous() {
			ambiguous = true
			continue
		}
		for _, id := range m.IDs {
			if id != u.req.Actor && !contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	return ids, ambiguous
}

// resource returns the resource mentioned, if exactly one.
func (u *utter) resource() (string, bool) {
	rs := u.mentions(people.Room)
	if len(rs) == 0 || len(rs[0].IDs) != 1 {
		return "", false
	}
	return rs[0].IDs[0], true
}

// selfMentioned reports "我同X", "X and I", "for me": the actor is one of a
// group, as opposed to "我想..." where the actor just speaks.
func (u *utter) selfMentioned() bool {
	return u.has("我同", "我和", "我與", "我跟", "同我", "和我", "與我", "跟我", "我及", "及我", "佢同我", "我哋", "我們", "我们", "我地") ||
		u.word("and i", "and me", "me and", "i and", "for me", "me,", "with me", "both of us", "us") || strings.Contains(u.fs, "me, ")
}

// clean blanks out spans in a copy of the original runes.
func blank(rs []rune, spans ...[2]int) []rune {
	out := append([]rune(nil), rs...)
	for _, s := range spans {
		for i := max(0, s[0]); i < s[1] && i < len(out); i++ {
			out[i] = 0
		}
	}
	return out
}

// entitySpans lists the spans of dates, times, durations and people.
func (u *utter) entitySpans() [][2]int {
	var sp [][2]int
	for _, d := range u.tm.Dates {
		sp = append(sp, [2]int{d.Start, d.End})
	}
	for _, c := range u.tm.Clocks {
		sp = append(sp, [2]int{c.Start, c.End})
	}
	for _, p := range u.tm.Parts {
		sp = append(sp, [2]int{p.Start, p.End})
	}
	for _, d := range u.tm.Durations {
		sp = append(sp, [2]int{d.Start, d.End})
	}
	for _, m := range u.ms {
		// A department name inside a topic ("包裝設計") stays in the title.
		if m.Kind != people.Dept {
			sp = append(sp, [2]int{m.Start, m.End})
		}
	}
	sp = append(sp, u.tm.Seps...)
	return sp
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
