package builtin

import (
	"context"
	"strings"
	"time"

	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/when"
	"github.com/banlihq/banli/nlu/zh"
)

var eventFillers = []string{
	"幫我", "帮我", "麻煩", "麻烦", "唔該", "請", "请", "可唔可以", "可以", "幫手", "安排", "預約", "约埋", "約埋",
	"開個會", "开个会", "開一個會", "开一个会", "開會", "开会", "開", "开", "召開", "召开", "一齊", "一起", "都要到", "都要", "參加", "参加", "出席", "另外", "也",
	"用", "地點在", "地点在", "set up", "set個", "set 個", "can you", "could you", "please", "schedule", "book", "put it in my calendar",
	"a meeting", "meeting", "meet", "a call", "create", "add", "organise", "organize", "arrange", "starting", "開始", "开始", "逢", "每個", "每逢", "每周", "每週", "every", "from", "由",
	"半個鐘夠", "就夠", "够", "夠", "on", "at", "in the", "in",
}

var eventMarkers = []string{"傾下", "傾吓", "傾", "倾一下", "倾下", "討論", "讨论", "商討", "商讨", "檢討", "检讨", "關於", "关于", "有關", "有关", "講下", "讲下", "對一下", "对一下", "對下", "过一下", "過一下", "過下", "review下", "review 下", "about", "to discuss", "to go through", "to review", "regarding", "re:", "寫", "写"}

func planCreateEvent(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	var missing []string
	start, ok := u.eventStart()
	if ok {
		args["start"] = rfc(start)
		end, ok := u.tm.End(start)
		if !ok {
			end = start.Add(time.Hour)
		}
		args["end"] = rfc(end)
	} else {
		missing = append(missing, "start")
	}
	others, amb := u.others()
	for _, m := range u.mentions(people.Dept) {
		if len(m.IDs) == 1 && u.precededBy(m.Start, "同", "和", "與", "跟", "with", "約", "约", "and", "、", "the") {
			for _, id := range u.req.Dir.Members(m.IDs[0]) {
				if id != u.req.Actor && !contains(others, id) {
					others = append(others, id)
				}
			}
		}
	}
	if amb {
		missing = append(missing, "attendees")
	}
	if len(others) > 0 {
		args["attendees"] = others
	}
	var extra [][2]int
	if r, ok := u.resource(); ok {
		args["resource"] = r
	}
	if loc, span, ok := u.location(); ok {
		args["location"] = loc
		extra = append(extra, span)
	}
	if rr, span, ok := u.recurrence(); ok {
		args["recurrence"] = rr
		extra = append(extra, span)
	}
	title := u.titleOf(eventFillers, eventMarkers, extra...)
	if title == "" {
		title = u.say(message{"會議", "会议", "會議", "Meeting"})
	}
	args["title"] = title
	if len(missing) > 0 {
		return clarify(ToolCreateEvent, args, missing...), nil
	}
	return call(ToolCreateEvent, args), nil
}

// eventStart reads the start: a date (skipping "逢星期一" of a recurrence)
// with a time of day.
func (u *utter) eventStart() (time.Time, bool) {
	r := u.tm
	if len(r.Dates) > 1 {
		var keep []when.DateMention
		for _, d := range r.Dates {
			if !u.precededBy(d.Start, "逢", "每", "every", "每個", "每逢") {
				keep = append(keep, d)
			}
		}
		if len(keep) > 0 {
			r.Dates = keep
		}
	}
	if !r.HasTime() {
		return time.Time{}, false
	}
	return r.Start(u.now)
}

// precededBy reports whether one of words ends right before rune index i.
func (u *utter) precededBy(i int, words ...string) bool {
	before := strings.TrimRight(string(u.f[max(0, i-8):i]), " ")
	for _, w := range words {
		if strings.HasSuffix(before, zh.Fold(w)) {
			return true
		}
	}
	return false
}

// location reads an explicit place: "地點在葵涌嘉里物流中心", "venue: ...".
func (u *utter) location() (string, [2]int, bool) {
	i, n := u.index("地點在", "地点在", "地點係", "地點:", "地點：", "地点：", "地點", "地点", "venue:", "location:", "venue is", "location is")
	if i < 0 {
		return "", [2]int{}, false
	}
	s := i + n
	e := s
	for e < len(u.orig) && !isClauseEnd(u.orig[e]) {
		e++
	}
	loc := strings.TrimSpace(string(u.orig[s:e]))
	if loc == "" {
		return "", [2]int{}, false
	}
	return loc, [2]int{i, e}, true
}

var byDay = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// recurrence reads "逢星期一", "每週五", "every Friday", "每日", "weekly".
func (u *utter) recurrence() (string, [2]int, bool) {
	for _, d := range u.tm.Dates {
		if d.Weekday && u.precededBy(d.Start, "逢", "每", "every", "每個", "每逢") {
			i, _ := u.index("逢", "每", "every")
			return "FREQ=WEEKLY;BYDAY=" + byDay[weekdayIdx(d.From)], [2]int{max(i, 0), d.End}, true
		}
	}
	switch i, n := u.index("每日", "每天", "every day", "daily"); {
	case i >= 0:
		return "FREQ=DAILY", [2]int{i, i + n}, true
	}
	if i, n := u.index("每月", "每個月", "every month", "monthly"); i >= 0 {
		return "FREQ=MONTHLY", [2]int{i, i + n}, true
	}
	if i, n := u.index("每週", "每周", "每個星期", "every week", "weekly"); i >= 0 {
		if s, ok := u.eventStart(); ok {
			return "FREQ=WEEKLY;BYDAY=" + byDay[weekdayIdx(when.DateOf(s))], [2]int{i, i + n}, true
		}
	}
	return "", [2]int{}, false
}

func weekdayIdx(d when.Date) int { return (int(d.Weekday()) + 6) % 7 }

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

func planFreeSlots(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	var missing []string
	others, amb := u.others()
	if u.selfMentioned() {
		others = append([]string{u.req.Actor}, others...)
	}
	if amb {
		missing = append(missing, "attendees")
	}
	if len(others) > 0 {
		args["attendees"] = others
	} else if !amb {
		missing = append(missing, "attendees")
	}
	if m := u.tm.Minutes(); m > 0 {
		args["duration_minutes"] = m
	} else {
		args["duration_minutes"] = 60
	}
	if from, to, ok := u.tm.Span(); ok {
		args["from"], args["to"] = from.String(), to.String()
	} else {
		missing = append(missing, "from", "to")
	}
	if len(missing) > 0 {
		return clarify(ToolFindFreeSlots, args, missing...), nil
	}
	return call(ToolFindFreeSlots, args), nil
}

func planListEvents(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	from, to, ok := u.tm.Span()
	if !ok {
		from = when.DateOf(u.now)
		to = from
	}
	args["from"], args["to"] = from.String(), to.String()
	if ps := u.mentions(people.Person); len(ps) == 1 && len(ps[0].IDs) == 1 && ps[0].IDs[0] != u.req.Actor {
		args["employee"] = ps[0].IDs[0]
	}
	return call(ToolListEvents, args), nil
}

var bookFillers = []string{"幫我", "帮我", "麻煩", "請", "请", "book", "reserve", "訂", "订", "預約", "预约", "預訂", "预订", "借", "要用", "租用", "咗佢", "一下", "please", "the", "can you", "個", "架", "部", "張"}
var bookMarkers = []string{"用嚟", "用來", "用来", "搞", "做", "for", "去", "跟", "同"}

func planBookResource(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	var missing []string
	if r, ok := u.resource(); ok {
		args["resource"] = r
	} else {
		missing = append(missing, "resource")
	}
	if start, ok := u.eventStart(); ok {
		args["start"] = rfc(start)
		end, ok := u.tm.End(start)
		if !ok {
			end = start.Add(time.Hour)
		}
		args["end"] = rfc(end)
	} else {
		missing = append(missing, "start")
	}
	var extra [][2]int
	if i, n := u.index("培訓用", "培训用"); i >= 0 {
		extra = append(extra, [2]int{i + n - 1, i + n})
	}
	purpose := u.titleOf(bookFillers, bookMarkers, extra...)
	if i, n := u.index("用"); purpose == "" && i > 0 {
		purpose = collapse(blank(u.orig[max(0, i-4):i+n-1], nil...))
	}
	if purpose != "" {
		args["purpose"] = purpose
	}
	if len(missing) > 0 {
		return clarify(ToolBookResource, args, missing...), nil
	}
	return call(ToolBookResource, args), nil
}

// events loads the events around now once per utterance.
func (u *utter) events(ctx context.Context) ([]EventRef, error) {
	if u.evLoaded {
		return u.evCache, nil
	}
	if u.req.Lookup == nil {
		return nil, nil
	}
	evs, err := u.req.Lookup.Events(ctx, u.now.AddDate(0, 0, -31), u.now.AddDate(0, 0, 120))
	if err != nil {
		return nil, err
	}
	u.evCache, u.evLoaded = evs, true
	return evs, nil
}

// eventRef reports whether the utterance names a known event.
func (u *utter) eventRef() bool {
	if u.evRef == 0 {
		u.evRef = 2
		evs, err := u.events(u.ctx)
		if err != nil {
			return false
		}
		for _, e := range evs {
			if h, t := overlap(u.text, e.Title); t > 0 && h*2 >= t && h >= 1 {
				u.evRef = 1
				break
			}
		}
	}
	return u.evRef == 1
}

// findEvent picks the event the text describes: by title words, date, part
// of the day and attendees. ok is false unless exactly one scores best.
func (u *utter) findEvent(ctx context.Context, text string, tm when.Result) (EventRef, bool, error) {
	evs, err := u.events(ctx)
	if err != nil {
		return EventRef{}, false, err
	}
	best, bestScore, tie := EventRef{}, 0.0, false
	ms := u.mentions(people.Person)
	for _, e := range evs {
		score := 0.0
		if h, t := overlap(text, e.Title); t > 0 {
			score += 3 * float64(h) / float64(t)
		}
		day := when.DateOf(e.Start.In(u.now.Location()))
		for _, d := range tm.Dates {
			if !day.Before(d.From) && !d.To.Before(day) {
				score += 2
				break
			}
		}
		if len(tm.Dates) > 0 && score < 2 {
			score -= 1
		}
		if len(tm.Clocks) > 0 {
			h := e.Start.In(u.now.Location()).Hour()
			if tm.Clocks[0].Hour == h {
				score += 1
			}
		}
		if p := tm.Part(); p != when.NoPart {
			h := e.Start.In(u.now.Location()).Hour()
			if p == when.Morning && h < 12 || p == when.Afternoon && h >= 12 && h < 18 || p == when.Evening && h >= 18 {
				score += 0.5
			}
		}
		for _, m := range ms {
			for _, id := range m.IDs {
				if contains(e.Attendees, id) || e.Organizer == id {
					score += 0.5
				}
			}
		}
		switch {
		case score > bestScore+1e-9:
			best, bestScore, tie = e, score, false
		case score > 0 && score >= bestScore-1e-9:
			tie = true
		}
	}
	if bestScore < 1 || tie {
		return EventRef{}, false, nil
	}
	return best, true, nil
}

// splitAt cuts the utterance at the first of words: what is before names
// the record, what is after gives the change.
func (u *utter) splitAt(words ...string) (before, after string, ok bool) {
	i, n := u.index(words...)
	if i < 0 {
		return u.text, "", false
	}
	return string(u.orig[:i]), string(u.orig[i+n:]), true
}

func planReschedule(ctx context.Context, u *utter) (Plan, error) {
	before, after, ok := u.splitAt("改期到", "改期去", "改去", "改到", "改做", "改成", "改為", "改为", "改喺", "延後到", "延后到", "推遲到", "推迟到", "押後到", "押后到", "提早到", "提前到", "移到", "搬去", "搬到", " to ")
	if !ok {
		before, after, _ = u.splitAt("改期到", "改期去", "改去", "改到", "改做", "改成", "改為", "改为", "改喺", "延後到", "延后到", "推遲到", "推迟到", "押後到", "押后到", "提早到", "提前到", "移到", "搬去", "搬到", " to ", "延後", "延后", "推遲", "推迟", "押後", "押后", "提早", "提前", "順延", "顺延", "postpone", "push back", "delay", "bring forward", "改期", "reschedule", "move", "push")
	}
	old := when.Parse(before, u.now, u.opt)
	ev, ok, err := u.findEvent(ctx, before, old)
	if err != nil {
		return Plan{}, err
	}
	if !ok {
		ev, ok, err = u.findEvent(ctx, u.text, u.tm)
		if err != nil {
			return Plan{}, err
		}
	}
	if !ok {
		return Plan{Reply: u.say(msgNoEvent)}, nil
	}
	loc := u.now.Location()
	oldStart, oldEnd := ev.Start.In(loc), ev.End.In(loc)
	dur := oldEnd.Sub(oldStart)
	nu := when.Parse(after, u.now, u.opt)
	args := map[string]any{"event_id": ev.ID}
	var start time.Time
	switch {
	case len(nu.Clocks) > 0 || nu.Part() == when.Noon:
		day := when.DateOf(oldStart)
		if d, ok := nu.FirstDate(); ok {
			day = d
		}
		st, _ := nu.Start(day.At(0, 0, loc))
		start = day.At(st.Hour(), st.Minute(), loc)
	case len(nu.Dates) > 0:
		d, _ := nu.FirstDate()
		start = d.At(oldStart.Hour(), oldStart.Minute(), loc)
	case nu.Minutes() > 0 || u.tm.Minutes() > 0:
		m := time.Duration(max(nu.Minutes(), u.tm.Minutes())) * time.Minute
		if u.has("提早", "提前", "bring forward", "earlier") {
			m = -m
		}
		start = oldStart.Add(m)
		args["start"], args["end"] = rfc(start), rfc(start.Add(dur))
		return call(ToolRescheduleEvent, args), nil
	default:
		return clarify(ToolRescheduleEvent, args, "start"), nil
	}
	args["start"] = rfc(start)
	end, ok := nu.End(start)
	if !ok || len(nu.Clocks) > 0 && len(nu.Clocks) < 2 && nu.Minutes() > 0 && end.Sub(start) == time.Duration(nu.Minutes())*time.Minute && !u.has("keep", "開", "维持", "維持", "minutes", "分鐘", "分钟", "個鐘", "小時", "小时") {
		end = start.Add(dur)
	}
	args["end"] = rfc(end)
	return call(ToolRescheduleEvent, args), nil
}

func planCancelEvent(ctx context.Context, u *utter) (Plan, error) {
	ev, ok, err := u.findEvent(ctx, u.text, u.tm)
	if err != nil {
		return Plan{}, err
	}
	if !ok {
		return Plan{Reply: u.say(msgNoEvent)}, nil
	}
	return call(ToolCancelEvent, map[string]any{"event_id": ev.ID}), nil
}
