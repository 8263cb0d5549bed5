package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
)

func TestConcurrentDecisionsProduceOne(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// lr-103 goes manager (e-102) then any of HR (e-111, e-112).
	if _, err := e.st.Decide(ctx, e.as("e-102"), "lr-103", "approve", ""); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	deciders := []string{"e-111", "e-112", "e-111", "e-112"}
	for i, who := range deciders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.st.Decide(ctx, e.as(who), "lr-103", "approve", "")
		}()
	}
	wg.Wait()
	a, err := e.st.GetApproval(ctx, e.as("e-104"), "lr-103")
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != "approved" || len(a.Steps[1].Decisions) != 1 {
		t.Fatalf("want one decision on the HR step, got %+v (errors %v)", a.Steps[1], errs)
	}
	for _, err := range errs {
		if err != nil && domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("unexpected error: %v", err)
		}
	}
	// Approved: balance moved from pending to used exactly once.
	b := balance(t, e, "e-104", "annual")
	if b.Used != 9+5 || b.Pending != 0 {
		t.Fatalf("balance: %+v", b)
	}
}

func TestDeadlineEscalatesToManager(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// lr-101: e-107 -> e-105, opened Mon 09:30 with a 16 working-hour deadline.
	a, err := e.st.GetApproval(ctx, e.as("e-107"), "lr-101")
	if err != nil {
		t.Fatal(err)
	}
	due := a.Steps[0].DueAt
	if due == nil || !due.Equal(time.Date(2026, 11, 24, 16, 30, 0, 0, due.Location()).In(due.Location())) && due.In(e.now.Location()).Format("2006-01-02 15:04") != "2026-11-24 16:30" {
		t.Fatalf("due %v, want Tue 2026-11-24 16:30 HKT", due)
	}
	n, err := e.st.SweepDeadlines(ctx)
	if err != nil || n != 0 {
		t.Fatalf("sweep before the deadline escalated %d: %v", n, err)
	}
	e.now = e.now.Add(48 * time.Hour)
	n, err = e.st.SweepDeadlines(ctx)
	if err != nil || n < 1 {
		t.Fatalf("sweep after the deadline escalated %d: %v", n, err)
	}
	// e-105's manager e-101 may now decide it.
	q, err := e.st.PendingApprovals(ctx, e.as("e-101"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range q {
		found = found || p.RequestID == "lr-101"
	}
	if !found {
		t.Fatalf("escalation target's queue lacks lr-101: %+v", q)
	}
	if n, _ := e.st.SweepDeadlines(ctx); n != 0 {
		t.Fatalf("a second sweep escalated again: %d", n)
	}
	inbox, err := e.st.Inbox(ctx, e.as("e-101"), true, 0, 50)
	if err != nil || len(inbox) == 0 {
		t.Fatalf("escalation not notified: %v %v", inbox, err)
	}
}

func TestDelegateDecidesOnBehalf(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	if _, err := e.st.SetDelegate(ctx, e.as("e-105"), "e-106", "2026-11-23", "2026-11-27"); err != nil {
		t.Fatal(err)
	}
	q, err := e.st.PendingApprovals(ctx, e.as("e-106"))
	if err != nil {
		t.Fatal(err)
	}
	if len(q) == 0 || q[0].OnBehalf != "e-105" {
		t.Fatalf("delegate queue: %+v", q)
	}
	a, err := e.st.Decide(ctx, e.as("e-106"), "lr-101", "return", "請補充行程")
	if err != nil || a.Status != "returned" || a.Steps[0].Decisions[0].OnBehalf != "e-105" {
		t.Fatalf("delegate decision: %+v %v", a, err)
	}
	// Resubmission restarts the chain.
	lr, err := e.st.ResubmitLeave(ctx, e.as("e-107"), "lr-101", domain.LeaveInput{LeaveType: "annual", Start: "2026-12-07", End: "2026-12-07", Reason: "縮短行程"})
	if err != nil || lr.Status != "pending" || lr.Days != 1 {
		t.Fatalf("resubmit: %+v %v", lr, err)
	}
	a, err = e.st.GetApproval(ctx, e.as("e-107"), "lr-101")
	if err != nil || a.Status != "pending" || a.Steps[0].Status != "pending" || len(a.Steps[0].Decisions) != 0 {
		t.Fatalf("new round: %+v %v", a, err)
	}
}

func TestExpenseRoutingByTotal(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	tests := []struct {
		amount   string
		currency string
		steps    int
	}{
		{"800", "HKD", 1},  // manager
		{"6000", "HKD", 2}, // + finance
		{"9800", "USD", 3}, // 76,440 HKD: + CFO
	}
	for _, tt := range tests {
		t.Run(tt.amount+tt.currency, func(t *testing.T) {
			c, err := e.st.CreateClaim(ctx, e.as("e-107"), domain.ClaimInput{Items: []domain.ExpenseItem{{Date: "2026-11-20", Category: "travel", Amount: tt.amount, Currency: tt.currency}}, Submit: true})
			if err != nil {
				t.Fatal(err)
			}
			a, err := e.st.GetApproval(ctx, e.as("e-107"), c.ID)
			if err != nil || len(a.Steps) != tt.steps {
				t.Fatalf("steps: %+v %v", a.Steps, err)
			}
		})
	}
	_, err := e.st.CreateClaim(ctx, e.as("e-107"), domain.ClaimInput{Items: []domain.ExpenseItem{{Date: "2026-11-20", Category: "meals", Amount: "-5"}}})
	wantCode(t, err, domain.EInvalid)
	_, err = e.st.CreateClaim(ctx, e.as("e-107"), domain.ClaimInput{Items: []domain.ExpenseItem{{Date: "2026-11-20", Category: "meals", Amount: "1200"}}})
	wantCode(t, err, domain.EInvalid) // over the meals cap
}
