package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
)

func balance(t *testing.T, e *env, emp, typ string) domain.LeaveBalance {
	t.Helper()
	bs, err := e.st.LeaveBalances(context.Background(), e.as(emp), emp, typ, 2026)
	if err != nil || len(bs) != 1 {
		t.Fatalf("balance: %v %v", bs, err)
	}
	return bs[0]
}

func TestLeaveLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// e-103 (manager e-102): Mon 30 Nov to Wed 2 Dec = 3 working days -> manager only.
	lr, err := e.st.RequestLeave(ctx, e.as("e-103"), domain.LeaveInput{LeaveType: "annual", Start: "2026-11-30", End: "2026-12-02", Reason: "家庭旅行"})
	if err != nil {
		t.Fatal(err)
	}
	if lr.Days != 3 || lr.Status != "pending" {
		t.Fatalf("got %+v", lr)
	}
	if b := balance(t, e, "e-103", "annual"); b.Pending != 3 || b.Available != 12-4-3 {
		t.Fatalf("balance after request: %+v", b)
	}
	// Overlap refused.
	_, err = e.st.RequestLeave(ctx, e.as("e-103"), domain.LeaveInput{LeaveType: "annual", Start: "2026-12-02", End: "2026-12-02"})
	wantCode(t, err, domain.EConflict)
	// Peers cannot see it; the manager sees it in the queue.
	_, err = e.st.GetLeave(ctx, e.as("e-104"), lr.ID)
	wantCode(t, err, domain.ENotFound)
	q, err := e.st.PendingApprovals(ctx, e.as("e-102"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range q {
		found = found || p.RequestID == lr.ID
	}
	if !found {
		t.Fatalf("manager queue lacks %s: %+v", lr.ID, q)
	}
	// Skip-level manager reads it but the reason is masked.
	got, err := e.st.GetLeave(ctx, e.as("e-101"), lr.ID)
	if err != nil || !got.Masked || got.Reason != "" {
		t.Fatalf("skip-level view: %+v %v", got, err)
	}
	// Self-approval refused; the manager approves.
	_, err = e.st.Decide(ctx, e.as("e-103"), lr.ID, "approve", "")
	wantCode(t, err, domain.EForbidden)
	a, err := e.st.Decide(ctx, e.as("e-102"), lr.ID, "approve", "好")
	if err != nil || a.Status != "approved" {
		t.Fatalf("approve: %+v %v", a, err)
	}
	// A double click changes nothing.
	if _, err := e.st.Decide(ctx, e.as("e-102"), lr.ID, "approve", "好"); err != nil {
		t.Fatalf("repeat approve: %v", err)
	}
	if b := balance(t, e, "e-103", "annual"); b.Pending != 0 || b.Used != 7 {
		t.Fatalf("balance after approval: %+v", b)
	}
	// Cancelling an approved future leave restores the balance.
	if _, err := e.st.CancelLeave(ctx, e.as("e-103"), lr.ID); err != nil {
		t.Fatal(err)
	}
	if b := balance(t, e, "e-103", "annual"); b.Used != 4 || b.Pending != 0 {
		t.Fatalf("balance after cancel: %+v", b)
	}
}

func TestLeaveRules(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	tests := []struct {
		name string
		emp  string
		in   domain.LeaveInput
		code domain.Code
		msg  string
	}{
		{"insufficient balance names numbers", "e-117", domain.LeaveInput{LeaveType: "annual", Start: "2026-11-30", End: "2026-11-30"}, domain.EInvalid, "1 requested, 0 available (10 entitled, 10 used, 0 pending)"},
		{"end before start", "e-103", domain.LeaveInput{LeaveType: "annual", Start: "2026-12-04", End: "2026-12-01"}, domain.EInvalid, "before start"},
		{"bad date", "e-103", domain.LeaveInput{LeaveType: "annual", Start: "2026-13-01", End: "2026-12-01"}, domain.EInvalid, "start"},
		{"unknown type", "e-103", domain.LeaveInput{LeaveType: "holiday", Start: "2026-12-01", End: "2026-12-01"}, domain.EInvalid, "leave_type"},
		{"weekend only", "e-103", domain.LeaveInput{LeaveType: "annual", Start: "2026-11-28", End: "2026-11-29"}, domain.EInvalid, "no working days"},
		{"other employee without HR", "e-103", domain.LeaveInput{Employee: "e-104", LeaveType: "personal", Start: "2026-12-01", End: "2026-12-01"}, domain.EForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.st.RequestLeave(ctx, e.as(tt.emp), tt.in)
			wantCode(t, err, tt.code)
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("message %q lacks %q", err.Error(), tt.msg)
			}
		})
	}
	// Half days and holidays: Thu 24 Dec pm to Mon 28 Dec am, 25-26 holidays, 27 Sunday: 0.5 + 0.5.
	lr, err := e.st.RequestLeave(ctx, e.as("e-106"), domain.LeaveInput{LeaveType: "annual", Start: "2026-12-24", End: "2026-12-28", StartHalf: "pm", EndHalf: "am"})
	if err != nil || lr.Days != 1 {
		t.Fatalf("half days: %+v %v", lr, err)
	}
	// Sick leave over 2 days without certificate is returned at once.
	lr, err = e.st.RequestLeave(ctx, e.as("e-107"), domain.LeaveInput{LeaveType: "sick", Start: "2026-11-23", End: "2026-11-25"})
	if err != nil || lr.Status != "returned" {
		t.Fatalf("sick without certificate: %+v %v", lr, err)
	}
	if b := balance(t, e, "e-107", "sick"); b.Pending != 0 {
		t.Fatalf("returned request reserved balance: %+v", b)
	}
}

func TestLongLeaveGoesToHR(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// lr-103 from the fixture: e-104 five days -> manager e-102 then HR.
	a, err := e.st.Decide(ctx, e.as("e-102"), "lr-103", "approve", "")
	if err != nil || a.Status != "pending" || a.CurrentStep != 1 {
		t.Fatalf("after manager: %+v %v", a, err)
	}
	q, _ := e.st.PendingApprovals(ctx, e.as("e-112"))
	if len(q) != 1 || q[0].RequestID != "lr-103" {
		t.Fatalf("HR queue: %+v", q)
	}
	_, err = e.st.Decide(ctx, e.as("e-111"), "lr-103", "reject", "")
	wantCode(t, err, domain.EInvalid)
	a, err = e.st.Decide(ctx, e.as("e-111"), "lr-103", "reject", "旺季")
	if err != nil || a.Status != "rejected" {
		t.Fatalf("reject: %+v %v", a, err)
	}
	// The other HR approver's queue is now empty, and a late decision conflicts.
	q, _ = e.st.PendingApprovals(ctx, e.as("e-112"))
	if len(q) != 0 {
		t.Fatalf("queue after decision: %+v", q)
	}
	_, err = e.st.Decide(ctx, e.as("e-112"), "lr-103", "approve", "")
	wantCode(t, err, domain.EConflict)
}
