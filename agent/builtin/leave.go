package builtin

import (
	"context"

	"github.com/banlihq/banli/nlu/lexicon"
	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/when"
)

// leaveType reads the leave type; with several ("年假用完了，請無薪假") the
// last one is the one asked for.
func (u *utter) leaveType() (string, bool) {
	ms := lexicon.LeaveTypes.FindAll(u.text)
	if len(ms) == 0 {
		return "", false
	}
	return ms[len(ms)-1].Value, true
}

func planRequestLeave(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	var missing []string
	if lt, ok := u.leaveType(); ok {
		args["leave_type"] = lt
	} else {
		missing = append(missing, "leave_type")
	}
	from, to, ok := u.tm.Span()
	if ok && len(u.tm.Dates) == 1 && u.tm.Dates[0].Grain == when.Month {
		ok = false // "下個月" is not yet a date
	}
	if ok {
		if n := u.tm.Days(); n > 1 && from == to {
			to = when.AddWorkdays(from, n)
		}
		if len(u.tm.Dates) == 1 && u.tm.Dates[0].Grain == when.Week {
			// A whole week off is its working days.
			to = from.AddDays(4)
		}
		args["start"], args["end"] = from.String(), to.String()
		if from == to {
			switch u.tm.Part() {
			case when.Morning:
				args["start_half"], args["end_half"] = "am", "am"
			case when.Afternoon, when.Evening:
				args["start_half"], args["end_half"] = "pm", "pm"
			default:
				if u.tm.HalfDay {
					missing = append(missing, "start_half")
				}
			}
		} else {
			for _, p := range u.tm.Parts {
				if p.Part == when.NoPart || p.Part == when.Noon {
					continue
				}
				half := "am"
				if p.Part != when.Morning {
					half = "pm"
				}
				if len(u.tm.Dates) > 0 && p.Start >= u.tm.Dates[len(u.tm.Dates)-1].Start && len(u.tm.Dates) > 1 {
					args["end_half"] = half
				} else {
					args["start_half"] = half
				}
			}
		}
	} else {
		missing = append(missing, "start", "end")
	}
	if len(missing) > 0 {
		return clarify(ToolRequestLeave, args, missing...), nil
	}
	return call(ToolRequestLeave, args), nil
}

// otherPerson returns the one colleague the utterance is about, if any.
func (u *utter) otherPerson() (string, bool) {
	ps := u.mentions(people.Person)
	if len(ps) != 1 || len(ps[0].IDs) != 1 || ps[0].IDs[0] == u.req.Actor {
		return "", false
	}
	return ps[0].IDs[0], true
}

func planLeaveBalance(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	if u.ambiguousPerson() {
		return clarify(ToolGetLeaveBalance, args, "employee"), nil
	}
	if lt, ok := u.leaveType(); ok {
		args["leave_type"] = lt
	}
	if id, ok := u.otherPerson(); ok {
		args["employee"] = id
	}
	return call(ToolGetLeaveBalance, args), nil
}

// ambiguousPerson reports a reference to several colleagues.
func (u *utter) ambiguousPerson() bool {
	for _, m := range u.mentions(people.Person) {
		if m.Ambiguous() {
			return true
		}
	}
	return false
}

func planListLeave(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	if u.ambiguousPerson() {
		return clarify(ToolListLeaveRequests, args, "employee"), nil
	}
	if id, ok := u.otherPerson(); ok {
		args["employee"] = id
	}
	if m, ok := lexicon.RequestStatuses.Find(u.text); ok {
		args["status"] = m.Value
	}
	if from, to, ok := u.tm.Span(); ok {
		args["from"], args["to"] = from.String(), to.String()
	}
	return call(ToolListLeaveRequests, args), nil
}

func planCancelLeave(ctx context.Context, u *utter) (Plan, error) {
	if u.req.Lookup == nil {
		return Plan{Reply: u.say(msgNoItem)}, nil
	}
	lrs, err := u.req.Lookup.LeaveRequests(ctx)
	if err != nil {
		return Plan{}, err
	}
	lt, hasType := u.leaveType()
	past := when.Parse(u.text, u.now, when.Options{DayFirst: u.opt.DayFirst, Lean: when.Nearest})
	var found []LeaveRef
	for _, l := range lrs {
		if l.Employee != u.req.Actor || l.Status == "rejected" || l.Status == "cancelled" {
			continue
		}
		if hasType && l.LeaveType != lt {
			continue
		}
		if len(past.Dates) > 0 && !overlapsDates(past, l.Start, l.End) {
			continue
		}
		found = append(found, l)
	}
	switch len(found) {
	case 0:
		return Plan{Reply: u.say(msgNoItem)}, nil
	case 1:
		return call(ToolCancelLeave, map[string]any{"request_id": found[0].ID}), nil
	}
	return clarify(ToolCancelLeave, map[string]any{}, "request_id"), nil
}

// overlapsDates reports whether any date mention meets [start, end].
func overlapsDates(r when.Result, start, end string) bool {
	s, err1 := when.ParseDate(start)
	e, err2 := when.ParseDate(end)
	if err1 != nil || err2 != nil {
		return false
	}
	for _, d := range r.Dates {
		if !d.To.Before(s) && !e.Before(d.From) {
			return true
		}
	}
	return false
}
