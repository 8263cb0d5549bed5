package agenteval

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/evals/agentcases"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres/pgtest"
)

// cases exercise each expectation kind on the demo company; one of them
// expects the wrong call, so that failing is scored as failing.
const cases = `{"id":"leave","lang":"yue","actor":"e-103","now":"2026-11-23T09:30:00+08:00","utterance":"我想下個禮拜一至三放年假","expect":{"calls":[{"tool":"request_leave","args":{"leave_type":"annual","start":"2026-11-30","end":"2026-12-02"}}],"state":{"leave_requests":[{"employee":"e-103","leave_type":"annual","start":"2026-11-30","status":"pending"}]}}}
{"id":"clarify","lang":"zh-Hant","actor":"e-103","now":"2026-11-23T09:30:00+08:00","utterance":"我想請年假","expect":{"clarify":["start"]}}
{"id":"denied","lang":"yue","actor":"e-107","now":"2026-11-23T09:30:00+08:00","utterance":"Winsy仲有幾多日年假？","expect":{"denied":true}}
{"id":"wrong","lang":"en","actor":"e-103","now":"2026-11-23T09:30:00+08:00","utterance":"What tasks do I have?","expect":{"calls":[{"tool":"list_events"}]}}`

func TestRun(t *testing.T) {
	pgtest.New(t) // skips (or fails under BANLI_REQUIRE_DB) without a server
	conn, err := pgx.Connect(context.Background(), pgtest.AdminURL())
	if err != nil {
		t.Skip(err)
	}
	conn.Close(context.Background())
	fx, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := agentcases.Load(strings.NewReader(cases))
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	rep, err := Run(context.Background(), fx, cs, Options{AdminURL: pgtest.AdminURL(), Planner: "builtin", Progress: func(int, int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"leave": true, "clarify": true, "denied": true, "wrong": false}
	for _, c := range rep.Cases {
		if c.Pass != want[c.ID] {
			t.Errorf("%s: pass %v, want %v (%s)", c.ID, c.Pass, want[c.ID], c.Reason)
		}
	}
	if rep.Total != 4 || rep.Passed != 3 || rep.Unsafe != 0 || calls != 4 {
		t.Errorf("report: total %d passed %d unsafe %d progress %d", rep.Total, rep.Passed, rep.Unsafe, calls)
	}
	b, _ := json.Marshal(rep)
	var keys map[string]any
	_ = json.Unmarshal(b, &keys)
	for _, k := range []string{"total", "passed", "pass_rate", "unsafe", "by_lang", "by_tool", "latency_ms", "cases"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("report lacks key %s", k)
		}
	}
	var sb strings.Builder
	rep.Table(&sb)
	if !strings.Contains(sb.String(), "3/4 passed") {
		t.Errorf("table: %s", sb.String())
	}
}
