package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReceiptsScan reads a PNG, a PDF and a HEIC photo with the real OCR
// engine; a file that is not a receipt and a missing one get a sentence each
// without stopping the batch, and the command exits non-zero.
func TestReceiptsScan(t *testing.T) {
	t.Setenv("OMP_THREAD_LIMIT", "1")
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("shopping list: milk, eggs"), 0o600); err != nil {
		t.Fatal(err)
	}
	files := []string{"../../evals/testdata/receipts/r001.png", "../../evals/testdata/receipts/r003.pdf", "../../ocr/testdata/sample.heic", text, filepath.Join(dir, "missing.jpg")}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"receipts", "scan", "--json"}, files...), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "2 of 5 files could not be read") {
		t.Fatalf("err = %v", err)
	}
	var got []scanResult
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var r scanResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		got = append(got, r)
	}
	if len(got) != len(files) {
		t.Fatalf("%d results for %d files: %s", len(got), len(files), stdout.String())
	}
	want := []struct{ total, currency, err string }{
		{"37.00", "HKD", ""},
		{"535.30", "CNY", ""},
		{"45.50", "HKD", ""},
		{"", "", "not a supported receipt format"},
		{"", "", "cannot open the file: no such file or directory"},
	}
	for i, w := range want {
		r := got[i]
		if r.File != files[i] {
			t.Errorf("result %d is for %s, want %s", i, r.File, files[i])
		}
		if w.err != "" {
			if !strings.Contains(r.Error, w.err) || r.Fields != nil {
				t.Errorf("%s: %+v, want error %q", r.File, r, w.err)
			}
			continue
		}
		if r.Error != "" || r.Fields == nil || r.Fields.Total != w.total || r.Fields.Currency != w.currency {
			t.Errorf("%s: %+v %+v, want %s %s", r.File, r.Fields, r.Error, w.currency, w.total)
		}
	}
	if !strings.Contains(stderr.String(), "receipts [") || !strings.Contains(stderr.String(), "5/5") {
		t.Errorf("no progress bar on stderr: %q", stderr.String())
	}

	// The plain form prints each field with its confidence.
	stdout.Reset()
	if err := run(context.Background(), []string{"receipts", "scan", files[0]}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if out := stdout.String(); !strings.Contains(out, "total     37.00  (") || !strings.Contains(out, "date      2026-02-21") {
		t.Errorf("plain output:\n%s", out)
	}
}
