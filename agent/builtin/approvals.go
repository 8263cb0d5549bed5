package builtin

import (
	"context"
	"strings"

	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/when"
)

// pendingRef reports words that point at a request in the queue.
func (u *utter) pendingRef() bool {
	return u.hasPendingID() || u.has("申請", "申请", "request", "claim", "報銷", "报销", "假", "leave", "嗰張", "嗰份", "單", "单")
}

// pending loads the approval queue once per utterance.
func (u *utter) pending() []PendingItem {
	if u.pendOK || u.req.Lookup == nil {
		return u.pendCache
	}
	items, err := u.req.Lookup.PendingApprovals(u.ctx)
	if err != nil {
		return nil
	}
	u.pendCache, u.pendOK = items, true
	return items
}

// hasPendingID reports an id of a queued request written in the text.
func (u *utter) hasPendingID() bool {
	for _, it := range u.pending() {
		if it.ID != "" && u.word(it.ID) {
			return true
		}
	}
	return false
}

func planListPending(ctx context.Context, u *utter) (Plan, error) {
	return call(ToolListPendingApprovals, map[string]any{}), nil
}

// planDecide resolves the request an approve / reject / return describes.
func planDecide(tool string) handler {
	return func(ctx context.Context, u *utter) (Plan, error) {
		if u.req.Lookup == nil {
			return Plan{Reply: u.say(msgNoMatch)}, nil
		}
		items, err := u.req.Lookup.PendingApprovals(ctx)
		if err != nil {
			return Plan{}, err
		}
		found := u.filterPending(items)
		args := map[string]any{}
		var missing []string
		switch {
		case len(found) == 0:
			return Plan{Reply: u.say(msgNoMatch)}, nil
		case len(found) == 1:
			args["request_id"] = found[0].ID
		default:
			missing = append(missing, "request_id")
		}
		if tool != ToolApprove {
			if r := u.reason(); r != "" {
				args["reason"] = r
			} else {
				missing = append(missing, "reason")
			}
		} else if c := u.reason(); c != "" {
			args["comment"] = c
		}
		if len(missing) > 0 {
			return clarify(tool, args, missing...), nil
		}
		return call(tool, args), nil
	}
}

// filterPending keeps the queue items that fit the description: who, what
// kind, which leave type, which dates, which title.
func (u *utter) filterPending(items []PendingItem) []PendingItem {
	for _, it := range items {
		if it.ID != "" && u.word(it.ID) {
			return []PendingItem{it}
		}
	}
	var who []string
	for _, m := range u.mentions(people.Person) {
		who = append(who, m.IDs...)
	}
	lt, hasType := u.leaveType()
	isLeave := u.has("假", "leave", "day off")
	isExpense := u.has("報銷", "报销", "claim", "expense", "報銷單", "單", "单") && !isLeave
	near := when.Parse(u.text, u.now, when.Options{DayFirst: u.opt.DayFirst, Lean: when.Nearest})
	var out []PendingItem
	for _, it := range items {
		if len(who) > 0 && !contains(who, it.Employee) {
			continue
		}
		if isLeave && it.Kind != "leave" || isExpense && it.Kind != "expense" {
			continue
		}
		if hasType && it.Kind == "leave" && it.LeaveType != lt {
			continue
		}
		if len(near.Dates) > 0 {
			ok := false
			if it.Kind == "leave" {
				ok = overlapsDates(near, it.Start, it.End)
			}
			for _, d := range it.Dates {
				ok = ok || overlapsDates(near, d, d)
			}
			if !ok {
				continue
			}
		}
		if ams := u.amounts(); len(ams) > 0 && it.Kind == "expense" && !sameAmount(ams[0].Value, it.Amount) {
			continue
		}
		out = append(out, it)
	}
	// A title mention narrows further ("客戶晚飯嗰張").
	if len(out) > 1 {
		var titled []PendingItem
		for _, it := range out {
			if h, _ := overlap(u.text, it.Title); h > 0 {
				titled = append(titled, it)
			}
		}
		if len(titled) > 0 {
			out = titled
		}
	}
	return out
}

func sameAmount(a, b string) bool {
	trim := func(s string) string {
		s = strings.TrimLeft(s, "0")
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s
	}
	return trim(a) == trim(b)
}

// reason reads the reason given: after 因為 / 原因 / because / reason: or the
// last clause after a comma.
func (u *utter) reason() string {
	if i, n := u.index("因為", "因为", "原因係", "原因是", "原因:", "原因：", "理由", "because", "reason:", "reason is", "as ", "since", "due to", "，要", ",要", "要求"); i >= 0 {
		return trimParticles(string(u.orig[i+n:]))
	}
	if i := strings.LastIndexAny(u.text, "，,;；"); i >= 0 {
		r := trimParticles(u.text[i+len(string([]rune(u.text[i:])[0])):])
		if contentScore(r) >= 4 {
			return r
		}
	}
	return ""
}

func planDelegate(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	var missing []string
	ps := u.mentions(people.Person)
	switch {
	case len(ps) == 0:
		missing = append(missing, "delegate")
	case ps[0].Ambiguous():
		missing = append(missing, "delegate")
	default:
		args["delegate"] = ps[0].IDs[0]
	}
	if from, to, ok := u.tm.Span(); ok {
		args["start"], args["end"] = from.String(), to.String()
	} else {
		missing = append(missing, "start", "end")
	}
	if len(missing) > 0 {
		return clarify(ToolSetDelegate, args, missing...), nil
	}
	return call(ToolSetDelegate, args), nil
}
