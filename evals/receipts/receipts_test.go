package receipts_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/banlihq/banli/evals/receipts"
	"github.com/banlihq/banli/evals/receipts/render"
	"github.com/banlihq/banli/ocr"
)

const devSet = "../testdata/receipts"

func TestSimilarity(t *testing.T) {
	tests := []struct {
		a, b string
		min  float64
		max  float64
	}{
		{"大家樂", "大家樂", 1, 1},
		{"Golden Harbour Cafe Ltd.", "golden harbour cafe ltd", 1, 1},
		{"Café de Coral", "CAFE DE CORAL", 0.9, 1}, // é folds only by width, not accent: one edit
		{"ＨＡＲＢＯＵＲ", "harbour", 1, 1},
		{"上海静安小笼包餐饮有限公司", "上海静安小笼包餐饮有限公", 0.9, 0.95},
		{"大家樂", "美心", 0, 0.01},
		{"", "", 1, 1},
		{"Maxim's", "", 0, 0},
	}
	for _, tt := range tests {
		got := receipts.Similarity(tt.a, tt.b)
		if got < tt.min || got > tt.max {
			t.Errorf("Similarity(%q, %q) = %.3f, want in [%v, %v]", tt.a, tt.b, got, tt.min, tt.max)
		}
	}
}

func writeSet(t *testing.T, files map[string][]byte, labels ...string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "labels.jsonl"), []byte(strings.Join(labels, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReadLabelsRejects(t *testing.T) {
	tests := map[string]string{
		"bad json":           `{"file":`,
		"escaping path":      `{"file":"../secret.jpg"}`,
		"no file":            `{"merchant":"x"}`,
		"total not a number": `{"file":"a.jpg","total":"forty"}`,
	}
	for name, line := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := receipts.ReadLabels(writeSet(t, nil, line)); err == nil {
				t.Error("ReadLabels accepted it")
			}
		})
	}
}

// TestRunScoring runs the whole pipeline on text-layer PDFs (exact text, so the
// expected scores are known) and checks absent fields, number comparison, merchant
// similarity, unreadable files and the report's JSON keys.
func TestRunScoring(t *testing.T) {
	r := render.Receipt{Lines: []render.Line{
		{Left: "Harbour Books Ltd", Center: true},
		{Left: "Date: 05/03/2026"},
		{Left: "Novel", Right: "120.00"},
		{Left: "TOTAL", Right: "HK$ 120.00"},
	}}
	dir := writeSet(t,
		map[string][]byte{"a.pdf": render.TextPDF(r), "broken.jpg": []byte("\xff\xd8\xffnot really")},
		`{"file":"a.pdf","merchant":"HARBOUR BOOKS LTD.","date":"2026-03-05","total":"120","currency":"HKD","extra":"ignored"}`,
		`{"file":"a.pdf","merchant":"Harbor Book Ltd","total":"120.0"}`,
		`{"file":"a.pdf","date":"2026-05-03","currency":"USD"}`,
		`{"file":"broken.jpg","total":"1.00"}`,
	)
	eng, err := ocr.New(ocr.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	var mu sync.Mutex
	var calls []int
	rep, err := receipts.Run(t.Context(), dir, eng, receipts.Options{Concurrency: 2}, func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != 4 {
			t.Errorf("progress total = %d", total)
		}
		calls = append(calls, done)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 4 || calls[3] != 4 {
		t.Errorf("progress calls = %v", calls)
	}
	want := map[string]float64{"date": 0.5, "total": 2.0 / 3, "currency": 0.5, "merchant": 1}
	for f, w := range want {
		if math.Abs(rep.Fields[f]-w) > 1e-9 {
			t.Errorf("%s accuracy = %v, want %v (report %+v)", f, rep.Fields[f], w, rep)
		}
	}
	if rep.Total != 4 || rep.Errors != 1 || math.Abs(rep.AllCorrect-0.5) > 1e-9 || rep.PerSecond <= 0 {
		t.Errorf("total %d errors %d all_correct %v per_second %v", rep.Total, rep.Errors, rep.AllCorrect, rep.PerSecond)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"total", "fields", "all_correct", "per_second", "cases"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("JSON report lacks %q", k)
		}
	}
	var cases []map[string]json.RawMessage
	if err := json.Unmarshal(keys["cases"], &cases); err != nil || len(cases) != 4 {
		t.Fatalf("cases: %v %s", err, keys["cases"])
	}
	for _, k := range []string{"file", "got", "ok"} {
		if _, ok := cases[0][k]; !ok {
			t.Errorf("case lacks %q", k)
		}
	}
	var out bytes.Buffer
	if err := rep.Table(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "merchant") || !strings.Contains(out.String(), "broken.jpg") {
		t.Errorf("table:\n%s", out.String())
	}
}

// TestDevSet runs the eval on the committed dev set and holds the measured quality
// (see ocr/README.md) with a small margin.
func TestDevSet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Tesseract on the whole dev set (about a minute on 2 cores)")
	}
	eng, err := ocr.New(ocr.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	rep, err := receipts.Run(t.Context(), devSet, eng, receipts.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := rep.Table(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
	if rep.Total < 40 {
		t.Errorf("dev set has %d receipts, want at least 40", rep.Total)
	}
	floors := map[string]float64{"date": 0.95, "total": 0.93, "currency": 0.90, "merchant": 0.93}
	for f, min := range floors {
		if rep.Fields[f] < min {
			t.Errorf("%s accuracy %.3f below the floor %.2f", f, rep.Fields[f], min)
		}
	}
	if rep.AllCorrect < 0.85 {
		t.Errorf("all-fields-correct %.3f below the floor 0.85", rep.AllCorrect)
	}
	if rep.Errors > 0 {
		t.Errorf("%d receipts failed to be recognised", rep.Errors)
	}
}
