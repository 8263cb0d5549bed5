package anomaly

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// minInvoiceLen ignores invoice numbers too short to be unique ("1", "A2").
const minInvoiceLen = 4

// maxRelated caps the ids listed in one reason.
const maxRelated = 5

func appendID(ids []string, id string) []string {
	if len(ids) < maxRelated {
		ids = append(ids, id)
	}
	return ids
}

func money(cur string, v float64) string { return fmt.Sprintf("%s %.2f", cur, v) }

// checkExactDuplicate finds earlier items with the same receipt file or the
// same invoice number, by any employee.
func (s *Scorer) checkExactDuplicate(p *prepared, rs []Reason) []Reason {
	h := &s.h
	if hash := p.it.ReceiptHash; hash != "" {
		var ids []string
		for _, ri := range h.byHash[hash] {
			if r := &h.recs[ri]; r.id != p.it.ID {
				ids = appendID(ids, r.id)
			}
		}
		if len(ids) > 0 {
			rs = append(rs, Reason{
				Code: CodeDuplicateReceipt, Check: CheckExactDuplicate, Probability: 0.97, Related: ids,
				ZhHant: fmt.Sprintf("收據檔案與已報銷項目 %s 相同", strings.Join(ids, "、")),
				En:     fmt.Sprintf("Same receipt file as already claimed item %s", strings.Join(ids, ", ")),
			})
		}
	}
	if len(p.invoice) >= minInvoiceLen {
		var ids []string
		sameMerchant := false
		for _, ri := range h.byInvoice[p.invoice] {
			r := &h.recs[ri]
			if r.id == p.it.ID {
				continue
			}
			ids = appendID(ids, r.id)
			// Unrelated merchants may reuse a numbering scheme; a match at
			// the same merchant (or where either is unknown) is the strong case.
			if r.merchant == p.merchant || r.merchant == "" || p.merchant == "" {
				sameMerchant = true
			}
		}
		if len(ids) > 0 {
			prob := 0.35
			if sameMerchant {
				prob = 0.95
			}
			rs = append(rs, Reason{
				Code: CodeDuplicateInvoice, Check: CheckExactDuplicate, Probability: prob, Related: ids,
				ZhHant: fmt.Sprintf("發票號碼 %s 已在項目 %s 報銷", p.it.InvoiceNo, strings.Join(ids, "、")),
				En:     fmt.Sprintf("Invoice number %s already claimed in item %s", p.it.InvoiceNo, strings.Join(ids, ", ")),
			})
		}
	}
	return rs
}

// checkNearDuplicate finds earlier items with the same merchant, amount and
// date, and earlier receipts whose text is nearly identical.
func (s *Scorer) checkNearDuplicate(p *prepared, rs []Reason) []Reason {
	h := &s.h
	if p.merchant != "" && p.day != noDay {
		best := 0.0
		var ids []string
		for _, ri := range h.byKey[dupKey{p.merchant, p.currency, p.cents, p.day}] {
			r := &h.recs[ri]
			if r.id == p.it.ID {
				continue
			}
			prob := 0.45 // a colleague's receipt: could be the same meal at a set price
			if r.emp == p.it.Employee {
				prob = 0.85
			}
			if r.invoice != "" && p.invoice != "" && r.invoice != p.invoice {
				prob *= 0.2 // two distinct invoices: probably two real purchases
			}
			if p.base < 60 {
				prob *= 0.5 // identical small fares (a return trip) are common
			}
			best = math.Max(best, prob)
			ids = appendID(ids, r.id)
		}
		if len(ids) > 0 {
			rs = append(rs, Reason{
				Code: CodeNearDuplicate, Check: CheckNearDuplicate, Probability: best, Related: ids,
				ZhHant: fmt.Sprintf("與項目 %s 的商戶、金額及日期相同", strings.Join(ids, "、")),
				En:     fmt.Sprintf("Same merchant, amount and date as item %s", strings.Join(ids, ", ")),
			})
		}
	}
	if p.hasSig {
		bestSim := 0.0
		var ids []string
		seen := make(map[int32]bool, 4)
		for b := range sigBands {
			for _, ri := range h.bands[p.sig.bandKey(b)] {
				if seen[ri] {
					continue
				}
				seen[ri] = true
				r := &h.recs[ri]
				if r.id == p.it.ID {
					continue
				}
				sim := p.sig.similarity(&h.sigs[h.sigOf[ri]])
				if sim >= textDupMinSim {
					bestSim = math.Max(bestSim, sim)
					ids = appendID(ids, r.id)
				}
			}
		}
		if len(ids) > 0 {
			prob := 0.5 + 0.45*(bestSim-textDupMinSim)/(1-textDupMinSim)
			rs = append(rs, Reason{
				Code: CodeDuplicateText, Check: CheckNearDuplicate, Probability: prob, Related: ids,
				ZhHant: fmt.Sprintf("收據內容與項目 %s 幾乎相同（相似度 %.0f%%）", strings.Join(ids, "、"), bestSim*100),
				En:     fmt.Sprintf("Receipt text nearly identical to item %s (%.0f%% similar)", strings.Join(ids, ", "), bestSim*100),
			})
		}
	}
	return rs
}

// textDupMinSim is the estimated shingle similarity above which two receipt
// texts are taken for the same receipt.
const textDupMinSim = 0.75

// checkSplit looks for one employee's items at the same merchant or in the
// same category within a few days that sit just under an approval threshold
// together, or that sum past one while each stays under it.
func (s *Scorer) checkSplit(p *prepared, rs []Reason) []Reason {
	h := &s.h
	if p.day == noDay || p.base <= 0 || len(s.cfg.ApprovalThresholds) == 0 {
		return rs
	}
	type part struct {
		r            *record
		sameMerchant bool
		close        bool // within a day of the item
	}
	var parts []part
	w := int32(s.cfg.SplitWindowDays)
	for d := p.day - w; d <= p.day+w; d++ {
		for _, ri := range h.byEmpDay[empDay{p.it.Employee, d}] {
			r := &h.recs[ri]
			if r.id == p.it.ID {
				continue
			}
			sm := p.merchant != "" && r.merchant == p.merchant
			if sm || r.cat == p.it.Category {
				parts = append(parts, part{r, sm, d >= p.day-1 && d <= p.day+1})
			}
		}
	}
	f := s.cfg.SplitNearFraction
	var best Reason
	for _, t := range s.cfg.ApprovalThresholds {
		if p.base >= t {
			continue // over the threshold: it is approved at that level anyway
		}
		near := p.base >= f*t
		var nearIDs, sumMIDs, sumCIDs []string
		sumM, sumC := p.base, p.base
		allClose := true
		for _, pt := range parts {
			if pt.r.base >= t {
				continue
			}
			if pt.r.base >= f*t {
				nearIDs = appendID(nearIDs, pt.r.id)
			}
			if pt.sameMerchant {
				sumM += pt.r.base
				sumMIDs = appendID(sumMIDs, pt.r.id)
				allClose = allClose && pt.close
			} else if pt.r.base >= 0.2*t {
				sumC += pt.r.base
				sumCIDs = appendID(sumCIDs, pt.r.id)
			}
		}
		sumC += sumM - p.base
		var r Reason
		switch {
		case near && len(nearIDs) > 0:
			r = Reason{Code: CodeSplitUnder, Probability: 0.85, Related: nearIDs,
				ZhHant: fmt.Sprintf("與項目 %s 同樣略低於審批上限 %.0f，疑似拆單", strings.Join(nearIDs, "、"), t),
				En:     fmt.Sprintf("With item %s, each just under the approval limit of %.0f: possible split claim", strings.Join(nearIDs, ", "), t)}
		case len(sumMIDs) > 0 && sumM >= t:
			// A purchase split into receipts is usually paid the same day or
			// the next; repeat visits spread over days are less telling.
			prob := 0.4
			if allClose {
				prob = 0.7
			}
			r = Reason{Code: CodeSplitSum, Probability: prob, Related: sumMIDs,
				ZhHant: fmt.Sprintf("與項目 %s 同一商戶、數日內合計 %.2f，超過審批上限 %.0f，疑似拆單", strings.Join(sumMIDs, "、"), sumM, t),
				En:     fmt.Sprintf("With item %s at the same merchant within days, totals %.2f, past the approval limit of %.0f: possible split claim", strings.Join(sumMIDs, ", "), sumM, t)}
		case len(sumCIDs)+len(sumMIDs) > 0 && sumC >= t:
			ids := append(append([]string(nil), sumMIDs...), sumCIDs...)
			r = Reason{Code: CodeSplitSum, Probability: 0.3, Related: ids,
				ZhHant: fmt.Sprintf("與同類別項目 %s 數日內合計 %.2f，超過審批上限 %.0f", strings.Join(ids, "、"), sumC, t),
				En:     fmt.Sprintf("With same-category item %s within days, totals %.2f, past the approval limit of %.0f", strings.Join(ids, ", "), sumC, t)}
		case near:
			r = Reason{Code: CodeNearThreshold, Probability: 0.12,
				ZhHant: fmt.Sprintf("金額略低於審批上限 %.0f", t),
				En:     fmt.Sprintf("Amount just under the approval limit of %.0f", t)}
		}
		if r.Probability > best.Probability {
			best = r
		}
	}
	if best.Probability > 0 {
		best.Check = CheckSplit
		rs = append(rs, best)
	}
	return rs
}

// Minimum spreads (in log-amount) believed for an employee's and a category's
// history; they keep fixed fares and plans from turning small changes into outliers.
const (
	empSpreadFloor = 0.3
	catSpreadFloor = 0.4
	minCatHistory  = 20
	// minMerchantHistory is how many earlier items at a merchant make its
	// price level known.
	minMerchantHistory = 10
)

// checkOutlier compares the amount with the employee's history in the
// category and with the category across the tenant, in log-amount with
// median and MAD so that earlier outliers do not mask later ones.
func (s *Scorer) checkOutlier(p *prepared, rs []Reason) []Reason {
	if p.base <= 0 {
		return rs
	}
	cs := s.h.cats[p.it.Category]
	if cs == nil || int(cs.hist.n) < minCatHistory {
		return rs
	}
	zC := cs.hist.robustZ(p.logBase, catSpreadFloor)
	z, code := zC, CodeOutlierCategory
	var typical float64
	if es := s.h.emps[p.it.Employee]; es != nil {
		if eh := es.byCat[p.it.Category]; eh != nil && int(eh.n) >= s.cfg.OutlierMinHistory {
			zE := eh.robustZ(p.logBase, empSpreadFloor)
			w := float64(eh.n) / float64(eh.n+5)
			z = w*zE + (1-w)*zC
			if zE >= zC {
				code = CodeOutlierEmployee
				med, _ := eh.medianMAD()
				typical = math.Exp(med)
			}
		}
	}
	if code == CodeOutlierCategory {
		med, _ := cs.hist.medianMAD()
		typical = math.Exp(med)
	}
	// Where the merchant's prices are known they are the sharpest reference
	// (a bus fare and a taxi ride share a category and an employee); the
	// employee's and category's view adds at most half a deviation.
	if ms := s.h.merchants[p.merchant]; ms != nil && int(ms.hist.n) >= minMerchantHistory {
		zM := ms.hist.robustZ(p.logBase, catSpreadFloor)
		z = zM + 0.5*math.Min(math.Max(z-zM, 0), 1)
		if zM >= z-0.5 && code == CodeOutlierCategory {
			code = CodeOutlierMerchant
			med, _ := ms.hist.medianMAD()
			typical = math.Exp(med)
		}
	}
	prob := sigmoid(1.8 * (z - 3.5))
	if prob < 0.02 {
		return rs
	}
	cur := s.cfg.Currency
	r := Reason{Code: code, Check: CheckOutlier, Probability: prob}
	if code == CodeOutlierEmployee {
		r.ZhHant = fmt.Sprintf("金額 %s 遠高於此員工在「%s」的一般水平（約 %s）", money(cur, p.base), p.it.Category, money(cur, typical))
		r.En = fmt.Sprintf("Amount %s far above this employee's usual %s spending (about %s)", money(cur, p.base), p.it.Category, money(cur, typical))
	} else if code == CodeOutlierMerchant {
		r.ZhHant = fmt.Sprintf("金額 %s 遠高於商戶「%s」的一般水平（約 %s）", money(cur, p.base), p.it.Merchant, money(cur, typical))
		r.En = fmt.Sprintf("Amount %s far above the usual at %q (about %s)", money(cur, p.base), p.it.Merchant, money(cur, typical))
	} else {
		r.ZhHant = fmt.Sprintf("金額 %s 遠高於公司「%s」類別的一般水平（約 %s）", money(cur, p.base), p.it.Category, money(cur, typical))
		r.En = fmt.Sprintf("Amount %s far above the company's usual %s spending (about %s)", money(cur, p.base), p.it.Category, money(cur, typical))
	}
	return append(rs, r)
}

// checkNonWorkingDay flags working-day categories spent on weekends or
// holidays, less so for employees who often work on such days.
func (s *Scorer) checkNonWorkingDay(p *prepared, rs []Reason) []Reason {
	if !s.workCats[p.it.Category] || p.day == noDay || s.cfg.workingDay(p.it.Date) {
		return rs
	}
	rate := 0.0
	if es := s.h.emps[p.it.Employee]; es != nil {
		rate = (float64(es.nOff) + 0.3) / (float64(es.nWork) + 10)
	}
	prob := 0.6 * math.Min(1, math.Max(0.15, 1-6*(rate-0.02)))
	return append(rs, Reason{
		Code: CodeNonWorkingDay, Check: CheckNonWorkingDay, Probability: prob,
		ZhHant: fmt.Sprintf("「%s」支出日期 %s 為非工作日", p.it.Category, p.it.Date.Format("2006-01-02")),
		En:     fmt.Sprintf("%s expense dated %s, a non-working day", p.it.Category, p.it.Date.Format("2006-01-02")),
	})
}

// checkRound weighs a round amount by how rare round amounts are in its
// category and how many more of them this employee claims than expected,
// and flags first digits over-represented in an employee's claims compared
// with the tenant as a whole (Benford-style drift).
func (s *Scorer) checkRound(p *prepared, rs []Reason) []Reason {
	h := &s.h
	es := h.emps[p.it.Employee]
	if p.round {
		rate := roundRate(h.cats[p.it.Category])
		prior := 0.01
		if es != nil {
			z := (float64(es.nRound) - es.expRound) / math.Sqrt(es.expRound+1)
			prior = math.Min(0.3, prior*math.Exp(0.8*math.Min(math.Max(z, 0), 4)))
		}
		// Likelihood ratio of roundness: made-up amounts are mostly round.
		lr := 0.8 / math.Max(rate, 0.01)
		prob := prior * lr / (prior*lr + 1 - prior)
		if prob >= 0.02 {
			rs = append(rs, Reason{
				Code: CodeRoundAmount, Check: CheckRoundAmount, Probability: prob,
				ZhHant: fmt.Sprintf("整數金額 %s 在「%s」類別中少見（約 %.0f%%）", p.it.Amount.String(), p.it.Category, rate*100),
				En:     fmt.Sprintf("Round amount %s is unusual for %s (about %.0f%% of items)", p.it.Amount.String(), p.it.Category, rate*100),
			})
		}
	}
	if es != nil && es.nDigits >= 30 && p.digit > 0 {
		var total int
		for _, c := range h.digits {
			total += c
		}
		// Expected first digits: the tenant's own mix, shrunk towards Benford.
		chi := 0.0
		var exp [10]float64
		for d := 1; d <= 9; d++ {
			exp[d] = (float64(h.digits[d]) + 50*benford[d]) / (float64(total) + 50)
			e := exp[d] * float64(es.nDigits)
			diff := float64(es.digits[d]) - e
			chi += diff * diff / e
		}
		obs := float64(es.digits[p.digit]) / float64(es.nDigits)
		// chi-square with 8 degrees of freedom: 20.1 is the 1% point.
		if chi > 20.1 && obs > 1.5*exp[p.digit] {
			prob := 0.25 * math.Min(1, (chi-20.1)/40)
			if prob >= 0.02 {
				rs = append(rs, Reason{
					Code: CodeBenfordDrift, Check: CheckRoundAmount, Probability: prob,
					ZhHant: fmt.Sprintf("此員工金額首位數字分佈偏離常態（首位 %d 佔 %.0f%%，一般約 %.0f%%）", p.digit, obs*100, exp[p.digit]*100),
					En:     fmt.Sprintf("This employee's first digits drift from the norm (%d leads %.0f%% of amounts, usually about %.0f%%)", p.digit, obs*100, exp[p.digit]*100),
				})
			}
		}
	}
	return rs
}

// checkReceiptDate flags receipts dated long before submission or after it.
func (s *Scorer) checkReceiptDate(p *prepared, rs []Reason) []Reason {
	if p.day == noDay || p.subDay == noDay {
		return rs
	}
	lag := int(p.subDay - p.day)
	date := p.it.Date.Format("2006-01-02")
	switch stale := s.cfg.StaleDays; {
	case lag < 0:
		prob := 0.9
		if lag == -1 {
			prob = 0.5 // a day ahead can be a time-zone slip
		}
		rs = append(rs, Reason{
			Code: CodeFutureDate, Check: CheckReceiptDate, Probability: prob,
			ZhHant: fmt.Sprintf("收據日期 %s 晚於提交日期 %d 日", date, -lag),
			En:     fmt.Sprintf("Receipt dated %s, %d days after submission", date, -lag),
		})
	case stale > 0 && lag > stale:
		prob := 0.5 + 0.45*math.Min(1, float64(lag-stale)/float64(stale))
		rs = append(rs, Reason{
			Code: CodeStaleReceipt, Check: CheckReceiptDate, Probability: prob,
			ZhHant: fmt.Sprintf("收據日期 %s，提交時已過 %d 日（上限 %d 日）", date, lag, stale),
			En:     fmt.Sprintf("Receipt dated %s, submitted %d days later (limit %d)", date, lag, stale),
		})
	case stale > 0 && lag > stale*2/3:
		rs = append(rs, Reason{
			Code: CodeStaleReceipt, Check: CheckReceiptDate, Probability: 0.1,
			ZhHant: fmt.Sprintf("收據日期 %s，提交時已過 %d 日，接近上限 %d 日", date, lag, stale),
			En:     fmt.Sprintf("Receipt dated %s, submitted %d days later, near the limit of %d", date, lag, stale),
		})
	}
	return rs
}

// checkOCRTotal compares the claimed amount with the total read from the
// receipt; claiming more than the receipt shows is the strong case.
func (s *Scorer) checkOCRTotal(p *prepared, rs []Reason) []Reason {
	if p.it.OCRTotal == nil {
		return rs
	}
	ocr := p.it.OCRTotal.InexactFloat64()
	if ocr <= 0 {
		return rs
	}
	diff := p.amount - ocr
	if math.Abs(diff) < 0.1 || math.Abs(diff) < 0.005*ocr {
		return rs
	}
	prob := 0.15 // claiming less than the receipt (a shared bill) is mostly benign
	if diff > 0 {
		prob = 0.5
		if diff >= 0.05*ocr {
			prob = 0.85
		}
	}
	// When the receipt's text shows the claimed amount, the total field was
	// probably misread rather than the claim inflated.
	if strings.Contains(p.it.OCRText, p.it.Amount.StringFixed(2)) {
		prob *= 0.2
	}
	return append(rs, Reason{
		Code: CodeOCRTotalMismatch, Check: CheckOCRTotal, Probability: prob,
		ZhHant: fmt.Sprintf("申報金額 %s 與收據總額 %s 不符", p.it.Amount.String(), p.it.OCRTotal.String()),
		En:     fmt.Sprintf("Claimed amount %s differs from the receipt total %s", p.it.Amount.String(), p.it.OCRTotal.String()),
	})
}

// checkCategory compares the claimed category with the categories the
// merchant's name suggests and with how this merchant has been claimed before.
func (s *Scorer) checkCategory(p *prepared, rs []Reason) []Reason {
	cat := p.it.Category
	if cat == "" || p.it.Merchant == "" {
		return rs
	}
	fits := func(c string) bool { return c == cat || s.compat[[2]string{c, cat}] }

	// The tenant's own history of this merchant outranks keywords: a hotel's
	// coffee shop claimed as meals month after month is the norm there.
	var learned Reason
	if ms := s.h.merchants[p.merchant]; ms != nil && ms.n >= 3 {
		fit, top, topN := 0, "", 0
		for c, n := range ms.cats {
			if fits(c) {
				fit += n
			}
			if n > topN || (n == topN && c < top) {
				top, topN = c, n
			}
		}
		share := float64(fit) / float64(ms.n)
		if share >= 0.5 {
			return rs
		}
		if share < 0.15 {
			learned = Reason{
				Code: CodeMerchantCategory, Check: CheckCategory, Probability: 0.55 * (1 - share/0.15),
				ZhHant: fmt.Sprintf("商戶「%s」以往多報銷為「%s」，今次報為「%s」", p.it.Merchant, top, cat),
				En:     fmt.Sprintf("Merchant %q is usually claimed as %s, here as %s", p.it.Merchant, top, cat),
			}
		}
	}
	kw := Reason{}
	if hits := s.keywordCategories(p.it.Merchant); len(hits) > 0 && !slices.ContainsFunc(hits, fits) {
		kw = Reason{
			Code: CodeCategoryMismatch, Check: CheckCategory, Probability: 0.6,
			ZhHant: fmt.Sprintf("商戶「%s」屬「%s」類，但報為「%s」", p.it.Merchant, strings.Join(hits, "、"), cat),
			En:     fmt.Sprintf("Merchant %q looks like %s, but is claimed as %s", p.it.Merchant, strings.Join(hits, "/"), cat),
		}
	}
	if kw.Probability >= learned.Probability && kw.Probability > 0 {
		return append(rs, kw)
	}
	if learned.Probability > 0 {
		return append(rs, learned)
	}
	return rs
}

// keywordCategories returns the categories whose keywords the merchant's
// name contains, sorted.
func (s *Scorer) keywordCategories(merchant string) []string {
	low := lowerMerchant(merchant)
	set := make(map[string]bool, 2)
	for _, w := range strings.Fields(low) {
		for _, c := range s.kwWords[w] {
			set[c] = true
		}
	}
	for _, k := range s.kwZh {
		if strings.Contains(low, k.sub) {
			set[k.cat] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
