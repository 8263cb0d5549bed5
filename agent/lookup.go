package agent

import (
	"context"
	"sort"
	"time"

	"github.com/banlihq/banli/agent/builtin"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/tools"
)

// lookup is the planner's read access, through the same queries the API
// uses, as the actor: the planner never sees what the actor could not read.
type lookup struct {
	b     tools.Backend
	actor domain.Actor
	now   time.Time
}

// visible turns "you may not read that" into "nothing there", so the
// planner behaves as if the record did not exist.
func visible(err error) error {
	switch domain.ErrorCode(err) {
	case domain.EForbidden, domain.ENotFound:
		return nil
	}
	return err
}

func (l lookup) PendingApprovals(ctx context.Context) ([]builtin.PendingItem, error) {
	ps, err := l.b.PendingApprovals(ctx, l.actor)
	if err != nil || len(ps) == 0 {
		return nil, visible(err)
	}
	leave, err := l.b.ListLeave(ctx, l.actor, domain.LeaveFilter{Status: domain.StatusPending, Limit: 500})
	if err != nil {
		return nil, visible(err)
	}
	claims, err := l.b.ListClaims(ctx, l.actor, domain.ClaimFilter{Status: domain.StatusSubmitted, Limit: 500})
	if err != nil {
		return nil, visible(err)
	}
	lr := map[string]domain.LeaveRequest{}
	for _, x := range leave {
		lr[x.ID] = x
	}
	cl := map[string]domain.ExpenseClaim{}
	for _, x := range claims {
		cl[x.ID] = x
	}
	var out []builtin.PendingItem
	for _, p := range ps {
		it := builtin.PendingItem{ID: p.RequestID, Kind: p.Kind, Employee: p.Requester}
		if x, ok := lr[p.RequestID]; ok {
			it.LeaveType, it.Start, it.End = x.LeaveType, x.Start, x.End
		}
		if x, ok := cl[p.RequestID]; ok {
			it.Title, it.Amount, it.Currency = x.Title, x.Total, x.Currency
			for _, i := range x.Items {
				it.Dates = append(it.Dates, i.Date)
			}
		}
		out = append(out, it)
	}
	return out, nil
}

func (l lookup) LeaveRequests(ctx context.Context) ([]builtin.LeaveRef, error) {
	xs, err := l.b.ListLeave(ctx, l.actor, domain.LeaveFilter{Limit: 500})
	if err != nil {
		return nil, visible(err)
	}
	out := make([]builtin.LeaveRef, 0, len(xs))
	for _, x := range xs {
		out = append(out, builtin.LeaveRef{ID: x.ID, Employee: x.Employee, LeaveType: x.LeaveType, Start: x.Start, End: x.End, Status: x.Status})
	}
	return out, nil
}

func (l lookup) Events(ctx context.Context, from, to time.Time) ([]builtin.EventRef, error) {
	xs, err := l.b.ListEvents(ctx, l.actor, "", from, to)
	if err != nil {
		return nil, visible(err)
	}
	out := make([]builtin.EventRef, 0, len(xs))
	for _, x := range xs {
		if x.Status == "cancelled" {
			continue
		}
		out = append(out, builtin.EventRef{ID: x.ID, Title: x.Title, Organizer: x.Organizer, Attendees: x.Attendees, Start: x.Start, End: x.End, Resource: x.Resource})
	}
	return out, nil
}

func (l lookup) Tasks(ctx context.Context) ([]builtin.TaskRef, error) {
	xs, err := l.b.ListTasks(ctx, l.actor, domain.TaskFilter{Limit: 500})
	if err != nil {
		return nil, visible(err)
	}
	out := make([]builtin.TaskRef, 0, len(xs))
	for _, x := range xs {
		out = append(out, builtin.TaskRef{ID: x.ID, Title: x.Title, Assignee: x.Assignee, Creator: x.Creator, Due: x.Due, Status: x.Status, Priority: x.Priority})
	}
	return out, nil
}

func (l lookup) Meetings(ctx context.Context) ([]builtin.MeetingRef, error) {
	ms, ok := l.b.(tools.MeetingSource)
	if !ok {
		return nil, nil
	}
	xs, err := ms.Meetings(ctx, l.actor)
	if err != nil {
		return nil, visible(err)
	}
	out := make([]builtin.MeetingRef, 0, len(xs))
	for _, x := range xs {
		// Titles and participants only: transcripts are content and never
		// reach the planner.
		out = append(out, builtin.MeetingRef{ID: x.ID, Title: x.Title, Date: x.Date, Participants: x.Participants})
	}
	return out, nil
}

func (l lookup) ExpenseClaims(ctx context.Context) ([]builtin.ClaimRef, error) {
	xs, err := l.b.ListClaims(ctx, l.actor, domain.ClaimFilter{Limit: 500})
	if err != nil {
		return nil, visible(err)
	}
	out := make([]builtin.ClaimRef, 0, len(xs))
	for _, x := range xs {
		c := builtin.ClaimRef{ID: x.ID, Employee: x.Employee, Title: x.Title, Status: x.Status}
		for _, i := range x.Items {
			c.Dates = append(c.Dates, i.Date)
		}
		out = append(out, c)
	}
	return out, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Receipt reads an attached receipt's fields, when the backend holds
// receipts; a receipt that cannot be used yet comes back with the reason.
func (l lookup) Receipt(ctx context.Context, id string) (builtin.ReceiptRef, error) {
	rs, ok := l.b.(tools.ReceiptSource)
	if !ok {
		return builtin.ReceiptRef{ID: id, Problem: "receipts are not available here"}, nil
	}
	f, err := rs.ScanReceipt(ctx, l.actor, id)
	switch {
	case err == nil:
	case domain.ErrorCode(err) == domain.EConflict || domain.ErrorCode(err) == domain.ENotFound || domain.ErrorCode(err) == domain.EForbidden:
		return builtin.ReceiptRef{ID: id, Problem: domain.ErrorMessage(err)}, nil
	default:
		return builtin.ReceiptRef{}, err
	}
	return builtin.ReceiptRef{ID: id, Merchant: f.Merchant, Date: f.Date, Total: f.Total, Currency: f.Currency}, nil
}
