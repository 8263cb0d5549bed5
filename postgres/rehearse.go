package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// unitKey marks a context whose store commands share one transaction (see
// Atomically and Rehearse).
type unitKey struct{}

// unit is a transaction shared by several commands; each command runs in a
// savepoint of it.
type unit struct {
	tx pgx.Tx
	// rehearsal units are always rolled back and append nothing to the
	// audit chain.
	rehearsal bool
}

// Atomically runs fn so that every store command it calls commits together
// or not at all: the commands share one transaction, each in a savepoint,
// with its own authorization, validation and audit entries. The agent
// confirms a proposal this way: claiming it, running its tool and recording
// the result are one transaction, so a crash in between leaves the proposal
// pending and nothing done, never done twice.
func (s *Store) Atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	if u := unitOf(ctx); u != nil {
		return fn(ctx)
	}
	ptx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // after commit this is a no-op
	if err := fn(context.WithValue(ctx, unitKey{}, &unit{tx: ptx})); err != nil {
		return err
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Rehearse runs fn so that every store command it calls executes for real,
// with authorization, validation and constraints, inside a single
// transaction that is always rolled back: the outcome (an error such as
// "not allowed" or "insufficient balance") is known and nothing is kept,
// audited or delivered. The agent rehearses a mutating call before it
// proposes it, so a call that would be refused is refused at once.
// Commands inside share the transaction through savepoints, so a tool that
// creates a record and then submits it rehearses both steps.
func (s *Store) Rehearse(ctx context.Context, fn func(ctx context.Context) error) error {
	if u := unitOf(ctx); u != nil && u.rehearsal {
		return fn(ctx)
	}
	ptx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin rehearsal: %w", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a rehearsal is never committed
	return fn(context.WithValue(ctx, unitKey{}, &unit{tx: ptx, rehearsal: true}))
}

func unitOf(ctx context.Context) *unit {
	u, _ := ctx.Value(unitKey{}).(*unit)
	return u
}

// rehearsing reports whether ctx belongs to a rehearsal.
func rehearsing(ctx context.Context) bool {
	u := unitOf(ctx)
	return u != nil && u.rehearsal
}

// begin starts a command's transaction: a savepoint of the shared
// transaction inside Atomically or Rehearse, a new transaction otherwise.
func (s *Store) begin(ctx context.Context) (pgx.Tx, error) {
	if u := unitOf(ctx); u != nil {
		return u.tx.Begin(ctx)
	}
	return s.pool.Begin(ctx)
}
