// Package agent runs conversations: a planner proposes typed tool calls from
// the user's words, read-only calls run at once under the actor's
// permissions, and mutating calls become proposals bound to the actor, the
// tool and the digest of the canonical arguments. A proposal executes once,
// only when its actor confirms it, through the domain commands that
// authorize again at execution time (DESIGN invariants 2 and 3).
package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/banlihq/banli/agent/builtin"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/tools"
)

// Store is what the agent needs from the store: the tools' backend, the
// tenant settings and the conversation and proposal commands.
type Store interface {
	tools.Backend
	Settings(ctx context.Context, actor domain.Actor) (domain.Tenant, error)
	OpenConversation(ctx context.Context, actor domain.Actor, id string) (domain.Conversation, error)
	RecordTurn(ctx context.Context, actor domain.Actor, conversation string, t domain.Turn) ([]domain.Proposal, error)
	ClaimProposal(ctx context.Context, actor domain.Actor, id, digest, code string) (domain.Proposal, error)
	FinishProposal(ctx context.Context, actor domain.Actor, id string, result []byte, execErr string) (domain.Proposal, error)
	CancelProposal(ctx context.Context, actor domain.Actor, id string) (domain.Proposal, error)
	FailProposal(ctx context.Context, actor domain.Actor, id, reason string) (domain.Proposal, error)
	// Atomically runs fn so that the store commands it calls commit
	// together or not at all.
	Atomically(ctx context.Context, fn func(ctx context.Context) error) error
}

// Planner proposes tool calls for one user turn. It sees only the user's
// words, the directory and what the actor may read through the Lookup.
type Planner interface {
	Plan(ctx context.Context, req builtin.Request) (builtin.Plan, error)
}

// Options configure a Service.
type Options struct {
	// Planner defaults to the built-in offline planner.
	Planner Planner
	// Backend runs the tools; it defaults to the store. A backend may add
	// meeting, knowledge or receipt sources (see tools.MeetingSource).
	Backend tools.Backend
	// Now is the clock; it defaults to time.Now.
	Now func() time.Time
}

// Service is the agent. It holds no per-conversation state: conversations
// and proposals live in the store.
type Service struct {
	store   Store
	backend tools.Backend
	planner Planner
	catalog *tools.Catalog
	now     func() time.Time
}

// New returns a Service over store.
func New(store Store, opts Options) *Service {
	s := &Service{store: store, backend: opts.Backend, planner: opts.Planner, catalog: tools.NewCatalog(), now: opts.Now}
	if s.backend == nil {
		s.backend = store
	}
	if s.planner == nil {
		s.planner = builtin.New()
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Catalog returns the tool catalog the service uses.
func (s *Service) Catalog() *tools.Catalog { return s.catalog }

// Proposal is a proposed mutating call as shown to the user.
type Proposal struct {
	ID        string          `json:"id"`
	Tool      string          `json:"tool"`
	Args      json.RawMessage `json:"args"`
	Digest    string          `json:"digest"`
	Preview   string          `json:"preview"`
	Risk      string          `json:"risk"`
	ExpiresAt time.Time       `json:"expires_at"`
}

// CallResult is the outcome of a read-only call run at once, or of a call
// that was refused before it could become a proposal.
type CallResult struct {
	Tool  string         `json:"tool"`
	Args  map[string]any `json:"args,omitempty"`
	Text  string         `json:"text,omitempty"`
	Data  any            `json:"data,omitempty"`
	Error string         `json:"error,omitempty"`
	Code  domain.Code    `json:"code,omitempty"`
}

// Reply is the assistant's answer to one user message.
type Reply struct {
	ConversationID string          `json:"conversation_id"`
	Lang           string          `json:"lang"`
	Text           string          `json:"text"`
	Clarify        []string        `json:"clarify,omitempty"`
	Proposals      []Proposal      `json:"proposals,omitempty"`
	Results        []CallResult    `json:"results,omitempty"`
	Calls          []builtin.Call  `json:"calls,omitempty"` // what the planner proposed
	PlanLatency    time.Duration   `json:"plan_latency"`
	State          json.RawMessage `json:"-"`
}

// Refused reports whether any call of the reply was refused for lack of
// permission or because the record is not visible to the actor.
func (r Reply) Refused() bool {
	for _, c := range r.Results {
		if c.Code == domain.EForbidden || c.Code == domain.ENotFound || c.Code == domain.EUnauthorized {
			return true
		}
	}
	return false
}

// env loads what tools need to validate, preview and render.
func (s *Service) env(ctx context.Context, actor domain.Actor) (*tools.Env, domain.Tenant, error) {
	t, err := s.store.Settings(ctx, actor)
	if err != nil {
		return nil, t, fmt.Errorf("agent: settings: %w", err)
	}
	emps, depts, res, err := s.store.Directory(ctx, actor)
	if err != nil {
		return nil, t, fmt.Errorf("agent: directory: %w", err)
	}
	return tools.NewEnv(s.now(), t.Settings, actor.EmployeeID, emps, depts, res), t, nil
}

func directory(e *tools.Env) *people.Directory {
	var emps []people.Employee
	for _, id := range sortedKeys(e.Employees) {
		x := e.Employees[id]
		if !x.Active {
			continue
		}
		emps = append(emps, people.Employee{ID: x.ID, Name: x.Name, NameEn: x.NameEn, Aliases: x.Aliases, Email: x.Email, Department: x.Department, Manager: x.Manager, Title: x.Title})
	}
	var depts []people.Department
	for _, id := range sortedKeys(e.Departments) {
		d := e.Departments[id]
		depts = append(depts, people.Department{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Head: d.Head})
	}
	var res []people.Resource
	for _, id := range sortedKeys(e.Resources) {
		r := e.Resources[id]
		res = append(res, people.Resource{ID: r.ID, Name: r.Name, NameEn: r.NameEn, Kind: r.Kind, Capacity: r.Capacity})
	}
	return people.New(emps, depts, res)
}

// Chat plans one user message in a conversation (a new one when
// conversationID is empty), runs its read-only calls, turns its mutating
// calls into proposals and returns the reply. Only the user's message
// reaches the planner as instructions; a model-backed planner may run
// read-only tools as the actor (Request.Read) and gets their results as
// quoted data only.
func (s *Service) Chat(ctx context.Context, actor domain.Actor, conversationID, message string) (Reply, error) {
	return s.Converse(ctx, actor, Message{ConversationID: conversationID, Text: message})
}

// Message is one user message with what came with it.
type Message struct {
	// ConversationID continues a conversation; empty starts a new one.
	ConversationID string
	Text           string
	// Attachments are ids of receipts the user uploaded with the message
	// ("claim this receipt").
	Attachments []string
	// Via is how the message arrived (chat by default, voice).
	Via domain.Via
	// Progress, when set, receives the parts of the reply as they are
	// known: the planner's calls, then each read-only result.
	Progress func(Event)
}

// Event is a part of a reply in the making (see Message.Progress).
type Event struct {
	// Kind is "planned" (Calls and PlanLatency set) or "result" (Result set).
	Kind        string         `json:"kind"`
	Calls       []builtin.Call `json:"calls,omitempty"`
	PlanLatency time.Duration  `json:"plan_latency,omitempty"`
	Result      *CallResult    `json:"result,omitempty"`
}

func (m Message) emit(e Event) {
	if m.Progress != nil {
		m.Progress(e)
	}
}

// Converse is Chat with attachments, a channel and progress events.
func (s *Service) Converse(ctx context.Context, actor domain.Actor, m Message) (Reply, error) {
	actor.Via = domain.ViaChat
	if m.Via != "" {
		actor.Via = m.Via
	}
	message := m.Text
	conv, err := s.store.OpenConversation(ctx, actor, m.ConversationID)
	if err != nil {
		return Reply{}, fmt.Errorf("agent: conversation: %w", err)
	}
	env, tenant, err := s.env(ctx, actor)
	if err != nil {
		return Reply{}, err
	}
	var state *builtin.State
	if len(conv.State) > 0 && string(conv.State) != "{}" {
		state = new(builtin.State)
		if err := json.Unmarshal(conv.State, state); err != nil {
			return Reply{}, fmt.Errorf("agent: conversation state: %w", err)
		}
	}
	req := builtin.Request{Utterance: message, Now: env.Now, Locale: tenant.Settings.Locale, Currency: tenant.Settings.Currency,
		Actor: actor.EmployeeID, Dir: directory(env), Lookup: lookup{b: s.backend, actor: actor, now: env.Now}, State: state, Attachments: m.Attachments,
		Check: s.planCheck(env), Read: s.planRead(actor, env)}
	t0 := time.Now()
	plan, err := s.planner.Plan(ctx, req)
	latency := time.Since(t0)
	if err != nil {
		return Reply{}, fmt.Errorf("agent: plan: %w", err)
	}
	lang := tools.Lang(plan.Lang)
	reply := Reply{ConversationID: conv.ID, Lang: plan.Lang, Clarify: plan.Clarify, Calls: plan.Calls, PlanLatency: latency}
	m.emit(Event{Kind: "planned", Calls: plan.Calls, PlanLatency: latency})
	var texts []string
	var inputs []domain.ProposalInput
	for _, c := range plan.Calls {
		tool, ok := s.catalog.Tool(c.Tool)
		if !ok {
			reply.Results = append(reply.Results, CallResult{Tool: c.Tool, Args: c.Args, Error: "unknown tool", Code: domain.EInvalid})
			continue
		}
		args, err := tool.Decode(env, normalise(c.Args))
		if err != nil {
			r := failed(c, err)
			reply.Results = append(reply.Results, r)
			texts = append(texts, refusal(lang, r))
			continue
		}
		if tool.Mutating {
			// What the proposal shows and binds (the tasks of a meeting).
			if err := tool.Prepare(ctx, s.backend, actor, env, args); err != nil {
				r := failed(c, err)
				reply.Results = append(reply.Results, r)
				texts = append(texts, refusal(lang, r))
				continue
			}
			if r, err := s.rehearse(ctx, tool, actor, env, args); err != nil {
				return Reply{}, err
			} else if r != nil {
				r.Tool, r.Args = c.Tool, c.Args
				reply.Results = append(reply.Results, *r)
				texts = append(texts, refusal(lang, *r))
				continue
			}
			canon, err := tools.Canonical(args)
			if err != nil {
				return Reply{}, fmt.Errorf("agent: %w", err)
			}
			inputs = append(inputs, domain.ProposalInput{Tool: tool.Name, Args: canon, Digest: tools.Digest(tool.Name, canon),
				Preview: tool.Preview(env, lang, args), Risk: string(tool.Risk)})
			continue
		}
		res, err := tool.Execute(ctx, s.backend, actor, env, lang, args)
		if err != nil {
			r := failed(c, err)
			reply.Results = append(reply.Results, r)
			texts = append(texts, refusal(lang, r))
			continue
		}
		r := CallResult{Tool: c.Tool, Args: c.Args, Text: res.Text, Data: res.Data}
		reply.Results = append(reply.Results, r)
		m.emit(Event{Kind: "result", Result: &r})
		texts = append(texts, res.Text)
	}
	switch {
	case plan.Question != "":
		texts = append(texts, plan.Question)
	case plan.Reply != "": // with calls too: a planner's note (a fall-back, a refused call)
		texts = append(texts, plan.Reply)
	}
	if len(inputs) > 0 {
		texts = append(texts, tools.Say(lang, "請確認以下操作：", "请确认以下操作：", "Please confirm:"))
		for _, in := range inputs {
			texts = append(texts, "• "+in.Preview)
		}
	}
	reply.Text = strings.Join(texts, "\n")
	st, err := json.Marshal(plan.State)
	if err != nil {
		return Reply{}, fmt.Errorf("agent: state: %w", err)
	}
	reply.State = st
	ps, err := s.store.RecordTurn(ctx, actor, conv.ID, domain.Turn{User: message, Reply: reply.Text, Lang: plan.Lang, State: st, Proposals: inputs})
	if err != nil {
		return Reply{}, fmt.Errorf("agent: record turn: %w", err)
	}
	for _, p := range ps {
		reply.Proposals = append(reply.Proposals, Proposal{ID: p.ID, Tool: p.Tool, Args: p.Args, Digest: p.Digest, Preview: p.Preview, Risk: p.Risk, ExpiresAt: p.ExpiresAt})
	}
	return reply, nil
}

// rehearse runs a mutating call in a transaction that is rolled back, when
// the backend can, so a call the actor may not make, or one the domain would
// refuse (a double booking, too few days left), is refused now instead of
// being proposed. It returns the refusal, or nil when the call would
// succeed. Execution after confirmation authorizes and validates again.
func (s *Service) rehearse(ctx context.Context, tool tools.Tool, actor domain.Actor, env *tools.Env, args tools.Args) (*CallResult, error) {
	r, ok := s.backend.(tools.Rehearser)
	if !ok {
		return nil, nil
	}
	err := r.Rehearse(ctx, func(ctx context.Context) error {
		_, err := tool.Execute(ctx, s.backend, actor, env, "", args)
		return err
	})
	var de *domain.Error
	switch {
	case err == nil:
		return nil, nil
	case errors.As(err, &de) && de.Code != domain.EInternal:
		return &CallResult{Error: de.Message, Code: de.Code}, nil
	}
	return nil, fmt.Errorf("agent: rehearse %s: %w", tool.Name, err)
}

// Outcome is the result of a confirmed proposal.
type Outcome struct {
	ProposalID string          `json:"proposal_id"`
	Tool       string          `json:"tool"`
	Status     string          `json:"status"`
	Text       string          `json:"text"`
	Result     json.RawMessage `json:"result,omitempty"`
	// Replayed is true when the proposal had already executed and this is
	// its first result again (a retry or a double click).
	Replayed bool `json:"replayed,omitempty"`
}

// Confirm executes one of the actor's proposals. It fails closed when the
// proposal is another actor's, when digest is not the one shown, when it
// expired or is no longer pending, and for high-risk tools when stepUp is
// not a valid one-time code. The tool runs through the domain commands as
// the actor (via chat), which authorize again now. A retry after success
// returns the first result without executing again.
func (s *Service) Confirm(ctx context.Context, actor domain.Actor, proposalID, digest, stepUp string) (Outcome, error) {
	actor.Via = domain.ViaChat
	// Everything the tool needs is loaded before the transaction, so the
	// confirmation holds one connection only.
	env, _, err := s.env(ctx, actor)
	if err != nil {
		return Outcome{}, err
	}
	var out Outcome
	var execErr error
	err = s.store.Atomically(ctx, func(ctx context.Context) error {
		p, err := s.store.ClaimProposal(ctx, actor, proposalID, digest, stepUp)
		if err != nil {
			return fmt.Errorf("agent: confirm: %w", err)
		}
		out = Outcome{ProposalID: p.ID, Tool: p.Tool, Status: p.Status, Result: p.Result}
		if p.Status == domain.ProposalExecuted {
			out.Replayed = true
			var r struct {
				Text string `json:"text"`
			}
			_ = json.Unmarshal(p.Result, &r)
			out.Text = r.Text
			return nil
		}
		lang := ""
		if c, err := s.store.OpenConversation(ctx, actor, p.Conversation); err == nil {
			lang = c.Lang
		}
		res, err := s.execute(ctx, actor, env, lang, p)
		if err != nil {
			execErr = err
			return err
		}
		body, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("agent: encode result: %w", err)
		}
		fin, err := s.store.FinishProposal(ctx, actor, p.ID, body, "")
		if err != nil {
			return fmt.Errorf("agent: finish proposal: %w", err)
		}
		out.Status, out.Text, out.Result = fin.Status, res.Text, fin.Result
		return nil
	})
	if execErr != nil {
		// The claim was rolled back with the tool's work; record the failure
		// on its own so the proposal cannot be confirmed again.
		if _, err := s.store.FailProposal(ctx, actor, proposalID, domain.ErrorMessage(execErr)); err != nil {
			return Outcome{}, errors.Join(fmt.Errorf("agent: execute: %w", execErr), fmt.Errorf("agent: record failure: %w", err))
		}
		return Outcome{}, fmt.Errorf("agent: execute: %w", execErr)
	}
	if err != nil {
		return Outcome{}, err
	}
	return out, nil
}

func (s *Service) execute(ctx context.Context, actor domain.Actor, env *tools.Env, lang string, p domain.Proposal) (tools.Result, error) {
	tool, ok := s.catalog.Tool(p.Tool)
	if !ok || !tool.Mutating {
		return tools.Result{}, domain.Errorf(domain.EInvalid, "unknown tool %s", p.Tool)
	}
	// The stored arguments are the ones the digest covers; check they still
	// are before running them. jsonb reorders keys, so canonicalise first.
	var v any
	if err := json.Unmarshal(p.Args, &v); err != nil {
		return tools.Result{}, fmt.Errorf("agent: stored arguments: %w", err)
	}
	canon, err := json.Marshal(v)
	if err != nil {
		return tools.Result{}, fmt.Errorf("agent: stored arguments: %w", err)
	}
	if tools.Digest(p.Tool, canon) != p.Digest {
		return tools.Result{}, domain.Errorf(domain.EConflict, "the proposal's arguments do not match its digest")
	}
	args, err := tool.DecodeCanonical(env, canon)
	if err != nil {
		return tools.Result{}, err
	}
	return tool.Execute(ctx, s.backend, actor, env, lang, args)
}

// Cancel withdraws one of the actor's pending proposals.
func (s *Service) Cancel(ctx context.Context, actor domain.Actor, proposalID string) error {
	actor.Via = domain.ViaChat
	if _, err := s.store.CancelProposal(ctx, actor, proposalID); err != nil {
		return fmt.Errorf("agent: cancel: %w", err)
	}
	return nil
}

func failed(c builtin.Call, err error) CallResult {
	return CallResult{Tool: c.Tool, Args: c.Args, Error: domain.ErrorMessage(err), Code: domain.ErrorCode(err)}
}

// refusal renders a failed call for the user.
func refusal(lang string, r CallResult) string {
	switch r.Code {
	case domain.EForbidden, domain.EUnauthorized:
		return tools.Say(lang, "抱歉，你沒有權限這樣做：", "抱歉，你没有权限这样做：", "Sorry, you are not allowed to do that: ") + r.Error
	case domain.ENotFound:
		return tools.Say(lang, "抱歉，找不到或無權查看：", "抱歉，找不到或无权查看：", "Sorry, not found or not visible to you: ") + r.Error
	}
	return tools.Say(lang, "無法處理：", "无法处理：", "Could not do that: ") + r.Error
}

// normalise turns planner values ([]string, []int, ...) into JSON values.
func normalise(args map[string]any) map[string]any {
	b, err := json.Marshal(args)
	if err != nil {
		return args
	}
	var out map[string]any
	if json.Unmarshal(b, &out) != nil || out == nil {
		return map[string]any{}
	}
	return out
}
