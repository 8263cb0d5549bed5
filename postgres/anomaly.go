package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/banlihq/banli/anomaly"
	"github.com/banlihq/banli/domain"
)

// anomalyHistoryDays and anomalyHistoryMax bound the history a submission is
// scored against: the tenant's claimed items with a receipt date in the last
// 400 days (the stale-receipt limit is 90), most recent first, at most
// 50,000. Loading is the cost of scoring (see anomaly/README.md for figures).
const (
	anomalyHistoryDays = 400
	anomalyHistoryMax  = 50_000
)

// anomalyConfig turns the tenant's settings into the scorer's: its currency
// and exchange rates, its working calendar, and the checks it switched off.
func anomalyConfig(s domain.Settings, cal domain.WorkCalendar) anomaly.Config {
	cfg := anomaly.DefaultConfig()
	cfg.Currency = s.Currency
	if len(s.ExchangeRates) > 0 {
		cfg.Rates = make(map[string]float64, len(s.ExchangeRates))
		for cur, r := range s.ExchangeRates {
			if f, err := strconv.ParseFloat(r, 64); err == nil && f > 0 {
				cfg.Rates[cur] = f
			}
		}
	}
	cfg.IsWorkingDay = cal.IsWorkingDay
	if len(s.Anomaly.DisabledChecks) > 0 {
		cfg.Disabled = map[anomaly.Check]bool{}
		for _, c := range s.Anomaly.DisabledChecks {
			cfg.Disabled[anomaly.Check(c)] = true
		}
	}
	return cfg
}

// validAnomalyChecks checks the names of switched-off checks.
func validAnomalyChecks(v *domain.Validator, names []string) {
	for _, n := range names {
		v.Check(slices.Contains(anomaly.AllChecks[:], anomaly.Check(n)), "anomaly.disabled_checks", "has an unknown check: "+n)
	}
}

// scoredItem is an expense item as the scorer sees it, with its claim's facts.
type scoredItem struct {
	claim, id, employee, department, category, merchant, currency, invoice string
	amount                                                                 string
	base                                                                   float64
	date                                                                   time.Time
	submitted                                                              time.Time
	hash, text, ocrTotal, ocrCurrency                                      string
}

func (x scoredItem) item(loc *time.Location) anomaly.Item {
	// A date column comes back as UTC midnight; the calendar day in the
	// tenant's zone is what the working-day check must see.
	y, m, d := x.date.Date()
	it := anomaly.Item{ID: x.claim + "/" + x.id, Employee: x.employee, Department: x.department, Category: x.category,
		Merchant: x.merchant, Currency: x.currency, InvoiceNo: x.invoice, ReceiptHash: x.hash, OCRText: x.text,
		AmountBase: x.base, Date: time.Date(y, m, d, 0, 0, 0, 0, loc), SubmittedAt: x.submitted.In(loc)}
	it.Amount, _ = decimal.NewFromString(x.amount)
	// The receipt's total counts only in the item's currency (or when the
	// receipt names none).
	if t, err := decimal.NewFromString(x.ocrTotal); err == nil && (x.ocrCurrency == "" || x.ocrCurrency == x.currency) {
		it.OCRTotal = &t
	}
	return it
}

// itemSQL selects scoredItem columns from expense_items i joined to its claim
// c, the claimant e and the receipt r; the receipt's total is the uploader's
// correction or else what OCR read.
const itemSQL = `SELECT c.id, i.id, c.employee, coalesce(e.department, ''), i.category, i.merchant, i.currency, i.invoice_no,
	  i.amount::text, i.base_amount::float8, i.date, coalesce(c.submitted_at, c.created_at, $2::timestamptz),
	  coalesce(r.sha256, ''), coalesce(r.ocr_text, ''),
	  coalesce(nullif(r.corrections->>'total', ''), r.extracted->'total'->>'value', ''),
	  coalesce(nullif(r.corrections->>'currency', ''), r.extracted->'currency'->>'value', '')
	FROM expense_items i
	JOIN expense_claims c ON c.tenant_id = i.tenant_id AND c.id = i.claim_id
	JOIN employees e ON e.tenant_id = c.tenant_id AND e.id = c.employee
	LEFT JOIN receipts r ON r.tenant_id = i.tenant_id AND r.id = i.receipt_id AND i.receipt_id <> ''`

func collectScored(rows pgx.Rows) ([]scoredItem, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (scoredItem, error) {
		var x scoredItem
		return x, r.Scan(&x.claim, &x.id, &x.employee, &x.department, &x.category, &x.merchant, &x.currency, &x.invoice,
			&x.amount, &x.base, &x.date, &x.submitted, &x.hash, &x.text, &x.ocrTotal, &x.ocrCurrency)
	})
}

// scoreClaim scores each item of a claim being submitted against the
// tenant's history (items of other claims past draft and not rejected or
// cancelled, imported history included) and the claim's earlier items, and stores the score and its
// reasons on the item. It returns the claim with scores filled in.
func (tx *Tx) scoreClaim(ctx context.Context, c *domain.ExpenseClaim) error {
	since := tx.now.In(tx.loc).AddDate(0, 0, -anomalyHistoryDays).Format(domain.DateLayout)
	rows, err := tx.Query(ctx, `SELECT * FROM (`+itemSQL+`
		WHERE i.tenant_id = $1 AND c.id <> $3 AND c.status NOT IN ('draft', 'rejected', 'cancelled') AND i.date >= $4::date
		ORDER BY coalesce(c.submitted_at, c.created_at) DESC, c.id DESC, i.position DESC LIMIT $5) h`,
		tx.tenant.ID, tx.now, c.ID, since, anomalyHistoryMax)
	if err != nil {
		return fmt.Errorf("anomaly history: %w", err)
	}
	hist, err := collectScored(rows)
	if err != nil {
		return fmt.Errorf("anomaly history: %w", err)
	}
	rows, err = tx.Query(ctx, itemSQL+` WHERE i.tenant_id = $1 AND c.id = $3 ORDER BY i.position`, tx.tenant.ID, tx.now, c.ID)
	if err != nil {
		return fmt.Errorf("claim items to score: %w", err)
	}
	mine, err := collectScored(rows)
	if err != nil {
		return fmt.Errorf("claim items to score: %w", err)
	}
	scorer := anomaly.NewScorer(anomalyConfig(tx.tenant.Settings, tx.cal))
	items := make([]anomaly.Item, len(hist))
	for i, x := range hist { // oldest first, as submitted
		items[len(hist)-1-i] = x.item(tx.loc)
	}
	scorer.Load(items)
	byID := map[string]int{}
	for i, it := range c.Items {
		byID[it.ID] = i
	}
	batch := &pgx.Batch{}
	for _, x := range mine {
		x.submitted = tx.now
		res := scorer.Observe(x.item(tx.loc))
		score := res.Score
		reasons := make([]domain.AnomalyReason, 0, len(res.Reasons))
		for _, r := range res.Reasons {
			reasons = append(reasons, domain.AnomalyReason{Code: r.Code, Check: string(r.Check), ZhHant: r.ZhHant, En: r.En,
				Contribution: r.Contribution, Related: r.Related})
		}
		batch.Queue(`UPDATE expense_items SET anomaly_score = $4, anomaly_reasons = $5 WHERE tenant_id = $1 AND claim_id = $2 AND id = $3`,
			tx.tenant.ID, c.ID, x.id, score, jsonb(reasons))
		if i, ok := byID[x.id]; ok {
			c.Items[i].AnomalyScore, c.Items[i].AnomalyReasons = &score, reasons
		}
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("store anomaly scores: %w", err)
	}
	return nil
}
