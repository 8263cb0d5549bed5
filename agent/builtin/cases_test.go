package builtin

import (
	"testing"

	"github.com/banlihq/banli/fixture"
)

// orchidCases are phrasings written for this package, against a company
// that neither the dev set nor the shared example uses. Now is Monday
// 2026-03-09 09:00 in Hong Kong.
var orchidCases = []evalCase{
	{ID: "leave-range", Actor: "d-03", Utterance: "下個星期二至四想請年假", Expect: expect{Calls: []Call{{Tool: ToolRequestLeave, Args: map[string]any{"leave_type": "annual", "start": "2026-03-17", "end": "2026-03-19"}}}}},
	{ID: "leave-am", Actor: "d-04", Utterance: "聽朝請半日病假睇醫生", Expect: expect{Calls: []Call{{Tool: ToolRequestLeave, Args: map[string]any{"leave_type": "sick", "start": "2026-03-10", "end": "2026-03-10", "start_half": "am", "end_half": "am"}}}}},
	{ID: "leave-en-days", Actor: "d-04", Utterance: "I'd like to take comp leave on Friday", Expect: expect{Calls: []Call{{Tool: ToolRequestLeave, Args: map[string]any{"leave_type": "compensatory", "start": "2026-03-13", "end": "2026-03-13"}}}}},
	{ID: "meet-hans", Actor: "d-02", Utterance: "帮我约志豪和阿康后天下午两点半开会，讨论包装设计，用天台会议室", Expect: expect{Calls: []Call{{Tool: ToolCreateEvent, Args: map[string]any{"start": "2026-03-11T14:30:00+08:00", "end": "2026-03-11T15:30:00+08:00", "attendees": []any{"d-03", "d-04"}, "resource": "rm-sky", "title~": "包装"}}}}},
	{ID: "meet-mix", Actor: "d-01", Utterance: "聽日 book 個 room 同 Grace 傾 logo，兩點三個字，開一個鐘", Expect: expect{Calls: []Call{{Tool: ToolCreateEvent, Args: map[string]any{"start": "2026-03-10T14:15:00+08:00", "end": "2026-03-10T15:15:00+08:00", "attendees": []any{"d-02"}, "title~": "logo"}}}}},
	{ID: "meet-ambiguous", Actor: "d-01", Utterance: "Meeting with Tang on Thursday at 3pm", Expect: expect{Clarify: []string{"attendees"}}},
	{ID: "meet-notime", Actor: "d-02", Utterance: "星期五同Lily開會", Expect: expect{Clarify: []string{"start"}}},
	{ID: "task-en", Actor: "d-02", Utterance: "Ask Jason to send the menu proofs to the printer by Thursday, urgent", Expect: expect{Calls: []Call{{Tool: ToolCreateTask, Args: map[string]any{"assignee": "d-03", "due": "2026-03-12", "priority": "urgent", "title~": "menu"}}}}},
	{ID: "task-boss", Actor: "d-03", Utterance: "提我星期三前交設計稿俾我老闆", Expect: expect{Calls: []Call{{Tool: ToolCreateTask, Args: map[string]any{"assignee": "d-03", "due": "2026-03-11", "title~": "設計稿"}}}}},
	{ID: "task-done", Actor: "d-03", Utterance: "餐廳菜單設計嗰個task搞掂咗", Expect: expect{Calls: []Call{{Tool: ToolUpdateTask, Args: map[string]any{"task_id": "k-1", "status": "done"}}}}},
	{ID: "expense-yue", Actor: "d-04", Utterance: "報銷琴日影印 $128.5 同埋的士 $64", Expect: expect{Calls: []Call{{Tool: ToolCreateExpenseClaim, Args: map[string]any{"items": []any{map[string]any{"date": "2026-03-08", "amount": "128.5", "currency": "HKD"}, map[string]any{"date": "2026-03-08", "category": "transport", "amount": "64", "currency": "HKD"}}}}}}},
	{ID: "expense-rmb", Actor: "d-04", Utterance: "报销上周五去广州的高铁票，人民币二百一十五元", Expect: expect{Calls: []Call{{Tool: ToolCreateExpenseClaim, Args: map[string]any{"items": []any{map[string]any{"date": "2026-03-06", "category": "travel", "amount": "215", "currency": "CNY"}}}}}}},
	{ID: "approve-sick", Actor: "d-02", Utterance: "批准志豪下星期一嘅病假", Expect: expect{Calls: []Call{{Tool: ToolApprove, Args: map[string]any{"request_id": "q-1"}}}}},
	{ID: "approve-none", Actor: "d-02", Utterance: "批准阿康嘅年假", Expect: expect{}},
	{ID: "reject-claim", Actor: "d-05", Utterance: "Reject Wing Hong's printing claim, no receipt attached", Expect: expect{Calls: []Call{{Tool: ToolReject, Args: map[string]any{"request_id": "c-1", "reason~": "receipt"}}}}},
	{ID: "resched", Actor: "d-02", Utterance: "將聽日嘅品牌設計評審改到四點", Expect: expect{Calls: []Call{{Tool: ToolRescheduleEvent, Args: map[string]any{"event_id": "x-1", "start": "2026-03-10T16:00:00+08:00"}}}}},
	{ID: "cancel-ev", Actor: "d-02", Utterance: "cancel tomorrow's design review", Expect: expect{Calls: []Call{{Tool: ToolCancelEvent, Args: map[string]any{"event_id": "x-1"}}}}},
	{ID: "book-cam", Actor: "d-03", Utterance: "借部相機，星期四朝早十點到中午，影產品相", Expect: expect{Calls: []Call{{Tool: ToolBookResource, Args: map[string]any{"resource": "cam-1", "start": "2026-03-12T10:00:00+08:00", "end": "2026-03-12T12:00:00+08:00"}}}}},
	{ID: "slots-team", Actor: "d-02", Utterance: "我同我team下星期一邊個時間有半個鐘大家都得閒？", Expect: expect{Calls: []Call{{Tool: ToolFindFreeSlots, Args: map[string]any{"attendees": []any{"d-02", "d-03", "d-04"}, "duration_minutes": 30.0, "from": "2026-03-16", "to": "2026-03-16"}}}}},
	{ID: "balance", Actor: "d-04", Utterance: "我仲有幾多日補假？", Expect: expect{Calls: []Call{{Tool: ToolGetLeaveBalance, Args: map[string]any{"leave_type": "compensatory"}}}}},
	{ID: "pending", Actor: "d-02", Utterance: "有咩要我批？", Expect: expect{Calls: []Call{{Tool: ToolListPendingApprovals}}}},
	{ID: "events-en", Actor: "d-03", Utterance: "what's on my calendar tomorrow?", Expect: expect{Calls: []Call{{Tool: ToolListEvents, Args: map[string]any{"from": "2026-03-10", "to": "2026-03-10"}}}}},
	{ID: "multi-slot", Actor: "d-03", Turns: []evalTurn{
		{User: "我想請事假", Expect: expect{Clarify: []string{"start"}}},
		{User: "下星期三", Expect: expect{Calls: []Call{{Tool: ToolRequestLeave, Args: map[string]any{"leave_type": "personal", "start": "2026-03-18", "end": "2026-03-18"}}}}},
	}},
	{ID: "multi-correct", Actor: "d-01", Turns: []evalTurn{
		{User: "Set up a call with Lily tomorrow at 11am", Expect: expect{Calls: []Call{{Tool: ToolCreateEvent, Args: map[string]any{"start": "2026-03-10T11:00:00+08:00", "attendees": []any{"d-05"}}}}}},
		{User: "make it 4pm instead", Expect: expect{Calls: []Call{{Tool: ToolCreateEvent, Args: map[string]any{"start": "2026-03-10T16:00:00+08:00", "end": "2026-03-10T17:00:00+08:00", "attendees": []any{"d-05"}}}}}},
	}},
}

func TestOrchid(t *testing.T) {
	fx, err := fixture.Load("testdata/orchid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range orchidCases {
		c := &orchidCases[i]
		c.Now = "2026-03-09T09:00:00+08:00"
		if len(c.Turns) == 0 {
			c.Turns = []evalTurn{{User: c.Utterance, Expect: c.Expect}}
		}
	}
	for _, r := range runCases(t, fx, orchidCases) {
		if !r.pass {
			t.Errorf("%s: %s", r.id, r.why)
		}
	}
}
