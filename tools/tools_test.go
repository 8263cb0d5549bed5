package tools_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/evals/agentcases"
	"github.com/banlihq/banli/tools"
)

func env(t *testing.T) *tools.Env {
	t.Helper()
	now, _ := time.Parse(time.RFC3339, "2026-11-23T09:30:00+08:00")
	emps := []domain.Employee{
		{ID: "e-1", Name: "陳大文", NameEn: "David Chan", Active: true},
		{ID: "e-2", Name: "李小美", NameEn: "May Lee", Active: true},
		{ID: "e-3", Name: "離職", Active: false},
	}
	return tools.NewEnv(now, domain.DefaultSettings(), "e-1", emps, []domain.Department{{ID: "ops", Name: "營運部"}},
		[]domain.Resource{{ID: "room-a", Name: "會議室A", NameEn: "Room A", Kind: "room"}})
}

// TestCatalogMatchesContract checks the catalog against the contract's
// tool list and argument names, as kept by the eval case validator.
func TestCatalogMatchesContract(t *testing.T) {
	c := tools.NewCatalog()
	contract := agentcases.Catalog()
	if len(c.Tools()) != len(contract) {
		t.Fatalf("catalog has %d tools, contract %d", len(c.Tools()), len(contract))
	}
	for name, spec := range contract {
		tool, ok := c.Tool(name)
		if !ok {
			t.Errorf("missing tool %s", name)
			continue
		}
		if tool.Mutating != spec.Mutating {
			t.Errorf("%s: mutating %v, contract %v", name, tool.Mutating, spec.Mutating)
		}
		for arg := range spec.Args {
			if _, ok := tool.Schema.Properties.Get(arg); !ok {
				t.Errorf("%s: schema lacks argument %s", name, arg)
			}
		}
		if tool.Description.En == "" || tool.Description.ZhHant == "" || tool.Permission == "" {
			t.Errorf("%s: description or permission missing", name)
		}
		if _, err := json.Marshal(tool.Schema); err != nil {
			t.Errorf("%s: schema does not encode: %v", name, err)
		}
	}
	if tool, _ := c.Tool(tools.SetDelegate); tool.Risk != tools.RiskHigh {
		t.Errorf("set_delegate must be high risk")
	}
}

func TestDecode(t *testing.T) {
	e := env(t)
	c := tools.NewCatalog()
	tests := []struct {
		name, tool string
		args       map[string]any
		bad        string // field named in the error; "" means valid
	}{
		{"leave ok", tools.RequestLeave, map[string]any{"leave_type": "annual", "start": "2026-11-30", "end": "2026-12-02"}, ""},
		{"leave missing end", tools.RequestLeave, map[string]any{"leave_type": "annual", "start": "2026-11-30"}, "end"},
		{"leave bad type", tools.RequestLeave, map[string]any{"leave_type": "holiday", "start": "2026-11-30", "end": "2026-11-30"}, "leave_type"},
		{"leave end before start", tools.RequestLeave, map[string]any{"leave_type": "annual", "start": "2026-11-30", "end": "2026-11-20"}, "end"},
		{"event bad time", tools.CreateEvent, map[string]any{"title": "x", "start": "tomorrow 3pm"}, "start"},
		{"event unknown attendee", tools.CreateEvent, map[string]any{"title": "x", "start": "2026-11-24T15:00:00+08:00", "attendees": []string{"e-9"}}, "attendees[0]"},
		{"event inactive attendee", tools.CreateEvent, map[string]any{"title": "x", "start": "2026-11-24T15:00:00+08:00", "attendees": []string{"e-3"}}, "attendees[0]"},
		{"event unknown argument", tools.CreateEvent, map[string]any{"title": "x", "start": "2026-11-24T15:00:00+08:00", "organizer": "e-2"}, "organizer"},
		{"claim float amount", tools.CreateExpenseClaim, map[string]any{"items": []any{map[string]any{"date": "2026-11-20", "category": "meals", "amount": 45.5, "currency": "HKD"}}}, "create_expense_claim"},
		{"claim bad amount", tools.CreateExpenseClaim, map[string]any{"items": []any{map[string]any{"date": "2026-11-20", "category": "meals", "amount": "4.555", "currency": "HKD"}}}, "items[0].amount"},
		{"claim ok", tools.CreateExpenseClaim, map[string]any{"items": []any{map[string]any{"date": "2026-11-20", "category": "meals", "amount": "45.5", "currency": "HKD"}}}, ""},
		{"delegate to self", tools.SetDelegate, map[string]any{"delegate": "e-1", "start": "2026-12-01", "end": "2026-12-05"}, "delegate"},
		{"reject needs reason", tools.Reject, map[string]any{"request_id": "lr-1"}, "reason"},
		{"task status enum", tools.UpdateTask, map[string]any{"task_id": "t-1", "status": "finished"}, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tool, ok := c.Tool(tt.tool)
			if !ok {
				t.Fatalf("no tool %s", tt.tool)
			}
			_, err := tool.Decode(e, tt.args)
			switch {
			case tt.bad == "" && err != nil:
				t.Fatalf("want valid, got %v", err)
			case tt.bad != "" && err == nil:
				t.Fatalf("want an error naming %s", tt.bad)
			case tt.bad != "" && !strings.Contains(err.Error(), tt.bad) && !slices.ContainsFunc(fields(err), func(f string) bool { return f == tt.bad }):
				t.Fatalf("error %q (fields %v) does not name %s", err, fields(err), tt.bad)
			}
		})
	}
}

func fields(err error) []string {
	var out []string
	if de, ok := err.(*domain.Error); ok {
		for _, f := range de.Fields {
			out = append(out, f.Field)
		}
	}
	return out
}

// TestCanonical checks that defaults are applied and that the digest does
// not depend on key order or on defaults being spelled out.
func TestCanonical(t *testing.T) {
	e := env(t)
	tool, _ := tools.NewCatalog().Tool(tools.RequestLeave)
	a1, err := tool.Decode(e, map[string]any{"start": "2026-11-30", "end": "2026-12-02", "leave_type": "annual"})
	if err != nil {
		t.Fatal(err)
	}
	a2, err := tool.Decode(e, map[string]any{"leave_type": "annual", "end_half": "pm", "start_half": "am", "end": "2026-12-02", "start": "2026-11-30"})
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := tools.Canonical(a1)
	c2, _ := tools.Canonical(a2)
	if string(c1) != `{"end":"2026-12-02","end_half":"pm","leave_type":"annual","start":"2026-11-30","start_half":"am"}` {
		t.Fatalf("canonical form: %s", c1)
	}
	if tools.Digest(tool.Name, c1) != tools.Digest(tool.Name, c2) || len(tools.Digest(tool.Name, c1)) != 64 {
		t.Fatal("digests differ for equal arguments")
	}
	if tools.Digest(tools.CancelLeave, c1) == tools.Digest(tool.Name, c1) {
		t.Fatal("digest must bind the tool name")
	}
	back, err := tool.DecodeCanonical(e, c1)
	if err != nil {
		t.Fatal(err)
	}
	if c3, _ := tools.Canonical(back); string(c3) != string(c1) {
		t.Fatalf("round trip changed the arguments: %s", c3)
	}
}

func TestPreview(t *testing.T) {
	e := env(t)
	c := tools.NewCatalog()
	tests := []struct {
		tool string
		args map[string]any
		lang string
		want []string
	}{
		{tools.RequestLeave, map[string]any{"leave_type": "annual", "start": "2026-11-30", "end": "2026-12-02"}, "yue", []string{"年假", "2026-11-30", "3 個工作天"}},
		{tools.RequestLeave, map[string]any{"leave_type": "annual", "start": "2026-11-30", "end": "2026-11-30", "start_half": "pm"}, "zh-Hans", []string{"年假", "0.5 个工作日", "下午"}},
		{tools.CreateEvent, map[string]any{"title": "備貨", "start": "2026-11-24T15:00:00+08:00", "attendees": []string{"e-2"}, "resource": "room-a"}, "en", []string{"Create the meeting", "15:00–16:00", "May Lee", "Room A"}},
		{tools.CreateTask, map[string]any{"title": "quote"}, "zh-Hant", []string{"建立任務", "陳大文", "一般"}},
		{tools.SetDelegate, map[string]any{"delegate": "e-2", "start": "2026-12-01", "end": "2026-12-05"}, "zh-Hant", []string{"李小美", "代你審批"}},
	}
	for _, tt := range tests {
		tool, _ := c.Tool(tt.tool)
		a, err := tool.Decode(e, tt.args)
		if err != nil {
			t.Fatalf("%s: %v", tt.tool, err)
		}
		p := tool.Preview(e, tt.lang, a)
		for _, w := range tt.want {
			if !strings.Contains(p, w) {
				t.Errorf("%s %s preview %q lacks %q", tt.tool, tt.lang, p, w)
			}
		}
	}
}
