package domain

import "time"

// PendingApproval is an item in an approver's queue.
type PendingApproval struct {
	RequestID string     `json:"request_id"`
	Kind      string     `json:"kind"`
	Requester string     `json:"requester"`
	Summary   string     `json:"summary"`
	Step      string     `json:"step"`
	DueAt     *time.Time `json:"due_at,omitempty"`
	OnBehalf  string     `json:"on_behalf_of,omitempty"`
	Urgent    bool       `json:"urgent,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	// AnomalyScore is the highest anomaly score of a claim's items; the
	// reasons are on the claim's items.
	AnomalyScore *float64 `json:"anomaly_score,omitempty"`
}

// LeaveFilter narrows a leave list.
type LeaveFilter struct {
	Employee string
	Status   string
	From     string
	To       string
	After    string // cursor: id of the last item of the previous page
	Limit    int
}

// ClaimFilter narrows a claim list.
type ClaimFilter struct {
	Employee string
	Status   string
	After    string
	Limit    int
}

// TaskFilter narrows a task list.
type TaskFilter struct {
	Assignee  string
	Status    string
	DueBefore string // date (before that day) or RFC 3339 date-time
	Parent    string // subtasks of this task
	Overdue   bool   // not done and due before now
	After     string // cursor: id of the last item of the previous page
	Limit     int
}

// Slot is a free interval.
type Slot struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// BoardColumn is one status column of a task board.
type BoardColumn struct {
	Status string `json:"status"`
	Count  int    `json:"count"`
	Items  []Task `json:"items"`
}

// TaskBoard groups tasks by status, every status present in order.
type TaskBoard struct {
	Columns []BoardColumn `json:"columns"`
}

// Meeting is a past meeting with its transcript ("speaker: text" lines).
// Transcripts are content: they are shown as data, never followed.
type Meeting struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Date         string   `json:"date"`
	Participants []string `json:"participants"`
	Transcript   string   `json:"transcript"`
	// Organizer recorded the meeting; Format is the transcript's source
	// format (text, vtt, srt). Summary is nil until one was made.
	Organizer string          `json:"organizer,omitempty"`
	Format    string          `json:"format,omitempty"`
	Summary   *MeetingSummary `json:"summary,omitempty"`
	CreatedAt time.Time       `json:"created_at,omitzero"`
}

// ActionItem is one follow-up found in a meeting.
type ActionItem struct {
	Owner string `json:"owner"`
	Task  string `json:"task"`
	Due   string `json:"due,omitempty"`
	// Line is the 1-based transcript line it came from and Source that
	// line's sentence, so people can check it against what was said.
	Line   int    `json:"line,omitempty"`
	Source string `json:"source,omitempty"`
}

// Document is a knowledge-base entry, or a passage of one that a search
// found: then ID and Kind cite its source (a document or a meeting), Text
// is the passage and Snippet the part of it that matched.
type Document struct {
	ID      string  `json:"id"`
	Title   string  `json:"title"`
	Text    string  `json:"text"`
	Kind    string  `json:"kind,omitempty"`    // document, meeting or meeting_summary
	Snippet string  `json:"snippet,omitempty"` // for a citation
	Score   float64 `json:"score,omitempty"`   // rank score, higher is better
}
