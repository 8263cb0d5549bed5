package domain

import (
	"fmt"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// compileCondition compiles a routing rule's condition over RouteInput.
func compileCondition(cond string) (*vm.Program, error) {
	return expr.Compile(cond, expr.Env(RouteInput{}), expr.AsBool())
}

// maxCompiledConditions bounds a RuleSelector's cache; conditions beyond it
// are compiled on each use.
const maxCompiledConditions = 4096

// RuleSelector selects routing rules like SelectRule, compiling each distinct
// condition once (compiling costs far more than running). It is safe for
// concurrent use; the zero value is ready.
type RuleSelector struct {
	mu    sync.RWMutex
	progs map[string]*vm.Program
}

func (rs *RuleSelector) program(cond string) (*vm.Program, error) {
	rs.mu.RLock()
	p, ok := rs.progs[cond]
	rs.mu.RUnlock()
	if ok {
		return p, nil
	}
	p, err := compileCondition(cond)
	if err != nil {
		return nil, err
	}
	rs.mu.Lock()
	if rs.progs == nil {
		rs.progs = map[string]*vm.Program{}
	}
	if len(rs.progs) < maxCompiledConditions {
		rs.progs[cond] = p
	}
	rs.mu.Unlock()
	return p, nil
}

// Select returns the first rule of kind whose condition holds.
func (rs *RuleSelector) Select(rules []Rule, kind string, in RouteInput) (Rule, error) {
	for _, r := range rules {
		if r.Kind != kind {
			continue
		}
		prog, err := rs.program(r.Condition)
		if err != nil {
			return Rule{}, fmt.Errorf("routing rule %s: %w", r.ID, err)
		}
		out, err := expr.Run(prog, in)
		if err != nil {
			return Rule{}, fmt.Errorf("routing rule %s: %w", r.ID, err)
		}
		if ok, _ := out.(bool); ok {
			return r, nil
		}
	}
	return Rule{}, Errorf(EInvalid, "no approval rule matches this %s request", kind)
}
