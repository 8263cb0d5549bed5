package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banlihq/banli/domain"
)

// deadlineArgs schedules an approval step's reminder or escalation.
type deadlineArgs struct {
	TenantID  string `json:"tenant_id"`
	RequestID string `json:"request_id"`
	Round     int    `json:"round"`
	Idx       int    `json:"idx"`
	Stage     string `json:"stage"` // remind or escalate
}

func (deadlineArgs) Kind() string { return "approval_deadline" }

type deadlineWorker struct {
	river.WorkerDefaults[deadlineArgs]
	s *Store
}

func (w *deadlineWorker) Work(ctx context.Context, job *river.Job[deadlineArgs]) error {
	a := job.Args
	return w.s.stepDeadline(ctx, a.TenantID, a.RequestID, a.Round, a.Idx, a.Stage)
}

// stepDeadline reminds the approvers of a step still pending, or escalates it
// to their managers once its deadline passed. It is a no-op when the step was
// decided in the meantime, so a late or repeated job changes nothing.
func (s *Store) stepDeadline(ctx context.Context, tenantID, requestID string, round, idx int, stage string) error {
	actor := domain.Actor{TenantID: tenantID, System: true, Via: domain.ViaJob}
	return s.run(ctx, actor, func(tx *Tx) error {
		var approvers []string
		var status, summary string
		var reminded, escalated *time.Time
		err := tx.QueryRow(ctx, `SELECT s.approvers, s.status, s.reminded_at, s.escalated_at, a.summary FROM approval_steps s
			JOIN approvals a ON a.tenant_id = s.tenant_id AND a.request_id = s.request_id
			WHERE s.tenant_id = $1 AND s.request_id = $2 AND s.round = $3 AND s.idx = $4 AND a.status = 'pending' FOR UPDATE OF s`,
			tenantID, requestID, round, idx).Scan(&approvers, &status, &reminded, &escalated, &summary)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && status != stepPending) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("load step: %w", err)
		}
		switch stage {
		case "remind":
			if reminded != nil {
				return nil
			}
			for _, a := range approvers {
				tx.notify(a, "approval.reminder", "提醒：待你審批 Reminder: waiting for your approval: "+summary, "", requestID)
			}
			_, err = tx.Exec(ctx, `UPDATE approval_steps SET reminded_at = now() WHERE tenant_id = $1 AND request_id = $2 AND round = $3 AND idx = $4`, tenantID, requestID, round, idx)
			tx.audit("approval.remind", "approval:"+requestID, nil, map[string]any{"step": idx, "approvers": approvers})
			return err
		case "escalate":
			if escalated != nil {
				return nil
			}
			var added []string
			rows, err := tx.Query(ctx, `SELECT DISTINCT manager FROM employees WHERE tenant_id = $1 AND id = ANY($2) AND manager IS NOT NULL AND NOT manager = ANY($2)`, tenantID, approvers)
			if err != nil {
				return fmt.Errorf("escalation targets: %w", err)
			}
			added, err = pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("escalation targets: %w", err)
			}
			var requester string
			if err := tx.QueryRow(ctx, `SELECT requester FROM approvals WHERE tenant_id = $1 AND request_id = $2`, tenantID, requestID).Scan(&requester); err != nil {
				return fmt.Errorf("requester: %w", err)
			}
			filtered := added[:0]
			for _, m := range added {
				if m != requester {
					filtered = append(filtered, m)
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE approval_steps SET escalated_at = now(), approvers = approvers || $5::text[] WHERE tenant_id = $1 AND request_id = $2 AND round = $3 AND idx = $4`,
				tenantID, requestID, round, idx, nonNil(filtered)); err != nil {
				return fmt.Errorf("escalate: %w", err)
			}
			for _, m := range filtered {
				tx.notify(m, "approval.escalated", "已逾期，升級至你 Overdue, escalated to you: "+summary, "", requestID)
			}
			tx.audit("approval.escalate", "approval:"+requestID, map[string]any{"approvers": approvers}, map[string]any{"step": idx, "added": filtered})
			return nil
		}
		return fmt.Errorf("unknown deadline stage %q", stage)
	})
}

// sweepArgs runs the safety net for deadlines whose jobs were lost.
type sweepArgs struct{}

func (sweepArgs) Kind() string { return "approval_sweep" }

type sweepWorker struct {
	river.WorkerDefaults[sweepArgs]
	s *Store
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[sweepArgs]) error {
	_, err := w.s.SweepDeadlines(ctx)
	return err
}

// SweepDeadlines escalates every pending step past its deadline that was not
// escalated yet, across tenants. It returns how many steps it escalated.
func (s *Store) SweepDeadlines(ctx context.Context) (int, error) {
	rows, err := s.pool.Query(ctx, `SELECT tenant_id::text, request_id, round, idx FROM approval_steps WHERE status = 'pending' AND due_at < $1 AND escalated_at IS NULL LIMIT 1000`, s.Now())
	if err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}
	type step struct {
		t, r   string
		ro, ix int
	}
	steps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (step, error) {
		var x step
		return x, r.Scan(&x.t, &x.r, &x.ro, &x.ix)
	})
	if err != nil {
		return 0, fmt.Errorf("sweep: %w", err)
	}
	for _, st := range steps {
		if err := s.stepDeadline(ctx, st.t, st.r, st.ro, st.ix, "escalate"); err != nil {
			return 0, err
		}
	}
	return len(steps), nil
}

// webhookArgs delivers one queued webhook.
type webhookArgs struct {
	TenantID   string `json:"tenant_id"`
	DeliveryID int64  `json:"delivery_id"`
}

func (webhookArgs) Kind() string { return "webhook_delivery" }

type webhookWorker struct {
	river.WorkerDefaults[webhookArgs]
	s       *Store
	timeout time.Duration
}

// Timeout bounds one delivery attempt.
func (w *webhookWorker) Timeout(*river.Job[webhookArgs]) time.Duration { return 30 * time.Second }

// Work posts the payload, signed; River retries failures with backoff.
func (w *webhookWorker) Work(ctx context.Context, job *river.Job[webhookArgs]) error {
	var url, secret string
	var payload []byte
	var status string
	err := w.s.pool.QueryRow(ctx, `SELECT w.url, w.secret, d.payload, d.status FROM webhook_deliveries d JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.id = d.webhook_id
		WHERE d.tenant_id = $1 AND d.id = $2`, job.Args.TenantID, job.Args.DeliveryID).Scan(&url, &secret, &payload, &status)
	if errors.Is(err, pgx.ErrNoRows) || status == "delivered" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load delivery: %w", err)
	}
	timeout := w.timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodPost, url, bytes.NewReader(payload))
	if err != nil {
		return w.record(ctx, job, fmt.Errorf("bad webhook url: %w", err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Banli-Signature", Sign(secret, time.Now(), payload))
	req.Header.Set("X-Banli-Delivery", fmt.Sprint(job.Args.DeliveryID))
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			err = fmt.Errorf("endpoint answered %s", resp.Status)
		}
	}
	return w.record(ctx, job, err)
}

func (w *webhookWorker) record(ctx context.Context, job *river.Job[webhookArgs], deliveryErr error) error {
	status, msg := "delivered", ""
	if deliveryErr != nil {
		status, msg = "pending", deliveryErr.Error()
		if job.Attempt >= job.MaxAttempts {
			status = "failed"
		}
	}
	_, err := w.s.pool.Exec(ctx, `UPDATE webhook_deliveries SET status = $3, attempts = attempts + 1, last_error = $4,
		delivered_at = CASE WHEN $3 = 'delivered' THEN now() END WHERE tenant_id = $1 AND id = $2`, job.Args.TenantID, job.Args.DeliveryID, status, msg)
	if err != nil {
		return fmt.Errorf("record delivery: %w", err)
	}
	return deliveryErr
}
