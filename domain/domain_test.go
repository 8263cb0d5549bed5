package domain

import (
	"strings"
	"testing"
	"time"
)

func hk(t *testing.T) Settings {
	t.Helper()
	s := DefaultSettings()
	s.Holidays = []Holiday{{Date: "2026-12-25"}, {Date: "2026-12-26"}}
	return s
}

func TestLeaveDays(t *testing.T) {
	cal := hk(t).Calendar()
	d := func(s string) time.Time { x, _ := ParseDate(s, cal.Loc); return x }
	tests := []struct {
		start, end, sh, eh string
		want               float64
	}{
		{"2026-11-30", "2026-12-02", "am", "pm", 3},
		{"2026-11-27", "2026-11-30", "am", "pm", 2},   // Fri + Mon over a weekend
		{"2026-11-24", "2026-11-24", "pm", "pm", 0.5}, // an afternoon
		{"2026-11-24", "2026-11-24", "am", "am", 0.5}, // a morning
		{"2026-11-24", "2026-11-25", "pm", "am", 1},   // half + half
		{"2026-12-24", "2026-12-28", "am", "pm", 2},   // 25 and 26 holidays, 27 Sunday
		{"2026-11-28", "2026-11-29", "am", "pm", 0},   // weekend
	}
	for _, tt := range tests {
		if got := cal.LeaveDays(d(tt.start), d(tt.end), tt.sh, tt.eh); got != tt.want {
			t.Errorf("%s %s..%s %s: got %v, want %v", tt.start, tt.sh, tt.end, tt.eh, got, tt.want)
		}
	}
}

func TestAddWorkingHours(t *testing.T) {
	cal := hk(t).Calendar()
	at := func(s string) time.Time { x, _ := time.ParseInLocation("2006-01-02 15:04", s, cal.Loc); return x }
	tests := []struct {
		from  string
		hours float64
		want  string
	}{
		{"2026-11-23 09:30", 16, "2026-11-24 16:30"},
		{"2026-11-27 17:00", 2, "2026-11-30 10:00"}, // Friday evening rolls to Monday
		{"2026-11-28 12:00", 1, "2026-11-30 10:00"}, // Saturday starts Monday
		{"2026-12-24 17:00", 2, "2026-12-28 10:00"}, // over Christmas
		{"2026-11-23 07:00", 4, "2026-11-23 13:00"}, // before office hours
	}
	for _, tt := range tests {
		if got := cal.AddWorkingHours(at(tt.from), tt.hours).Format("2006-01-02 15:04"); got != tt.want {
			t.Errorf("%s + %vh = %s, want %s", tt.from, tt.hours, got, tt.want)
		}
	}
}

func TestSelectRule(t *testing.T) {
	rules := DefaultRules()
	tests := []struct {
		kind  string
		in    RouteInput
		steps int
	}{
		{KindLeave, RouteInput{Days: 3}, 1},
		{KindLeave, RouteInput{Days: 3.5}, 2},
		{KindExpense, RouteInput{Total: 5000}, 1},
		{KindExpense, RouteInput{Total: 5000.01}, 2},
		{KindExpense, RouteInput{Total: 800, AnomalyScore: 0.9}, 2},
		{KindExpense, RouteInput{Total: 10001}, 3},
	}
	for _, tt := range tests {
		r, err := SelectRule(rules, tt.kind, tt.in)
		if err != nil || len(r.Steps) != tt.steps {
			t.Errorf("%s %+v: %d steps (%v), want %d", tt.kind, tt.in, len(r.Steps), err, tt.steps)
		}
	}
	bad := Rule{Kind: KindLeave, Condition: "days >", Steps: []StepSpec{{Approver: "manager"}}}
	if err := ValidateRule(bad); err == nil || !strings.Contains(err.Error(), "condition") {
		t.Fatalf("bad condition accepted: %v", err)
	}
	if err := ValidateRule(Rule{Kind: KindLeave, Condition: "true", Steps: []StepSpec{{Approver: "boss"}}}); err == nil {
		t.Fatal("unknown approver accepted")
	}
}

func TestNormalizeClaim(t *testing.T) {
	s := DefaultSettings()
	today := time.Date(2026, 11, 23, 10, 0, 0, 0, s.Location())
	in := ClaimInput{Items: []ExpenseItem{
		{Date: "2026-11-20", Category: "transport", Amount: "186"},
		{Date: "2026-11-21", Category: "travel", Amount: "100.50", Currency: "usd"},
	}}
	total, err := NormalizeClaim(&in, s, today)
	if err != nil {
		t.Fatal(err)
	}
	if total.StringFixed(2) != "969.90" || in.Items[0].Currency != "HKD" || in.Items[1].BaseAmount != "783.90" {
		t.Fatalf("total %s items %+v", total, in.Items)
	}
	tests := []struct {
		item ExpenseItem
		want string
	}{
		{ExpenseItem{Date: "2026-11-20", Category: "meals", Amount: "0"}, "more than zero"},
		{ExpenseItem{Date: "2026-11-20", Category: "meals", Amount: "1.234"}, "decimal places"},
		{ExpenseItem{Date: "2026-11-20", Category: "meals", Amount: "abc"}, "decimal number"},
		{ExpenseItem{Date: "2026-12-20", Category: "meals", Amount: "10"}, "future"},
		{ExpenseItem{Date: "2026-11-20", Category: "food", Amount: "10"}, "category"},
		{ExpenseItem{Date: "2026-11-20", Category: "meals", Amount: "10", Currency: "XYZ"}, "currency"},
		{ExpenseItem{Date: "2026-11-20", Category: "meals", Amount: "99999999"}, "implausibly"},
	}
	for _, tt := range tests {
		in := ClaimInput{Items: []ExpenseItem{tt.item}}
		_, err := NormalizeClaim(&in, s, today)
		if err == nil || !strings.Contains(strings.Join(fieldMessages(err), ";"), tt.want) {
			t.Errorf("%+v: got %v, want %q", tt.item, err, tt.want)
		}
	}
}

func fieldMessages(err error) []string {
	e, ok := err.(*Error)
	if !ok {
		return []string{err.Error()}
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+" "+f.Message)
	}
	return out
}

func TestLeaveOverlaps(t *testing.T) {
	mk := func(s, sh, e, eh string) LeaveRequest {
		return LeaveRequest{Start: s, StartHalf: sh, End: e, EndHalf: eh}
	}
	if LeaveOverlaps(mk("2026-11-24", "am", "2026-11-24", "am"), mk("2026-11-24", "pm", "2026-11-24", "pm")) {
		t.Fatal("morning and afternoon of one day do not overlap")
	}
	if !LeaveOverlaps(mk("2026-11-24", "am", "2026-11-25", "pm"), mk("2026-11-25", "am", "2026-11-25", "am")) {
		t.Fatal("overlap missed")
	}
}
