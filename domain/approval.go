package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kinds of request that go through approval.
const (
	KindLeave   = "leave"
	KindExpense = "expense"
)

// Step modes.
const (
	ModeAny = "any" // one approver decides for the step
	ModeAll = "all" // every approver must approve
)

// StepSpec describes who approves one step of a chain. Approver is one of:
// "manager" (direct manager), "manager:N" (Nth-level manager), "dept_head",
// "role:NAME" (anyone holding the role), "employee:ID".
type StepSpec struct {
	Approver string `json:"approver"`
	Mode     string `json:"mode,omitempty"`
	Label    string `json:"label,omitempty"`
}

// Rule is one row of a tenant's routing matrix: when Condition holds for a
// request of Kind, Steps is its chain. Rules are tried in Position order and
// the first match wins.
type Rule struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Position  int        `json:"position"`
	Condition string     `json:"condition"`
	Steps     []StepSpec `json:"steps"`
}

// RouteInput are the facts routing conditions can use.
type RouteInput struct {
	Days         float64  `expr:"days"`
	LeaveType    string   `expr:"leave_type"`
	Total        float64  `expr:"total"`
	Category     string   `expr:"category"` // the largest item's category
	Categories   []string `expr:"categories"`
	Department   string   `expr:"department"`
	Urgent       bool     `expr:"urgent"`
	AnomalyScore float64  `expr:"anomaly_score"`
}

// DefaultRules returns the Hong Kong SME matrix: leave up to 3 working days to
// the manager, longer adds HR; expenses up to HKD 5,000 to the manager, up to
// 10,000 adds finance, above adds the CFO; a high anomaly score adds finance.
func DefaultRules() []Rule {
	mgr := StepSpec{Approver: "manager", Mode: ModeAny, Label: "manager"}
	return []Rule{
		{Kind: KindLeave, Position: 10, Condition: "days > 3", Steps: []StepSpec{mgr, {Approver: "role:hr", Mode: ModeAny, Label: "hr"}}},
		{Kind: KindLeave, Position: 20, Condition: "true", Steps: []StepSpec{mgr}},
		{Kind: KindExpense, Position: 10, Condition: "total > 10000", Steps: []StepSpec{mgr, {Approver: "role:finance", Mode: ModeAny, Label: "finance"}, {Approver: "role:cfo", Mode: ModeAny, Label: "cfo"}}},
		{Kind: KindExpense, Position: 20, Condition: "total > 5000 || anomaly_score >= 0.7", Steps: []StepSpec{mgr, {Approver: "role:finance", Mode: ModeAny, Label: "finance"}}},
		{Kind: KindExpense, Position: 30, Condition: "true", Steps: []StepSpec{mgr}},
	}
}

// ValidateRule checks a rule's kind, condition and steps.
func ValidateRule(r Rule) error {
	var v Validator
	v.Check(r.Kind == KindLeave || r.Kind == KindExpense, "kind", "must be leave or expense")
	_, err := compileCondition(r.Condition)
	v.Check(err == nil, "condition", fmt.Sprintf("is not a valid condition: %v", err))
	v.Check(len(r.Steps) > 0 && len(r.Steps) <= 10, "steps", "a rule needs 1 to 10 steps")
	for i, s := range r.Steps {
		v.Check(validApprover(s.Approver), fmt.Sprintf("steps[%d].approver", i), "must be manager, manager:N, dept_head, role:NAME or employee:ID")
		v.Check(s.Mode == "" || s.Mode == ModeAny || s.Mode == ModeAll, fmt.Sprintf("steps[%d].mode", i), "must be any or all")
	}
	return v.Err()
}

func validApprover(a string) bool {
	switch {
	case a == "manager", a == "dept_head":
		return true
	case strings.HasPrefix(a, "manager:"):
		n, err := strconv.Atoi(strings.TrimPrefix(a, "manager:"))
		return err == nil && n >= 1 && n <= 10
	case strings.HasPrefix(a, "role:"):
		return len(a) > 5
	case strings.HasPrefix(a, "employee:"):
		return len(a) > 9
	}
	return false
}

// SelectRule returns the first rule of kind whose condition holds. A
// RuleSelector does the same without compiling conditions again.
func SelectRule(rules []Rule, kind string, in RouteInput) (Rule, error) {
	return new(RuleSelector).Select(rules, kind, in)
}

// Approval is the approval state of one request (leave request or claim).
type Approval struct {
	RequestID   string         `json:"request_id"`
	Kind        string         `json:"kind"`
	Requester   string         `json:"requester"`
	Status      string         `json:"status"`
	CurrentStep int            `json:"current_step"`
	Urgent      bool           `json:"urgent,omitempty"`
	Steps       []ApprovalStep `json:"steps"`
	Summary     string         `json:"summary"`
	CreatedAt   time.Time      `json:"created_at"`
}

// ApprovalStep is one resolved step of a chain.
type ApprovalStep struct {
	Index     int        `json:"index"`
	Label     string     `json:"label"`
	Mode      string     `json:"mode"`
	Approvers []string   `json:"approvers"`
	Status    string     `json:"status"` // waiting, pending, approved, rejected, returned, skipped
	DueAt     *time.Time `json:"due_at,omitempty"`
	Decisions []Decision `json:"decisions,omitempty"`
}

// Decision is one approver's decision on a step.
type Decision struct {
	Approver  string    `json:"approver"`
	OnBehalf  string    `json:"on_behalf_of,omitempty"`
	Decision  string    `json:"decision"` // approve, reject, return
	Comment   string    `json:"comment,omitempty"`
	DecidedAt time.Time `json:"decided_at"`
}

// Decision values.
const (
	DecisionApprove = "approve"
	DecisionReject  = "reject"
	DecisionReturn  = "return"
)
