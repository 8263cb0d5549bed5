// Package receipts scores receipt recognition (OCR, then field extraction) on a
// labelled directory, in the format of the eval contract (FORMAT.md §3):
// dir/labels.jsonl holds one receipt a line, {"file","merchant","date","total",
// "currency"}, with the image or PDF beside it. A field absent from a label is not
// scored; unknown keys are ignored.
package receipts

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/shopspring/decimal"
	"golang.org/x/text/width"

	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/receipt"
)

// Scored field names, as in the report's "fields" object.
const (
	FieldDate     = "date"
	FieldTotal    = "total"
	FieldCurrency = "currency"
	FieldMerchant = "merchant"
)

// MerchantThreshold is the normalised similarity at which a merchant counts as right.
const MerchantThreshold = 0.8

// Options tune a run.
type Options struct {
	// Extract configures field extraction; the zero value means receipt.DefaultOptions().
	Extract *receipt.Options
	// Concurrency is how many receipts are processed at once; 0 means the engine's
	// worker count (more would only queue for a Tesseract client).
	Concurrency int
}

// Label is one line of labels.jsonl. Nil fields are absent and not scored.
type Label struct {
	File     string  `json:"file"`
	Merchant *string `json:"merchant,omitempty"`
	Date     *string `json:"date,omitempty"`
	Total    *string `json:"total,omitempty"`
	Currency *string `json:"currency,omitempty"`
}

// Got is what the pipeline read from a receipt.
type Got struct {
	Merchant string `json:"merchant"`
	Date     string `json:"date"`
	Total    string `json:"total"`
	Currency string `json:"currency"`
}

// Case is one receipt's outcome.
type Case struct {
	File string `json:"file"`
	Got  Got    `json:"got"`
	// OK is true when every scored field is correct.
	OK bool `json:"ok"`
	// Fields tells, per scored field, whether it was correct.
	Fields map[string]bool `json:"fields"`
	// Error is set when the file could not be read or recognised.
	Error string `json:"error,omitempty"`
	// Seconds is the time spent on this receipt (OCR and extraction).
	Seconds float64 `json:"seconds"`
}

// Report is the run's outcome; its JSON keys are the contract's.
type Report struct {
	Total int `json:"total"`
	// Fields maps each scored field to its accuracy in [0,1]; a field no label
	// has scores 0 and has Scored 0.
	Fields map[string]float64 `json:"fields"`
	// Scored counts the labels that carry each field.
	Scored     map[string]int `json:"scored"`
	AllCorrect float64        `json:"all_correct"`
	PerSecond  float64        `json:"per_second"`
	Seconds    float64        `json:"seconds"`
	Errors     int            `json:"errors"`
	Cases      []Case         `json:"cases"`
}

var fieldNames = []string{FieldDate, FieldTotal, FieldCurrency, FieldMerchant}

// ReadLabels parses dir/labels.jsonl.
func ReadLabels(dir string) ([]Label, error) {
	path := filepath.Join(dir, "labels.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("receipts eval: %w", err)
	}
	var labels []Label
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var l Label
		if err := json.Unmarshal(line, &l); err != nil {
			return nil, fmt.Errorf("receipts eval: %s line %d: %w", path, n, err)
		}
		if l.File == "" || !filepath.IsLocal(l.File) {
			return nil, fmt.Errorf("receipts eval: %s line %d: file %q must be a relative path inside the directory", path, n, l.File)
		}
		if l.Total != nil {
			if _, err := decimal.NewFromString(*l.Total); err != nil {
				return nil, fmt.Errorf("receipts eval: %s line %d: total %q: %w", path, n, *l.Total, err)
			}
		}
		labels = append(labels, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("receipts eval: reading %s: %w", path, err)
	}
	return labels, nil
}

// Run recognises every labelled receipt in dir with eng, extracts its fields and
// scores them. progress, if not nil, is called after each receipt (from one
// goroutine at a time). A receipt that fails to be read or recognised counts as
// wrong on every scored field; Run itself fails only on unreadable labels or a
// cancelled context.
func Run(ctx context.Context, dir string, eng *ocr.Engine, opts Options, progress func(done, total int)) (Report, error) {
	labels, err := ReadLabels(dir)
	if err != nil {
		return Report{}, err
	}
	xopts := receipt.DefaultOptions()
	if opts.Extract != nil {
		xopts = *opts.Extract
	}
	workers := opts.Concurrency
	if workers <= 0 {
		workers = eng.Workers()
	}

	cases := make([]Case, len(labels))
	jobs := make(chan int)
	var mu sync.Mutex
	done := 0
	start := time.Now()
	var wg sync.WaitGroup
	for range min(workers, max(1, len(labels))) {
		wg.Go(func() {
			for i := range jobs {
				cases[i] = runCase(ctx, dir, labels[i], eng, xopts)
				if progress != nil {
					mu.Lock()
					done++
					progress(done, len(labels))
					mu.Unlock()
				}
			}
		})
	}
feed:
	for i := range labels {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Report{}, fmt.Errorf("receipts eval: %w", err)
	}
	elapsed := time.Since(start).Seconds()
	return summarise(labels, cases, elapsed), nil
}

func runCase(ctx context.Context, dir string, l Label, eng *ocr.Engine, xopts receipt.Options) Case {
	start := time.Now()
	c := Case{File: l.File}
	data, err := os.ReadFile(filepath.Join(dir, l.File))
	if err == nil {
		var res ocr.Result
		res, err = eng.Recognize(ctx, data)
		if err == nil {
			f := receipt.Extract(res.Text, xopts)
			c.Got = Got{Merchant: f.Merchant.Value, Date: f.Date.Value, Total: f.Total.Value, Currency: f.Currency.Value}
		}
	}
	if err != nil {
		c.Error = err.Error()
	}
	c.Fields = score(l, c.Got)
	c.OK = err == nil
	for _, ok := range c.Fields {
		c.OK = c.OK && ok
	}
	c.Seconds = time.Since(start).Seconds()
	return c
}

// score compares the scored fields of one receipt.
func score(l Label, g Got) map[string]bool {
	out := map[string]bool{}
	if l.Date != nil {
		out[FieldDate] = g.Date == strings.TrimSpace(*l.Date)
	}
	if l.Total != nil {
		out[FieldTotal] = sameAmount(*l.Total, g.Total)
	}
	if l.Currency != nil {
		out[FieldCurrency] = g.Currency == strings.TrimSpace(*l.Currency)
	}
	if l.Merchant != nil {
		out[FieldMerchant] = Similarity(*l.Merchant, g.Merchant) >= MerchantThreshold
	}
	return out
}

// sameAmount compares two amounts as numbers: "45.5" equals "45.50".
func sameAmount(want, got string) bool {
	w, err := decimal.NewFromString(strings.TrimSpace(want))
	if err != nil {
		return false
	}
	g, err := decimal.NewFromString(strings.TrimSpace(got))
	return err == nil && w.Equal(g)
}

func summarise(labels []Label, cases []Case, elapsed float64) Report {
	r := Report{
		Total:   len(labels),
		Fields:  map[string]float64{},
		Scored:  map[string]int{},
		Seconds: elapsed,
		Cases:   cases,
	}
	correct := map[string]int{}
	all := 0
	for _, c := range cases {
		if c.Error != "" {
			r.Errors++
		}
		if c.OK {
			all++
		}
		for f, ok := range c.Fields {
			r.Scored[f]++
			if ok {
				correct[f]++
			}
		}
	}
	for _, f := range fieldNames {
		if r.Scored[f] > 0 {
			r.Fields[f] = float64(correct[f]) / float64(r.Scored[f])
		} else {
			r.Fields[f] = 0
		}
	}
	if r.Total > 0 {
		r.AllCorrect = float64(all) / float64(r.Total)
	}
	if elapsed > 0 {
		r.PerSecond = float64(r.Total) / elapsed
	}
	return r
}

// normalise folds case, width, spaces, punctuation and symbols, so that
// "Café de Coral (旺角)" and "cafe de coral 旺角" compare on their letters.
func normalise(s string) []rune {
	s = strings.ToLower(width.Fold.String(s))
	var out []rune
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Mn, r) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// Similarity is 1 minus the Levenshtein distance between the normalised strings
// (on runes, so a Chinese character is one edit), divided by the longer length.
// Two empty strings are identical; an empty and a non-empty one share nothing.
func Similarity(a, b string) float64 {
	ra, rb := normalise(a), normalise(b)
	if len(ra) == 0 && len(rb) == 0 {
		return 1
	}
	longest := max(len(ra), len(rb))
	return 1 - float64(levenshtein(ra, rb))/float64(longest)
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Table prints the report for people: the accuracies, then the receipts that were
// not entirely right with what was read.
func (r Report) Table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "receipts\t%d\t\n", r.Total)
	for _, f := range fieldNames {
		fmt.Fprintf(tw, "%s\t%.1f%%\t(%d scored)\n", f, 100*r.Fields[f], r.Scored[f])
	}
	fmt.Fprintf(tw, "all fields correct\t%.1f%%\t\n", 100*r.AllCorrect)
	fmt.Fprintf(tw, "receipts/second\t%.2f\t(%.1fs)\n", r.PerSecond, r.Seconds)
	if r.Errors > 0 {
		fmt.Fprintf(tw, "errors\t%d\t\n", r.Errors)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var failed []Case
	for _, c := range r.Cases {
		if !c.OK {
			failed = append(failed, c)
		}
	}
	if len(failed) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nnot entirely right:\n")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\twrong\tgot\n")
	for _, c := range failed {
		var wrong []string
		for _, f := range fieldNames {
			if ok, scored := c.Fields[f]; scored && !ok {
				wrong = append(wrong, f)
			}
		}
		got := fmt.Sprintf("%s | %s | %s %s", c.Got.Merchant, c.Got.Date, c.Got.Currency, c.Got.Total)
		if c.Error != "" {
			got = "error: " + c.Error
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.File, strings.Join(wrong, ","), got)
	}
	return errors.Join(tw.Flush())
}
