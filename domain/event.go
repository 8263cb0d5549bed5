package domain

import (
	"strings"
	"time"
)

// Event is a calendar event.
type Event struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Organizer   string    `json:"organizer"`
	Attendees   []string  `json:"attendees"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Resource    string    `json:"resource,omitempty"`
	Location    string    `json:"location,omitempty"`
	Description string    `json:"description,omitempty"`
	Recurrence  string    `json:"recurrence,omitempty"`
	Kind        string    `json:"kind"` // meeting, booking, out_of_office
	Status      string    `json:"status"`
	// Conflicts lists attendees busy at that time (reported, not refused).
	Conflicts []string `json:"conflicts,omitempty"`
}

// EventInput creates an event.
type EventInput struct {
	Title       string   `json:"title"`
	Start       string   `json:"start"`
	End         string   `json:"end,omitempty"`
	Attendees   []string `json:"attendees,omitempty"`
	Resource    string   `json:"resource,omitempty"`
	Location    string   `json:"location,omitempty"`
	Description string   `json:"description,omitempty"`
	Recurrence  string   `json:"recurrence,omitempty"`
}

// ParseSpan parses an RFC 3339 start and optional end; a missing end means 60 minutes.
func ParseSpan(start, end string) (time.Time, time.Time, error) {
	var v Validator
	s, err := time.Parse(time.RFC3339, start)
	v.Check(err == nil, "start", "must be an RFC 3339 date-time such as 2026-11-24T15:00:00+08:00")
	e := s.Add(time.Hour)
	if end != "" {
		var err2 error
		e, err2 = time.Parse(time.RFC3339, end)
		v.Check(err2 == nil, "end", "must be an RFC 3339 date-time")
		if err == nil && err2 == nil {
			v.Check(e.After(s), "end", "must be after start")
			v.Check(e.Sub(s) <= 14*24*time.Hour, "end", "is more than 14 days after start")
		}
	}
	return s, e, v.Err()
}

// NormalizeEvent validates an event input.
func NormalizeEvent(in *EventInput) (time.Time, time.Time, error) {
	in.Title = strings.TrimSpace(in.Title)
	s, e, err := ParseSpan(in.Start, in.End)
	var v Validator
	v.Check(in.Title != "" && len(in.Title) <= 300, "title", "must be 1 to 300 characters")
	v.Check(len(in.Attendees) <= 200, "attendees", "at most 200 attendees")
	v.Check(len(in.Description) <= 10000, "description", "is longer than 10000 characters")
	if err != nil {
		return s, e, err
	}
	return s, e, v.Err()
}
