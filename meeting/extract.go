package meeting

import (
	"regexp"
	"strings"
	"time"

	"github.com/banlihq/banli/nlu/when"
)

// sentenceCands finds the action items of one sentence. Each trigger's
// task runs to the next trigger, a "but" or a clause with a new subject; a
// topic said before the trigger ("排更表我自己做", "年尾個report，阿倫你…")
// belongs to it.
func (s *summarizer) sentenceCands(k, si int, u utterance, se sentence) []*cand {
	if !mayAct(se.f) {
		return nil
	}
	ms := s.mentions(se, u.speaker)
	// Dates matter only where an action may start; parsing them is the
	// costliest step, so sentences with no one in them skip it.
	var dates when.Result
	if (len(ms) > 0 || personal(se.f)) && temporal(se.f) {
		dates = when.Parse(string(se.text), s.now, s.opt)
	}
	ts := s.triggers(u, se, ms, dates)
	if len(ts) == 0 {
		return nil
	}
	f := se.f
	start := skipFillers(f)
	ts = splitDated(f, ts, dates)
	var out []*cand
	for i, t := range ts {
		end := len(f)
		if i+1 < len(ts) {
			end = ts[i+1].pos
		}
		end = cutTask(f, t.task, end)
		c := &cand{owner: t.owner, kind: t.kind, utt: k, sent: si, src: strings.TrimSpace(string(se.text))}
		if t.kind == kSelf {
			c.owner = u.speaker
		}
		lo := t.task
		var topic string
		if i == 0 && t.pos > start {
			c.pre = tidy(se.text[start:t.pos], nil)
			if isTopic(f, start, t.pos, dates) {
				topic, lo = c.pre, start
			}
		}
		var sp [2]int
		c.due, c.dueMarked, sp = s.dueIn(f, dates, lo, end, t.kind == kSelf)
		mask := s.dueMask(f, dates, sp)
		withinMask(f, mask)
		c.task = join(topic, tidy(se.text[t.task:end], mask[t.task:end]))
		out = append(out, c)
	}
	return out
}

// splitDated splits an undertaking that names two days for two pieces of
// work ("我今日會入system，聽日出confirmation") into two items.
func splitDated(f []rune, ts []trig, dates when.Result) []trig {
	var out []trig
	for i, t := range ts {
		out = append(out, t)
		if t.kind != kSelf {
			continue // a request's second day is part of what is asked
		}
		end := len(f)
		if i+1 < len(ts) {
			end = ts[i+1].pos
		}
		var in []when.DateMention
		for _, d := range dates.Dates {
			if d.Start >= t.task && d.Start < end && d.Grain == when.Day {
				in = append(in, d)
			}
		}
		if len(in) < 2 {
			continue
		}
		// The second date must open a new clause: "，聽日…", ", then tomorrow…".
		second := in[1]
		k := second.Start
		for k > t.task && isSpace(f[k-1]) {
			k--
		}
		if k > t.task && (f[k-1] == ',' || f[k-1] == '，') && in[0].End < k {
			out = append(out, trig{pos: k, task: second.Start, owner: t.owner, kind: t.kind})
		}
	}
	return out
}

// within matches a deadline counted from something else: "三個工作天內",
// "within 3 working days"; it is left out of the task text.
var within = regexp.MustCompile(`(?:(?:喺|在|於)\s*)?[0-9一二三四五六七八九十兩两]+\s*個?\s*(?:工作|working\s+|business\s+)?(?:天|日|星期|禮拜|週|周|個月|days?|weeks?)\s*(?:之內|內|以內)|within\s+[0-9a-z]+\s+(?:working\s+|business\s+)?(?:days?|weeks?)`)

func withinMask(f []rune, mask []bool) {
	s := string(f)
	for _, m := range within.FindAllStringIndex(s, -1) {
		a := len([]rune(s[:m[0]]))
		b := a + len([]rune(s[m[0]:m[1]]))
		for i := a; i < b && i < len(mask); i++ {
			mask[i] = true
		}
	}
}

// cutWords end a task: a contrast ("不過…", "but…") or a clause with its own
// subject ("，我們下星期五前算好").
var (
	contrast   = newWords("不過", "但係", "但是", "可是", "不过", "but", "however", "though", "although", "except", "whereas")
	newSubject = newWords("我們", "我哋", "我地", "你們", "你哋", "佢哋", "他們", "佢", "他", "她", "we", "they", "he", "she", "it", "i")
)

func cutTask(f []rune, from, to int) int {
	for i := from + 1; i < to; i++ {
		if n := conditional.at(f, i); n > 0 && i > from+2 {
			return i // "send a reminder as well if that helps"
		}
		if n := contrast.at(f, i); n > 0 && (i == 0 || isPunct(f[i-1]) || isSpace(f[i-1]) || isHan(f[i-1])) {
			if f[i] < 0x80 || isPunct(f[i-1]) {
				return i
			}
		}
		if f[i-1] == ',' || f[i-1] == '，' {
			j := skipSpaces(f, i)
			if n := newSubject.at(f, j); n > 0 && !(f[j] == '我' && selfNotPlural.at(f, j+1) == 0) {
				return i - 1
			}

		}
	}
	return to
}

// isTopic reports words before a trigger that name what it is about: a
// Chinese phrase right before the trigger ("報價我來準備", "逾期發票由麗珊
// 跟進"), or a phrase set off by a comma ("年尾個sales report，阿倫你負責
// 整"). A clause with its own date, a past event ("今朝收到"), a condition
// or a time ("收到報價後，") is not a topic.
func isTopic(f []rune, from, to int, dates when.Result) bool {
	t := strings.TrimSpace(string(f[from:to]))
	if t == "" || contentTokens(t) < 2 || strings.ContainsAny(t, "?？") {
		return false
	}
	rt := []rune(t)
	for _, d := range dates.Dates {
		if d.Start >= from && d.Start < to {
			return false
		}
	}
	if conditional.any(rt) || doneZh.any(rt) || doneEn.any(rt) || timeClause.endsWith(rt, len(rt)) > 0 ||
		timeClause.endsWith(rt, len(rt)-1) > 0 {
		return false
	}
	last := rt[len(rt)-1]
	switch {
	case last == ',':
		return len(tokens(t)) <= 18
	case len(tokens(t)) > 12:
		return false
	}
	return isHan(f[to]) && (isHan(last) || !isSpace(f[to-1]))
}

var timeClause = newWords("後", "之後", "以後", "後面", "after", "once", "when", "收到", "完成")

// temporalRunes and temporalWords are what every date, time of day and
// period the date parser reads contains (a digit, a Chinese numeral or
// calendar character, an English calendar word); a sentence without any
// names no day.
var (
	temporalRunes = func() map[rune]bool {
		m := map[rune]bool{}
		for _, r := range fold([]rune("一二三四五六七八九十廿兩今明聽後昨尋噚琴週周星期禮拜月號日天朝晚晝午夜早底尾旦誕年")) {
			m[r] = true
		}
		return m
	}()
	temporalWords = newWords("today", "tonight", "tomorrow", "tmr", "tmrw", "tdy", "yesterday", "mon", "monday", "tue", "tues", "tuesday",
		"wed", "wednesday", "thu", "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun", "sunday", "jan", "january",
		"feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug", "august", "sep", "sept",
		"september", "oct", "october", "nov", "november", "dec", "december", "week", "weeks", "weekend", "month", "month-end",
		"morning", "afternoon", "evening", "night", "noon", "lunch", "lunchtime", "eod", "christmas", "xmas", "new year", "year")
)

func temporal(f []rune) bool {
	for _, r := range f {
		if r >= '0' && r <= '9' || temporalRunes[r] {
			return true
		}
	}
	return temporalWords.any(f)
}

// personal reports a sentence with a first- or second-person word or a
// clause after a comma (where an undertaking may leave its subject out).
func personal(f []rune) bool {
	for _, r := range f {
		switch r {
		case '我', '你', '妳', '您', ',':
			return true
		}
	}
	return selfEn.any(f) || youReqEn.any(f) || youWill.any(f) || requestQuestionEn.any(f) || actionMark.any(f) ||
		latinWordAt(f, skipFillers(f)) == "will" || latinWordAt(f, skipFillers(f)) == "mine"
}

// mayAct is a cheap filter: sentences without a first-person word, a
// second-person word, a request word or a name-like capital are skipped
// before the directory is searched... except that names carry most
// actions, so only empty and one-word sentences are skipped here.
func mayAct(f []rune) bool {
	n := 0
	for _, r := range f {
		if !isSpace(r) && !isPunct(r) {
			n++
		}
	}
	return n >= 3
}

var conditional = newWords("如果", "假如", "若果", "要是", "if", "unless", "because", "因為")

// notDeadline stand before a date that is not a deadline: "提前到十八號"
// (a target), "book the movers for 9 Jan" (an event), "until March".
var notDeadline = newWords("到", "至", "until", "till", "through", "for", "since", "from", "由", "從", "維持到")

// dueIn picks an item's due date among the dates of [from, to) of the
// sentence f: a date marked as a deadline ("by Friday", "星期五前") first,
// else the first day named. Dates before the meeting, months named without
// "by" ("in January"), targets ("提前到十八號") and dates in a condition
// ("如果禮拜三未有貨") are not deadlines. A week ("next week", "本週內") is due
// on its Friday; "before the weekend" on the day before it starts. Fixed
// holidays ("聖誕前", "before Christmas") count when marked as deadlines.
func (s *summarizer) dueIn(f []rune, dates when.Result, from, to int, self bool) (due string, marked bool, span [2]int) {
	today := when.DateOf(s.now)
	cond := conditionSpans(f)
	var best *when.DateMention
	for i := range dates.Dates {
		d := &dates.Dates[i]
		if d.Start < from || d.Start >= to || d.To.Before(today) || inSpans(cond, d.Start) {
			continue
		}
		marked := d.Due || dueGlueBefore.endsWith(f, d.Start) > 0 && byWords.endsWith(f, d.Start) > 0
		if d.Grain == when.Month && monthEnd.at(f, skipSpaces(f, d.End)) > 0 {
			marked = true // "一月底前": the month's last day
		}
		if !marked && (d.Grain == when.Month || notDeadline.endsWith(f, d.Start) > 0) {
			continue
		}
		if marked {
			d.Due = true
			best = d
			break
		}
		if best == nil {
			best = d
		}
	}
	if best == nil {
		if h, sp, ok := s.holiday(f, from, to); ok {
			return h.String(), true, sp
		}
		if i, n := weekEnd.find(f, from); i >= 0 && i < to {
			// "by the end of the week": this week's Friday.
			d := today
			for d.Weekday() != time.Friday {
				d = d.AddDays(1)
			}
			if hasAt(f, i, []rune("end of next week")) {
				d = d.AddDays(7)
			}
			return d.String(), true, [2]int{i, i + n}
		}
		for _, p := range dates.Parts {
			// "this afternoon", "今晚" with no day: the meeting's day.
			if p.Start >= from && p.Start < to && len(dates.Dates) == 0 && (self || thisWords.endsWith(f, p.Start) > 0) {
				return today.String(), false, [2]int{p.Start, p.End}
			}
		}
		return "", false, span
	}
	day := best.To
	if best.Due && best.From != best.To && (beforeWords.endsWith(f, best.Start) > 0 || hasAt(f, skipSpaces(f, best.End), []rune("前"))) && best.Grain == when.Day {
		day = best.From.AddDays(-1) // "before the weekend"
	}
	if best.Grain == when.Week || day != best.To {
		for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = day.AddDays(-1)
		}
	}
	return day.String(), best.Due, [2]int{best.Start, best.End}
}

var (
	thisWords   = newWords("this", "今", "今日", "今天")
	monthEnd    = newWords("底", "尾", "月底", "月尾")
	weekEnd     = newWords("end of the week", "end of this week", "end of next week", "end of week", "this week", "週末前", "周末前")
	byWords     = newWords("by", "by the end of", "by end of", "before the end of", "before", "no later than", "最遲", "限")
	beforeWords = newWords("before", "之前", "前")
)

// conditionSpans returns the clauses opened by "如果", "if", "unless"…
func conditionSpans(f []rune) [][2]int {
	var out [][2]int
	for i := 0; i < len(f); {
		j, n := conditional.find(f, i)
		if j < 0 {
			break
		}
		out = append(out, [2]int{j, clauseEnd(f, j+n)})
		i = j + n
	}
	return out
}

func inSpans(sp [][2]int, i int) bool {
	for _, s := range sp {
		if i >= s[0] && i < s[1] {
			return true
		}
	}
	return false
}

// fixedHolidays are holidays on the same day every year, as people name
// them in deadlines: "聖誕前", "before Christmas", "元旦前".
var fixedHolidays = []struct {
	w     words
	month time.Month
	day   int
}{
	{newWords("平安夜", "christmas eve", "xmas eve"), time.December, 24},
	{newWords("聖誕節", "聖誕", "christmas", "xmas"), time.December, 25},
	{newWords("元旦", "new year's day", "new year", "新年"), time.January, 1},
}

// holiday finds a fixed holiday marked as a deadline in [from, to) and
// returns its next date on or after the meeting.
func (s *summarizer) holiday(f []rune, from, to int) (when.Date, [2]int, bool) {
	today := when.DateOf(s.now)
	for i := from; i < min(to, len(f)); i++ {
		for _, h := range fixedHolidays {
			n := h.w.at(f, i)
			if n == 0 {
				continue
			}
			if byWords.endsWith(f, i) == 0 && !hasAt(f, skipSpaces(f, i+n), []rune("前")) && !hasAt(f, skipSpaces(f, i+n), []rune("之前")) {
				continue
			}
			d := when.Date{Year: today.Year, Month: h.month, Day: h.day}
			if d.Before(today) {
				d.Year++
			}
			return d, [2]int{i, i + n}, true
		}
	}
	return when.Date{}, [2]int{}, false
}

// dueMask marks the due date's runes, with the words that tie it to the
// task ("喺…前", "by …") and a time of day next to it, which the task text
// leaves out; other dates stay in the text ("提前到十八號").
func (s *summarizer) dueMask(f []rune, r when.Result, due [2]int) []bool {
	m := make([]bool, len(f))
	if due[1] <= due[0] {
		return m
	}
	a, b := due[0], due[1]
	// A time of day or period right next to the date goes with it.
	for _, c := range r.Clocks {
		if c.Start >= b && c.Start <= b+2 {
			b = c.End
		}
	}
	for _, p := range r.Parts {
		if p.Start >= b && p.Start <= b+2 {
			b = max(b, p.End)
		}
		if p.End <= a && p.End >= a-1 {
			a = p.Start
		}
	}
	for {
		if n := dueGlueBefore.endsWith(f, a); n > 0 {
			for a > 0 && isSpace(f[a-1]) {
				a--
			}
			a -= n
			continue
		}
		break
	}
	for {
		j := skipSpaces(f, b)
		if n := dueGlueAfter.at(f, j); n > 0 {
			b = j + n
			continue
		}
		break
	}
	for i := max(a, 0); i < min(b, len(f)); i++ {
		m[i] = true
	}
	return m
}

// tidy renders the unmasked runes of a task: spaces collapsed, leading
// subjects, modals and politeness and trailing particles removed.
func tidy(rs []rune, mask []bool) string {
	var b []rune
	for i, r := range rs {
		if mask != nil && mask[i] {
			if len(b) > 0 && b[len(b)-1] != ' ' && !isHan(r) {
				b = append(b, ' ')
			}
			continue
		}
		if isSpace(r) {
			if len(b) > 0 && b[len(b)-1] != ' ' {
				b = append(b, ' ')
			}
			continue
		}
		// One separator between clauses: "，，" left by a removed date.
		if isPunct(r) && len(b) > 0 && isPunct(b[len(b)-1]) && r != ')' && r != '）' {
			continue
		}
		b = append(b, r)
	}
	for {
		n0 := len(b)
		b = trimLeft(b)
		b = trimRight(b)
		if len(b) == n0 {
			break
		}
	}
	return string(b)
}

func trimLeft(b []rune) []rune {
	i := 0
	for i < len(b) && (isSpace(b[i]) || isPunct(b[i]) && b[i] != '(' && b[i] != '（' && b[i] != '@') {
		i++
	}
	b = b[i:]
	f := fold(b)
	if n := leading.at(f, 0); n > 0 && n < len(b) {
		// A one-character word only when more follows ("去拜訪" keeps nothing
		// else to strip); Latin words on a boundary, which at() checks.
		b = b[n:]
	}
	return b
}

func trimRight(b []rune) []rune {
	j := len(b)
	for j > 0 && (isSpace(b[j-1]) || isPunct(b[j-1]) && b[j-1] != ')' && b[j-1] != '）' && b[j-1] != '%') {
		j--
	}
	b = b[:j]
	f := fold(b)
	if n := trailing.endsWith(f, len(f)); n > 0 && n < len(b) {
		b = b[:len(b)-n]
	}
	return b
}
