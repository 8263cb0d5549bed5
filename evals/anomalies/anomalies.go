// Package anomalies runs the expense-anomaly eval of FORMAT.md §4: each item
// of a claims file is scored online against the items before it, and the
// scores are compared with the items' labels.
package anomalies

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/banlihq/banli/anomaly"
)

// KindRecall is the recall on the anomalies of one kind.
type KindRecall struct {
	Total  int     `json:"total"`
	Found  int     `json:"found"`
	Recall float64 `json:"recall"`
}

// Report is the eval's result. The first keys are the contract's.
type Report struct {
	Total            int                   `json:"total"`
	Positives        int                   `json:"positives"`
	ROCAUC           float64               `json:"roc_auc"`
	AveragePrecision float64               `json:"average_precision"`
	Precision        float64               `json:"precision"`
	Recall           float64               `json:"recall"`
	Threshold        float64               `json:"threshold"`
	Flagged          int                   `json:"flagged"`
	PerSecond        float64               `json:"per_second"`
	ByKind           map[string]KindRecall `json:"by_kind,omitempty"`
	// ReasonCounts counts, per reason code, the flagged items it contributed to.
	ReasonCounts map[string]int `json:"reason_counts,omitempty"`
}

// maxLine bounds one JSON line; receipts with long OCR text fit easily.
const maxLine = 4 << 20

// Run scores every line of r online with a fresh scorer and reports how well
// the scores separate the labelled anomalies. progress, when not nil, is
// called with the number of lines done every 1,000 lines.
func Run(ctx context.Context, r io.Reader, cfg anomaly.Config, progress func(done int)) (Report, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	s := anomaly.NewScorer(cfg)
	var (
		scores []float64
		labels []bool
		kinds  []string
		rep    = Report{Threshold: cfg.Threshold, ReasonCounts: map[string]int{}}
		busy   time.Duration
	)
	for n := 1; sc.Scan(); n++ {
		raw := sc.Bytes()
		if len(strings.TrimSpace(string(raw))) == 0 {
			continue
		}
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return rep, fmt.Errorf("anomaly eval: %w", err)
			}
			if progress != nil {
				progress(len(scores))
			}
		}
		var l anomaly.Line
		if err := json.Unmarshal(raw, &l); err != nil {
			return rep, fmt.Errorf("line %d: %w", n, err)
		}
		it, err := l.Item()
		if err != nil {
			return rep, fmt.Errorf("line %d: %w", n, err)
		}
		start := time.Now()
		res := s.Observe(it)
		busy += time.Since(start)
		scores = append(scores, res.Score)
		labels = append(labels, l.Label == 1)
		kinds = append(kinds, l.Kind)
		if res.Flagged(cfg.Threshold) {
			for _, rs := range res.Reasons {
				rep.ReasonCounts[rs.Code]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		return rep, fmt.Errorf("read claims: %w", err)
	}
	if progress != nil {
		progress(len(scores))
	}
	rep.Total = len(scores)
	rep.ROCAUC = ROCAUC(scores, labels)
	rep.AveragePrecision = AveragePrecision(scores, labels)
	var tp, fp int
	for i, sc := range scores {
		flagged := sc >= cfg.Threshold
		if labels[i] {
			rep.Positives++
			if kinds[i] != "" {
				if rep.ByKind == nil {
					rep.ByKind = map[string]KindRecall{}
				}
				k := rep.ByKind[kinds[i]]
				k.Total++
				if flagged {
					k.Found++
				}
				k.Recall = float64(k.Found) / float64(k.Total)
				rep.ByKind[kinds[i]] = k
			}
		}
		switch {
		case flagged && labels[i]:
			tp++
		case flagged:
			fp++
		}
	}
	rep.Flagged = tp + fp
	if tp+fp > 0 {
		rep.Precision = float64(tp) / float64(tp+fp)
	}
	if rep.Positives > 0 {
		rep.Recall = float64(tp) / float64(rep.Positives)
	}
	if busy > 0 {
		rep.PerSecond = float64(rep.Total) / busy.Seconds()
	}
	return rep, nil
}

// ROCAUC is the probability that a random anomaly scores above a random
// normal item, ties counting half (the Mann-Whitney statistic). It is 0.5
// when either class is empty.
func ROCAUC(scores []float64, labels []bool) float64 {
	idx := sortedByScore(scores)
	var pos, neg int
	for _, l := range labels {
		if l {
			pos++
		} else {
			neg++
		}
	}
	if pos == 0 || neg == 0 {
		return 0.5
	}
	// Sum of the positives' ranks, tied scores sharing their average rank.
	var rankSum float64
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // ranks i+1..j, ascending
		for k := i; k < j; k++ {
			if labels[idx[k]] {
				rankSum += avg
			}
		}
		i = j
	}
	u := rankSum - float64(pos)*float64(pos+1)/2
	return u / (float64(pos) * float64(neg))
}

// AveragePrecision is the area under the precision-recall curve as the sum
// of precision at each distinct score, weighted by the recall gained there
// (scikit-learn's definition; tied scores form one step). It is 0 when there
// are no positives.
func AveragePrecision(scores []float64, labels []bool) float64 {
	idx := sortedByScore(scores)
	var pos int
	for _, l := range labels {
		if l {
			pos++
		}
	}
	if pos == 0 {
		return 0
	}
	var ap float64
	tp, seen := 0, 0
	for i := len(idx) - 1; i >= 0; {
		j := i
		gained := 0
		for j >= 0 && scores[idx[j]] == scores[idx[i]] {
			if labels[idx[j]] {
				gained++
			}
			j--
		}
		seen += i - j
		tp += gained
		ap += float64(gained) / float64(pos) * float64(tp) / float64(seen)
		i = j
	}
	return ap
}

// sortedByScore returns indexes in ascending order of score.
func sortedByScore(scores []float64) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	return idx
}

// Table prints the report for people.
func (r Report) Table(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "anomaly eval: %d items, %d anomalies\n", r.Total, r.Positives)
	fmt.Fprintf(&b, "  %-20s %8.4f\n", "ROC AUC", r.ROCAUC)
	fmt.Fprintf(&b, "  %-20s %8.4f\n", "average precision", r.AveragePrecision)
	fmt.Fprintf(&b, "  %-20s %8.4f  (threshold %.2f, %d flagged)\n", "precision", r.Precision, r.Threshold, r.Flagged)
	fmt.Fprintf(&b, "  %-20s %8.4f\n", "recall", r.Recall)
	fmt.Fprintf(&b, "  %-20s %8.0f\n", "items/second", r.PerSecond)
	if len(r.ByKind) > 0 {
		kinds := make([]string, 0, len(r.ByKind))
		for k := range r.ByKind {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		fmt.Fprintf(&b, "  recall by kind:\n")
		for _, k := range kinds {
			kr := r.ByKind[k]
			fmt.Fprintf(&b, "    %-20s %6.3f  (%d/%d)\n", k, kr.Recall, kr.Found, kr.Total)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
