package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/postgres/pgtest"
	"github.com/banlihq/banli/seed"
)

// env is a store on a fresh database seeded with the demo company.
type env struct {
	st  *postgres.Store
	tid string
	now time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	pool := pgtest.New(t)
	st, err := postgres.New(pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Hong_Kong")
	e := &env{st: st, now: time.Date(2026, 11, 23, 9, 30, 0, 0, loc)}
	st.Now = func() time.Time { return e.now }
	f, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	e.tid, err = seed.Load(context.Background(), st, f, "")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) as(emp string) domain.Actor {
	return domain.Actor{TenantID: e.tid, EmployeeID: emp, Via: domain.ViaAPI}
}

func wantCode(t *testing.T, err error, code domain.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("want %s, got %s: %v", code, got, err)
	}
}
