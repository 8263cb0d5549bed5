// Package authz decides what an employee may do, with Cedar policies over
// roles and relationships (owner, manager chain, approver, delegate). The
// same rules are mirrored as SQL filters for list queries in the store.
package authz

import (
	_ "embed"
	"fmt"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"

	"github.com/banlihq/banli/domain"
)

//go:embed policies.cedar
var policyText []byte

// Actions.
const (
	Read        = "read"
	ReadPrivate = "read_private"
	Create      = "create"
	Update      = "update"
	Cancel      = "cancel"
	Decide      = "decide"
	Export      = "export"
	Pay         = "pay"
	Configure   = "configure"
	ReadAudit   = "read_audit"
	Delete      = "delete"
)

// Resource types.
const (
	TypeLeaveRequest = "LeaveRequest"
	TypeLeaveBalance = "LeaveBalance"
	TypeExpenseClaim = "ExpenseClaim"
	TypeTask         = "Task"
	TypeEvent        = "Event"
	TypeTenant       = "Tenant"
	TypeReceipt      = "Receipt"
	TypeDocument     = "Document"
	TypeMeeting      = "Meeting"
)

// Authorizer evaluates the policies. It is safe for concurrent use.
type Authorizer struct {
	policies *cedar.PolicySet
}

// New parses the embedded policies.
func New() (*Authorizer, error) {
	ps, err := cedar.NewPolicySetFromBytes("policies.cedar", policyText)
	if err != nil {
		return nil, fmt.Errorf("parse policies: %w", err)
	}
	return &Authorizer{policies: ps}, nil
}

// Principal is the acting employee with their roles and manager chain.
type Principal struct {
	TenantID    string
	ID          string
	Roles       []string
	ManagerPath []string
}

// Resource describes the record acted on. Owner is the employee it belongs
// to (requester, assignee, organizer); OwnerPath is the owner's manager chain.
type Resource struct {
	Type      string
	ID        string
	TenantID  string
	Owner     string
	OwnerPath []string
	Creator   string
	Approvers []string // everyone on the approval chain
	Deciders  []string // who may decide the current step now
	Attendees []string
	// Roles restricts a document to readers holding one of them; nil: no
	// restriction attribute, empty: everyone.
	Roles []string
}

func (a *Authorizer) emp(tenant, id string) types.EntityUID {
	return cedar.NewEntityUID("Employee", cedar.String(tenant+"/"+id))
}

func (a *Authorizer) set(tenant string, ids []string) cedar.Set {
	vals := make([]types.Value, 0, len(ids))
	for _, id := range ids {
		vals = append(vals, a.emp(tenant, id))
	}
	return cedar.NewSet(vals...)
}

// Allowed reports whether p may do action on r.
func (a *Authorizer) Allowed(p Principal, action string, r Resource) bool {
	entities := cedar.EntityMap{}
	roles := make([]types.Value, 0, len(p.Roles))
	for _, role := range p.Roles {
		roles = append(roles, cedar.String(role))
	}
	puid := a.emp(p.TenantID, p.ID)
	entities[puid] = cedar.Entity{
		UID:        puid,
		Parents:    a.uidSet(p.TenantID, p.ManagerPath),
		Attributes: cedar.NewRecord(cedar.RecordMap{"tenant": cedar.String(p.TenantID), "roles": cedar.NewSet(roles...)}),
	}
	attrs := cedar.RecordMap{}
	if r.TenantID != "" {
		attrs["tenant"] = cedar.String(r.TenantID)
	}
	if r.Owner != "" {
		ouid := a.emp(r.TenantID, r.Owner)
		attrs["owner"] = ouid
		if ouid != puid {
			entities[ouid] = cedar.Entity{UID: ouid, Parents: a.uidSet(r.TenantID, r.OwnerPath)}
		}
	}
	if r.Creator != "" {
		attrs["creator"] = a.emp(r.TenantID, r.Creator)
	}
	if r.Approvers != nil {
		attrs["approvers"] = a.set(r.TenantID, r.Approvers)
	}
	if r.Deciders != nil {
		attrs["deciders"] = a.set(r.TenantID, r.Deciders)
	}
	if r.Attendees != nil {
		attrs["attendees"] = a.set(r.TenantID, r.Attendees)
	}
	if r.Roles != nil {
		vals := make([]types.Value, 0, len(r.Roles))
		for _, role := range r.Roles {
			vals = append(vals, cedar.String(role))
		}
		attrs["roles"] = cedar.NewSet(vals...)
	}
	ruid := cedar.NewEntityUID(types.EntityType(r.Type), cedar.String(r.TenantID+"/"+r.ID))
	entities[ruid] = cedar.Entity{UID: ruid, Attributes: cedar.NewRecord(attrs)}
	req := cedar.Request{
		Principal: puid,
		Action:    cedar.NewEntityUID("Action", cedar.String(action)),
		Resource:  ruid,
		Context:   cedar.NewRecord(nil),
	}
	d, _ := cedar.Authorize(a.policies, entities, req)
	return d == cedar.Allow
}

func (a *Authorizer) uidSet(tenant string, ids []string) types.EntityUIDSet {
	uids := make([]types.EntityUID, 0, len(ids))
	for _, id := range ids {
		uids = append(uids, a.emp(tenant, id))
	}
	return types.NewEntityUIDSet(uids...)
}

// Check returns a domain EForbidden error when p may not do action on r.
func (a *Authorizer) Check(p Principal, action string, r Resource) error {
	if a.Allowed(p, action, r) {
		return nil
	}
	return domain.Errorf(domain.EForbidden, "you are not allowed to %s this %s", humanAction(action), humanType(r.Type))
}

func humanAction(a string) string {
	switch a {
	case ReadPrivate:
		return "see the private details of"
	case ReadAudit:
		return "read the audit log of"
	}
	return a
}

func humanType(t string) string {
	switch t {
	case TypeLeaveRequest:
		return "leave request"
	case TypeLeaveBalance:
		return "leave balance"
	case TypeExpenseClaim:
		return "expense claim"
	case TypeTask:
		return "task"
	case TypeEvent:
		return "event"
	case TypeTenant:
		return "company"
	case TypeReceipt:
		return "receipt"
	case TypeDocument:
		return "document"
	case TypeMeeting:
		return "meeting"
	}
	return t
}
