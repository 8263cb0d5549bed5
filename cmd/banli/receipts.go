package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/progress"
	"github.com/banlihq/banli/scan"
)

// openReceiptReader starts the OCR engine for the server's receipt jobs. A
// machine without Tesseract's models still serves everything else: receipt
// uploads are then refused with a plain message.
func openReceiptReader(log *slog.Logger) (*scan.Reader, func()) {
	eng, err := ocr.New(ocr.Config{})
	if err != nil {
		log.Warn("receipt OCR is off", "err", err)
		return nil, func() {}
	}
	return scan.New(eng), func() { _ = eng.Close() }
}

// scanResult is one file's outcome in `banli receipts scan --json`.
type scanResult struct {
	File   string                `json:"file"`
	Error  string                `json:"error,omitempty"`
	Fields *domain.ReceiptFields `json:"fields,omitempty"`
	Scan   *domain.ReceiptScan   `json:"scan,omitempty"`
	// Text is what OCR read, for checking the fields against.
	Text string `json:"text,omitempty"`
}

func cmdReceipts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const use = "usage: banli receipts scan [--json] [--currency HKD] [--month-first] FILE..."
	if len(args) == 0 || args[0] != "scan" {
		return errors.New(use)
	}
	fs := newFlags("receipts scan")
	asJSON := fs.Bool("json", false, "print one JSON object per file (with the OCR text)")
	currency := fs.String("currency", "HKD", "currency assumed for a bare $")
	monthFirst := fs.Bool("month-first", false, "read 05/03/2026 as May 3 (US); default day first")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		return errors.New(use)
	}
	eng, err := ocr.New(ocr.Config{})
	if err != nil {
		return fmt.Errorf("cannot start OCR (are tesseract-ocr and its eng, chi-tra and chi-sim models installed?): %w", err)
	}
	defer eng.Close()
	rd := scan.New(eng)

	results := make([]scanResult, len(files))
	var bar *progress.Bar
	if len(files) > 1 {
		bar = progress.New(stderr, "receipts", len(files))
	}
	// As many files at once as the engine has Tesseract clients; printed in
	// the order given.
	sem := make(chan struct{}, rd.Workers())
	var wg sync.WaitGroup
	for i, name := range files {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = scanFile(ctx, rd, name, *currency, !*monthFirst)
			if bar != nil {
				bar.Add(1)
			}
		})
	}
	wg.Wait()
	if bar != nil {
		bar.Finish()
	}
	failed := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, r := range results {
		if r.Error != "" {
			failed++
		}
		if *asJSON {
			if err := enc.Encode(r); err != nil {
				return err
			}
			continue
		}
		printScan(stdout, r)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return exitError{fmt.Sprintf("%d of %d files could not be read", failed, len(files))}
	}
	return nil
}

// scanFile reads one file; every failure becomes a plain sentence.
func scanFile(ctx context.Context, rd *scan.Reader, name, currency string, dayFirst bool) scanResult {
	r := scanResult{File: name}
	data, err := os.ReadFile(name)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		r.Error = "cannot open the file: " + err.Error()
		return r
	}
	text, s, err := rd.Read(ctx, data, currency, dayFirst)
	if err != nil {
		r.Error = message(err)
		return r
	}
	f := s.Values()
	r.Fields, r.Scan, r.Text = &f, &s, text
	return r
}

func printScan(w io.Writer, r scanResult) {
	fmt.Fprintln(w, r.File)
	if r.Error != "" {
		fmt.Fprintln(w, "  error: "+r.Error)
		return
	}
	s := r.Scan
	for _, f := range []struct {
		name string
		v    domain.ScanField
	}{{"merchant", s.Merchant}, {"date", s.Date}, {"total", s.Total}, {"currency", s.Currency}, {"number", s.Number}, {"tax", s.Tax}} {
		v := f.v.Value
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(w, "  %-9s %s", f.name, v)
		if f.v.Value != "" {
			fmt.Fprintf(w, "  (%.0f%%)", f.v.Confidence*100)
		}
		fmt.Fprintln(w)
	}
	for _, it := range s.Items {
		q := ""
		if it.Quantity != "" {
			q = it.Quantity + " × "
		}
		fmt.Fprintf(w, "  item      %s%s  %s\n", q, it.Description, it.Amount)
	}
}
