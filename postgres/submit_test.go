package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

// approvers returns the approvers of each step of a request's current round.
func approvers(t *testing.T, e *env, requester, id string) [][]string {
	t.Helper()
	a, err := e.st.GetApproval(context.Background(), e.as(requester), id)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, s := range a.Steps {
		out = append(out, s.Approvers)
	}
	return out
}

func requestLeave(t *testing.T, e *env, emp, start, end string) string {
	t.Helper()
	lr, err := e.st.RequestLeave(context.Background(), e.as(emp), domain.LeaveInput{LeaveType: "personal", Start: start, End: end})
	if err != nil {
		t.Fatalf("%s requests %s..%s: %v", emp, start, end, err)
	}
	return lr.ID
}

// Approvers away today are replaced by their delegate, else their manager,
// both when the submission read the requester's managers ahead (manager
// steps) and when a step's approvers are looked up on their own (role steps).
func TestRoutingReplacesApproversAway(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	// Nobody is away: e-103's manager e-102, then HR (e-111, e-112) for a long leave.
	long := requestLeave(t, e, "e-103", "2026-12-07", "2026-12-11")
	if got, want := approvers(t, e, "e-103", long), [][]string{{"e-102"}, {"e-111", "e-112"}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("approvers = %v, want %v", got, want)
	}
	// e-102 and e-111 take today off, approved by their manager e-101.
	for _, emp := range []string{"e-102", "e-111"} {
		id := requestLeave(t, e, emp, "2026-11-23", "2026-11-23")
		if _, err := e.st.Decide(ctx, e.as("e-101"), id, domain.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name      string
		delegate  string // e-102 delegates to this employee first
		requester string
		start     string
		end       string
		want      [][]string
	}{
		{"manager away, no delegate: her manager", "", "e-103", "2026-12-14", "2026-12-14", [][]string{{"e-101"}}},
		{"HR approver away: her manager, skipped if already on a step", "", "e-103", "2026-12-21", "2026-12-24", [][]string{{"e-101"}, {"e-112"}}},
		{"manager away with a delegate: the delegate", "e-104", "e-103", "2026-12-28", "2026-12-28", [][]string{{"e-104"}}},
		{"the delegate is the requester: the manager stays", "", "e-104", "2026-12-29", "2026-12-29", [][]string{{"e-102"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.delegate != "" {
				if _, err := e.st.SetDelegate(ctx, e.as("e-102"), tt.delegate, "2026-11-23", "2026-11-27"); err != nil {
					t.Fatal(err)
				}
			}
			id := requestLeave(t, e, tt.requester, tt.start, tt.end)
			if got := approvers(t, e, tt.requester, id); !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Fatalf("approvers = %v, want %v", got, tt.want)
			}
		})
	}
}

// Concurrent submissions of one tenant serialise on its audit chain only at
// the end of their transactions; the chain stays whole, one entry each, also
// when commits release the chain before their WAL flush.
func TestConcurrentSubmissionsKeepAuditChain(t *testing.T) {
	for _, early := range []bool{false, true} {
		t.Run(fmt.Sprintf("CommitBeforeFlush=%v", early), func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			st, err := postgres.New(e.st.Pool(), postgres.Options{CommitBeforeFlush: early})
			if err != nil {
				t.Fatal(err)
			}
			st.Now = e.st.Now
			auditor := e.as("e-114")
			before, err := st.VerifyAudit(ctx, auditor, nil)
			if err != nil || !before.OK() {
				t.Fatalf("chain before: %+v %v", before, err)
			}
			const perEmployee = 4
			var emps []string
			for i := 103; i <= 117; i++ {
				emps = append(emps, fmt.Sprintf("e-%d", i))
			}
			var wg sync.WaitGroup
			ids := make(chan string, len(emps)*perEmployee)
			errs := make(chan error, len(emps)*perEmployee)
			for _, emp := range emps {
				for k := 0; k < perEmployee; k++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						day := fmt.Sprintf("2027-01-%02d", 4+k) // Mon 4 to Thu 7 January
						lr, err := st.RequestLeave(ctx, e.as(emp), domain.LeaveInput{LeaveType: "personal", Start: day, End: day})
						if err != nil {
							errs <- fmt.Errorf("%s on %s: %w", emp, day, err)
							return
						}
						ids <- emp + " " + lr.ID
					}()
				}
			}
			wg.Wait()
			close(errs)
			close(ids)
			for err := range errs {
				t.Error(err)
			}
			// Every request answered is there, pending its manager.
			for s := range ids {
				emp, id, _ := strings.Cut(s, " ")
				if got := approvers(t, e, emp, id); len(got) != 1 || len(got[0]) != 1 {
					t.Fatalf("%s approvers = %v", id, got)
				}
			}
			after, err := st.VerifyAudit(ctx, auditor, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !after.OK() {
				t.Fatalf("chain after concurrent submissions: %v", after.Problems)
			}
			// One leave.request entry per submission (the verify run adds none).
			if got, want := after.Entries-before.Entries, int64(len(emps)*perEmployee); got != want {
				t.Fatalf("%d new audit entries, want %d", got, want)
			}
		})
	}
}

// Commands inside Atomically share one transaction through savepoints (the
// path that cannot send COMMIT with its audit entries) and inside Rehearse
// keep nothing; both leave the chain whole.
func TestSubmissionsInSharedTransactions(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	var ids []string
	err := e.st.Atomically(ctx, func(ctx context.Context) error {
		for _, day := range []string{"2027-01-04", "2027-01-05"} {
			lr, err := e.st.RequestLeave(ctx, e.as("e-103"), domain.LeaveInput{LeaveType: "personal", Start: day, End: day})
			if err != nil {
				return err
			}
			ids = append(ids, lr.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var rehearsed string
	err = e.st.Rehearse(ctx, func(ctx context.Context) error {
		lr, err := e.st.RequestLeave(ctx, e.as("e-104"), domain.LeaveInput{LeaveType: "personal", Start: "2027-01-06", End: "2027-01-06"})
		rehearsed = lr.ID
		return err
	})
	if err != nil || rehearsed == "" {
		t.Fatalf("rehearsal: %q %v", rehearsed, err)
	}
	for _, id := range ids {
		if got := approvers(t, e, "e-103", id); !slices.EqualFunc(got, [][]string{{"e-102"}}, slices.Equal) {
			t.Fatalf("%s approvers = %v", id, got)
		}
	}
	if _, err := e.st.GetLeave(ctx, e.as("e-104"), rehearsed); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("a rehearsed request was kept: %v", err)
	}
	res, err := e.st.VerifyAudit(ctx, e.as("e-114"), nil)
	if err != nil || !res.OK() {
		t.Fatalf("chain: %+v %v", res, err)
	}
}
