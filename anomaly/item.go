package anomaly

import (
	"time"

	"github.com/shopspring/decimal"
)

// Item is one expense line as the scorer sees it.
type Item struct {
	ID          string
	Employee    string
	Department  string
	Category    string // meals, transport, travel, lodging, entertainment, office_supplies, training, communication, other
	Merchant    string
	Currency    string // ISO 4217; empty means the tenant's currency
	InvoiceNo   string
	ReceiptHash string // digest of the receipt file, if any
	OCRText     string // text read from the receipt, if any

	Amount decimal.Decimal
	// AmountBase is Amount in the tenant's currency. When zero the scorer
	// converts Amount with Config.Rates.
	AmountBase float64

	Date        time.Time // the receipt's date; only its calendar day is used
	SubmittedAt time.Time // when the item was submitted; its calendar day in its own location is used
	OCRTotal    *decimal.Decimal
}

// Check names a family of checks that a tenant can switch off.
type Check string

// The checks. Each Reason belongs to exactly one of them.
const (
	CheckExactDuplicate Check = "exact_duplicate" // same receipt file or invoice number
	CheckNearDuplicate  Check = "near_duplicate"  // same merchant, amount and date; near-identical receipt text
	CheckSplit          Check = "split_claim"     // several items just under, or summing past, an approval threshold
	CheckOutlier        Check = "amount_outlier"  // amount far above the employee's and the category's history
	CheckNonWorkingDay  Check = "non_working_day" // working-day categories spent on weekends or holidays
	CheckRoundAmount    Check = "round_amount"    // round amounts and first-digit (Benford) drift
	CheckReceiptDate    Check = "receipt_date"    // stale or future-dated receipts
	CheckOCRTotal       Check = "ocr_total"       // claimed amount differs from the receipt's total
	CheckCategory       Check = "category"        // merchant typical of another category
)

// AllChecks lists every check, in the order they run.
var AllChecks = [...]Check{
	CheckExactDuplicate, CheckNearDuplicate, CheckSplit, CheckOutlier, CheckNonWorkingDay,
	CheckRoundAmount, CheckReceiptDate, CheckOCRTotal, CheckCategory,
}

// Reason codes. They are stable: clients and reports key on them.
const (
	CodeDuplicateReceipt = "duplicate_receipt"
	CodeDuplicateInvoice = "duplicate_invoice"
	CodeNearDuplicate    = "near_duplicate"
	CodeDuplicateText    = "duplicate_receipt_text"
	CodeSplitUnder       = "split_just_under_threshold"
	CodeSplitSum         = "split_sum_over_threshold"
	CodeNearThreshold    = "just_under_threshold"
	CodeOutlierEmployee  = "amount_outlier_employee"
	CodeOutlierCategory  = "amount_outlier_category"
	CodeOutlierMerchant  = "amount_outlier_merchant"
	CodeNonWorkingDay    = "non_working_day"
	CodeRoundAmount      = "round_amount"
	CodeBenfordDrift     = "benford_drift"
	CodeStaleReceipt     = "stale_receipt"
	CodeFutureDate       = "future_date"
	CodeOCRTotalMismatch = "ocr_total_mismatch"
	CodeCategoryMismatch = "category_mismatch"
	CodeMerchantCategory = "merchant_usual_category"
)

// Reason explains one check's finding.
type Reason struct {
	Code  string `json:"code"`
	Check Check  `json:"check"`
	// ZhHant and En say what was found, for the approver.
	ZhHant string `json:"zh_hant"`
	En     string `json:"en"`
	// Probability is this check's own estimate that the item is anomalous.
	Probability float64 `json:"probability"`
	// Contribution is this reason's share of the combined score; the
	// contributions of a Result sum to its Score.
	Contribution float64 `json:"contribution"`
	// Related lists ids of history items involved (the earlier duplicate, the
	// other parts of a split).
	Related []string `json:"related,omitempty"`
}

// Result is the score of one item.
type Result struct {
	Score   float64  `json:"score"`   // in [0,1]
	Reasons []Reason `json:"reasons"` // strongest first
}

// Flagged reports whether the score reaches the threshold.
func (r Result) Flagged(threshold float64) bool { return r.Score >= threshold }
