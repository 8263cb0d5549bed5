package api

import (
	"bytes"
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

// ClaimBody creates an expense claim.
type ClaimBody struct {
	Title  string     `json:"title,omitempty" maxLength:"200"`
	Items  []ItemBody `json:"items" minItems:"1" maxItems:"200"`
	Submit bool       `json:"submit,omitempty" doc:"Submit for approval at once."`
	Urgent bool       `json:"urgent,omitempty"`
}

// ItemBody is one expense line.
type ItemBody struct {
	Date        string `json:"date" doc:"YYYY-MM-DD"`
	Category    string `json:"category" doc:"meals, transport, travel, lodging, entertainment, office_supplies, training, communication, other"`
	Amount      string `json:"amount" doc:"Decimal amount such as 123.40" example:"123.40"`
	Currency    string `json:"currency,omitempty" doc:"ISO 4217 code; the company currency when empty."`
	Merchant    string `json:"merchant,omitempty" maxLength:"200"`
	Description string `json:"description,omitempty" maxLength:"1000"`
	ReceiptID   string `json:"receipt_id,omitempty"`
	InvoiceNo   string `json:"invoice_no,omitempty"`
}

// CommentBody optionally comments an approval.
type CommentBody struct {
	Comment string `json:"comment,omitempty" maxLength:"2000"`
}

// ReasonBody gives the reason for rejecting or returning a request.
type ReasonBody struct {
	Reason  string `json:"reason,omitempty" maxLength:"2000" doc:"Required: why the request is rejected or returned."`
	Comment string `json:"comment,omitempty" maxLength:"2000" doc:"Accepted as a synonym of reason."`
}

// DelegationBody lets another employee decide the caller's approvals.
type DelegationBody struct {
	Delegate string `json:"delegate" doc:"Employee id."`
	Start    string `json:"start" doc:"YYYY-MM-DD"`
	End      string `json:"end" doc:"YYYY-MM-DD"`
}

// Balances lists leave balances.
type Balances struct {
	Items []domain.LeaveBalance `json:"items" nullable:"false"`
}

// RequestPath is the {request_id} path parameter.
type RequestPath struct {
	RequestID string `path:"request_id" maxLength:"128"`
}

func (s *server) leaveRoutes(a huma.API) {
	tags := []string{"leave"}
	register(s, a, huma.Operation{OperationID: "create-leave-request", Method: http.MethodPost, Path: "/v1/leave-requests", Summary: "Apply for leave", Tags: tags, DefaultStatus: http.StatusCreated,
		Description: "Files a request for the caller (HR may set employee) and routes it for approval."},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body domain.LeaveInput }) (*out[domain.LeaveRequest], error) {
			lr, err := s.st.RequestLeave(ctx, actor, in.Body)
			if err != nil {
				return nil, err
			}
			return reply(lr)
		})
	type listLeave struct {
		PageParams
		Employee string `query:"employee"`
		Status   string `query:"status" enum:"draft,pending,approved,rejected,returned,cancelled,"`
		From     string `query:"from" doc:"Requests ending on or after this date (YYYY-MM-DD)."`
		To       string `query:"to" doc:"Requests starting on or before this date (YYYY-MM-DD)."`
	}
	register(s, a, huma.Operation{OperationID: "list-leave-requests", Method: http.MethodGet, Path: "/v1/leave-requests", Summary: "List visible leave requests", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *listLeave) (*out[Page[domain.LeaveRequest]], error) {
			items, err := s.st.ListLeave(ctx, actor, postgres.LeaveFilter{Employee: in.Employee, Status: in.Status, From: in.From, To: in.To, After: in.After, Limit: in.limit() + 1})
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, in.limit(), func(l domain.LeaveRequest) string { return l.ID }))
		})
	register(s, a, huma.Operation{OperationID: "get-leave-request", Method: http.MethodGet, Path: "/v1/leave-requests/{id}", Summary: "Get a leave request", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.LeaveRequest], error) {
			lr, err := s.st.GetLeave(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(lr)
		})
	register(s, a, huma.Operation{OperationID: "cancel-leave-request", Method: http.MethodPost, Path: "/v1/leave-requests/{id}/cancel", Summary: "Withdraw or cancel a leave request", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.LeaveRequest], error) {
			lr, err := s.st.CancelLeave(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(lr)
		})
	register(s, a, huma.Operation{OperationID: "resubmit-leave-request", Method: http.MethodPost, Path: "/v1/leave-requests/{id}/resubmit", Summary: "Change and resubmit a returned leave request", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			Body domain.LeaveInput
		}) (*out[domain.LeaveRequest], error) {
			lr, err := s.st.ResubmitLeave(ctx, actor, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return reply(lr)
		})
	register(s, a, huma.Operation{OperationID: "list-leave-balances", Method: http.MethodGet, Path: "/v1/leave-balances", Summary: "Leave balances of an employee for a year", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			Employee  string `query:"employee" doc:"Defaults to the caller."`
			LeaveType string `query:"leave_type" doc:"All balance-tracked types when empty."`
			Year      int    `query:"year" minimum:"0" maximum:"9999" doc:"Defaults to this year."`
		}) (*out[Balances], error) {
			bs, err := s.st.LeaveBalances(ctx, actor, in.Employee, in.LeaveType, in.Year)
			if err != nil {
				return nil, err
			}
			if bs == nil {
				bs = []domain.LeaveBalance{}
			}
			return reply(Balances{Items: bs})
		})
}

// csvOut is a CSV download.
type csvOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func (s *server) expenseRoutes(a huma.API) {
	tags := []string{"expenses"}
	register(s, a, huma.Operation{OperationID: "create-expense-claim", Method: http.MethodPost, Path: "/v1/expense-claims", Summary: "Create an expense claim", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body ClaimBody }) (*out[domain.ExpenseClaim], error) {
			ci := domain.ClaimInput{Title: in.Body.Title, Submit: in.Body.Submit, Urgent: in.Body.Urgent}
			for _, it := range in.Body.Items {
				ci.Items = append(ci.Items, domain.ExpenseItem{Date: it.Date, Category: it.Category, Amount: it.Amount, Currency: it.Currency,
					Merchant: it.Merchant, Description: it.Description, ReceiptID: it.ReceiptID, InvoiceNo: it.InvoiceNo})
			}
			c, err := s.st.CreateClaim(ctx, actor, ci)
			if err != nil {
				return nil, err
			}
			return reply(c)
		})
	type listClaims struct {
		PageParams
		Employee string `query:"employee"`
		Status   string `query:"status" enum:"draft,submitted,payable,paid,rejected,returned,cancelled,"`
	}
	register(s, a, huma.Operation{OperationID: "list-expense-claims", Method: http.MethodGet, Path: "/v1/expense-claims", Summary: "List visible expense claims", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *listClaims) (*out[Page[domain.ExpenseClaim]], error) {
			items, err := s.st.ListClaims(ctx, actor, postgres.ClaimFilter{Employee: in.Employee, Status: in.Status, After: in.After, Limit: in.limit() + 1})
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, in.limit(), func(c domain.ExpenseClaim) string { return c.ID }))
		})
	register(s, a, huma.Operation{OperationID: "export-expense-claims", Method: http.MethodGet, Path: "/v1/expense-claims/export.csv", Summary: "Export claims as CSV for accounting (finance)", Tags: tags,
		Responses: map[string]*huma.Response{"200": {Description: "One row per expense item.", Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: "string"}}}}}},
		func(ctx context.Context, actor domain.Actor, in *struct {
			Status string `query:"status" enum:"draft,submitted,payable,paid,rejected,returned,cancelled," doc:"Defaults to payable."`
		}) (*csvOut, error) {
			var buf bytes.Buffer
			if _, err := s.st.ExportClaims(ctx, actor, in.Status, &buf); err != nil {
				return nil, err
			}
			name := in.Status
			if name == "" {
				name = domain.StatusPayable
			}
			return &csvOut{ContentType: "text/csv; charset=utf-8", ContentDisposition: `attachment; filename="claims-` + name + `.csv"`, Body: buf.Bytes()}, nil
		})
	register(s, a, huma.Operation{OperationID: "get-expense-claim", Method: http.MethodGet, Path: "/v1/expense-claims/{id}", Summary: "Get an expense claim", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.ExpenseClaim], error) {
			c, err := s.st.GetClaim(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(c)
		})
	register(s, a, huma.Operation{OperationID: "submit-expense-claim", Method: http.MethodPost, Path: "/v1/expense-claims/{id}/submit", Summary: "Submit a claim for approval", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.ExpenseClaim], error) {
			c, err := s.st.SubmitClaim(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(c)
		})
	register(s, a, huma.Operation{OperationID: "pay-expense-claim", Method: http.MethodPost, Path: "/v1/expense-claims/{id}/pay", Summary: "Record that a payable claim was paid (finance)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.ExpenseClaim], error) {
			c, err := s.st.MarkPaid(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(c)
		})
}

func (s *server) approvalRoutes(a huma.API) {
	tags := []string{"approvals"}
	register(s, a, huma.Operation{OperationID: "list-pending-approvals", Method: http.MethodGet, Path: "/v1/approvals/pending", Summary: "What waits for the caller's decision, oldest deadline first", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *PageParams) (*out[Page[postgres.PendingApproval]], error) {
			items, err := s.st.PendingApprovals(ctx, actor)
			if err != nil {
				return nil, err
			}
			return reply(positionalPage(items, *in, func(p postgres.PendingApproval) string { return p.RequestID }))
		})
	register(s, a, huma.Operation{OperationID: "get-approval", Method: http.MethodGet, Path: "/v1/approvals/{request_id}", Summary: "A request's approval chain", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *RequestPath) (*out[domain.Approval], error) {
			ap, err := s.st.GetApproval(ctx, actor, in.RequestID)
			if err != nil {
				return nil, err
			}
			return reply(ap)
		})
	register(s, a, huma.Operation{OperationID: "approve", Method: http.MethodPost, Path: "/v1/approvals/{request_id}/approve", Summary: "Approve the current step", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			RequestPath
			Body *CommentBody
		}) (*out[domain.Approval], error) {
			var comment string
			if in.Body != nil {
				comment = in.Body.Comment
			}
			ap, err := s.st.Decide(ctx, actor, in.RequestID, domain.DecisionApprove, comment)
			if err != nil {
				return nil, err
			}
			return reply(ap)
		})
	for _, d := range []struct{ decision, summary string }{
		{domain.DecisionReject, "Reject the request (a reason is required)"},
		{domain.DecisionReturn, "Return the request to its requester for changes (a reason is required)"},
	} {
		register(s, a, huma.Operation{OperationID: d.decision, Method: http.MethodPost, Path: "/v1/approvals/{request_id}/" + d.decision, Summary: d.summary, Tags: tags},
			func(ctx context.Context, actor domain.Actor, in *struct {
				RequestPath
				Body *ReasonBody
			}) (*out[domain.Approval], error) {
				var reason string
				if in.Body != nil {
					reason = in.Body.Reason
					if reason == "" {
						reason = in.Body.Comment
					}
				}
				ap, err := s.st.Decide(ctx, actor, in.RequestID, d.decision, reason)
				if err != nil {
					return nil, err
				}
				return reply(ap)
			})
	}
	register(s, a, huma.Operation{OperationID: "create-delegation", Method: http.MethodPost, Path: "/v1/delegations", Summary: "Let another employee decide your approvals between two dates", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body DelegationBody }) (*out[domain.Delegation], error) {
			d, err := s.st.SetDelegate(ctx, actor, in.Body.Delegate, in.Body.Start, in.Body.End)
			if err != nil {
				return nil, err
			}
			return reply(d)
		})
}
