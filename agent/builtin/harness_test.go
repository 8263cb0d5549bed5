package builtin

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/zh"
)

// dirFromFixture builds the planner's directory from a fixture.
func dirFromFixture(f *fixture.Fixture) *Directory {
	var emps []people.Employee
	for _, e := range f.Employees {
		emps = append(emps, people.Employee{ID: e.ID, Name: e.Name, NameEn: e.NameEn, Aliases: e.Aliases, Email: e.Email, Department: e.Department, Manager: e.Manager, Title: e.Title})
	}
	var depts []people.Department
	for _, d := range f.Departments {
		depts = append(depts, people.Department{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Head: d.Head})
	}
	var res []people.Resource
	for _, r := range f.Resources {
		res = append(res, people.Resource{ID: r.ID, Name: r.Name, NameEn: r.NameEn, Kind: r.Kind, Capacity: r.Capacity})
	}
	return people.New(emps, depts, res)
}

// memLookup is an in-memory Lookup over a fixture, filtered by the actor
// roughly as the database does: own records, reports' records, and the
// approval queue of managers (and finance for claims).
type memLookup struct {
	f     *fixture.Fixture
	actor string
	dir   *Directory
}

func (m memLookup) managerOf(id string) string {
	e, _ := m.dir.Employee(id)
	return e.Manager
}

func (m memLookup) hasRole(role string) bool {
	for _, e := range m.f.Employees {
		if e.ID == m.actor {
			for _, r := range e.Roles {
				if r == role {
					return true
				}
			}
		}
	}
	return false
}

func (m memLookup) PendingApprovals(ctx context.Context) ([]PendingItem, error) {
	var out []PendingItem
	for _, l := range m.f.LeaveRequests {
		if l.Status == "pending" && m.managerOf(l.Employee) == m.actor {
			out = append(out, PendingItem{ID: l.ID, Kind: "leave", Employee: l.Employee, LeaveType: l.LeaveType, Start: l.Start, End: l.End})
		}
	}
	for _, c := range m.f.ExpenseClaims {
		if c.Status == "submitted" && (m.managerOf(c.Employee) == m.actor || m.hasRole("finance") && c.Employee != m.actor) {
			it := PendingItem{ID: c.ID, Kind: "expense", Employee: c.Employee, Title: c.Title}
			total := new(big.Rat)
			for _, i := range c.Items {
				r, _ := new(big.Rat).SetString(i.Amount)
				if r != nil {
					total.Add(total, r)
				}
				it.Dates = append(it.Dates, i.Date)
				it.Currency = i.Currency
			}
			it.Amount = total.FloatString(2)
			out = append(out, it)
		}
	}
	return out, nil
}

func (m memLookup) LeaveRequests(ctx context.Context) ([]LeaveRef, error) {
	var out []LeaveRef
	for _, l := range m.f.LeaveRequests {
		out = append(out, LeaveRef{ID: l.ID, Employee: l.Employee, LeaveType: l.LeaveType, Start: l.Start, End: l.End, Status: l.Status})
	}
	return out, nil
}

func (m memLookup) Events(ctx context.Context, from, to time.Time) ([]EventRef, error) {
	var out []EventRef
	for _, e := range m.f.Events {
		s, err1 := time.Parse(time.RFC3339, e.Start)
		en, err2 := time.Parse(time.RFC3339, e.End)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("event %s: bad time", e.ID)
		}
		if s.Before(to) && en.After(from) {
			out = append(out, EventRef{ID: e.ID, Title: e.Title, Organizer: e.Organizer, Attendees: e.Attendees, Start: s, End: en, Resource: e.Resource})
		}
	}
	return out, nil
}

func (m memLookup) Tasks(ctx context.Context) ([]TaskRef, error) {
	var out []TaskRef
	for _, t := range m.f.Tasks {
		out = append(out, TaskRef{ID: t.ID, Title: t.Title, Assignee: t.Assignee, Creator: t.Creator, Due: t.Due, Status: t.Status, Priority: t.Priority})
	}
	return out, nil
}

func (m memLookup) Meetings(ctx context.Context) ([]MeetingRef, error) {
	var out []MeetingRef
	for _, x := range m.f.Meetings {
		out = append(out, MeetingRef{ID: x.ID, Title: x.Title, Date: x.Date, Participants: x.Participants})
	}
	return out, nil
}

func (m memLookup) ExpenseClaims(ctx context.Context) ([]ClaimRef, error) {
	var out []ClaimRef
	for _, c := range m.f.ExpenseClaims {
		cr := ClaimRef{ID: c.ID, Employee: c.Employee, Title: c.Title, Status: c.Status}
		for _, i := range c.Items {
			cr.Dates = append(cr.Dates, i.Date)
		}
		out = append(out, cr)
	}
	return out, nil
}

// evalCase is one line of an agent case file (FORMAT.md §2).
type evalCase struct {
	ID        string     `json:"id"`
	Lang      string     `json:"lang"`
	Actor     string     `json:"actor"`
	Now       string     `json:"now"`
	Utterance string     `json:"utterance"`
	Expect    expect     `json:"expect"`
	Turns     []evalTurn `json:"turns"`
}

type evalTurn struct {
	User   string `json:"user"`
	Expect expect `json:"expect"`
}

type expect struct {
	Calls   []Call   `json:"calls"`
	Clarify []string `json:"clarify"`
	Denied  bool     `json:"denied"`
	Answer  []string `json:"answer_contains"`
}

func loadCases(t testing.TB, path string) []evalCase {
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("no cases at %s: %v", path, err)
	}
	defer f.Close()
	var out []evalCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c evalCase
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(c.Turns) == 0 {
			c.Turns = []evalTurn{{User: c.Utterance, Expect: c.Expect}}
		}
		out = append(out, c)
	}
	return out
}

// defaults are the documented defaults of optional arguments.
var defaults = map[string]map[string]any{
	ToolRequestLeave:       {"start_half": "am", "end_half": "pm"},
	ToolCreateTask:         {"priority": "normal"},
	ToolCreateExpenseClaim: {"submit": false},
}

// scorer compares proposed calls with expected ones (FORMAT.md §2).
type scorer struct {
	loc   *time.Location
	actor string
}

func (s scorer) matchPlan(want expect, got Plan) (bool, string) {
	switch {
	case want.Denied:
		return true, "" // the lead's harness checks authorisation
	case want.Clarify != nil:
		for _, c := range got.Calls {
			if Mutating(c.Tool) {
				return false, "mutating call while clarifying: " + c.Tool
			}
		}
		for _, w := range want.Clarify {
			if !contains(got.Clarify, w) {
				return false, fmt.Sprintf("want clarify %v, got %v (reply %q)", want.Clarify, got.Clarify, got.Reply)
			}
		}
		return true, ""
	case want.Calls != nil:
		if len(want.Calls) != len(got.Calls) {
			return false, fmt.Sprintf("want %d calls, got %d (clarify %v, reply %q)", len(want.Calls), len(got.Calls), got.Clarify, got.Reply)
		}
		for i, w := range want.Calls {
			if ok, why := s.matchCall(w, got.Calls[i]); !ok {
				return false, why
			}
		}
		return true, ""
	}
	return true, "" // answer_contains only: needs the database
}

func (s scorer) matchCall(want, got Call) (bool, string) {
	if want.Tool != got.Tool {
		return false, fmt.Sprintf("want %s, got %s", want.Tool, got.Tool)
	}
	for k, wv := range want.Args {
		name := strings.TrimSuffix(k, "~")
		gv, ok := got.Args[name]
		if !ok {
			gv, ok = defaults[want.Tool][name]
			if !ok && want.Tool == ToolCreateTask && name == "assignee" {
				gv, ok = s.actor, true
			}
			if !ok {
				return false, fmt.Sprintf("%s: missing %s", want.Tool, name)
			}
		}
		if strings.HasSuffix(k, "~") {
			g, _ := gv.(string)
			if !strings.Contains(strings.ToLower(zh.Fold(g)), strings.ToLower(zh.Fold(fmt.Sprint(wv)))) {
				return false, fmt.Sprintf("%s: %s %q does not contain %q", want.Tool, name, g, wv)
			}
			continue
		}
		if !s.matchValue(wv, normalise(gv)) {
			return false, fmt.Sprintf("%s: %s want %v got %v", want.Tool, name, wv, gv)
		}
	}
	return true, ""
}

// normalise turns planner values into JSON-like values.
func normalise(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func (s scorer) matchValue(want, got any) bool {
	switch w := want.(type) {
	case string:
		g, ok := got.(string)
		if !ok {
			return false
		}
		if w == g {
			return true
		}
		if len(w) == 10 && len(g) == 10 {
			return false
		}
		wt, err1 := time.Parse(time.RFC3339, w)
		gt, err2 := time.Parse(time.RFC3339, g)
		if err1 == nil && err2 == nil {
			return wt.Equal(gt)
		}
		if len(w) == 10 && err2 == nil {
			return gt.In(s.loc).Format(time.DateOnly) == w
		}
		if a, ok1 := new(big.Rat).SetString(w); ok1 {
			if b, ok2 := new(big.Rat).SetString(g); ok2 {
				return a.Cmp(b) == 0
			}
		}
		return false
	case float64:
		switch g := got.(type) {
		case float64:
			return g == w
		case string:
			r, ok := new(big.Rat).SetString(g)
			return ok && r.Cmp(new(big.Rat).SetFloat64(w)) == 0
		}
		return false
	case bool:
		return got == w
	case []any:
		g, ok := got.([]any)
		if !ok {
			return false
		}
		if len(w) > 0 {
			if _, isObj := w[0].(map[string]any); isObj {
				used := make([]bool, len(g))
				for _, wi := range w {
					found := false
					for j, gi := range g {
						if !used[j] && s.matchValue(wi, gi) {
							used[j], found = true, true
							break
						}
					}
					if !found {
						return false
					}
				}
				return true
			}
		}
		if len(w) != len(g) {
			return false
		}
		ws, gs := fmt.Sprint(sortedStrings(w)), fmt.Sprint(sortedStrings(g))
		return ws == gs
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			if name, ok := strings.CutSuffix(k, "~"); ok {
				gs, _ := g[name].(string)
				if !strings.Contains(strings.ToLower(zh.Fold(gs)), strings.ToLower(zh.Fold(fmt.Sprint(wv)))) {
					return false
				}
				continue
			}
			if !s.matchValue(wv, g[k]) {
				return false
			}
		}
		return true
	}
	return fmt.Sprint(want) == fmt.Sprint(got)
}

func sortedStrings(xs []any) []string {
	var out []string
	for _, x := range xs {
		out = append(out, fmt.Sprint(x))
	}
	sort.Strings(out)
	return out
}

// result is one case's outcome.
type result struct {
	id, lang, why string
	pass          bool
	latency       []time.Duration
}

// runCases plans every case against a fixture and scores it.
func runCases(t testing.TB, fx *fixture.Fixture, cases []evalCase) []result {
	loc, err := time.LoadLocation(fx.Tenant.Timezone)
	if err != nil {
		loc = time.FixedZone("tenant", 8*3600)
	}
	dir := dirFromFixture(fx)
	p := New()
	var out []result
	for _, c := range cases {
		now, err := time.Parse(time.RFC3339, c.Now)
		if err != nil {
			t.Fatalf("%s: now: %v", c.ID, err)
		}
		now = now.In(loc)
		r := result{id: c.ID, lang: c.Lang, pass: true}
		var st *State
		sc := scorer{loc: loc, actor: c.Actor}
		for ti, turn := range c.Turns {
			req := Request{Utterance: turn.User, Now: now, Locale: fx.Tenant.Locale, Currency: fx.Tenant.Currency, Actor: c.Actor, Dir: dir,
				Lookup: memLookup{f: fx, actor: c.Actor, dir: dir}, State: st}
			t0 := time.Now()
			pl, err := p.Plan(context.Background(), req)
			r.latency = append(r.latency, time.Since(t0))
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			// The state must survive JSON, as it is stored between turns.
			b, err := json.Marshal(pl.State)
			if err != nil {
				t.Fatalf("%s: state: %v", c.ID, err)
			}
			var next State
			if err := json.Unmarshal(b, &next); err != nil {
				t.Fatalf("%s: state: %v", c.ID, err)
			}
			st = &next
			if ok, why := sc.matchPlan(turn.Expect, pl); !ok && r.pass {
				calls, _ := json.Marshal(pl.Calls)
				r.pass, r.why = false, fmt.Sprintf("turn %d %q: %s; got %s", ti+1, turn.User, why, calls)
			}
		}
		out = append(out, r)
	}
	return out
}

func report(t *testing.T, name string, rs []result) float64 {
	pass := 0
	byLang := map[string][2]int{}
	for _, r := range rs {
		bl := byLang[r.lang]
		bl[1]++
		if r.pass {
			pass++
			bl[0]++
		} else if testing.Verbose() {
			t.Logf("FAIL %s: %s", r.id, r.why)
		}
		byLang[r.lang] = bl
	}
	rate := float64(pass) / float64(max(1, len(rs)))
	var langs []string
	for l, v := range byLang {
		langs = append(langs, fmt.Sprintf("%s %d/%d", l, v[0], v[1]))
	}
	sort.Strings(langs)
	t.Logf("%s: %d/%d passed (%.1f%%); %s", name, pass, len(rs), 100*rate, strings.Join(langs, ", "))
	return rate
}

// TestExampleSet scores the shared 12-case example (skipped if absent).
func TestExampleSet(t *testing.T) {
	fx, err := fixture.Load("../../../shared/evals/example/org.yaml")
	if err != nil {
		t.Skipf("shared example not available: %v", err)
	}
	cases := loadCases(t, "../../../shared/evals/example/cases.jsonl")
	rate := report(t, "shared example", runCases(t, fx, cases))
	if rate < 0.9 {
		t.Errorf("pass rate %.2f below 0.9", rate)
	}
}

// TestDevSet scores the project's dev set against the demo company.
func TestDevSet(t *testing.T) {
	fx, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	cases := loadCases(t, "../../evals/testdata/agent/cases.jsonl")
	rate := report(t, "dev set", runCases(t, fx, cases))
	if rate < 0.5 {
		t.Errorf("pass rate %.2f below 0.5", rate)
	}
}
