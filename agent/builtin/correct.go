package builtin

import (
	"context"
	"github.com/banlihq/banli/nlu/money"
	"time"

	"github.com/banlihq/banli/nlu/lexicon"
	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/when"
)

// correct re-plans the previous proposal with the slots the new utterance
// changes ("改做四點", "make it Thursday", "唔係聽日，係後日").
func (p *Planner) correct(ctx context.Context, u *utter, st *State) (Plan, error) {
	args := map[string]any{}
	for k, v := range st.Args {
		args[k] = v
	}
	// In "唔係X，係Y" the last value wins.
	tm := u.tm
	if len(tm.Dates) > 1 && u.has("唔係", "不是", "not", "而是", "instead") {
		tm.Dates = tm.Dates[len(tm.Dates)-1:]
	}
	loc := u.now.Location()
	switch st.Intent {
	case ToolCreateEvent, ToolBookResource, ToolRescheduleEvent:
		if s, ok := args["start"].(string); ok {
			start, err := time.Parse(time.RFC3339, s)
			if err == nil {
				start = start.In(loc)
				dur := time.Hour
				if e, ok := args["end"].(string); ok {
					if end, err := time.Parse(time.RFC3339, e); err == nil {
						dur = end.Sub(start)
					}
				}
				day := when.DateOf(start)
				if d, ok := tm.FirstDate(); ok {
					day = d
				}
				h, m := start.Hour(), start.Minute()
				if tm.HasTime() {
					t, _ := tm.Start(u.now)
					h, m = t.Hour(), t.Minute()
				}
				ns := day.At(h, m, loc)
				if mins := tm.Minutes(); mins > 0 {
					dur = time.Duration(mins) * time.Minute
				}
				args["start"], args["end"] = rfc(ns), rfc(ns.Add(dur))
			}
		}
	case ToolRequestLeave, ToolSetDelegate:
		if from, to, ok := tm.Span(); ok {
			args["start"], args["end"] = from.String(), to.String()
		}
		if lt, ok := u.leaveType(); ok && st.Intent == ToolRequestLeave {
			args["leave_type"] = lt
		}
		if st.Intent == ToolRequestLeave {
			switch tm.Part() {
			case when.Morning:
				args["start_half"], args["end_half"] = "am", "am"
			case when.Afternoon, when.Evening:
				args["start_half"], args["end_half"] = "pm", "pm"
			}
		}
	default:
		if _, ok := args["due"]; ok || st.Intent == ToolCreateTask || st.Intent == ToolUpdateTask {
			if len(tm.Dates) > 0 {
				u2 := *u
				u2.tm = tm
				if d, ok := u2.due(); ok {
					args["due"] = d
				}
			}
		}
	}
	if pr, _, ok := u.priority(); ok && (st.Intent == ToolCreateTask || st.Intent == ToolUpdateTask) {
		args["priority"] = pr
	}
	if m, ok := lexicon.TaskStatuses.Find(u.text); ok && st.Intent == ToolUpdateTask && m.Value != "open" {
		args["status"] = m.Value
	}
	if ps := u.mentions(people.Person); len(ps) > 0 {
		others, amb := u.others()
		key := map[string]string{ToolCreateEvent: "attendees", ToolCreateTask: "assignee", ToolUpdateTask: "assignee", ToolSetDelegate: "delegate", ToolFindFreeSlots: "attendees"}[st.Intent]
		switch {
		case key == "" || len(others) == 0:
		case amb:
			pl := clarify(st.Intent, args, key)
			pl.Lang, pl.State.Intent, pl.State.Pending = u.lang, st.Intent, true
			pl.Question = u.ask(pl.Clarify)
			pl.State.Texts = append(append([]string(nil), st.Texts...), u.text)
			return pl, nil
		case key == "attendees":
			if u.has("加埋", "加上", "also", "add", "仲有", "還有", "还有") {
				var prev []string
				switch v := args[key].(type) {
				case []string:
					prev = v
				case []any:
					for _, x := range v {
						if s, ok := x.(string); ok {
							prev = append(prev, s)
						}
					}
				}
				args[key] = append(append([]string(nil), prev...), others...)
			} else {
				args[key] = others
			}
		default:
			args[key] = others[0]
		}
	}
	// "sorry, it was 450": a new amount for a one-item claim.
	if items, ok := args["items"].([]any); ok && st.Intent == ToolCreateExpenseClaim && len(items) == 1 {
		if item, ok := items[0].(map[string]any); ok {
			if ams := money.Find(u.text, money.Options{Default: u.req.Currency, Bare: true}); len(ams) == 1 {
				next := map[string]any{}
				for k, v := range item {
					next[k] = v
				}
				next["amount"] = ams[0].Value
				if ams[0].Marked {
					next["currency"] = ams[0].Currency
				}
				args["items"] = []any{next}
			}
		}
	}
	if st.Intent == ToolCreateExpenseClaim && u.has("提交", "submit", "送出") {
		args["submit"] = true
	}
	if r, ok := u.resource(); ok {
		args["resource"] = r
	}
	pl := Plan{Lang: u.lang, Calls: []Call{{Tool: st.Intent, Args: args}}}
	pl.State = State{Intent: st.Intent, Texts: append(append([]string(nil), st.Texts...), u.text), Args: args}
	return pl, nil
}
