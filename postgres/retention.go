package postgres

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banlihq/banli/domain"
)

// PurgeAudit removes each tenant's audit entries older than its retention
// (Settings.AuditRetentionYears, 7 years by default) and returns how many
// it removed. The purge is itself audited first, in the chain, and leaves
// an anchor (the last removed entry's seq and hash) from which `banli audit
// verify` checks the rest; a crash between the two steps leaves the purge
// recorded and undone, and the next run finishes it.
func (s *Store) PurgeAudit(ctx context.Context) (int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT id::text FROM tenants ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("list tenants: %w", err)
	}
	tenants, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, fmt.Errorf("list tenants: %w", err)
	}
	var total int64
	for _, t := range tenants {
		n, err := s.purgeTenantAudit(ctx, t)
		if err != nil {
			return total, fmt.Errorf("tenant %s: %w", t, err)
		}
		total += n
	}
	return total, nil
}

func (s *Store) purgeTenantAudit(ctx context.Context, tenant string) (int64, error) {
	var through int64
	sys := domain.Actor{TenantID: tenant, System: true, Via: domain.ViaJob}
	err := s.run(ctx, sys, func(tx *Tx) error {
		years := tx.tenant.Settings.AuditRetentionYears
		if years <= 0 {
			years = domain.DefaultSettings().AuditRetentionYears
		}
		cutoff := tx.now.AddDate(-years, 0, 0)
		var max *int64
		if err := tx.QueryRow(ctx, `SELECT max(seq) FROM audit_log WHERE tenant_id = $1 AND at < $2`, tx.tenant.ID, cutoff).Scan(&max); err != nil {
			return fmt.Errorf("find old entries: %w", err)
		}
		through = 0
		if max == nil {
			return nil
		}
		through = *max
		tx.audit("audit.purge", "tenant:"+tx.tenant.ID, nil, map[string]any{"through_seq": through, "older_than": cutoff.Format(time.RFC3339), "retention_years": years})
		return nil
	})
	if err != nil || through == 0 {
		return 0, err
	}
	// The application role may not delete audit entries; the owner may,
	// only with banli.audit_retention set for this transaction.
	ptx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("begin purge: %w", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after commit this is a no-op
	if _, err := ptx.Exec(ctx, `SELECT set_config('banli.audit_retention', 'on', true)`); err != nil {
		return 0, fmt.Errorf("enable purge: %w", err)
	}
	var hash []byte
	err = ptx.QueryRow(ctx, `SELECT hash FROM audit_log WHERE tenant_id = $1 AND seq = $2`, tenant, through).Scan(&hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil // purged already
	}
	if err != nil {
		return 0, fmt.Errorf("anchor entry: %w", err)
	}
	tag, err := ptx.Exec(ctx, `DELETE FROM audit_log WHERE tenant_id = $1 AND seq <= $2`, tenant, through)
	if err != nil {
		return 0, fmt.Errorf("purge: %w", err)
	}
	if _, err := ptx.Exec(ctx, `INSERT INTO audit_anchors (tenant_id, through_seq, hash, purged, purged_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (tenant_id) DO UPDATE SET through_seq = EXCLUDED.through_seq, hash = EXCLUDED.hash,
		  purged = audit_anchors.purged + EXCLUDED.purged, purged_at = EXCLUDED.purged_at`, tenant, through, hash, tag.RowsAffected(), s.Now()); err != nil {
		return 0, fmt.Errorf("anchor: %w", err)
	}
	if err := ptx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("commit purge: %w", err)
	}
	return tag.RowsAffected(), nil
}

// housekeepingArgs is the daily housekeeping job: audit retention and
// expired idempotency keys.
type housekeepingArgs struct{}

func (housekeepingArgs) Kind() string { return "housekeeping" }

type housekeepingWorker struct {
	river.WorkerDefaults[housekeepingArgs]
	s *Store
}

// IdempotencyKeyTTL is how long a completed Idempotency-Key is remembered.
const IdempotencyKeyTTL = 7 * 24 * time.Hour

func (w *housekeepingWorker) Work(ctx context.Context, _ *river.Job[housekeepingArgs]) error {
	purged, err := w.s.PurgeAudit(ctx)
	if err != nil {
		return fmt.Errorf("audit retention: %w", err)
	}
	keys, err := w.s.PurgeIdempotencyKeys(ctx, IdempotencyKeyTTL)
	if err != nil {
		return fmt.Errorf("idempotency keys: %w", err)
	}
	if purged > 0 || keys > 0 {
		w.s.log.InfoContext(ctx, "housekeeping", "audit_entries_purged", purged, "idempotency_keys_purged", keys)
	}
	return nil
}

// FeedPrefix starts every calendar feed token.
const FeedPrefix = "cf_"

// CreateCalendarFeed gives the actor a new secret iCalendar feed token,
// replacing any earlier one (which stops working). Calendar apps cannot
// send bearer tokens, so the secret goes in the feed's URL; only its hash
// is stored, and the token only reads the actor's own calendar.
func (s *Store) CreateCalendarFeed(ctx context.Context, actor domain.Actor) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("feed token: %w", err)
	}
	token := FeedPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "a calendar feed needs an employee")
		}
		if _, err := tx.Exec(ctx, `INSERT INTO calendar_feeds (tenant_id, employee, hash, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (tenant_id, employee) DO UPDATE SET hash = EXCLUDED.hash, created_at = EXCLUDED.created_at`,
			tx.tenant.ID, tx.me.ID, tokenHash(token), tx.now); err != nil {
			return fmt.Errorf("save feed: %w", err)
		}
		tx.audit("calendar_feed.create", "employee:"+tx.me.ID, nil, nil)
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeCalendarFeed stops the actor's calendar feed URL.
func (s *Store) RevokeCalendarFeed(ctx context.Context, actor domain.Actor) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM calendar_feeds WHERE tenant_id = $1 AND employee = $2`, tx.tenant.ID, tx.me.ID)
		if err != nil {
			return fmt.Errorf("revoke feed: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.ENotFound, "you have no calendar feed")
		}
		tx.audit("calendar_feed.revoke", "employee:"+tx.me.ID, nil, nil)
		return nil
	})
}

// FeedActor returns the employee a calendar feed token belongs to, as an
// actor that may read only that employee's own calendar feed.
func (s *Store) FeedActor(ctx context.Context, token string) (domain.Actor, error) {
	refused := domain.Errorf(domain.ENotFound, "no such calendar feed")
	if !strings.HasPrefix(token, FeedPrefix) || len(token) != len(FeedPrefix)+43 {
		return domain.Actor{}, refused
	}
	var tenant, employee string
	err := s.pool.QueryRow(ctx, `SELECT f.tenant_id::text, f.employee FROM calendar_feeds f
		JOIN employees e ON e.tenant_id = f.tenant_id AND e.id = f.employee
		WHERE f.hash = $1 AND e.active`, tokenHash(token)).Scan(&tenant, &employee)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Actor{}, refused
	}
	if err != nil {
		return domain.Actor{}, fmt.Errorf("calendar feed: %w", err)
	}
	return domain.Actor{TenantID: tenant, EmployeeID: employee, Via: domain.ViaAPI}, nil
}
