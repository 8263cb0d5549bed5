package postgres

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

// CreateClaim creates an expense claim for the actor, submitting it at once
// when in.Submit is set.
func (s *Store) CreateClaim(ctx context.Context, actor domain.Actor, in domain.ClaimInput) (domain.ExpenseClaim, error) {
	var out domain.ExpenseClaim
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "a claim needs an employee")
		}
		total, err := domain.NormalizeClaim(&in, tx.tenant.Settings, tx.now.In(tx.loc))
		if err != nil {
			return err
		}
		c := domain.ExpenseClaim{ID: newID("ec"), Employee: tx.me.ID, Title: in.Title, Status: domain.StatusDraft,
			Total: total.StringFixed(2), Currency: tx.tenant.Settings.Currency, Urgent: in.Urgent, Items: in.Items, CreatedAt: tx.now}
		if c.Title == "" {
			c.Title = defaultClaimTitle(in.Items)
		}
		if err := tx.insertClaim(ctx, c); err != nil {
			return err
		}
		tx.audit("expense.create", "expense:"+c.ID, nil, c)
		if in.Submit {
			c, err = tx.submitClaim(ctx, c.ID)
			if err != nil {
				return err
			}
		}
		out = c
		return nil
	})
	return out, err
}

func defaultClaimTitle(items []domain.ExpenseItem) string {
	if len(items) == 1 && items[0].Merchant != "" {
		return items[0].Merchant
	}
	return "Expense claim"
}

func (tx *Tx) insertClaim(ctx context.Context, c domain.ExpenseClaim) error {
	_, err := tx.Exec(ctx, `INSERT INTO expense_claims (tenant_id, id, employee, title, status, total, currency, urgent, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
		tx.tenant.ID, c.ID, c.Employee, c.Title, c.Status, c.Total, c.Currency, c.Urgent, tx.now)
	if err != nil {
		if isUnique(err) {
			return domain.Errorf(domain.EConflict, "claim %s exists", c.ID)
		}
		return fmt.Errorf("save claim: %w", err)
	}
	if err := tx.claimReceipts(ctx, c.Employee, c.Items); err != nil {
		return err
	}
	batch := &pgx.Batch{}
	for i := range c.Items {
		it := &c.Items[i]
		it.ID = strconv.Itoa(i + 1)
		batch.Queue(`INSERT INTO expense_items (tenant_id, claim_id, id, position, date, category, amount, currency, base_amount, merchant, description, receipt_id, invoice_no)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
			tx.tenant.ID, c.ID, it.ID, i, it.Date, it.Category, it.Amount, it.Currency, it.BaseAmount, it.Merchant, it.Description, it.ReceiptID, it.InvoiceNo)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("save claim items: %w", err)
	}
	return nil
}

// SubmitClaim submits a draft or returned claim for approval.
func (s *Store) SubmitClaim(ctx context.Context, actor domain.Actor, id string) (domain.ExpenseClaim, error) {
	var out domain.ExpenseClaim
	err := s.run(ctx, actor, func(tx *Tx) error {
		c, res, err := tx.claim(ctx, id, true)
		if err != nil {
			return err
		}
		if err := tx.can(authz.Update, res); err != nil {
			return err
		}
		out, err = tx.submitClaim(ctx, c.ID)
		return err
	})
	return out, err
}

func (tx *Tx) submitClaim(ctx context.Context, id string) (domain.ExpenseClaim, error) {
	c, _, err := tx.claim(ctx, id, true)
	if err != nil {
		return c, err
	}
	if c.Status != domain.StatusDraft && c.Status != domain.StatusReturned {
		return c, domain.Errorf(domain.EConflict, "claim %s is %s; only drafts and returned claims can be submitted", id, c.Status)
	}
	before := c
	c.Status = domain.StatusSubmitted
	now := tx.now
	c.SubmittedAt = &now
	if _, err := tx.Exec(ctx, `UPDATE expense_claims SET status = 'submitted', submitted_at = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id, now); err != nil {
		return c, fmt.Errorf("submit claim: %w", err)
	}
	emp, err := tx.employee(ctx, c.Employee)
	if err != nil {
		return c, err
	}
	if err := tx.scoreClaim(ctx, &c); err != nil {
		return c, err
	}
	total, _ := decimal.NewFromString(c.Total)
	facts := domain.RouteInput{Total: total.InexactFloat64(), Department: emp.Department, Urgent: c.Urgent}
	largest := decimal.Zero
	for _, it := range c.Items {
		facts.Categories = append(facts.Categories, it.Category)
		if b, _ := decimal.NewFromString(it.BaseAmount); b.GreaterThan(largest) {
			largest, facts.Category = b, it.Category
		}
		if it.AnomalyScore != nil && *it.AnomalyScore > facts.AnomalyScore {
			facts.AnomalyScore = *it.AnomalyScore
		}
	}
	tx.audit("expense.submit", "expense:"+id, map[string]any{"status": before.Status}, map[string]any{"status": c.Status, "total": c.Total})
	tx.emit("expense.submitted", c)
	summary := fmt.Sprintf("%s %s %s %s", emp.Name, c.Title, c.Currency, c.Total)
	return c, tx.startApproval(ctx, domain.KindExpense, id, emp, facts, summary)
}

// claim loads a claim with its items and checks the actor may read it.
func (tx *Tx) claim(ctx context.Context, id string, lock bool) (domain.ExpenseClaim, authz.Resource, error) {
	var c domain.ExpenseClaim
	q := `SELECT id, employee, title, status, total::text, currency, urgent, submitted_at, created_at FROM expense_claims WHERE tenant_id = $1 AND id = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	err := tx.QueryRow(ctx, q, tx.tenant.ID, id).Scan(&c.ID, &c.Employee, &c.Title, &c.Status, &c.Total, &c.Currency, &c.Urgent, &c.SubmittedAt, &c.CreatedAt)
	if err := notFound(err, "expense claim", id); err != nil {
		return c, authz.Resource{}, err
	}
	emp, err := tx.employee(ctx, c.Employee)
	if err != nil {
		return c, authz.Resource{}, err
	}
	var approvers []string
	if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT x), '{}') FROM approval_steps s, unnest(s.approvers) x WHERE s.tenant_id = $1 AND s.request_id = $2`,
		tx.tenant.ID, id).Scan(&approvers); err != nil {
		return c, authz.Resource{}, fmt.Errorf("approvers: %w", err)
	}
	res := authz.Resource{Type: authz.TypeExpenseClaim, ID: id, Owner: c.Employee, OwnerPath: emp.ManagerPath, Approvers: approvers}
	if err := tx.can(authz.Read, res); err != nil {
		return c, res, domain.Errorf(domain.ENotFound, "no expense claim %q", id)
	}
	items, err := tx.claimItems(ctx, []string{id})
	if err != nil {
		return c, res, err
	}
	c.Items = items[id]
	return c, res, nil
}

func (tx *Tx) claimItems(ctx context.Context, ids []string) (map[string][]domain.ExpenseItem, error) {
	rows, err := tx.Query(ctx, `SELECT claim_id, id, to_char(date,'YYYY-MM-DD'), category, amount::text, currency, base_amount::text, merchant, description, receipt_id, invoice_no, anomaly_score, anomaly_reasons
		FROM expense_items WHERE tenant_id = $1 AND claim_id = ANY($2) ORDER BY claim_id, position`, tx.tenant.ID, ids)
	if err != nil {
		return nil, fmt.Errorf("claim items: %w", err)
	}
	defer rows.Close()
	out := map[string][]domain.ExpenseItem{}
	for rows.Next() {
		var cid string
		var it domain.ExpenseItem
		if err := rows.Scan(&cid, &it.ID, &it.Date, &it.Category, &it.Amount, &it.Currency, &it.BaseAmount, &it.Merchant, &it.Description, &it.ReceiptID, &it.InvoiceNo, &it.AnomalyScore, &it.AnomalyReasons); err != nil {
			return nil, fmt.Errorf("claim items: %w", err)
		}
		out[cid] = append(out[cid], it)
	}
	return out, rows.Err()
}

// GetClaim returns one claim visible to the actor.
func (s *Store) GetClaim(ctx context.Context, actor domain.Actor, id string) (domain.ExpenseClaim, error) {
	var out domain.ExpenseClaim
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, _, err = tx.claim(ctx, id, false)
		return err
	})
	return out, err
}

// ClaimFilter narrows a claim list (moved to domain).
type ClaimFilter = domain.ClaimFilter

// ListClaims lists claims the actor may see: their own, their reports',
// those they approve, and for finance and the CFO everyone's.
func (s *Store) ListClaims(ctx context.Context, actor domain.Actor, f ClaimFilter) ([]domain.ExpenseClaim, error) {
	var out []domain.ExpenseClaim
	err := s.run(ctx, actor, func(tx *Tx) error {
		if f.Limit <= 0 || f.Limit > 500 {
			f.Limit = 100
		}
		all := tx.actor.System || tx.me.HasRole(domain.RoleFinance) || tx.me.HasRole(domain.RoleCFO)
		rows, err := tx.Query(ctx, `SELECT c.id, c.employee, c.title, c.status, c.total::text, c.currency, c.urgent, c.submitted_at, c.created_at
			FROM expense_claims c JOIN employees e ON e.tenant_id = c.tenant_id AND e.id = c.employee
			WHERE c.tenant_id = $1
			  AND ($2 OR c.employee = $3 OR $3 = ANY(e.manager_path)
			       OR EXISTS (SELECT 1 FROM approval_steps s WHERE s.tenant_id = c.tenant_id AND s.request_id = c.id AND $3 = ANY(s.approvers)))
			  AND ($4 = '' OR c.employee = $4) AND ($5 = '' OR c.status = $5) AND ($6 = '' OR c.id > $6)
			ORDER BY c.id LIMIT $7`, tx.tenant.ID, all, tx.me.ID, f.Employee, f.Status, f.After, f.Limit)
		if err != nil {
			return fmt.Errorf("list claims: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ExpenseClaim, error) {
			var c domain.ExpenseClaim
			return c, r.Scan(&c.ID, &c.Employee, &c.Title, &c.Status, &c.Total, &c.Currency, &c.Urgent, &c.SubmittedAt, &c.CreatedAt)
		})
		if err != nil {
			return fmt.Errorf("list claims: %w", err)
		}
		if err := tx.refuseHidden(ctx, f.Employee, len(out), "expense claims", domain.RoleFinance, domain.RoleCFO); err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, c := range out {
			ids[i] = c.ID
		}
		items, err := tx.claimItems(ctx, ids)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].Items = items[out[i].ID]
		}
		return nil
	})
	return out, err
}

// claimOutcome applies a finished approval: approved claims become payable.
func (tx *Tx) claimOutcome(ctx context.Context, id, status string) error {
	if status == domain.StatusApproved {
		status = domain.StatusPayable
	}
	if _, err := tx.Exec(ctx, `UPDATE expense_claims SET status = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id, status); err != nil {
		return fmt.Errorf("update claim status: %w", err)
	}
	return nil
}

// MarkPaid records that finance paid a payable claim.
func (s *Store) MarkPaid(ctx context.Context, actor domain.Actor, id string) (domain.ExpenseClaim, error) {
	var out domain.ExpenseClaim
	err := s.run(ctx, actor, func(tx *Tx) error {
		c, res, err := tx.claim(ctx, id, true)
		if err != nil {
			return err
		}
		if err := tx.can(authz.Pay, res); err != nil {
			return err
		}
		if c.Status != domain.StatusPayable {
			return domain.Errorf(domain.EConflict, "claim %s is %s, not payable", id, c.Status)
		}
		if _, err := tx.Exec(ctx, `UPDATE expense_claims SET status = 'paid', updated_at = now() WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id); err != nil {
			return fmt.Errorf("mark paid: %w", err)
		}
		tx.audit("expense.paid", "expense:"+id, map[string]any{"status": c.Status}, map[string]any{"status": domain.StatusPaid})
		tx.emit("expense.paid", map[string]any{"id": id, "employee": c.Employee, "total": c.Total, "currency": c.Currency})
		tx.notify(c.Employee, "expense.paid", "報銷已付款 Claim paid: "+c.Title, c.Currency+" "+c.Total, id)
		c.Status = domain.StatusPaid
		out = c
		return nil
	})
	return out, err
}

// ExportClaims writes claims in a status (default payable) as CSV for
// accounting, one row per item (finance and CFO only). The export is audited.
func (s *Store) ExportClaims(ctx context.Context, actor domain.Actor, status string, w io.Writer) (int, error) {
	n := 0
	err := s.run(ctx, actor, func(tx *Tx) error {
		if !tx.actor.System && !tx.me.HasRole(domain.RoleFinance) && !tx.me.HasRole(domain.RoleCFO) {
			return domain.Errorf(domain.EForbidden, "only finance may export claims")
		}
		if status == "" {
			status = domain.StatusPayable
		}
		rows, err := tx.Query(ctx, `SELECT c.id, c.employee, e.name, coalesce(e.department,''), c.title, c.status, to_char(i.date,'YYYY-MM-DD'), i.category, i.merchant,
			  i.amount::text, i.currency, i.base_amount::text, c.currency, i.invoice_no, i.receipt_id
			FROM expense_claims c JOIN expense_items i ON i.tenant_id = c.tenant_id AND i.claim_id = c.id
			JOIN employees e ON e.tenant_id = c.tenant_id AND e.id = c.employee
			WHERE c.tenant_id = $1 AND c.status = $2 ORDER BY c.id, i.position`, tx.tenant.ID, status)
		if err != nil {
			return fmt.Errorf("export claims: %w", err)
		}
		defer rows.Close()
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"claim_id", "employee_id", "employee_name", "department", "title", "status", "date", "category", "merchant", "amount", "currency", "base_amount", "base_currency", "invoice_no", "receipt_id"})
		claims := map[string]bool{}
		for rows.Next() {
			rec := make([]string, 15)
			ptrs := make([]any, 15)
			for i := range rec {
				ptrs[i] = &rec[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return fmt.Errorf("export claims: %w", err)
			}
			for i, v := range rec { // keep spreadsheet formulas out of accounting files
				if len(v) > 0 && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@') && i != 9 && i != 11 {
					rec[i] = "'" + v
				}
			}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write csv: %w", err)
			}
			claims[rec[0]] = true
			n++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		cw.Flush()
		ids := make([]string, 0, len(claims))
		for id := range claims {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		tx.audit("expense.export", "expenses:"+status, nil, map[string]any{"claims": ids, "rows": n})
		return cw.Error()
	})
	return n, err
}

// ImportClaim loads a claim as it stands (seeding); submitted ones enter the
// approval engine as if their employee submitted them.
func (s *Store) ImportClaim(ctx context.Context, actor domain.Actor, id, employee string, in domain.ClaimInput, status string) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if !tx.actor.System {
			return domain.Errorf(domain.EForbidden, "only the system imports history")
		}
		// History may be older than the clock allows for new claims.
		total, err := domain.NormalizeClaim(&in, tx.tenant.Settings, tx.now.In(tx.loc).AddDate(1, 0, 0))
		if err != nil {
			return err
		}
		if _, err := tx.employee(ctx, employee); err != nil {
			return err
		}
		c := domain.ExpenseClaim{ID: id, Employee: employee, Title: in.Title, Status: domain.StatusDraft, Total: total.StringFixed(2), Currency: tx.tenant.Settings.Currency, Items: in.Items}
		if err := tx.insertClaim(ctx, c); err != nil {
			return err
		}
		tx.audit("expense.import", "expense:"+id, nil, map[string]any{"claim": c, "status": status})
		switch status {
		case "", domain.StatusDraft:
			return nil
		case domain.StatusSubmitted:
			_, err := tx.submitClaim(ctx, id)
			return err
		case domain.StatusPayable, domain.StatusApproved, domain.StatusPaid, domain.StatusRejected:
			if status == domain.StatusApproved {
				status = domain.StatusPayable
			}
			_, err := tx.Exec(ctx, `UPDATE expense_claims SET status = $3 WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id, status)
			return err
		}
		return domain.Invalid("status", "unknown claim status %q", status)
	})
}
