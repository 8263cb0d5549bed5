package claimgen

import (
	"bytes"
	"testing"
)

func TestGenerateDeterministicAndRealistic(t *testing.T) {
	opt := Options{N: 3000, Seed: 42}
	var a, b bytes.Buffer
	if err := Write(&a, Generate(opt)); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, Generate(opt)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed, different output")
	}
	lines := Generate(opt)
	if len(lines) != opt.N {
		t.Fatalf("%d lines, want %d", len(lines), opt.N)
	}
	kinds := map[string]int{}
	currencies := map[string]int{}
	pos := 0
	for i, l := range lines {
		currencies[l.Currency]++
		if l.Label == 1 {
			pos++
			kinds[l.Kind]++
		}
		if i > 0 && l.SubmittedAt < lines[i-1].SubmittedAt {
			t.Fatalf("line %d submitted before the line above it", i+1)
		}
	}
	if rate := float64(pos) / float64(len(lines)); rate < 0.04 || rate > 0.09 {
		t.Errorf("anomaly rate %.3f, want about 0.05-0.08", rate)
	}
	for _, k := range []string{KindDuplicateExact, KindDuplicateRephoto, KindSplit, KindOutlier, KindNonWorkingDay,
		KindStale, KindOCRMismatch, KindCategory} {
		if kinds[k] == 0 {
			t.Errorf("no anomaly of kind %s in %v", k, kinds)
		}
	}
	for _, c := range []string{"HKD", "CNY", "USD"} {
		if currencies[c] == 0 {
			t.Errorf("no %s items: %v", c, currencies)
		}
	}
}
