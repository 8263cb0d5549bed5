package seed

import (
	"context"
	"fmt"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/postgres"
)

// loadRest loads the fixture's events and tasks through the store's import
// commands, keeping their ids, its documents, and its meetings (summarised
// by the built-in summariser as any recorded meeting is).
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
	// Meetings are recorded as the system, keeping their ids; the first
	// participant stands as organizer.
	meetings := meeting.NewService(st, nil)
	for _, m := range f.Meetings {
		r := meeting.Record{ID: m.ID, Title: m.Title, Date: m.Date, Participants: m.Participants, Transcript: m.Transcript}
		if _, err := meetings.Record(ctx, sys, r); err != nil {
			return fmt.Errorf("meeting %s: %w", m.ID, err)
		}
	}
	// Documents are indexed for knowledge search as they are stored.
	for _, d := range f.Documents {
		if _, err := st.ImportDocument(ctx, sys, d.ID, domain.DocumentInput{Title: d.Title, Text: d.Text}); err != nil {
			return fmt.Errorf("document %s: %w", d.ID, err)
		}
	}
	return nil
}
