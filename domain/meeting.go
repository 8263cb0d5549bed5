package domain

import (
	"slices"
	"strings"
	"time"
)

// MeetingSummary is what a meeting came to: its key points, the decisions
// taken and the action items, each traceable to a transcript line.
type MeetingSummary struct {
	KeyPoints   []SummaryPoint `json:"key_points"`
	Decisions   []SummaryPoint `json:"decisions"`
	ActionItems []ActionItem   `json:"action_items"`
	// Lang is the transcript's main language: zh-Hant, zh-Hans, yue or en.
	Lang string `json:"lang,omitempty"`
	// Method says what made the summary: "builtin", or "llm:" and the model.
	Method string `json:"method"`
}

// SummaryPoint is one sentence of a summary, as said in the meeting.
type SummaryPoint struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker,omitempty"` // employee id when resolved, else the label
	Line    int    `json:"line,omitempty"`
}

// MeetingInput records a meeting. Transcript is already in "speaker: text"
// lines (Format names the source it was read from); Summary is optional.
// ID and Organizer are kept only when the system imports a meeting; an
// employee's meeting gets a new id and the employee as organizer.
type MeetingInput struct {
	ID           string          `json:"id,omitempty"`
	Organizer    string          `json:"organizer,omitempty"`
	Title        string          `json:"title"`
	Date         string          `json:"date"`
	Participants []string        `json:"participants"`
	Transcript   string          `json:"transcript"`
	Format       string          `json:"format,omitempty"`
	Summary      *MeetingSummary `json:"summary,omitempty"`
}

// Text renders a summary as plain text (for search and for people reading
// it without the structure): key points, decisions, then action items with
// owner ids and due dates.
func (s MeetingSummary) Text() string {
	var b strings.Builder
	section := func(title string, ps []SummaryPoint) {
		if len(ps) == 0 {
			return
		}
		b.WriteString(title + "\n")
		for _, p := range ps {
			b.WriteString("- " + p.Text + "\n")
		}
	}
	section("Key points 重點", s.KeyPoints)
	section("Decisions 決定", s.Decisions)
	if len(s.ActionItems) > 0 {
		b.WriteString("Action items 跟進事項\n")
		for _, a := range s.ActionItems {
			b.WriteString("- " + a.Task)
			if a.Owner != "" {
				b.WriteString(" (" + a.Owner)
				if a.Due != "" {
					b.WriteString(", " + a.Due)
				}
				b.WriteString(")")
			} else if a.Due != "" {
				b.WriteString(" (" + a.Due + ")")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// MeetingFilter narrows a meeting list.
type MeetingFilter struct {
	Participant string
	From, To    string // dates, inclusive
	After       string // cursor: id of the last item of the previous page
	Limit       int
}

// NormalizeMeeting validates a meeting record and tidies its lists.
func NormalizeMeeting(in *MeetingInput, loc *time.Location) error {
	var v Validator
	in.Title = strings.TrimSpace(in.Title)
	v.Check(in.Title != "", "title", "is required")
	v.Check(len(in.Title) <= 300, "title", "is longer than 300 characters")
	_, err := ParseDate(in.Date, loc)
	v.Check(err == nil, "date", "must be a date (YYYY-MM-DD)")
	v.Check(strings.TrimSpace(in.Transcript) != "", "transcript", "is required")
	v.Check(len(in.Transcript) <= 4<<20, "transcript", "is larger than 4 MiB")
	if in.Format == "" {
		in.Format = "text"
	}
	v.Check(slices.Contains([]string{"text", "vtt", "srt"}, in.Format), "format", "must be one of text, vtt, srt")
	var ps []string
	for _, p := range in.Participants {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	in.Participants = ps
	if in.Summary != nil {
		for i, a := range in.Summary.ActionItems {
			v.Check(strings.TrimSpace(a.Task) != "", "summary.action_items["+itoa(i)+"].task", "is required")
			v.Check(a.Due == "" || ValidDue(a.Due, loc), "summary.action_items["+itoa(i)+"].due", "must be a date or an RFC 3339 date-time")
		}
	}
	return v.Err()
}
