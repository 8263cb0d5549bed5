package tools

import (
	"context"
	"time"

	"github.com/banlihq/banli/domain"
)

// Backend is the set of domain commands and queries the tools call. Every
// method authorizes the actor itself; *postgres.Store satisfies it.
type Backend interface {
	Directory(ctx context.Context, actor domain.Actor) ([]domain.Employee, []domain.Department, []domain.Resource, error)

	CreateEvent(ctx context.Context, actor domain.Actor, in domain.EventInput) (domain.Event, error)
	FindFreeSlots(ctx context.Context, actor domain.Actor, attendees []string, duration time.Duration, from, to time.Time, limit int) ([]domain.Slot, error)
	ListEvents(ctx context.Context, actor domain.Actor, employee string, from, to time.Time) ([]domain.Event, error)
	GetEvent(ctx context.Context, actor domain.Actor, id string) (domain.Event, error)
	RescheduleEvent(ctx context.Context, actor domain.Actor, id, start, end string) (domain.Event, error)
	CancelEvent(ctx context.Context, actor domain.Actor, id string) (domain.Event, error)
	BookResource(ctx context.Context, actor domain.Actor, resource, start, end, purpose string) (domain.Event, error)

	CreateTask(ctx context.Context, actor domain.Actor, in domain.TaskInput) (domain.Task, error)
	ListTasks(ctx context.Context, actor domain.Actor, f domain.TaskFilter) ([]domain.Task, error)
	UpdateTask(ctx context.Context, actor domain.Actor, id string, p domain.TaskPatch) (domain.Task, error)
	TaskBoard(ctx context.Context, actor domain.Actor, department string, perColumn int) (domain.TaskBoard, error)

	RequestLeave(ctx context.Context, actor domain.Actor, in domain.LeaveInput) (domain.LeaveRequest, error)
	LeaveBalances(ctx context.Context, actor domain.Actor, employee, leaveType string, year int) ([]domain.LeaveBalance, error)
	ListLeave(ctx context.Context, actor domain.Actor, f domain.LeaveFilter) ([]domain.LeaveRequest, error)
	CancelLeave(ctx context.Context, actor domain.Actor, id string) (domain.LeaveRequest, error)

	CreateClaim(ctx context.Context, actor domain.Actor, in domain.ClaimInput) (domain.ExpenseClaim, error)
	SubmitClaim(ctx context.Context, actor domain.Actor, id string) (domain.ExpenseClaim, error)
	ListClaims(ctx context.Context, actor domain.Actor, f domain.ClaimFilter) ([]domain.ExpenseClaim, error)

	PendingApprovals(ctx context.Context, actor domain.Actor) ([]domain.PendingApproval, error)
	Decide(ctx context.Context, actor domain.Actor, requestID, decision, comment string) (domain.Approval, error)
	SetDelegate(ctx context.Context, actor domain.Actor, delegate, start, end string) (domain.Delegation, error)
}

// MeetingSource gives the meeting tools their transcripts and summaries;
// *postgres.Store implements it. Without it the meeting tools report they
// are unavailable.
type MeetingSource interface {
	// Meetings returns the meetings the actor may read.
	Meetings(ctx context.Context, actor domain.Actor) ([]domain.Meeting, error)
	// Meeting returns a meeting the actor took part in (or may read).
	Meeting(ctx context.Context, actor domain.Actor, id string) (domain.Meeting, error)
	// ActionItems returns the follow-ups of a meeting, in transcript order.
	ActionItems(ctx context.Context, actor domain.Actor, id string) ([]domain.ActionItem, error)
}

// KnowledgeSource searches the tenant's knowledge base.
type KnowledgeSource interface {
	SearchDocuments(ctx context.Context, actor domain.Actor, query string, limit int) ([]domain.Document, error)
}

// KnowledgeAnswerer answers a question from the knowledge base: with a
// model configured, an answer citing the passages; offline, the passages.
// *postgres.Store implements it.
type KnowledgeAnswerer interface {
	AnswerKnowledge(ctx context.Context, actor domain.Actor, question string, limit int) (domain.KnowledgeAnswer, error)
}

// ReceiptFields are the fields read from a receipt (OCR with the uploader's
// corrections); *postgres.Store's ScanReceipt returns them.
type ReceiptFields = domain.ReceiptFields

// ReceiptSource reads uploaded receipts.
type ReceiptSource interface {
	ScanReceipt(ctx context.Context, actor domain.Actor, id string) (ReceiptFields, error)
}

// Rehearser runs fn so that the commands it calls take effect only inside a
// transaction that is rolled back: what would happen is known, nothing is
// kept. *postgres.Store implements it; the agent uses it to refuse a call
// before proposing it when the call would fail.
type Rehearser interface {
	Rehearse(ctx context.Context, fn func(ctx context.Context) error) error
}
