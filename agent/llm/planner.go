// Package llm is banli's model-backed planner: it asks an OpenAI-compatible
// chat completions server (OpenAI, Ollama's /v1, vLLM, llama.cpp server, LM
// Studio) to turn one user message into typed tool calls, with the tool
// catalog as the model's functions.
//
// The model only proposes (DESIGN invariants 2 and 3). Read-only tools run
// at once through Request.Read, as the actor and under the actor's
// permissions, and their results go back to the model as quoted, escaped
// data; mutating calls end the turn and are returned as plan calls, which
// the agent service turns into proposals the user must confirm. Arguments
// are checked against the tool's schema with one repair round; unknown
// tools and ids the actor cannot see are rejected. When the model cannot be
// reached (timeouts, 429 and 5xx after retries with backoff) the built-in
// planner answers and the reply says so.
package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/banlihq/banli/agent/builtin"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/retry"
	"github.com/banlihq/banli/tools"
)

// Fallback plans when the model cannot; the built-in planner satisfies it.
type Fallback interface {
	Plan(ctx context.Context, req builtin.Request) (builtin.Plan, error)
}

// Planner plans with a model. It is safe for concurrent use.
type Planner struct {
	cfg       Config
	client    *openai.Client
	catalog   *tools.Catalog
	defs      []openai.Tool
	fallback  Fallback
	log       *slog.Logger
	sleep     func(ctx context.Context, d time.Duration) error
	fallbacks atomic.Int64
}

// New returns a Planner for cfg. fallback answers when the model cannot be
// reached; with a nil fallback such a turn fails with an error.
func New(cfg Config, fallback Fallback) (*Planner, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	oc.HTTPClient = retry.Doer{Next: hc}
	p := &Planner{cfg: cfg, client: openai.NewClientWithConfig(oc), catalog: tools.NewCatalog(), fallback: fallback, log: cfg.Logger, sleep: retry.Sleep}
	if p.log == nil {
		p.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	defs, err := toolDefs(p.catalog)
	if err != nil {
		return nil, err
	}
	p.defs = defs
	return p, nil
}

// Config returns the planner's configuration, defaults applied.
func (p *Planner) Config() Config { return p.cfg }

// Fallbacks counts the turns the fall-back planner answered because the
// model could not.
func (p *Planner) Fallbacks() int64 { return p.fallbacks.Load() }

// Plan plans one user turn with the model, or with the fall-back when the
// model cannot be reached.
func (p *Planner) Plan(ctx context.Context, req builtin.Request) (builtin.Plan, error) {
	if req.Dir == nil {
		return builtin.Plan{}, builtin.ErrNoDirectory
	}
	if req.Now.IsZero() {
		req.Now = time.Now()
	}
	pl, err := p.plan(ctx, req)
	var me *modelError
	if err == nil || !errors.As(err, &me) || ctx.Err() != nil || p.fallback == nil {
		if err != nil {
			return builtin.Plan{}, fmt.Errorf("llm: %w", err)
		}
		return pl, nil
	}
	p.fallbacks.Add(1)
	p.log.Warn("model unavailable; the built-in planner answers", "err", err)
	fb, ferr := p.fallback.Plan(ctx, req)
	if ferr != nil {
		return builtin.Plan{}, errors.Join(fmt.Errorf("llm: %w", err), ferr)
	}
	note := tools.Say(tools.Lang(fb.Lang),
		"（AI 模型暫時無法使用，以下由內置規劃器處理。）",
		"（AI 模型暂时无法使用，以下由内置规划器处理。）",
		"(The AI model is unavailable right now; the built-in planner handled this.)")
	if fb.Question != "" {
		fb.Question = note + "\n" + fb.Question
	} else {
		fb.Reply = strings.TrimSpace(note + "\n" + fb.Reply)
	}
	return fb, nil
}

// turn is the state of one planning turn.
type turn struct {
	p        *Planner
	req      builtin.Request
	lang     string // detected: zh-Hant, zh-Hans, yue, en
	out      string // rendering language: zh-Hant, zh-Hans, en
	msgs     []openai.ChatCompletionMessage
	reads    []builtin.Call
	readSeen map[string]bool
	repaired bool
	ids      map[string]map[string]bool // lookup kind -> visible ids
}

// plan runs the model loop: read tools loop back, a repair round for bad
// calls, and the first round with mutating calls, a question or a text
// answer ends the turn.
func (p *Planner) plan(ctx context.Context, req builtin.Request) (builtin.Plan, error) {
	t := &turn{p: p, req: req, lang: builtin.DetectLang(req.Utterance), readSeen: map[string]bool{}, ids: map[string]map[string]bool{}}
	t.out = tools.Lang(t.lang)
	t.msgs = append(t.msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleSystem, Content: systemPrompt(req, t.lang, p.catalog)})
	t.msgs = append(t.msgs, history(req.State)...)
	t.msgs = append(t.msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, Content: req.Utterance})
	for round := 0; round < p.cfg.MaxRounds; round++ {
		a, err := p.complete(ctx, openai.ChatCompletionRequest{Model: p.cfg.Model, Messages: t.msgs, Tools: p.defs, MaxTokens: p.cfg.MaxTokens})
		if err != nil {
			return builtin.Plan{}, err
		}
		switch {
		case strings.TrimSpace(a.Refusal) != "":
			return t.finish(builtin.Plan{Reply: strings.TrimSpace(a.Refusal)}), nil
		case a.Finish == openai.FinishReasonContentFilter && len(a.ToolCalls) == 0:
			return t.finish(builtin.Plan{Reply: tools.Say(t.out, "抱歉，這個請求我無法處理。", "抱歉，这个请求我无法处理。", "Sorry, I can't help with that.")}), nil
		case len(a.ToolCalls) == 0:
			text := strings.TrimSpace(a.Content)
			if text == "" {
				return builtin.Plan{}, &modelError{errors.New("an empty answer")}
			}
			// What the model read is shown to the user as the tools render
			// it; the model's words come with it.
			return t.finish(builtin.Plan{Reply: text, Calls: t.reads}), nil
		}
		for i := range a.ToolCalls {
			if a.ToolCalls[i].ID == "" {
				a.ToolCalls[i].ID = fmt.Sprintf("call_%d_%d", round, i)
			}
			a.ToolCalls[i].Type = openai.ToolTypeFunction
		}
		t.msgs = append(t.msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: a.Content, ToolCalls: a.ToolCalls})
		r, err := t.review(ctx, a.ToolCalls)
		if err != nil {
			return builtin.Plan{}, err
		}
		if r.ask != nil {
			return t.finish(*r.ask), nil
		}
		if len(r.problems) > 0 && !t.repaired {
			// One repair round: every call's outcome went back as a tool
			// message; ask for the whole corrected set.
			t.repaired = true
			t.msgs = append(t.msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser,
				Content: "Some of your tool calls were rejected (see the tool results). Send the complete corrected set of calls, or ask_user if a detail is missing."})
			continue
		}
		if len(r.proposals) > 0 {
			return t.propose(ctx, r)
		}
		if len(r.problems) > 0 {
			return t.unresolved(r.problems), nil
		}
		// Only reads: their results are in the messages; ask again.
	}
	return t.finish(builtin.Plan{Reply: tools.Say(t.out, "抱歉，我未能完成這個請求，請再說清楚一點。", "抱歉，我未能完成这个请求，请再说清楚一点。", "Sorry, I could not finish that; please say it more precisely."), Calls: t.reads}), nil
}

// history renders the previous turns of the conversation from the state:
// the user's earlier messages, then what was asked or proposed. Roles
// alternate, which strict chat templates require.
func history(st *builtin.State) []openai.ChatCompletionMessage {
	if st == nil || len(st.Texts) == 0 {
		return nil
	}
	texts := st.Texts
	if len(texts) > 6 {
		texts = texts[len(texts)-6:]
	}
	var b strings.Builder
	for i, s := range texts {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(s)
	}
	var said string
	switch {
	case st.Pending:
		said = "(I asked the user for missing details"
		if st.Intent != "" {
			said += " for " + st.Intent
		}
		said += ".)"
	case st.Intent != "":
		args, _ := json.Marshal(st.Args)
		said = fmt.Sprintf("(I proposed %s %s; the user decides whether to confirm it. A correction replaces it.)", st.Intent, args)
	default:
		said = "(I answered.)"
	}
	return []openai.ChatCompletionMessage{
		{Role: openai.ChatMessageRoleUser, Content: b.String()},
		{Role: openai.ChatMessageRoleAssistant, Content: said},
	}
}

// finish sets the language and the state carried to the next turn.
func (t *turn) finish(pl builtin.Plan) builtin.Plan {
	pl.Lang = t.lang
	var texts []string
	if t.req.State != nil {
		texts = append(texts, t.req.State.Texts...)
	}
	texts = append(texts, t.req.Utterance)
	if len(texts) > 6 {
		texts = texts[len(texts)-6:]
	}
	st := builtin.State{Texts: texts, Pending: pl.Question != "", Intent: pl.State.Intent}
	for _, c := range pl.Calls {
		if builtin.Mutating(c.Tool) {
			st.Intent, st.Args = c.Tool, c.Args
			break
		}
	}
	if st.Pending && st.Intent == "" && t.req.State != nil {
		st.Intent = t.req.State.Intent
	}
	pl.State = st
	return pl
}

// reviewed is the outcome of one round of tool calls.
type reviewed struct {
	proposals []builtin.Call
	problems  []problem
	ask       *builtin.Plan
}

// problem is a call that was rejected: an unknown tool, arguments that are
// not JSON or do not validate.
type problem struct {
	tool    string
	unknown bool
	err     error
}

// review checks each call of one answer, runs the read-only ones through
// Request.Read and appends one tool message per call.
func (t *turn) review(ctx context.Context, calls []openai.ToolCall) (reviewed, error) {
	var r reviewed
	reply := func(c openai.ToolCall, content string) {
		t.msgs = append(t.msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleTool, ToolCallID: c.ID, Content: content})
	}
	var valid []openai.ToolCall // mutating calls that passed, answered after the loop
	for _, c := range calls {
		name := strings.TrimSpace(c.Function.Name)
		args, perr := parseArgs(c.Function.Arguments)
		if name == askUser {
			if perr != nil {
				args = map[string]any{}
			}
			r.ask = t.question(args)
			reply(c, "asked")
			continue
		}
		tool, ok := t.p.catalog.Tool(name)
		if !ok {
			r.problems = append(r.problems, problem{tool: name, unknown: true})
			reply(c, fmt.Sprintf("rejected: there is no tool %q; use only the tools provided", name))
			continue
		}
		if perr != nil {
			r.problems = append(r.problems, problem{tool: name, err: perr})
			reply(c, "rejected: the arguments are not a JSON object: "+perr.Error())
			continue
		}
		if t.req.Check != nil {
			if err := t.req.Check(name, args); err != nil {
				r.problems = append(r.problems, problem{tool: name, err: err})
				reply(c, "rejected: invalid arguments: "+fieldErrors(err))
				continue
			}
		}
		if tool.Mutating {
			r.proposals = append(r.proposals, builtin.Call{Tool: name, Args: args})
			valid = append(valid, c)
			continue
		}
		out, err := t.read(ctx, name, args)
		if err != nil {
			return r, err
		}
		reply(c, out)
	}
	for _, c := range valid {
		if len(r.problems) > 0 && !t.repaired {
			reply(c, "valid, but not proposed yet because other calls were rejected: include it again with the corrected calls")
		} else {
			reply(c, "recorded as a proposal for the user to confirm")
		}
	}
	return r, nil
}

// read runs one read-only call and quotes its result or its refusal as
// data. Refusals (forbidden, not found, invalid) go back to the model;
// anything else is a failure of the turn.
func (t *turn) read(ctx context.Context, name string, args map[string]any) (string, error) {
	key := name + string(mustJSON(args))
	if !t.readSeen[key] {
		t.readSeen[key] = true
		t.reads = append(t.reads, builtin.Call{Tool: name, Args: args})
	}
	if t.req.Read == nil {
		return wrap("tool:"+name, "error: reading is not available here", 0), nil
	}
	out, err := t.req.Read(ctx, name, args)
	if err != nil {
		var de *domain.Error
		if !errors.As(err, &de) || de.Code == domain.EInternal {
			return "", fmt.Errorf("read %s: %w", name, err)
		}
		return wrap("tool:"+name, "error ("+string(de.Code)+"): "+de.Message, 0), nil
	}
	return wrap("tool:"+name, out, t.p.cfg.MaxDataChars), nil
}

// question turns an ask_user call into a clarifying question.
func (t *turn) question(args map[string]any) *builtin.Plan {
	q, _ := args["question"].(string)
	q = strings.TrimSpace(q)
	if q == "" {
		q = tools.Say(t.out, "可以再說詳細一點嗎？", "可以再说详细一点吗？", "Could you tell me more?")
	}
	var missing []string
	if xs, ok := args["missing"].([]any); ok {
		for _, x := range xs {
			if s, ok := x.(string); ok && strings.TrimSpace(s) != "" {
				missing = append(missing, strings.TrimSpace(s))
			}
		}
	}
	pl := builtin.Plan{Question: q, Clarify: missing}
	if tool, _ := args["tool"].(string); builtin.Mutating(tool) {
		pl.State.Intent = tool
	}
	return &pl
}

// propose ends the turn with the mutating calls that name only records the
// actor can see; the others are refused in the reply.
func (t *turn) propose(ctx context.Context, r reviewed) (builtin.Plan, error) {
	var calls []builtin.Call
	var notes []string
	for _, c := range r.proposals {
		why, err := t.checkIDs(ctx, c)
		if err != nil {
			return builtin.Plan{}, err
		}
		if why != "" {
			notes = append(notes, why)
			continue
		}
		calls = append(calls, c)
	}
	for _, pr := range r.problems {
		notes = append(notes, t.rejection(pr))
	}
	return t.finish(builtin.Plan{Calls: calls, Reply: strings.Join(notes, "\n")}), nil
}

// unresolved ends a turn whose calls were still invalid after the repair
// round: a question about the invalid arguments, or a refusal.
func (t *turn) unresolved(ps []problem) builtin.Plan {
	var fields []string
	var notes []string
	for _, pr := range ps {
		var de *domain.Error
		if pr.err != nil && errors.As(pr.err, &de) && len(de.Fields) > 0 {
			for _, f := range de.Fields {
				name := f.Field
				if i := strings.IndexAny(name, "[."); i > 0 {
					name = name[:i]
				}
				if !slices.Contains(fields, name) {
					fields = append(fields, name)
				}
			}
			continue
		}
		notes = append(notes, t.rejection(pr))
	}
	if len(fields) > 0 {
		q := tools.Say(t.out, "請提供或更正：", "请提供或更正：", "Please give or correct: ") + strings.Join(fields, ", ")
		return t.finish(builtin.Plan{Clarify: fields, Question: strings.Join(append(notes, q), "\n")})
	}
	return t.finish(builtin.Plan{Reply: strings.Join(notes, "\n")})
}

// rejection tells the user about a call that was not accepted.
func (t *turn) rejection(pr problem) string {
	if pr.unknown {
		return tools.Say(t.out, "已拒絕：模型要求了不存在的工具「", "已拒绝：模型要求了不存在的工具「", "Rejected: the model asked for a tool that does not exist, \"") +
			pr.tool + tools.Say(t.out, "」，沒有執行任何操作。", "」，没有执行任何操作。", "\"; nothing was run.")
	}
	return tools.Say(t.out, "已拒絕 ", "已拒绝 ", "Rejected ") + pr.tool + tools.Say(t.out, "：參數無效（", "：参数无效（", ": invalid arguments (") +
		fieldErrors(pr.err) + tools.Say(t.out, "），沒有執行任何操作。", "），没有执行任何操作。", "); nothing was run.")
}

// idField names, for a mutating tool, the argument holding a record id and
// the lookup listing the records the actor may act on.
func idField(tool string) (field, kind string, ok bool) {
	switch tool {
	case tools.Approve, tools.Reject, tools.ReturnForChanges:
		return "request_id", "pending", true
	case tools.CancelLeave:
		return "request_id", "leave", true
	case tools.SubmitExpenseClaim:
		return "claim_id", "claim", true
	case tools.UpdateTask:
		return "task_id", "task", true
	case tools.RescheduleEvent, tools.CancelEvent:
		return "event_id", "event", true
	case tools.CreateTasksFromMeeting:
		return "meeting_id", "meeting", true
	}
	return "", "", false
}

// checkIDs rejects a call whose record id is not among those the actor can
// see (an invented id, or someone else's request to decide). Employee,
// room and department ids were checked against the directory by Check.
func (t *turn) checkIDs(ctx context.Context, c builtin.Call) (string, error) {
	field, kind, ok := idField(c.Tool)
	if !ok {
		return "", nil
	}
	id, _ := c.Args[field].(string)
	if id == "" {
		return "", nil // Check already required it
	}
	seen, err := t.visible(ctx, kind)
	if err != nil {
		return "", err
	}
	if seen[id] {
		return "", nil
	}
	if kind == "pending" {
		return tools.Say(t.out, "抱歉，", "抱歉，", "Sorry, ") + id + tools.Say(t.out, " 並非等待你審批的申請，沒有執行任何操作。", " 并非等待你审批的申请，没有执行任何操作。", " is not waiting for your decision; nothing was done."), nil
	}
	return tools.Say(t.out, "抱歉，找不到或無權查看 ", "抱歉，找不到或无权查看 ", "Sorry, not found or not visible to you: ") + id + tools.Say(t.out, "，沒有執行任何操作。", "，没有执行任何操作。", "; nothing was done."), nil
}

// visible lists the ids of one kind of record the actor can see, through
// the request's Lookup (already filtered by the actor's permissions).
func (t *turn) visible(ctx context.Context, kind string) (map[string]bool, error) {
	if m, ok := t.ids[kind]; ok {
		return m, nil
	}
	m := map[string]bool{}
	l := t.req.Lookup
	if l == nil {
		t.ids[kind] = m
		return m, nil
	}
	var err error
	switch kind {
	case "pending":
		var xs []builtin.PendingItem
		if xs, err = l.PendingApprovals(ctx); err == nil {
			for _, x := range xs {
				m[x.ID] = true
			}
		}
	case "leave":
		var xs []builtin.LeaveRef
		if xs, err = l.LeaveRequests(ctx); err == nil {
			for _, x := range xs {
				m[x.ID] = true
			}
		}
	case "claim":
		var xs []builtin.ClaimRef
		if xs, err = l.ExpenseClaims(ctx); err == nil {
			for _, x := range xs {
				m[x.ID] = true
			}
		}
	case "task":
		var xs []builtin.TaskRef
		if xs, err = l.Tasks(ctx); err == nil {
			for _, x := range xs {
				m[x.ID] = true
			}
		}
	case "event":
		var xs []builtin.EventRef
		// A wide window: recurring and far-off events are rare targets.
		if xs, err = l.Events(ctx, t.req.Now.AddDate(-1, 0, 0), t.req.Now.AddDate(2, 0, 0)); err == nil {
			for _, x := range xs {
				m[x.ID] = true
			}
		}
	case "meeting":
		var xs []builtin.MeetingRef
		if xs, err = l.Meetings(ctx); err == nil {
			for _, x := range xs {
				m[x.ID] = true
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("look up %s ids: %w", kind, err)
	}
	t.ids[kind] = m
	return m, nil
}

// parseArgs decodes a call's arguments; empty means none.
func parseArgs(s string) (map[string]any, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return map[string]any{}, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	if m == nil {
		m = map[string]any{}
	}
	return m, nil
}

// fieldErrors renders a validation error with every field.
func fieldErrors(err error) string {
	var de *domain.Error
	if !errors.As(err, &de) {
		return err.Error()
	}
	if len(de.Fields) == 0 {
		return de.Message
	}
	var parts []string
	for _, f := range de.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(fmt.Sprint(v))
	}
	return b
}
