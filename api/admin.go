package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

// Verification is the outcome of an audit chain check.
type Verification struct {
	OK bool `json:"ok"`
	postgres.VerifyResult
}

// WebhookBody subscribes an endpoint.
type WebhookBody struct {
	URL    string   `json:"url" format:"uri" maxLength:"2000"`
	Events []string `json:"events,omitempty" doc:"Events to receive; all when empty or [\"*\"]."`
}

// CreatedWebhook is a new webhook with its signing secret, shown only once.
type CreatedWebhook struct {
	postgres.Webhook
	Secret string `json:"secret" doc:"HMAC-SHA256 key for X-Banli-Signature (t=<unix>,v1=<hex of hmac(\"<unix>.<body>\")>). Shown once."`
}

// TokenBody issues an API token.
type TokenBody struct {
	Name     string `json:"name,omitempty" maxLength:"200"`
	Employee string `json:"employee,omitempty" doc:"Whose token; the caller when empty. Administrators may issue tokens for others."`
}

// CreatedToken is a new API token, shown only once.
type CreatedToken struct {
	ID       string `json:"id"`
	Token    string `json:"token" doc:"The bearer token. Shown once; only its hash is stored."`
	Employee string `json:"employee"`
	Name     string `json:"name"`
}

// IntIDPath is a numeric {id} path parameter.
type IntIDPath struct {
	ID int64 `path:"id" minimum:"1"`
}

func (s *server) auditRoutes(a huma.API) {
	tags := []string{"audit"}
	register(s, a, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: "/v1/audit", Summary: "Audit entries, newest first (auditors and administrators)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			Subject string `query:"subject" doc:"e.g. leave:lr-abc; all entries when empty."`
			Limit   int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
		}) (*out[Page[postgres.AuditEntry]], error) {
			limit := in.Limit
			if limit <= 0 {
				limit = 100
			}
			items, err := s.st.ListAudit(ctx, actor, in.Subject, limit)
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, limit, func(e postgres.AuditEntry) string { return strconv.FormatInt(e.Seq, 10) }))
		})
	register(s, a, huma.Operation{OperationID: "verify-audit", Method: http.MethodPost, Path: "/v1/audit/verify", Summary: "Verify the audit hash chain (auditors and administrators)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, _ *struct{}) (*out[Verification], error) {
			res, err := s.st.VerifyAudit(ctx, actor, nil)
			if err != nil {
				return nil, err
			}
			if res.Problems == nil {
				res.Problems = []string{}
			}
			return reply(Verification{OK: res.OK(), VerifyResult: res})
		})
}

func (s *server) inboxRoutes(a huma.API) {
	tags := []string{"inbox"}
	register(s, a, huma.Operation{OperationID: "list-inbox", Method: http.MethodGet, Path: "/v1/inbox", Summary: "The caller's notifications, newest first", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			PageParams
			Unread bool `query:"unread" doc:"Only unread notifications."`
		}) (*out[Page[postgres.Notification]], error) {
			before, err := intCursor(in.After)
			if err != nil {
				return nil, err
			}
			items, err := s.st.Inbox(ctx, actor, in.Unread, before, in.limit()+1)
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, in.limit(), func(n postgres.Notification) string { return strconv.FormatInt(n.ID, 10) }))
		})
	register(s, a, huma.Operation{OperationID: "mark-inbox-read", Method: http.MethodPost, Path: "/v1/inbox/{id}/read", Summary: "Mark a notification read", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IntIDPath) (*struct{}, error) {
			return nil, s.st.MarkRead(ctx, actor, in.ID)
		})
}

func (s *server) webhookRoutes(a huma.API) {
	tags := []string{"webhooks"}
	register(s, a, huma.Operation{OperationID: "create-webhook", Method: http.MethodPost, Path: "/v1/webhooks", Summary: "Subscribe an endpoint to events (administrators)", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body WebhookBody }) (*out[CreatedWebhook], error) {
			w, secret, err := s.st.CreateWebhook(ctx, actor, in.Body.URL, in.Body.Events)
			if err != nil {
				return nil, err
			}
			return reply(CreatedWebhook{Webhook: w, Secret: secret})
		})
	register(s, a, huma.Operation{OperationID: "list-webhooks", Method: http.MethodGet, Path: "/v1/webhooks", Summary: "List webhooks (administrators)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *PageParams) (*out[Page[postgres.Webhook]], error) {
			hooks, err := s.st.ListWebhooks(ctx, actor)
			if err != nil {
				return nil, err
			}
			return reply(sortedPage(hooks, *in, func(w postgres.Webhook) string { return w.ID }))
		})
	register(s, a, huma.Operation{OperationID: "delete-webhook", Method: http.MethodDelete, Path: "/v1/webhooks/{id}", Summary: "Stop deliveries to a webhook (administrators)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*struct{}, error) {
			return nil, s.st.DeactivateWebhook(ctx, actor, in.ID)
		})
	register(s, a, huma.Operation{OperationID: "list-webhook-deliveries", Method: http.MethodGet, Path: "/v1/webhooks/{id}/deliveries", Summary: "A webhook's deliveries with status, attempts and last error (administrators)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *struct {
			IDPath
			PageParams
		}) (*out[Page[postgres.WebhookDelivery]], error) {
			before, err := intCursor(in.After)
			if err != nil {
				return nil, err
			}
			items, err := s.st.WebhookDeliveries(ctx, actor, in.ID, before, in.limit()+1)
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, in.limit(), func(d postgres.WebhookDelivery) string { return strconv.FormatInt(d.ID, 10) }))
		})
}

func (s *server) tokenRoutes(a huma.API) {
	tags := []string{"tokens"}
	register(s, a, huma.Operation{OperationID: "create-token", Method: http.MethodPost, Path: "/v1/tokens", Summary: "Issue an API token", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body TokenBody }) (*out[CreatedToken], error) {
			emp := in.Body.Employee
			if emp == "" {
				emp = actor.EmployeeID
			}
			tok, id, err := s.st.CreateToken(ctx, actor, emp, in.Body.Name)
			if err != nil {
				return nil, err
			}
			return reply(CreatedToken{ID: id, Token: tok, Employee: emp, Name: in.Body.Name})
		})
	register(s, a, huma.Operation{OperationID: "list-tokens", Method: http.MethodGet, Path: "/v1/tokens", Summary: "The caller's API tokens (without secrets)", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *PageParams) (*out[Page[postgres.APIToken]], error) {
			items, err := s.st.ListTokens(ctx, actor)
			if err != nil {
				return nil, err
			}
			return reply(positionalPage(items, *in, func(t postgres.APIToken) string { return t.ID }))
		})
	register(s, a, huma.Operation{OperationID: "revoke-token", Method: http.MethodDelete, Path: "/v1/tokens/{id}", Summary: "Revoke an API token", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*struct{}, error) {
			return nil, s.st.RevokeToken(ctx, actor, in.ID)
		})
}
