package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
)

func TestAuditChainDetectsTampering(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		tamper string // SQL run as the table owner, bypassing the append-only trigger
		want   string
	}{
		{"intact", "", ""},
		{"altered", `UPDATE audit_log SET after = '{"status":"approved"}' WHERE tenant_id = $1 AND seq = 5`, "entry 5"},
		{"removed", `DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 7`, "entry 7 missing"},
		{"removed at start", `DELETE FROM audit_log WHERE tenant_id = $1 AND seq <= 2`, "entry 1 missing"},
		{"removed at end", `DELETE FROM audit_log WHERE tenant_id = $1 AND seq = (SELECT max(seq) FROM audit_log WHERE tenant_id = $1)`, "head says"},
		{"reordered", `UPDATE audit_log a SET at = b.at, actor = b.actor, action = b.action, subject = b.subject, before = b.before, after = b.after, prev_hash = b.prev_hash, hash = b.hash
			FROM audit_log b WHERE a.tenant_id = $1 AND b.tenant_id = $1 AND ((a.seq = 3 AND b.seq = 4) OR (a.seq = 4 AND b.seq = 3))`, "entry 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			auditor := e.as("e-114")
			if tt.tamper != "" {
				pool := e.st.Pool()
				if _, err := pool.Exec(ctx, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`); err != nil {
					t.Fatal(err)
				}
				if _, err := pool.Exec(ctx, tt.tamper, e.tid); err != nil {
					t.Fatal(err)
				}
			}
			res, err := e.st.VerifyAudit(ctx, auditor, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Entries < 10 {
				t.Fatalf("expected the seed to write entries, got %d", res.Entries)
			}
			got := strings.Join(res.Problems, "; ")
			if tt.want == "" && !res.OK() {
				t.Fatalf("intact chain reported problems: %s", got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Fatalf("problems %q lack %q", got, tt.want)
			}
		})
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	_, err := e.st.Pool().Exec(ctx, `UPDATE audit_log SET actor = 'x' WHERE tenant_id = $1`, e.tid)
	if err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update of the audit log was not refused: %v", err)
	}
	// Commands record who, via what, and the request id.
	a := e.as("e-107")
	a.RequestID, a.IP = "req-1", "127.0.0.1"
	lr, err := e.st.RequestLeave(ctx, a, domain.LeaveInput{LeaveType: "personal", Start: "2026-12-03", End: "2026-12-03"})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := e.st.ListAudit(ctx, e.as("e-114"), "leave:"+lr.ID, 10)
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit entries: %v %v", entries, err)
	}
	got := entries[len(entries)-1]
	if got.Actor != "e-107" || got.Via != "api" || got.RequestID != "req-1" || got.IP != "127.0.0.1" || got.Action != "leave.request" {
		t.Fatalf("entry: %+v", got)
	}
}

func TestAuditRetentionPurgesOldEntriesAndKeepsTheChainVerifiable(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	auditor := e.as("e-114")
	before, err := e.st.VerifyAudit(ctx, auditor, nil)
	if err != nil || !before.OK() {
		t.Fatalf("seeded chain: %+v %v", before, err)
	}
	// Age the first five entries past the default seven years (as the owner,
	// around the append-only trigger: this stands in for time passing).
	pool := e.st.Pool()
	if _, err := pool.Exec(ctx, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE audit_log SET at = at - interval '8 years' WHERE tenant_id = $1 AND seq <= 5`, e.tid); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`); err != nil {
		t.Fatal(err)
	}
	// The aged entries' hashes no longer match (their time changed); the
	// purge removes exactly them, so what remains verifies from the anchor.
	n, err := e.st.PurgeAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("purged %d entries, want 5", n)
	}
	after, err := e.st.VerifyAudit(ctx, auditor, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !after.OK() {
		t.Fatalf("chain after the purge: %v", after.Problems)
	}
	// The purge was recorded in the chain itself, before it ran.
	entries, err := e.st.ListAudit(ctx, auditor, "tenant:"+e.tid, 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, en := range entries {
		found = found || en.Action == "audit.purge"
	}
	if !found {
		t.Fatal("the purge is not in the audit log")
	}
	if after.Entries != before.Entries-5+1 {
		t.Fatalf("entries: %d before, %d after (want 5 purged, 1 added)", before.Entries, after.Entries)
	}
	// Nothing newer is purged on the next run; removing the entry after the
	// anchor is still detected.
	if n, err := e.st.PurgeAudit(ctx); err != nil || n != 0 {
		t.Fatalf("second purge: %d %v", n, err)
	}
	if _, err := pool.Exec(ctx, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM audit_log WHERE tenant_id = $1 AND seq = 6`, e.tid); err != nil {
		t.Fatal(err)
	}
	res, err := e.st.VerifyAudit(ctx, auditor, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(res.Problems, "; "), "entry 6 missing") {
		t.Fatalf("removal right after the anchor went unnoticed: %v", res.Problems)
	}
}
