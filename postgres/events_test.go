package postgres_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/banlihq/banli/domain"
)

func hk(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// approvedLeave files and approves a one-day annual leave for e-103 (manager
// e-102), which puts an out-of-office event on the calendar.
func approvedLeave(t *testing.T, e *env, day string) {
	t.Helper()
	ctx := context.Background()
	lr, err := e.st.RequestLeave(ctx, e.as("e-103"), domain.LeaveInput{LeaveType: "annual", Start: day, End: day})
	if err != nil {
		t.Fatal(err)
	}
	if a, err := e.st.Decide(ctx, e.as("e-102"), lr.ID, "approve", ""); err != nil || a.Status != "approved" {
		t.Fatalf("approve leave: %+v %v", a, err)
	}
}

func TestEventLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	ev, err := e.st.CreateEvent(ctx, e.as("e-103"), domain.EventInput{Title: "貨倉會議", Start: "2026-11-24T14:00:00+08:00", End: "2026-11-24T15:00:00+08:00",
		Attendees: []string{"e-104", "e-103", "e-104"}, Resource: "room-pod"})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Organizer != "e-103" || !slices.Equal(ev.Attendees, []string{"e-104"}) || ev.Kind != "meeting" || ev.Status != "confirmed" || len(ev.Conflicts) != 0 {
		t.Fatalf("created %+v", ev)
	}
	wantInbox(t, e, "e-104", ev.ID, "event.invite", true)

	// Busy attendees are reported, not refused.
	clash, err := e.st.CreateEvent(ctx, e.as("e-102"), domain.EventInput{Title: "1:1", Start: "2026-11-24T14:30:00+08:00", Attendees: []string{"e-104"}})
	if err != nil || !slices.Equal(clash.Conflicts, []string{"e-104"}) || !clash.End.Equal(hk(t, "2026-11-24T15:30:00+08:00")) {
		t.Fatalf("attendee conflict: %+v %v", clash, err)
	}

	for _, c := range []struct {
		who string
		ok  bool
	}{{"e-103", true}, {"e-104", true}, {"e-102", true}, {"e-105", false}} {
		_, err := e.st.GetEvent(ctx, e.as(c.who), ev.ID)
		if c.ok && err != nil {
			t.Fatalf("%s read: %v", c.who, err)
		}
		if !c.ok {
			wantCode(t, err, domain.ENotFound)
		}
	}

	// Only the organizer reschedules and cancels; attendees and managers may not.
	_, err = e.st.RescheduleEvent(ctx, e.as("e-104"), ev.ID, "2026-11-24T16:00:00+08:00", "")
	wantCode(t, err, domain.EForbidden)
	_, err = e.st.CancelEvent(ctx, e.as("e-102"), ev.ID)
	wantCode(t, err, domain.EForbidden)
	moved, err := e.st.RescheduleEvent(ctx, e.as("e-103"), ev.ID, "2026-11-24T16:00:00+08:00", "")
	if err != nil || !moved.End.Equal(hk(t, "2026-11-24T17:00:00+08:00")) {
		t.Fatalf("reschedule keeps the duration: %+v %v", moved, err)
	}
	wantInbox(t, e, "e-104", ev.ID, "event.rescheduled", true)
	cancelled, err := e.st.CancelEvent(ctx, e.as("e-103"), ev.ID)
	if err != nil || cancelled.Status != "cancelled" {
		t.Fatalf("cancel: %+v %v", cancelled, err)
	}
	wantInbox(t, e, "e-104", ev.ID, "event.cancelled", true)
	if _, err := e.st.CancelEvent(ctx, e.as("e-103"), ev.ID); err != nil {
		t.Fatalf("second cancel: %v", err)
	}
	_, err = e.st.RescheduleEvent(ctx, e.as("e-103"), ev.ID, "2026-11-24T16:00:00+08:00", "")
	wantCode(t, err, domain.EConflict)
	// The room is free again.
	b, err := e.st.BookResource(ctx, e.as("e-106"), "room-pod", "2026-11-24T16:00:00+08:00", "2026-11-24T17:00:00+08:00", "")
	if err != nil || b.Kind != "booking" || !strings.Contains(b.Title, "小型會議室") || b.Organizer != "e-106" {
		t.Fatalf("book freed room: %+v %v", b, err)
	}
	if got := auditActions(t, e, "event:"+ev.ID); !slices.Equal(got, []string{"event.cancel", "event.reschedule", "event.create"}) {
		t.Fatalf("audit: %v", got)
	}
}

func TestDoubleBooking(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	weekly, err := e.st.CreateEvent(ctx, e.as("e-105"), domain.EventInput{Title: "Sales weekly", Start: "2026-11-30T10:00:00+08:00", End: "2026-11-30T11:00:00+08:00",
		Resource: "room-peak", Recurrence: "RRULE:FREQ=WEEKLY;BYDAY=MO"})
	if err != nil {
		t.Fatalf("weekly next to seeded ev-101: %v", err)
	}
	if weekly.Recurrence != "FREQ=WEEKLY;BYDAY=MO" {
		t.Fatalf("stored rule %q", weekly.Recurrence)
	}
	pod, err := e.st.BookResource(ctx, e.as("e-103"), "room-pod", "2026-12-16T09:00:00+08:00", "2026-12-16T10:00:00+08:00", "stock take")
	if err != nil {
		t.Fatal(err)
	}
	van, err := e.st.CreateEvent(ctx, e.as("e-104"), domain.EventInput{Title: "Deliveries", Start: "2026-12-01T08:00:00+08:00", End: "2026-12-01T10:00:00+08:00",
		Resource: "van-1", Recurrence: "FREQ=DAILY;COUNT=30"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		in      domain.EventInput
		clashID string // "" means the booking succeeds
	}{
		{"one-off over a seeded one-off", domain.EventInput{Start: "2026-11-23T10:30:00+08:00", End: "2026-11-23T11:30:00+08:00", Resource: "room-peak"}, "ev-101"},
		{"back to back is fine", domain.EventInput{Start: "2026-11-23T11:00:00+08:00", End: "2026-11-23T12:00:00+08:00", Resource: "room-peak"}, ""},
		{"one-off over a recurring occurrence", domain.EventInput{Start: "2026-12-14T10:30:00+08:00", End: "2026-12-14T11:00:00+08:00", Resource: "room-peak"}, weekly.ID},
		{"one-off between occurrences", domain.EventInput{Start: "2026-12-15T10:00:00+08:00", Resource: "room-peak"}, ""},
		{"recurring over a later one-off", domain.EventInput{Start: "2026-12-02T09:30:00+08:00", End: "2026-12-02T10:30:00+08:00", Resource: "room-pod", Recurrence: "FREQ=WEEKLY;BYDAY=WE"}, pod.ID},
		{"recurring ending before the one-off", domain.EventInput{Start: "2026-12-02T09:30:00+08:00", End: "2026-12-02T10:30:00+08:00", Resource: "room-pod", Recurrence: "FREQ=WEEKLY;BYDAY=WE;COUNT=2"}, ""},
		{"recurring over recurring", domain.EventInput{Start: "2026-12-20T09:00:00+08:00", End: "2026-12-20T09:30:00+08:00", Resource: "van-1", Recurrence: "FREQ=WEEKLY"}, van.ID},
		{"recurring after the other ends", domain.EventInput{Start: "2027-01-04T09:00:00+08:00", End: "2027-01-04T09:30:00+08:00", Resource: "van-1", Recurrence: "FREQ=DAILY"}, ""},
		{"other room, same time", domain.EventInput{Start: "2026-11-23T10:00:00+08:00", Resource: "room-harbour"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.in.Title = c.name
			got, err := e.st.CreateEvent(ctx, e.as("e-111"), c.in)
			if c.clashID == "" {
				if err != nil {
					t.Fatalf("want success: %v", err)
				}
				return
			}
			wantCode(t, err, domain.EConflict)
			if !strings.Contains(err.Error(), c.clashID) {
				t.Fatalf("message does not name %s: %v", c.clashID, err)
			}
			if got.ID != "" {
				if _, err := e.st.GetEvent(ctx, e.as("e-111"), got.ID); err == nil {
					t.Fatalf("refused event %s was saved", got.ID)
				}
			}
		})
	}
	// Rescheduling into a clash is refused too; the event stays where it was.
	// The booking may move to a Wednesday the two-week series leaves free,
	// but not onto one of its occurrences.
	if _, err = e.st.RescheduleEvent(ctx, e.as("e-103"), pod.ID, "2026-12-23T09:00:00+08:00", ""); err != nil {
		t.Fatalf("move to a free Wednesday: %v", err)
	}
	_, err = e.st.RescheduleEvent(ctx, e.as("e-103"), pod.ID, "2026-12-09T10:00:00+08:00", "")
	wantCode(t, err, domain.EConflict)
	_, err = e.st.RescheduleEvent(ctx, e.as("e-105"), weekly.ID, "2026-11-23T10:00:00+08:00", "")
	wantCode(t, err, domain.EConflict)
	if !strings.Contains(err.Error(), "ev-101") {
		t.Fatalf("reschedule clash does not name ev-101: %v", err)
	}
	got, err := e.st.GetEvent(ctx, e.as("e-105"), weekly.ID)
	if err != nil || !got.Start.Equal(hk(t, "2026-11-30T10:00:00+08:00")) {
		t.Fatalf("refused reschedule moved the event: %+v %v", got, err)
	}
}

func TestConcurrentBooking(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	for _, slot := range []struct{ start, end, rule string }{
		{"2026-12-01T10:00:00+08:00", "2026-12-01T11:00:00+08:00", ""},
		{"2026-12-02T10:00:00+08:00", "2026-12-02T11:00:00+08:00", "FREQ=DAILY;COUNT=5"},
	} {
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []string{"e-103", "e-104"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == 0 || slot.rule == "" {
					_, errs[i] = e.st.BookResource(ctx, e.as(who), "room-harbour", slot.start, slot.end, "race")
					return
				}
				// A recurring series racing a one-off on its first day.
				_, errs[i] = e.st.CreateEvent(ctx, e.as(who), domain.EventInput{Title: "race", Start: slot.start, End: slot.end, Resource: "room-harbour", Recurrence: slot.rule})
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case domain.ErrorCode(err) != domain.EConflict:
				t.Fatalf("loser got %v, want a conflict", err)
			}
		}
		if won != 1 {
			t.Fatalf("%s: %d bookings won: %v", slot.start, won, errs)
		}
	}
}

func TestEventBadInput(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	create := func(in domain.EventInput) func() error {
		return func() error {
			if in.Title == "" {
				in.Title = "x"
			}
			_, err := e.st.CreateEvent(ctx, e.as("e-103"), in)
			return err
		}
	}
	const start = "2026-11-24T09:00:00+08:00"
	cases := []struct {
		name string
		run  func() error
		code domain.Code
	}{
		{"malformed start", create(domain.EventInput{Start: "tomorrow 3pm"}), domain.EInvalid},
		{"end before start", create(domain.EventInput{Start: start, End: "2026-11-24T08:00:00+08:00"}), domain.EInvalid},
		{"blank title", create(domain.EventInput{Title: "  ", Start: start}), domain.EInvalid},
		{"unknown attendee", create(domain.EventInput{Start: start, Attendees: []string{"e-999"}}), domain.EInvalid},
		{"unknown resource", create(domain.EventInput{Start: start, Resource: "room-moon"}), domain.EInvalid},
		{"garbage rule", create(domain.EventInput{Start: start, Recurrence: "every monday"}), domain.EInvalid},
		{"hourly rule", create(domain.EventInput{Start: start, Recurrence: "FREQ=HOURLY"}), domain.EInvalid},
		{"time from the rule", create(domain.EventInput{Start: start, Recurrence: "FREQ=DAILY;BYHOUR=9,10"}), domain.EInvalid},
		{"rule with DTSTART", create(domain.EventInput{Start: start, Recurrence: "DTSTART:20261124T010000Z\nRRULE:FREQ=DAILY"}), domain.EInvalid},
		{"rule without occurrences", create(domain.EventInput{Start: start, Recurrence: "FREQ=DAILY;UNTIL=20200101T000000Z"}), domain.EInvalid},
		{"book without resource", func() error {
			_, err := e.st.BookResource(ctx, e.as("e-103"), "", start, "", "")
			return err
		}, domain.EInvalid},
		{"book unknown resource", func() error {
			_, err := e.st.BookResource(ctx, e.as("e-103"), "room-moon", start, "", "")
			return err
		}, domain.EInvalid},
		{"reschedule unknown event", func() error {
			_, err := e.st.RescheduleEvent(ctx, e.as("e-103"), "ev-nope", start, "")
			return err
		}, domain.ENotFound},
		{"reschedule malformed", func() error {
			_, err := e.st.RescheduleEvent(ctx, e.as("e-102"), "ev-101", "2026-11-24 09:00", "")
			return err
		}, domain.EInvalid},
		{"cancel unknown event", func() error {
			_, err := e.st.CancelEvent(ctx, e.as("e-103"), "ev-nope")
			return err
		}, domain.ENotFound},
		{"cancel as attendee", func() error {
			_, err := e.st.CancelEvent(ctx, e.as("e-103"), "ev-101")
			return err
		}, domain.EForbidden},
		{"cancel an invisible event", func() error {
			_, err := e.st.CancelEvent(ctx, e.as("e-103"), "ev-102")
			return err
		}, domain.ENotFound},
		{"list with to before from", func() error {
			_, err := e.st.ListEvents(ctx, e.as("e-103"), "", hk(t, "2026-11-24T00:00:00+08:00"), hk(t, "2026-11-23T00:00:00+08:00"))
			return err
		}, domain.EInvalid},
		{"list an unknown employee", func() error {
			_, err := e.st.ListEvents(ctx, e.as("e-103"), "e-999", hk(t, "2026-11-23T00:00:00+08:00"), hk(t, "2026-11-24T00:00:00+08:00"))
			return err
		}, domain.EInvalid},
		{"import by an employee", func() error {
			_, err := e.st.ImportEvent(ctx, e.as("e-101"), "ev-x", "e-101", domain.EventInput{Title: "x", Start: start})
			return err
		}, domain.EForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantCode(t, c.run(), c.code) })
	}
}

func evIDs(evs []domain.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.ID+"@"+ev.Start.Format("01-02T15:04"))
	}
	return out
}

func TestListEvents(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	daily, err := e.st.CreateEvent(ctx, e.as("e-104"), domain.EventInput{Title: "Stand-up", Start: "2026-11-24T09:00:00+08:00", End: "2026-11-24T09:15:00+08:00",
		Attendees: []string{"e-103"}, Recurrence: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=4"})
	if err != nil {
		t.Fatal(err)
	}
	approvedLeave(t, e, "2026-11-27")
	from, to := hk(t, "2026-11-23T00:00:00+08:00"), hk(t, "2026-11-30T00:00:00+08:00")
	got, err := e.st.ListEvents(ctx, e.as("e-103"), "", from, to)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ev-101@11-23T10:00", daily.ID + "@11-24T09:00", daily.ID + "@11-25T09:00", daily.ID + "@11-26T09:00", daily.ID + "@11-27T09:00"}
	var ooo []domain.Event
	var rest []domain.Event
	for _, ev := range got {
		if ev.Kind == "out_of_office" {
			ooo = append(ooo, ev)
		} else {
			rest = append(rest, ev)
		}
	}
	if !slices.Equal(evIDs(rest), want) {
		t.Fatalf("events %v, want %v", evIDs(rest), want)
	}
	if len(ooo) != 1 || ooo[0].Organizer != "e-103" || ooo[0].Start.Format("2006-01-02") != "2026-11-27" {
		t.Fatalf("out of office: %+v", ooo)
	}
	// The manager sees the report's calendar; a colleague from another team
	// sees only what they share with them (nothing).
	mgr, err := e.st.ListEvents(ctx, e.as("e-102"), "e-103", from, to)
	if err != nil || len(mgr) != len(got) {
		t.Fatalf("manager view: %v %v", evIDs(mgr), err)
	}
	peer, err := e.st.ListEvents(ctx, e.as("e-105"), "e-103", from, to)
	if err != nil || len(peer) != 0 {
		t.Fatalf("peer view: %v %v", evIDs(peer), err)
	}
	// Cancelled events drop out.
	if _, err := e.st.CancelEvent(ctx, e.as("e-104"), daily.ID); err != nil {
		t.Fatal(err)
	}
	got, err = e.st.ListEvents(ctx, e.as("e-103"), "", from, to)
	if err != nil || len(got) != 2 {
		t.Fatalf("after cancel: %v %v", evIDs(got), err)
	}
	// Out-of-office events belong to the leave, not the calendar.
	_, err = e.st.CancelEvent(ctx, e.as("e-103"), ooo[0].ID)
	wantCode(t, err, domain.EConflict)
}

func TestFindFreeSlots(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// e-104 is busy 09:00-12:00 every day from Tuesday 24 November.
	if _, err := e.st.CreateEvent(ctx, e.as("e-104"), domain.EventInput{Title: "Warehouse shift", Start: "2026-11-24T09:00:00+08:00", End: "2026-11-24T12:00:00+08:00",
		Recurrence: "FREQ=DAILY;COUNT=5"}); err != nil {
		t.Fatal(err)
	}
	approvedLeave(t, e, "2026-12-02")
	cases := []struct {
		name      string
		attendees []string
		minutes   int
		from, to  string
		limit     int
		want      []string // local start times
	}{
		{"skips a meeting (ev-101 10:00-11:00)", []string{"e-103", "e-104"}, 60, "2026-11-23T09:30:00+08:00", "2026-11-23T18:00:00+08:00", 2,
			[]string{"2026-11-23T11:00", "2026-11-23T12:00"}},
		{"the past is not free", []string{"e-101"}, 30, "2026-11-23T07:00:00+08:00", "2026-11-23T18:00:00+08:00", 1,
			[]string{"2026-11-23T09:30"}},
		{"fits before a meeting", []string{"e-103"}, 30, "2026-11-23T09:30:00+08:00", "2026-11-23T18:00:00+08:00", 2,
			[]string{"2026-11-23T09:30", "2026-11-23T11:00"}},
		{"skips the weekend", []string{"e-103"}, 60, "2026-11-27T17:30:00+08:00", "2026-11-30T18:00:00+08:00", 1,
			[]string{"2026-11-30T09:00"}},
		{"skips Christmas and the weekend", []string{"e-103"}, 60, "2026-12-24T17:30:00+08:00", "2026-12-31T18:00:00+08:00", 1,
			[]string{"2026-12-28T09:00"}},
		{"skips out of office", []string{"e-103"}, 60, "2026-12-02T09:00:00+08:00", "2026-12-03T18:00:00+08:00", 1,
			[]string{"2026-12-03T09:00"}},
		{"skips recurring occurrences", []string{"e-104"}, 90, "2026-11-26T08:00:00+08:00", "2026-11-26T18:00:00+08:00", 2,
			[]string{"2026-11-26T12:00", "2026-11-26T13:30"}},
		{"recurrence over", []string{"e-104"}, 60, "2026-11-30T09:00:00+08:00", "2026-11-30T18:00:00+08:00", 1,
			[]string{"2026-11-30T09:00"}},
		{"nothing fits", []string{"e-104"}, 60, "2026-11-26T09:00:00+08:00", "2026-11-26T12:00:00+08:00", 3, nil},
		{"quarter-hour alignment", []string{"e-103"}, 45, "2026-11-24T09:07:00+08:00", "2026-11-24T18:00:00+08:00", 1,
			[]string{"2026-11-24T09:15"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			slots, err := e.st.FindFreeSlots(ctx, e.as("e-111"), c.attendees, time.Duration(c.minutes)*time.Minute, hk(t, c.from), hk(t, c.to), c.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range slots {
				got = append(got, s.Start.Format("2006-01-02T15:04"))
				if s.End.Sub(s.Start) != time.Duration(c.minutes)*time.Minute {
					t.Fatalf("slot %v lasts %v", s, s.End.Sub(s.Start))
				}
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
	bad := []struct {
		name      string
		attendees []string
		d         time.Duration
		from, to  string
	}{
		{"zero duration", []string{"e-103"}, 0, "2026-11-24T09:00:00+08:00", "2026-11-24T18:00:00+08:00"},
		{"unknown attendee", []string{"e-999"}, time.Hour, "2026-11-24T09:00:00+08:00", "2026-11-24T18:00:00+08:00"},
		{"to before from", []string{"e-103"}, time.Hour, "2026-11-24T18:00:00+08:00", "2026-11-24T09:00:00+08:00"},
		{"range too long", []string{"e-103"}, time.Hour, "2026-11-24T09:00:00+08:00", "2027-11-24T09:00:00+08:00"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.st.FindFreeSlots(ctx, e.as("e-111"), c.attendees, c.d, hk(t, c.from), hk(t, c.to), 1)
			wantCode(t, err, domain.EInvalid)
		})
	}
}

func TestICalFeed(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	weekly, err := e.st.CreateEvent(ctx, e.as("e-103"), domain.EventInput{Title: "倉務週會", Start: "2026-11-25T16:00:00+08:00", End: "2026-11-25T16:30:00+08:00",
		Attendees: []string{"e-104"}, Resource: "room-pod", Recurrence: "FREQ=WEEKLY;BYDAY=WE;COUNT=6"})
	if err != nil {
		t.Fatal(err)
	}
	approvedLeave(t, e, "2026-11-27")
	var buf bytes.Buffer
	if err := e.st.ICalFeed(ctx, e.as("e-103"), "", &buf); err != nil {
		t.Fatal(err)
	}
	cal, err := ical.NewDecoder(&buf).Decode()
	if err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, buf.String())
	}
	byUID := map[string]ical.Event{}
	for _, ev := range cal.Events() {
		uid, _ := ev.Props.Text(ical.PropUID)
		byUID[strings.SplitN(uid, "@", 2)[0]] = ev
	}
	if len(byUID) != 3 {
		t.Fatalf("want ev-101, the weekly meeting and out-of-office, got %v", len(byUID))
	}
	text := func(ev ical.Event, prop string) string {
		v, _ := ev.Props.Text(prop)
		return v
	}
	seeded := byUID["ev-101"]
	if p := seeded.Props.Get(ical.PropDateTimeStart); p == nil || p.Value != "20261123T020000Z" {
		t.Fatalf("DTSTART of ev-101 not in UTC: %+v", p)
	}
	if text(seeded, ical.PropSummary) != "營運週會" || text(seeded, ical.PropLocation) != "山頂會議室" {
		t.Fatalf("ev-101 summary/location: %q %q", text(seeded, ical.PropSummary), text(seeded, ical.PropLocation))
	}
	if p := seeded.Props.Get(ical.PropOrganizer); p == nil || p.Value != "mailto:karen.chan@lotusbay.example" {
		t.Fatalf("organizer: %+v", p)
	}
	var attendees []string
	for _, p := range seeded.Props.Values(ical.PropAttendee) {
		attendees = append(attendees, p.Value)
	}
	if !slices.Equal(attendees, []string{"mailto:ming.chan@lotusbay.example", "mailto:bonnie.au@lotusbay.example"}) {
		t.Fatalf("attendees: %v", attendees)
	}
	rec := byUID[weekly.ID]
	ro, err := rec.Props.RecurrenceRule()
	if err != nil || ro == nil || ro.Count != 6 {
		t.Fatalf("RRULE: %+v %v", ro, err)
	}
	start, err := rec.DateTimeStart(time.UTC)
	if err != nil || !start.Equal(hk(t, "2026-11-25T16:00:00+08:00")) {
		t.Fatalf("DTSTART: %v %v", start, err)
	}
	var ooo *ical.Event
	for id, ev := range byUID {
		if id != "ev-101" && id != weekly.ID {
			ooo = &ev
		}
	}
	if ooo == nil || text(*ooo, ical.PropSummary) != "Out of office" || text(*ooo, ical.PropTransparency) != "OPAQUE" {
		t.Fatalf("out of office: %+v", ooo)
	}
	// A colleague outside the team gets a valid feed with none of it.
	buf.Reset()
	if err := e.st.ICalFeed(ctx, e.as("e-105"), "e-103", &buf); err != nil {
		t.Fatal(err)
	}
	cal, err = ical.NewDecoder(&buf).Decode()
	if err != nil || len(cal.Events()) != 0 {
		t.Fatalf("peer feed: %v events, %v", len(cal.Events()), err)
	}
}
