package api_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
)

type chatReply struct {
	ConversationID string   `json:"conversation_id"`
	Lang           string   `json:"lang"`
	Text           string   `json:"text"`
	Clarify        []string `json:"clarify"`
	Proposals      []struct {
		ID      string `json:"id"`
		Tool    string `json:"tool"`
		Digest  string `json:"digest"`
		Preview string `json:"preview"`
	} `json:"proposals"`
}

func (e *env) leaveCount(emp string) int {
	e.t.Helper()
	lrs, err := e.st.ListLeave(context.Background(), domain.Actor{TenantID: e.tid, System: true}, domain.LeaveFilter{Employee: emp, Limit: 500})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(lrs)
}

func TestChatProposeConfirmOverHTTP(t *testing.T) {
	e := newEnv(t, envOpts{})
	before := e.leaveCount("e-103")
	var r chatReply
	e.req("POST", "/v1/chat", "e-103", map[string]any{"message": "我想下個禮拜一至三放年假"}).want(t, 200).json(t, &r)
	if r.ConversationID == "" || len(r.Proposals) != 1 || r.Proposals[0].Tool != "request_leave" || r.Proposals[0].Preview == "" {
		t.Fatalf("reply: %+v", r)
	}
	if n := e.leaveCount("e-103"); n != before {
		t.Fatal("chatting executed the change before confirmation")
	}
	p := r.Proposals[0]
	// Another employee cannot confirm it; a changed digest fails.
	e.req("POST", "/v1/proposals/"+p.ID+"/confirm", "e-104", map[string]any{"digest": p.Digest}).wantProblem(t, 404)
	e.req("POST", "/v1/proposals/"+p.ID+"/confirm", "e-103", map[string]any{"digest": strings.Repeat("0", 64)}).wantProblem(t, 409)
	var o struct {
		Status string `json:"status"`
		Text   string `json:"text"`
	}
	e.req("POST", "/v1/proposals/"+p.ID+"/confirm", "e-103", map[string]any{"digest": p.Digest}).want(t, 200).json(t, &o)
	if o.Status != "executed" || o.Text == "" {
		t.Fatalf("confirm: %+v", o)
	}
	if n := e.leaveCount("e-103"); n != before+1 {
		t.Fatalf("want one new leave request, have %d (had %d)", n, before)
	}
	// A retry replays; nothing runs twice.
	e.req("POST", "/v1/proposals/"+p.ID+"/confirm", "e-103", map[string]any{"digest": p.Digest}).want(t, 200)
	if n := e.leaveCount("e-103"); n != before+1 {
		t.Fatalf("a repeated confirmation executed again: %d", n)
	}
	// The conversation's history: two messages, and the proposal, executed.
	var msgs struct {
		Items []struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"items"`
	}
	e.req("GET", "/v1/conversations/"+r.ConversationID+"/messages", "e-103", nil).want(t, 200).json(t, &msgs)
	if len(msgs.Items) != 2 || msgs.Items[0].Role != "user" || msgs.Items[1].Role != "assistant" {
		t.Fatalf("history: %+v", msgs)
	}
	e.req("GET", "/v1/conversations/"+r.ConversationID+"/messages", "e-104", nil).wantProblem(t, 404)
	var convs struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	e.req("GET", "/v1/conversations", "e-103", nil).want(t, 200).json(t, &convs)
	if len(convs.Items) != 1 || convs.Items[0].ID != r.ConversationID {
		t.Fatalf("conversations: %+v", convs)
	}
	var got struct {
		Status string `json:"status"`
	}
	e.req("GET", "/v1/proposals/"+p.ID, "e-103", nil).want(t, 200).json(t, &got)
	if got.Status != "executed" {
		t.Fatalf("proposal status %q", got.Status)
	}
}

func TestChatCancelAndBadInput(t *testing.T) {
	e := newEnv(t, envOpts{})
	var r chatReply
	e.req("POST", "/v1/chat", "e-103", map[string]any{"message": "Book a meeting with Bonnie tomorrow at 3pm for an hour about the Q4 plan"}).want(t, 200).json(t, &r)
	if len(r.Proposals) != 1 {
		t.Fatalf("reply: %+v", r)
	}
	p := r.Proposals[0]
	e.req("POST", "/v1/proposals/"+p.ID+"/cancel", "e-103", nil).want(t, 200)
	e.req("POST", "/v1/proposals/"+p.ID+"/confirm", "e-103", map[string]any{"digest": p.Digest}).wantProblem(t, 409)

	tests := []struct {
		name   string
		body   any
		status int
	}{
		{"empty message", map[string]any{"message": ""}, 422},
		{"missing message", map[string]any{}, 422},
		{"too long", map[string]any{"message": strings.Repeat("假", 4001)}, 422},
		{"someone else's conversation", map[string]any{"message": "hi", "conversation_id": r.ConversationID}, 404},
		{"not json", "{", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emp := "e-104"
			e.req("POST", "/v1/chat", emp, tt.body).wantProblem(t, tt.status)
		})
	}
	e.req("POST", "/v1/chat", "", map[string]any{"message": "hi"}).wantProblem(t, 401)
}

func TestChatStreamSendsEventsThenTheReply(t *testing.T) {
	e := newEnv(t, envOpts{})
	req, err := http.NewRequest("POST", e.srv.URL+"/v1/chat/stream", strings.NewReader(`{"message":"我仲有幾多日年假？"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token("e-103"))
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, content type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var events []string
	var last string
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if ev, ok := strings.CutPrefix(line, "event: "); ok {
			events = append(events, ev)
		}
		if d, ok := strings.CutPrefix(line, "data: "); ok {
			last = d
		}
	}
	if strings.Join(events, ",") != "planned,result,reply" {
		t.Fatalf("events %v", events)
	}
	if !strings.Contains(last, `"conversation_id"`) || !strings.Contains(last, "年假") {
		t.Fatalf("last event data: %s", last)
	}
}
