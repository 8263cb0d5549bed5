package seed

import (
	"context"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
)

// loadRest loads events, tasks, meetings and documents.
func loadRest(ctx context.Context, st *postgres.Store, sys domain.Actor, f *fixture.Fixture) error {
	return nil
}
