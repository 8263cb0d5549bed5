package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

func TestTokens(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sys := domain.Actor{TenantID: e.tid, System: true, Via: domain.ViaCLI}

	tok, id, err := e.st.CreateToken(ctx, sys, "e-103", "laptop")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, "bl_") || len(tok) != 46 || id == "" {
		t.Fatalf("token %q id %q", tok, id)
	}
	var stored int
	if err := e.st.Pool().QueryRow(ctx, `SELECT count(*) FROM api_tokens WHERE hash = sha256($1::bytea)`, []byte(tok)).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("token not stored by its SHA-256 (count %d, %v)", stored, err)
	}
	a, err := e.st.Authenticate(ctx, tok)
	if err != nil || a.TenantID != e.tid || a.EmployeeID != "e-103" || a.Via != domain.ViaAPI {
		t.Fatalf("authenticate = %+v, %v", a, err)
	}

	_, _, err = e.st.CreateToken(ctx, e.as("e-103"), "e-104", "")
	wantCode(t, err, domain.EForbidden)
	_, _, err = e.st.CreateToken(ctx, e.as("e-101"), "e-nobody", "")
	wantCode(t, err, domain.ENotFound)
	wantCode(t, e.st.RevokeToken(ctx, e.as("e-104"), id), domain.ENotFound)

	if err := e.st.RevokeToken(ctx, e.as("e-103"), id); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "bl_", tok[:45], "xx" + tok[2:], tok} {
		_, err := e.st.Authenticate(ctx, bad)
		wantCode(t, err, domain.EUnauthorized)
	}
}

func TestIdempotencyKeys(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.as("e-103")
	a.RequestID = "req-first-attempt"

	res, err := e.st.BeginIdempotent(ctx, a, "k", "fp", time.Minute)
	if err != nil || res.State != postgres.IdemExecute {
		t.Fatalf("first = %+v, %v", res, err)
	}
	_, err = e.st.BeginIdempotent(ctx, a, "k", "fp", time.Minute)
	wantCode(t, err, domain.EConflict)
	_, err = e.st.BeginIdempotent(ctx, a, "k", "other", time.Minute)
	wantCode(t, err, domain.EInvalid)
	if err := e.st.FinishIdempotent(ctx, a, "k", 201, "application/json", []byte(`{"id":"x"}`)); err != nil {
		t.Fatal(err)
	}
	res, err = e.st.BeginIdempotent(ctx, a, "k", "fp", time.Minute)
	if err != nil || res.State != postgres.IdemReplay || res.Status != 201 || string(res.Body) != `{"id":"x"}` {
		t.Fatalf("retry = %+v, %v", res, err)
	}
	// Keys are per employee.
	res, err = e.st.BeginIdempotent(ctx, e.as("e-104"), "k", "fp", time.Minute)
	if err != nil || res.State != postgres.IdemExecute {
		t.Fatalf("other employee = %+v, %v", res, err)
	}
}
