package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

// TaskCommentBody is a task comment.
type TaskCommentBody struct {
	Body string `json:"body" minLength:"1" maxLength:"10000" doc:"Text; @e-123 mentions notify that employee."`
}

// BookingBody books a room or piece of equipment.
type BookingBody struct {
	Resource string `json:"resource"`
	Start    string `json:"start" doc:"RFC 3339 date-time"`
	End      string `json:"end" doc:"RFC 3339 date-time"`
	Purpose  string `json:"purpose,omitempty" maxLength:"300"`
}

// RescheduleBody moves an event.
type RescheduleBody struct {
	Start string `json:"start" doc:"RFC 3339 date-time"`
	End   string `json:"end,omitempty" doc:"RFC 3339 date-time; keeps the duration when empty."`
}

// Slots lists free intervals.
type Slots struct {
	Items []postgres.Slot `json:"items" nullable:"false"`
}

// Comments lists a task's comments, oldest first.
type Comments struct {
	Items []domain.TaskComment `json:"items" nullable:"false"`
}

// taskRoutes registers tasks and calendar operations.
func (s *server) taskRoutes(a huma.API) {
	tags := []string{"tasks"}
	register(s, a, huma.Operation{OperationID: "create-task", Method: http.MethodPost, Path: "/v1/tasks", Summary: "Create a task", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body domain.TaskInput }) (*out[domain.Task], error) {
			t, err := s.st.CreateTask(ctx, actor, in.Body)
			if err != nil {
				return nil, err
			}
			return reply(t)
		})
	type listTasks struct {
		PageParams
		Assignee  string `query:"assignee"`
		Status    string `query:"status" enum:"todo,in_progress,blocked,done,"`
		DueBefore string `query:"due_before" doc:"Date or RFC 3339 date-time."`
		Parent    string `query:"parent" doc:"Subtasks of this task."`
		Overdue   bool   `query:"overdue" doc:"Not done and due before now."`
	}
	register(s, a, huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: "/v1/tasks", Summary: "List visible tasks", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *listTasks) (*out[Page[domain.Task]], error) {
			items, err := s.st.ListTasks(ctx, actor, postgres.TaskFilter{Assignee: in.Assignee, Status: in.Status, DueBefore: in.DueBefore,
				Parent: in.Parent, Overdue: in.Overdue, After: in.After, Limit: in.limit() + 1})
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, in.limit(), func(t domain.Task) string { return t.ID }))
		})
	register(s, a, huma.Operation{OperationID: "task-board", Method: http.MethodGet, Path: "/v1/tasks/board", Summary: "Visible tasks grouped by status", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			Department string `query:"department"`
			PerColumn  int    `query:"per_column" minimum:"0" maximum:"200"`
		}) (*out[postgres.TaskBoard], error) {
			b, err := s.st.TaskBoard(ctx, actor, in.Department, in.PerColumn)
			if err != nil {
				return nil, err
			}
			return reply(b)
		})
	register(s, a, huma.Operation{OperationID: "get-task", Method: http.MethodGet, Path: "/v1/tasks/{id}", Summary: "Get a task", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.Task], error) {
			t, err := s.st.GetTask(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(t)
		})
	register(s, a, huma.Operation{OperationID: "update-task", Method: http.MethodPatch, Path: "/v1/tasks/{id}", Summary: "Change a task's title, status, due, assignee or priority", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body domain.TaskPatch
		}) (*out[domain.Task], error) {
			t, err := s.st.UpdateTask(ctx, actor, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return reply(t)
		})
	register(s, a, huma.Operation{OperationID: "add-task-comment", Method: http.MethodPost, Path: "/v1/tasks/{id}/comments", Summary: "Comment on a task", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body TaskCommentBody
		}) (*out[domain.TaskComment], error) {
			c, err := s.st.AddTaskComment(ctx, actor, in.ID, in.Body.Body)
			if err != nil {
				return nil, err
			}
			return reply(c)
		})
	register(s, a, huma.Operation{OperationID: "list-task-comments", Method: http.MethodGet, Path: "/v1/tasks/{id}/comments", Summary: "A task's comments, oldest first", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[Comments], error) {
			cs, err := s.st.ListTaskComments(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			if cs == nil {
				cs = []domain.TaskComment{}
			}
			return reply(Comments{Items: cs})
		})
	s.eventRoutes(a)
}

// parseTime reads an RFC 3339 date-time or a date (midnight in the
// company's time zone, loaded only when needed).
func (s *server) parseTime(ctx context.Context, actor domain.Actor, field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	tn, err := s.st.Settings(ctx, actor)
	if err != nil {
		return time.Time{}, err
	}
	t, err := domain.ParseDate(v, tn.Settings.Location())
	if err != nil {
		return time.Time{}, domain.Invalid("query."+field, "must be a date (YYYY-MM-DD) or an RFC 3339 date-time")
	}
	return t, nil
}

// icsOut is an iCalendar download.
type icsOut struct {
	ContentType string `header:"Content-Type"`
	Body        []byte
}

func (s *server) eventRoutes(a huma.API) {
	tags := []string{"calendar"}
	register(s, a, huma.Operation{OperationID: "create-event", Method: http.MethodPost, Path: "/v1/events", Summary: "Create a meeting (booking its resource, if any)", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body domain.EventInput }) (*out[domain.Event], error) {
			ev, err := s.st.CreateEvent(ctx, actor, in.Body)
			if err != nil {
				return nil, err
			}
			return reply(ev)
		})
	register(s, a, huma.Operation{OperationID: "create-booking", Method: http.MethodPost, Path: "/v1/bookings", Summary: "Book a room or equipment", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body BookingBody }) (*out[domain.Event], error) {
			ev, err := s.st.BookResource(ctx, actor, in.Body.Resource, in.Body.Start, in.Body.End, in.Body.Purpose)
			if err != nil {
				return nil, err
			}
			return reply(ev)
		})
	register(s, a, huma.Operation{OperationID: "list-events", Method: http.MethodGet, Path: "/v1/events", Summary: "An employee's events in a period, one entry per occurrence, by start", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			PageParams
			Employee string `query:"employee" doc:"Defaults to the caller."`
			From     string `query:"from" required:"true" doc:"Date or RFC 3339 date-time."`
			To       string `query:"to" required:"true" doc:"Date or RFC 3339 date-time (exclusive)."`
		}) (*out[Page[domain.Event]], error) {
			from, err := s.parseTime(ctx, actor, "from", in.From)
			if err != nil {
				return nil, err
			}
			to, err := s.parseTime(ctx, actor, "to", in.To)
			if err != nil {
				return nil, err
			}
			evs, err := s.st.ListEvents(ctx, actor, in.Employee, from, to)
			if err != nil {
				return nil, err
			}
			// Occurrences of a series share an id: the cursor names one occurrence.
			return reply(positionalPage(evs, in.PageParams, func(e domain.Event) string { return e.ID + "@" + e.Start.UTC().Format(time.RFC3339) }))
		})
	register(s, a, huma.Operation{OperationID: "find-free-slots", Method: http.MethodGet, Path: "/v1/free-slots", Summary: "Earliest common free slots in working hours", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			Attendees []string `query:"attendees" doc:"Employee ids, comma separated; the caller is always included."`
			Minutes   int      `query:"minutes" minimum:"5" maximum:"1440" default:"30"`
			From      string   `query:"from" required:"true"`
			To        string   `query:"to" required:"true"`
			Limit     int      `query:"limit" minimum:"1" maximum:"50" default:"5"`
		}) (*out[Slots], error) {
			from, err := s.parseTime(ctx, actor, "from", in.From)
			if err != nil {
				return nil, err
			}
			to, err := s.parseTime(ctx, actor, "to", in.To)
			if err != nil {
				return nil, err
			}
			slots, err := s.st.FindFreeSlots(ctx, actor, in.Attendees, time.Duration(in.Minutes)*time.Minute, from, to, in.Limit)
			if err != nil {
				return nil, err
			}
			if slots == nil {
				slots = []postgres.Slot{}
			}
			return reply(Slots{Items: slots})
		})
	register(s, a, huma.Operation{OperationID: "get-event", Method: http.MethodGet, Path: "/v1/events/{id}", Summary: "Get an event", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.Event], error) {
			ev, err := s.st.GetEvent(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(ev)
		})
	register(s, a, huma.Operation{OperationID: "reschedule-event", Method: http.MethodPost, Path: "/v1/events/{id}/reschedule", Summary: "Move an event (organizer)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body RescheduleBody
		}) (*out[domain.Event], error) {
			ev, err := s.st.RescheduleEvent(ctx, actor, in.ID, in.Body.Start, in.Body.End)
			if err != nil {
				return nil, err
			}
			return reply(ev)
		})
	register(s, a, huma.Operation{OperationID: "cancel-event", Method: http.MethodPost, Path: "/v1/events/{id}/cancel", Summary: "Cancel an event (organizer)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.Event], error) {
			ev, err := s.st.CancelEvent(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(ev)
		})
	// ServeMux wildcards are whole segments, so "{employee}.ics" is matched
	// as one segment and the suffix checked here.
	register(s, a, huma.Operation{OperationID: "calendar-feed", Method: http.MethodGet, Path: "/v1/calendar/{file}", Summary: "An employee's calendar as iCalendar: GET /v1/calendar/e-103.ics", Tags: tags,
		Responses: map[string]*huma.Response{"200": {Description: "iCalendar feed.", Content: map[string]*huma.MediaType{"text/calendar": {Schema: &huma.Schema{Type: "string"}}}}}},
		func(ctx context.Context, actor domain.Actor, in *struct {
			File string `path:"file" pattern:"^[A-Za-z0-9._-]{1,64}\\.ics$" doc:"The employee id followed by .ics"`
		}) (*icsOut, error) {
			emp, ok := strings.CutSuffix(in.File, ".ics")
			if !ok || emp == "" {
				return nil, domain.Errorf(domain.ENotFound, "no calendar %q", in.File)
			}
			var buf bytes.Buffer
			if err := s.st.ICalFeed(ctx, actor, emp, &buf); err != nil {
				return nil, err
			}
			return &icsOut{ContentType: "text/calendar; charset=utf-8", Body: buf.Bytes()}, nil
		})
}
