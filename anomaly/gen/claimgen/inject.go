package claimgen

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// anomaly adds one anomaly of a random kind to the employee's claim.
func (g *gen) anomaly(e *employee, submit time.Time) {
	x := g.r.Float64()
	kind := kindWeights[len(kindWeights)-1].kind
	for _, kw := range kindWeights {
		if x -= kw.w; x < 0 {
			kind = kw.kind
			break
		}
	}
	var its []*item
	switch kind {
	case KindDuplicateExact, KindDuplicateRephoto, KindDuplicateManual:
		its = g.duplicate(e, submit, kind)
	case KindSplit:
		its = g.split(e, submit)
	case KindOutlier:
		it := g.normal(e, g.pickCategory(e, nil), submit)
		g.setAmount(it, it.amount*math.Exp(math.Log(5)+g.r.Float64()*math.Log(5)), true)
		its = []*item{it}
	case KindNonWorkingDay:
		cat := g.pickCategory(e, []string{"meals", "transport", "office_supplies"})
		it := g.normal(e, cat, submit)
		d := it.day
		for g.working(d) {
			d = d.AddDate(0, 0, -1)
		}
		g.setDay(it, d)
		its = []*item{it}
	case KindStale:
		it := g.normal(e, g.pickCategory(e, nil), submit)
		g.setDay(it, it.day.AddDate(0, 0, -(95+g.r.IntN(300))))
		its = []*item{it}
	case KindFuture:
		it := g.normal(e, g.pickCategory(e, nil), submit)
		d := time.Date(submit.Year(), submit.Month(), submit.Day(), 0, 0, 0, 0, hk)
		g.setDay(it, d.AddDate(0, 0, 2+g.r.IntN(40)))
		its = []*item{it}
	case KindOCRMismatch:
		var it *item
		for range 20 {
			if it = g.normal(e, g.pickCategory(e, nil), submit); it.line.OCRTotal != "" {
				break
			}
		}
		if it.line.OCRTotal == "" {
			return
		}
		// The receipt's total stays; the claim is inflated, by a digit or a share.
		ocr := it.amount
		inflated := ocr * (1.2 + 1.5*g.r.Float64())
		if g.r.Float64() < 0.4 {
			inflated = ocr + math.Pow(10, math.Floor(math.Log10(ocr)))
		}
		g.setAmount(it, inflated, false)
		it.line.OCRTotal = fmt.Sprintf("%.2f", ocr)
		its = []*item{it}
	case KindCategory:
		its = []*item{g.miscategorised(e, submit)}
	}
	for _, it := range its {
		if it == nil {
			continue
		}
		it.line.Label = 1
		it.line.Kind = kind
		g.emit(it)
	}
}

// pickCategory draws a category from the employee's mix, restricted to allow when given.
func (g *gen) pickCategory(e *employee, allow []string) string {
	var total float64
	var cats []string
	for _, c := range []string{"meals", "transport", "travel", "lodging", "entertainment", "office_supplies", "training", "communication", "other"} {
		if w := e.mix[c]; w > 0 && (allow == nil || contains(allow, c)) && c != "communication" {
			cats = append(cats, c)
			total += w
		}
	}
	if len(cats) == 0 {
		return allow[g.r.IntN(len(allow))]
	}
	x := g.r.Float64() * total
	for _, c := range cats {
		if x -= e.mix[c]; x < 0 {
			return c
		}
	}
	return cats[len(cats)-1]
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// setAmount changes an item's claimed amount; with receipt, the receipt's
// text and total follow unless the claim is what was altered.
func (g *gen) setAmount(it *item, amount float64, receiptFollows bool) {
	amount = round2(amount)
	if it.line.Category == "meals" || it.line.Category == "transport" {
		amount = math.Round(amount*2) / 2
	}
	old := it.line.Amount
	it.amount = amount
	it.line.Amount = fmt.Sprintf("%.2f", amount)
	if receiptFollows && it.line.OCRText != "" {
		it.line.OCRText = strings.ReplaceAll(it.line.OCRText, old, it.line.Amount)
		it.line.OCRTotal = it.line.Amount
	}
}

// setDay changes an item's receipt date and the date printed on its receipt.
func (g *gen) setDay(it *item, d time.Time) {
	old := it.line.Date
	it.day = d
	it.line.Date = d.Format(time.DateOnly)
	it.line.OCRText = strings.ReplaceAll(it.line.OCRText, old, it.line.Date)
}

// duplicate claims an earlier item again: the employee's own (mostly) or a
// colleague's from the same department.
func (g *gen) duplicate(e *employee, submit time.Time, kind string) []*item {
	var pool []*item
	lo := max(0, len(g.items)-3000)
	for _, it := range g.items[lo:] {
		if it.line.Label == 1 || it.submit.After(submit) || submit.Sub(it.submit) > 120*24*time.Hour {
			continue
		}
		own := it.line.Employee == e.id
		if !own && (it.line.Department != e.dept || g.r.Float64() < 0.8) {
			continue
		}
		if kind != KindDuplicateManual && !it.hasRec {
			continue
		}
		pool = append(pool, it)
	}
	if len(pool) == 0 {
		return nil
	}
	src := pool[g.r.IntN(len(pool))]
	d := *src
	d.submit = submit
	d.line.Employee, d.line.Department = e.id, e.dept
	switch kind {
	case KindDuplicateRephoto:
		d.line.ReceiptHash = fmt.Sprintf("%016x%016x", g.r.Uint64(), g.r.Uint64())
		if d.line.OCRText != "" {
			d.line.OCRText = g.noise(strings.TrimSpace(d.line.OCRText))
		}
	case KindDuplicateManual:
		d.hasRec = false
		d.line.ReceiptHash, d.line.OCRText, d.line.OCRTotal, d.line.InvoiceNo = "", "", "", ""
	}
	return []*item{&d}
}

// split breaks one purchase over an approval threshold into parts at the
// same merchant over a few days, each under the threshold.
func (g *gen) split(e *employee, submit time.Time) []*item {
	cat := []string{"entertainment", "office_supplies", "lodging", "training", "other"}[g.r.IntN(5)]
	m := g.pickMerchant(cat, "HKD")
	threshold := 5000.0
	if g.r.Float64() < 0.2 {
		threshold = 10000
	}
	var amounts []float64
	n := 2 + g.r.IntN(2)
	if g.r.Float64() < 0.5 {
		// Each part just under the threshold.
		for range n {
			amounts = append(amounts, threshold*(0.86+0.13*g.r.Float64()))
		}
	} else {
		// Parts of a total past the threshold.
		total := threshold * (1.1 + g.r.Float64())
		left := total
		for i := range n {
			part := left / float64(n-i) * (0.8 + 0.4*g.r.Float64())
			if i == n-1 {
				part = left
			}
			part = math.Min(part, threshold*0.98)
			amounts = append(amounts, part)
			left -= part
		}
	}
	first := g.receiptDay(e, cat, submit)
	var its []*item
	for i, a := range amounts {
		d := first.AddDate(0, 0, min(i*g.r.IntN(2), 3))
		if d.After(submit) {
			d = first
		}
		if cat == "training" || g.r.Float64() < 0.5 {
			a = math.Round(a/10) * 10
		}
		its = append(its, g.finish(e, cat, m, d, submit, round2(a)))
	}
	return its
}

// miscategorised claims a merchant of one category under another: a hotel
// stay as meals, a bar or gift shop as office supplies, a flight as other.
func (g *gen) miscategorised(e *employee, submit time.Time) *item {
	pairs := [][2]string{{"lodging", "meals"}, {"entertainment", "office_supplies"}, {"lodging", "transport"}, {"travel", "office_supplies"}, {"entertainment", "training"}, {"office_supplies", "meals"}}
	p := pairs[g.r.IntN(len(pairs))]
	it := g.normal(e, p[0], submit)
	it.line.Category = p[1]
	return it
}

// fabricated invents a round amount at a usual merchant.
func (g *gen) fabricated(e *employee, cat string, submit time.Time) *item {
	it := g.normal(e, cat, submit)
	med := categoryAmount[cat][0] * e.scale
	if it.line.Currency == "CNY" {
		med /= 1.08
	}
	step := 50.0
	if med > 400 {
		step = 100
	}
	g.setAmount(it, math.Max(step, math.Round(g.logNormal(med*1.5, 0.4)/step)*step), true)
	it.line.Label = 1
	it.line.Kind = KindRoundFabricated
	return it
}
