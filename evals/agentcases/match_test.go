package agentcases

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// want parses an expected call from JSON, as the loader does.
func want(t *testing.T, s string) ExpectedCall {
	t.Helper()
	var c ExpectedCall
	if err := decodeExact([]byte(s), &c); err != nil {
		t.Fatalf("bad want %s: %v", s, err)
	}
	return c
}

// args parses produced arguments from JSON, as a planner's would arrive.
func args(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad args %s: %v", s, err)
	}
	return m
}

func TestMatch(t *testing.T) {
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	// toSimplified is a tiny stand-in for the planner's folding table.
	toSimplified := strings.NewReplacer("報", "报", "價", "价", "會", "会", "議", "议").Replace
	tests := []struct {
		name    string
		m       Matcher
		want    string
		tool    string
		got     string
		ok      bool
		whyPart string
	}{
		{"same tool, subset of args", Matcher{Loc: hk}, `{"tool":"cancel_event","args":{"event_id":"ev-1"}}`, "cancel_event", `{"event_id":"ev-1","x":1}`, true, ""},
		{"wrong tool", Matcher{Loc: hk}, `{"tool":"cancel_event"}`, "reschedule_event", `{}`, false, "want tool cancel_event"},
		{"no args listed", Matcher{Loc: hk}, `{"tool":"list_tasks"}`, "list_tasks", `{"status":"todo"}`, true, ""},
		{"missing arg", Matcher{Loc: hk}, `{"tool":"approve","args":{"request_id":"lr-1"}}`, "approve", `{}`, false, "missing argument request_id"},
		{"null arg is absent", Matcher{Loc: hk}, `{"tool":"approve","args":{"request_id":"lr-1"}}`, "approve", `{"request_id":null}`, false, "missing argument"},
		{"string mismatch", Matcher{Loc: hk}, `{"tool":"approve","args":{"request_id":"lr-1"}}`, "approve", `{"request_id":"lr-2"}`, false, "want \"lr-1\""},
		{"date exact", Matcher{Loc: hk}, `{"tool":"request_leave","args":{"start":"2026-11-30"}}`, "request_leave", `{"start":"2026-11-30"}`, true, ""},
		{"date differs", Matcher{Loc: hk}, `{"tool":"request_leave","args":{"start":"2026-11-30"}}`, "request_leave", `{"start":"2026-12-01"}`, false, "want date"},
		{"date vs date-time on that local day", Matcher{Loc: hk}, `{"tool":"list_events","args":{"from":"2026-11-24"}}`, "list_events", `{"from":"2026-11-24T00:00:00+08:00"}`, true, ""},
		{"date vs date-time on another local day", Matcher{Loc: hk}, `{"tool":"list_events","args":{"from":"2026-11-24"}}`, "list_events", `{"from":"2026-11-24T20:00:00Z"}`, false, "want date"},
		{"date-time same instant other offset", Matcher{Loc: hk}, `{"tool":"create_event","args":{"start":"2026-11-24T15:00:00+08:00"}}`, "create_event", `{"start":"2026-11-24T07:00:00Z"}`, true, ""},
		{"date-time without offset read in tenant zone", Matcher{Loc: hk}, `{"tool":"create_event","args":{"start":"2026-11-24T15:00:00+08:00"}}`, "create_event", `{"start":"2026-11-24T15:00:00"}`, true, ""},
		{"date-time different instant", Matcher{Loc: hk}, `{"tool":"create_event","args":{"start":"2026-11-24T15:00:00+08:00"}}`, "create_event", `{"start":"2026-11-24T16:00:00+08:00"}`, false, "want 2026-11-24T15:00:00+08:00"},
		{"date-time wanted, date given", Matcher{Loc: hk}, `{"tool":"create_task","args":{"due":"2026-11-24T17:00:00+08:00"}}`, "create_task", `{"due":"2026-11-24"}`, false, "due"},
		{"event end defaults to start plus 60 min", Matcher{Loc: hk}, `{"tool":"create_event","args":{"start":"2026-11-24T15:00:00+08:00","end":"2026-11-24T16:00:00+08:00"}}`, "create_event", `{"start":"2026-11-24T15:00:00+08:00"}`, true, ""},
		{"event end default is not 90 min", Matcher{Loc: hk}, `{"tool":"create_event","args":{"start":"2026-11-24T15:00:00+08:00","end":"2026-11-24T16:30:00+08:00"}}`, "create_event", `{"start":"2026-11-24T15:00:00+08:00"}`, false, "end"},
		{"attendees as a set", Matcher{Loc: hk}, `{"tool":"create_event","args":{"attendees":["e-3","e-4"]}}`, "create_event", `{"attendees":["e-4","e-3"]}`, true, ""},
		{"attendees extra person", Matcher{Loc: hk}, `{"tool":"create_event","args":{"attendees":["e-3"]}}`, "create_event", `{"attendees":["e-3","e-2"]}`, false, "want 1 element"},
		{"attendees wrong person", Matcher{Loc: hk}, `{"tool":"create_event","args":{"attendees":["e-3","e-4"]}}`, "create_event", `{"attendees":["e-3","e-5"]}`, false, "attendees[1]"},
		{"money as numbers", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"items":[{"amount":"186"}]}}`, "create_expense_claim", `{"items":[{"amount":"186.00"}]}`, true, ""},
		{"money given as a JSON number", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"items":[{"amount":"45.60"}]}}`, "create_expense_claim", `{"items":[{"amount":45.6}]}`, true, ""},
		{"money differs", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"items":[{"amount":"186"}]}}`, "create_expense_claim", `{"items":[{"amount":"168"}]}`, false, "amount"},
		{"items element-wise subset, any order", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"items":[{"category":"transport","amount":"86"},{"category":"meals","amount":"65"}]}}`, "create_expense_claim", `{"items":[{"category":"meals","amount":"65.0","currency":"HKD"},{"category":"transport","amount":"86","merchant":"taxi"}]}`, true, ""},
		{"items count differs", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"items":[{"amount":"86"}]}}`, "create_expense_claim", `{"items":[{"amount":"86"},{"amount":"79"}]}`, false, "want 1 element"},
		{"item field missing", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"items":[{"merchant~":"翠園"}]}}`, "create_expense_claim", `{"items":[{"amount":"1"}]}`, false, "merchant"},
		{"nested contains", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"items":[{"merchant~":"coral"}]}}`, "create_expense_claim", `{"items":[{"merchant":"Cafe de Coral"}]}`, true, ""},
		{"title contains ignoring case", Matcher{Loc: hk}, `{"tool":"create_event","args":{"title~":"Kerry"}}`, "create_event", `{"title":"KERRY bid review"}`, true, ""},
		{"title does not contain", Matcher{Loc: hk}, `{"tool":"create_event","args":{"title~":"報價"}}`, "create_event", `{"title":"Weekly sync"}`, false, "does not contain"},
		{"title script differs without folding", Matcher{Loc: hk}, `{"tool":"create_event","args":{"title~":"報價"}}`, "create_event", `{"title":"讨论报价"}`, false, "does not contain"},
		{"title script folded", Matcher{Loc: hk, Fold: toSimplified}, `{"tool":"create_event","args":{"title~":"報價"}}`, "create_event", `{"title":"讨论报价"}`, true, ""},
		{"contains wants a string", Matcher{Loc: hk}, `{"tool":"create_event","args":{"title~":"x"}}`, "create_event", `{"title":3}`, false, "want a string"},
		{"start_half defaults to am", Matcher{Loc: hk}, `{"tool":"request_leave","args":{"start_half":"am","end_half":"pm"}}`, "request_leave", `{}`, true, ""},
		{"end_half default is not am", Matcher{Loc: hk}, `{"tool":"request_leave","args":{"end_half":"am"}}`, "request_leave", `{}`, false, "end_half"},
		{"priority defaults to normal", Matcher{Loc: hk}, `{"tool":"create_task","args":{"priority":"normal"}}`, "create_task", `{"title":"x"}`, true, ""},
		{"submit defaults to false", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"submit":false}}`, "create_expense_claim", `{"items":[]}`, true, ""},
		{"submit true needed", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"submit":true}}`, "create_expense_claim", `{}`, false, "submit"},
		{"assignee defaults to the actor", Matcher{Loc: hk, Actor: "e-7"}, `{"tool":"create_task","args":{"assignee":"e-7"}}`, "create_task", `{"title":"x"}`, true, ""},
		{"assignee default is not someone else", Matcher{Loc: hk, Actor: "e-7"}, `{"tool":"create_task","args":{"assignee":"e-8"}}`, "create_task", `{"title":"x"}`, false, "assignee"},
		{"assignee without actor", Matcher{Loc: hk}, `{"tool":"create_task","args":{"assignee":"e-7"}}`, "create_task", `{"title":"x"}`, false, "missing argument assignee"},
		{"duration as number", Matcher{Loc: hk}, `{"tool":"find_free_slots","args":{"duration_minutes":60}}`, "find_free_slots", `{"duration_minutes":60.0}`, true, ""},
		{"duration as string", Matcher{Loc: hk}, `{"tool":"find_free_slots","args":{"duration_minutes":60}}`, "find_free_slots", `{"duration_minutes":"60"}`, true, ""},
		{"int list as set", Matcher{Loc: hk}, `{"tool":"create_tasks_from_meeting","args":{"items":[1,2]}}`, "create_tasks_from_meeting", `{"items":[2,1]}`, true, ""},
		{"bool mismatch", Matcher{Loc: hk}, `{"tool":"create_expense_claim","args":{"submit":true}}`, "create_expense_claim", `{"submit":"yes"}`, false, "submit"},
		{"rrule parts in any order", Matcher{Loc: hk}, `{"tool":"create_event","args":{"recurrence":"FREQ=WEEKLY;BYDAY=MO"}}`, "create_event", `{"recurrence":"RRULE:BYDAY=MO;INTERVAL=1;FREQ=WEEKLY"}`, true, ""},
		{"rrule differs", Matcher{Loc: hk}, `{"tool":"create_event","args":{"recurrence":"FREQ=WEEKLY;BYDAY=MO"}}`, "create_event", `{"recurrence":"FREQ=WEEKLY;BYDAY=TU"}`, false, "recurrence"},
		{"nil location means UTC", Matcher{}, `{"tool":"list_events","args":{"from":"2026-11-24"}}`, "list_events", `{"from":"2026-11-24T05:00:00"}`, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := tt.m.Match(want(t, tt.want), tt.tool, args(t, tt.got))
			if ok != tt.ok {
				t.Fatalf("Match = %v (%s), want %v", ok, why, tt.ok)
			}
			if !ok && !strings.Contains(why, tt.whyPart) {
				t.Errorf("reason %q does not mention %q", why, tt.whyPart)
			}
			if ok && why != "" {
				t.Errorf("reason %q on a match", why)
			}
		})
	}
}

func TestMatchCallUsesLocation(t *testing.T) {
	hk, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		t.Fatal(err)
	}
	w := want(t, `{"tool":"create_event","args":{"start":"2026-11-24T15:00:00+08:00"}}`)
	if ok, why := MatchCall(w, "create_event", map[string]any{"start": "2026-11-24T15:00:00"}, hk); !ok {
		t.Errorf("MatchCall in Hong Kong: %s", why)
	}
	if ok, _ := MatchCall(w, "create_event", map[string]any{"start": "2026-11-24T15:00:00"}, time.UTC); ok {
		t.Error("MatchCall in UTC matched a Hong Kong instant")
	}
}

func TestMatchCalls(t *testing.T) {
	m := Matcher{Actor: "e-1"}
	ws := []ExpectedCall{{Tool: "list_pending_approvals"}, {Tool: "approve", Args: map[string]any{"request_id": "lr-1"}}}
	tests := []struct {
		name string
		got  []Call
		ok   bool
		why  string
	}{
		{"in order", []Call{{Tool: "list_pending_approvals"}, {Tool: "approve", Args: map[string]any{"request_id": "lr-1"}}}, true, ""},
		{"wrong order", []Call{{Tool: "approve", Args: map[string]any{"request_id": "lr-1"}}, {Tool: "list_pending_approvals"}}, false, "call 1"},
		{"extra call", []Call{{Tool: "list_pending_approvals"}, {Tool: "approve", Args: map[string]any{"request_id": "lr-1"}}, {Tool: "cancel_event"}}, false, "want 2 call(s), got 3"},
		{"none", nil, false, "got 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := m.MatchCalls(ws, tt.got)
			if ok != tt.ok || !strings.Contains(why, tt.why) {
				t.Errorf("MatchCalls = %v, %q; want %v, containing %q", ok, why, tt.ok, tt.why)
			}
		})
	}
}
