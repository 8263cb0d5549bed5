package pgtest

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/postgres"
)

// VectorURL is the PostgreSQL with the vector extension that the pgvector
// tests use: BANLI_TEST_PGVECTOR_URL, set by scripts/test.sh to the PGlite
// server it starts (scripts/pglite).
func VectorURL() string { return os.Getenv("BANLI_TEST_PGVECTOR_URL") }

// Vector returns a pool of one connection on the migrated pgvector server.
// PGlite serves one connection at a time and one database, so tests share
// it and keep apart by tenant; they must not run in parallel. Without
// BANLI_TEST_PGVECTOR_URL the test is skipped, or fails when
// BANLI_REQUIRE_DB is set (CI).
func Vector(t testing.TB) *pgxpool.Pool {
	t.Helper()
	u := VectorURL()
	if u == "" {
		if os.Getenv("BANLI_REQUIRE_DB") != "" {
			t.Fatal("BANLI_TEST_PGVECTOR_URL is not set: scripts/test.sh starts PGlite for the pgvector tests")
		}
		t.Skip("BANLI_TEST_PGVECTOR_URL is not set: run scripts/pglite/start.sh for the pgvector tests")
	}
	ctx := context.Background()
	cfg, err := pgxpool.ParseConfig(u)
	if err != nil {
		t.Fatalf("bad BANLI_TEST_PGVECTOR_URL: %v", err)
	}
	cfg.MaxConns = 1
	// PGlite keeps one session for every connection: a transaction or a
	// prepared statement left by an earlier client would still be there.
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if _, err := c.Exec(ctx, "ROLLBACK"); err != nil {
			return err
		}
		_, err := c.Exec(ctx, "DISCARD ALL")
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = pool.Ping(ctx)
	}
	if err != nil {
		if os.Getenv("BANLI_REQUIRE_DB") != "" {
			t.Fatalf("no pgvector server at %s: %v", cfg.ConnConfig.Host, err)
		}
		t.Skipf("no pgvector server at %s: %v", cfg.ConnConfig.Host, err)
	}
	t.Cleanup(pool.Close)
	if err := postgres.Migrate(ctx, pool); err != nil {
		t.Fatalf("migrate the pgvector server: %v", err)
	}
	// PGlite ignores GRANT ... ON ALL TABLES|SEQUENCES IN SCHEMA, which
	// Migrate uses for River's tables and the sequences: grant what those
	// statements would have, on each relation they left without privileges.
	if _, err := pool.Exec(ctx, `DO $$
		DECLARE r record;
		BEGIN
		  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S') AND c.relacl IS NULL
		  LOOP
		    IF r.relkind = 'r' THEN
		      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO banli_app', r.relname);
		    ELSE
		      EXECUTE format('GRANT USAGE, SELECT, UPDATE ON SEQUENCE %I TO banli_app', r.relname);
		    END IF;
		  END LOOP;
		END $$`); err != nil {
		t.Fatalf("grant on the pgvector server: %v", err)
	}
	return pool
}
