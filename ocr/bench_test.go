package ocr_test

import (
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/banlihq/banli/ocr"
)

// devImages loads the dev set's images (not its PDFs), sorted by name, so that the
// benchmark and bench_cli.sh measure the same files.
func devImages(b *testing.B) [][]byte {
	b.Helper()
	var files []string
	for _, pat := range []string{"*.jpg", "*.png"} {
		m, err := filepath.Glob(filepath.Join("..", "evals", "testdata", "receipts", pat))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, m...)
	}
	slices.Sort(files)
	if len(files) == 0 {
		b.Skip("no dev set images")
	}
	out := make([][]byte, len(files))
	for i, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = data
	}
	return out
}

// BenchmarkRecognizePool measures receipts/second through the pool with one
// client per core, the way the server runs it. See README.md for the numbers.
func BenchmarkRecognizePool(b *testing.B) {
	imgs := devImages(b)
	e, err := ocr.New(ocr.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Close()
	var next atomic.Int64
	b.SetParallelism(1) // GOMAXPROCS goroutines: as many as clients
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			data := imgs[int(next.Add(1)-1)%len(imgs)]
			if _, err := e.Recognize(b.Context(), data); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "receipts/s")
}
