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
	"sync"
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
	// route selects routing rules with each condition compiled once.
	route domain.RuleSelector
	// zones caches loaded time zones by name (loading reads the zone database).
	zones sync.Map
	// commitBeforeFlush: see Options.CommitBeforeFlush.
	commitBeforeFlush bool
	// receipts reads uploaded receipts; nil when the server has no OCR.
	receipts ReceiptReader
	// recordings turns meeting recordings into meetings; nil refuses them.
	recordings RecordingProcessor
	// know holds knowledge search's embedder, index and answerer.
	know KnowledgeOptions
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
	// Receipts checks uploads and reads them in the OCR job; without it
	// receipt uploads are refused.
	Receipts ReceiptReader
	// Recordings transcribes meeting recordings into meetings; without it
	// recording uploads are refused.
	Recordings RecordingProcessor
	// Knowledge configures knowledge search; the zero value is the offline
	// embedder with the exact index.
	Knowledge KnowledgeOptions
	// CommitBeforeFlush commits a command's own transaction without waiting
	// for its WAL flush, then waits for the flush in the same round trip,
	// before the command returns (Tx.commit). The tenant's audit chain lock
	// is so released before the disk sync instead of after it, and commands
	// of one tenant stop queueing behind each other's syncs. A caller is
	// still answered only once its change is durable, and any later write
	// that saw the change is durable only with it (the WAL is ordered); but
	// other sessions may read the change up to one flush before it is
	// durable, as on a primary that waits for a synchronous standby. Each
	// command then also uses a second transaction id.
	CommitBeforeFlush bool
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
	s := &Store{pool: pool, authz: az, log: log, Now: time.Now, receipts: opts.Receipts, recordings: opts.Recordings, commitBeforeFlush: opts.CommitBeforeFlush}
	if s.know, err = opts.Knowledge.withDefaults(); err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &deadlineWorker{s: s})
	river.AddWorker(workers, &sweepWorker{s: s})
	river.AddWorker(workers, &webhookWorker{s: s, timeout: opts.WebhookTimeout})
	river.AddWorker(workers, &ocrWorker{s: s})
	river.AddWorker(workers, &embedWorker{s: s})
	river.AddWorker(workers, &housekeepingWorker{s: s})
	river.AddWorker(workers, &recordingWorker{s: s})
	cfg := &river.Config{Workers: workers, Logger: log}
	if opts.Work {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}}
		if opts.Receipts != nil {
			cfg.Queues[queueOCR] = river.QueueConfig{MaxWorkers: max(1, opts.Receipts.Workers())}
		} else if opts.Recordings != nil {
			cfg.Queues[queueOCR] = river.QueueConfig{MaxWorkers: 1}
		}
		cfg.PeriodicJobs = []*river.PeriodicJob{
			river.NewPeriodicJob(river.PeriodicInterval(5*time.Minute),
				func() (river.JobArgs, *river.InsertOpts) { return sweepArgs{}, nil },
				&river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
				func() (river.JobArgs, *river.InsertOpts) {
					return housekeepingArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
				},
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
	own    bool // the command's own transaction, not a savepoint: commit sends COMMIT
	// noWebhooks: the tenant had no active webhook when the transaction
	// began, so emitted events need no delivery and commit no round trip.
	noWebhooks bool
	// tail holds writes deferred to the commit's round trip (see
	// startApprovalAfter).
	tail writes
	// away is who among the requester's managers is away today, read ahead
	// (queueManagersAway).
	away *awaySet
	// rulesRead holds routing rules a batch read ahead (queueRules), by kind.
	rulesRead map[string][]domain.Rule
	audits    []auditRecord
	notes     []notification
	hooks     []hookEvent
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
	ptx, own, end, err := s.beginTenant(ctx, actor.TenantID)
	if err != nil {
		return err
	}
	defer end()
	tx := &Tx{Tx: ptx, s: s, own: own, actor: actor, now: s.Now()}
	var settings []byte
	var me domain.Employee
	var empID *string
	var webhooks bool
	err = ptx.QueryRow(ctx, `SELECT t.id::text, t.name, t.settings, e.id, coalesce(e.name,''), coalesce(e.roles,'{}'), coalesce(e.manager_path,'{}'), coalesce(e.department,''), coalesce(e.manager,''), coalesce(e.active,false),
		  EXISTS (SELECT 1 FROM webhooks w WHERE w.tenant_id = t.id AND w.active)
		FROM tenants t LEFT JOIN employees e ON e.tenant_id = t.id AND e.id = $2
		WHERE t.id = $1`, actor.TenantID, actor.EmployeeID).Scan(&tx.tenant.ID, &tx.tenant.Name, &settings, &empID, &me.Name, &me.Roles, &me.ManagerPath, &me.Department, &me.Manager, &me.Active, &webhooks)
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
	tx.noWebhooks = !webhooks
	tx.loc = s.location(tx.tenant.Settings)
	tx.cal = tx.tenant.Settings.CalendarIn(tx.loc)
	if err := fn(tx); err != nil {
		return err
	}
	if rehearsing(ctx) {
		// Nothing of a rehearsal is kept, so it appends nothing to the audit
		// chain and does not take the chain's lock.
		return ptx.Commit(ctx)
	}
	return tx.commit(ctx)
}

// location returns the tenant's time zone (Settings.Location), loaded once per name.
func (s *Store) location(settings domain.Settings) *time.Location {
	if loc, ok := s.zones.Load(settings.Timezone); ok {
		return loc.(*time.Location)
	}
	loc := settings.Location()
	s.zones.Store(settings.Timezone, loc)
	return loc
}

// enterTenantSQL makes a transaction act for a tenant: as banli_app, with
// row-level security keyed by app.tenant_id.
const enterTenantSQL = `SELECT set_config('role', 'banli_app', true), set_config('app.tenant_id', $1, true)`

// beginTenant starts a command's transaction acting for tenant: a savepoint
// of the shared transaction inside Atomically or Rehearse, else a transaction
// of its own on a pooled connection (own is true). An own transaction's BEGIN
// travels with the tenant settings in one round trip, and its COMMIT with the
// audit append (see Tx.commit). end rolls back what was not committed and
// returns the connection to the pool.
func (s *Store) beginTenant(ctx context.Context, tenant string) (ptx pgx.Tx, own bool, end func(), err error) {
	if unitOf(ctx) != nil {
		ptx, err := s.begin(ctx)
		if err != nil {
			return nil, false, nil, fmt.Errorf("begin: %w", err)
		}
		end := func() { _ = ptx.Rollback(context.WithoutCancel(ctx)) } // after commit this is a no-op
		if _, err := ptx.Exec(ctx, enterTenantSQL, tenant); err != nil {
			end()
			return nil, false, nil, fmt.Errorf("enter tenant: %w", err)
		}
		return ptx, false, end, nil
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, false, nil, fmt.Errorf("begin: %w", err)
	}
	var opts pgx.TxOptions
	if isUUID(tenant) {
		// The id is a plain UUID, so it can be spelled in the statement: one
		// simple-protocol round trip runs both.
		opts.BeginQuery = "BEGIN; " + strings.Replace(enterTenantSQL, "$1", "'"+tenant+"'", 1)
	}
	ptx, err = conn.BeginTx(ctx, opts)
	if err != nil {
		conn.Release()
		return nil, false, nil, fmt.Errorf("begin: %w", err)
	}
	end = func() {
		// A transaction that Tx.commit committed in its last batch leaves
		// the connection idle; anything else is rolled back.
		if conn.Conn().PgConn().TxStatus() != 'I' {
			_ = ptx.Rollback(context.WithoutCancel(ctx))
		}
		conn.Release()
	}
	if opts.BeginQuery == "" {
		if _, err := ptx.Exec(ctx, enterTenantSQL, tenant); err != nil {
			end()
			return nil, false, nil, fmt.Errorf("enter tenant: %w", err)
		}
	}
	return ptx, true, end, nil
}

// isUUID reports whether s is a UUID in its canonical text form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}

// commit writes what the command recorded (writes it deferred, inbox
// messages, webhook deliveries, audit entries) and commits. The audit
// append, which takes the tenant's chain lock, is the last statement; in a
// transaction of its own, COMMIT follows it in the same batch, so the lock is
// held for the append and the commit's WAL flush but for no round trip to
// the application.
func (tx *Tx) commit(ctx context.Context) error {
	w := &tx.tail
	if err := tx.flushNotifications(ctx, w); err != nil {
		return err
	}
	chained := len(tx.audits) > 0
	if err := tx.queueAudit(w); err != nil {
		return err
	}
	if !tx.own {
		if _, err := w.send(ctx, tx.Tx); err != nil {
			return err
		}
		if err := tx.Tx.Commit(ctx); err != nil {
			return fmt.Errorf("commit: %w", err)
		}
		return nil
	}
	early := tx.s.commitBeforeFlush && chained
	if early {
		// See Options.CommitBeforeFlush.
		w.queue("commit", `SELECT set_config('synchronous_commit', 'off', true)`)
	}
	w.queue("commit", "COMMIT")
	commitAt := w.len() - 1
	if early {
		// After COMMIT, in an implicit transaction that writes WAL and so
		// commits synchronously: its answer comes once the WAL is flushed
		// past the command's commit.
		w.queue("wait for the commit's flush", `SELECT pg_logical_emit_message(true, 'banli.durable', '')`)
	}
	tags, err := w.send(ctx, tx.Tx)
	if err != nil {
		return err
	}
	if tags[commitAt].String() == "ROLLBACK" {
		// COMMIT of a transaction an earlier, ignored error had aborted.
		return fmt.Errorf("commit: %w", pgx.ErrTxCommitRollback)
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
