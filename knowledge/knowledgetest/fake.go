// Package knowledgetest has test doubles for the servers knowledge search
// talks to and the tests cannot run here: an OpenAI-compatible embeddings
// server and chat server, speaking the real wire format over HTTP.
package knowledgetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/banlihq/banli/knowledge"
)

// EmbeddingRequest is the body of POST /v1/embeddings.
type EmbeddingRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
}

// FakeEmbeddings answers POST /v1/embeddings as an OpenAI-compatible server
// does. Its vectors come from a real embedder (knowledge.Hashed), so that
// search results through it mean something; it returns them in reverse
// order, as servers may, with their indexes.
type FakeEmbeddings struct {
	*httptest.Server
	emb *knowledge.Hashed

	mu       sync.Mutex
	requests []EmbeddingRequest
	status   int // non-zero: answer every request with this status
}

// NewFakeEmbeddings starts a fake embeddings server of dim dimensions,
// closed when t ends.
func NewFakeEmbeddings(t testing.TB, dim int) *FakeEmbeddings {
	f := &FakeEmbeddings{emb: knowledge.NewHashed(dim)}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// URL returns the base URL to configure (up to /v1).
func (f *FakeEmbeddings) URL() string { return f.Server.URL + "/v1" }

// Fail makes every later request fail with status (0 to recover).
func (f *FakeEmbeddings) Fail(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = status
}

// Requests returns the requests received so far.
func (f *FakeEmbeddings) Requests() []EmbeddingRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]EmbeddingRequest(nil), f.requests...)
}

func (f *FakeEmbeddings) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.NotFound(w, r)
		return
	}
	var req EmbeddingRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" || len(req.Input) == 0 {
		apiError(w, http.StatusBadRequest, "invalid request: model and input are required")
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	status := f.status
	f.mu.Unlock()
	if status != 0 {
		apiError(w, status, "the fake embeddings server is failing on purpose")
		return
	}
	vecs, _ := f.emb.Embed(r.Context(), req.Input)
	type item struct {
		Object    string    `json:"object"`
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	}
	data := make([]item, 0, len(vecs))
	for i := len(vecs) - 1; i >= 0; i-- {
		data = append(data, item{Object: "embedding", Index: i, Embedding: vecs[i]})
	}
	writeJSON(w, map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": len(req.Input), "total_tokens": len(req.Input)},
	})
}

// ChatMessage is one message of a chat completion request.
type ChatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is the body of POST /v1/chat/completions.
type ChatRequest struct {
	Model    string        `json:"model"`
	Messages []ChatMessage `json:"messages"`
}

// FakeChat answers POST /v1/chat/completions as an OpenAI-compatible server
// does, with the reply its function composes from the request.
type FakeChat struct {
	*httptest.Server
	reply func(ChatRequest) (string, int)

	mu       sync.Mutex
	requests []ChatRequest
}

// NewFakeChat starts a fake chat server, closed when t ends. reply returns
// the assistant's message, or a non-zero HTTP status to fail with.
func NewFakeChat(t testing.TB, reply func(ChatRequest) (string, int)) *FakeChat {
	f := &FakeChat{reply: reply}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// URL returns the base URL to configure (up to /v1).
func (f *FakeChat) URL() string { return f.Server.URL + "/v1" }

// Requests returns the requests received so far.
func (f *FakeChat) Requests() []ChatRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]ChatRequest(nil), f.requests...)
}

func (f *FakeChat) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	var req ChatRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" || len(req.Messages) == 0 {
		apiError(w, http.StatusBadRequest, "invalid request: model and messages are required")
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	text, status := f.reply(req)
	if status != 0 {
		apiError(w, status, "the fake chat server is failing on purpose")
		return
	}
	writeJSON(w, map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": 1767225600, "model": req.Model,
		"choices": []map[string]any{{"index": 0, "message": map[string]string{"role": "assistant", "content": text}, "finish_reason": "stop"}},
		"usage":   map[string]int{"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
	})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// apiError answers in the OpenAI error format.
func apiError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error", "code": fmt.Sprint(status)}})
}

// Embedder returns an OpenAI embedder on f for model, failing t on error.
func (f *FakeEmbeddings) Embedder(t testing.TB, model string) *knowledge.OpenAI {
	t.Helper()
	e, err := knowledge.NewOpenAI(context.Background(), knowledge.OpenAIConfig{BaseURL: f.URL(), Model: model, APIKey: "test-key"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}
