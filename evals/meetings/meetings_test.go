package meetings

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const org = `tenant: {name: Test Co, timezone: Asia/Hong_Kong, locale: zh-HK, currency: HKD}
employees:
  - {id: a, name: 陳嘉慧, name_en: Karen Chan, aliases: [Karen]}
  - {id: b, name: 區寶儀, name_en: Bonnie Au, aliases: [Bonnie]}
  - {id: c, name: Priya Sharma, name_en: Priya Sharma, aliases: [Priya]}
`

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestRunScores(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "org.yaml", org)
	// 2026-11-20 is a Friday. The summariser finds three items here: Bonnie's
	// (right owner, right due), Priya's (right owner, due given but the gold
	// says none), and Karen's, which the gold gives to Bonnie.
	write(t, dir, "m1.txt", "Karen Chan: Bonnie will send the revised quote by Monday.\n"+
		"Priya Sharma: I'll update the CRM contacts tomorrow.\n"+
		"Karen Chan: I'll book the training room.\n")
	write(t, dir, "m2.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Karen Chan>Priya, please chase the Kerry invoice.\n")
	write(t, dir, "cases.jsonl", strings.Join([]string{
		`{"id":"m1","lang":"en","fixture":"org.yaml","transcript":"m1.txt","date":"2026-11-20","extra":1,"action_items":[` +
			`{"owner":"b","task":"send the revised quote","due":"2026-11-23"},` +
			`{"owner":"c","task":"update CRM contacts"},` +
			`{"owner":"b","task":"book the training room"},` +
			`{"owner":"a","task":"prepare the Q4 budget"}]}`,
		``,
		`{"id":"m2","lang":"yue","fixture":"org.yaml","transcript":"m2.vtt","date":"2026-11-20","action_items":[{"owner":"c","task":"chase the Kerry invoice"}]}`,
	}, "\n"))
	var seen []int
	rep, err := Run(context.Background(), dir, func(done, total int) { seen = append(seen, done*10+total) })
	if err != nil {
		t.Fatal(err)
	}
	// Produced 4, gold 5, matched 3 (Bonnie's quote, Priya's CRM, Priya's invoice).
	if rep.Total != 2 || rep.Produced != 4 || rep.Gold != 5 || rep.Matched != 3 {
		t.Fatalf("report %+v", rep)
	}
	if !near(rep.Precision, 0.75) || !near(rep.Recall, 0.6) || !near(rep.F1, 2*0.75*0.6/1.35) {
		t.Errorf("p %.3f r %.3f f1 %.3f", rep.Precision, rep.Recall, rep.F1)
	}
	// By text alone four pairs match; Karen's training room has the wrong owner.
	if !near(rep.OwnerAccuracy, 0.75) {
		t.Errorf("owner accuracy %.3f, want 0.75", rep.OwnerAccuracy)
	}
	// Of the three matches, Priya's CRM item has a due the gold does not.
	if !near(rep.DueAccuracy, 2.0/3) {
		t.Errorf("due accuracy %.3f, want 0.667", rep.DueAccuracy)
	}
	if !near(rep.ByLang["yue"], 1) || rep.ByLang["en"] >= 1 {
		t.Errorf("by lang %v", rep.ByLang)
	}
	m1 := rep.Cases[0]
	if len(m1.Missed) != 2 || len(m1.Extra) != 1 || m1.Extra[0].Owner != "a" || len(m1.WrongDue) != 1 {
		t.Errorf("m1 = %+v", m1)
	}
	if len(seen) != 2 || seen[1] != 22 {
		t.Errorf("progress calls %v", seen)
	}
	var b strings.Builder
	if err := rep.Table(&b, true); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"f1", "owner accuracy", "missed a \"prepare the Q4 budget\"", "extra  a"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, b.String())
		}
	}
}

func TestRunBadInput(t *testing.T) {
	for name, tc := range map[string]struct {
		cases, want string
	}{
		"not JSON":          {`{"id": "m1",`, "line 1"},
		"no fixture":        {`{"id":"m1","transcript":"m1.txt","date":"2026-11-20"}`, "fixture and transcript are required"},
		"bad date":          {`{"id":"m1","fixture":"org.yaml","transcript":"m1.txt","date":"Nov 20"}`, `date "Nov 20"`},
		"missing fixture":   {`{"id":"m1","fixture":"nope.yaml","transcript":"m1.txt","date":"2026-11-20"}`, "nope.yaml"},
		"no cases":          {"\n\n", "has no cases"},
		"missing directory": {"", "cases.jsonl"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if name == "missing directory" {
				dir = filepath.Join(dir, "absent")
			} else {
				write(t, dir, "org.yaml", org)
				write(t, dir, "cases.jsonl", tc.cases)
			}
			_, err := Run(context.Background(), dir, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	// A transcript that cannot be read fails its case, not the run.
	dir := t.TempDir()
	write(t, dir, "org.yaml", org)
	write(t, dir, "m1.txt", "no speakers here")
	write(t, dir, "cases.jsonl", `{"id":"m1","fixture":"org.yaml","transcript":"m1.txt","date":"2026-11-20","action_items":[{"owner":"a","task":"x"}]}`)
	rep, err := Run(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Errors != 1 || !strings.Contains(rep.Cases[0].Error, "speaker") || rep.Recall != 0 {
		t.Fatalf("report %+v", rep)
	}
}
