package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/agent"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

// ChatBody is one user message to the assistant.
type ChatBody struct {
	ConversationID string   `json:"conversation_id,omitempty" maxLength:"64" doc:"Continue this conversation; omit to start a new one."`
	Message        string   `json:"message" minLength:"1" maxLength:"4000" doc:"What the user said, in any supported language."`
	Attachments    []string `json:"attachments,omitempty" maxItems:"10" doc:"Ids of receipts uploaded with POST /v1/receipts that the message refers to."`
}

// ConfirmBody confirms a proposal exactly as it was shown.
type ConfirmBody struct {
	Digest string `json:"digest" minLength:"64" maxLength:"64" doc:"The digest of the proposal as shown; a different one fails."`
	Code   string `json:"code,omitempty" maxLength:"10" doc:"A one-time code (RFC 6238) for high-risk proposals."`
}

// TOTPBody enrols an authenticator for step-up confirmations.
type TOTPBody struct {
	CurrentCode string `json:"current_code,omitempty" maxLength:"10" doc:"A code of the authenticator already enrolled, required to replace it."`
}

// TOTPEnrolment is a new step-up secret, shown once.
type TOTPEnrolment struct {
	Secret string `json:"secret" doc:"Base32 secret for an authenticator app; it is not shown again."`
	URI    string `json:"uri" doc:"otpauth:// URI (for a QR code)."`
}

// ChatEvent is one server-sent event of POST /v1/chat/stream: "planned"
// (the calls the planner proposed), "result" (a read-only call's answer),
// then "reply" (the whole reply, as POST /v1/chat returns it) or "error"
// (a problem document).
type ChatEvent struct {
	Event string `json:"event" enum:"planned,result,reply,error"`
	Data  any    `json:"data"`
}

// StoredProposal is a proposal as recorded: its status, and its result or
// error once confirmed.
type StoredProposal domain.Proposal

func stored(ps ...domain.Proposal) []StoredProposal {
	out := make([]StoredProposal, len(ps))
	for i, p := range ps {
		out[i] = StoredProposal(p)
	}
	return out
}

// chatRoutes registers the assistant: chat, streaming chat, conversation
// history, and the proposals users confirm or cancel.
func (s *server) chatRoutes(a huma.API) {
	tags := []string{"assistant"}
	register(s, a, huma.Operation{OperationID: "chat", Method: http.MethodPost, Path: "/v1/chat", Summary: "Send a message to the assistant", Tags: tags,
		Description: "Plans the message into tool calls: read-only calls run at once under the caller's permissions; " +
			"changes come back as proposals with a preview and a digest, and happen only when confirmed with POST /v1/proposals/{id}/confirm."},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body ChatBody }) (*out[agent.Reply], error) {
			r, err := s.agent.Converse(ctx, actor, agent.Message{ConversationID: in.Body.ConversationID, Text: in.Body.Message, Attachments: in.Body.Attachments})
			if err != nil {
				return nil, err
			}
			return reply(r)
		})
	register(s, a, huma.Operation{OperationID: "chat-stream", Method: http.MethodPost, Path: "/v1/chat/stream", Summary: "Send a message, streaming the reply as server-sent events", Tags: tags,
		Description: "As POST /v1/chat, answered as `text/event-stream`: `planned` when the planner has proposed its calls, " +
			"`result` for each read-only call as it completes, then `reply` with the whole reply, or `error` with a problem document.",
		Responses: map[string]*huma.Response{"200": {Description: "Server-sent events", Content: map[string]*huma.MediaType{"text/event-stream": {Schema: &huma.Schema{Type: "string"}}}}}},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body ChatBody }) (*huma.StreamResponse, error) {
			return &huma.StreamResponse{Body: func(hc huma.Context) {
				hc.SetHeader("Content-Type", "text/event-stream")
				hc.SetHeader("Cache-Control", "no-store")
				hc.SetStatus(http.StatusOK)
				w := bufio.NewWriter(hc.BodyWriter())
				flusher, _ := hc.BodyWriter().(http.Flusher)
				id := 0
				send := func(event string, data any) {
					b, err := json.Marshal(data)
					if err != nil {
						b = []byte(`{"title":"encoding error"}`)
						event = "error"
					}
					id++
					fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", id, event, b)
					_ = w.Flush()
					if flusher != nil {
						flusher.Flush()
					}
				}
				r, err := s.agent.Converse(ctx, actor, agent.Message{ConversationID: in.Body.ConversationID, Text: in.Body.Message, Attachments: in.Body.Attachments,
					Progress: func(e agent.Event) {
						switch e.Kind {
						case "planned":
							send("planned", map[string]any{"calls": e.Calls, "plan_latency_ms": float64(e.PlanLatency.Microseconds()) / 1000})
						case "result":
							send("result", e.Result)
						}
					}})
				if err != nil {
					send("error", s.problem(ctx, err))
					return
				}
				send("reply", r)
			}}, nil
		})

	type listConversations struct{ PageParams }
	register(s, a, huma.Operation{OperationID: "list-conversations", Method: http.MethodGet, Path: "/v1/conversations", Summary: "List my conversations, most recent first", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *listConversations) (*out[Page[postgres.ConversationSummary]], error) {
			cs, err := s.st.Conversations(ctx, actor, in.After, in.limit())
			if err != nil {
				return nil, err
			}
			return reply(pageOf(cs, in.limit(), postgres.ConversationCursor))
		})
	type listMessages struct {
		ID string `path:"id" maxLength:"64"`
		PageParams
	}
	register(s, a, huma.Operation{OperationID: "list-messages", Method: http.MethodGet, Path: "/v1/conversations/{id}/messages", Summary: "A conversation's messages, oldest first", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *listMessages) (*out[Page[postgres.ChatMessage]], error) {
			var after int64
			if in.After != "" {
				n, err := strconv.ParseInt(in.After, 10, 64)
				if err != nil || n < 0 {
					return nil, domain.Invalid("after", "is not a cursor from this list")
				}
				after = n
			}
			ms, err := s.st.Messages(ctx, actor, in.ID, after, in.limit())
			if err != nil {
				return nil, err
			}
			return reply(pageOf(ms, in.limit(), func(m postgres.ChatMessage) string { return strconv.FormatInt(m.Seq, 10) }))
		})
	type byConversation struct {
		ID string `path:"id" maxLength:"64"`
	}
	register(s, a, huma.Operation{OperationID: "list-conversation-proposals", Method: http.MethodGet, Path: "/v1/conversations/{id}/proposals", Summary: "The proposals made in a conversation", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *byConversation) (*out[Page[StoredProposal]], error) {
			ps, err := s.st.ConversationProposals(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(Page[StoredProposal]{Items: stored(ps...)}) // one page: a conversation's proposals are few
		})

	type byProposal struct {
		ID string `path:"id" maxLength:"64"`
	}
	register(s, a, huma.Operation{OperationID: "get-proposal", Method: http.MethodGet, Path: "/v1/proposals/{id}", Summary: "One of my proposals", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *byProposal) (*out[StoredProposal], error) {
			p, err := s.st.GetProposal(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(StoredProposal(p))
		})
	register(s, a, huma.Operation{OperationID: "confirm-proposal", Method: http.MethodPost, Path: "/v1/proposals/{id}/confirm", Summary: "Confirm a proposal: it executes now, exactly once", Tags: tags,
		Description: "Only the employee the proposal was made for may confirm it, with the digest that was shown, before it expires. " +
			"High-risk proposals also need a one-time code. Confirming an executed proposal again returns its first result."},
		func(ctx context.Context, actor domain.Actor, in *struct {
			ID   string `path:"id" maxLength:"64"`
			Body ConfirmBody
		}) (*out[agent.Outcome], error) {
			o, err := s.agent.Confirm(ctx, actor, in.ID, in.Body.Digest, in.Body.Code)
			if err != nil {
				return nil, err
			}
			return reply(o)
		})
	register(s, a, huma.Operation{OperationID: "cancel-proposal", Method: http.MethodPost, Path: "/v1/proposals/{id}/cancel", Summary: "Cancel a pending proposal", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *byProposal) (*out[StoredProposal], error) {
			if err := s.agent.Cancel(ctx, actor, in.ID); err != nil {
				return nil, err
			}
			p, err := s.st.GetProposal(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(StoredProposal(p))
		})
	register(s, a, huma.Operation{OperationID: "enrol-totp", Method: http.MethodPost, Path: "/v1/me/totp", Summary: "Enrol an authenticator for step-up confirmations", Tags: tags, DefaultStatus: http.StatusCreated},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body TOTPBody }) (*out[TOTPEnrolment], error) {
			secret, err := s.st.EnrollTOTP(ctx, actor, in.Body.CurrentCode)
			if err != nil {
				return nil, err
			}
			return reply(TOTPEnrolment{Secret: secret, URI: "otpauth://totp/banli:" + actor.EmployeeID + "?secret=" + secret + "&issuer=banli&algorithm=SHA1&digits=6&period=30"})
		})
}
