package receipt

import (
	"strings"

	"github.com/shopspring/decimal"
)

// totalKeyword is a label that introduces the amount to pay, with a rank: when
// several labelled amounts are found, the highest rank wins.
type totalKeyword struct {
	word string
	rank int
}

// totalKeywords in upper case. Longer, more specific labels rank higher: "價稅合計"
// (mainland fapiao) beats the pre-tax "合計" on the same invoice; "GRAND TOTAL"
// beats "TOTAL"; "實收" is sometimes the cash tendered, so it ranks low.
var totalKeywords = []totalKeyword{
	{"价税合计", 10}, {"價稅合計", 10}, {"GRAND TOTAL", 10}, {"AMOUNT DUE", 10},
	{"TOTAL DUE", 10}, {"AMOUNT PAYABLE", 10}, {"TOTAL PAYABLE", 10}, {"NETT TOTAL", 10},
	{"NET TOTAL", 10}, {"TOTAL INCL", 10}, {"TOTAL AMOUNT", 9}, {"應付", 10}, {"应付", 10},
	{"總計", 10}, {"总计", 10}, {"應收", 9}, {"应收", 9},
	{"TOTAL", 8}, {"NETT", 8}, {"合計", 8}, {"合计", 8}, {"總額", 8}, {"总额", 8},
	{"總金額", 8}, {"总金额", 8}, {"共計", 8}, {"共计", 8},
	{"實收", 6}, {"实收", 6}, {"FARE", 6}, {"車資", 6}, {"车费", 6}, {"AMOUNT", 5},
	{"金額", 5}, {"金额", 5},
}

// notTotal marks lines that carry a labelled amount that is not the total: subtotals,
// counts, tender and change, discounts, pre-tax sums.
var notTotal = []string{
	"SUBTOTAL", "SUB TOTAL", "SUB-TOTAL", "小計", "小计", "TOTAL QTY", "TOTAL ITEM",
	"QTY", "數量", "数量", "件數", "件数", "CASH", "CHANGE", "找續", "找赎", "找零", "找贖",
	"現金", "现金", "TENDER", "VISA", "MASTER", "OCTOPUS", "八達通", "EXCL", "BEFORE",
	"未稅", "DISCOUNT", "折扣", "ROUNDING", "SAVED", "POINTS", "積分", "积分", "TIPS",
	"DEPOSIT", "按金", "TOTAL TAX", "TOTAL SST", "TOTAL GST",
}

// total finds the amount to pay. It returns the field, the index of the line it came
// from (-1 if none) and the money token, whose currency marker the caller uses.
func (d document) total() (Field, int, money) {
	type cand struct {
		m    money
		line int
		rank int
		conf float64
	}
	var best *cand
	better := func(c cand) bool {
		if best == nil || c.rank != best.rank {
			return best == nil || c.rank > best.rank
		}
		// Same label strength: the larger amount (a total is never below its
		// subtotal), then the later line (the last total on a receipt is final).
		if cmp := c.m.amount.Cmp(best.m.amount); cmp != 0 {
			return cmp > 0
		}
		return c.line > best.line
	}
	for i, up := range d.upper {
		rank, pos := 0, -1
		for _, k := range totalKeywords {
			if p := strings.Index(up, k.word); p >= 0 && k.rank > rank {
				rank, pos = k.rank, p+len(k.word)
			}
		}
		if rank == 0 || containsAny(up, notTotal...) && !strings.Contains(up, "INCL") {
			continue
		}
		conf := 0.6 + float64(rank)*0.035
		if len(up) != len(d.lines[i]) {
			pos = 0 // upper-casing changed byte offsets; search the whole line
		}
		ms := findMoney(d.lines[i][pos:])
		m, ok := lastPrice(ms)
		if !ok && i+1 < len(d.lines) && d.amountContinues(i+1) {
			// Label and amount on separate lines: narrow thermal layouts, and the
			// fapiao's "价税合计（大写）…" followed by "（小写）¥106.00".
			m, ok = lastPrice(findMoney(d.lines[i+1]))
			conf -= 0.1
		}
		if !ok || m.amount.Sign() <= 0 {
			continue
		}
		if !m.decimals {
			conf -= 0.1
		}
		c := cand{m: m, line: i, rank: rank, conf: clamp(conf)}
		if better(c) {
			best = &c
		}
	}
	// Tendered minus change is the total, when both are printed: it rescues a
	// receipt whose total label OCR garbled ("合计" read as "Sit").
	if tender, change, line, ok := d.tenderAndChange(); ok {
		c := cand{m: money{amount: tender.Sub(change), decimals: true}, line: line, rank: 7, conf: 0.7}
		if c.m.amount.Sign() > 0 && better(c) {
			best = &c
		}
	}
	if best != nil {
		return Field{Value: best.m.amount.StringFixed(2), Confidence: best.conf}, best.line, best.m
	}
	// No labelled total: the largest price on the receipt, outside tender lines,
	// is a weak guess.
	var guess *cand
	for i, up := range d.upper {
		if containsAny(up, notTotal...) {
			continue
		}
		for _, m := range findMoney(d.lines[i]) {
			if m.decimals && m.amount.Sign() > 0 && (guess == nil || m.amount.GreaterThan(guess.m.amount)) {
				guess = &cand{m: m, line: i}
			}
		}
	}
	if guess != nil {
		return Field{Value: guess.m.amount.StringFixed(2), Confidence: 0.35}, guess.line, guess.m
	}
	return Field{}, -1, money{}
}

// tenderAndChange finds the amount handed over and the change given back.
func (d document) tenderAndChange() (tender, change decimal.Decimal, line int, ok bool) {
	var haveT, haveC bool
	for i, up := range d.upper {
		m, found := lastPrice(findMoney(d.lines[i]))
		if !found || !m.decimals {
			continue
		}
		switch {
		case containsAny(up, "找零", "找續", "找赎", "找贖", "CHANGE"):
			change, haveC = m.amount, true
		case containsAny(up, "實收", "实收", "現金", "现金", "CASH", "TENDERED", "PAID"):
			tender, haveT, line = m.amount, true, i
		}
	}
	return tender, change, line, haveT && haveC
}

// amountContinues reports whether line i carries the amount of the label above it:
// it has a price and no label of its own.
func (d document) amountContinues(i int) bool {
	up := d.upper[i]
	if containsAny(up, notTotal...) {
		return false
	}
	for _, k := range totalKeywords {
		if strings.Contains(up, k.word) {
			return false
		}
	}
	m, ok := lastPrice(findMoney(d.lines[i]))
	return ok && m.decimals
}

func clamp(f float64) float64 {
	switch {
	case f < 0:
		return 0
	case f > 1:
		return 1
	}
	return f
}

// currencyCue is a word on the receipt that points to a currency when the amounts
// themselves carry no marker.
type currencyCue struct {
	word     string
	currency string
}

var currencyCues = []currencyCue{
	{"港幣", "HKD"}, {"港币", "HKD"}, {"港元", "HKD"}, {"HKD", "HKD"}, {"HK$", "HKD"},
	{"人民幣", "CNY"}, {"人民币", "CNY"}, {"RMB", "CNY"}, {"CNY", "CNY"},
	{"令吉", "MYR"}, {"MYR", "MYR"}, {"RINGGIT", "MYR"},
	{"美元", "USD"}, {"美金", "USD"}, {"USD", "USD"}, {"US$", "USD"},
	{"SGD", "SGD"}, {"S$", "SGD"},
}

// regionCues point to a country, and so to its currency, when no currency is written.
var regionCues = []currencyCue{
	{"香港", "HKD"}, {"HONG KONG", "HKD"}, {"KOWLOON", "HKD"}, {"九龍", "HKD"}, {"九龙", "HKD"},
	{"找零", "CNY"}, {"找續", "HKD"}, {"找赎", "HKD"}, {"找贖", "HKD"}, {"新界", "HKD"}, {"灣仔", "HKD"}, {"旺角", "HKD"}, {"銅鑼灣", "HKD"}, {"尖沙咀", "HKD"},
	{"发票", "CNY"}, {"增值税", "CNY"}, {"统一社会信用代码", "CNY"}, {"纳税人识别号", "CNY"},
	{"上海", "CNY"}, {"北京", "CNY"}, {"深圳", "CNY"}, {"广州", "CNY"}, {"有限公司", ""},
	{"SDN BHD", "MYR"}, {"SDN. BHD", "MYR"}, {"SST", "MYR"}, {"MALAYSIA", "MYR"},
	{"KUALA LUMPUR", "MYR"}, {"SELANGOR", "MYR"}, {"PENANG", "MYR"}, {"JOHOR", "MYR"},
}

// currency decides the currency: the marker on the total itself, else the most
// frequent marker on the receipt, else words naming a currency or a place, else the
// configured default for a bare "$" or nothing at all.
func (d document) currency(total money, haveTotal bool) Field {
	if haveTotal && total.currency != "" && total.currency != "$" {
		return Field{Value: total.currency, Confidence: 0.95}
	}
	counts := map[string]int{}
	dollar := haveTotal && total.currency == "$"
	for _, l := range d.lines {
		for _, m := range findMoney(l) {
			if m.currency == "$" {
				dollar = true
			} else if m.currency != "" {
				counts[m.currency]++
			}
		}
	}
	bestCur, bestN := "", 0
	for _, c := range []string{"HKD", "CNY", "MYR", "USD", "SGD"} { // fixed order: deterministic ties
		if counts[c] > bestN {
			bestCur, bestN = c, counts[c]
		}
	}
	if bestCur != "" {
		return Field{Value: bestCur, Confidence: 0.85}
	}
	all := strings.Join(d.upper, "\n")
	for _, c := range currencyCues {
		if strings.Contains(all, c.word) {
			return Field{Value: c.currency, Confidence: 0.8}
		}
	}
	region := ""
	for _, c := range regionCues {
		if c.currency != "" && strings.Contains(all, c.word) {
			region = c.currency
			break
		}
	}
	if region == "" && simplifiedScript(all) {
		region = "CNY"
	}
	switch {
	case dollar && (region == "" || region == "HKD") && d.opts.DefaultCurrency != "":
		return Field{Value: d.opts.DefaultCurrency, Confidence: 0.7}
	case region != "":
		return Field{Value: region, Confidence: 0.6}
	case d.opts.DefaultCurrency != "" && haveTotal:
		return Field{Value: d.opts.DefaultCurrency, Confidence: 0.3}
	}
	return Field{}
}

// Characters that differ between the scripts and are common on receipts. A receipt
// written in Simplified characters with no other cue is taken to be mainland.
const (
	simplifiedOnly  = "们单应计价税发号码门东银买卖额费据钱电话总优员时间开现实饮馆龙乐鸡饭汤猪虾鱼场纸币连锁谢顾欢来铁鲜"
	traditionalOnly = "們單應計價稅發號碼門東銀買賣額費據錢電話總優員時間開現實飲館龍樂雞飯湯豬蝦魚場紙幣連鎖謝顧歡來鐵鮮"
)

func simplifiedScript(s string) bool {
	simp, trad := 0, 0
	for _, r := range s {
		switch {
		case strings.ContainsRune(simplifiedOnly, r):
			simp++
		case strings.ContainsRune(traditionalOnly, r):
			trad++
		}
	}
	return simp >= 2 && simp > 2*trad
}
