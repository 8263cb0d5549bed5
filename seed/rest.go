package seed

import (
	"context"
	"fmt"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
)

// loadRest loads the fixture's events and tasks through the store's import
// commands, keeping their ids. Meetings and documents are not loaded yet:
// their commands do not exist so far, and seeding must not write tables
// around the commands.
func loadRest(ctx context.Context, st *postgres.Store, sys domain.Actor, f *fixture.Fixture) error {
	for _, e := range f.Events {
		in := domain.EventInput{Title: e.Title, Start: e.Start, End: e.End, Attendees: e.Attendees, Resource: e.Resource}
		if _, err := st.ImportEvent(ctx, sys, e.ID, e.Organizer, in); err != nil {
			return fmt.Errorf("event %s: %w", e.ID, err)
		}
	}
	// Parents are not in the fixture format, so import order does not matter.
	for _, t := range f.Tasks {
		task := domain.Task{ID: t.ID, Title: t.Title, Assignee: t.Assignee, Creator: t.Creator, Due: t.Due, Status: t.Status, Priority: t.Priority}
		if _, err := st.ImportTask(ctx, sys, task); err != nil {
			return fmt.Errorf("task %s: %w", t.ID, err)
		}
	}
	return nil
}
