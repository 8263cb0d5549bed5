package anomaly

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Line is one expense item in the claims JSONL format (shared
// evals/FORMAT.md §4). The generator writes it and the eval reads it; keys
// beyond the contract's (receipt_hash, ocr_text, ocr_total, kind) are optional.
type Line struct {
	ID          string `json:"id"`
	Employee    string `json:"employee"`
	Department  string `json:"department"`
	SubmittedAt string `json:"submitted_at"`
	Date        string `json:"date"`
	Category    string `json:"category"`
	Merchant    string `json:"merchant"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	InvoiceNo   string `json:"invoice_no"`
	Label       int    `json:"label"`
	ReceiptHash string `json:"receipt_hash,omitempty"`
	OCRText     string `json:"ocr_text,omitempty"`
	OCRTotal    string `json:"ocr_total,omitempty"`
	Kind        string `json:"kind,omitempty"`
}

// Item converts a line to the scorer's item; absent dates stay zero.
func (l Line) Item() (Item, error) {
	it := Item{
		ID: l.ID, Employee: l.Employee, Department: l.Department, Category: l.Category,
		Merchant: l.Merchant, Currency: l.Currency, InvoiceNo: l.InvoiceNo,
		ReceiptHash: l.ReceiptHash, OCRText: l.OCRText,
	}
	var err error
	if it.Amount, err = decimal.NewFromString(strings.TrimSpace(l.Amount)); err != nil {
		return it, fmt.Errorf("amount %q: %w", l.Amount, err)
	}
	if l.Date != "" {
		if it.Date, err = time.Parse(time.DateOnly, l.Date); err != nil {
			return it, fmt.Errorf("date %q: %w", l.Date, err)
		}
	}
	if l.SubmittedAt != "" {
		if it.SubmittedAt, err = time.Parse(time.RFC3339, l.SubmittedAt); err != nil {
			return it, fmt.Errorf("submitted_at %q: %w", l.SubmittedAt, err)
		}
	}
	if s := strings.TrimSpace(l.OCRTotal); s != "" {
		t, err := decimal.NewFromString(s)
		if err != nil {
			return it, fmt.Errorf("ocr_total %q: %w", l.OCRTotal, err)
		}
		it.OCRTotal = &t
	}
	return it, nil
}
