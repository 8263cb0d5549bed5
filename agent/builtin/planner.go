package builtin

import (
	"context"
	"errors"
	"fmt"
	"github.com/banlihq/banli/nlu/zh"
	"strings"
	"time"
)

// Planner is the offline planner. It holds no per-request state and is safe
// for concurrent use.
type Planner struct{}

// New returns a Planner.
func New() *Planner { return &Planner{} }

// ErrNoDirectory is returned when a request has no directory to resolve
// names against.
var ErrNoDirectory = errors.New("builtin: request has no directory")

// Plan turns one utterance into proposed tool calls, a clarifying question
// or a reply.
func (p *Planner) Plan(ctx context.Context, req Request) (Plan, error) {
	if req.Dir == nil {
		return Plan{}, ErrNoDirectory
	}
	if req.Now.IsZero() {
		req.Now = time.Now()
	}
	if req.Currency == "" {
		req.Currency = "HKD"
	}
	text := strings.TrimSpace(stripQuoted(req.Utterance))
	u := analyse(ctx, &req, text)
	intent := detectIntent(u)
	st := req.State
	if st != nil && st.Intent != "" {
		switch {
		case st.Pending && (intent == "" || intent == st.Intent || !strongIntent(u, intent)):
			// The answer to our question: plan again with everything said.
			texts := append(append([]string(nil), st.Texts...), text)
			u = analyse(ctx, &req, strings.Join(texts, "，"))
			pl, err := p.plan(ctx, u, st.Intent)
			if err != nil {
				return Plan{}, err
			}
			pl.Lang = detectLang(text)
			pl.State.Texts = texts
			return pl, nil
		case !st.Pending && (intent == "" || startsCorrection(u) || (intent == st.Intent || weakIntent(intent)) && isCorrection(u) ||
			st.Intent == ToolCreateExpenseClaim && u.has("提交", "submit") && len(u.amounts()) == 0):
			pl, err := p.correct(ctx, u, st)
			if err != nil {
				return Plan{}, err
			}
			return pl, nil
		}
	}
	pl, err := p.plan(ctx, u, intent)
	if err != nil {
		return Plan{}, err
	}
	pl.State.Texts = []string{text}
	return pl, nil
}

// plan runs one intent's slot filling.
func (p *Planner) plan(ctx context.Context, u *utter, intent string) (Plan, error) {
	h, ok := handlers[intent]
	if !ok {
		return Plan{Lang: u.lang, Reply: u.say(msgNotUnderstood)}, nil
	}
	pl, err := h(ctx, u)
	if err != nil {
		return Plan{}, fmt.Errorf("builtin: plan %s: %w", intent, err)
	}
	pl.Lang = u.lang
	pl.State.Intent = intent
	if len(pl.Clarify) > 0 {
		pl.State.Pending = true
		if pl.Question == "" {
			pl.Question = u.ask(pl.Clarify)
		}
		// Never propose a mutating call while asking.
		var keep []Call
		for _, c := range pl.Calls {
			if !Mutating(c.Tool) {
				keep = append(keep, c)
			}
		}
		pl.Calls = keep
	}
	if len(pl.Calls) > 0 {
		pl.State.Args = pl.Calls[len(pl.Calls)-1].Args
	}
	return pl, nil
}

// handler fills the slots of one intent.
type handler func(ctx context.Context, u *utter) (Plan, error)

var handlers map[string]handler

func init() {
	// Set in init to break the initialisation cycle through correct().
	handlers = map[string]handler{
		ToolFindEmployee:          planFindEmployee,
		ToolCreateEvent:           planCreateEvent,
		ToolFindFreeSlots:         planFreeSlots,
		ToolListEvents:            planListEvents,
		ToolRescheduleEvent:       planReschedule,
		ToolCancelEvent:           planCancelEvent,
		ToolBookResource:          planBookResource,
		ToolCreateTask:            planCreateTask,
		ToolListTasks:             planListTasks,
		ToolUpdateTask:            planUpdateTask,
		ToolRequestLeave:          planRequestLeave,
		ToolGetLeaveBalance:       planLeaveBalance,
		ToolListLeaveRequests:     planListLeave,
		ToolCancelLeave:           planCancelLeave,
		ToolCreateExpenseClaim:    planCreateClaim,
		ToolSubmitExpenseClaim:    planSubmitClaim,
		ToolListExpenseClaims:     planListClaims,
		ToolScanReceipt:           planScanReceipt,
		ToolListPendingApprovals:  planListPending,
		ToolApprove:               planDecide(ToolApprove),
		ToolReject:                planDecide(ToolReject),
		ToolReturnForChanges:      planDecide(ToolReturnForChanges),
		ToolSetDelegate:           planDelegate,
		ToolSummarizeMeeting:      planSummarize,
		ToolCreateTasksFromMeetng: planMeetingTasks,
		ToolSearchKnowledge:       planSearch,
		ToolTeamReport:            planTeamReport,
	}
}

// call builds a one-call plan.
func call(tool string, args map[string]any) Plan {
	return Plan{Calls: []Call{{Tool: tool, Args: args}}}
}

// clarify builds a plan that asks for the named arguments, keeping the
// partial arguments in the state.
func clarify(tool string, args map[string]any, missing ...string) Plan {
	return Plan{Clarify: missing, State: State{Args: args}}
}

// startsCorrection reports an utterance that opens by changing the last
// proposal: "make it 90 minutes", "改做四點", "唔係...".
func startsCorrection(u *utter) bool {
	for _, w := range []string{"make it", "actually", "改", "唔係", "不是", "唔好意思", "sorry", "instead", "change it", "no,", "no ", "加埋", "順便", "顺便"} {
		if strings.HasPrefix(u.fs, zh.Fold(w)) {
			return true
		}
	}
	return false
}

// weakIntent reports intents guessed from question words alone.
func weakIntent(intent string) bool {
	return intent == ToolSearchKnowledge || intent == ToolFindEmployee || intent == ""
}

// isCorrection reports words that change a previous proposal.
func isCorrection(u *utter) bool {
	return u.has("改", "唔係", "不是", "唔好", "換", "换成", "instead", "actually", "make it", "change", "rather", "定在", "改為", "改成", "應該係", "should be", "不如", "加埋", "加上", "make it", "順便", "顺便", "also")
}
