// Package claimgen generates seeded, deterministic expense-claim histories
// with labelled anomalies, in the eval format of FORMAT.md §4.
//
// The histories look like a Hong Kong company's: employees in departments
// with their own spending mixes, monthly claims submitted days after the
// receipts, working-day patterns, HKD with some CNY and USD, invented
// merchants named in Chinese and English, receipt text with OCR noise. About
// 6% of items are anomalies of every kind the anomaly package checks for,
// drawn from the same merchants and amount distributions as normal items so
// that nothing but the anomaly itself gives them away.
package claimgen

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/banlihq/banli/anomaly"
)

// Line is one expense item of the eval format.
type Line = anomaly.Line

// Anomaly kinds, as written in a line's kind key.
const (
	KindDuplicateExact   = "duplicate_exact"   // the same receipt file again
	KindDuplicateRephoto = "duplicate_rephoto" // the same receipt photographed again
	KindDuplicateManual  = "duplicate_manual"  // the same purchase typed in again, no receipt
	KindSplit            = "split_claim"
	KindOutlier          = "amount_outlier"
	KindNonWorkingDay    = "non_working_day"
	KindRoundFabricated  = "round_fabricated"
	KindStale            = "stale_receipt"
	KindFuture           = "future_date"
	KindOCRMismatch      = "ocr_mismatch"
	KindCategory         = "category_mismatch"
)

// Options control a generated history.
type Options struct {
	N           int       // lines to produce
	Seed        uint64    // same seed, same lines
	Start       time.Time // first submission day; zero means 2025-07-01
	Months      int       // span of submissions; zero means 12
	AnomalyRate float64   // share of claim items that spawn an anomaly; zero means 0.055
}

// kindWeights is the mix of anomalies spawned in claims (round amounts come
// from a few fabricating employees instead, see employee.fabricator).
var kindWeights = []struct {
	kind string
	w    float64
}{
	{KindDuplicateExact, 0.13}, {KindDuplicateRephoto, 0.10}, {KindDuplicateManual, 0.08},
	{KindSplit, 0.10}, {KindOutlier, 0.14}, {KindNonWorkingDay, 0.11}, {KindStale, 0.07},
	{KindFuture, 0.04}, {KindOCRMismatch, 0.08}, {KindCategory, 0.09},
}

type employee struct {
	id, dept   string
	mix        map[string]float64
	scale      float64 // spending level
	weekend    float64 // share of working-day-category items legitimately on non-working days
	mainland   float64 // share of meals and transport on mainland trips
	fabricator bool    // invents some round amounts
	fares      []float64
	plan       float64
	telco      merchant
	billDay    int       // day of month of the phone bill
	lastBill   time.Time // month of the last phone bill claimed
	lag        float64   // median days from receipt to submission
}

type item struct {
	line   Line
	day    time.Time
	amount float64
	submit time.Time
	hasRec bool
}

type gen struct {
	r        *rand.Rand
	opt      Options
	holidays map[string]bool
	emps     []*employee
	items    []*item   // in submission order
	last     time.Time // submission time of the last item
}

// Generate returns opt.N lines in submission order.
func Generate(opt Options) []Line {
	if opt.Start.IsZero() {
		opt.Start = time.Date(2025, 7, 1, 0, 0, 0, 0, hk)
	}
	if opt.Months == 0 {
		opt.Months = 12
	}
	if opt.AnomalyRate == 0 {
		opt.AnomalyRate = 0.055
	}
	g := &gen{r: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5bd1e995)), opt: opt, holidays: map[string]bool{}}
	for _, d := range anomaly.HongKongHolidays() {
		g.holidays[d] = true
	}
	g.hire(max(12, int(math.Round(float64(opt.N)/float64(opt.Months)/3.8))))
	type claim struct {
		e      *employee
		submit time.Time
	}
	var claims []claim
	for m := range opt.Months {
		month := opt.Start.AddDate(0, m, 0)
		for _, e := range g.emps {
			n := 1
			if g.r.Float64() < 0.25 {
				n = 2
			}
			for range n {
				d := g.workingDayNear(month.AddDate(0, 0, g.r.IntN(28)))
				at := d.Add(time.Duration(9*3600+g.r.IntN(10*3600)) * time.Second)
				claims = append(claims, claim{e, at})
			}
		}
	}
	sort.SliceStable(claims, func(a, b int) bool { return claims[a].submit.Before(claims[b].submit) })
	for _, c := range claims {
		g.fillClaim(c.e, c.submit)
		if len(g.items) >= opt.N {
			break
		}
	}
	if len(g.items) > opt.N {
		g.items = g.items[:opt.N]
	}
	out := make([]Line, len(g.items))
	for i, it := range g.items {
		it.line.ID = fmt.Sprintf("x%06d", i+1)
		out[i] = it.line
	}
	return out
}

// Items converts lines to the scorer's items, for tests and benchmarks.
func Items(lines []Line) ([]anomaly.Item, error) {
	out := make([]anomaly.Item, len(lines))
	for i, l := range lines {
		it, err := l.Item()
		if err != nil {
			return nil, fmt.Errorf("line %s: %w", l.ID, err)
		}
		out[i] = it
	}
	return out, nil
}

// Write writes lines as JSON Lines.
func Write(w io.Writer, lines []Line) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range lines {
		if err := enc.Encode(&lines[i]); err != nil {
			return fmt.Errorf("write line %d: %w", i+1, err)
		}
	}
	return nil
}

var hk = time.FixedZone("HKT", 8*3600)

func (g *gen) hire(n int) {
	for i := range n {
		e := &employee{id: fmt.Sprintf("e-%03d", i+1), dept: g.pickDept()}
		e.mix = departmentMix[e.dept]
		e.scale = math.Exp(g.r.NormFloat64() * 0.25)
		if e.dept == "exec" {
			e.scale *= 1.4
		}
		if (e.dept == "sales" || e.dept == "ops") && g.r.Float64() < 0.3 {
			e.weekend = 0.12 + 0.1*g.r.Float64()
		}
		if g.r.Float64() < 0.35 {
			e.mainland = 0.05 + 0.25*g.r.Float64()
		}
		e.fabricator = g.r.Float64() < 0.04
		e.fares = []float64{math.Round((6+g.r.Float64()*18)*10) / 10, math.Round((4+g.r.Float64()*10)*10) / 10}
		e.plan = planPrices[g.r.IntN(len(planPrices))]
		telcos := merchantPools["communication"][:2]
		e.telco = telcos[g.r.IntN(len(telcos))]
		e.billDay = 1 + g.r.IntN(5)
		e.lag = 4 + 10*g.r.Float64()
		g.emps = append(g.emps, e)
	}
}

func (g *gen) pickDept() string {
	x := g.r.Float64()
	for _, d := range departments {
		if x -= deptWeight[d]; x < 0 {
			return d
		}
	}
	return departments[0]
}

func (g *gen) working(d time.Time) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !g.holidays[d.Format(time.DateOnly)]
}

func (g *gen) workingDayNear(d time.Time) time.Time {
	for !g.working(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

func (g *gen) poisson(mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= g.r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// fillClaim adds one claim's items: normal ones from the employee's mix, and
// now and then an anomaly.
func (g *gen) fillClaim(e *employee, submit time.Time) {
	cats := make([]string, 0, len(e.mix))
	for c := range e.mix {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		n := g.poisson(e.mix[c])
		if c == "communication" {
			// One phone bill a month.
			bill := time.Date(submit.Year(), submit.Month(), e.billDay, 0, 0, 0, 0, hk)
			if bill.After(submit) {
				bill = bill.AddDate(0, -1, 0)
			}
			if !bill.After(e.lastBill) {
				n = 0
			} else if n > 0 {
				n = 1
				e.lastBill = bill
			}
		}
		for range n {
			if e.fabricator && (c == "meals" || c == "transport" || c == "other") && g.r.Float64() < 0.3 {
				g.emit(g.fabricated(e, c, submit))
			} else {
				g.emit(g.normal(e, c, submit))
			}
			if g.r.Float64() < g.opt.AnomalyRate {
				g.anomaly(e, submit)
			}
		}
	}
}

func (g *gen) emit(its ...*item) {
	for _, it := range its {
		// A claim's items are submitted a second apart, in order.
		at := it.submit
		if !at.After(g.last) {
			at = g.last.Add(time.Second)
		}
		g.last = at
		it.line.SubmittedAt = at.Format(time.RFC3339)
		g.items = append(g.items, it)
	}
}

// receiptDay picks a receipt date before submission, on a working day for
// working-day categories unless the employee works weekends.
func (g *gen) receiptDay(e *employee, cat string, submit time.Time) time.Time {
	day := time.Date(submit.Year(), submit.Month(), submit.Day(), 0, 0, 0, 0, hk)
	workCat := cat == "meals" || cat == "transport" || cat == "office_supplies"
	for try := 0; ; try++ {
		lag := int(math.Min(75, e.lag*math.Exp(g.r.NormFloat64()*0.7)))
		d := day.AddDate(0, 0, -lag)
		if !workCat || g.working(d) || try > 20 {
			return d
		}
		if g.r.Float64() < e.weekend || g.r.Float64() < 0.01 {
			return d
		}
	}
}

func (g *gen) pickMerchant(cat string, currency string) merchant {
	var pool []merchant
	for _, m := range merchantPools[cat] {
		if currency == "" || m.currency == currency {
			pool = append(pool, m)
		}
	}
	if len(pool) == 0 {
		pool = merchantPools[cat]
	}
	return pool[g.r.IntN(len(pool))]
}

var rateFromHKD = map[string]float64{"HKD": 1, "CNY": 1 / 1.08, "USD": 1 / 7.8}

// normal makes an ordinary item of a category.
func (g *gen) normal(e *employee, cat string, submit time.Time) *item {
	day := g.receiptDay(e, cat, submit)
	var m merchant
	var amount float64
	cur := "HKD"
	if (cat == "meals" || cat == "transport" || cat == "entertainment" || cat == "lodging") && g.r.Float64() < e.mainland {
		cur = "CNY"
	}
	switch cat {
	case "transport":
		m = g.pickMerchant(cat, cur)
		switch {
		case m.level <= 0.2 && cur == "HKD":
			amount = e.fares[g.r.IntN(len(e.fares))]
		case strings.Contains(m.name, "隧道"):
			amount = []float64{20, 25, 50}[g.r.IntN(3)]
		default:
			amount = g.logNormal(categoryAmount[cat][0]*m.level*rateFromHKD[cur], 0.5)
			amount = math.Round(amount*2) / 2
		}
	case "communication":
		m, amount = e.telco, e.plan
		day = time.Date(submit.Year(), submit.Month(), e.billDay, 0, 0, 0, 0, hk)
		if day.After(submit) {
			day = day.AddDate(0, -1, 0)
		}
	case "training":
		m = g.pickMerchant(cat, "")
		amount = trainingPrices[g.r.IntN(len(trainingPrices))]
	case "lodging":
		if cur == "HKD" && g.r.Float64() < 0.15 {
			cur = "USD"
		}
		m = g.pickMerchant(cat, cur)
		nights := 1 + g.r.IntN(3)
		amount = float64(nights) * g.logNormal(categoryAmount[cat][0]*m.level*rateFromHKD[m.currency], 0.3)
	default:
		m = g.pickMerchant(cat, cur)
		med := categoryAmount[cat][0] * m.level * e.scale * rateFromHKD[m.currency]
		amount = g.logNormal(med, categoryAmount[cat][1])
		if cat == "meals" && g.r.Float64() < 0.6 {
			amount = math.Round(amount) // many menus price in whole dollars
		}
	}
	return g.finish(e, cat, m, day, submit, round2(amount))
}

// finish fills in the receipt: file hash, invoice number, OCR text and total.
func (g *gen) finish(e *employee, cat string, m merchant, day, submit time.Time, amount float64) *item {
	it := &item{day: day, amount: amount, submit: submit}
	it.line = Line{
		Employee: e.id, Department: e.dept, Date: day.Format(time.DateOnly), Category: cat,
		Merchant: m.name, Amount: fmt.Sprintf("%.2f", amount), Currency: m.currency,
	}
	pRec := 0.9
	if cat == "transport" {
		pRec = 0.35
		if m.level <= 0.2 {
			pRec = 0.05
		}
	}
	if g.r.Float64() < pRec {
		it.hasRec = true
		it.line.ReceiptHash = fmt.Sprintf("%016x%016x", g.r.Uint64(), g.r.Uint64())
		if m.inv != "" {
			it.line.InvoiceNo = fmt.Sprintf("%s%07d", m.inv, g.r.IntN(10_000_000))
		}
		if g.r.Float64() < 0.8 {
			it.line.OCRText = g.noise(g.receiptText(m, cat, day, amount, it.line.InvoiceNo))
			total := amount
			if g.r.Float64() < 0.015 {
				total = g.misread(amount)
			}
			it.line.OCRTotal = fmt.Sprintf("%.2f", total)
		}
	}
	return it
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func (g *gen) logNormal(median, sigma float64) float64 {
	return median * math.Exp(g.r.NormFloat64()*sigma)
}

// receiptText prints a plausible receipt.
func (g *gen) receiptText(m merchant, cat string, day time.Time, amount float64, inv string) string {
	var b strings.Builder
	b.WriteString(m.name + "\n")
	if m.addr != "" {
		b.WriteString(m.addr + "\n")
	}
	fmt.Fprintf(&b, "TEL %04d %04d\n", 2000+g.r.IntN(8000), g.r.IntN(10000))
	fmt.Fprintf(&b, "日期 Date %s %02d:%02d\n", day.Format("2006-01-02"), 8+g.r.IntN(14), g.r.IntN(60))
	if inv != "" {
		fmt.Fprintf(&b, "發票 Invoice %s\n", inv)
	} else {
		fmt.Fprintf(&b, "單號 No %06d 枱 T%02d\n", g.r.IntN(1_000_000), g.r.IntN(40))
	}
	names := receiptItems[cat]
	n := 1 + g.r.IntN(4)
	left := amount
	for i := range n {
		part := left
		if i < n-1 {
			part = round2(left * (0.2 + 0.5*g.r.Float64()))
		}
		left -= part
		fmt.Fprintf(&b, "%s x%d %.2f\n", names[g.r.IntN(len(names))], 1+g.r.IntN(3), part)
	}
	fmt.Fprintf(&b, "總計 TOTAL %s %.2f\n", m.currency, amount)
	b.WriteString([]string{"多謝惠顧 Thank you", "Thank you for dining with us", "謝謝光臨", "Please come again"}[g.r.IntN(4)])
	return b.String()
}

// confusions are characters OCR commonly swaps.
var confusions = map[rune]rune{'0': 'O', 'O': '0', '1': 'l', 'l': '1', '5': 'S', 'S': '5', '8': 'B', 'B': '8', '6': 'b', 'e': 'c', 'a': 'o', 'n': 'h', '.': ','}

// noise garbles about one character in a hundred, as a phone photo's OCR does.
func (g *gen) noise(s string) string {
	rs := []rune(s)
	for i, r := range rs {
		if g.r.Float64() < 0.01 {
			if c, ok := confusions[r]; ok {
				rs[i] = c
			} else if r != '\n' {
				rs[i] = ' '
			}
		}
	}
	return string(rs)
}

// misread changes one digit of an amount, as OCR sometimes does.
func (g *gen) misread(x float64) float64 {
	s := []byte(fmt.Sprintf("%.2f", x))
	for range 10 {
		i := g.r.IntN(len(s))
		if s[i] >= '0' && s[i] <= '9' {
			s[i] = byte('0' + g.r.IntN(10))
			break
		}
	}
	var v float64
	fmt.Sscanf(string(s), "%f", &v)
	if v <= 0 {
		return x
	}
	return v
}
