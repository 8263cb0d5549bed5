package agentcases

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/banlihq/banli/fixture"
)

// ArgKind says how an argument's value is written and checked.
type ArgKind int

// Argument kinds of the tool catalog.
const (
	KindString       ArgKind = iota // free text
	KindEmployee                    // employee id
	KindEmployees                   // list of employee ids
	KindResource                    // resource id
	KindDate                        // YYYY-MM-DD
	KindDateTime                    // RFC 3339 with the tenant's offset
	KindDateOrTime                  // either of the above
	KindEnum                        // one of ArgSpec.Enum
	KindInt                         // integer
	KindInts                        // list of integers
	KindBool                        // true or false
	KindRequestID                   // leave request or expense claim id
	KindClaimID                     // expense claim id
	KindEventID                     // event id
	KindTaskID                      // task id
	KindMeetingID                   // meeting id
	KindDepartment                  // department id
	KindRRule                       // RFC 5545 RRULE
	KindExpenseItems                // list of expense items
	KindReceiptID                   // receipt id (free form)
)

// ArgSpec describes one argument of a catalog tool.
type ArgSpec struct {
	Kind     ArgKind
	Required bool
	Enum     []string
}

// ToolSpec describes a catalog tool (TOOLS.md).
type ToolSpec struct {
	Mutating bool
	Args     map[string]ArgSpec
}

// Enumerations of TOOLS.md. Leave and claim statuses are not listed there;
// the ones here follow the fixture format plus the obvious life-cycle states.
func enums() map[string][]string {
	return map[string][]string{
		"leave_type":   {"annual", "sick", "personal", "compensatory", "maternity", "paternity", "marriage", "bereavement", "unpaid"},
		"category":     {"meals", "transport", "travel", "lodging", "entertainment", "office_supplies", "training", "communication", "other"},
		"priority":     {"low", "normal", "high", "urgent"},
		"task_status":  {"todo", "in_progress", "blocked", "done"},
		"leave_status": {"pending", "approved", "rejected", "cancelled"},
		"claim_status": {"draft", "submitted", "approved", "rejected", "returned", "paid"},
		"half":         {"am", "pm"},
	}
}

// Catalog returns the tool catalog of TOOLS.md with argument kinds. Each
// call returns a fresh map.
func Catalog() map[string]ToolSpec {
	e := enums()
	req := func(k ArgKind) ArgSpec { return ArgSpec{Kind: k, Required: true} }
	opt := func(k ArgKind) ArgSpec { return ArgSpec{Kind: k} }
	enum := func(name string, required bool) ArgSpec {
		return ArgSpec{Kind: KindEnum, Required: required, Enum: e[name]}
	}
	return map[string]ToolSpec{
		"find_employee": {Args: map[string]ArgSpec{"query": req(KindString)}},
		"create_event": {Mutating: true, Args: map[string]ArgSpec{
			"title": req(KindString), "start": req(KindDateTime), "end": opt(KindDateTime),
			"attendees": opt(KindEmployees), "resource": opt(KindResource), "location": opt(KindString),
			"description": opt(KindString), "recurrence": opt(KindRRule)}},
		"find_free_slots": {Args: map[string]ArgSpec{
			"attendees": req(KindEmployees), "duration_minutes": req(KindInt),
			"from": req(KindDateOrTime), "to": req(KindDateOrTime)}},
		"list_events": {Args: map[string]ArgSpec{
			"from": req(KindDateOrTime), "to": req(KindDateOrTime), "employee": opt(KindEmployee)}},
		"reschedule_event": {Mutating: true, Args: map[string]ArgSpec{
			"event_id": req(KindEventID), "start": req(KindDateTime), "end": opt(KindDateTime)}},
		"cancel_event": {Mutating: true, Args: map[string]ArgSpec{"event_id": req(KindEventID)}},
		"book_resource": {Mutating: true, Args: map[string]ArgSpec{
			"resource": req(KindResource), "start": req(KindDateTime), "end": req(KindDateTime),
			"purpose": opt(KindString)}},
		"create_task": {Mutating: true, Args: map[string]ArgSpec{
			"title": req(KindString), "assignee": opt(KindEmployee), "due": opt(KindDateOrTime),
			"priority": enum("priority", false), "description": opt(KindString)}},
		"list_tasks": {Args: map[string]ArgSpec{
			"assignee": opt(KindEmployee), "status": enum("task_status", false), "due_before": opt(KindDateOrTime)}},
		"update_task": {Mutating: true, Args: map[string]ArgSpec{
			"task_id": req(KindTaskID), "title": opt(KindString), "status": enum("task_status", false),
			"due": opt(KindDateOrTime), "assignee": opt(KindEmployee), "priority": enum("priority", false)}},
		"request_leave": {Mutating: true, Args: map[string]ArgSpec{
			"leave_type": enum("leave_type", true), "start": req(KindDate), "end": req(KindDate),
			"start_half": enum("half", false), "end_half": enum("half", false), "reason": opt(KindString)}},
		"get_leave_balance": {Args: map[string]ArgSpec{
			"leave_type": enum("leave_type", false), "employee": opt(KindEmployee)}},
		"list_leave_requests": {Args: map[string]ArgSpec{
			"employee": opt(KindEmployee), "status": enum("leave_status", false),
			"from": opt(KindDate), "to": opt(KindDate)}},
		"cancel_leave": {Mutating: true, Args: map[string]ArgSpec{"request_id": req(KindRequestID)}},
		"create_expense_claim": {Mutating: true, Args: map[string]ArgSpec{
			"title": opt(KindString), "items": req(KindExpenseItems), "submit": opt(KindBool)}},
		"submit_expense_claim": {Mutating: true, Args: map[string]ArgSpec{"claim_id": req(KindClaimID)}},
		"list_expense_claims": {Args: map[string]ArgSpec{
			"employee": opt(KindEmployee), "status": enum("claim_status", false)}},
		"scan_receipt":           {Args: map[string]ArgSpec{"receipt_id": req(KindReceiptID)}},
		"list_pending_approvals": {Args: map[string]ArgSpec{}},
		"approve": {Mutating: true, Args: map[string]ArgSpec{
			"request_id": req(KindRequestID), "comment": opt(KindString)}},
		"reject": {Mutating: true, Args: map[string]ArgSpec{
			"request_id": req(KindRequestID), "reason": req(KindString)}},
		"return_for_changes": {Mutating: true, Args: map[string]ArgSpec{
			"request_id": req(KindRequestID), "reason": req(KindString)}},
		"set_delegate": {Mutating: true, Args: map[string]ArgSpec{
			"delegate": req(KindEmployee), "start": req(KindDate), "end": req(KindDate)}},
		"summarize_meeting": {Args: map[string]ArgSpec{"meeting_id": req(KindMeetingID)}},
		"create_tasks_from_meeting": {Mutating: true, Args: map[string]ArgSpec{
			"meeting_id": req(KindMeetingID), "items": opt(KindInts)}},
		"search_knowledge": {Args: map[string]ArgSpec{"query": req(KindString)}},
		"team_report": {Args: map[string]ArgSpec{
			"department": opt(KindDepartment), "from": req(KindDate), "to": req(KindDate)}},
	}
}

// itemFields are the fields of an expense item.
func itemFields() map[string]ArgSpec {
	return map[string]ArgSpec{
		"date": {Kind: KindDate, Required: true}, "category": {Kind: KindEnum, Required: true, Enum: enums()["category"]},
		"amount": {Kind: KindString, Required: true}, "currency": {Kind: KindString, Required: true},
		"merchant": {Kind: KindString}, "description": {Kind: KindString}, "receipt_id": {Kind: KindReceiptID},
	}
}

// Langs are the case languages of FORMAT.md §2.
func Langs() []string { return []string{"zh-Hant", "zh-Hans", "yue", "en"} }

var (
	amountRE   = regexp.MustCompile(`^\d+(\.\d{1,2})?$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
)

// Validate checks that cases are well-formed against a fixture: known
// languages and tools, argument names, every referenced id (actor,
// employees, resources, requests, claims, events, tasks, meetings,
// departments) present in the fixture, dates as YYYY-MM-DD, date-times as
// RFC 3339 with the tenant's offset, valid enums and decimal-string amounts.
// It returns all problems joined, each naming the case.
func Validate(cases []Case, f *fixture.Fixture) error {
	loc, err := time.LoadLocation(f.Tenant.Timezone)
	if err != nil {
		return fmt.Errorf("tenant time zone: %w", err)
	}
	v := validator{loc: loc, cat: Catalog(), ids: fixtureIDs(f)}
	var errs []error
	for _, c := range cases {
		for _, p := range v.check(c) {
			errs = append(errs, fmt.Errorf("case %s (line %d): %s", c.ID, c.Line, p))
		}
	}
	return errors.Join(errs...)
}

type validator struct {
	loc *time.Location
	cat map[string]ToolSpec
	ids map[ArgKind]map[string]bool
}

func fixtureIDs(f *fixture.Fixture) map[ArgKind]map[string]bool {
	ids := map[ArgKind]map[string]bool{}
	add := func(k ArgKind, id string) {
		if ids[k] == nil {
			ids[k] = map[string]bool{}
		}
		ids[k][id] = true
	}
	for _, e := range f.Employees {
		add(KindEmployee, e.ID)
	}
	for _, r := range f.Resources {
		add(KindResource, r.ID)
	}
	for _, l := range f.LeaveRequests {
		add(KindRequestID, l.ID)
	}
	for _, c := range f.ExpenseClaims {
		add(KindRequestID, c.ID)
		add(KindClaimID, c.ID)
	}
	for _, e := range f.Events {
		add(KindEventID, e.ID)
	}
	for _, t := range f.Tasks {
		add(KindTaskID, t.ID)
	}
	for _, m := range f.Meetings {
		add(KindMeetingID, m.ID)
	}
	for _, d := range f.Departments {
		add(KindDepartment, d.ID)
	}
	return ids
}

func (v validator) check(c Case) []string {
	var ps []string
	langOK := false
	for _, l := range Langs() {
		langOK = langOK || c.Lang == l
	}
	if !langOK {
		ps = append(ps, fmt.Sprintf("unknown lang %q", c.Lang))
	}
	if !v.ids[KindEmployee][c.Actor] {
		ps = append(ps, fmt.Sprintf("actor %q is not an employee", c.Actor))
	}
	if _, off := c.Now.Zone(); off != v.offset(c.Now) {
		ps = append(ps, fmt.Sprintf("now %s is not in the tenant's offset", c.Now.Format(time.RFC3339)))
	}
	names := v.argNames()
	for i, t := range c.Turns() {
		where := ""
		if len(c.TurnList) > 0 {
			where = fmt.Sprintf("turn %d: ", i+1)
		}
		e := t.Expect
		n := 0
		for _, has := range []bool{e.HasDenied, e.HasClarify, e.HasCalls || e.HasAnswer} {
			if has {
				n++
			}
		}
		if n != 1 {
			ps = append(ps, where+"expect must hold exactly one of calls/answer_contains, clarify, denied")
		}
		for _, name := range e.Clarify {
			if !names[name] {
				ps = append(ps, where+fmt.Sprintf("clarify: %q is not an argument name", name))
			}
		}
		if e.HasClarify && len(e.Clarify) == 0 {
			ps = append(ps, where+"clarify: empty list")
		}
		for _, s := range e.AnswerContains {
			if strings.TrimSpace(s) == "" {
				ps = append(ps, where+"answer_contains: empty string")
			}
		}
		for j, call := range e.Calls {
			for _, p := range v.checkCall(call) {
				ps = append(ps, where+fmt.Sprintf("call %d (%s): %s", j+1, call.Tool, p))
			}
		}
		for coll := range e.State {
			switch coll {
			case "events", "tasks", "leave_requests", "expense_claims", "leave_balances":
			default:
				ps = append(ps, where+fmt.Sprintf("state: unknown collection %q", coll))
			}
		}
	}
	return ps
}

// offset is the tenant's UTC offset at t, in seconds.
func (v validator) offset(t time.Time) int {
	_, off := t.In(v.loc).Zone()
	return off
}

// argNames is every argument name of the catalog plus expense item fields.
func (v validator) argNames() map[string]bool {
	out := map[string]bool{}
	for _, t := range v.cat {
		for a := range t.Args {
			out[a] = true
		}
	}
	for a := range itemFields() {
		out[a] = true
	}
	return out
}

func (v validator) checkCall(call ExpectedCall) []string {
	spec, ok := v.cat[call.Tool]
	if !ok {
		return []string{"unknown tool"}
	}
	var ps []string
	keys := make([]string, 0, len(call.Args))
	for k := range call.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := strings.TrimSuffix(k, "~")
		a, ok := spec.Args[name]
		if !ok {
			ps = append(ps, fmt.Sprintf("unknown argument %q", name))
			continue
		}
		if strings.HasSuffix(k, "~") {
			if _, ok := call.Args[k].(string); !ok {
				ps = append(ps, fmt.Sprintf("%s: a ~ value must be a string", k))
			}
			continue
		}
		ps = append(ps, v.checkValue(name, a, call.Args[k])...)
	}
	return ps
}

func (v validator) checkValue(name string, a ArgSpec, val any) []string {
	bad := func(format string, args ...any) []string {
		return []string{name + ": " + fmt.Sprintf(format, args...)}
	}
	str, isStr := val.(string)
	switch a.Kind {
	case KindString, KindReceiptID, KindRRule:
		if !isStr || strings.TrimSpace(str) == "" {
			return bad("want a non-empty string, got %v", val)
		}
		if a.Kind == KindRRule && !strings.Contains(strings.ToUpper(str), "FREQ=") {
			return bad("RRULE without FREQ: %q", str)
		}
	case KindEnum:
		if !isStr || !contains(a.Enum, str) {
			return bad("%v is not one of %v", val, a.Enum)
		}
	case KindEmployees:
		list, ok := val.([]any)
		if !ok {
			return bad("want a list of employee ids, got %v", val)
		}
		var ps []string
		for _, x := range list {
			ps = append(ps, v.checkValue(name, ArgSpec{Kind: KindEmployee}, x)...)
		}
		return ps
	case KindEmployee, KindResource, KindRequestID, KindClaimID, KindEventID, KindTaskID, KindMeetingID, KindDepartment:
		if !isStr || !v.ids[a.Kind][str] {
			return bad("unknown id %v", val)
		}
	case KindDate:
		if !isStr || !validDate(str) {
			return bad("want YYYY-MM-DD, got %v", val)
		}
	case KindDateTime:
		if !isStr {
			return bad("want a date-time, got %v", val)
		}
		return v.checkDateTime(name, str)
	case KindDateOrTime:
		if isStr && validDate(str) {
			return nil
		}
		if !isStr {
			return bad("want a date or date-time, got %v", val)
		}
		return v.checkDateTime(name, str)
	case KindInt:
		n, ok := val.(json.Number)
		if !ok {
			return bad("want an integer, got %v", val)
		}
		if _, err := n.Int64(); err != nil {
			return bad("want an integer, got %v", val)
		}
	case KindInts:
		list, ok := val.([]any)
		if !ok {
			return bad("want a list of integers, got %v", val)
		}
		var ps []string
		for _, x := range list {
			ps = append(ps, v.checkValue(name, ArgSpec{Kind: KindInt}, x)...)
		}
		return ps
	case KindBool:
		if _, ok := val.(bool); !ok {
			return bad("want true or false, got %v", val)
		}
	case KindExpenseItems:
		return v.checkItems(name, val)
	}
	return nil
}

func (v validator) checkDateTime(name, s string) []string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return []string{fmt.Sprintf("%s: want RFC 3339, got %q", name, s)}
	}
	if _, off := t.Zone(); off != v.offset(t) {
		return []string{fmt.Sprintf("%s: %q is not in the tenant's offset", name, s)}
	}
	return nil
}

func (v validator) checkItems(name string, val any) []string {
	list, ok := val.([]any)
	if !ok || len(list) == 0 {
		return []string{name + ": want a non-empty list of items"}
	}
	fields := itemFields()
	var ps []string
	for i, x := range list {
		item, ok := x.(map[string]any)
		if !ok {
			ps = append(ps, fmt.Sprintf("%s[%d]: want an object", name, i))
			continue
		}
		for k, fv := range item {
			field := strings.TrimSuffix(k, "~")
			spec, ok := fields[field]
			where := fmt.Sprintf("%s[%d].%s", name, i, field)
			switch {
			case !ok:
				ps = append(ps, where+": unknown field")
			case strings.HasSuffix(k, "~"):
			case field == "amount":
				if s, ok := fv.(string); !ok || !amountRE.MatchString(s) {
					ps = append(ps, fmt.Sprintf("%s: want a decimal string, got %v", where, fv))
				}
			case field == "currency":
				if s, ok := fv.(string); !ok || !currencyRE.MatchString(s) {
					ps = append(ps, fmt.Sprintf("%s: want an ISO 4217 code, got %v", where, fv))
				}
			default:
				ps = append(ps, v.checkValue(where, spec, fv)...)
			}
		}
	}
	return ps
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil && len(s) == 10
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
