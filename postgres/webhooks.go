package postgres

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/domain"
)

// WebhookEvents lists the events a webhook may subscribe to ("*" is all).
func WebhookEvents() []string {
	return []string{"leave.submitted", "leave.cancelled", "expense.submitted", "expense.paid",
		"approval.approved", "approval.rejected", "approval.returned"}
}

// Webhook is a subscribed endpoint; its signing secret is shown only once.
type Webhook struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// WebhookDelivery is one queued or attempted delivery.
type WebhookDelivery struct {
	ID          int64      `json:"id"`
	WebhookID   string     `json:"webhook_id"`
	Event       string     `json:"event"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
}

// CreateWebhook subscribes an endpoint to events (all when empty) and returns
// it with its signing secret (administrators only).
func (s *Store) CreateWebhook(ctx context.Context, actor domain.Actor, rawURL string, events []string) (Webhook, string, error) {
	var w Webhook
	var secret string
	err := s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		var v domain.Validator
		u, err := url.Parse(strings.TrimSpace(rawURL))
		v.Check(err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil && len(rawURL) <= 2000,
			"url", "must be an absolute http or https URL without credentials")
		known := WebhookEvents()
		for i, e := range events {
			v.Check(e == "*" || slices.Contains(known, e), fmt.Sprintf("events[%d]", i), "must be * or one of "+strings.Join(known, ", "))
		}
		if err := v.Err(); err != nil {
			return err
		}
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return fmt.Errorf("webhook secret: %w", err)
		}
		secret = "whsec_" + base64.RawURLEncoding.EncodeToString(b[:])
		w = Webhook{ID: newID("wh"), URL: u.String(), Events: nonNil(events), Active: true, CreatedAt: tx.now}
		if _, err := tx.Exec(ctx, `INSERT INTO webhooks (tenant_id, id, url, secret, events, created_at) VALUES ($1,$2,$3,$4,$5,$6)`,
			tx.tenant.ID, w.ID, w.URL, secret, w.Events, tx.now); err != nil {
			return fmt.Errorf("save webhook: %w", err)
		}
		tx.audit("webhook.create", "webhook:"+w.ID, nil, w)
		return nil
	})
	return w, secret, err
}

// ListWebhooks lists the tenant's webhooks (administrators only).
func (s *Store) ListWebhooks(ctx context.Context, actor domain.Actor) ([]Webhook, error) {
	var out []Webhook
	err := s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, url, events, active, created_at FROM webhooks WHERE tenant_id = $1 ORDER BY id`, tx.tenant.ID)
		if err != nil {
			return fmt.Errorf("list webhooks: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Webhook, error) {
			var w Webhook
			return w, r.Scan(&w.ID, &w.URL, &w.Events, &w.Active, &w.CreatedAt)
		})
		return err
	})
	return out, err
}

// DeactivateWebhook stops deliveries to a webhook; its history is kept
// (administrators only).
func (s *Store) DeactivateWebhook(ctx context.Context, actor domain.Actor, id string) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE webhooks SET active = false WHERE tenant_id = $1 AND id = $2 AND active`, tx.tenant.ID, id)
		if err != nil {
			return fmt.Errorf("deactivate webhook: %w", err)
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM webhooks WHERE tenant_id = $1 AND id = $2)`, tx.tenant.ID, id).Scan(&exists); err != nil {
				return fmt.Errorf("deactivate webhook: %w", err)
			}
			if !exists {
				return domain.Errorf(domain.ENotFound, "no webhook %q", id)
			}
			return nil
		}
		tx.audit("webhook.deactivate", "webhook:"+id, nil, nil)
		return nil
	})
}

// WebhookDeliveries lists a webhook's deliveries, newest first, with ids
// below before (all when 0) (administrators only).
func (s *Store) WebhookDeliveries(ctx context.Context, actor domain.Actor, webhookID string, before int64, limit int) ([]WebhookDelivery, error) {
	var out []WebhookDelivery
	err := s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM webhooks WHERE tenant_id = $1 AND id = $2)`, tx.tenant.ID, webhookID).Scan(&exists); err != nil {
			return fmt.Errorf("load webhook: %w", err)
		}
		if !exists {
			return domain.Errorf(domain.ENotFound, "no webhook %q", webhookID)
		}
		rows, err := tx.Query(ctx, `SELECT id, webhook_id, event, status, attempts, last_error, created_at, delivered_at FROM webhook_deliveries
			WHERE tenant_id = $1 AND webhook_id = $2 AND ($3 = 0 OR id < $3) ORDER BY id DESC LIMIT $4`, tx.tenant.ID, webhookID, before, limit)
		if err != nil {
			return fmt.Errorf("list deliveries: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (WebhookDelivery, error) {
			var d WebhookDelivery
			return d, r.Scan(&d.ID, &d.WebhookID, &d.Event, &d.Status, &d.Attempts, &d.LastError, &d.CreatedAt, &d.DeliveredAt)
		})
		return err
	})
	return out, err
}
