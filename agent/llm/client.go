package llm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/banlihq/banli/retry"
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

// complete sends one chat completion request, retrying 429, 5xx and broken
// connections with exponential backoff (Retry-After first), each attempt
// bounded by the configured timeout.
func (p *Planner) complete(ctx context.Context, req openai.ChatCompletionRequest) (answer, error) {
	var last error
	for attempt := 0; ; attempt++ {
		actx, after := retry.WithAfter(ctx)
		actx, cancel := context.WithTimeout(actx, p.cfg.Timeout)
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
		if !retry.Retryable(err) || attempt >= p.cfg.Retries {
			break
		}
		wait := retry.Backoff(p.cfg.Backoff, p.cfg.MaxBackoff, attempt, after.Value)
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
