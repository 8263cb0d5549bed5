package agent_test

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/agent"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/postgres/pgtest"
	"github.com/banlihq/banli/scan"
	"github.com/banlihq/banli/seed"
	"github.com/banlihq/banli/tools"
)

// TestClaimThisReceipt follows a receipt photo into a claim: uploaded, read
// by Tesseract in a River job, then "報銷呢張單" with the receipt attached
// proposes a claim filled from it, which executes only when confirmed.
func TestClaimThisReceipt(t *testing.T) {
	ctx := context.Background()
	eng, err := ocr.New(ocr.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	st, err := postgres.New(pgtest.New(t), postgres.Options{Receipts: scan.New(eng), Work: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.FixedZone("HKT", 8*3600))
	st.Now = func() time.Time { return now }
	fx, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	tid, err := seed.Load(ctx, st, fx, "")
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := st.Start(wctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
		defer scancel()
		_ = st.Stop(sctx)
	}()
	me := domain.Actor{TenantID: tid, EmployeeID: "e-103", Via: domain.ViaAPI}
	img, err := os.ReadFile("../evals/testdata/receipts/r002.jpg") // The Peak Noodle Bar, HKD 521.40
	if err != nil {
		t.Fatal(err)
	}
	r, err := st.UploadReceipt(ctx, me, "r002.jpg", img)
	if err != nil {
		t.Fatal(err)
	}
	svc := agent.New(st, agent.Options{Now: func() time.Time { return now }})

	// While the receipt is being read, the assistant says so and proposes nothing.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		got, err := st.GetReceipt(ctx, me, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == domain.ReceiptDone {
			break
		}
		if got.Status == domain.ReceiptFailed || time.Now().After(deadline) {
			t.Fatalf("receipt %s: %s %s", r.ID, got.Status, got.Error)
		}
		reply, err := svc.Converse(ctx, me, agent.Message{Text: "報銷呢張單", Attachments: []string{r.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if len(reply.Proposals) != 0 {
			t.Fatalf("proposed a claim from a receipt not yet read: %+v", reply.Proposals)
		}
		time.Sleep(300 * time.Millisecond)
	}

	reply, err := svc.Converse(ctx, me, agent.Message{Text: "報銷呢張單", Attachments: []string{r.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.Proposals) != 1 || reply.Proposals[0].Tool != tools.CreateExpenseClaim {
		t.Fatalf("want a create_expense_claim proposal, got %+v (reply %q)", reply.Proposals, reply.Text)
	}
	p := reply.Proposals[0]
	for _, want := range []string{r.ID, "521.4", "HKD"} {
		if !strings.Contains(string(p.Args), want) {
			t.Fatalf("proposal args %s lack %q", p.Args, want)
		}
	}
	claims := func() []domain.ExpenseClaim {
		cs, err := st.ListClaims(ctx, me, domain.ClaimFilter{Employee: "e-103"})
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	before := len(claims())
	out, err := svc.Confirm(ctx, me, p.ID, p.Digest, "")
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != domain.ProposalExecuted {
		t.Fatalf("confirm: %+v", out)
	}
	cs := claims()
	if len(cs) != before+1 {
		t.Fatalf("want one new claim, have %d (had %d)", len(cs), before)
	}
	var linked bool
	for _, c := range cs {
		for _, it := range c.Items {
			linked = linked || it.ReceiptID == r.ID
		}
	}
	if !linked {
		t.Fatalf("no claim item links receipt %s: %+v", r.ID, cs)
	}
}
