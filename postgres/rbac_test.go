package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/seed"
)

// The RBAC matrix: every command × role × relationship (own, report, other,
// other tenant), against the real database. A cell is "allowed" when the
// command does not fail with forbidden or not found.
func TestRBACMatrix(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	f, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	other, err := seed.Load(ctx, e.st, f, "other-company")
	if err != nil {
		t.Fatal(err)
	}
	// An employee who exists only in the other company: cross-tenant ids
	// must not resolve, whatever the actor's roles.
	sys2 := domain.Actor{TenantID: other, System: true, Via: domain.ViaSeed}
	if err := e.st.SaveEmployees(ctx, sys2, []domain.Employee{{ID: "e-900", Name: "外人", Manager: "e-102", Department: "ops"}}); err != nil {
		t.Fatal(err)
	}
	// One actor per role; report is a direct report where the role has one.
	roles := []struct {
		role, actor, report string
	}{
		{"employee", "e-107", ""},
		{"manager", "e-105", "e-107"},
		{"hr", "e-112", ""},
		{"hr-manager", "e-111", "e-112"},
		{"finance", "e-110", ""},
		{"cfo", "e-109", "e-110"},
		{"admin", "e-113", "e-114"},
		{"auditor", "e-114", ""},
	}
	const outsider = "e-103" // in nobody's chain above but e-102/e-101
	day := 0
	nextDay := func() string { // a fresh working day per case, so requests never overlap
		d := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day+2*(day/5))
		day++
		return d.Format("2006-01-02")
	}
	leaveOf := func(tenant, emp string) string {
		a := domain.Actor{TenantID: tenant, EmployeeID: emp, Via: domain.ViaAPI}
		d := nextDay()
		lr, err := e.st.RequestLeave(ctx, a, domain.LeaveInput{LeaveType: "personal", Start: d, End: d, Reason: "private"})
		if err != nil {
			t.Fatalf("setup leave for %s: %v", emp, err)
		}
		return lr.ID
	}
	claimOf := func(tenant, emp string) string {
		a := domain.Actor{TenantID: tenant, EmployeeID: emp, Via: domain.ViaAPI}
		c, err := e.st.CreateClaim(ctx, a, domain.ClaimInput{Items: []domain.ExpenseItem{{Date: "2026-11-20", Category: "meals", Amount: "88", Currency: "HKD"}}, Submit: true})
		if err != nil {
			t.Fatalf("setup claim for %s: %v", emp, err)
		}
		return c.ID
	}
	type cmd struct {
		name string
		// run performs the command as actor on a record of target in tenant.
		run func(actor domain.Actor, tenant, target string) error
		// want says whether role may do it for the relationship.
		want func(role, rel string) bool
	}
	has := func(role string, rs ...string) bool { return slices.Contains(rs, role) }
	ownOrChain := func(rel string) bool { return rel == "own" || rel == "report" }
	cmds := []cmd{
		{"GetLeave", func(a domain.Actor, tn, tg string) error {
			_, err := e.st.GetLeave(ctx, a, leaveOf(tn, tg))
			return err
		},
			func(r, rel string) bool { return ownOrChain(rel) || (rel == "other" && has(r, "hr", "hr-manager")) }},
		{"CancelLeave", func(a domain.Actor, tn, tg string) error {
			_, err := e.st.CancelLeave(ctx, a, leaveOf(tn, tg))
			return err
		},
			func(r, rel string) bool { return rel == "own" || (rel != "tenant" && has(r, "hr", "hr-manager")) }},
		{"RequestLeaveFor", func(a domain.Actor, tn, tg string) error {
			d := nextDay()
			_, err := e.st.RequestLeave(ctx, a, domain.LeaveInput{Employee: tg, LeaveType: "personal", Start: d, End: d})
			return err
		}, func(r, rel string) bool { return rel == "own" || (rel != "tenant" && has(r, "hr", "hr-manager")) }},
		{"LeaveBalances", func(a domain.Actor, tn, tg string) error {
			_, err := e.st.LeaveBalances(ctx, a, tg, "annual", 2026)
			return err
		},
			func(r, rel string) bool { return ownOrChain(rel) || (rel == "other" && has(r, "hr", "hr-manager")) }},
		{"GetClaim", func(a domain.Actor, tn, tg string) error {
			_, err := e.st.GetClaim(ctx, a, claimOf(tn, tg))
			return err
		},
			func(r, rel string) bool { return ownOrChain(rel) || (rel == "other" && has(r, "finance", "cfo")) }},
		{"ApproveLeave", func(a domain.Actor, tn, tg string) error {
			_, err := e.st.Decide(ctx, a, leaveOf(tn, tg), "approve", "")
			return err
		},
			// Only the routed approver (the direct manager) decides; never one's own.
			func(r, rel string) bool { return rel == "report" }},
		{"MarkPaid", func(a domain.Actor, tn, tg string) error {
			_, err := e.st.MarkPaid(ctx, a, claimOf(tn, tg))
			return err
		},
			func(r, rel string) bool { return rel != "tenant" && has(r, "finance", "cfo") }},
	}
	// Tenant-wide commands: relationship does not apply.
	global := []cmd{
		{"ExportClaims", func(a domain.Actor, _, _ string) error {
			_, err := e.st.ExportClaims(ctx, a, "", &bytes.Buffer{})
			return err
		},
			func(r, _ string) bool { return has(r, "finance", "cfo") }},
		{"SaveResource", func(a domain.Actor, _, _ string) error {
			return e.st.SaveResource(ctx, a, domain.Resource{ID: "room-x", Name: "X", Kind: "room"})
		}, func(r, _ string) bool { return r == "admin" }},
		{"SaveRule", func(a domain.Actor, _, _ string) error {
			_, err := e.st.SaveRule(ctx, a, domain.Rule{Kind: "leave", Position: 1, Condition: "days > 10", Steps: []domain.StepSpec{{Approver: "role:hr"}}})
			return err
		}, func(r, _ string) bool { return r == "admin" }},
		{"VerifyAudit", func(a domain.Actor, _, _ string) error { _, err := e.st.VerifyAudit(ctx, a, nil); return err },
			func(r, _ string) bool { return has(r, "auditor", "admin") }},
		{"SetBalance", func(a domain.Actor, _, _ string) error {
			return e.st.SetBalance(ctx, a, domain.LeaveBalance{Employee: outsider, LeaveType: "annual", Year: 2027, Entitled: 12})
		}, func(r, _ string) bool { return has(r, "hr", "hr-manager", "admin") }},
	}
	for _, r := range roles {
		actor := e.as(r.actor)
		rels := []struct{ rel, tenant, target string }{
			{"own", e.tid, r.actor}, {"other", e.tid, outsider}, {"tenant", other, "e-900"},
		}
		if r.report != "" {
			rels = append(rels, struct{ rel, tenant, target string }{"report", e.tid, r.report})
		}
		for _, c := range cmds {
			for _, rel := range rels {
				t.Run(fmt.Sprintf("%s/%s/%s", c.name, r.role, rel.rel), func(t *testing.T) {
					err := c.run(actor, rel.tenant, rel.target)
					check(t, err, c.want(r.role, rel.rel))
				})
			}
		}
		for _, c := range global {
			t.Run(fmt.Sprintf("%s/%s", c.name, r.role), func(t *testing.T) {
				check(t, c.run(actor, e.tid, ""), c.want(r.role, ""))
			})
		}
	}
}

func check(t *testing.T, err error, allowed bool) {
	t.Helper()
	denied := err != nil && (domain.ErrorCode(err) == domain.EForbidden || domain.ErrorCode(err) == domain.ENotFound)
	if err != nil && !denied && domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("unexpected error: %v", err)
	}
	if allowed && denied {
		t.Fatalf("want allowed, got %v", err)
	}
	if !allowed && !denied {
		t.Fatalf("want denied, got %v", err)
	}
}
