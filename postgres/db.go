// Package postgres is banli's store: the domain commands run here, each in one
// transaction that authorizes the actor, validates, writes, appends the audit
// entry and enqueues its jobs. Tenant rows are isolated by row-level security
// (every transaction runs as banli_app with app.tenant_id set) as well as by
// the tenant id in every query.
package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/base32"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

//go:embed migrations/*.sql
var migrationsFS embed.FS

// Migrate applies banli's and River's migrations. It is idempotent.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	db := stdlib.OpenDBFromPool(pool)
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, mustSub(migrationsFS, "migrations"))
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		return fmt.Errorf("river migrator: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	// River's tables are written inside tenant transactions (jobs enqueued
	// with the change), where the session acts as banli_app.
	if _, err := pool.Exec(ctx, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO banli_app;
		REVOKE UPDATE, DELETE ON audit_log FROM banli_app;
		GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO banli_app`); err != nil {
		return fmt.Errorf("grant river tables: %w", err)
	}
	return nil
}

// Store runs domain commands against PostgreSQL.
type Store struct {
	pool  *pgxpool.Pool
	river *river.Client[pgx.Tx]
	authz *authz.Authorizer
	log   *slog.Logger
	// Now is the clock; evals and tests set it.
	Now func() time.Time
}

// Options configure a Store.
type Options struct {
	Logger *slog.Logger
	// Work starts River's job processing (the serve and dev commands);
	// without it the store only enqueues.
	Work bool
	// Webhook delivery client timeout.
	WebhookTimeout time.Duration
}

// New returns a store over pool. Call Start to process jobs when opts.Work is set.
func New(pool *pgxpool.Pool, opts Options) (*Store, error) {
	az, err := authz.New()
	if err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	s := &Store{pool: pool, authz: az, log: log, Now: time.Now}
	workers := river.NewWorkers()
	river.AddWorker(workers, &deadlineWorker{s: s})
	river.AddWorker(workers, &sweepWorker{s: s})
	river.AddWorker(workers, &webhookWorker{s: s, timeout: opts.WebhookTimeout})
	cfg := &river.Config{Workers: workers, Logger: log}
	if opts.Work {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}}
		cfg.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(5*time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return sweepArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
		}
	}
	rc, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	s.river = rc
	return s, nil
}

// Start begins job processing; it returns at once.
func (s *Store) Start(ctx context.Context) error { return s.river.Start(ctx) }

// Stop stops job processing, letting running jobs finish.
func (s *Store) Stop(ctx context.Context) error { return s.river.Stop(ctx) }

// Pool returns the connection pool (for health checks).
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Tx is one tenant transaction with the acting employee loaded.
type Tx struct {
	pgx.Tx
	s      *Store
	actor  domain.Actor
	me     domain.Employee // empty for system actors
	tenant domain.Tenant
	loc    *time.Location
	cal    domain.WorkCalendar
	now    time.Time
	audits []auditRecord
	notes  []notification
	hooks  []hookEvent
}

// principal returns the actor as an authorization principal.
func (tx *Tx) principal() authz.Principal {
	return authz.Principal{TenantID: tx.tenant.ID, ID: tx.me.ID, Roles: tx.me.Roles, ManagerPath: tx.me.ManagerPath}
}

// can checks an action against the policies; system actors may do anything.
func (tx *Tx) can(action string, r authz.Resource) error {
	if tx.actor.System {
		return nil
	}
	r.TenantID = tx.tenant.ID
	return tx.s.authz.Check(tx.principal(), action, r)
}

func (tx *Tx) allowed(action string, r authz.Resource) bool { return tx.can(action, r) == nil }

// run executes fn in a tenant transaction as actor and commits, retrying on
// serialization failures and deadlocks. The audit entries fn recorded are
// appended to the chain last, so the chain lock is held only briefly.
func (s *Store) run(ctx context.Context, actor domain.Actor, fn func(tx *Tx) error) error {
	if actor.TenantID == "" {
		return domain.Errorf(domain.EUnauthorized, "no tenant")
	}
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		err = s.runOnce(ctx, actor, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

func (s *Store) runOnce(ctx context.Context, actor domain.Actor, fn func(tx *Tx) error) error {
	ptx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after commit this is a no-op
	tx := &Tx{Tx: ptx, s: s, actor: actor, now: s.Now()}
	var settings []byte
	var me domain.Employee
	var empID *string
	err = ptx.QueryRow(ctx, `SELECT set_config('role', 'banli_app', true), set_config('app.tenant_id', $1, true)`, actor.TenantID).Scan(new(string), new(string))
	if err != nil {
		return fmt.Errorf("enter tenant: %w", err)
	}
	err = ptx.QueryRow(ctx, `SELECT t.id::text, t.name, t.settings, e.id, coalesce(e.name,''), coalesce(e.roles,'{}'), coalesce(e.manager_path,'{}'), coalesce(e.department,''), coalesce(e.manager,''), coalesce(e.active,false)
		FROM tenants t LEFT JOIN employees e ON e.tenant_id = t.id AND e.id = $2
		WHERE t.id = $1`, actor.TenantID, actor.EmployeeID).Scan(&tx.tenant.ID, &tx.tenant.Name, &settings, &empID, &me.Name, &me.Roles, &me.ManagerPath, &me.Department, &me.Manager, &me.Active)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.EUnauthorized, "unknown tenant")
	}
	if err != nil {
		return fmt.Errorf("load actor: %w", err)
	}
	if err := unmarshalSettings(settings, &tx.tenant.Settings); err != nil {
		return err
	}
	if !actor.System {
		if empID == nil || !me.Active {
			return domain.Errorf(domain.EUnauthorized, "unknown or inactive employee %s", actor.EmployeeID)
		}
		me.ID = *empID
	}
	tx.me = me
	tx.loc = tx.tenant.Settings.Location()
	tx.cal = tx.tenant.Settings.Calendar()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.flush(ctx); err != nil {
		return err
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// newID returns a short random id with a prefix, e.g. "lr-k3m9q2x7".
func newID(prefix string) string {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return prefix + "-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// notFound maps pgx.ErrNoRows to a domain not-found error.
func notFound(err error, what, id string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.ENotFound, "no %s %q", what, id)
	}
	if err != nil {
		return fmt.Errorf("load %s %s: %w", what, id, err)
	}
	return nil
}

// MigrationsFS returns the embedded SQL migrations (for test templates).
func MigrationsFS() fs.FS { return mustSub(migrationsFS, "migrations") }
