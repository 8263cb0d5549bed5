package agentcases

import (
	"strings"
	"testing"

	"github.com/banlihq/banli/fixture"
)

const tinyOrg = `
tenant: {name: Tiny Ltd, timezone: Asia/Hong_Kong, locale: zh-HK, currency: HKD}
departments: [{id: ops, name: 營運部}]
employees:
  - {id: e-1, name: 甲, department: ops}
  - {id: e-2, name: 乙, department: ops, manager: e-1}
resources: [{id: room-a, name: A, kind: room}]
events: [{id: ev-1, title: x, organizer: e-1, start: "2026-11-24T10:00:00+08:00", end: "2026-11-24T11:00:00+08:00"}]
leave_requests: [{id: lr-1, employee: e-2, leave_type: annual, start: "2026-12-01", end: "2026-12-01", status: pending}]
expense_claims: [{id: ec-1, employee: e-2, title: t, status: draft, items: []}]
meetings: [{id: m-1, title: t, date: "2026-11-20", participants: [e-1]}]
tasks: [{id: t-1, title: t, assignee: e-2, creator: e-1, status: todo}]
`

func TestValidate(t *testing.T) {
	f, err := fixture.Parse([]byte(tinyOrg))
	if err != nil {
		t.Fatal(err)
	}
	line := func(lang, actor, now, expect string) string {
		return `{"id":"c","lang":"` + lang + `","actor":"` + actor + `","now":"` + now + `","utterance":"u","expect":` + expect + `}`
	}
	const now = "2026-11-23T09:30:00+08:00"
	tests := []struct {
		name    string
		in      string
		wantErr string // empty: valid
	}{
		{"valid event", line("yue", "e-1", now, `{"calls":[{"tool":"create_event","args":{"start":"2026-11-24T15:00:00+08:00","attendees":["e-2"],"resource":"room-a","title~":"x"}}]}`), ""},
		{"valid leave and claim", line("en", "e-2", now, `{"calls":[{"tool":"request_leave","args":{"leave_type":"sick","start":"2026-11-24","end":"2026-11-24","start_half":"pm"}},{"tool":"create_expense_claim","args":{"items":[{"date":"2026-11-22","category":"meals","amount":"45.50","currency":"HKD","merchant~":"x"}],"submit":true}}]}`), ""},
		{"valid ids", line("zh-Hant", "e-1", now, `{"calls":[{"tool":"approve","args":{"request_id":"lr-1"}},{"tool":"approve","args":{"request_id":"ec-1"}},{"tool":"cancel_event","args":{"event_id":"ev-1"}},{"tool":"update_task","args":{"task_id":"t-1","status":"done"}},{"tool":"summarize_meeting","args":{"meeting_id":"m-1"}},{"tool":"team_report","args":{"department":"ops","from":"2026-11-01","to":"2026-11-30"}}]}`), ""},
		{"unknown lang", line("fr", "e-1", now, `{"denied":true}`), "unknown lang"},
		{"unknown actor", line("en", "e-9", now, `{"denied":true}`), "actor"},
		{"now in another offset", line("en", "e-1", "2026-11-23T09:30:00Z", `{"denied":true}`), "tenant's offset"},
		{"unknown tool", line("en", "e-1", now, `{"calls":[{"tool":"fly"}]}`), "unknown tool"},
		{"unknown argument", line("en", "e-1", now, `{"calls":[{"tool":"cancel_event","args":{"id":"ev-1"}}]}`), "unknown argument"},
		{"unknown employee", line("en", "e-1", now, `{"calls":[{"tool":"create_event","args":{"attendees":["e-3"]}}]}`), "unknown id e-3"},
		{"unknown request", line("en", "e-1", now, `{"calls":[{"tool":"approve","args":{"request_id":"lr-9"}}]}`), "unknown id lr-9"},
		{"claim id must be a claim", line("en", "e-2", now, `{"calls":[{"tool":"submit_expense_claim","args":{"claim_id":"lr-1"}}]}`), "unknown id lr-1"},
		{"bad date", line("en", "e-2", now, `{"calls":[{"tool":"request_leave","args":{"start":"2026-11-31"}}]}`), "YYYY-MM-DD"},
		{"date-time for a date", line("en", "e-2", now, `{"calls":[{"tool":"request_leave","args":{"start":"2026-11-30T00:00:00+08:00"}}]}`), "YYYY-MM-DD"},
		{"date-time without offset", line("en", "e-1", now, `{"calls":[{"tool":"create_event","args":{"start":"2026-11-24T15:00:00"}}]}`), "RFC 3339"},
		{"date-time in UTC", line("en", "e-1", now, `{"calls":[{"tool":"create_event","args":{"start":"2026-11-24T07:00:00Z"}}]}`), "tenant's offset"},
		{"bad leave type", line("en", "e-2", now, `{"calls":[{"tool":"request_leave","args":{"leave_type":"holiday"}}]}`), "leave_type"},
		{"bad priority", line("en", "e-1", now, `{"calls":[{"tool":"create_task","args":{"priority":"asap"}}]}`), "priority"},
		{"bad task status", line("en", "e-1", now, `{"calls":[{"tool":"list_tasks","args":{"status":"pending"}}]}`), "status"},
		{"bad category", line("en", "e-1", now, `{"calls":[{"tool":"create_expense_claim","args":{"items":[{"category":"food"}]}}]}`), "category"},
		{"amount as number", line("en", "e-1", now, `{"calls":[{"tool":"create_expense_claim","args":{"items":[{"amount":45.5}]}}]}`), "decimal string"},
		{"bad currency", line("en", "e-1", now, `{"calls":[{"tool":"create_expense_claim","args":{"items":[{"currency":"HK$"}]}}]}`), "ISO 4217"},
		{"duration not integer", line("en", "e-1", now, `{"calls":[{"tool":"find_free_slots","args":{"duration_minutes":"60"}}]}`), "integer"},
		{"unknown clarify name", line("en", "e-1", now, `{"clarify":["when"]}`), "clarify"},
		{"two kinds", line("en", "e-1", now, `{"denied":true,"clarify":["start"]}`), "exactly one"},
		{"unknown state collection", line("en", "e-1", now, `{"calls":[],"state":{"widgets":[{}]}}`), "unknown collection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := Load(strings.NewReader(tt.in))
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			err = Validate(cs, f)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected problems: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "case c (line 1)") {
				t.Errorf("problem does not name the case: %v", err)
			}
		})
	}
}
