package anomaly_test

import (
	"testing"

	"github.com/banlihq/banli/anomaly"
	"github.com/banlihq/banli/anomaly/gen/claimgen"
)

// BenchmarkScore scores items against a history of 100,000 generated items.
//
//	go test ./anomaly -run '^$' -bench Score -benchtime 20000x
func BenchmarkScore(b *testing.B) {
	const history, probes = 100_000, 2_000
	items, err := claimgen.Items(claimgen.Generate(claimgen.Options{N: history + probes, Seed: 7}))
	if err != nil {
		b.Fatal(err)
	}
	s := anomaly.NewScorer(anomaly.DefaultConfig())
	s.Load(items[:history])
	probe := items[history:]
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		s.Score(probe[i%len(probe)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
}
