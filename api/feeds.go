package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
)

// CalendarFeed is a secret iCalendar URL for calendar apps, shown once.
type CalendarFeed struct {
	URL string `json:"url" doc:"Subscribe to this URL in a calendar app. Anyone with it can read your calendar; create a new one to revoke it."`
}

// feedRoutes registers the secret calendar feed: calendar apps cannot send
// a bearer token, so an employee creates a feed URL that carries its own
// secret, and GET /feeds/{secret}.ics serves that employee's calendar.
func (s *server) feedRoutes(a huma.API) {
	tags := []string{"calendar"}
	register(s, a, huma.Operation{OperationID: "create-calendar-feed", Method: http.MethodPost, Path: "/v1/me/calendar-feed", Summary: "Create (or replace) my secret calendar feed URL", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{}) (*out[CalendarFeed], error) {
			tok, err := s.st.CreateCalendarFeed(ctx, actor)
			if err != nil {
				return nil, err
			}
			base := ""
			if ri := info(ctx); ri != nil {
				base = ri.base
			}
			return reply(CalendarFeed{URL: base + "/feeds/" + tok + ".ics"})
		})
	register(s, a, huma.Operation{OperationID: "revoke-calendar-feed", Method: http.MethodDelete, Path: "/v1/me/calendar-feed", Summary: "Stop my calendar feed URL", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, actor domain.Actor, in *struct{}) (*struct{}, error) {
			return nil, s.st.RevokeCalendarFeed(ctx, actor)
		})
	s.mux.HandleFunc("GET /feeds/{file}", s.serveFeed)
}

// serveFeed answers a calendar app. An unknown or revoked secret is a 404
// that says nothing more.
func (s *server) serveFeed(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		s.writeProblem(w, r, http.StatusNotFound, "no such calendar feed")
		return
	}
	actor, err := s.st.FeedActor(r.Context(), tok)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := s.st.ICalFeed(r.Context(), actor, actor.EmployeeID, &buf); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, _ = w.Write(buf.Bytes())
}
