// Package builtin is banli's offline planner: deterministic natural-language
// understanding that turns one utterance in Traditional or Simplified Chinese,
// Cantonese, English or a mix of them into typed tool calls (TOOLS.md). It
// proposes; it never executes. Missing or ambiguous required arguments
// produce a clarifying question instead of a mutating call.
package builtin

import (
	"context"
	"time"

	"github.com/banlihq/banli/nlu/people"
)

// Directory is the company directory the planner resolves names against.
type Directory = people.Directory

// Request is one user turn to plan.
type Request struct {
	Utterance string
	Now       time.Time // the request's now, in the tenant's location
	Locale    string    // tenant locale, e.g. "zh-HK"
	Currency  string    // tenant currency, e.g. "HKD"; "" means HKD
	Actor     string    // employee id of the speaker
	Dir       *Directory
	Lookup    Lookup // read access, already filtered by the actor's permissions
	State     *State // from the previous turn's Plan; nil at the start
	// Attachments are ids of receipts uploaded with the message.
	Attachments []string

	// Check, when set, validates a call the way the service will (a known
	// tool, arguments that decode against its schema and the directory).
	// A model-backed planner uses it to send errors back for repair.
	Check func(tool string, args map[string]any) error
	// Read, when set, runs a read-only tool as the actor, under the actor's
	// permissions, and returns its answer: text, then its data as JSON. It
	// refuses mutating tools. A model-backed planner loops the answer back
	// to the model as quoted data.
	Read func(ctx context.Context, tool string, args map[string]any) (string, error)
}

// Lookup gives the planner read access to the records it must refer to by
// description. It is implemented against the database by the caller.
type Lookup interface {
	// PendingApprovals returns the requests waiting for the actor's decision.
	PendingApprovals(ctx context.Context) ([]PendingItem, error)
	// LeaveRequests returns the leave requests the actor can see.
	LeaveRequests(ctx context.Context) ([]LeaveRef, error)
	// Events returns the events the actor can see that overlap [from, to).
	Events(ctx context.Context, from, to time.Time) ([]EventRef, error)
	// Tasks returns the tasks the actor can see.
	Tasks(ctx context.Context) ([]TaskRef, error)
	// Meetings returns the meetings (with transcripts) the actor can see.
	Meetings(ctx context.Context) ([]MeetingRef, error)
	// ExpenseClaims returns the expense claims the actor can see.
	ExpenseClaims(ctx context.Context) ([]ClaimRef, error)
}

// PendingItem is a request waiting for a decision: a leave request or an
// expense claim.
type PendingItem struct {
	ID        string // the leave request's or expense claim's id
	Kind      string // "leave" or "expense"
	Employee  string // the requester
	LeaveType string // leave only
	Start     string // leave only: YYYY-MM-DD
	End       string // leave only
	Title     string // expense only
	Amount    string // expense only: total, decimal string
	Currency  string
	Dates     []string // expense only: item dates
}

// LeaveRef is a leave request.
type LeaveRef struct {
	ID, Employee, LeaveType, Start, End, Status string
}

// EventRef is a calendar event.
type EventRef struct {
	ID, Title, Organizer string
	Attendees            []string
	Start, End           time.Time
	Resource             string
}

// TaskRef is a task.
type TaskRef struct {
	ID, Title, Assignee, Creator, Due, Status, Priority string
}

// MeetingRef is a past meeting.
type MeetingRef struct {
	ID, Title, Date string
	Participants    []string
}

// ClaimRef is an expense claim.
type ClaimRef struct {
	ID, Employee, Title, Status string
	Dates                       []string
}

// Call is one proposed tool call. Args follow TOOLS.md: strings for dates,
// date-times, ids and money; []string for employee lists; []int for items.
type Call struct {
	Tool string         `json:"tool"`
	Args map[string]any `json:"args"`
}

// Plan is the planner's answer to one turn.
type Plan struct {
	Lang     string   `json:"lang"`               // detected: zh-Hant, zh-Hans, yue, en
	Calls    []Call   `json:"calls,omitempty"`    // proposed calls, in order
	Clarify  []string `json:"clarify,omitempty"`  // missing or ambiguous argument names
	Question string   `json:"question,omitempty"` // what to ask, in the user's language
	Reply    string   `json:"reply,omitempty"`    // when nothing can be proposed
	State    State    `json:"state"`              // carry-over for the next turn
}

// State carries a conversation over to the next turn: the intent and the
// utterances it was built from, so that an answer fills the missing slots
// and a correction re-plans with the changed slot. It is JSON-serialisable.
type State struct {
	Intent string   `json:"intent,omitempty"`
	Texts  []string `json:"texts,omitempty"` // utterances so far, oldest first
	// Pending is true when the last plan asked a question.
	Pending bool `json:"pending,omitempty"`
	// Args are the last proposed (or partial) arguments.
	Args map[string]any `json:"args,omitempty"`
}

// Tool names (TOOLS.md).
const (
	ToolFindEmployee          = "find_employee"
	ToolCreateEvent           = "create_event"
	ToolFindFreeSlots         = "find_free_slots"
	ToolListEvents            = "list_events"
	ToolRescheduleEvent       = "reschedule_event"
	ToolCancelEvent           = "cancel_event"
	ToolBookResource          = "book_resource"
	ToolCreateTask            = "create_task"
	ToolListTasks             = "list_tasks"
	ToolUpdateTask            = "update_task"
	ToolRequestLeave          = "request_leave"
	ToolGetLeaveBalance       = "get_leave_balance"
	ToolListLeaveRequests     = "list_leave_requests"
	ToolCancelLeave           = "cancel_leave"
	ToolCreateExpenseClaim    = "create_expense_claim"
	ToolSubmitExpenseClaim    = "submit_expense_claim"
	ToolListExpenseClaims     = "list_expense_claims"
	ToolScanReceipt           = "scan_receipt"
	ToolListPendingApprovals  = "list_pending_approvals"
	ToolApprove               = "approve"
	ToolReject                = "reject"
	ToolReturnForChanges      = "return_for_changes"
	ToolSetDelegate           = "set_delegate"
	ToolSummarizeMeeting      = "summarize_meeting"
	ToolCreateTasksFromMeetng = "create_tasks_from_meeting"
	ToolSearchKnowledge       = "search_knowledge"
	ToolTeamReport            = "team_report"
)

// mutating lists the tools that change state.
var mutating = map[string]bool{
	ToolCreateEvent: true, ToolRescheduleEvent: true, ToolCancelEvent: true, ToolBookResource: true,
	ToolCreateTask: true, ToolUpdateTask: true, ToolRequestLeave: true, ToolCancelLeave: true,
	ToolCreateExpenseClaim: true, ToolSubmitExpenseClaim: true, ToolApprove: true, ToolReject: true,
	ToolReturnForChanges: true, ToolSetDelegate: true, ToolCreateTasksFromMeetng: true,
}

// Mutating reports whether a tool changes state.
func Mutating(tool string) bool { return mutating[tool] }
