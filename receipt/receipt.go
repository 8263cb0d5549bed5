// Package receipt extracts expense fields (merchant, date, total, currency, receipt
// number, tax, line items) from the text of a receipt, as produced by OCR or a PDF
// text layer. It is pure Go and rule based: Hong Kong, mainland Chinese, Malaysian
// and English receipts, Traditional and Simplified Chinese, with tolerance for the
// usual OCR damage (split amounts, S for $, full-width digits, spaced-out CJK).
//
// Every field carries a confidence in [0,1] so that callers can ask the user to
// check the weak ones instead of trusting them.
package receipt

import (
	"strings"
)

// Field is one extracted value and how confident the rules are in it.
// An empty Value means the field was not found; its Confidence is then 0.
type Field struct {
	Value      string  `json:"value"`
	Confidence float64 `json:"confidence"`
}

// Item is one legible line item.
type Item struct {
	Description string  `json:"description"`
	Quantity    string  `json:"quantity,omitempty"` // decimal string; empty when not written
	Amount      string  `json:"amount"`             // decimal string, e.g. "24.00"
	Confidence  float64 `json:"confidence"`
}

// Fields is what Extract found on a receipt.
type Fields struct {
	Merchant Field `json:"merchant"`
	// Date is YYYY-MM-DD.
	Date Field `json:"date"`
	// Total is a decimal string with two decimals, e.g. "45.50". Never a float.
	Total Field `json:"total"`
	// Currency is an ISO 4217 code: HKD, CNY, MYR, USD, SGD.
	Currency Field `json:"currency"`
	// Number is the receipt or invoice number.
	Number Field `json:"number"`
	// Tax is the tax amount (SST, GST, VAT, 稅額), a decimal string.
	Tax   Field  `json:"tax"`
	Items []Item `json:"items,omitempty"`
}

// Options tune the rules to the tenant's locale. Start from DefaultOptions: the zero
// value reads 05/03/2026 month first and assumes no currency for a bare "$".
type Options struct {
	// DayFirst reads ambiguous numeric dates such as 05/03/2026 as day/month/year
	// (Hong Kong, mainland, Malaysia, UK); false reads them month first (US).
	DayFirst bool
	// DefaultCurrency is the ISO code assumed for a bare "$" or an amount with no
	// currency when nothing on the receipt points elsewhere. Empty: leave unknown.
	DefaultCurrency string
}

// DefaultOptions returns the Hong Kong defaults: day-first dates, HKD.
func DefaultOptions() Options {
	return Options{DayFirst: true, DefaultCurrency: "HKD"}
}

// Extract reads the fields of one receipt from its text.
func Extract(text string, opts Options) Fields {
	lines := normalizeText(text)
	upper := make([]string, len(lines))
	for i, l := range lines {
		upper[i] = strings.ToUpper(l)
	}
	doc := document{lines: lines, upper: upper, opts: opts}

	var f Fields
	total, totalLine, totalMoney := doc.total()
	f.Total = total
	f.Currency = doc.currency(totalMoney, total.Value != "")
	f.Date = doc.date()
	f.Merchant = doc.merchant()
	f.Number = doc.number()
	f.Tax = doc.tax()
	f.Items = doc.items(totalLine)
	return f
}

// document is one receipt's normalised lines, with an upper-cased copy for
// matching English keywords.
type document struct {
	lines []string
	upper []string
	opts  Options
}

// containsAny reports whether s contains one of the needles.
func containsAny(s string, needles ...string) bool {
	for _, n := range needles {
		if strings.Contains(s, n) {
			return true
		}
	}
	return false
}
