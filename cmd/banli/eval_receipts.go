package main

import (
	"context"
	"errors"
	"io"

	"github.com/banlihq/banli/evals/receipts"
	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/progress"
)

func evalReceipts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval receipts")
	dir := fs.String("dir", "", "folder with labels.jsonl and the receipts (shared evals/FORMAT.md §3)")
	jsonOut := fs.String("json", "", "write the JSON report here")
	minDate := fs.Float64("min-date", -1, "fail below this date accuracy")
	minTotal := fs.Float64("min-total", -1, "fail below this total accuracy")
	minCurrency := fs.Float64("min-currency", -1, "fail below this currency accuracy")
	minMerchant := fs.Float64("min-merchant", -1, "fail below this merchant accuracy")
	minAll := fs.Float64("min-all", -1, "fail below this all-fields-correct rate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("--dir is required")
	}
	eng, err := ocr.New(ocr.Config{})
	if err != nil {
		return err
	}
	defer eng.Close()
	var bar *progress.Bar
	rep, err := receipts.Run(ctx, *dir, eng, receipts.Options{}, func(done, total int) {
		if bar == nil {
			bar = progress.New(stderr, "receipts", total)
		}
		bar.Set(done)
	})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	if err := rep.Table(stdout); err != nil {
		return err
	}
	if err := writeJSON(*jsonOut, rep); err != nil {
		return err
	}
	for _, c := range []struct {
		name string
		min  float64
	}{{receipts.FieldDate, *minDate}, {receipts.FieldTotal, *minTotal}, {receipts.FieldCurrency, *minCurrency}, {receipts.FieldMerchant, *minMerchant}} {
		if err := floor(c.name, rep.Fields[c.name], c.min); err != nil {
			return err
		}
	}
	return floor("all_correct", rep.AllCorrect, *minAll)
}
