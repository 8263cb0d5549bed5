package domain

import (
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Receipt statuses: an upload is queued for OCR, processed by a job, then done
// or failed (with Error saying why).
const (
	ReceiptQueued     = "queued"
	ReceiptProcessing = "processing"
	ReceiptDone       = "done"
	ReceiptFailed     = "failed"
)

// ReceiptFields are a receipt's values as a claim item uses them: what OCR
// read, with the uploader's corrections applied. Empty means unknown.
type ReceiptFields struct {
	Merchant string `json:"merchant,omitempty"`
	// Date is YYYY-MM-DD.
	Date string `json:"date,omitempty"`
	// Total is a decimal string such as "45.50".
	Total string `json:"total,omitempty"`
	// Currency is an ISO 4217 code.
	Currency string `json:"currency,omitempty"`
	// Number is the receipt or invoice number.
	Number string `json:"number,omitempty"`
	// Tax is the tax amount, a decimal string.
	Tax string `json:"tax,omitempty"`
}

// ScanField is one value read by OCR with the extractor's confidence in [0,1].
type ScanField struct {
	Value      string  `json:"value"`
	Confidence float64 `json:"confidence"`
}

// ReceiptLine is one legible line item of a receipt.
type ReceiptLine struct {
	Description string  `json:"description"`
	Quantity    string  `json:"quantity,omitempty"`
	Amount      string  `json:"amount"`
	Confidence  float64 `json:"confidence"`
}

// ReceiptScan is what OCR and field extraction read from a receipt, each
// field with its confidence, so that the weak ones can be shown for checking.
type ReceiptScan struct {
	Merchant ScanField     `json:"merchant"`
	Date     ScanField     `json:"date"`
	Total    ScanField     `json:"total"`
	Currency ScanField     `json:"currency"`
	Number   ScanField     `json:"number"`
	Tax      ScanField     `json:"tax"`
	Items    []ReceiptLine `json:"items,omitempty"`
	// Kind is the file's format as sniffed (jpeg, png, heic, pdf...).
	Kind string `json:"kind,omitempty"`
	// Pages is the number of pages read (1 for an image).
	Pages int `json:"pages,omitempty"`
}

// Values returns the scanned values without their confidences.
func (s ReceiptScan) Values() ReceiptFields {
	return ReceiptFields{Merchant: s.Merchant.Value, Date: s.Date.Value, Total: s.Total.Value,
		Currency: s.Currency.Value, Number: s.Number.Value, Tax: s.Tax.Value}
}

// Receipt is an uploaded receipt file and what was read from it.
type Receipt struct {
	ID         string `json:"id"`
	UploadedBy string `json:"uploaded_by"`
	Filename   string `json:"filename,omitempty"`
	// SHA256 is the hex digest of the file; the same file is stored once per
	// company and counts as the same receipt in duplicate checks.
	SHA256 string `json:"sha256"`
	MIME   string `json:"mime"`
	Size   int    `json:"size"`
	Status string `json:"status" enum:"queued,processing,done,failed"`
	// Error says why OCR failed (status failed).
	Error string `json:"error,omitempty"`
	// Attempts counts OCR runs.
	Attempts int `json:"attempts"`
	// Extracted is what OCR read, with confidences; nil until done.
	Extracted *ReceiptScan `json:"extracted,omitempty"`
	// Corrections are the uploader's corrected values; empty fields are not corrected.
	Corrections ReceiptFields `json:"corrections"`
	// Fields are the values to use: corrections over what was read.
	Fields ReceiptFields `json:"fields"`
	// Text is the recognised text (omitted from lists).
	Text string `json:"text,omitempty"`
	// Duplicate is set on an upload that returned the caller's earlier upload
	// of the same file instead of storing it again.
	Duplicate   bool       `json:"duplicate,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	ProcessedAt *time.Time `json:"processed_at,omitempty"`
}

// Effective fills Fields from the extracted values and the corrections.
func (r *Receipt) Effective() {
	var f ReceiptFields
	if r.Extracted != nil {
		f = r.Extracted.Values()
	}
	c := r.Corrections
	for _, p := range []struct {
		dst *string
		v   string
	}{
		{&f.Merchant, c.Merchant}, {&f.Date, c.Date}, {&f.Total, c.Total},
		{&f.Currency, c.Currency}, {&f.Number, c.Number}, {&f.Tax, c.Tax},
	} {
		if p.v != "" {
			*p.dst = p.v
		}
	}
	r.Fields = f
}

// ReceiptPatch corrects a receipt's fields. A nil field is left as it is; an
// empty string withdraws an earlier correction.
type ReceiptPatch struct {
	Merchant *string `json:"merchant,omitempty" maxLength:"200"`
	Date     *string `json:"date,omitempty" doc:"YYYY-MM-DD"`
	Total    *string `json:"total,omitempty" doc:"Decimal such as 45.50"`
	Currency *string `json:"currency,omitempty" doc:"ISO 4217 code"`
	Number   *string `json:"number,omitempty" maxLength:"100"`
	Tax      *string `json:"tax,omitempty" doc:"Decimal such as 4.50"`
}

var isoCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// Apply validates the patch and applies it to corrections.
func (p ReceiptPatch) Apply(c *ReceiptFields) error {
	var v Validator
	set := func(dst *string, src *string, field string, check func(string) (string, bool), msg string) {
		if src == nil {
			return
		}
		val := strings.TrimSpace(*src)
		if val != "" && check != nil {
			var ok bool
			if val, ok = check(val); !ok {
				v.Check(false, field, msg)
				return
			}
		}
		*dst = val
	}
	amount := func(s string) (string, bool) {
		d, err := decimal.NewFromString(s)
		if err != nil || d.IsNegative() || d.Exponent() < -2 || !d.LessThan(maxAmount) {
			return "", false
		}
		return d.StringFixed(2), true
	}
	date := func(s string) (string, bool) {
		_, err := time.Parse(DateLayout, s)
		return s, err == nil
	}
	text := func(n int) func(string) (string, bool) {
		return func(s string) (string, bool) { return s, len(s) <= n }
	}
	set(&c.Merchant, p.Merchant, "merchant", text(200), "is longer than 200 characters")
	set(&c.Date, p.Date, "date", date, "must be a date (YYYY-MM-DD)")
	set(&c.Total, p.Total, "total", amount, "must be a decimal amount such as 45.50")
	set(&c.Currency, p.Currency, "currency", func(s string) (string, bool) {
		s = strings.ToUpper(s)
		return s, isoCurrency.MatchString(s)
	}, "must be an ISO 4217 code such as HKD")
	set(&c.Number, p.Number, "number", text(100), "is longer than 100 characters")
	set(&c.Tax, p.Tax, "tax", amount, "must be a decimal amount such as 4.50")
	return v.Err()
}

// AnomalyReason explains one finding of the anomaly checks on an expense
// item, in Traditional Chinese and English, for approvers.
type AnomalyReason struct {
	Code   string `json:"code"`
	Check  string `json:"check"`
	ZhHant string `json:"zh_hant"`
	En     string `json:"en"`
	// Contribution is this reason's share of the item's score.
	Contribution float64 `json:"contribution"`
	// Related names the other items involved, as claim_id/item_id.
	Related []string `json:"related,omitempty"`
}

// AnomalySettings configure expense anomaly scoring for a tenant.
type AnomalySettings struct {
	// DisabledChecks switches checks off: exact_duplicate, near_duplicate,
	// split_claim, amount_outlier, non_working_day, round_amount,
	// receipt_date, ocr_total, category.
	DisabledChecks []string `json:"disabled_checks,omitempty"`
}
