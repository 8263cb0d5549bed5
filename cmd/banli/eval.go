package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/banlihq/banli/anomaly"
	"github.com/banlihq/banli/evals/anomalies"
	"github.com/banlihq/banli/progress"
)

func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: banli eval anomaly|receipts|agent|meetings [flags]")
	}
	switch args[0] {
	case "anomaly":
		return evalAnomaly(ctx, args[1:], stdout, stderr)
	case "agent":
		return evalAgent(ctx, args[1:], stdout, stderr)
	case "receipts":
		return evalReceipts(ctx, args[1:], stdout, stderr)
	case "meetings":
		return evalMeetings(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown eval suite %q (anomaly, receipts, agent, meetings)", args[0])
}

// writeJSON writes a suite's report to path when set.
func writeJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// floor checks a --min-* threshold; a negative threshold means unset.
func floor(name string, got, min float64) error {
	if min >= 0 && got < min {
		return exitError{fmt.Sprintf("%s %.4f is below the floor %.4f", name, got, min)}
	}
	return nil
}

func evalAnomaly(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval anomaly")
	claims := fs.String("claims", "", "expense items JSONL (shared evals/FORMAT.md §4)")
	jsonOut := fs.String("json", "", "write the JSON report here")
	minAUC := fs.Float64("min-auc", -1, "fail below this ROC AUC")
	minAP := fs.Float64("min-ap", -1, "fail below this average precision")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *claims == "" {
		return errors.New("--claims is required")
	}
	f, err := os.Open(*claims)
	if err != nil {
		return fmt.Errorf("open claims: %w", err)
	}
	defer f.Close()
	bar := progress.New(stderr, "scoring", 0)
	rep, err := anomalies.Run(ctx, f, anomaly.DefaultConfig(), func(done int) { bar.Set(done) })
	bar.Finish()
	if err != nil {
		return err
	}
	rep.Table(stdout)
	if err := writeJSON(*jsonOut, rep); err != nil {
		return err
	}
	if err := floor("roc_auc", rep.ROCAUC, *minAUC); err != nil {
		return err
	}
	return floor("average_precision", rep.AveragePrecision, *minAP)
}
