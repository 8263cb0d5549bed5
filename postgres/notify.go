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

func (tx *Tx) flushNotifications(ctx context.Context) error {
	if len(tx.notes) > 0 {
		batch := &pgx.Batch{}
		for _, n := range tx.notes {
			batch.Queue(`INSERT INTO notifications (tenant_id, employee, kind, title, body, subject) VALUES ($1,$2,$3,$4,$5,$6)`,
				tx.tenant.ID, n.employee, n.kind, n.title, n.body, n.subject)
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		tx.notes = nil
	}
	if len(tx.hooks) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `SELECT id, events FROM webhooks WHERE tenant_id = $1 AND active`, tx.tenant.ID)
	if err != nil {
		return fmt.Errorf("load webhooks: %w", err)
	}
	type hook struct {
		id     string
		events []string
	}
	hooks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (hook, error) {
		var h hook
		return h, r.Scan(&h.id, &h.events)
	})
	if err != nil {
		return fmt.Errorf("load webhooks: %w", err)
	}
	for _, ev := range tx.hooks {
		for _, h := range hooks {
			if !subscribed(h.events, ev.event) {
				continue
			}
			body := jsonb(map[string]any{"event": ev.event, "tenant": tx.tenant.ID, "at": tx.now.UTC().Format(time.RFC3339), "data": ev.payload})
			var id int64
			if err := tx.QueryRow(ctx, `INSERT INTO webhook_deliveries (tenant_id, webhook_id, event, payload) VALUES ($1,$2,$3,$4) RETURNING id`,
				tx.tenant.ID, h.id, ev.event, body).Scan(&id); err != nil {
				return fmt.Errorf("queue webhook: %w", err)
			}
			if _, err := tx.s.river.InsertTx(ctx, tx.Tx, webhookArgs{TenantID: tx.tenant.ID, DeliveryID: id}, nil); err != nil {
				return fmt.Errorf("enqueue webhook: %w", err)
			}
		}
	}
	tx.hooks = nil
	return nil
}

func subscribed(events []string, ev string) bool {
	if len(events) == 0 {
		return true
	}
	for _, e := range events {
		if e == ev || e == "*" {
			return true
		}
	}
	return false
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
