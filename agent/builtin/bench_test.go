package builtin

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/banlihq/banli/fixture"
)

// benchRequests builds one request per first turn of the dev set (or the
// package's own cases when the dev set is absent).
func benchRequests(tb testing.TB) []Request {
	fx, err := fixture.Demo()
	if err != nil {
		tb.Fatal(err)
	}
	cases := loadCases(tb, "../../evals/testdata/agent/cases.jsonl")
	dir := dirFromFixture(fx)
	loc, _ := time.LoadLocation(fx.Tenant.Timezone)
	var reqs []Request
	for _, c := range cases {
		now, err := time.Parse(time.RFC3339, c.Now)
		if err != nil {
			tb.Fatal(err)
		}
		reqs = append(reqs, Request{Utterance: c.Turns[0].User, Now: now.In(loc), Locale: fx.Tenant.Locale, Currency: fx.Tenant.Currency,
			Actor: c.Actor, Dir: dir, Lookup: memLookup{f: fx, actor: c.Actor, dir: dir}})
	}
	return reqs
}

func BenchmarkPlan(b *testing.B) {
	reqs := benchRequests(b)
	p := New()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Plan(ctx, reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlanLatency plans every dev-set utterance five times and reports
// the per-utterance latency percentiles (p50_ms, p99_ms) beside ns/op:
//
//	go test -run '^$' -bench PlanLatency -benchtime 1x ./agent/builtin/
func BenchmarkPlanLatency(b *testing.B) {
	reqs := benchRequests(b)
	p := New()
	ctx := context.Background()
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for round := 0; round < 5; round++ {
			for _, r := range reqs {
				t0 := time.Now()
				if _, err := p.Plan(ctx, r); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
			}
		}
	}
	b.StopTimer()
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50_ms")
	b.ReportMetric(ms(ds[len(ds)*99/100]), "p99_ms")
	b.ReportMetric(ms(ds[len(ds)-1]), "max_ms")
}
