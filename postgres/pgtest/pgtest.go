// Package pgtest gives each test its own PostgreSQL database, cloned from a
// migrated template, so no test depends on another's data. The server is the
// one at BANLI_TEST_DATABASE_URL (default: postgres on 127.0.0.1:5432, the
// cluster the test script starts when none answers).
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/postgres"
)

// AdminURL is the server's maintenance database URL.
func AdminURL() string {
	if u := os.Getenv("BANLI_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// templates remembers per process which template exists; the database-level
// advisory lock makes creation safe across the parallel test binaries.
type templates struct {
	mu   sync.Mutex
	done map[string]bool
}

func (t *templates) ensure(ctx context.Context, admin *pgx.Conn, base *url.URL) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	name := "banli_tmpl_" + migrationsHash()
	if t.done[name] {
		return name, nil
	}
	if _, err := admin.Exec(ctx, `SELECT pg_advisory_lock(7419501)`); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer admin.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7419501)`) //nolint:errcheck
	var exists bool
	if err := admin.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", fmt.Errorf("check template: %w", err)
	}
	if !exists {
		building := name + "_build"
		_, _ = admin.Exec(ctx, `DROP DATABASE IF EXISTS `+building)
		if _, err := admin.Exec(ctx, `CREATE DATABASE `+building); err != nil {
			return "", fmt.Errorf("create template: %w", err)
		}
		u := *base
		u.Path = "/" + building
		pool, err := pgxpool.New(ctx, u.String())
		if err != nil {
			return "", fmt.Errorf("connect template: %w", err)
		}
		err = postgres.Migrate(ctx, pool)
		pool.Close()
		if err != nil {
			return "", fmt.Errorf("migrate template: %w", err)
		}
		if _, err := admin.Exec(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
			return "", fmt.Errorf("publish template: %w", err)
		}
	}
	if t.done == nil {
		t.done = map[string]bool{}
	}
	t.done[name] = true
	return name, nil
}

var tmpl templates // guarded by its mutex; one template registry per test binary

func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(postgres.MigrationsFS(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(postgres.MigrationsFS(), path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// New returns a pool on a fresh database for t, dropped when t ends. The test
// is skipped, with the reason, when no server answers and BANLI_REQUIRE_DB is
// unset; CI sets it so a missing server fails loudly.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	base, err := url.Parse(AdminURL())
	if err != nil {
		t.Fatalf("bad BANLI_TEST_DATABASE_URL: %v", err)
	}
	admin, err := pgx.Connect(ctx, base.String())
	if err != nil {
		if os.Getenv("BANLI_REQUIRE_DB") != "" {
			t.Fatalf("no PostgreSQL at %s: %v", base.Redacted(), err)
		}
		t.Skipf("no PostgreSQL at %s: %v", base.Redacted(), err)
	}
	defer admin.Close(ctx)
	name, err := tmpl.ensure(ctx, admin, base)
	if err != nil {
		t.Fatal(err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	db := "banli_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+db+` TEMPLATE `+name); err != nil {
		t.Fatalf("clone template: %v", err)
	}
	u := *base
	u.Path = "/" + db
	pool, err := pgxpool.New(ctx, u.String())
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		c, err := pgx.Connect(context.Background(), base.String())
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), `DROP DATABASE IF EXISTS `+db+` WITH (FORCE)`)
	})
	return pool
}
