package domain

import (
	"slices"
	"strings"
	"time"
)

// LeaveTypes are the leave types of TOOLS.md.
var LeaveTypes = []string{"annual", "sick", "personal", "compensatory", "maternity", "paternity", "marriage", "bereavement", "unpaid"}

// Leave request statuses.
const (
	StatusDraft     = "draft"
	StatusPending   = "pending"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusReturned  = "returned"
	StatusCancelled = "cancelled"
)

// LeaveRequest is an application for leave.
type LeaveRequest struct {
	ID          string    `json:"id"`
	Employee    string    `json:"employee"`
	LeaveType   string    `json:"leave_type"`
	Start       string    `json:"start"`
	End         string    `json:"end"`
	StartHalf   string    `json:"start_half"`
	EndHalf     string    `json:"end_half"`
	Days        float64   `json:"days"`
	Reason      string    `json:"reason,omitempty"`
	Certificate string    `json:"certificate,omitempty"` // receipt/document id of a medical note
	Urgent      bool      `json:"urgent,omitempty"`
	Status      string    `json:"status"`
	Masked      bool      `json:"masked,omitempty"` // reason hidden from this reader
	CreatedAt   time.Time `json:"created_at"`
}

// LeaveInput is what an employee submits.
type LeaveInput struct {
	LeaveType   string `json:"leave_type"`
	Start       string `json:"start"`
	End         string `json:"end"`
	StartHalf   string `json:"start_half,omitempty"`
	EndHalf     string `json:"end_half,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Certificate string `json:"certificate,omitempty"`
	Urgent      bool   `json:"urgent,omitempty"`
	// Employee lets HR file on someone's behalf; empty means the actor.
	Employee string `json:"employee,omitempty"`
}

// LeaveBalance is an employee's balance for one type and year.
type LeaveBalance struct {
	Employee  string  `json:"employee"`
	LeaveType string  `json:"leave_type"`
	Year      int     `json:"year"`
	Entitled  float64 `json:"entitled"`
	Used      float64 `json:"used"`
	Pending   float64 `json:"pending"`
	Available float64 `json:"available"`
}

// NormalizeLeave validates in and fills defaults, returning parsed dates.
func NormalizeLeave(in *LeaveInput, loc *time.Location) (start, end time.Time, err error) {
	var v Validator
	in.LeaveType = strings.TrimSpace(strings.ToLower(in.LeaveType))
	v.Check(slices.Contains(LeaveTypes, in.LeaveType), "leave_type", "must be one of "+strings.Join(LeaveTypes, ", "))
	if in.StartHalf == "" {
		in.StartHalf = "am"
	}
	if in.EndHalf == "" {
		in.EndHalf = "pm"
	}
	v.Check(in.StartHalf == "am" || in.StartHalf == "pm", "start_half", "must be am or pm")
	v.Check(in.EndHalf == "am" || in.EndHalf == "pm", "end_half", "must be am or pm")
	v.Check(len(in.Reason) <= 2000, "reason", "is longer than 2000 characters")
	var e1, e2 error
	start, e1 = ParseDate(in.Start, loc)
	v.Check(e1 == nil, "start", "must be a date (YYYY-MM-DD)")
	end, e2 = ParseDate(in.End, loc)
	v.Check(e2 == nil, "end", "must be a date (YYYY-MM-DD)")
	if e1 == nil && e2 == nil {
		v.Check(!end.Before(start), "end", "is before start")
		v.Check(!(start.Equal(end) && in.StartHalf == "pm" && in.EndHalf == "am"), "end_half", "ends before it starts")
		v.Check(end.Sub(start) < 366*24*time.Hour, "end", "is more than a year after start")
	}
	return start, end, v.Err()
}

// LeaveOverlaps reports whether two half-day ranges overlap. Dates are
// YYYY-MM-DD strings, so they compare lexically.
func LeaveOverlaps(a, b LeaveRequest) bool {
	ak := func(d, h string) string { return d + h }
	// Represent each bound as date+half; "am" < "pm" lexically.
	aStart, aEnd := ak(a.Start, a.StartHalf), ak(a.End, a.EndHalf)
	bStart, bEnd := ak(b.Start, b.StartHalf), ak(b.End, b.EndHalf)
	return aStart <= bEnd && bStart <= aEnd
}
