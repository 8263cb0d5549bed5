package domain

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Categories are the expense categories of TOOLS.md.
var Categories = []string{"meals", "transport", "travel", "lodging", "entertainment", "office_supplies", "training", "communication", "other"}

// Claim statuses beyond the shared ones.
const (
	StatusSubmitted = "submitted"
	StatusPayable   = "payable" // approved, waiting for payment
	StatusPaid      = "paid"
)

// ExpenseClaim is a claim with items.
type ExpenseClaim struct {
	ID          string        `json:"id"`
	Employee    string        `json:"employee"`
	Title       string        `json:"title"`
	Status      string        `json:"status"`
	Total       string        `json:"total"`    // in the tenant currency
	Currency    string        `json:"currency"` // the tenant currency
	Urgent      bool          `json:"urgent,omitempty"`
	Items       []ExpenseItem `json:"items"`
	SubmittedAt *time.Time    `json:"submitted_at,omitempty"`
	CreatedAt   time.Time     `json:"created_at"`
}

// ExpenseItem is one line of a claim.
type ExpenseItem struct {
	ID           string   `json:"id,omitempty"`
	Date         string   `json:"date"`
	Category     string   `json:"category"`
	Amount       string   `json:"amount"`
	Currency     string   `json:"currency"`
	BaseAmount   string   `json:"base_amount,omitempty"` // in the tenant currency
	Merchant     string   `json:"merchant,omitempty"`
	Description  string   `json:"description,omitempty"`
	ReceiptID    string   `json:"receipt_id,omitempty"`
	InvoiceNo    string   `json:"invoice_no,omitempty"`
	AnomalyScore *float64 `json:"anomaly_score,omitempty"`
	// AnomalyReasons explain the score, strongest first (set when submitted).
	AnomalyReasons []AnomalyReason `json:"anomaly_reasons,omitempty"`
}

// ClaimInput is what an employee submits to create a claim.
type ClaimInput struct {
	Title  string        `json:"title,omitempty"`
	Items  []ExpenseItem `json:"items"`
	Submit bool          `json:"submit,omitempty"`
	Urgent bool          `json:"urgent,omitempty"`
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// maxAmount bounds one item; larger values are typos or abuse.
var maxAmount = decimal.NewFromInt(10_000_000)

// NormalizeClaim validates a claim against the tenant's settings and fills
// base amounts and the total in the tenant currency.
func NormalizeClaim(in *ClaimInput, s Settings, today time.Time) (decimal.Decimal, error) {
	var v Validator
	loc := s.Location()
	in.Title = strings.TrimSpace(in.Title)
	v.Check(len(in.Title) <= 200, "title", "is longer than 200 characters")
	v.Check(len(in.Items) > 0, "items", "a claim needs at least one item")
	v.Check(len(in.Items) <= 200, "items", "a claim holds at most 200 items")
	total := decimal.Zero
	for i := range in.Items {
		it := &in.Items[i]
		f := func(name string) string { return "items[" + itoa(i) + "]." + name }
		it.Category = strings.ToLower(strings.TrimSpace(it.Category))
		v.Check(slices.Contains(Categories, it.Category), f("category"), "must be one of "+strings.Join(Categories, ", "))
		it.Currency = strings.ToUpper(strings.TrimSpace(it.Currency))
		if it.Currency == "" {
			it.Currency = s.Currency
		}
		rate, okRate := s.ExchangeRates[it.Currency]
		v.Check(currencyRE.MatchString(it.Currency) && okRate, f("currency"), "is not a currency this company accepts")
		d, err := ParseDate(it.Date, loc)
		v.Check(err == nil, f("date"), "must be a date (YYYY-MM-DD)")
		if err == nil {
			v.Check(!d.After(today.AddDate(0, 0, 1)), f("date"), "is in the future")
			v.Check(d.After(today.AddDate(-2, 0, 0)), f("date"), "is more than two years ago")
		}
		amt, err := decimal.NewFromString(strings.TrimSpace(it.Amount))
		v.Check(err == nil, f("amount"), "must be a decimal number such as 123.40")
		if err != nil {
			continue
		}
		v.Check(amt.IsPositive(), f("amount"), "must be more than zero")
		v.Check(amt.LessThan(maxAmount), f("amount"), "is implausibly large")
		v.Check(amt.Exponent() >= -2, f("amount"), "has more than two decimal places")
		it.Amount = amt.StringFixed(2)
		if okRate {
			r, _ := decimal.NewFromString(rate)
			base := amt.Mul(r).Round(2)
			it.BaseAmount = base.StringFixed(2)
			total = total.Add(base)
			if c, ok := s.CategoryCaps[it.Category]; ok {
				capv, _ := decimal.NewFromString(c)
				v.Check(!base.GreaterThan(capv), f("amount"), "is over the "+it.Category+" cap of "+s.Currency+" "+capv.StringFixed(2))
			}
		}
		v.Check(len(it.Merchant) <= 200, f("merchant"), "is longer than 200 characters")
		v.Check(len(it.Description) <= 1000, f("description"), "is longer than 1000 characters")
	}
	return total, v.Err()
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}
