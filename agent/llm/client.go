package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// modelError is a failure to get an answer from the model: the server is
// down, busy, too slow or answers nonsense. It is what the fall-back to the
// built-in planner is for.
type modelError struct{ err error }

func (e *modelError) Error() string { return "model: " + e.err.Error() }
func (e *modelError) Unwrap() error { return e.err }

// answer is one assistant message, from a whole response or accumulated
// from a stream.
type answer struct {
	Content   string
	Refusal   string
	ToolCalls []openai.ToolCall
	Finish    openai.FinishReason
}

// hintKey carries a per-attempt *hint through the request context to the
// HTTP doer, which fills it from the response headers.
type hintKey struct{}

type hint struct{ retryAfter string }

// doer records Retry-After of failed responses, which go-openai's errors do
// not carry.
type doer struct{ next openai.HTTPDoer }

func (d doer) Do(r *http.Request) (*http.Response, error) {
	resp, err := d.next.Do(r)
	if err == nil && resp.StatusCode >= 400 {
		if h, ok := r.Context().Value(hintKey{}).(*hint); ok {
			h.retryAfter = resp.Header.Get("Retry-After")
		}
	}
	return resp, err
}

// complete sends one chat completion request, retrying 429, 5xx and broken
// connections with exponential backoff (Retry-After first), each attempt
// bounded by the configured timeout.
func (p *Planner) complete(ctx context.Context, req openai.ChatCompletionRequest) (answer, error) {
	var last error
	for attempt := 0; ; attempt++ {
		h := &hint{}
		actx, cancel := context.WithTimeout(context.WithValue(ctx, hintKey{}, h), p.cfg.Timeout)
		a, err := p.once(actx, req)
		timedOut := errors.Is(actx.Err(), context.DeadlineExceeded)
		cancel()
		if err == nil {
			return a, nil
		}
		if ctx.Err() != nil {
			return answer{}, ctx.Err()
		}
		if timedOut {
			// A slow model stays slow: no retry, fall back now.
			return answer{}, &modelError{fmt.Errorf("no answer within %s", p.cfg.Timeout)}
		}
		last = err
		if !retryable(err) || attempt >= p.cfg.Retries {
			break
		}
		wait := p.backoff(attempt, h.retryAfter)
		p.log.Warn("model request failed; retrying", "err", err, "attempt", attempt+1, "wait", wait)
		if err := p.sleep(ctx, wait); err != nil {
			return answer{}, err
		}
	}
	return answer{}, &modelError{last}
}

// once sends one request, streamed or not.
func (p *Planner) once(ctx context.Context, req openai.ChatCompletionRequest) (answer, error) {
	if !p.cfg.Stream {
		resp, err := p.client.CreateChatCompletion(ctx, req)
		if err != nil {
			return answer{}, err
		}
		if len(resp.Choices) == 0 {
			return answer{}, errors.New("the response has no choices")
		}
		m := resp.Choices[0].Message
		return answer{Content: m.Content, Refusal: m.Refusal, ToolCalls: m.ToolCalls, Finish: resp.Choices[0].FinishReason}, nil
	}
	stream, err := p.client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return answer{}, err
	}
	defer stream.Close()
	return accumulate(stream.Recv)
}

// accumulate joins a stream's deltas: content and refusal by
// concatenation, tool calls by their index (a name or arguments may be
// split over many chunks; parallel calls interleave).
func accumulate(recv func() (openai.ChatCompletionStreamResponse, error)) (answer, error) {
	var a answer
	var content, refusal strings.Builder
	calls := map[int]*openai.ToolCall{}
	chunks := 0
	for {
		chunk, err := recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return answer{}, err
		}
		chunks++
		if len(chunk.Choices) == 0 {
			continue // e.g. a usage chunk
		}
		ch := chunk.Choices[0]
		content.WriteString(ch.Delta.Content)
		refusal.WriteString(ch.Delta.Refusal)
		for i, d := range ch.Delta.ToolCalls {
			idx := i
			if d.Index != nil {
				idx = *d.Index
			}
			c, ok := calls[idx]
			if !ok {
				c = &openai.ToolCall{Type: openai.ToolTypeFunction}
				calls[idx] = c
			}
			if d.ID != "" {
				c.ID = d.ID
			}
			c.Function.Name += d.Function.Name
			c.Function.Arguments += d.Function.Arguments
		}
		if ch.FinishReason != "" {
			a.Finish = ch.FinishReason
		}
	}
	if chunks == 0 {
		return answer{}, errors.New("the stream ended without any chunk")
	}
	idx := make([]int, 0, len(calls))
	for i := range calls {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		a.ToolCalls = append(a.ToolCalls, *calls[i])
	}
	a.Content, a.Refusal = content.String(), refusal.String()
	return a, nil
}

// status returns the HTTP status of a failed request, or 0.
func status(err error) int {
	var ae *openai.APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatusCode
	}
	var re *openai.RequestError
	if errors.As(err, &re) {
		return re.HTTPStatusCode
	}
	return 0
}

// retryable: rate limits, server errors and connections that broke.
func retryable(err error) bool {
	switch s := status(err); {
	case s == http.StatusTooManyRequests || s >= 500:
		return true
	case s != 0:
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// backoff is the wait before retry number attempt+1: Retry-After when the
// server sent it, else Backoff doubled per attempt; capped at MaxBackoff.
func (p *Planner) backoff(attempt int, retryAfter string) time.Duration {
	d := p.cfg.Backoff << attempt
	if ra := strings.TrimSpace(retryAfter); ra != "" {
		if s, err := strconv.Atoi(ra); err == nil && s >= 0 {
			d = time.Duration(s) * time.Second
		} else if t, err := http.ParseTime(ra); err == nil {
			d = max(time.Until(t), 0)
		}
	}
	if d > p.cfg.MaxBackoff || d < 0 {
		d = p.cfg.MaxBackoff
	}
	return d
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
