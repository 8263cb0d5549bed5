package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/evals/meetings"
)

// TestMeetingsSummarize summarises a dev-set transcript offline with the
// demo company's directory, as text and as JSON, flags after the file.
func TestMeetingsSummarize(t *testing.T) {
	file := "../../evals/testdata/meetings/m01.txt"
	var out bytes.Buffer
	if err := run(context.Background(), []string{"meetings", "summarize", file, "--date", "2026-11-23"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Action items", "陳志明 Ming Chan (e-103)", "due 2026-11-26", "Decisions", "當值"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, out.String())
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"meetings", "summarize", "--json", "--date", "2026-11-23", file}, &out, &out); err != nil {
		t.Fatal(err)
	}
	var s domain.MeetingSummary
	if err := json.Unmarshal(out.Bytes(), &s); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if len(s.ActionItems) == 0 || s.ActionItems[0].Owner != "e-103" || s.Lang != "yue" {
		t.Errorf("summary %+v", s)
	}
	bad := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(bad, []byte("no speakers at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(context.Background(), []string{"meetings", "summarize", bad}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), `notes.txt: no "speaker: text" lines`) {
		t.Errorf("bad transcript: err = %v", err)
	}
	if err := run(context.Background(), []string{"meetings", "summarize"}, &out, &out); err == nil {
		t.Error("no file: want an error")
	}
}

// TestEvalMeetings runs the suite on the dev set with a JSON report and a
// floor it cannot meet, which must fail the command after the report.
func TestEvalMeetings(t *testing.T) {
	report := filepath.Join(t.TempDir(), "r.json")
	var out bytes.Buffer
	err := run(context.Background(), []string{"eval", "meetings", "--dir", "../../evals/testdata/meetings", "--json", report, "--min-f1", "1.01"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "f1") {
		t.Fatalf("err = %v", err)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"precision", "recall", "f1", "owner_accuracy", "due_accuracy"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("report lacks %s", k)
		}
	}
	var rep meetings.Report
	if err := json.Unmarshal(b, &rep); err != nil || rep.Total < 20 || rep.Gold == 0 {
		t.Fatalf("report %+v, %v", rep.Total, err)
	}
}
