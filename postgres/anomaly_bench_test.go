package postgres_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/postgres/pgtest"
	"github.com/banlihq/banli/seed"
)

// BenchmarkSubmitScored measures submitting a one-item claim, anomaly
// scoring against the tenant's history included. The history is imported
// payable claims of 10 items each, spread over the past year among the demo
// staff; BANLI_BENCH_HISTORY sets its size (default 10,000 items):
//
//	BANLI_BENCH_HISTORY=10000 go test ./postgres -run '^$' -bench SubmitScored -benchtime 50x
func BenchmarkSubmitScored(b *testing.B) {
	ctx := context.Background()
	n := 10_000
	if v := os.Getenv("BANLI_BENCH_HISTORY"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatal(err)
		}
	}
	st, err := postgres.New(pgtest.New(b), postgres.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Hong_Kong")
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, loc)
	st.Now = func() time.Time { return now }
	f, err := fixture.Demo()
	if err != nil {
		b.Fatal(err)
	}
	tid, err := seed.Load(ctx, st, f, "")
	if err != nil {
		b.Fatal(err)
	}
	sys := domain.Actor{TenantID: tid, System: true, Via: domain.ViaSeed}
	emps := []string{"e-102", "e-103", "e-104", "e-105", "e-106", "e-107", "e-108", "e-110", "e-115", "e-116", "e-117"}
	cats := []string{"meals", "transport", "travel", "office_supplies", "communication"}
	for c := 0; c*10 < n; c++ {
		in := domain.ClaimInput{}
		for i := range 10 {
			k := c*10 + i
			in.Items = append(in.Items, domain.ExpenseItem{
				Date:     now.AddDate(0, 0, -1-k%360).Format(domain.DateLayout),
				Category: cats[k%len(cats)], Amount: fmt.Sprintf("%d.%02d", 20+k*37%900, k%100),
				Merchant: fmt.Sprintf("Merchant %d", k%400), InvoiceNo: fmt.Sprintf("INV-%06d", k)})
		}
		if err := st.ImportClaim(ctx, sys, fmt.Sprintf("hist-%05d", c), emps[c%len(emps)], in, domain.StatusPayable); err != nil {
			b.Fatal(err)
		}
	}
	actor := domain.Actor{TenantID: tid, EmployeeID: "e-106", Via: domain.ViaAPI}
	b.ResetTimer()
	for i := range b.N {
		c, err := st.CreateClaim(ctx, actor, domain.ClaimInput{Submit: true, Items: []domain.ExpenseItem{
			{Date: "2026-11-20", Category: "meals", Amount: fmt.Sprintf("%d.50", 100+i), Merchant: "Harbour Cafe"}}})
		if err != nil {
			b.Fatal(err)
		}
		if c.Items[0].AnomalyScore == nil {
			b.Fatal("item not scored")
		}
	}
	b.ReportMetric(float64(n), "history_items")
}
