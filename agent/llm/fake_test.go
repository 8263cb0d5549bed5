package llm

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeOpenAI is an httptest server speaking the OpenAI chat completions
// wire format (POST /v1/chat/completions; a JSON response, or server-sent
// events when the request streams), scripted per test: each request gets
// the next step. It decodes requests with its own wire structs, not
// go-openai's, so a test sees what really went over HTTP.
type fakeOpenAI struct {
	t     *testing.T
	srv   *httptest.Server
	mu    sync.Mutex
	steps []step
	reqs  []wireRequest
}

// step answers one request.
type step func(w http.ResponseWriter, r *http.Request, req wireRequest)

// wireRequest is a chat completions request as sent.
type wireRequest struct {
	Header    http.Header `json:"-"`
	Raw       string      `json:"-"`
	Model     string      `json:"model"`
	MaxTokens int         `json:"max_tokens"`
	Stream    bool        `json:"stream"`
	Messages  []struct {
		Role       string         `json:"role"`
		Content    string         `json:"content"`
		ToolCallID string         `json:"tool_call_id"`
		ToolCalls  []wireToolCall `json:"tool_calls"`
	} `json:"messages"`
	Tools []struct {
		Type     string `json:"type"`
		Function struct {
			Name        string         `json:"name"`
			Description string         `json:"description"`
			Parameters  map[string]any `json:"parameters"`
		} `json:"function"`
	} `json:"tools"`
}

type wireToolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

// toolMessage returns the content of the tool message answering callID.
func (r wireRequest) toolMessage(callID string) (string, bool) {
	for _, m := range r.Messages {
		if m.Role == "tool" && m.ToolCallID == callID {
			return m.Content, true
		}
	}
	return "", false
}

func newFakeOpenAI(t *testing.T, steps ...step) *fakeOpenAI {
	f := &fakeOpenAI{t: t, steps: steps}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// url is the base URL a client is configured with.
func (f *fakeOpenAI) url() string { return f.srv.URL + "/v1" }

func (f *fakeOpenAI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		f.t.Errorf("fakeOpenAI: unexpected %s %s", r.Method, r.URL.Path)
		http.Error(w, `{"error":{"message":"not found","type":"invalid_request_error"}}`, http.StatusNotFound)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		f.t.Errorf("fakeOpenAI: content type %q", ct)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("fakeOpenAI: read body: %v", err)
		return
	}
	var req wireRequest
	if err := json.Unmarshal(body, &req); err != nil {
		f.t.Errorf("fakeOpenAI: request is not JSON: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	req.Header, req.Raw = r.Header.Clone(), string(body)
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	var s step
	if len(f.steps) > 0 {
		s, f.steps = f.steps[0], f.steps[1:]
	}
	f.mu.Unlock()
	if s == nil {
		f.t.Errorf("fakeOpenAI: request %d has no scripted answer", len(f.requests()))
		apiError(http.StatusInternalServerError, "")(w, r, req)
		return
	}
	s(w, r, req)
}

// requests returns the requests received so far.
func (f *fakeOpenAI) requests() []wireRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]wireRequest(nil), f.reqs...)
}

// left is the number of scripted steps not used.
func (f *fakeOpenAI) left() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.steps)
}

// call is a tool call the fake model makes.
type call struct{ id, name, args string }

func completion(message map[string]any, finish string) map[string]any {
	return map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": time.Now().Unix(), "model": "test-model",
		"choices": []any{map[string]any{"index": 0, "message": message, "logprobs": nil, "finish_reason": finish}},
		"usage":   map[string]any{"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// toolCalls answers with one or more (parallel) tool calls.
func toolCalls(calls ...call) step {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		var tcs []any
		for _, c := range calls {
			tcs = append(tcs, map[string]any{"id": c.id, "type": "function", "function": map[string]any{"name": c.name, "arguments": c.args}})
		}
		writeJSON(w, completion(map[string]any{"role": "assistant", "content": nil, "tool_calls": tcs}, "tool_calls"))
	}
}

// text answers in words.
func text(s string) step {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		writeJSON(w, completion(map[string]any{"role": "assistant", "content": s}, "stop"))
	}
}

// refusal answers with OpenAI's refusal field.
func refusal(s string) step {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		writeJSON(w, completion(map[string]any{"role": "assistant", "content": nil, "refusal": s}, "stop"))
	}
}

// apiError answers with an HTTP error status and OpenAI's error body.
func apiError(code int, retryAfter string) step {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		kind := "server_error"
		if code == http.StatusTooManyRequests {
			kind = "rate_limit_exceeded"
		}
		fmt.Fprintf(w, `{"error":{"message":"fake %d","type":%q,"param":null,"code":null}}`, code, kind)
	}
}

// hang answers only when the client gives up.
func hang() step {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) { <-r.Context().Done() }
}

// chunk is one streamed delta: content, or a fragment of tool call index.
type chunk struct {
	content string
	index   int
	id      string // set on a tool call's first fragment
	name    string
	args    string
	finish  string
}

// stream answers with server-sent events, one chunk each, then [DONE].
func stream(chunks ...chunk) step {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		fl, _ := w.(http.Flusher)
		send := func(delta map[string]any, finish any) {
			b, _ := json.Marshal(map[string]any{
				"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": time.Now().Unix(), "model": "test-model",
				"choices": []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}},
			})
			fmt.Fprintf(w, "data: %s\n\n", b)
			if fl != nil {
				fl.Flush()
			}
		}
		send(map[string]any{"role": "assistant", "content": ""}, nil)
		for _, c := range chunks {
			switch {
			case c.finish != "":
				send(map[string]any{}, c.finish)
			case c.content != "":
				send(map[string]any{"content": c.content}, nil)
			default:
				tc := map[string]any{"index": c.index, "function": map[string]any{"arguments": c.args}}
				if c.id != "" {
					tc["id"], tc["type"] = c.id, "function"
					tc["function"].(map[string]any)["name"] = c.name
				}
				send(map[string]any{"tool_calls": []any{tc}}, nil)
			}
		}
		fmt.Fprint(w, "data: [DONE]\n\n")
	}
}

// expect runs check on the request before answering with next.
func expect(check func(req wireRequest), next step) step {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		check(req)
		next(w, r, req)
	}
}
