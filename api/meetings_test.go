package api_test

import (
	"testing"

	"github.com/banlihq/banli/domain"
)

func TestMeetings(t *testing.T) {
	e := newEnv(t, envOpts{})
	srt := "1\n00:00:01,000 --> 00:00:04,000\nVictor Fung: Winsy, can you send Swire the revised quote by Friday?\n\n" +
		"2\n00:00:04,500 --> 00:00:06,000\nWing Sze Wong: Sure, will do.\n\n" +
		"3\n00:00:06,500 --> 00:00:09,000\nVictor Fung: We decided to keep the current price for Kerry.\n"
	var m domain.Meeting
	e.req("POST", "/v1/meetings", "e-105", map[string]any{"title": "Sales sync", "date": "2026-11-23", "participants": []string{"e-107"}, "transcript": srt}).
		want(t, 201).json(t, &m)
	if m.ID == "" || m.Organizer != "e-105" || m.Format != "srt" || m.Summary == nil || len(m.Summary.ActionItems) != 1 || len(m.Summary.Decisions) != 1 {
		t.Fatalf("created %+v", m)
	}
	if a := m.Summary.ActionItems[0]; a.Owner != "e-106" || a.Due != "2026-11-27" {
		t.Errorf("action item %+v, want Winsy by Friday 27th", a)
	}
	// The speaker Winsy joined the participants and reads it; Ming does not.
	var got domain.Meeting
	e.req("GET", "/v1/meetings/"+m.ID, "e-106", nil).want(t, 200).json(t, &got)
	if got.Transcript == "" || got.Summary == nil {
		t.Fatalf("get %+v", got)
	}
	e.req("GET", "/v1/meetings/"+m.ID, "e-103", nil).wantProblem(t, 404)
	var page struct {
		Items []domain.Meeting `json:"items"`
		Next  string           `json:"next"`
	}
	e.req("GET", "/v1/meetings?participant=e-107", "e-101", nil).want(t, 200).json(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != m.ID || page.Items[0].Transcript != "" {
		t.Fatalf("list %+v", page)
	}
	// Summarising again is for the organizer (and administrators).
	e.req("POST", "/v1/meetings/"+m.ID+"/summarize", "e-106", nil).wantProblem(t, 403)
	e.req("POST", "/v1/meetings/"+m.ID+"/summarize", "e-105", nil).want(t, 200)

	for _, tc := range []struct {
		name     string
		body     map[string]any
		location string
	}{
		{"transcript without speakers", map[string]any{"title": "x", "date": "2026-11-23", "transcript": "notes only"}, "body.transcript"},
		{"broken captions", map[string]any{"title": "x", "date": "2026-11-23", "transcript": "WEBVTT\n\nhello\nworld", "format": "vtt"}, "body.transcript"},
		{"bad date", map[string]any{"title": "x", "date": "23/11/2026", "transcript": "A: b"}, "body.date"},
		{"unknown participant", map[string]any{"title": "x", "date": "2026-11-23", "transcript": "A: b", "participants": []string{"e-999"}}, "body.participants[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := e.req("POST", "/v1/meetings", "e-105", tc.body).wantProblem(t, 422)
			for _, fe := range p.Errors {
				if fe.Location == tc.location && fe.Message != "" {
					return
				}
			}
			t.Errorf("no error at %s: %+v", tc.location, p)
		})
	}
}
