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

// TestLatency reports per-utterance planning latency percentiles.
func TestLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("latency measurement")
	}
	reqs := benchRequests(t)
	p := New()
	ctx := context.Background()
	var ds []time.Duration
	for round := 0; round < 5; round++ {
		for _, r := range reqs {
			t0 := time.Now()
			if _, err := p.Plan(ctx, r); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(t0))
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	p50, p99 := ds[len(ds)/2], ds[len(ds)*99/100]
	t.Logf("%d plans: p50 %v, p99 %v, max %v", len(ds), p50, p99, ds[len(ds)-1])
	if p99 > 20*time.Millisecond {
		t.Errorf("p99 %v is far above the 2 ms target", p99)
	}
}
