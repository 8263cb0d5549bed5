package receipt

import (
	"regexp"
	"strings"
	"unicode"
)

// merchantLabels introduce the seller's name explicitly. On a mainland fapiao the
// buyer (购买方) is printed first, so only the seller's block counts.
var merchantLabels = []string{
	"销售方名称", "銷售方名稱", "销售方:名称", "銷售方:名稱", "收款单位", "收款單位",
	"商户名称", "商戶名稱", "MERCHANT NAME", "MERCHANT", "店名", "商店名稱",
}

// headerJunk marks header lines that are not the merchant's name.
var headerJunk = []string{
	"TEL", "FAX", "電話", "电话", "WWW", "HTTP", "@", "ADDRESS", "地址", "RECEIPT",
	"收據", "收据", "INVOICE", "發票", "发票", "單號", "单号", "DATE", "日期", "WELCOME",
	"歡迎", "欢迎", "THANK", "謝謝", "谢谢", "REG", "GST", "SST", "BRANCH", "分店", "COPY",
	"副本", "TABLE", "枱", "檯", "桌", "CASHIER", "收銀", "收银", "POS", "購買方", "购买方",
	"名称", "名稱", "纳税人", "納稅人", "NO.", "NO:", "BILL", "ORDER", "DISTANCE", "PLATE",
	"COMPANY NO", "CO. NO", "機器", "机器", "校验码", "代码", "PAGE", "SHOP NO", "LOT ",
	"JALAN", "大廈", "大厦",
}

// buyerWords mark the buyer's block of an invoice: never the merchant.
var buyerWords = []string{"购买方", "購買方", "购方", "購方", "BILL TO", "SOLD TO", "CUSTOMER"}

// addressWords mark an address when the line also has a number ("彌敦道 123 號");
// without one they are ordinary characters in names ("老街面馆").
var addressWords = []string{"道", "街", "路", "號", "号", "樓", "楼", "室", "鋪", "铺", "FLOOR", "/F", "SHOP", "STREET", " ST", "ROAD", " RD", "AVENUE", " AVE"}

// companyHints make a header line more likely to be the business name.
var companyHints = []string{
	"LTD", "LIMITED", "SDN BHD", "SDN. BHD", "BHD", "有限公司", "公司", "RESTAURANT",
	"RESTORAN", "CAFE", "CAFÉ", "餐廳", "餐厅", "酒家", "酒樓", "酒楼", "茶餐廳", "HOTEL",
	"酒店", "超市", "MART", "STORE", "SHOP", "BAKERY", "KOPITIAM", "飯店", "饭店", "INC",
	"CO.", "TRADING", "PHARMACY", "藥房", "药房", "便利店",
}

// merchant finds the seller's name: an explicit label wins, else the first header
// line that looks like a name rather than an address, phone or title.
func (d document) merchant() Field {
	for i, up := range d.upper {
		squeezed := strings.ReplaceAll(up, " ", "")
		for _, lab := range merchantLabels {
			p := strings.Index(squeezed, strings.ReplaceAll(lab, " ", ""))
			if p < 0 {
				continue
			}
			if v := cleanName(afterLabel(d.lines[i], lab)); v != "" {
				return Field{Value: v, Confidence: 0.9}
			}
			// Label alone on its line; the name follows.
			if i+1 < len(d.lines) {
				if v := cleanName(afterLabel(d.lines[i+1], "名称")); v != "" {
					return Field{Value: v, Confidence: 0.8}
				}
			}
		}
		// "销售方" header, then "名称: X" on the next line.
		if containsAny(up, "销售方", "銷售方") && i+1 < len(d.lines) &&
			containsAny(d.lines[i+1], "名称", "名稱") {
			if v := cleanName(afterLabel(d.lines[i+1], "名称")); v != "" {
				return Field{Value: v, Confidence: 0.85}
			}
		}
	}
	// A garbled "销售方" label still leaves "名称: X" outside the buyer's block.
	for i, up := range d.upper {
		if containsAny(up, "名称", "名稱") && !containsAny(up, buyerWords...) && !containsAny(up, "项目", "項目") {
			for _, lab := range []string{"名称", "名稱"} {
				if v := cleanName(afterLabel(d.lines[i], lab)); v != "" && looksLikeName(v) {
					return Field{Value: v, Confidence: 0.7}
				}
			}
		}
	}
	limit := min(len(d.lines), 8)
	for i := 0; i < limit; i++ {
		l, up := cleanName(d.lines[i]), d.upper[i]
		if !looksLikeName(l) || containsAny(up, buyerWords...) {
			continue
		}
		hint := containsAny(up, companyHints...)
		if containsAny(up, headerJunk...) && !hint {
			continue
		}
		if strings.ContainsFunc(l, unicode.IsDigit) && (containsAny(up, addressWords...) || !hint) {
			continue // an address, a plate, a distance: names rarely carry digits
		}
		conf := 0.6
		if hint {
			conf += 0.15
		}
		if i == 0 {
			conf += 0.1
		}
		return Field{Value: l, Confidence: conf}
	}
	return Field{}
}

// afterLabel returns what follows the label and a colon on a line, or "" if the
// label is not on the line. The label is matched ignoring spaces and case.
func afterLabel(line, label string) string {
	up := strings.ToUpper(line)
	lab := strings.ToUpper(label)
	p := strings.Index(up, lab)
	if p < 0 || len(up) != len(line) {
		return ""
	}
	rest := line[p+len(lab):]
	return strings.TrimLeft(rest, " :：-")
}

// cleanName trims decoration OCR adds around a header ("*** NAME ***", "=NAME=").
func cleanName(s string) string {
	s = strings.Trim(s, " *=-_#~|:.,'\"")
	return strings.TrimSpace(s)
}

// looksLikeName reports whether a line is mostly letters, as a name is, rather
// than digits, separators or OCR debris.
func looksLikeName(l string) bool {
	letters, digits, total := 0, 0, 0
	for _, r := range l {
		if unicode.IsSpace(r) {
			continue
		}
		total++
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	if letters < 2 || total == 0 {
		return false
	}
	// A CJK name of two characters is common; a Latin one needs more.
	if !strings.ContainsFunc(l, isCJK) && letters < 3 {
		return false
	}
	return float64(letters)/float64(total) >= 0.6 && digits*4 < total
}

var (
	reNumberEN = regexp.MustCompile(`(?i)\b(?:RECEIPT|INVOICE|INV|BILL|ORDER|TXN|TRANS|CHECK|CHK|RCPT|SLIP|DOC|TRIP|REF)\s*(?:NO|NUMBER|NUM|ID)?\s*[.:#]*\s*([A-Z0-9][A-Z0-9\-/]{3,})`)
	reNumberZH = regexp.MustCompile(`(?:發票號碼|发票号码|收據編號|收据编号|單號|单号|編號|编号|票號|票号|號碼|号码|流水號|流水号)\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9\-]{3,})`)
)

// number finds the receipt or invoice number.
func (d document) number() Field {
	for _, re := range []*regexp.Regexp{reNumberZH, reNumberEN} {
		for _, l := range d.lines {
			if m := re.FindStringSubmatch(l); m != nil && strings.ContainsFunc(m[1], unicode.IsDigit) {
				return Field{Value: m[1], Confidence: 0.8}
			}
		}
	}
	return Field{}
}

// taxLabels introduce a tax amount.
var taxLabels = []string{"SST", "GST", "VAT", "SERVICE TAX", "SALES TAX", "TAX", "稅額", "税额", "稅金", "税金"}

// taxNot marks lines that mention tax but carry no tax amount.
var taxNot = []string{"INVOICE", "REG", " ID", "ID:", "NO.", "NO:", "INCL", "EXCL", "%)", "发票", "發票"}

// tax finds the tax amount: a tax-labelled line, or on a fapiao the second amount on
// the pre-tax "合计" line (amount, then tax).
func (d document) tax() Field {
	for i, up := range d.upper {
		if containsAny(up, taxLabels...) && !containsAny(up, taxNot...) {
			if m, ok := lastPrice(findMoney(d.lines[i])); ok && m.decimals {
				return Field{Value: m.amount.StringFixed(2), Confidence: 0.75}
			}
		}
	}
	for i, up := range d.upper {
		if containsAny(up, "合计", "合計") && !containsAny(up, "价税", "價稅") {
			if ms := findMoney(d.lines[i]); len(ms) == 2 && ms[0].decimals && ms[1].decimals {
				return Field{Value: ms[1].amount.StringFixed(2), Confidence: 0.6}
			}
		}
	}
	return Field{}
}

var (
	reQtyLead  = regexp.MustCompile(`^(\d{1,3})\s*[xX×*]?\s+(.+)$`)
	reQtyTrail = regexp.MustCompile(`^(.+?)\s*[xX×*]\s*(\d{1,3})$`)
	reTrailNum = regexp.MustCompile(`^(.*\S)\s+(@?\s*\$?\d+(?:\.\d{1,2})?)$`)
)

// itemNot marks priced lines that are not goods.
var itemNot = []string{"SERVICE", "服務費", "服务费", "加一", "CHARGE", "ROUNDING", "捨入"}

// items reads priced lines above the total: a description, maybe a quantity, and
// the line's amount last.
func (d document) items(totalLine int) []Item {
	if totalLine < 0 {
		return nil
	}
	var out []Item
	for i := 0; i < totalLine; i++ {
		l, up := d.lines[i], d.upper[i]
		if containsAny(up, notTotal...) || containsAny(up, taxLabels...) || containsAny(up, itemNot...) {
			continue
		}
		hasTotalWord := false
		for _, k := range totalKeywords {
			if strings.Contains(up, k.word) {
				hasTotalWord = true
				break
			}
		}
		if hasTotalWord || len(datesIn(l, true)) > 0 {
			continue
		}
		m, ok := lastPrice(findMoney(l))
		if !ok || !m.decimals || m.amount.Sign() <= 0 {
			continue
		}
		desc := strings.TrimSpace(l[:m.start])
		qty := ""
		// Peel numbers off the end of the description: a unit price ("@12.00")
		// or a bare count ("奶茶 2 24.00").
		for {
			mm := reTrailNum.FindStringSubmatch(desc)
			if mm == nil {
				break
			}
			desc = mm[1]
			if !strings.ContainsAny(mm[2], ".@$") && qty == "" {
				qty = mm[2]
			}
		}
		if mm := reQtyLead.FindStringSubmatch(desc); mm != nil {
			qty, desc = mm[1], mm[2]
		} else if mm := reQtyTrail.FindStringSubmatch(desc); mm != nil {
			desc, qty = mm[1], mm[2]
		}
		desc = cleanName(desc)
		if !looksLikeName(desc) {
			continue
		}
		out = append(out, Item{Description: desc, Quantity: qty, Amount: m.amount.StringFixed(2), Confidence: 0.6})
	}
	return out
}
