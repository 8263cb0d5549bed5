package retry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

func TestRetryable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"rate limited", &openai.APIError{HTTPStatusCode: 429}, true},
		{"server error", &openai.RequestError{HTTPStatusCode: 502}, true},
		{"bad request", &openai.APIError{HTTPStatusCode: 400}, false},
		{"unauthorized", &openai.RequestError{HTTPStatusCode: 401}, false},
		{"connection cut", io.ErrUnexpectedEOF, true},
		{"other", errors.New("no"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Retryable(tt.err); got != tt.want {
				t.Fatalf("Retryable(%v) = %v", tt.err, got)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		name       string
		attempt    int
		retryAfter string
		want       time.Duration
	}{
		{"first", 0, "", 500 * time.Millisecond},
		{"doubles", 2, "", 2 * time.Second},
		{"capped", 10, "", 20 * time.Second},
		{"server says seconds", 0, "3", 3 * time.Second},
		{"server asks too much", 0, "3600", 20 * time.Second},
		{"garbage is ignored", 1, "soon", time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Backoff(500*time.Millisecond, 20*time.Second, tt.attempt, tt.retryAfter); got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDoerRecordsRetryAfter(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	ctx, after := WithAfter(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	resp, err := Doer{Next: srv.Client()}.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if after.Value != "7" {
		t.Fatalf("recorded %q", after.Value)
	}
}
