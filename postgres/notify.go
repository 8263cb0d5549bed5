package postgres

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banlihq/banli/domain"
)

type notification struct {
	employee, kind, title, body, subject string
}

type hookEvent struct {
	event   string
	payload any
}

// notify puts a message in an employee's in-app inbox when the command commits.
func (tx *Tx) notify(employee, kind, title, body, subject string) {
	if employee == "" {
		return
	}
	tx.notes = append(tx.notes, notification{employee, kind, title, body, subject})
}

// emit queues a webhook event for the tenant's subscribed endpoints.
func (tx *Tx) emit(event string, payload any) {
	tx.hooks = append(tx.hooks, hookEvent{event, payload})
}

// flushNotifications queues the recorded inbox messages into w. Webhook
// deliveries cannot wait for the caller's batch, since their jobs need the
// delivery ids: when the command emitted events and the tenant has webhooks,
// w is sent now with one INSERT ... SELECT per event (a delivery for each
// subscribed endpoint), the jobs are enqueued, and w is left empty.
func (tx *Tx) flushNotifications(ctx context.Context, w *writes) error {
	for _, n := range tx.notes {
		w.queue("notify", `INSERT INTO notifications (tenant_id, employee, kind, title, body, subject) VALUES ($1,$2,$3,$4,$5,$6)`,
			tx.tenant.ID, n.employee, n.kind, n.title, n.body, n.subject)
	}
	tx.notes = nil
	if len(tx.hooks) == 0 || tx.noWebhooks {
		tx.hooks = nil
		return nil
	}
	for _, ev := range tx.hooks {
		body := jsonb(map[string]any{"event": ev.event, "tenant": tx.tenant.ID, "at": tx.now.UTC().Format(time.RFC3339), "data": ev.payload})
		w.b.Queue(`INSERT INTO webhook_deliveries (tenant_id, webhook_id, event, payload)
			SELECT $1, id, $2::text, $3::jsonb FROM webhooks
			WHERE tenant_id = $1 AND active AND (cardinality(events) = 0 OR $2::text = ANY(events) OR '*' = ANY(events))
			RETURNING id`, tx.tenant.ID, ev.event, body)
	}
	br := tx.SendBatch(ctx, &w.b)
	var jobs []river.InsertManyParams
	err := func() error {
		if _, err := w.read(br); err != nil {
			return err
		}
		for range tx.hooks {
			rows, err := br.Query()
			if err != nil {
				return fmt.Errorf("queue webhook: %w", err)
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return fmt.Errorf("queue webhook: %w", err)
			}
			for _, id := range ids {
				jobs = append(jobs, river.InsertManyParams{Args: webhookArgs{TenantID: tx.tenant.ID, DeliveryID: id}})
			}
		}
		return nil
	}()
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("queue webhook: %w", cerr)
	}
	w.reset()
	if err != nil {
		return err
	}
	if len(jobs) > 0 {
		if _, err := tx.s.river.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
			return fmt.Errorf("enqueue webhook: %w", err)
		}
	}
	tx.hooks = nil
	return nil
}

// Sign returns the X-Banli-Signature header value for a webhook body:
// "t=<unix>,v1=<hex hmac-sha256 of "<unix>.<body>">".
func Sign(secret string, ts time.Time, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(m, "%d.", ts.Unix())
	m.Write(body)
	return fmt.Sprintf("t=%d,v1=%s", ts.Unix(), hex.EncodeToString(m.Sum(nil)))
}

// Notification is an inbox message.
type Notification struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body,omitempty"`
	Subject   string     `json:"subject,omitempty"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// Inbox lists the actor's notifications, newest first, after the cursor id.
func (s *Store) Inbox(ctx context.Context, actor domain.Actor, unreadOnly bool, before int64, limit int) ([]Notification, error) {
	var out []Notification
	err := s.run(ctx, actor, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, kind, title, body, subject, read_at, created_at FROM notifications
			WHERE tenant_id = $1 AND employee = $2 AND (NOT $3 OR read_at IS NULL) AND ($4 = 0 OR id < $4)
			ORDER BY id DESC LIMIT $5`, tx.tenant.ID, tx.me.ID, unreadOnly, before, limit)
		if err != nil {
			return fmt.Errorf("inbox: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Notification, error) {
			var n Notification
			return n, r.Scan(&n.ID, &n.Kind, &n.Title, &n.Body, &n.Subject, &n.ReadAt, &n.CreatedAt)
		})
		return err
	})
	return out, err
}

// MarkRead marks the actor's notification as read.
func (s *Store) MarkRead(ctx context.Context, actor domain.Actor, id int64) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE tenant_id = $1 AND employee = $2 AND id = $3`, tx.tenant.ID, tx.me.ID, id)
		if err != nil {
			return fmt.Errorf("mark read: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.ENotFound, "no notification %d", id)
		}
		return nil
	})
}

var _ river.JobArgs = webhookArgs{}
