package when

import (
	"strings"
	"time"
	"unicode"

	"github.com/banlihq/banli/nlu/zh"
)

// Part is a period of the day.
type Part int

// Periods of the day.
const (
	NoPart Part = iota
	Morning
	Noon
	Afternoon
	Evening
)

// String names the part ("morning", ...).
func (p Part) String() string {
	return [...]string{"", "morning", "noon", "afternoon", "evening"}[p]
}

// Grain is the size of a date mention.
type Grain int

// Grains of date mentions.
const (
	Day Grain = iota
	Week
	Month
)

// Lean says which way an underspecified date (a bare weekday, "5號", "Dec 1")
// resolves.
type Lean int

// Leans. Future follows TOOLS.md (a bare weekday is its next occurrence after
// today); Past suits expenses ("星期五的士費" is last Friday's taxi); Nearest
// picks the occurrence closest to today.
const (
	Future Lean = iota
	Past
	Nearest
)

// Options tune resolution.
type Options struct {
	// DayFirst reads "12/1" as 12 January (Hong Kong, British usage); false
	// reads it as December 1 (US, mainland China). See DayFirstLocale.
	DayFirst bool
	// Lean resolves underspecified dates.
	Lean Lean
}

// DayFirstLocale reports whether a locale writes numeric dates day first:
// Hong Kong, Britain, Malaysia, Singapore, Australia do; the US, mainland
// China and Taiwan write month first.
func DayFirstLocale(locale string) bool {
	l := strings.ToLower(locale)
	switch {
	case strings.HasSuffix(l, "-us"), strings.HasSuffix(l, "-cn"), strings.HasSuffix(l, "-tw"),
		strings.HasPrefix(l, "zh-hans"), l == "zh", l == "en":
		return false
	}
	return true
}

// DateMention is a day or a range of days found in the text.
type DateMention struct {
	From, To   Date
	Grain      Grain
	Start, End int // rune span in the text
	Due        bool
	// Weekday is true for weekday expressions, Explicit when a month or a
	// year was written (so the date does not depend on the lean).
	Weekday bool
}

// Clock is a time of day found in the text, already in 24-hour form.
type Clock struct {
	Hour, Minute int
	Start, End   int
	// Explicit is true when am/pm, a 24-hour value or a period of the day
	// fixed the hour; false when the hour was guessed from office hours.
	Explicit bool
}

// PartMention is a period of the day found in the text.
type PartMention struct {
	Part       Part
	Start, End int
}

// Duration is a length of time found in the text: minutes, or whole days.
type Duration struct {
	Minutes    int
	Days       int
	Start, End int
}

// Result is everything temporal found in one text.
type Result struct {
	Dates     []DateMention
	Clocks    []Clock
	Parts     []PartMention
	Durations []Duration
	HalfDay   bool // 半天, 半日, half a day
	FullDay   bool // 全日, 成日, full day
	// Seps holds the rune spans of range separators (至, 到, to, -) that
	// stand between other expressions.
	Seps [][2]int
}

// Parse finds temporal expressions in text and resolves them against now,
// in now's location.
func Parse(text string, now time.Time, opt Options) Result {
	s := scanner{rs: zh.FoldRunes([]rune(text)), today: DateOf(now), opt: opt}
	s.run()
	s.resolveClocks()
	return s.res
}

type scanner struct {
	rs    []rune
	today Date
	opt   Options
	res   Result
}

func (s *scanner) run() {
	for i := 0; i < len(s.rs); {
		if n := s.at(i); n > 0 {
			i += n
			continue
		}
		i++
	}
}

// at tries every matcher at i and returns how many runes were consumed.
func (s *scanner) at(i int) int {
	if i > 0 && isLetter(s.rs[i-1]) && isLetter(s.rs[i]) {
		return 0 // inside an English word
	}
	if i > 0 && isDigit(s.rs[i-1]) && isDigit(s.rs[i]) {
		return 0 // inside a number
	}
	for _, m := range []func(int) int{
		s.isoDate, s.monthDay, s.englishDate, s.slashDate, s.relDay, s.offsetDays,
		s.weekday, s.period, s.wholeMonth, s.dayOfMonth, s.clock, s.duration, s.part, s.sep,
	} {
		if n := m(i); n > 0 {
			return n
		}
	}
	return 0
}

func (s *scanner) addDate(d DateMention) {
	d.Due = s.dueAround(d.Start, d.End)
	s.res.Dates = append(s.res.Dates, d)
}

// dueAround reports a "by / before" marker next to a date: "by Friday",
// "星期五前", "星期五或之前", "before Dec 1".
func (s *scanner) dueAround(start, end int) bool {
	j := skipSpace(s.rs, end)
	for _, w := range []string{"前", "之前", "或之前", "以前", "或以前", "之內", "內", "為止", "截止", "deadline"} {
		if hasPrefix(s.rs, j, w) {
			return true
		}
	}
	before := strings.TrimSpace(string(s.rs[max(0, start-12):start]))
	for _, w := range []string{"by", "before", "due", "no later than", "截止", "限", "最遲", "最迟", "趕", "in or before", "by end of", "by the end of"} {
		if strings.HasSuffix(before, w) || strings.HasSuffix(before, w+" the") || strings.HasSuffix(before, w+" this") || strings.HasSuffix(before, w+" next") {
			return true
		}
	}
	return false
}

func (s *scanner) sep(i int) int {
	for _, w := range []string{"至", "到", "~", "-", "until", "till", "through", "thru", "to"} {
		if hasPrefix(s.rs, i, w) && (!isLetter(rune(w[0])) || wordEnd(s.rs, i+len([]rune(w)))) {
			s.res.Seps = append(s.res.Seps, [2]int{i, i + len([]rune(w))})
			return len([]rune(w))
		}
	}
	return 0
}

// rangeSep matches a range separator at i (after spaces) and returns the
// index after it, or -1.
func rangeSep(rs []rune, i int) int {
	j := skipSpace(rs, i)
	for _, w := range []string{"至", "到", "~", "-", "until", "till", "through", "thru", "to", "and", "同", "和", "及", "與", ","} {
		if hasPrefix(rs, j, w) && (!isLetter(rune(w[0])) || wordEnd(rs, j+len([]rune(w)))) {
			return skipSpace(rs, j+len([]rune(w)))
		}
	}
	return -1
}

// strictSep is rangeSep without the list words: only true ranges.
func strictSep(rs []rune, i int) int {
	j := skipSpace(rs, i)
	for _, w := range []string{"至", "到", "~", "-", "until", "till", "through", "thru", "to"} {
		if hasPrefix(rs, j, w) && (!isLetter(rune(w[0])) || wordEnd(rs, j+len([]rune(w)))) {
			return skipSpace(rs, j+len([]rune(w)))
		}
	}
	return -1
}

func (s *scanner) isoDate(i int) int {
	y, n := number(s.rs, i)
	if n != 4 || !isDigit(s.rs[i]) {
		return 0
	}
	j := i + n
	if j >= len(s.rs) || (s.rs[j] != '-' && s.rs[j] != '/' && s.rs[j] != '年' && s.rs[j] != '.') {
		return 0
	}
	sep := s.rs[j]
	m, n2 := number(s.rs, j+1)
	if n2 == 0 {
		return 0
	}
	j += 1 + n2
	if sep == '年' {
		if j >= len(s.rs) || s.rs[j] != '月' {
			return 0
		}
	} else if j >= len(s.rs) || s.rs[j] != sep {
		return 0
	}
	d, n3 := number(s.rs, j+1)
	if n3 == 0 || !valid(y, time.Month(m), d) {
		return 0
	}
	j += 1 + n3
	if j < len(s.rs) && (s.rs[j] == '日' || s.rs[j] == '號') {
		j++
	}
	date := Date{y, time.Month(m), d}
	s.addDate(DateMention{From: date, To: date, Start: i, End: j})
	return j - i
}

// monthDay reads "12月1號", "十二月一日", "12月1至3號", "12月1號至12月3號".
func (s *scanner) monthDay(i int) int {
	m, n := number(s.rs, i)
	if n == 0 || m < 1 || m > 12 {
		return 0
	}
	j := i + n
	if j >= len(s.rs) || s.rs[j] != '月' {
		return 0
	}
	j++
	d, n2 := number(s.rs, j)
	if n2 == 0 {
		return 0
	}
	j += n2
	if j < len(s.rs) && (s.rs[j] == '日' || s.rs[j] == '號') {
		j++
	}
	from := s.resolveMD(time.Month(m), d)
	if from.IsZero() {
		return 0
	}
	to := from
	// "12月1至3號", "12月1號至12月3號"
	if k := strictSep(s.rs, j); k > 0 {
		if m2, n3 := number(s.rs, k); n3 > 0 {
			k2 := k + n3
			mon := time.Month(m)
			if k2 < len(s.rs) && s.rs[k2] == '月' {
				mon = time.Month(m2)
				d2, n4 := number(s.rs, k2+1)
				if n4 > 0 {
					m2 = d2
					k2 += 1 + n4
				} else {
					k2 = -1
				}
			}
			if k2 > 0 {
				hasSuffix := k2 < len(s.rs) && (s.rs[k2] == '日' || s.rs[j-1] == '號' || s.rs[k2] == '號')
				if hasSuffix && valid(from.Year, mon, m2) {
					if k2 < len(s.rs) && (s.rs[k2] == '日' || s.rs[k2] == '號') {
						k2++
					}
					to = Date{from.Year, mon, m2}
					if to.Before(from) {
						to = Date{from.Year + 1, mon, m2}
					}
					j = k2
				}
			}
		}
	}
	s.addDate(DateMention{From: from, To: to, Start: i, End: j})
	return j - i
}

// resolveMD picks the year of a month and day by the lean.
func (s *scanner) resolveMD(m time.Month, d int) Date {
	var cands []Date
	for _, y := range []int{s.today.Year - 1, s.today.Year, s.today.Year + 1} {
		if valid(y, m, d) {
			cands = append(cands, Date{y, m, d})
		}
	}
	return s.pick(cands)
}

// pick chooses among candidate dates by the lean.
func (s *scanner) pick(cands []Date) Date {
	var best Date
	bestDist := 1 << 30
	for _, c := range cands {
		dist := c.Sub(s.today)
		switch s.opt.Lean {
		case Future:
			if dist < 0 {
				continue
			}
		case Past:
			if dist > 0 {
				continue
			}
			dist = -dist
		default:
			if dist < 0 {
				dist = -dist
			}
		}
		if dist < bestDist {
			best, bestDist = c, dist
		}
	}
	return best
}

var monthNames = []struct {
	name string
	m    time.Month
}{
	{"january", 1}, {"february", 2}, {"march", 3}, {"april", 4}, {"june", 6}, {"july", 7},
	{"august", 8}, {"september", 9}, {"october", 10}, {"november", 11}, {"december", 12},
	{"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"may", 5}, {"jun", 6}, {"jul", 7},
	{"aug", 8}, {"sept", 9}, {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
}

func monthAt(rs []rune, i int) (time.Month, int) {
	for _, mn := range monthNames {
		if hasPrefix(rs, i, mn.name) {
			n := len(mn.name)
			if i+n < len(rs) && rs[i+n] == '.' {
				n++
			}
			if wordEnd(rs, i+len(mn.name)) {
				return mn.m, n
			}
		}
	}
	return 0, 0
}

// dayNum reads "1", "1st", "22nd" at i.
func dayNum(rs []rune, i int) (int, int) {
	if i >= len(rs) || !isDigit(rs[i]) {
		return 0, 0
	}
	d, n := number(rs, i)
	if n > 2 {
		return 0, 0
	}
	j := i + n
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if hasPrefix(rs, j, suf) && wordEnd(rs, j+2) {
			j += 2
			break
		}
	}
	if j < len(rs) && isLetter(rs[j]) {
		return 0, 0
	}
	return d, j - i
}

// englishDate reads "Dec 1", "December 1st", "1 Dec", "1st of December",
// "Dec 1-3", "1-3 Dec".
func (s *scanner) englishDate(i int) int {
	if m, n := monthAt(s.rs, i); n > 0 {
		j := skipSpace(s.rs, i+n)
		if hasPrefix(s.rs, j, "the ") {
			j += 4
		}
		d, n2 := dayNum(s.rs, j)
		if n2 == 0 || !valid(2000, m, d) && !(m == 2 && d == 29) {
			return 0
		}
		j += n2
		from := s.resolveMD(m, d)
		to := from
		if k := strictSep(s.rs, j); k > 0 {
			if d2, n3 := dayNum(s.rs, k); n3 > 0 && valid(from.Year, m, d2) && d2 > d {
				to = Date{from.Year, m, d2}
				j = k + n3
			}
		}
		if from.IsZero() {
			return 0
		}
		s.addDate(DateMention{From: from, To: to, Start: i, End: j})
		return j - i
	}
	d, n := dayNum(s.rs, i)
	if n == 0 {
		return 0
	}
	j := i + n
	d2 := d
	if k := strictSep(s.rs, j); k > 0 {
		if dd, n3 := dayNum(s.rs, k); n3 > 0 && dd > d {
			d2, j = dd, k+n3
		}
	}
	j = skipSpace(s.rs, j)
	if hasPrefix(s.rs, j, "of ") {
		j += 3
	}
	m, n2 := monthAt(s.rs, j)
	if n2 == 0 {
		return 0
	}
	from := s.resolveMD(m, d)
	if from.IsZero() || !valid(from.Year, m, d2) {
		return 0
	}
	end := j + n2
	s.addDate(DateMention{From: from, To: Date{from.Year, m, d2}, Start: i, End: end})
	return end - i
}

// slashDate reads "12/1" (day first or month first by locale) and "1/12/2026".
func (s *scanner) slashDate(i int) int {
	if !isDigit(s.rs[i]) {
		return 0
	}
	a, n := number(s.rs, i)
	j := i + n
	if n > 2 || j >= len(s.rs) || s.rs[j] != '/' {
		return 0
	}
	b, n2 := number(s.rs, j+1)
	if n2 == 0 || n2 > 2 {
		return 0
	}
	j += 1 + n2
	day, mon := a, b
	if !s.opt.DayFirst {
		day, mon = b, a
	}
	if mon > 12 && day <= 12 { // unambiguous the other way round
		day, mon = mon, day
	}
	var date Date
	if j < len(s.rs) && s.rs[j] == '/' {
		y, n3 := number(s.rs, j+1)
		if n3 == 2 {
			y += 2000
		}
		if n3 != 2 && n3 != 4 || !valid(y, time.Month(mon), day) {
			return 0
		}
		date = Date{y, time.Month(mon), day}
		j += 1 + n3
	} else {
		if j < len(s.rs) && isDigit(s.rs[j]) {
			return 0
		}
		date = s.resolveMD(time.Month(mon), day)
	}
	if date.IsZero() {
		return 0
	}
	s.addDate(DateMention{From: date, To: date, Start: i, End: j})
	return j - i
}

// relDays are words for days relative to today, with the period of the day
// some of them carry (聽朝 is tomorrow morning).
var relDays = []struct {
	w    string
	off  int
	part Part
}{
	{"day after tomorrow", 2, NoPart}, {"the day before yesterday", -2, NoPart},
	{"大後日", 3, NoPart}, {"大後天", 3, NoPart}, {"大前日", -3, NoPart}, {"大前天", -3, NoPart},
	{"後日", 2, NoPart}, {"後天", 2, NoPart}, {"聽日", 1, NoPart}, {"明日", 1, NoPart},
	{"明天", 1, NoPart}, {"聽朝", 1, Morning}, {"明朝", 1, Morning}, {"明早", 1, Morning},
	{"聽晚", 1, Evening}, {"明晚", 1, Evening}, {"今日", 0, NoPart}, {"今天", 0, NoPart},
	{"今朝", 0, Morning}, {"今早", 0, Morning}, {"今晚", 0, Evening}, {"今夜", 0, Evening},
	{"尋日", -1, NoPart}, {"琴日", -1, NoPart}, {"噚日", -1, NoPart}, {"昨日", -1, NoPart},
	{"昨天", -1, NoPart}, {"昨晚", -1, Evening}, {"尋晚", -1, Evening}, {"琴晚", -1, Evening},
	{"前日", -2, NoPart}, {"前天", -2, NoPart},
	{"tomorrow", 1, NoPart}, {"tmrw", 1, NoPart}, {"tmr", 1, NoPart}, {"today", 0, NoPart},
	{"tonight", 0, Evening}, {"yesterday", -1, NoPart}, {"tdy", 0, NoPart},
}

func (s *scanner) relDay(i int) int {
	for _, rd := range relDays {
		if !hasPrefix(s.rs, i, rd.w) {
			continue
		}
		n := len([]rune(rd.w))
		if isLetter(rune(rd.w[0])) && !wordEnd(s.rs, i+n) {
			continue
		}
		d := s.today.AddDays(rd.off)
		s.addDate(DateMention{From: d, To: d, Start: i, End: i + n})
		if rd.part != NoPart {
			s.res.Parts = append(s.res.Parts, PartMention{Part: rd.part, Start: i, End: i + n})
		}
		// "聽日同後日" and "今日至聽日" are handled by the caller taking all dates.
		return n
	}
	return 0
}

// offsetDays reads "3日後", "三天之後", "in 3 days", "兩個星期後", "in 2 weeks".
func (s *scanner) offsetDays(i int) int {
	if hasPrefix(s.rs, i, "in ") {
		j := i + 3
		v, n := number(s.rs, j)
		if n == 0 {
			if hasPrefix(s.rs, j, "a ") || hasPrefix(s.rs, j, "one ") {
				v, n = 1, strings.IndexByte(string(s.rs[j:j+4]), ' ')
			} else {
				return 0
			}
		}
		j = skipSpace(s.rs, j+n)
		for _, u := range []struct {
			w    string
			days int
		}{{"days", 1}, {"day", 1}, {"weeks", 7}, {"week", 7}} {
			if hasPrefix(s.rs, j, u.w) && wordEnd(s.rs, j+len(u.w)) {
				d := s.today.AddDays(v * u.days)
				end := j + len(u.w)
				s.addDate(DateMention{From: d, To: d, Start: i, End: end})
				return end - i
			}
		}
		return 0
	}
	v, n := number(s.rs, i)
	if n == 0 {
		return 0
	}
	j := i + n
	for _, u := range []struct {
		w    string
		days int
	}{{"日後", 1}, {"天後", 1}, {"日之後", 1}, {"天之後", 1}, {"個星期後", 7}, {"個禮拜後", 7}, {"週後", 7}, {"個星期之後", 7}} {
		if hasPrefix(s.rs, j, u.w) {
			d := s.today.AddDays(v * u.days)
			end := j + len([]rune(u.w))
			s.addDate(DateMention{From: d, To: d, Start: i, End: end})
			return end - i
		}
	}
	return 0
}

// weekPrefix reads a week qualifier and returns the week offset it means:
// 下個 / next (+1), 下下個 (+2), 上個 / last (-1), 今個 / 本 / this (0); ok is
// false for none (a bare weekday).
func weekPrefix(rs []rune, i int) (off int, n int, ok bool) {
	for _, p := range []struct {
		w   string
		off int
	}{
		{"下下個", 2}, {"下下", 2}, {"下個", 1}, {"下一個", 1}, {"下", 1}, {"上上個", -2}, {"上個", -1}, {"上一個", -1}, {"上", -1},
		{"今個", 0}, {"呢個", 0}, {"這個", 0}, {"這", 0}, {"本", 0}, {"今", 0},
		{"the week after next ", 2}, {"next ", 1}, {"last ", -1}, {"this coming ", 9}, {"coming ", 9}, {"this ", 0},
	} {
		if hasPrefix(rs, i, p.w) {
			return p.off, len([]rune(p.w)), true
		}
	}
	return 0, 0, false
}

// zhWeekWord matches a Chinese word for "week" used before a weekday digit.
func zhWeekWord(rs []rune, i int) int {
	for _, w := range []string{"星期", "禮拜", "週", "周", "拜"} {
		if hasPrefix(rs, i, w) {
			return len([]rune(w))
		}
	}
	return 0
}

// zhWeekday reads the weekday digit after 星期: 一..六, 日, 天, 1..7.
func zhWeekday(rs []rune, i int) (int, bool) {
	if i >= len(rs) {
		return 0, false
	}
	switch r := rs[i]; r {
	case '一', '1':
		return 0, true
	case '二', '2':
		return 1, true
	case '三', '3':
		return 2, true
	case '四', '4':
		return 3, true
	case '五', '5':
		return 4, true
	case '六', '6':
		return 5, true
	case '日', '天', '7':
		return 6, true
	}
	return 0, false
}

var enWeekdays = []struct {
	w   string
	idx int
}{
	{"monday", 0}, {"tuesday", 1}, {"wednesday", 2}, {"thursday", 3}, {"friday", 4}, {"saturday", 5}, {"sunday", 6},
	{"thurs", 3}, {"tues", 1}, {"mon", 0}, {"tue", 1}, {"wed", 2}, {"thu", 3}, {"fri", 4}, {"sat", 5}, {"sun", 6},
}

func enWeekday(rs []rune, i int) (int, int) {
	for _, w := range enWeekdays {
		if hasPrefix(rs, i, w.w) && wordEnd(rs, i+len(w.w)) {
			n := len(w.w)
			if i+n < len(rs) && rs[i+n] == '.' {
				n++
			}
			return w.idx, n
		}
	}
	return 0, 0
}

// weekdayAt reads one weekday (Chinese or English) at i, with no qualifier.
func weekdayAt(rs []rune, i int) (idx, n int, ok bool) {
	if k := zhWeekWord(rs, i); k > 0 {
		if d, ok := zhWeekday(rs, i+k); ok {
			return d, k + 1, true
		}
		return 0, 0, false
	}
	if d, k := enWeekday(rs, i); k > 0 {
		return d, k, true
	}
	return 0, 0, false
}

func (s *scanner) weekday(i int) int {
	off, pn, qualified := weekPrefix(s.rs, i)
	j := i + pn
	if qualified && off != 9 {
		// "下個禮拜" may be followed by 一至三 or 三.
		k := zhWeekWord(s.rs, j)
		if k == 0 && hasPrefix(s.rs, j, "個") {
			if k2 := zhWeekWord(s.rs, j+1); k2 > 0 {
				k = k2 + 1
			}
		}
		if k > 0 {
			if d, ok := zhWeekday(s.rs, j+k); ok {
				return s.weekdayRange(i, j+k+1, off, d, true)
			}
			return 0
		}
		if d, k := enWeekday(s.rs, j); k > 0 {
			return s.weekdayRange(i, j+k, off, d, true)
		}
		return 0
	}
	if off == 9 { // "this coming Friday": the next occurrence
		d, k, ok := weekdayAt(s.rs, j)
		if !ok {
			return 0
		}
		return s.weekdayRange(i, j+k, 0, d, false)
	}
	d, k, ok := weekdayAt(s.rs, i)
	if !ok {
		return 0
	}
	return s.weekdayRange(i, i+k, 0, d, false)
}

// weekdayRange resolves a weekday at [start,end) and an optional "至三" /
// "to Wed" continuation in the same week.
func (s *scanner) weekdayRange(start, end, weekOff, idx int, qualified bool) int {
	var from Date
	if qualified {
		from = s.today.Monday().AddDays(7*weekOff + idx)
	} else {
		from = s.bareWeekday(idx)
	}
	to := from
	k := strictSep(s.rs, end)
	if k < 0 {
		k = rangeSep(s.rs, end)
	}
	if k < 0 && end < len(s.rs) && zh.IsHan(s.rs[end]) {
		k = end // "下星期四五"
	}
	if k > 0 {
		k2 := k
		if _, pn, ok := weekPrefix(s.rs, k2); ok {
			k2 += pn
		}
		if hasPrefix(s.rs, k2, "個") {
			k2++
		}
		var idx2, n int
		var ok bool
		if w := zhWeekWord(s.rs, k2); w > 0 {
			idx2, ok = zhWeekday(s.rs, k2+w)
			n = w + 1
		} else if d, w := enWeekday(s.rs, k2); w > 0 {
			idx2, n, ok = d, w, true
		} else if d, ok2 := zhWeekday(s.rs, k2); ok2 && zh.IsHan(s.rs[k2]) && s.rs[k2] != '天' {
			if k2+1 >= len(s.rs) || !zh.IsNumeralRune(s.rs[k2+1]) && s.rs[k2+1] != '月' && s.rs[k2+1] != '點' {
				idx2, n, ok = d, 1, true
			}
		}
		if ok {
			to = from.AddDays(idx2 - idx)
			if to.Before(from) {
				to = to.AddDays(7)
			}
			end = k2 + n
		}
	}
	s.addDate(DateMention{From: from, To: to, Start: start, End: end, Weekday: true})
	return end - start
}

func (s *scanner) bareWeekday(idx int) Date {
	cur := weekdayIndex(s.today.Weekday())
	switch s.opt.Lean {
	case Past:
		return s.today.AddDays(-((cur - idx + 7) % 7))
	default:
		diff := (idx - cur + 7) % 7
		if diff == 0 {
			diff = 7
		}
		return s.today.AddDays(diff)
	}
}

// period reads whole weeks and months: 下星期, 今個月, next week, this month,
// 週末, 月底.
func (s *scanner) period(i int) int {
	off, pn, qualified := weekPrefix(s.rs, i)
	if off == 9 {
		off = 0
	}
	j := i + pn
	if qualified {
		if hasPrefix(s.rs, j, "個") {
			j++
		}
		for _, w := range []string{"星期", "禮拜", "週", "周", "week"} {
			if hasPrefix(s.rs, j, w) && (w != "week" || wordEnd(s.rs, j+4)) {
				end := j + len([]rune(w))
				if w == "週" || w == "周" {
					// "下週會" is a meeting; "週末" is a weekend.
					if end < len(s.rs) && (s.rs[end] == '會' || s.rs[end] == '報') {
						return 0
					}
				}
				mon := s.today.Monday().AddDays(7 * off)
				if hasPrefix(s.rs, end, "末") || hasPrefix(s.rs, end, "end") {
					s.addDate(DateMention{From: mon.AddDays(5), To: mon.AddDays(6), Grain: Day, Start: i, End: end + 1})
					return end + 1 - i
				}
				s.addDate(DateMention{From: mon, To: mon.AddDays(6), Grain: Week, Start: i, End: end})
				return end - i
			}
		}
		for _, w := range []string{"月", "month"} {
			if hasPrefix(s.rs, j, w) && (w != "month" || wordEnd(s.rs, j+5)) {
				end := j + len([]rune(w))
				y, m := s.today.Year, s.today.Month+time.Month(off)
				first := DateOf(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
				last := lastDay(first.Year, first.Month)
				// "下個月3號"
				if d, n := number(s.rs, end); n > 0 && end+n < len(s.rs) && (s.rs[end+n] == '號' || s.rs[end+n] == '日') && valid(first.Year, first.Month, d) {
					date := Date{first.Year, first.Month, d}
					s.addDate(DateMention{From: date, To: date, Start: i, End: end + n + 1})
					return end + n + 1 - i
				}
				for _, w := range []string{"底", "尾", "end"} {
					if hasPrefix(s.rs, skipSpace(s.rs, end), w) {
						e := skipSpace(s.rs, end) + len([]rune(w))
						s.addDate(DateMention{From: last, To: last, Start: i, End: e})
						return e - i
					}
				}
				s.addDate(DateMention{From: first, To: last, Grain: Month, Start: i, End: end})
				return end - i
			}
		}
		return 0
	}
	for _, w := range []string{"週末", "周末", "weekend"} {
		if hasPrefix(s.rs, i, w) {
			mon := s.today.Monday()
			if s.today.Weekday() == time.Sunday {
				mon = mon.AddDays(7)
			}
			end := i + len([]rune(w))
			s.addDate(DateMention{From: mon.AddDays(5), To: mon.AddDays(6), Start: i, End: end})
			return end - i
		}
	}
	for _, w := range []string{"月底", "月尾", "end of the month", "end of month", "month end", "month-end"} {
		if hasPrefix(s.rs, i, w) {
			last := lastDay(s.today.Year, s.today.Month)
			end := i + len([]rune(w))
			s.addDate(DateMention{From: last, To: last, Start: i, End: end})
			return end - i
		}
	}
	return 0
}

// wholeMonth reads a month without a day: "十一月", "11月份", "November".
func (s *scanner) wholeMonth(i int) int {
	var m time.Month
	j := i
	if mm, n := monthAt(s.rs, i); n > 0 {
		m, j = mm, i+n
		if _, n2 := dayNum(s.rs, skipSpace(s.rs, j)); n2 > 0 {
			return 0
		}
		if m == 5 && (i == 0 || s.rs[i-1] != ' ' || !hasPrefix(s.rs, max(0, i-3), "in ")) {
			return 0 // "may" is usually the verb
		}
	} else {
		v, n := number(s.rs, i)
		if n == 0 || v < 1 || v > 12 || !hasPrefix(s.rs, i+n, "月") {
			return 0
		}
		j = i + n + 1
		if _, n2 := number(s.rs, j); n2 > 0 {
			return 0
		}
		if hasPrefix(s.rs, j, "份") {
			j++
		}
		m = time.Month(v)
	}
	var cands []Date
	for _, y := range []int{s.today.Year - 1, s.today.Year, s.today.Year + 1} {
		cands = append(cands, Date{y, m, 1})
	}
	lean := s.opt.Lean
	// A month is "this one" when we are in it, whatever the lean.
	first := Date{s.today.Year, m, 1}
	if m == s.today.Month {
		first = Date{s.today.Year, m, 1}
	} else {
		s.opt.Lean = Nearest
		first = s.pick(cands)
		s.opt.Lean = lean
	}
	s.addDate(DateMention{From: first, To: lastDay(first.Year, first.Month), Grain: Month, Start: i, End: j})
	return j - i
}

// dayOfMonth reads "3號", "廿三號", "3至5號", "the 3rd".
func (s *scanner) dayOfMonth(i int) int {
	d, n := number(s.rs, i)
	if n == 0 || d < 1 || d > 31 {
		return 0
	}
	j := i + n
	d2 := d
	if k := strictSep(s.rs, j); k > 0 {
		if dd, n2 := number(s.rs, k); n2 > 0 && dd > d && dd <= 31 && k+n2 < len(s.rs) && s.rs[k+n2] == '號' {
			d2, j = dd, k+n2
		}
	}
	if j >= len(s.rs) || s.rs[j] != '號' {
		return 0
	}
	j++
	if j < len(s.rs) && (s.rs[j] == '房' || s.rs[j] == '會' || s.rs[j] == '室' || s.rs[j] == '機') {
		return 0 // "1號會議室", "投影機1號"
	}
	var cands []Date
	for _, off := range []int{-1, 0, 1} {
		first := DateOf(time.Date(s.today.Year, s.today.Month+time.Month(off), 1, 0, 0, 0, 0, time.UTC))
		if valid(first.Year, first.Month, d) {
			cands = append(cands, Date{first.Year, first.Month, d})
		}
	}
	from := s.pick(cands)
	if from.IsZero() {
		return 0
	}
	to := from
	if d2 != d && valid(from.Year, from.Month, d2) {
		to = Date{from.Year, from.Month, d2}
	}
	s.addDate(DateMention{From: from, To: to, Start: i, End: j})
	return j - i
}

// parts are the words for periods of the day.
var parts = []struct {
	w string
	p Part
}{
	{"朝早", Morning}, {"早上", Morning}, {"上午", Morning}, {"上晝", Morning}, {"早晨", Morning},
	{"清早", Morning}, {"朝頭早", Morning}, {"morning", Morning}, {"a.m.", Morning},
	{"中午", Noon}, {"晏晝", Afternoon}, {"noon", Noon}, {"lunchtime", Noon}, {"lunch time", Noon},
	{"下晝", Afternoon}, {"下午", Afternoon}, {"afternoon", Afternoon}, {"p.m.", Afternoon},
	{"晚上", Evening}, {"夜晚", Evening}, {"晚間", Evening}, {"傍晚", Evening}, {"夜晚黑", Evening},
	{"evening", Evening}, {"night", Evening},
}

func (s *scanner) part(i int) int {
	for _, p := range parts {
		if hasPrefix(s.rs, i, p.w) && (!isLetter(rune(p.w[0])) || wordEnd(s.rs, i+len(p.w))) {
			n := len([]rune(p.w))
			s.res.Parts = append(s.res.Parts, PartMention{Part: p.p, Start: i, End: i + n})
			if p.p == Noon && len(s.res.Seps) > 0 && s.res.Seps[len(s.res.Seps)-1][1] >= i-1 && len(s.res.Clocks) > 0 {
				s.res.Clocks = append(s.res.Clocks, Clock{Hour: 12, Start: i, End: i + n, Explicit: true})
			}
			return n
		}
	}
	for _, w := range []string{"半天", "半日", "half a day", "half day", "half-day", "半個工作天"} {
		if hasPrefix(s.rs, i, w) {
			s.res.HalfDay = true
			return len([]rune(w))
		}
	}
	for _, w := range []string{"全日", "全天", "成日", "一整天", "整天", "full day", "full-day", "whole day", "all day"} {
		if hasPrefix(s.rs, i, w) {
			s.res.FullDay = true
			return len([]rune(w))
		}
	}
	return 0
}

// clock reads times of day: "3點", "三點半", "兩點三個字" (2:15), "10點15分",
// "3點一刻", "15:00", "3pm", "3:30 p.m.", "noon" is a part (12:00).
func (s *scanner) clock(i int) int {
	h, n := number(s.rs, i)
	if n == 0 || h > 24 {
		return 0
	}
	j := i + n
	min := 0
	explicit := false
	switch {
	case j < len(s.rs) && (s.rs[j] == ':' || s.rs[j] == '.') && j+1 < len(s.rs) && isDigit(s.rs[j+1]) && isDigit(s.rs[i]):
		m, n2 := number(s.rs, j+1)
		if n2 != 2 || m > 59 {
			return 0
		}
		min, j = m, j+1+n2
		if s.rs[i+n-1] != '.' && s.rs[j-n2-1] == ':' {
			explicit = h >= 13 || h == 0 || n == 2 && s.rs[i] == '0'
		} else if !ampmAt(s.rs, skipSpace(s.rs, j)) {
			return 0 // "1.50" is money, not a time
		}
	case j < len(s.rs) && (s.rs[j] == '點' || s.rs[j] == '時'):
		j++
		if hasPrefix(s.rs, j, "鐘") {
			j++
		}
		switch {
		case hasPrefix(s.rs, j, "半"):
			min, j = 30, j+1
		case hasPrefix(s.rs, j, "一刻"):
			min, j = 15, j+2
		case hasPrefix(s.rs, j, "三刻"):
			min, j = 45, j+2
		default:
			if m, n2 := number(s.rs, j); n2 > 0 {
				k := j + n2
				switch {
				case hasPrefix(s.rs, k, "個字"):
					if m <= 11 {
						min, j = m*5, k+2
					}
				case hasPrefix(s.rs, k, "分"):
					if m < 60 {
						min, j = m, k+1
						if hasPrefix(s.rs, j, "鐘") {
							j++
						}
					}
				case m < 60 && !hasPrefix(s.rs, k, "個") && !hasPrefix(s.rs, k, "號") && !hasPrefix(s.rs, k, "日") && !hasPrefix(s.rs, k, "小") && !hasPrefix(s.rs, k, "天"):
					min, j = m, k
				}
			}
		}
		if h > 12 || h == 0 {
			explicit = true
		}
	default:
		// "3pm", "3 pm", "at 3"
		k := skipSpace(s.rs, j)
		if !ampmAt(s.rs, k) {
			// "2-3pm", "2至3點": the first hour of a range of clocks.
			if k2 := strictSep(s.rs, j); k2 > 0 && h >= 1 && h <= 12 {
				if _, n2 := number(s.rs, k2); n2 > 0 && (ampmAt(s.rs, skipSpace(s.rs, k2+n2)) || hasPrefix(s.rs, k2+n2, "點") || hasPrefix(s.rs, k2+n2, ":")) {
					s.res.Clocks = append(s.res.Clocks, Clock{Hour: h, Start: i, End: j})
					return j - i
				}
			}
			if i >= 3 && string(s.rs[i-3:i]) == "at " && h >= 1 && h <= 12 && (j >= len(s.rs) || !isLetter(s.rs[j]) && s.rs[j] != '%') {
				s.res.Clocks = append(s.res.Clocks, Clock{Hour: h, Start: i, End: j})
				return j - i
			}
			return 0
		}
	}
	if h > 24 || min > 59 {
		return 0
	}
	k := skipSpace(s.rs, j)
	if ampmAt(s.rs, k) {
		pm := s.rs[k] == 'p'
		if pm && h < 12 {
			h += 12
		}
		if !pm && h == 12 {
			h = 0
		}
		explicit = true
		j = k + ampmLen(s.rs, k)
		// "3-5pm": the first time takes the second's half of the day.
		if pm && len(s.res.Clocks) > 0 {
			last := &s.res.Clocks[len(s.res.Clocks)-1]
			if !last.Explicit && last.Hour < 12 && last.Hour+12 <= h && last.End >= i-3 {
				last.Hour += 12
				last.Explicit = true
			}
		}
	}
	if h == 24 {
		h = 0
	}
	s.res.Clocks = append(s.res.Clocks, Clock{Hour: h, Minute: min, Start: i, End: j, Explicit: explicit})
	return j - i
}

func ampmAt(rs []rune, k int) bool { return ampmLen(rs, k) > 0 }

func ampmLen(rs []rune, k int) int {
	for _, w := range []string{"a.m.", "p.m.", "am", "pm"} {
		if hasPrefix(rs, k, w) && wordEnd(rs, k+len(w)) {
			return len(w)
		}
	}
	return 0
}

// duration reads lengths: "一個鐘", "個半鐘", "一個半小時", "半個鐘", "90分鐘",
// "45 mins", "1.5 hours", "an hour", "half an hour", "三日" (days), "2 days".
func (s *scanner) duration(i int) int {
	for _, w := range []struct {
		w   string
		min int
	}{{"半個鐘頭", 30}, {"半個鐘", 30}, {"半個小時", 30}, {"半小時", 30}, {"half an hour", 30}, {"半粒鐘", 30},
		{"個半鐘", 90}, {"個半小時", 90}, {"an hour and a half", 90}, {"an hour", 60}, {"one hour", 60},
		{"個鐘頭", 60}, {"個鐘", 60}, {"粒鐘", 60}} {
		if hasPrefix(s.rs, i, w.w) && (i == 0 || !zh.IsNumeralRune(s.rs[i-1])) {
			n := len([]rune(w.w))
			s.res.Durations = append(s.res.Durations, Duration{Minutes: w.min, Start: i, End: i + n})
			return n
		}
	}
	v, n := number(s.rs, i)
	frac := 0 // tenths
	if n == 0 {
		return 0
	}
	j := i + n
	if j+1 < len(s.rs) && s.rs[j] == '.' && isDigit(s.rs[j+1]) && isDigit(s.rs[i]) {
		frac = int(s.rs[j+1] - '0')
		j += 2
	}
	k := skipSpace(s.rs, j)
	if k < len(s.rs) && s.rs[k] == '-' && isDigit(s.rs[i]) && k+1 < len(s.rs) && isLetter(s.rs[k+1]) {
		k++ // "45-minute", "2-hour"
	}
	for _, u := range []struct {
		w    string
		min  int
		half bool
	}{
		{"個半鐘頭", 60, true}, {"個半鐘", 60, true}, {"個半小時", 60, true}, {"粒半鐘", 60, true},
		{"個鐘頭", 60, false}, {"個鐘", 60, false}, {"粒鐘", 60, false}, {"個小時", 60, false}, {"小時", 60, false}, {"鐘頭", 60, false},
		{"分鐘", 1, false}, {"hours", 60, false}, {"hour", 60, false}, {"hrs", 60, false}, {"hr", 60, false}, {"h", 60, false},
		{"minutes", 1, false}, {"minute", 1, false}, {"mins", 1, false}, {"min", 1, false}, {"m", 1, false},
	} {
		if hasPrefix(s.rs, k, u.w) && (!isLetter(rune(u.w[0])) || wordEnd(s.rs, k+len(u.w))) {
			if u.w == "h" || u.w == "m" {
				if k != j {
					continue // "3 m" is not a duration; "90m" is
				}
			}
			m := v*u.min + frac*u.min/10
			if u.half {
				m += 30
			}
			end := k + len([]rune(u.w))
			s.res.Durations = append(s.res.Durations, Duration{Minutes: m, Start: i, End: end})
			return end - i
		}
	}
	// Whole days: "三日", "3天", "2 days", "兩個工作天" (not "3日後", read earlier).
	for _, u := range []string{"個工作天", "個工作日", "日", "天", "days", "day", "working days", "business days"} {
		if hasPrefix(s.rs, k, u) && (!isLetter(rune(u[0])) || wordEnd(s.rs, k+len(u))) {
			if u == "日" || u == "天" {
				if i > 0 && (s.rs[i-1] == '月' || s.rs[i-1] == '/') {
					return 0
				}
			}
			end := k + len([]rune(u))
			s.res.Durations = append(s.res.Durations, Duration{Days: v, Start: i, End: end})
			return end - i
		}
	}
	return 0
}

// resolveClocks applies periods of the day to clocks: "下午三點" is 15:00; a
// clock without one is read in office hours (1 to 7 o'clock is afternoon).
func (s *scanner) resolveClocks() {
	for ci := range s.res.Clocks {
		c := &s.res.Clocks[ci]
		if c.Explicit {
			continue
		}
		var part Part
		for _, p := range s.res.Parts {
			if p.End <= c.Start || p.Start == c.End && p.Part != Noon {
				part = p.Part
			}
		}
		switch part {
		case Afternoon, Evening:
			if c.Hour < 12 {
				c.Hour += 12
			}
			c.Explicit = true
		case Noon:
			if c.Hour <= 5 {
				c.Hour += 12
			}
			c.Explicit = true
		case Morning:
			c.Explicit = true
		default:
			if c.Hour >= 1 && c.Hour <= 7 {
				c.Hour += 12
			}
		}
	}
	// "3點至5點" after "下午": the later clocks in a range keep the afternoon.
	for ci := 1; ci < len(s.res.Clocks); ci++ {
		prev, c := s.res.Clocks[ci-1], &s.res.Clocks[ci]
		if c.Hour < prev.Hour && c.Hour < 12 && c.Hour+12 > prev.Hour {
			c.Hour += 12
		}
	}
}

// helpers

// hasPrefix reports whether the folded runes rs continue at i with w (folded
// here, so patterns are written in plain Traditional or Simplified).
func hasPrefix(rs []rune, i int, w string) bool {
	for _, r := range w {
		if i >= len(rs) {
			return false
		}
		if c := rs[i]; c != r && (!foldsToASCII(r) && c < 0x80 || c != zh.FoldRune(r)) {
			return false
		}
		i++
	}
	return true
}

// foldsToASCII reports a rune whose fold may be ASCII: ASCII itself and
// full-width forms. Any other rune never matches an ASCII rune, which
// spares most fold look-ups.
func foldsToASCII(r rune) bool {
	return r < 0x80 || r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 || r == 0xA0
}

func wordEnd(rs []rune, i int) bool { return i >= len(rs) || !isLetter(rs[i]) }

func isLetter(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func skipSpace(rs []rune, i int) int {
	for i < len(rs) && rs[i] == ' ' {
		i++
	}
	return i
}

// number reads an integer at i but not a bare 一 that begins a word such as
// 一齊 or 一下: callers check what follows.
func number(rs []rune, i int) (int, int) { return zh.Number(rs, i) }
