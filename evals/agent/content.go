package agenteval

import (
	"io"
	"log/slog"

	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
)

// backend is the store the agent runs on. The fixture's meetings and
// documents are seeded into it (package seed), so the store answers the
// meeting and knowledge tools itself.
type backend struct {
	*postgres.Store
}

func newBackend(st *postgres.Store, _ *fixture.Fixture) *backend { return &backend{Store: st} }

// quietLogger drops the store's log lines (River's start-up chatter) so the
// eval's table stays readable.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
