// Command gen writes a seeded, deterministic expense-claim history with
// labelled anomalies, one item a line in the format of evals FORMAT.md §4.
//
//	go run ./anomaly/gen -n 5000 -seed 1 -out claims.jsonl
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/banlihq/banli/anomaly/gen/claimgen"
)

func main() {
	n := flag.Int("n", 5000, "number of lines")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "-", "output file, - for standard output")
	rate := flag.Float64("rate", 0, "share of claim items that spawn an anomaly (0: default)")
	flag.Parse()
	if err := run(*n, *seed, *rate, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, rate float64, out string) error {
	lines := claimgen.Generate(claimgen.Options{N: n, Seed: seed, AnomalyRate: rate})
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return fmt.Errorf("create output: %w", err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	if err := claimgen.Write(bw, lines); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("flush output: %w", err)
	}
	return nil
}
