package builtin

import (
	"context"
	"fmt"
	"strings"

	"github.com/banlihq/banli/nlu/lexicon"
)

// ReceiptRef is what was read from an uploaded receipt: the fields the
// uploader sees (and may have corrected). Empty fields were not read.
type ReceiptRef struct {
	ID, Merchant, Date, Total, Currency string
	// Problem says why the receipt cannot be used yet (still being read,
	// unreadable), in a sentence for the user.
	Problem string
}

// ReceiptLookup reads the receipts a user attached to a message. A Lookup
// that implements it lets "claim this receipt" fill a claim from them.
type ReceiptLookup interface {
	Receipt(ctx context.Context, id string) (ReceiptRef, error)
}

// planClaimFromReceipts proposes a claim with one item per attached
// receipt, filled from what was read: date, amount, currency, merchant, the
// receipt's id, and a category from the merchant and the user's words.
// What could not be read is asked for, never guessed.
func planClaimFromReceipts(ctx context.Context, u *utter) (Plan, error) {
	rl, ok := u.req.Lookup.(ReceiptLookup)
	if !ok {
		return clarify(ToolCreateExpenseClaim, map[string]any{}, "amount"), nil
	}
	explicit, hasExplicit := u.explicitCategory()
	var items []any
	for _, id := range u.req.Attachments {
		r, err := rl.Receipt(ctx, id)
		if err != nil {
			return Plan{}, fmt.Errorf("receipt %s: %w", id, err)
		}
		if r.Problem != "" {
			pl := clarify(ToolCreateExpenseClaim, map[string]any{}, "amount")
			pl.Question = r.Problem
			return pl, nil
		}
		item := map[string]any{"receipt_id": r.ID, "category": "other"}
		if r.Date != "" {
			item["date"] = r.Date
		} else {
			item["date"] = u.now.Format("2006-01-02")
		}
		if r.Merchant != "" {
			item["merchant"] = r.Merchant
		}
		if c, ok := lexicon.ExpenseCategories.Find(strings.ToLower(r.Merchant + " " + u.text)); ok {
			item["category"] = c.Value
		}
		if hasExplicit {
			item["category"] = explicit
		}
		if r.Total == "" {
			pl := clarify(ToolCreateExpenseClaim, map[string]any{"items": []any{item}}, "amount")
			pl.Question = u.say(msgReceiptNoTotal)
			return pl, nil
		}
		item["amount"], item["currency"] = r.Total, r.Currency
		if r.Currency == "" {
			item["currency"] = u.req.Currency
			if u.req.Currency == "" {
				item["currency"] = "HKD"
			}
		}
		items = append(items, item)
	}
	args := map[string]any{"items": items}
	if u.has("提交", "submit", "遞交", "递交", "送審", "send it", "交埋", "送出") {
		args["submit"] = true
	}
	return call(ToolCreateExpenseClaim, args), nil
}
