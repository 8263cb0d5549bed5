package builtin

import (
	"context"
	"regexp"
	"sort"
	"strings"

	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/when"
	"github.com/banlihq/banli/nlu/zh"
)

// findMeeting picks the meeting the utterance names: by title, date, or the
// latest one ("上次", "last meeting") when nothing else is said.
func (u *utter) findMeeting(ctx context.Context) (MeetingRef, bool, error) {
	ms, err := u.meetings(ctx)
	if err != nil {
		return MeetingRef{}, false, err
	}
	for _, m := range ms {
		if u.word(m.ID) {
			return m, true, nil
		}
	}
	if len(ms) == 0 {
		return MeetingRef{}, false, nil
	}
	past := when.Parse(u.text, u.now, when.Options{DayFirst: u.opt.DayFirst, Lean: when.Past})
	var best MeetingRef
	bestScore, tie := 0.0, false
	for _, m := range ms {
		score := 0.0
		if h, t := overlap(u.text, m.Title); t > 0 {
			score += 3 * float64(h) / float64(t)
		}
		if len(past.Dates) > 0 && overlapsDates(past, m.Date, m.Date) {
			score += 2
		}
		for _, p := range u.mentions(people.Person) {
			for _, id := range p.IDs {
				if contains(m.Participants, id) {
					score += 0.3
				}
			}
		}
		switch {
		case score > bestScore+1e-9:
			best, bestScore, tie = m, score, false
		case score >= bestScore-1e-9:
			tie = true
		}
	}
	if bestScore >= 0.9 && !tie {
		return best, true, nil
	}
	if len(ms) == 1 || u.has("上次", "上一次", "最近", "啱啱", "剛才", "刚才", "latest", "last", "recent", "今日個會", "嗰個會") {
		sorted := append([]MeetingRef(nil), ms...)
		sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Date > sorted[j].Date })
		return sorted[0], true, nil
	}
	return MeetingRef{}, false, nil
}

func (u *utter) meetings(ctx context.Context) ([]MeetingRef, error) {
	if u.meetOK || u.req.Lookup == nil {
		return u.meetCache, nil
	}
	ms, err := u.req.Lookup.Meetings(ctx)
	if err != nil {
		return nil, err
	}
	u.meetCache, u.meetOK = ms, true
	return ms, nil
}

// meetingRef reports a meeting named by id or by most of its title.
func (u *utter) meetingRef() bool {
	ms, _ := u.meetings(u.ctx)
	for _, m := range ms {
		if u.word(m.ID) {
			return true
		}
		if h, t := overlap(u.text, m.Title); t > 0 && h*2 >= t {
			return true
		}
	}
	return false
}

func planSummarize(ctx context.Context, u *utter) (Plan, error) {
	m, ok, err := u.findMeeting(ctx)
	if err != nil {
		return Plan{}, err
	}
	if !ok {
		return clarify(ToolSummarizeMeeting, map[string]any{}, "meeting_id"), nil
	}
	return call(ToolSummarizeMeeting, map[string]any{"meeting_id": m.ID}), nil
}

var reItemNums = regexp.MustCompile(`\d+`)

func planMeetingTasks(ctx context.Context, u *utter) (Plan, error) {
	m, ok, err := u.findMeeting(ctx)
	if err != nil {
		return Plan{}, err
	}
	if !ok {
		return clarify(ToolCreateTasksFromMeetng, map[string]any{}, "meeting_id"), nil
	}
	args := map[string]any{"meeting_id": m.ID}
	// "第1同第3項", "items 1 and 3": numbers as the user counts them, from 1.
	if i, _ := u.index("第", "item", "項", "项", "no."); i >= 0 {
		var items []int
		for j := i; j < len(u.f); {
			v, n := zh.Number(u.f, j)
			if n > 0 {
				if v > 0 && v < 100 {
					items = append(items, v)
				}
				j += n
				continue
			}
			j++
		}
		if len(items) > 0 {
			args["items"] = items
		}
	}
	return call(ToolCreateTasksFromMeetng, args), nil
}

var kbFillers = []string{"請問", "请问", "我想知", "我想知道", "想問", "想问", "幫我查下", "帮我查一下", "查一下", "查下", "可唔可以話我知", "話我知", "告訴我", "告诉我", "please", "can you tell me", "tell me", "i want to know", "吖", "呀", "啊", "？", "?"}

func planSearch(ctx context.Context, u *utter) (Plan, error) {
	rs := append([]rune(nil), u.orig...)
	f := append([]rune(nil), u.f...)
	blankWords(rs, f, kbFillers)
	q := collapse(rs)
	if q == "" {
		q = strings.TrimSpace(u.text)
	}
	return call(ToolSearchKnowledge, map[string]any{"query": q}), nil
}

func planTeamReport(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	if ds := u.mentions(people.Dept); len(ds) > 0 && len(ds[0].IDs) == 1 {
		args["department"] = ds[0].IDs[0]
	} else if len(u.mentions(people.Team)) > 0 || u.has("我部門", "我的部門", "我哋部門", "我们部门", "my department") {
		if me, ok := u.req.Dir.Employee(u.req.Actor); ok && me.Department != "" {
			args["department"] = me.Department
		}
	}
	past := when.Parse(u.text, u.now, when.Options{DayFirst: u.opt.DayFirst, Lean: when.Past})
	if from, to, ok := past.Span(); ok {
		args["from"], args["to"] = from.String(), to.String()
	} else {
		return clarify(ToolTeamReport, args, "from", "to"), nil
	}
	return call(ToolTeamReport, args), nil
}

func planFindEmployee(ctx context.Context, u *utter) (Plan, error) {
	if ps := u.mentions(people.Person, people.Dept); len(ps) > 0 {
		return call(ToolFindEmployee, map[string]any{"query": ps[0].Text}), nil
	}
	rs := append([]rune(nil), u.orig...)
	f := append([]rune(nil), u.f...)
	blankWords(rs, f, append(kbFillers, cueFind...))
	q := collapse(rs)
	if q == "" {
		return clarify(ToolFindEmployee, map[string]any{}, "query"), nil
	}
	return call(ToolFindEmployee, map[string]any{"query": q}), nil
}
