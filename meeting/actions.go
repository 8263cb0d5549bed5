package meeting

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/when"
)

// kind is how an action item's owner was found.
type kind int

const (
	kSelf  kind = iota // a first-person undertaking: "我會…", "I'll…"
	kNamed             // a person named: "請 Alice…", "Bob will…", "X 跟進"
	kYou               // addressed without a name: "Can you…?", "你…": resolved from the dialogue
)

// trig is where an action starts in a sentence: the trigger's first rune
// and where the task text begins.
type trig struct {
	pos, task int
	owner     string
	kind      kind
}

// cand is an action item found in a sentence, before the dialogue is read.
type cand struct {
	owner     string
	kind      kind
	task      string
	due       string
	dueMarked bool // "by / 前": the date is the deadline
	utt, sent int
	pre       string // topic text before the trigger, used when the task is thin
	src       string
	dead      bool
}

// mention is a colleague named in a sentence, resolved to one employee.
type mention struct {
	start, end int
	id         string
}

func (s *summarizer) mentions(se sentence, speaker string) []mention {
	if s.in.Directory == nil {
		return nil
	}
	var out []mention
	for _, m := range s.in.Directory.Find(string(se.text), speaker) {
		if m.Kind != people.Person {
			continue
		}
		if id := s.pickFor(m.IDs, speaker); id != "" {
			out = append(out, mention{m.Start, m.End, id})
		}
	}
	return out
}

// pickFor resolves a name several colleagues share: the one taking part,
// else the speaker's report, else the one in the speaker's department.
func (s *summarizer) pickFor(ids []string, speaker string) string {
	if id := pick(ids, s.parts); id != "" {
		return id
	}
	me, ok := s.in.Directory.Employee(speaker)
	if !ok {
		return ""
	}
	for _, near := range []func(people.Employee) bool{
		func(e people.Employee) bool { return e.Manager == me.ID },
		func(e people.Employee) bool { return e.Department != "" && e.Department == me.Department },
	} {
		var hit []string
		for _, id := range ids {
			if e, ok := s.in.Directory.Employee(id); ok && near(e) {
				hit = append(hit, id)
			}
		}
		if len(hit) == 1 {
			return hit[0]
		}
	}
	return ""
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func isPunct(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r) && r != '&' || r == '，' || r == '、'
}

func skipSpaces(f []rune, i int) int {
	for i < len(f) && isSpace(f[i]) {
		i++
	}
	return i
}

func skipPunctSpace(f []rune, i int) int {
	for i < len(f) && (isSpace(f[i]) || isPunct(f[i])) {
		i++
	}
	return i
}

// skipFillers returns where the sentence's content starts, after openers
// like "好，", "OK so", "Action:".
func skipFillers(f []rune) int {
	i := skipPunctSpace(f, 0)
	for {
		n := fillers.at(f, i)
		if n == 0 {
			n = acceptance.at(f, i)
		}
		if n == 0 {
			return i
		}
		j := i + n
		// A one-character or Latin filler must stand alone: "好，" but not
		// "好似", "so" but not "sooner"; "另外佢哋…" needs no comma.
		multiHan := n >= 2 && isHan(f[i]) && isHan(f[j-1])
		if j < len(f) && !isSpace(f[j]) && !isPunct(f[j]) && !isPunct(f[j-1]) && !multiHan {
			return i
		}
		i = skipPunctSpace(f, j)
	}
}

func endsQuestion(f []rune) bool {
	for i := len(f) - 1; i >= 0; i-- {
		switch {
		case f[i] == '?' || f[i] == '？':
			return true
		case isSpace(f[i]) || f[i] == '"' || f[i] == ')':
			continue
		}
		return false
	}
	return false
}

func (ws words) any(f []rune) bool { i, _ := ws.find(f, 0); return i >= 0 }

// clauseEnd returns the end of the clause starting at i.
func clauseEnd(f []rune, i int) int {
	for ; i < len(f); i++ {
		switch f[i] {
		case ',', '，', '、', ';', '。', '.', '?', '!':
			return i
		}
	}
	return len(f)
}

// latinWordAt returns the Latin word at i.
func latinWordAt(f []rune, i int) string {
	j := i
	for j < len(f) && isWord(f[j]) {
		j++
	}
	return string(f[i:j])
}

// triggers finds where actions start in one sentence.
func (s *summarizer) triggers(u utterance, se sentence, ms []mention, dates when.Result) []trig {
	f := se.f
	start := skipFillers(f)
	question := endsQuestion(f)
	askQ := requestQuestionEn.any(f) || requestQuestionZh.any(f) && subjectYou(f)
	var ts []trig
	for _, m := range ms {
		// (a) a request word before the name: "請 Alice", "由志豪", "ask Wing to".
		if n := reqBefore.endsWith(f, m.start); n > 0 {
			p := m.start
			for p > 0 && isSpace(f[p-1]) {
				p--
			}
			p -= n
			if reqBeforeNeedsTo.endsWith(f, m.start) > 0 && latinWordAt(f, afterTeam(f, m.end)) != "to" {
				continue
			}
			if question && !askQ {
				continue
			}
			ts = append(ts, trig{pos: p, task: m.end, owner: m.id, kind: kNamed})
			continue
		}
		// (b) the person is addressed: "志明，你…", "Kathy, please…".
		j := skipSpaces(f, m.end)
		voc := false
		if m.start == start && j < len(f) && (f[j] == ',' || f[j] == ':') {
			voc, j = true, j+1
		}
		if youZh.at(f, j) > 0 {
			voc = true
		}
		if voc {
			if question && !askQ {
				continue
			}
			if s.requestCue(f[j:], dates, j) {
				ts = append(ts, trig{pos: m.start, task: j, owner: m.id, kind: kNamed})
			}
			continue
		}
		// (c) a verb after the name: "X 跟進", "Bob will…", "Tony to…"; not
		// when the name is an object ("發給王總確認", "send it to Lisa").
		if objectBefore.endsWith(f, m.start) > 0 || latinWordAt(f, prevWordStart(f, m.start)) == "to" {
			continue
		}
		j = afterName(f, m.end)
		latinName := m.end > m.start && f[m.end-1] < 0x80
		timed := false // "凱琳明天遠程處理": a name, then when, then what
		k := skipSpaces(f, m.end)
		k = skipSpaces(f, k+dueGlueBefore.at(f, k))
		for _, d := range dates.Dates {
			if d.Start >= m.end && d.Start <= k && !d.To.Before(when.DateOf(s.now)) {
				timed = true
			}
		}
		minutes := m.start == start && actionMark.endsWith(f, m.start) > 0
		switch {
		case question && !askQ:
		case (timed || minutes) && !latinName && !doneZh.any(f[j:clauseEnd(f, j)]):
			// "凱琳明天遠程處理", "跟進：Aisyah協助家明…" (minutes).
			ts = append(ts, trig{pos: m.start, task: j, owner: m.id, kind: kNamed})
		case minutes && latinName:
			ts = append(ts, trig{pos: m.start, task: j, owner: m.id, kind: kNamed})
		case !latinName && ownerAfterZh.at(f, j) > 0 && !doneZh.any(f[j:clauseEnd(f, j)]):
			ts = append(ts, trig{pos: m.start, task: j, owner: m.id, kind: kNamed})
		case ownerAfterEn.at(f, j) > 0 && !beNext(f, j+ownerAfterEn.at(f, j)):
			ts = append(ts, trig{pos: m.start, task: j, owner: m.id, kind: kNamed})
		case m.start == start && latinWordAt(f, j) == "to" && !englishStop[latinWordAt(f, skipSpaces(f, j+2))]:
			ts = append(ts, trig{pos: m.start, task: j, owner: m.id, kind: kNamed})
		case trailingName(f, m) && (youReqEn.any(f) || youReqZh.any(f) || askQ):
			// (d) addressed at the end: "Could you send the deck, Priya?"
			ts = append(ts, trig{pos: start, task: start, owner: m.id, kind: kNamed})
		}
	}
	named := len(ts) > 0
	ts = append(ts, selfZh(f, start, dates)...)
	ts = append(ts, s.implicitSelf(f, dates, ts)...)
	ts = append(ts, selfEnglish(f)...)
	if !named {
		ts = append(ts, youTriggers(f, start, question, askQ)...)
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].pos < ts[j].pos })
	// "我讓寶儀…", "I'll ask Wing to…": the person asked does it.
	var out []trig
	for i, t := range ts {
		if t.kind != kNamed {
			shadowed := false
			for _, o := range ts[i+1:] {
				if o.kind == kNamed && o.pos <= t.task+6 {
					shadowed = true
				}
			}
			if shadowed {
				continue
			}
		}
		if len(out) > 0 && out[len(out)-1].pos == t.pos {
			continue
		}
		out = append(out, t)
	}
	return out
}

// afterTeam skips "'s team" after a name: "get Wei Ming's team to…".
func afterTeam(f []rune, i int) int {
	j := skipSpaces(f, i)
	if hasAt(f, j, []rune("'s")) {
		j = skipSpaces(f, j+2)
		if w := latinWordAt(f, j); w == "team" || w == "people" || w == "guys" || w == "staff" {
			j = skipSpaces(f, j+len(w))
		}
	}
	return j
}

// afterName skips what may stand between a name and its verb: spaces,
// "這邊", an apposition ("Wing from HR").
func afterName(f []rune, i int) int {
	for {
		j := skipSpaces(f, i)
		if n := skipAfterName.at(f, j); n > 0 {
			i = j + n
			continue
		}
		if latinWordAt(f, j) == "from" || latinWordAt(f, j) == "of" {
			// "Wing from HR should…": skip one or two words.
			k := skipSpaces(f, j+4)
			k = skipSpaces(f, k+len([]rune(latinWordAt(f, k))))
			if w := latinWordAt(f, k); w != "" && ownerAfterEn.at(f, k) == 0 {
				k = skipSpaces(f, k+len([]rune(w)))
			}
			return k
		}
		return j
	}
}

// beNext reports "will be…" (a state, "Bob will be away") unless it is "be
// responsible" or a progressive ("will be sending").
func beNext(f []rune, i int) bool {
	j := skipSpaces(f, i)
	if latinWordAt(f, j) != "be" {
		return false
	}
	w := latinWordAt(f, skipSpaces(f, j+2))
	return !strings.HasSuffix(w, "ing") && w != "responsible"
}

// trailingName reports a name closing the sentence: "…, Priya?"
func trailingName(f []rune, m mention) bool {
	before := m.start - 1
	for before >= 0 && isSpace(f[before]) {
		before--
	}
	if before < 0 || (f[before] != ',' && f[before] != '，') {
		return false
	}
	return skipPunctSpace(f, m.end) == len(f)
}

// requestCue reports that the words after an address ask for something: a
// request form, a date, or an instruction verb.
func (s *summarizer) requestCue(rest []rune, dates when.Result, offset int) bool {
	if pastZh.any(rest) || doneEn.any(rest) {
		return false // "May，份report我已經交咗俾你": a report, not a request
	}
	if youReqEn.any(rest) || youWill.any(rest) || subjectYou(rest) || youReqZh.any(rest) {
		return true
	}
	for _, d := range dates.Dates {
		if d.Start >= offset && !d.To.Before(when.DateOf(s.now)) {
			return true
		}
	}
	i := skipPunctSpace(rest, 0)
	if englishImperatives.at(rest, i) > 0 {
		return true
	}
	return ownerAfterZh.any(rest) && !endsQuestion(rest)
}

// selfZh finds Chinese first-person undertakings: "我會…", "我聽日…",
// "排更表我自己做", "由我負責".
func selfZh(f []rune, start int, dates when.Result) []trig {
	var ts []trig
	for i, r := range f {
		if r != '我' {
			continue
		}
		j := i + 1
		if selfNotPlural.at(f, j) > 0 {
			continue
		}
		if n := objectBefore.endsWith(f, i); n > 0 {
			// "俾我", "同我" are objects; "交俾我", "留俾我", "讓我嚟" undertake.
			by := string(f[i-n : i])
			undertake := by == "交俾" || by == "交給" || by == "交畀" ||
				(by == "俾" || by == "給") && i-n-1 >= 0 && f[i-n-1] == '留' ||
				by == "讓" && (hasAt(f, j, []rune("來")) || hasAt(f, j, []rune("嚟")))
			if !undertake {
				continue
			}
		}
		if selfOpinion.at(f, j) > 0 || i > 0 && (f[i-1] == '是' || f[i-1] == '係') {
			continue // "是我負責的客戶": a description
		}
		if c := conditionSpans(f); len(c) > 0 && c[0][0] < i {
			continue // "如果需要，我可以…": an offer on a condition
		}
		// "我先講倉務": speaking in the meeting, not a task.
		if k := j + modalAt(f, j); speechAct.at(f, k) > 0 || k > j && selfOpinion.at(f, k) > 0 {
			continue
		}
		end := clauseEnd(f, j)
		if doneZh.any(f[j:end]) || pastGuo(f[j:end]) {
			continue
		}
		head := f[j:min(end, j+10)]
		cue := selfCue.any(head) || dueMarker(f[j:end])
		for _, d := range dates.Dates {
			if d.Start >= j && d.Start < end {
				cue = true
			}
		}
		if !cue {
			continue
		}
		// "我會唔…", "我就唔…": negated.
		if k := selfCue.at(f, j); k > 0 && (hasAt(f, j+k, []rune("唔")) || hasAt(f, j+k, []rune("不"))) {
			continue
		}
		p := i
		if i > 0 && (f[i-1] == '由' || f[i-1] == '等') {
			p = i - 1
		}
		ts = append(ts, trig{pos: p, task: j, kind: kSelf})
	}
	return ts
}

// implicitSelf finds an undertaking with the subject left out, as Chinese
// allows: a clause opening with a day to come and then what will be done
// ("…，明天可以送去印刷", "下周一开始拜访前十大客户").
func (s *summarizer) implicitSelf(f []rune, dates when.Result, have []trig) []trig {
	if len(have) > 0 || endsQuestion(f) {
		return nil
	}
	today := when.DateOf(s.now)
	for _, d := range dates.Dates {
		if d.Grain != when.Day || !today.Before(d.From) || d.Start >= len(f) || !isHan(f[d.Start]) {
			continue
		}
		k := d.Start
		for k > 0 && isSpace(f[k-1]) {
			k--
		}
		if k == 0 || f[k-1] != ',' && f[k-1] != '，' {
			continue // only after a comma: "…，明天可以送去印刷"
		}
		j := skipSpaces(f, d.End)
		j += dueGlueAfter.at(f, j)
		end := clauseEnd(f, j)
		if j >= end || youNot.at(f, j) > 0 || selfOpinion.at(f, j) > 0 || doneZh.any(f[j:end]) || giveMe.any(f[j:end]) ||
			!selfCue.any(f[j:min(end, j+6)]) {
			continue
		}
		return []trig{{pos: d.Start, task: d.Start, kind: kSelf}}
	}
	return nil
}

// pastGuo reports an experiential "過" ("我問過", "算過了"), not "過去".
func pastGuo(c []rune) bool {
	for i, r := range c {
		if r != '過' {
			continue
		}
		if i+1 == len(c) || c[i+1] == '了' || c[i+1] == '嘅' || isPunct(c[i+1]) {
			return true
		}
	}
	return false
}

var dueMarks = newWords("前", "之前", "by", "before")

func dueMarker(c []rune) bool { return dueMarks.any(c) }

// selfEnglish finds English first-person undertakings: "I'll…", "Let me…".
func selfEnglish(f []rune) []trig {
	var ts []trig
	// "Will send the letters by Thursday.", "Mine will be in by Monday":
	// the speaker, unsaid.
	st := skipFillers(f)
	if w := latinWordAt(f, st); w == "will" || w == "mine" {
		j := skipSpaces(f, st+len([]rune(w)))
		if w == "mine" && latinWordAt(f, j) == "will" {
			ts = append(ts, trig{pos: st, task: st, kind: kSelf})
		} else if w == "will" && englishImperatives.at(f, j) > 0 && latinWordAt(f, j) != "do" {
			ts = append(ts, trig{pos: st, task: j, kind: kSelf})
		}
	}
	for i := 0; i < len(f); i++ {
		if i > 0 && isWord(f[i-1]) {
			continue
		}
		n := selfEn.at(f, i)
		if n == 0 {
			continue
		}
		phrase := string(f[i : i+n])
		j := skipSpaces(f, i+n)
		next := latinWordAt(f, j)
		prev := latinWordAt(f, prevWordStart(f, i))
		switch {
		case selfEnNot.at(f, j) > 0:
		case prev == "so" || prev == "that" || prev == "if":
			// "so I can check the cash position": a purpose, not an undertaking.
		case phrase == "let me" && next == "know":
			ts = append(ts, trig{pos: i, task: i, kind: kYou})
		case phrase == "i'll be" && !strings.HasSuffix(next, "ing"):
		case (phrase == "i can" || phrase == "i could") && (next == "" || next == "also" || next == "only" || next == "just"):
		default:
			ts = append(ts, trig{pos: i, task: j, kind: kSelf})
		}
		i += n - 1
	}
	return ts
}

// modalAt returns the length of the modals and adverbs at i ("先", "會再").
func modalAt(f []rune, i int) int {
	n := 0
	for n < 4 && i+n < len(f) && strings.ContainsRune("先再就會要都也亦去", f[i+n]) {
		n++
	}
	return n
}

// prevWordStart returns where the Latin word before i starts (i when none).
func prevWordStart(f []rune, i int) int {
	j := i
	for j > 0 && isSpace(f[j-1]) {
		j--
	}
	k := j
	for k > 0 && isWord(f[k-1]) {
		k--
	}
	if k == j {
		return i
	}
	return k
}

// subjectYou reports a "你" that is the subject, not an object ("俾你").
func subjectYou(f []rune) bool {
	for i, r := range f {
		if (r == '你' || r == '妳' || r == '您') && objectBefore.endsWith(f, i) == 0 {
			return true
		}
	}
	return false
}

var (
	doneEn = newWords("already", "have sent", "has sent", "have done", "has been", "have been", "i sent", "i did", "we sent", "we did")
	pastZh = newWords("已經", "已")
)

// youNot follow a subject "你" that is not asked to do anything.
var youNot = newWords("覺得", "話", "講", "睇", "知", "嘅", "哋", "們", "好", "係", "是", "有冇", "有沒有", "啱", "想", "估", "認為",
	"頭先", "之前", "上次", "都係", "的", "可能", "應該知", "記唔記得", "知唔知", "知道")

// youTriggers finds requests to whoever is addressed: "Can you…?",
// "Please…", "你…", "麻煩你…".
func youTriggers(f []rune, start int, question, askQ bool) []trig {
	if question && !askQ {
		return nil
	}
	if i, n := youReqEn.find(f, 0); i >= 0 {
		w := string(f[i : i+n])
		if w == "please" && i != start && f[max(i-1, 0)] != ',' && f[max(i-2, 0)] != ',' {
			// "please" inside a sentence is politeness, not always a request.
			return nil
		}
		if w == "please do" {
			return []trig{{pos: i, task: i + n, kind: kYou}}
		}
		task := i + n
		switch w {
		case "let me know", "make sure", "send me", "get me":
			task = i
		}
		return []trig{{pos: i, task: task, kind: kYou}}
	}
	if i, n := youReqZh.find(f, 0); i >= 0 && (i == start || i > start && isPunct(f[i-1])) {
		return []trig{{pos: i, task: i + n, kind: kYou}}
	}
	for i, r := range f {
		if !slices.Contains([]rune("你妳您"), r) {
			continue
		}
		if objectBefore.endsWith(f, i) > 0 || youNot.at(f, i+1) > 0 {
			continue
		}
		if end := clauseEnd(f, i+1); doneZh.any(f[i+1 : end]) {
			continue
		}
		return []trig{{pos: i, task: i + 1, kind: kYou}}
	}
	return nil
}
