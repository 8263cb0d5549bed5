package anomaly

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

var hkt = time.FixedZone("HKT", 8*3600)

// day returns a date in March-June 2026 counted from Monday 2 March.
func day(n int) time.Time { return time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }

func item(id, emp, cat, merchant, amount string, d time.Time) Item {
	return Item{
		ID: id, Employee: emp, Department: "sales", Category: cat, Merchant: merchant,
		Currency: "HKD", Amount: decimal.RequireFromString(amount), Date: d,
		SubmittedAt: time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, hkt).AddDate(0, 0, 3),
	}
}

// workday returns the n-th working day from day(0) (weekends skipped).
func workday(n int) time.Time {
	return day(n/5*7 + n%5)
}

// baseHistory is an ordinary tenant: meals, taxis and supplies by a few
// employees, amounts varying around their usual level, on working days.
func baseHistory() []Item {
	var h []Item
	for i := range 60 {
		for e := 1; e <= 4; e++ {
			emp := fmt.Sprintf("e-%d", e)
			v := float64((i*37+e*11)%29) / 29 // spread in [0,1)
			h = append(h,
				item(fmt.Sprintf("m%d-%d", e, i), emp, "meals", []string{"Hoi Ching Cafe 海晴茶餐廳", "Lotus Noodle House", "北角好味軒"}[i%3], fmt.Sprintf("%.1f", 45+40*v), workday(i)),
				item(fmt.Sprintf("t%d-%d", e, i), emp, "transport", "Urban Taxi 市區的士", fmt.Sprintf("%.1f", 60+70*v), workday(i)),
			)
			if i%6 == 0 {
				h = append(h, item(fmt.Sprintf("o%d-%d", e, i), emp, "office_supplies", "Stationery City 文具城", fmt.Sprintf("%.2f", 120+300*v), workday(i)))
			}
		}
	}
	return h
}

func hasCode(r Result, code string) bool {
	return slices.ContainsFunc(r.Reasons, func(x Reason) bool { return x.Code == code })
}

func TestChecks(t *testing.T) {
	at := workday(72) // Wednesday 2026-06-10, after the history
	with := func(it Item, f func(*Item)) Item { f(&it); return it }
	meal := item("new", "e-1", "meals", "Hoi Ching Cafe 海晴茶餐廳", "63.5", at)
	receipt := "Hoi Ching Cafe 海晴茶餐廳\n灣仔軒尼詩道 318 號\nTEL 2345 6789\n日期 Date 2026-06-10 12:43\n發票 Invoice HC1234567\n叉燒飯 x1 45.00\n凍檸茶 x1 18.50\n總計 TOTAL HKD 63.50\n多謝惠顧"
	orig := with(meal, func(it *Item) {
		it.ID, it.ReceiptHash, it.InvoiceNo, it.OCRText = "orig", "abc123", "HC1234567", receipt
	})
	saturday := at.AddDate(0, 0, 3)
	if saturday.Weekday() != time.Saturday {
		t.Fatal("test calendar: expected a Saturday")
	}
	digitEmp := func() []Item {
		var h []Item
		for i := range 40 {
			h = append(h, item(fmt.Sprintf("d%d", i), "e-9", "meals", "Peak Bento", fmt.Sprintf("9%d.%d0", i%10, i%7), workday(i)))
		}
		return h
	}
	merchantHist := func() []Item {
		var h []Item
		for i := range 5 {
			h = append(h, item(fmt.Sprintf("z%d", i), "e-2", "office_supplies", "Zed Trading", "300", workday(i)))
		}
		return h
	}

	tests := []struct {
		name   string
		extra  []Item // history beyond baseHistory
		item   Item   // fires
		normal Item   // stays quiet
		code   string
	}{
		{"same receipt file", []Item{orig},
			with(meal, func(it *Item) { it.ReceiptHash = "abc123"; it.Employee = "e-2" }),
			with(meal, func(it *Item) { it.ReceiptHash = "zzz999" }), CodeDuplicateReceipt},
		{"same invoice number", []Item{orig},
			with(meal, func(it *Item) { it.InvoiceNo = "hc-1234567" }),
			with(meal, func(it *Item) { it.InvoiceNo = "HC7654321" }), CodeDuplicateInvoice},
		{"same merchant amount date", []Item{with(meal, func(it *Item) { it.ID = "orig" })},
			meal,
			with(meal, func(it *Item) { it.Amount = decimal.RequireFromString("58") }), CodeNearDuplicate},
		{"near-identical receipt text", []Item{orig},
			with(meal, func(it *Item) {
				it.Date = at.AddDate(0, 0, -1)
				it.OCRText = "Hoi Ching Cafe 海晴茶餐廳\n灣仔軒尼詩道 318 號\nTEL 2345 6789\n日期 Date 2026-06-1O 12:43\n發票 Invoice HC1234567\n叉燒飯 x1 45.00\n凍檸茶 xl 18.50\n總計 TOTAL HKD 63.50\n多謝惠顧"
			}),
			with(meal, func(it *Item) {
				it.OCRText = "Hoi Ching Cafe 海晴茶餐廳\n灣仔軒尼詩道 318 號\nTEL 2345 6789\n日期 Date 2026-05-22 08:05\n發票 Invoice HC7712093\n餐蛋麵 x2 62.00\n奶茶 x1 17.00\n總計 TOTAL HKD 79.00\n多謝惠顧"
			}), CodeDuplicateText},
		{"parts just under threshold", []Item{item("s1", "e-1", "office_supplies", "PixelMart 電腦商場", "4800", at)},
			item("new", "e-1", "office_supplies", "PixelMart 電腦商場", "4750", at.AddDate(0, 0, 1)),
			item("new", "e-1", "office_supplies", "PixelMart 電腦商場", "350", at.AddDate(0, 0, 1)), CodeSplitUnder},
		{"parts summing past threshold", []Item{item("s1", "e-1", "office_supplies", "PixelMart 電腦商場", "3100", at)},
			item("new", "e-1", "office_supplies", "PixelMart 電腦商場", "2600", at),
			item("new", "e-2", "office_supplies", "PixelMart 電腦商場", "2600", at), CodeSplitSum},
		{"amount far above history", nil,
			with(meal, func(it *Item) { it.Amount = decimal.RequireFromString("980") }),
			meal, CodeOutlierEmployee},
		{"meal on a Saturday", nil,
			with(meal, func(it *Item) { it.Date = saturday }),
			meal, CodeNonWorkingDay},
		{"round meal amount", nil,
			with(meal, func(it *Item) { it.Amount = decimal.RequireFromString("100") }),
			meal, CodeRoundAmount},
		{"first-digit drift", digitEmp(),
			item("new", "e-9", "meals", "Peak Bento", "93.40", at),
			item("new", "e-1", "meals", "Peak Bento", "93.40", at), CodeBenfordDrift},
		{"stale receipt", nil,
			with(meal, func(it *Item) { it.Date = at.AddDate(0, 0, -200) }),
			meal, CodeStaleReceipt},
		{"future receipt", nil,
			with(meal, func(it *Item) { it.Date = at.AddDate(0, 0, 20) }),
			meal, CodeFutureDate},
		{"claim above receipt total", nil,
			with(meal, func(it *Item) { it.OCRTotal = ptr("45.50"); it.OCRText = "Hoi Ching Cafe TOTAL 45.50" }),
			with(meal, func(it *Item) { it.OCRTotal = ptr("63.50") }), CodeOCRTotalMismatch},
		{"hotel claimed as meals", nil,
			item("new", "e-1", "meals", "Victoria Crest Hotel 維港峰酒店", "1800", at),
			item("new", "e-1", "lodging", "Victoria Crest Hotel 維港峰酒店", "1800", at), CodeCategoryMismatch},
		{"merchant usually another category", merchantHist(),
			item("new", "e-1", "training", "Zed Trading", "300", at),
			item("new", "e-1", "office_supplies", "Zed Trading", "300", at), CodeMerchantCategory},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewScorer(DefaultConfig())
			s.Load(baseHistory())
			s.Load(tc.extra)
			n := s.Len()
			got := s.Score(tc.item)
			if !hasCode(got, tc.code) {
				t.Fatalf("item: no %s in %+v", tc.code, got.Reasons)
			}
			if got.Score < 0.1 {
				t.Errorf("item: score %.3f, want >= 0.1", got.Score)
			}
			if quiet := s.Score(tc.normal); hasCode(quiet, tc.code) {
				t.Errorf("normal item: unexpected %s in %+v", tc.code, quiet.Reasons)
			}
			if s.Len() != n {
				t.Errorf("Score changed the history: %d items, want %d", s.Len(), n)
			}
			// Switched off, the check says nothing.
			cfg := DefaultConfig()
			check := got.Reasons[slices.IndexFunc(got.Reasons, func(x Reason) bool { return x.Code == tc.code })].Check
			cfg.Disabled = map[Check]bool{check: true}
			off := NewScorer(cfg)
			off.Load(baseHistory())
			off.Load(tc.extra)
			if r := off.Score(tc.item); hasCode(r, tc.code) {
				t.Errorf("check %s disabled, still reported %s", check, tc.code)
			}
		})
	}
}

func ptr(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }

func TestNormalItemScoresLow(t *testing.T) {
	s := NewScorer(DefaultConfig())
	s.Load(baseHistory())
	for _, it := range []Item{
		item("n1", "e-1", "meals", "Lotus Noodle House", "66.5", workday(71)),
		item("n2", "e-3", "transport", "Urban Taxi 市區的士", "92.5", workday(72)),
		item("n3", "e-2", "office_supplies", "Stationery City 文具城", "233.40", workday(73)),
	} {
		if r := s.Score(it); r.Score > 0.1 {
			t.Errorf("%s: score %.3f, reasons %+v", it.ID, r.Score, r.Reasons)
		}
	}
}

func TestCombine(t *testing.T) {
	tests := []struct {
		probs []float64
		want  float64
	}{
		{nil, 0},
		{[]float64{0.5}, 0.5},
		{[]float64{0.5, 0.5}, 0.75},
		{[]float64{0.9, 0.2, 0.1}, 1 - 0.1*0.8*0.9},
	}
	for _, tc := range tests {
		var rs []Reason
		for _, p := range tc.probs {
			rs = append(rs, Reason{Probability: p})
		}
		r := combine(rs)
		if math.Abs(r.Score-tc.want) > 1e-9 {
			t.Errorf("combine(%v) = %v, want %v", tc.probs, r.Score, tc.want)
		}
		var sum float64
		for i, x := range r.Reasons {
			sum += x.Contribution
			if i > 0 && x.Contribution > r.Reasons[i-1].Contribution {
				t.Errorf("reasons not sorted by contribution: %+v", r.Reasons)
			}
		}
		if math.Abs(sum-r.Score) > 1e-9 {
			t.Errorf("contributions sum to %v, score %v", sum, r.Score)
		}
	}
}

func TestMedianMAD(t *testing.T) {
	tests := [][]float64{
		{10, 20, 30, 40, 50},
		{100, 100, 100, 100, 5000},
		{12.5, 13, 14, 80, 85, 90, 95, 100, 110, 400},
	}
	for _, xs := range tests {
		var h logHist
		logs := make([]float64, len(xs))
		for i, x := range xs {
			logs[i] = math.Log(x)
			h.add(logs[i])
		}
		sort.Float64s(logs)
		med := (logs[(len(logs)-1)/2] + logs[len(logs)/2]) / 2
		dev := make([]float64, len(logs))
		for i, l := range logs {
			dev[i] = math.Abs(l - med)
		}
		sort.Float64s(dev)
		mad := (dev[(len(dev)-1)/2] + dev[len(dev)/2]) / 2
		gm, gd := h.medianMAD()
		// The histogram answers to within a bin or two.
		if math.Abs(gm-med) > 2*histWidth || math.Abs(gd-mad) > 2*histWidth {
			t.Errorf("%v: median/MAD %.3f/%.3f, want %.3f/%.3f", xs, gm, gd, med, mad)
		}
	}
}

func TestNormalisation(t *testing.T) {
	tests := []struct{ a, b string }{
		{"Hoi Ching Cafe Ltd.", "HOI CHING CAFE"},
		{"ＰｉｘｅｌＭａｒｔ 電腦商場", "pixelmart電腦商場"},
		{"海晴茶餐廳有限公司", "海晴茶餐廳"},
	}
	for _, tc := range tests {
		if a, b := normMerchant(tc.a), normMerchant(tc.b); a != b {
			t.Errorf("normMerchant(%q) = %q, normMerchant(%q) = %q", tc.a, a, tc.b, b)
		}
	}
	if a, b := normInvoice("hc-123 4567"), normInvoice("HC1234567"); a != b {
		t.Errorf("normInvoice: %q != %q", a, b)
	}
}
