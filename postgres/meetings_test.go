package postgres_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/tools"
)

const opsMeetingVTT = `WEBVTT

00:00:01.000 --> 00:00:05.000
<v 陳嘉慧>今日傾冷氣維修同埋盤點。

00:00:05.500 --> 00:00:09.000
<v 區寶儀>我會喺星期五前同維修公司確認日期。

00:00:09.500 --> 00:00:14.000
<v 陳嘉慧>志明，你下星期三前出盤點差異報告。決定盤點改喺月尾做。
`

func ids2(ms []domain.Meeting) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func TestMeetingRecordAndVisibility(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	svc := meeting.NewService(e.st, nil)
	// Karen records a meeting naming Ming; Bonnie joins as a speaker.
	m, err := svc.Record(ctx, e.as("e-102"), meeting.Record{Title: "營運例會", Date: "2026-11-20", Participants: []string{"e-103"}, Transcript: opsMeetingVTT})
	if err != nil {
		t.Fatal(err)
	}
	if m.Organizer != "e-102" || m.Format != "vtt" || !slices.Contains(m.Participants, "e-104") || !slices.Contains(m.Participants, "e-103") {
		t.Fatalf("meeting = %+v", m)
	}
	if !strings.HasPrefix(m.Transcript, "陳嘉慧: 今日傾冷氣維修同埋盤點。\n") {
		t.Errorf("stored transcript is not normalised: %q", m.Transcript)
	}
	got, err := e.st.Meeting(ctx, e.as("e-104"), m.ID)
	if err != nil {
		t.Fatalf("participant reads: %v", err)
	}
	if got.Summary == nil || len(got.Summary.ActionItems) != 2 || len(got.Summary.Decisions) != 1 {
		t.Fatalf("summary = %+v", got.Summary)
	}
	want := []domain.ActionItem{{Owner: "e-104", Due: "2026-11-27"}, {Owner: "e-103", Due: "2026-11-25"}}
	for i, w := range want {
		a := got.Summary.ActionItems[i]
		if a.Owner != w.Owner || a.Due != w.Due || a.Line == 0 {
			t.Errorf("action item %d = %+v, want owner %s due %s", i, a, w.Owner, w.Due)
		}
	}
	items, err := e.st.ActionItems(ctx, e.as("e-103"), m.ID)
	if err != nil || len(items) != 2 {
		t.Fatalf("action items = %v, %v", items, err)
	}
	// Organizer, participants, administrators and auditors read it; a
	// colleague who was not there does not, and neither does a manager of
	// the participants who is not one.
	for _, who := range []string{"e-102", "e-103", "e-101", "e-114"} {
		if _, err := e.st.Meeting(ctx, e.as(who), m.ID); err != nil {
			t.Errorf("%s cannot read: %v", who, err)
		}
	}
	for _, who := range []string{"e-105", "e-110"} {
		_, err := e.st.Meeting(ctx, e.as(who), m.ID)
		wantCode(t, err, domain.ENotFound)
	}
	other, err := svc.Record(ctx, e.as("e-106"), meeting.Record{Title: "Sales sync", Date: "2026-11-23", Participants: []string{"e-107"},
		Transcript: "Wing Sze Wong: Lok, please send the Swire quote by Friday.\nLok Wong: Sure."})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.st.Meeting(ctx, e.as("e-105"), other.ID) // Victor manages both, took no part
	wantCode(t, err, domain.ENotFound)
	// Lists are filtered the same way, most recent first.
	list := func(who string, f domain.MeetingFilter) []string {
		t.Helper()
		ms, err := e.st.ListMeetings(ctx, e.as(who), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ms {
			if x.Transcript != "" || x.Summary != nil {
				t.Errorf("a list carries transcripts: %+v", x)
			}
		}
		return ids2(ms)
	}
	if got := list("e-107", domain.MeetingFilter{}); !slices.Equal(got, []string{other.ID}) {
		t.Errorf("e-107 sees %v", got)
	}
	if got := list("e-104", domain.MeetingFilter{}); !slices.Equal(got, []string{m.ID, "m-101"}) {
		t.Errorf("e-104 sees %v, want her meeting and the demo's m-101", got)
	}
	if got := list("e-101", domain.MeetingFilter{From: "2026-11-21"}); !slices.Equal(got, []string{other.ID}) {
		t.Errorf("admin from 11-21 sees %v", got)
	}
	if got := list("e-101", domain.MeetingFilter{Participant: "e-103", Limit: 1}); !slices.Equal(got, []string{m.ID}) {
		t.Errorf("admin, Ming's meetings, page 1: %v", got)
	}
	if got := list("e-101", domain.MeetingFilter{Participant: "e-103", After: m.ID}); !slices.Equal(got, []string{"m-101"}) {
		t.Errorf("admin, Ming's meetings, page 2: %v", got)
	}
	if got := list("e-105", domain.MeetingFilter{}); len(got) != 0 {
		t.Errorf("e-105 sees %v", got)
	}
	if acts := auditActions(t, e, "meeting:"+m.ID); !slices.Equal(acts, []string{"meeting.create"}) {
		t.Errorf("audit = %v", acts)
	}
}

func TestMeetingBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	svc := meeting.NewService(e.st, nil)
	ok := meeting.Record{Title: "t", Date: "2026-11-20", Transcript: "陳嘉慧: 我會聽日覆客。"}
	tests := []struct {
		name  string
		edit  func(r *meeting.Record)
		field string
	}{
		{"a transcript that is not speaker lines", func(r *meeting.Record) { r.Transcript = "just some notes" }, "transcript"},
		{"a broken caption file", func(r *meeting.Record) { r.Transcript = "WEBVTT\n\nnot a cue\nKaren: hi" }, "transcript"},
		{"an unknown format", func(r *meeting.Record) { r.Format = "docx" }, "format"},
		{"no title", func(r *meeting.Record) { r.Title = " " }, "title"},
		{"a bad date", func(r *meeting.Record) { r.Date = "20/11/2026" }, "date"},
		{"an unknown participant", func(r *meeting.Record) { r.Participants = []string{"e-999"} }, "participants[0]"},
		{"an id chosen by an employee", func(r *meeting.Record) { r.ID = "m-mine" }, "id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.edit(&r)
			_, err := svc.Record(ctx, e.as("e-102"), r)
			wantCode(t, err, domain.EInvalid)
			var de *domain.Error
			if !errors.As(err, &de) || !slices.ContainsFunc(de.Fields, func(f domain.FieldError) bool { return f.Field == tt.field }) {
				t.Errorf("error %v does not name %s", err, tt.field)
			}
		})
	}
	ms, err := e.st.ListMeetings(ctx, e.as("e-101"), domain.MeetingFilter{})
	if err != nil || !slices.Equal(ids2(ms), []string{"m-101"}) {
		t.Fatalf("after bad input the meetings are %v, %v", ids2(ms), err)
	}
	// An employee cannot record a meeting in someone else's name.
	_, err = e.st.CreateMeeting(ctx, e.as("e-103"), domain.MeetingInput{Title: "t", Date: "2026-11-20", Transcript: "A: b", Organizer: "e-101"})
	wantCode(t, err, domain.EInvalid)
	// A summary naming someone who is not an employee is refused.
	_, err = e.st.CreateMeeting(ctx, e.as("e-103"), domain.MeetingInput{Title: "t", Date: "2026-11-20", Transcript: "A: b",
		Summary: &domain.MeetingSummary{ActionItems: []domain.ActionItem{{Owner: "x-1", Task: "t"}}}})
	wantCode(t, err, domain.EInvalid)
}

func TestMeetingResummarizeAndTasks(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	svc := meeting.NewService(e.st, nil)
	// The demo's m-101 was recorded at seeding, summarised like any other.
	seeded, err := e.st.ActionItems(ctx, e.as("e-102"), "m-101")
	if err != nil || len(seeded) != 2 || seeded[0].Owner != "e-103" || seeded[0].Due != "2026-11-25" || seeded[1].Owner != "e-104" {
		t.Fatalf("m-101 action items = %+v, %v", seeded, err)
	}
	// Its organizer is its first participant (e-102); a participant who
	// did not organise it may not summarise it again; an administrator may.
	_, err = svc.Resummarize(ctx, e.as("e-103"), "m-101")
	wantCode(t, err, domain.EForbidden)
	if _, err := svc.Resummarize(ctx, e.as("e-102"), "m-101"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Resummarize(ctx, e.as("e-101"), "m-101"); err != nil {
		t.Fatal(err)
	}
	// Newest first.
	if acts := auditActions(t, e, "meeting:m-101"); !slices.Equal(acts, []string{"meeting.summarize", "meeting.summarize", "meeting.create"}) {
		t.Errorf("audit = %v", acts)
	}
	// create_tasks_from_meeting lists every task in its proposal and
	// creates exactly those, linked to the meeting.
	cat := tools.NewCatalog()
	tool, _ := cat.Tool(tools.CreateTasksFromMeeting)
	tn, err := e.st.Settings(ctx, e.as("e-102"))
	if err != nil {
		t.Fatal(err)
	}
	emps, depts, res, err := e.st.Directory(ctx, e.as("e-102"))
	if err != nil {
		t.Fatal(err)
	}
	env := tools.NewEnv(e.now, tn.Settings, "e-102", emps, depts, res)
	args, err := tool.Decode(env, map[string]any{"meeting_id": "m-101"})
	if err != nil {
		t.Fatal(err)
	}
	if err := tool.Prepare(ctx, e.st, e.as("e-102"), env, args); err != nil {
		t.Fatal(err)
	}
	preview := tool.Preview(env, "zh-Hant", args)
	for _, s := range []string{"陳志明", "區寶儀", "2026-11-25", "2026-11-27", "租約"} {
		if !strings.Contains(preview, s) {
			t.Errorf("preview lacks %q:\n%s", s, preview)
		}
	}
	canon, err := tools.Canonical(args)
	if err != nil || !strings.Contains(string(canon), `"tasks"`) {
		t.Fatalf("the digest does not bind the tasks: %s %v", canon, err)
	}
	// A colleague who was not in the meeting cannot list its tasks.
	out, err := tool.Decode(env, map[string]any{"meeting_id": "m-101"})
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, tool.Prepare(ctx, e.st, e.as("e-110"), env, out), domain.ENotFound)
	r, err := tool.Execute(ctx, e.st, e.as("e-102"), env, "en", args)
	if err != nil {
		t.Fatal(err)
	}
	made := r.Data.([]domain.Task)
	if len(made) != 2 || made[0].MeetingID != "m-101" || made[0].Assignee != "e-103" || made[0].Due != "2026-11-25" || made[1].Assignee != "e-104" {
		t.Fatalf("tasks = %+v", made)
	}
	// A task links only to a meeting its creator may read.
	_, err = e.st.CreateTask(ctx, e.as("e-110"), domain.TaskInput{Title: "x", MeetingID: "m-101"})
	wantCode(t, err, domain.EInvalid)
	_, err = e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "x", MeetingID: "m-nope"})
	wantCode(t, err, domain.EInvalid)
}
