// Package agentcases holds the agent eval case format of the shared eval
// contract (evals/FORMAT.md §2): JSONL cases, one a line, each either a single
// utterance with its expectation or a list of turns. It also implements the
// contract's argument normalisation rules for matching proposed tool calls
// against expected ones, and a well-formedness check of a case set against a
// tenant fixture.
package agentcases

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Case is one agent eval case: an actor at a moment in time saying one
// utterance (Utterance + Expect) or holding a conversation (TurnList).
type Case struct {
	ID    string    `json:"id"`
	Lang  string    `json:"lang"`
	Actor string    `json:"actor"`
	Now   time.Time `json:"now"`
	// Utterance and Expect describe a single-turn case.
	Utterance string  `json:"utterance,omitempty"`
	Expect    *Expect `json:"expect,omitempty"`
	// TurnList describes a multi-turn case; the conversation carries over.
	TurnList []Turn `json:"turns,omitempty"`
	// Line is the 1-based line of the case in its source (0 if unknown).
	Line int `json:"-"`
}

// Turn is one user message and what must follow it.
type Turn struct {
	User   string `json:"user"`
	Expect Expect `json:"expect"`
}

// Turns returns the case's conversation: its turns, or its single utterance
// as a one-turn conversation.
func (c Case) Turns() []Turn {
	if len(c.TurnList) > 0 {
		out := make([]Turn, len(c.TurnList))
		copy(out, c.TurnList)
		return out
	}
	if c.Expect == nil {
		return []Turn{{User: c.Utterance}}
	}
	return []Turn{{User: c.Utterance, Expect: *c.Expect}}
}

// Expectation kinds, as reported by Expect.Kind.
const (
	KindCalls   = "calls"
	KindClarify = "clarify"
	KindDenied  = "denied"
	KindAnswer  = "answer_contains"
)

// Expect is what must follow one user message. Exactly which fields were
// given is recorded, so that an explicit empty "calls": [] (no tool call at
// all) differs from an absent one.
type Expect struct {
	// Calls are the tool calls that must be proposed, in order.
	Calls []ExpectedCall `json:"calls,omitempty"`
	// Clarify lists argument names that are missing or ambiguous.
	Clarify []string `json:"clarify,omitempty"`
	// Denied means the actor may not do this; nothing may be executed.
	Denied bool `json:"denied,omitempty"`
	// AnswerContains are strings the reply must contain.
	AnswerContains []string `json:"answer_contains,omitempty"`
	// State maps a fixture collection (e.g. "leave_requests") to records
	// that must exist after the proposed calls are confirmed and executed;
	// each record is a subset of fields.
	State map[string][]map[string]any `json:"state,omitempty"`

	HasCalls, HasClarify, HasDenied, HasAnswer bool `json:"-"`
}

// Kind returns the expectation's kind for reporting: denied, clarify,
// answer_contains or calls, in that order of precedence.
func (e Expect) Kind() string {
	switch {
	case e.HasDenied:
		return KindDenied
	case e.HasClarify:
		return KindClarify
	case e.HasAnswer:
		return KindAnswer
	default:
		return KindCalls
	}
}

// UnmarshalJSON decodes an expectation, keeping numbers exact and noting
// which kinds are present. Unknown keys are ignored.
func (e *Expect) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("expect: %w", err)
	}
	*e = Expect{}
	if v, ok := raw["calls"]; ok {
		e.HasCalls = true
		if err := decodeExact(v, &e.Calls); err != nil {
			return fmt.Errorf("expect.calls: %w", err)
		}
	}
	if v, ok := raw["clarify"]; ok {
		e.HasClarify = true
		if err := json.Unmarshal(v, &e.Clarify); err != nil {
			return fmt.Errorf("expect.clarify: %w", err)
		}
	}
	if v, ok := raw["denied"]; ok {
		e.HasDenied = true
		if err := json.Unmarshal(v, &e.Denied); err != nil {
			return fmt.Errorf("expect.denied: %w", err)
		}
		if !e.Denied {
			return errors.New("expect.denied: only true is meaningful")
		}
	}
	if v, ok := raw["answer_contains"]; ok {
		e.HasAnswer = true
		if err := json.Unmarshal(v, &e.AnswerContains); err != nil {
			return fmt.Errorf("expect.answer_contains: %w", err)
		}
	}
	if v, ok := raw["state"]; ok {
		if err := decodeExact(v, &e.State); err != nil {
			return fmt.Errorf("expect.state: %w", err)
		}
	}
	if !e.HasCalls && !e.HasClarify && !e.HasDenied && !e.HasAnswer {
		return errors.New("expect: needs one of calls, clarify, denied, answer_contains")
	}
	return nil
}

// MarshalJSON encodes the expectation with the keys that were given.
func (e Expect) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	if e.HasCalls || len(e.Calls) > 0 {
		calls := e.Calls
		if calls == nil {
			calls = []ExpectedCall{}
		}
		m["calls"] = calls
	}
	if e.HasClarify || len(e.Clarify) > 0 {
		m["clarify"] = e.Clarify
	}
	if e.HasDenied || e.Denied {
		m["denied"] = e.Denied
	}
	if e.HasAnswer || len(e.AnswerContains) > 0 {
		m["answer_contains"] = e.AnswerContains
	}
	if len(e.State) > 0 {
		m["state"] = e.State
	}
	return json.Marshal(m)
}

// ExpectedCall is a tool call that must be proposed: the tool and a subset
// of its arguments. A key ending in "~" asks for a contains match.
type ExpectedCall struct {
	Tool string         `json:"tool"`
	Args map[string]any `json:"args,omitempty"`
}

// decodeExact decodes JSON keeping numbers as json.Number.
func decodeExact(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// LoadFile reads a JSONL case file.
func LoadFile(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open agent cases: %w", err)
	}
	defer f.Close()
	cs, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cs, nil
}

// Load parses JSONL agent cases, one object a line; blank lines are skipped.
// Errors name the line and, when known, the case id. Unknown keys are ignored.
func Load(r io.Reader) ([]Case, error) {
	br := bufio.NewReader(r)
	var cases []Case
	seen := map[string]int{}
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("line %d: read: %w", line, err)
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			c, perr := parseCase(t)
			if perr != nil {
				if c.ID != "" {
					return nil, fmt.Errorf("line %d (case %s): %w", line, c.ID, perr)
				}
				return nil, fmt.Errorf("line %d: %w", line, perr)
			}
			if first, dup := seen[c.ID]; dup {
				return nil, fmt.Errorf("line %d: duplicate case id %q (first on line %d)", line, c.ID, first)
			}
			seen[c.ID] = line
			c.Line = line
			cases = append(cases, c)
		}
		if errors.Is(err, io.EOF) {
			return cases, nil
		}
	}
}

// parseCase decodes one line; on error the returned case carries the id when
// it could be read.
func parseCase(b []byte) (Case, error) {
	var head struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(b, &head)
	var c Case
	if err := json.Unmarshal(b, &c); err != nil {
		return Case{ID: head.ID}, fmt.Errorf("invalid case JSON: %w", err)
	}
	c.ID = strings.TrimSpace(c.ID)
	var problems []string
	if c.ID == "" {
		problems = append(problems, "missing id")
	}
	if c.Actor == "" {
		problems = append(problems, "missing actor")
	}
	if c.Now.IsZero() {
		problems = append(problems, "missing now")
	}
	single := c.Utterance != "" || c.Expect != nil
	switch {
	case single && len(c.TurnList) > 0:
		problems = append(problems, "has both utterance/expect and turns")
	case single:
		if strings.TrimSpace(c.Utterance) == "" {
			problems = append(problems, "missing utterance")
		}
		if c.Expect == nil {
			problems = append(problems, "missing expect")
		}
	case len(c.TurnList) == 0:
		problems = append(problems, "needs utterance+expect or turns")
	default:
		var raw struct {
			Turns []map[string]json.RawMessage `json:"turns"`
		}
		_ = json.Unmarshal(b, &raw)
		for i, t := range c.TurnList {
			if strings.TrimSpace(t.User) == "" {
				problems = append(problems, fmt.Sprintf("turn %d: missing user", i+1))
			}
			if i < len(raw.Turns) {
				if _, ok := raw.Turns[i]["expect"]; !ok {
					problems = append(problems, fmt.Sprintf("turn %d: missing expect", i+1))
				}
			}
		}
	}
	if len(problems) > 0 {
		return c, errors.New(strings.Join(problems, "; "))
	}
	return c, nil
}
