package agentcases

import (
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantN   int
		wantErr string // substring; empty for success
		check   func(t *testing.T, cs []Case)
	}{
		{
			name: "single turn with unknown keys and blank lines",
			in: `{"id":"a","lang":"yue","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"hi","expect":{"calls":[{"tool":"list_tasks","args":{"status":"todo"}}]},"extra":1}

{"id":"b","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{"clarify":["start"],"note":"ignored"}}
`,
			wantN: 2,
			check: func(t *testing.T, cs []Case) {
				if cs[0].Line != 1 || cs[1].Line != 3 {
					t.Errorf("lines = %d, %d; want 1, 3", cs[0].Line, cs[1].Line)
				}
				if got := cs[0].Turns(); len(got) != 1 || got[0].User != "hi" || got[0].Expect.Calls[0].Tool != "list_tasks" {
					t.Errorf("Turns() = %+v", got)
				}
				if cs[1].Turns()[0].Expect.Kind() != KindClarify {
					t.Errorf("kind = %s, want clarify", cs[1].Turns()[0].Expect.Kind())
				}
				if cs[0].Now.Format("2006-01-02 15:04 -07:00") != "2026-11-23 09:30 +08:00" {
					t.Errorf("now = %v", cs[0].Now)
				}
			},
		},
		{
			name:  "multi turn, no trailing newline",
			in:    `{"id":"m","lang":"yue","actor":"e-1","now":"2026-11-23T09:30:00+08:00","turns":[{"user":"a","expect":{"clarify":["start"]}},{"user":"b","expect":{"denied":true}}]}`,
			wantN: 1,
			check: func(t *testing.T, cs []Case) {
				turns := cs[0].Turns()
				if len(turns) != 2 || turns[1].User != "b" || turns[1].Expect.Kind() != KindDenied {
					t.Errorf("Turns() = %+v", turns)
				}
			},
		},
		{
			name:  "explicit empty calls and answer",
			in:    `{"id":"e","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{"calls":[],"answer_contains":["8"]}}`,
			wantN: 1,
			check: func(t *testing.T, cs []Case) {
				e := cs[0].Expect
				if !e.HasCalls || len(e.Calls) != 0 || e.Kind() != KindAnswer {
					t.Errorf("expect = %+v", e)
				}
			},
		},
		{
			name:  "numbers stay exact",
			in:    `{"id":"n","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{"calls":[{"tool":"find_free_slots","args":{"duration_minutes":90}}]}}`,
			wantN: 1,
			check: func(t *testing.T, cs []Case) {
				if v := cs[0].Expect.Calls[0].Args["duration_minutes"]; v == nil || !numEqual(v, "90") {
					t.Errorf("duration_minutes = %#v", v)
				}
			},
		},
		{name: "bad json", in: "{\"id\":\"a\",\n", wantErr: "line 1"},
		{name: "missing expect", in: `{"id":"a","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x"}`, wantErr: "missing expect"},
		{name: "both shapes", in: `{"id":"a","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{"denied":true},"turns":[{"user":"y","expect":{"denied":true}}]}`, wantErr: "both"},
		{name: "neither shape", in: `{"id":"a","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00"}`, wantErr: "needs utterance"},
		{name: "empty expect", in: `{"id":"a","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{}}`, wantErr: "needs one of"},
		{name: "turn without expect", in: `{"id":"a","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","turns":[{"user":"y"}]}`, wantErr: "turn 1: missing expect"},
		{name: "bad now", in: `{"id":"a","lang":"en","actor":"e-1","now":"tomorrow","utterance":"x","expect":{"denied":true}}`, wantErr: "case a"},
		{name: "denied false", in: `{"id":"a","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{"denied":false}}`, wantErr: "only true"},
		{
			name: "duplicate id names both lines",
			in: `{"id":"a","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{"denied":true}}
{"id":"a","lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{"denied":true}}`,
			wantErr: "line 2: duplicate case id \"a\" (first on line 1)",
		},
		{name: "missing id", in: `{"lang":"en","actor":"e-1","now":"2026-11-23T09:30:00+08:00","utterance":"x","expect":{"denied":true}}`, wantErr: "line 1: missing id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := Load(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if len(cs) != tt.wantN {
				t.Fatalf("got %d cases, want %d", len(cs), tt.wantN)
			}
			if tt.check != nil {
				tt.check(t, cs)
			}
		})
	}
}

func TestLoadFileMissing(t *testing.T) {
	if _, err := LoadFile("testdata/does-not-exist.jsonl"); err == nil || !strings.Contains(err.Error(), "open agent cases") {
		t.Fatalf("err = %v", err)
	}
}
