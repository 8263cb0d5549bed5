package domain

import (
	"slices"
	"strings"
	"time"
)

// Task statuses and priorities of TOOLS.md.
var (
	TaskStatuses   = []string{"todo", "in_progress", "blocked", "done"}
	TaskPriorities = []string{"low", "normal", "high", "urgent"}
)

// Task is a to-do item.
type Task struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Assignee    string    `json:"assignee"`
	Creator     string    `json:"creator"`
	Due         string    `json:"due,omitempty"` // date or RFC 3339 date-time
	Status      string    `json:"status"`
	Priority    string    `json:"priority"`
	Parent      string    `json:"parent,omitempty"`
	MeetingID   string    `json:"meeting_id,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TaskInput creates a task.
type TaskInput struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Assignee    string `json:"assignee,omitempty"`
	Due         string `json:"due,omitempty"`
	Priority    string `json:"priority,omitempty"`
	Parent      string `json:"parent,omitempty"`
	MeetingID   string `json:"meeting_id,omitempty"`
}

// TaskPatch changes a task; nil fields stay as they are.
type TaskPatch struct {
	Title    *string `json:"title,omitempty"`
	Status   *string `json:"status,omitempty"`
	Due      *string `json:"due,omitempty"`
	Assignee *string `json:"assignee,omitempty"`
	Priority *string `json:"priority,omitempty"`
}

// TaskComment is a comment on a task.
type TaskComment struct {
	ID        string    `json:"id"`
	TaskID    string    `json:"task_id"`
	Author    string    `json:"author"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// ValidDue reports whether s is a date or an RFC 3339 date-time.
func ValidDue(s string, loc *time.Location) bool {
	if _, err := ParseDate(s, loc); err == nil {
		return true
	}
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

// NormalizeTask validates and defaults a new task.
func NormalizeTask(in *TaskInput, loc *time.Location) error {
	var v Validator
	in.Title = strings.TrimSpace(in.Title)
	v.Check(in.Title != "", "title", "is required")
	v.Check(len(in.Title) <= 300, "title", "is longer than 300 characters")
	v.Check(len(in.Description) <= 10000, "description", "is longer than 10000 characters")
	if in.Priority == "" {
		in.Priority = "normal"
	}
	v.Check(slices.Contains(TaskPriorities, in.Priority), "priority", "must be one of "+strings.Join(TaskPriorities, ", "))
	v.Check(in.Due == "" || ValidDue(in.Due, loc), "due", "must be a date or an RFC 3339 date-time")
	return v.Err()
}

// ValidatePatch validates a task patch.
func ValidatePatch(p TaskPatch, loc *time.Location) error {
	var v Validator
	if p.Title != nil {
		v.Check(strings.TrimSpace(*p.Title) != "" && len(*p.Title) <= 300, "title", "must be 1 to 300 characters")
	}
	if p.Status != nil {
		v.Check(slices.Contains(TaskStatuses, *p.Status), "status", "must be one of "+strings.Join(TaskStatuses, ", "))
	}
	if p.Priority != nil {
		v.Check(slices.Contains(TaskPriorities, *p.Priority), "priority", "must be one of "+strings.Join(TaskPriorities, ", "))
	}
	if p.Due != nil {
		v.Check(*p.Due == "" || ValidDue(*p.Due, loc), "due", "must be a date or an RFC 3339 date-time")
	}
	return v.Err()
}

// DueBefore reports whether a task's due value falls before t.
func DueBefore(due string, t time.Time, loc *time.Location) bool {
	if due == "" {
		return false
	}
	if d, err := ParseDate(due, loc); err == nil {
		return d.AddDate(0, 0, 1).Add(-time.Nanosecond).Before(t)
	}
	d, err := time.Parse(time.RFC3339, due)
	return err == nil && d.Before(t)
}
