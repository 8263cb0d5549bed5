package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/seed"
)

func ptr[T any](v T) *T { return &v }

// inboxKinds returns the kinds of emp's notifications about subject.
func inboxKinds(t *testing.T, e *env, emp, subject string) []string {
	t.Helper()
	ns, err := e.st.Inbox(context.Background(), e.as(emp), false, 0, 200)
	if err != nil {
		t.Fatalf("inbox %s: %v", emp, err)
	}
	var kinds []string
	for _, n := range ns {
		if n.Subject == subject {
			kinds = append(kinds, n.Kind)
		}
	}
	return kinds
}

func wantInbox(t *testing.T, e *env, emp, subject, kind string, want bool) {
	t.Helper()
	if got := slices.Contains(inboxKinds(t, e, emp, subject), kind); got != want {
		t.Fatalf("%s inbox has %s about %s = %v, want %v", emp, kind, subject, got, want)
	}
}

func auditActions(t *testing.T, e *env, subject string) []string {
	t.Helper()
	entries, err := e.st.ListAudit(context.Background(), e.as("e-114"), subject, 100)
	if err != nil {
		t.Fatalf("audit: %v", err)
	}
	var out []string
	for _, a := range entries {
		out = append(out, a.Action)
	}
	return out
}

func ids(ts []domain.Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func TestTaskLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)

	// A peer assigns a task to e-103; the assignee is told.
	tk, err := e.st.CreateTask(ctx, e.as("e-104"), domain.TaskInput{Title: " 盤點貨倉 ", Assignee: "e-103", Due: "2026-11-25", Priority: "high"})
	if err != nil {
		t.Fatal(err)
	}
	if tk.Title != "盤點貨倉" || tk.Assignee != "e-103" || tk.Creator != "e-104" || tk.Status != "todo" || tk.Priority != "high" {
		t.Fatalf("created %+v", tk)
	}
	wantInbox(t, e, "e-103", tk.ID, "task.assigned", true)

	// The assignee defaults to the actor, who is not notified of their own task.
	own, err := e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "Call landlord", Due: "2026-11-24T15:00:00+08:00"})
	if err != nil || own.Assignee != "e-103" || own.Priority != "normal" {
		t.Fatalf("own task: %+v %v", own, err)
	}
	wantInbox(t, e, "e-103", own.ID, "task.assigned", false)

	// Subtasks.
	sub, err := e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "Count aisle 3", Parent: tk.ID})
	if err != nil || sub.Parent != tk.ID {
		t.Fatalf("subtask: %+v %v", sub, err)
	}
	subs, err := e.st.ListTasks(ctx, e.as("e-103"), postgres.TaskFilter{Parent: tk.ID})
	if err != nil || !slices.Equal(ids(subs), []string{sub.ID}) {
		t.Fatalf("subtasks: %v %v", ids(subs), err)
	}

	// Readers: assignee, creator, the assignee's managers; nobody else.
	for _, c := range []struct {
		who string
		ok  bool
	}{{"e-103", true}, {"e-104", true}, {"e-102", true}, {"e-101", true}, {"e-105", false}, {"e-107", false}} {
		_, err := e.st.GetTask(ctx, e.as(c.who), tk.ID)
		if c.ok && err != nil {
			t.Fatalf("%s read: %v", c.who, err)
		}
		if !c.ok {
			wantCode(t, err, domain.ENotFound)
		}
	}

	// The assignee changes the status: the creator made it, the assignee is not told of their own change.
	got, err := e.st.UpdateTask(ctx, e.as("e-103"), tk.ID, domain.TaskPatch{Status: ptr("in_progress")})
	if err != nil || got.Status != "in_progress" {
		t.Fatalf("status: %+v %v", got, err)
	}
	wantInbox(t, e, "e-103", tk.ID, "task.updated", false)
	// The manager raises the priority: the assignee is told.
	got, err = e.st.UpdateTask(ctx, e.as("e-102"), tk.ID, domain.TaskPatch{Priority: ptr("urgent"), Due: ptr("2026-11-24")})
	if err != nil || got.Priority != "urgent" || got.Due != "2026-11-24" {
		t.Fatalf("manager update: %+v %v", got, err)
	}
	wantInbox(t, e, "e-103", tk.ID, "task.updated", true)
	// A peer who neither made nor holds it cannot touch it.
	_, err = e.st.UpdateTask(ctx, e.as("e-105"), tk.ID, domain.TaskPatch{Status: ptr("done")})
	wantCode(t, err, domain.ENotFound)

	// Reassignment by the creator: both assignees hear of it; the old
	// assignee's manager no longer sees it.
	got, err = e.st.UpdateTask(ctx, e.as("e-104"), tk.ID, domain.TaskPatch{Assignee: ptr("e-107")})
	if err != nil || got.Assignee != "e-107" {
		t.Fatalf("reassign: %+v %v", got, err)
	}
	wantInbox(t, e, "e-107", tk.ID, "task.assigned", true)
	wantInbox(t, e, "e-103", tk.ID, "task.reassigned", true)
	_, err = e.st.GetTask(ctx, e.as("e-102"), tk.ID)
	wantCode(t, err, domain.ENotFound)
	if _, err := e.st.GetTask(ctx, e.as("e-105"), tk.ID); err != nil {
		t.Fatalf("new assignee's manager: %v", err)
	}

	// Comments: readers comment; mentions and the assignee are notified.
	c, err := e.st.AddTaskComment(ctx, e.as("e-104"), tk.ID, "@e-105 請跟進, @nobody 不是同事")
	if err != nil || c.Author != "e-104" {
		t.Fatalf("comment: %+v %v", c, err)
	}
	wantInbox(t, e, "e-105", tk.ID, "task.mention", true)
	wantInbox(t, e, "e-107", tk.ID, "task.comment", true)
	wantInbox(t, e, "e-104", tk.ID, "task.comment", false)
	_, err = e.st.AddTaskComment(ctx, e.as("e-103"), tk.ID, "no longer mine")
	wantCode(t, err, domain.ENotFound)
	cs, err := e.st.ListTaskComments(ctx, e.as("e-107"), tk.ID)
	if err != nil || len(cs) != 1 || cs[0].Body != c.Body {
		t.Fatalf("comments: %+v %v", cs, err)
	}
	_, err = e.st.ListTaskComments(ctx, e.as("e-106"), tk.ID)
	wantCode(t, err, domain.ENotFound)

	// A no-op patch writes nothing; every change is audited.
	if _, err := e.st.UpdateTask(ctx, e.as("e-107"), tk.ID, domain.TaskPatch{Assignee: ptr("e-107")}); err != nil {
		t.Fatal(err)
	}
	acts := auditActions(t, e, "task:"+tk.ID)
	want := map[string]int{"task.create": 1, "task.update": 3, "task.comment": 1}
	for a, n := range want {
		k := 0
		for _, x := range acts {
			if x == a {
				k++
			}
		}
		if k != n {
			t.Fatalf("audit %s: %d entries, want %d (%v)", a, k, n, acts)
		}
	}
}

func TestTaskLists(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// Seeded: t-101 (e-103, by e-102, due 27 Nov, in progress), t-102 (e-108,
	// by e-105), t-103 (e-116, by e-115, due 20 Nov: overdue).
	var mine []string
	dec1 := ""
	for _, due := range []string{"2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05"} {
		tk, err := e.st.CreateTask(ctx, e.as("e-104"), domain.TaskInput{Title: "item", Due: due})
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, tk.ID)
		if dec1 == "" {
			dec1 = tk.ID
		}
	}
	done, err := e.st.CreateTask(ctx, e.as("e-115"), domain.TaskInput{Title: "old but done", Assignee: "e-117", Due: "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.UpdateTask(ctx, e.as("e-117"), done.ID, domain.TaskPatch{Status: ptr("done")}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(mine)

	cases := []struct {
		name  string
		actor string
		f     postgres.TaskFilter
		want  []string
	}{
		{"manager and creator sees t-101 only", "e-102", postgres.TaskFilter{Assignee: "e-103"}, []string{"t-101"}},
		{"own tasks", "e-104", postgres.TaskFilter{}, mine},
		{"status filter", "e-102", postgres.TaskFilter{Status: "in_progress"}, []string{"t-101"}},
		{"status filter empty", "e-102", postgres.TaskFilter{Status: "blocked"}, nil},
		{"due before a date excludes that day", "e-102", postgres.TaskFilter{DueBefore: "2026-11-27"}, nil},
		{"due before the next day", "e-102", postgres.TaskFilter{DueBefore: "2026-11-28"}, []string{"t-101"}},
		{"due before a date-time", "e-104", postgres.TaskFilter{DueBefore: "2026-12-02T12:00:00+08:00"}, []string{dec1}},
		{"overdue skips done", "e-115", postgres.TaskFilter{Overdue: true}, []string{"t-103"}},
		{"nothing overdue", "e-102", postgres.TaskFilter{Overdue: true}, nil},
		{"CEO sees the Shenzhen overdue task", "e-101", postgres.TaskFilter{Overdue: true}, []string{"t-103"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := e.st.ListTasks(ctx, e.as(c.actor), c.f)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), c.want) {
				t.Fatalf("got %v, want %v", ids(got), c.want)
			}
		})
	}

	// A peer asking for another's tasks is told they may not see them,
	// rather than that there are none.
	if _, err := e.st.ListTasks(ctx, e.as("e-104"), postgres.TaskFilter{Assignee: "e-103"}); domain.ErrorCode(err) != domain.EForbidden {
		t.Fatalf("peer listing another's tasks: want forbidden, got %v", err)
	}

	// Cursor pagination by id returns every task once.
	var pages []string
	after := ""
	for range 10 {
		page, err := e.st.ListTasks(ctx, e.as("e-104"), postgres.TaskFilter{After: after, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		pages = append(pages, ids(page)...)
		after = page[len(page)-1].ID
	}
	if !slices.Equal(pages, mine) {
		t.Fatalf("pages %v, want %v", pages, mine)
	}

	overdue, err := e.st.OverdueTasks(ctx, e.as("e-116"), "")
	if err != nil || !slices.Equal(ids(overdue), []string{"t-103"}) {
		t.Fatalf("overdue for the assignee: %v %v", ids(overdue), err)
	}

	// Board: counts by status for what the actor may see, or for a department.
	board, err := e.st.TaskBoard(ctx, e.as("e-115"), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	var statuses []string
	for _, col := range board.Columns {
		counts[col.Status] = col.Count
		statuses = append(statuses, col.Status)
		if len(col.Items) != col.Count {
			t.Fatalf("column %s: %d items, count %d", col.Status, len(col.Items), col.Count)
		}
	}
	if !slices.Equal(statuses, domain.TaskStatuses) || counts["todo"] != 1 || counts["done"] != 1 || counts["in_progress"] != 0 {
		t.Fatalf("board %v %v", statuses, counts)
	}
	board, err = e.st.TaskBoard(ctx, e.as("e-101"), "ops", 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range board.Columns {
		switch col.Status {
		case "todo":
			if col.Count != 5 || len(col.Items) != 2 || col.Items[0].Due != "2026-12-01" {
				t.Fatalf("ops todo column: %d %v", col.Count, ids(col.Items))
			}
		case "in_progress":
			if col.Count != 1 || col.Items[0].ID != "t-101" {
				t.Fatalf("ops in progress column: %+v", col)
			}
		}
	}
}

func TestTaskBadInput(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	cases := []struct {
		name string
		run  func() error
		code domain.Code
	}{
		{"empty title", func() error {
			_, err := e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "  "})
			return err
		}, domain.EInvalid},
		{"bad priority", func() error {
			_, err := e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "x", Priority: "asap"})
			return err
		}, domain.EInvalid},
		{"malformed due", func() error {
			_, err := e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "x", Due: "next friday"})
			return err
		}, domain.EInvalid},
		{"unknown assignee", func() error {
			_, err := e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "x", Assignee: "e-999"})
			return err
		}, domain.EInvalid},
		{"unknown parent", func() error {
			_, err := e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "x", Parent: "t-nope"})
			return err
		}, domain.EInvalid},
		{"unreadable parent", func() error {
			_, err := e.st.CreateTask(ctx, e.as("e-104"), domain.TaskInput{Title: "x", Parent: "t-101"})
			return err
		}, domain.EInvalid},
		{"bad status", func() error {
			_, err := e.st.UpdateTask(ctx, e.as("e-103"), "t-101", domain.TaskPatch{Status: ptr("finished")})
			return err
		}, domain.EInvalid},
		{"reassign to unknown", func() error {
			_, err := e.st.UpdateTask(ctx, e.as("e-103"), "t-101", domain.TaskPatch{Assignee: ptr("e-999")})
			return err
		}, domain.EInvalid},
		{"unknown task", func() error {
			_, err := e.st.UpdateTask(ctx, e.as("e-103"), "t-nope", domain.TaskPatch{Status: ptr("done")})
			return err
		}, domain.ENotFound},
		{"bad due_before", func() error {
			_, err := e.st.ListTasks(ctx, e.as("e-103"), postgres.TaskFilter{DueBefore: "tomorrow"})
			return err
		}, domain.EInvalid},
		{"bad status filter", func() error {
			_, err := e.st.ListTasks(ctx, e.as("e-103"), postgres.TaskFilter{Status: "open"})
			return err
		}, domain.EInvalid},
		{"empty comment", func() error {
			_, err := e.st.AddTaskComment(ctx, e.as("e-103"), "t-101", " ")
			return err
		}, domain.EInvalid},
		{"import by an employee", func() error {
			_, err := e.st.ImportTask(ctx, e.as("e-101"), domain.Task{ID: "t-x", Title: "x", Assignee: "e-101"})
			return err
		}, domain.EForbidden},
		{"import over an existing id", func() error {
			_, err := e.st.ImportTask(ctx, domain.Actor{TenantID: e.tid, System: true, Via: domain.ViaSeed}, domain.Task{ID: "t-101", Title: "x", Assignee: "e-101"})
			return err
		}, domain.EConflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantCode(t, c.run(), c.code) })
	}
}

func TestSeededTasksAndTenantIsolation(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	got, err := e.st.GetTask(ctx, e.as("e-103"), "t-101")
	if err != nil || got.Creator != "e-102" || got.Status != "in_progress" || got.Priority != "high" || got.Due != "2026-11-27" {
		t.Fatalf("seeded t-101: %+v %v", got, err)
	}
	tk, err := e.st.CreateTask(ctx, e.as("e-103"), domain.TaskInput{Title: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := e.st.CreateEvent(ctx, e.as("e-103"), domain.EventInput{Title: "x", Start: "2026-11-24T09:00:00+08:00"})
	if err != nil {
		t.Fatal(err)
	}
	// A second company with the same employee ids.
	f, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	other, err := seed.Load(ctx, e.st, f, "other-company")
	if err != nil {
		t.Fatal(err)
	}
	stranger := domain.Actor{TenantID: other, EmployeeID: "e-103", Via: domain.ViaAPI}
	_, err = e.st.GetTask(ctx, stranger, tk.ID)
	wantCode(t, err, domain.ENotFound)
	_, err = e.st.UpdateTask(ctx, stranger, tk.ID, domain.TaskPatch{Status: ptr("done")})
	wantCode(t, err, domain.ENotFound)
	_, err = e.st.GetEvent(ctx, stranger, ev.ID)
	wantCode(t, err, domain.ENotFound)
	_, err = e.st.CancelEvent(ctx, stranger, ev.ID)
	wantCode(t, err, domain.ENotFound)
	list, err := e.st.ListTasks(ctx, stranger, postgres.TaskFilter{})
	if err != nil || slices.Contains(ids(list), tk.ID) {
		t.Fatalf("other tenant lists %v %v", ids(list), err)
	}
}
