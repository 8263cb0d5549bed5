// Package retry is the retry policy banli uses with OpenAI-compatible
// servers (chat completions, transcription): which failures are worth
// another attempt, how long to wait (the server's Retry-After first, else
// exponential backoff, always capped), and an HTTP doer that records
// Retry-After, which go-openai's errors do not carry.
package retry

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Status returns the HTTP status and the server's message of a failed
// go-openai request; 0 when the request got no answer.
func Status(err error) (int, string) {
	var ae *openai.APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatusCode, ae.Message
	}
	var re *openai.RequestError
	if errors.As(err, &re) {
		return re.HTTPStatusCode, strings.TrimSpace(string(re.Body))
	}
	return 0, ""
}

// Retryable reports a failure another attempt may get past: a rate limit, a
// server error, or a connection that broke.
func Retryable(err error) bool {
	switch s, _ := Status(err); {
	case s == http.StatusTooManyRequests || s >= 500:
		return true
	case s != 0:
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// Backoff is the wait before retry number attempt+1: retryAfter (seconds or
// an HTTP date) when the server sent it, else base doubled per attempt;
// never more than ceiling.
func Backoff(base, ceiling time.Duration, attempt int, retryAfter string) time.Duration {
	d := base << attempt
	if ra := strings.TrimSpace(retryAfter); ra != "" {
		if s, err := strconv.Atoi(ra); err == nil && s >= 0 {
			d = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			d = max(time.Until(t), 0)
		}
	}
	if d > ceiling || d < 0 {
		d = ceiling
	}
	return d
}

// Sleep waits d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// After receives the Retry-After header of one attempt's failed response.
type After struct{ Value string }

type afterKey struct{}

// WithAfter returns a context for one attempt whose failed response's
// Retry-After the Doer records in the returned *After.
func WithAfter(ctx context.Context) (context.Context, *After) {
	a := &After{}
	return context.WithValue(ctx, afterKey{}, a), a
}

// Doer is an openai.HTTPDoer that records Retry-After (see WithAfter).
type Doer struct{ Next openai.HTTPDoer }

// Do sends r and records the Retry-After of an error response.
func (d Doer) Do(r *http.Request) (*http.Response, error) {
	resp, err := d.Next.Do(r)
	if err == nil && resp.StatusCode >= 400 {
		if a, ok := r.Context().Value(afterKey{}).(*After); ok {
			a.Value = resp.Header.Get("Retry-After")
		}
	}
	return resp, err
}
