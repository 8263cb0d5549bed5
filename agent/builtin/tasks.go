package builtin

import (
	"context"
	"github.com/banlihq/banli/nlu/lexicon"
	"github.com/banlihq/banli/nlu/people"
)

var taskFillers = []string{
	"幫我", "帮我", "麻煩", "請", "请", "叫", "提我", "提醒我", "提提我", "提醒", "記低", "记下", "記住", "幫我記", "帮我记", "开个task", "開個task", "開個", "开个", "建立一個任務", "建立一个任务",
	"建立任務", "建个任务", "建個任務", "派个任务", "派個任務", "一個任務", "一个任务", "任務", "任务", "待辦", "待办", "記一個", "记一个", "指派給", "指派给", "指派", "給", "给", "俾", "讓", "让",
	"之前", "或之前", "以前", "並標記為", "并标记为", "標記為", "标记为", "優先級", "优先级", "priority", "create a task for", "create a task", "add a task", "add a todo", "a todo", "todo", "new task",
	"remind me to", "remind me", "ask", "tell", "assign", "please", "due", "by", "before", "得喇", "得啦", "要", "交上嚟", "上嚟", "我", "me",
}

var taskMarkers = []string{"：", ":", "needs to", "need to", "remind me to", " to "}

// selfTask reports a task for the speaker: "提我", "remind me", "X叫我做".
func (u *utter) selfTask() bool {
	return u.has("提我", "提醒我", "提提我", "remind me", "叫我", "記低", "记下", "幫我記", "帮我记", "我要", "記一個", "记一个", "add a todo", "我記", "提醒一下我") && !u.has("叫佢", "ask him", "ask her")
}

// priority reads a priority word.
func (u *utter) priority() (string, [2]int, bool) {
	m, ok := lexicon.Priorities.Find(u.text)
	if !ok {
		return "", [2]int{}, false
	}
	return m.Value, [2]int{m.Start, m.End}, true
}

func planCreateTask(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	var missing []string
	others, amb := u.others()
	switch {
	case u.selfTask() && len(u.mentionsAfterAssign()) == 0:
		args["assignee"] = u.req.Actor
	case amb:
		missing = append(missing, "assignee")
	case len(others) > 0:
		args["assignee"] = others[0]
	default:
		args["assignee"] = u.req.Actor
	}
	if due, ok := u.due(); ok {
		args["due"] = due
	}
	var extra [][2]int
	if p, span, ok := u.priority(); ok {
		args["priority"] = p
		extra = append(extra, span)
	}
	title := u.titleOf(taskFillers, taskMarkers, extra...)
	if contentScore(title) < 2 {
		missing = append(missing, "title")
	} else {
		args["title"] = title
	}
	if len(missing) > 0 {
		return clarify(ToolCreateTask, args, missing...), nil
	}
	return call(ToolCreateTask, args), nil
}

// mentionsAfterAssign lists people right after an assigning word ("叫阿明").
func (u *utter) mentionsAfterAssign() []people.Mention {
	var out []people.Mention
	for _, m := range u.mentions(people.Person) {
		if u.precededBy(m.Start, "叫", "ask", "tell", "指派給", "指派给", "給", "给", "讓", "让", "for") {
			out = append(out, m)
		}
	}
	return out
}

// due reads a deadline: a date, or a date-time when a time of day is given
// ("聽日下晝五點前", "明天中午前").
func (u *utter) due() (string, bool) {
	d, ok := u.tm.Due()
	if !ok {
		return "", false
	}
	if u.tm.HasTime() {
		if t, ok := u.tm.Start(u.now); ok {
			return rfc(d.At(t.Hour(), t.Minute(), u.now.Location())), true
		}
	}
	return d.String(), true
}

// tasks loads the visible tasks once per utterance.
func (u *utter) tasks(ctx context.Context) ([]TaskRef, error) {
	if u.taskOK || u.req.Lookup == nil {
		return u.taskCache, nil
	}
	ts, err := u.req.Lookup.Tasks(ctx)
	if err != nil {
		return nil, err
	}
	u.taskCache, u.taskOK = ts, true
	return ts, nil
}

// hasTaskRef reports whether the utterance names a known task.
func (u *utter) hasTaskRef() bool {
	_, ok, _ := u.findTask(u.ctx)
	return ok
}

// findTask picks the task whose title the utterance mentions best.
func (u *utter) findTask(ctx context.Context) (TaskRef, bool, error) {
	if u.taskDone {
		if u.taskRef == nil {
			return TaskRef{}, false, nil
		}
		return *u.taskRef, u.taskRefOK, nil
	}
	t, ok, err := u.matchTask(ctx)
	if err != nil {
		return t, ok, err
	}
	u.taskDone, u.taskRef, u.taskRefOK = true, &t, ok
	return t, ok, nil
}

func (u *utter) matchTask(ctx context.Context) (TaskRef, bool, error) {
	ts, err := u.tasks(ctx)
	if err != nil {
		return TaskRef{}, false, err
	}
	var best TaskRef
	bestScore, tie := 0.0, false
	for _, t := range ts {
		h, n := overlap(u.text, t.Title)
		if n == 0 || h < 2 && !(h == 1 && n <= 2) {
			continue
		}
		score := float64(h) / float64(n)
		if h >= 2 {
			score += 0.1 * float64(h)
		}
		if t.Assignee == u.req.Actor {
			score += 0.05
		}
		for _, m := range u.mentions(people.Person) {
			if contains(m.IDs, t.Assignee) {
				score += 0.2
			}
		}
		switch {
		case score > bestScore+1e-9:
			best, bestScore, tie = t, score, false
		case score >= bestScore-1e-9:
			tie = true
		}
	}
	if bestScore < 0.3 || tie {
		return TaskRef{}, false, nil
	}
	return best, true, nil
}

func planListTasks(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	if ps := u.mentions(people.Person); len(ps) > 0 && len(ps[0].IDs) == 1 && ps[0].IDs[0] != u.req.Actor {
		args["assignee"] = ps[0].IDs[0]
	}
	if m, ok := lexicon.TaskStatuses.Find(u.text); ok && m.Value != "open" {
		args["status"] = m.Value
	}
	for _, d := range u.tm.Dates {
		if d.Due {
			args["due_before"] = d.To.String()
		}
	}
	return call(ToolListTasks, args), nil
}

func planUpdateTask(ctx context.Context, u *utter) (Plan, error) {
	t, ok, err := u.findTask(ctx)
	if err != nil {
		return Plan{}, err
	}
	if !ok {
		return Plan{Reply: u.say(msgNoTask)}, nil
	}
	args := map[string]any{"task_id": t.ID}
	if m, ok := lexicon.TaskStatuses.Find(u.text); ok && m.Value != "open" && !u.has("截止", "deadline", "due") {
		args["status"] = m.Value
	}
	if len(u.tm.Dates) > 0 {
		last := u.tm.Dates[len(u.tm.Dates)-1]
		args["due"] = last.To.String()
	}
	if p, _, ok := u.priority(); ok {
		args["priority"] = p
	}
	if u.has("轉俾", "转给", "轉交", "转交", "交俾", "交給", "交给", "reassign", "hand over", "hand it to", "assign it to", "轉畀", "俾", "give it to") {
		for _, m := range u.mentions(people.Person) {
			if len(m.IDs) == 1 && m.IDs[0] != t.Assignee {
				args["assignee"] = m.IDs[0]
			}
		}
	}
	if len(args) == 1 {
		return clarify(ToolUpdateTask, args, "status"), nil
	}
	return call(ToolUpdateTask, args), nil
}
