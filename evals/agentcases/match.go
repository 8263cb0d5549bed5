package agentcases

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Fold maps a string to a canonical script form, e.g. Traditional to
// Simplified Chinese, so that "title~" matches ignore the script. The
// planner's folding table can be plugged in through Matcher.Fold.
type Fold func(string) string

// Matcher matches proposed tool calls against expected ones with the
// normalisation rules of FORMAT.md §2. The zero value is usable: UTC, no
// script folding, and no actor (so an absent "assignee" matches no want).
type Matcher struct {
	// Loc is the tenant's time zone, used for date-times without an offset
	// and for comparing a date-time with an expected date.
	Loc *time.Location
	// Fold folds Traditional/Simplified forms for "~" keys; nil is identity.
	Fold Fold
	// Actor is the case's actor, the default of create_task's "assignee".
	Actor string
}

// Call is a proposed tool call.
type Call struct {
	Tool string         `json:"tool"`
	Args map[string]any `json:"args"`
}

// MatchCall reports whether a proposed call matches want, and if not why.
// It uses identity script folding and no actor; see Matcher for both.
func MatchCall(want ExpectedCall, gotTool string, gotArgs map[string]any, loc *time.Location) (bool, string) {
	return Matcher{Loc: loc}.Match(want, gotTool, gotArgs)
}

// MatchCalls reports whether the proposed calls match want one for one, in
// order.
func (m Matcher) MatchCalls(want []ExpectedCall, got []Call) (bool, string) {
	if len(want) != len(got) {
		return false, fmt.Sprintf("want %d call(s), got %d", len(want), len(got))
	}
	for i := range want {
		if ok, why := m.Match(want[i], got[i].Tool, got[i].Args); !ok {
			return false, fmt.Sprintf("call %d: %s", i+1, why)
		}
	}
	return true, ""
}

// Match reports whether a proposed call matches want, and if not why.
//
// Rules: the tool must be equal; every listed argument must match and
// unlisted ones are free. Dates (YYYY-MM-DD) match exactly, or a date-time
// on that local day; date-times match as the same instant; employee lists
// (and any list of scalars) match as sets; "amount" and other numbers match
// numerically; lists of objects match element by element as subsets, in any
// order; objects match as subsets. A key ending in "~" passes when the
// produced string contains the value, ignoring case and script. An absent
// optional argument counts as its documented default (see Defaults).
func (m Matcher) Match(want ExpectedCall, gotTool string, gotArgs map[string]any) (bool, string) {
	if want.Tool != gotTool {
		return false, fmt.Sprintf("want tool %s, got %s", want.Tool, gotTool)
	}
	keys := make([]string, 0, len(want.Args))
	for k := range want.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		name := strings.TrimSuffix(k, "~")
		got, ok := gotArgs[name]
		if !ok || got == nil {
			got, ok = m.defaultArg(want.Tool, name, gotArgs)
			if !ok {
				return false, fmt.Sprintf("%s: missing argument %s", want.Tool, name)
			}
		}
		if ok, why := m.matchValue(k, want.Args[k], got); !ok {
			return false, fmt.Sprintf("%s: %s", want.Tool, why)
		}
	}
	return true, ""
}

// Defaults returns the documented defaults of optional arguments of a tool
// that do not depend on the actor or on other arguments.
func Defaults(tool string) map[string]any {
	switch tool {
	case "request_leave":
		return map[string]any{"start_half": "am", "end_half": "pm"}
	case "create_task":
		return map[string]any{"priority": "normal"}
	case "create_expense_claim":
		return map[string]any{"submit": false}
	}
	return nil
}

// defaultArg returns the value an absent argument counts as.
func (m Matcher) defaultArg(tool, name string, got map[string]any) (any, bool) {
	if v, ok := Defaults(tool)[name]; ok {
		return v, true
	}
	switch {
	case tool == "create_task" && name == "assignee" && m.Actor != "":
		return m.Actor, true
	case tool == "create_event" && name == "end":
		// An event with a start and no end lasts 60 minutes.
		s, ok := got["start"].(string)
		if !ok {
			return nil, false
		}
		t, err := m.parseDateTime(s)
		if err != nil {
			return nil, false
		}
		return t.Add(time.Hour).Format(time.RFC3339), true
	}
	return nil, false
}

var (
	dateRE     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateTimeRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}`)
)

func (m Matcher) loc() *time.Location {
	if m.Loc == nil {
		return time.UTC
	}
	return m.Loc
}

// parseDateTime parses RFC 3339, or a local date-time without offset in the
// tenant's zone.
func (m Matcher) parseDateTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, m.loc()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date-time: %q", s)
}

func (m Matcher) fold(s string) string {
	s = strings.ToLower(s)
	if m.Fold != nil {
		s = strings.ToLower(m.Fold(s))
	}
	return s
}

// matchValue compares one wanted value with the produced one. key is the
// wanted key (possibly ending in "~").
func (m Matcher) matchValue(key string, want, got any) (bool, string) {
	name := strings.TrimSuffix(key, "~")
	if strings.HasSuffix(key, "~") {
		ws, ok1 := want.(string)
		gs, ok2 := got.(string)
		if !ok1 || !ok2 {
			return false, fmt.Sprintf("%s: want a string containing %v, got %v", name, want, got)
		}
		if !strings.Contains(m.fold(gs), m.fold(ws)) {
			return false, fmt.Sprintf("%s: %q does not contain %q", name, gs, ws)
		}
		return true, ""
	}
	switch w := want.(type) {
	case string:
		return m.matchString(name, w, got)
	case json.Number, float64, int, int64:
		if !numEqual(want, got) {
			return false, fmt.Sprintf("%s: want %v, got %v", name, want, got)
		}
		return true, ""
	case bool:
		if g, ok := got.(bool); !ok || g != w {
			return false, fmt.Sprintf("%s: want %v, got %v", name, w, got)
		}
		return true, ""
	case []any:
		g, ok := got.([]any)
		if !ok {
			return false, fmt.Sprintf("%s: want a list, got %v", name, got)
		}
		return m.matchList(name, w, g)
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false, fmt.Sprintf("%s: want an object, got %v", name, got)
		}
		return m.matchObject(name, w, g)
	case nil:
		if got != nil {
			return false, fmt.Sprintf("%s: want null, got %v", name, got)
		}
		return true, ""
	}
	return false, fmt.Sprintf("%s: unsupported expected value %v", name, want)
}

func (m Matcher) matchString(name, want string, got any) (bool, string) {
	if name == "amount" || name == "duration_minutes" {
		if !numEqual(want, got) {
			return false, fmt.Sprintf("%s: want %s, got %v", name, want, got)
		}
		return true, ""
	}
	if name == "recurrence" {
		gs, ok := got.(string)
		if !ok || !rruleContains(gs, want) {
			return false, fmt.Sprintf("%s: want RRULE with %s, got %v", name, want, got)
		}
		return true, ""
	}
	gs, ok := got.(string)
	if !ok {
		if numEqual(want, got) {
			return true, ""
		}
		return false, fmt.Sprintf("%s: want %q, got %v", name, want, got)
	}
	switch {
	case dateRE.MatchString(want):
		if gs == want {
			return true, ""
		}
		if t, err := m.parseDateTime(gs); err == nil && t.In(m.loc()).Format("2006-01-02") == want {
			return true, ""
		}
		return false, fmt.Sprintf("%s: want date %s, got %q", name, want, gs)
	case dateTimeRE.MatchString(want):
		wt, err := m.parseDateTime(want)
		if err != nil {
			return false, fmt.Sprintf("%s: bad expected date-time %q", name, want)
		}
		gt, err := m.parseDateTime(gs)
		if err != nil || !gt.Equal(wt) {
			return false, fmt.Sprintf("%s: want %s, got %q", name, want, gs)
		}
		return true, ""
	}
	if gs != want {
		return false, fmt.Sprintf("%s: want %q, got %q", name, want, gs)
	}
	return true, ""
}

// matchList matches scalar lists as multisets and object lists element by
// element as subsets, in any order, with equal lengths.
func (m Matcher) matchList(name string, want, got []any) (bool, string) {
	if len(want) != len(got) {
		return false, fmt.Sprintf("%s: want %d element(s), got %d", name, len(want), len(got))
	}
	used := make([]bool, len(got))
	var assign func(i int) bool
	assign = func(i int) bool {
		if i == len(want) {
			return true
		}
		for j := range got {
			if used[j] {
				continue
			}
			if ok, _ := m.matchValue(name, want[i], got[j]); ok {
				used[j] = true
				if assign(i + 1) {
					return true
				}
				used[j] = false
			}
		}
		return false
	}
	if assign(0) {
		return true, ""
	}
	// Explain with the first element that matches nothing on its own.
	for i, w := range want {
		found := false
		var why string
		for _, g := range got {
			var ok bool
			if ok, why = m.matchValue(name, w, g); ok {
				found = true
				break
			}
		}
		if !found {
			return false, fmt.Sprintf("%s[%d]: no match (%s)", name, i, why)
		}
	}
	return false, fmt.Sprintf("%s: want %v, got %v", name, want, got)
}

func (m Matcher) matchObject(name string, want, got map[string]any) (bool, string) {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field := strings.TrimSuffix(k, "~")
		g, ok := got[field]
		if !ok || g == nil {
			return false, fmt.Sprintf("%s.%s: missing", name, field)
		}
		if ok, why := m.matchValue(k, want[k], g); !ok {
			return false, name + "." + why
		}
	}
	return true, ""
}

// numEqual compares two values as exact decimal numbers; strings are parsed.
func numEqual(a, b any) bool {
	x, ok1 := toRat(a)
	y, ok2 := toRat(b)
	return ok1 && ok2 && x.Cmp(y) == 0
}

func toRat(v any) (*big.Rat, bool) {
	var s string
	switch t := v.(type) {
	case string:
		s = strings.TrimSpace(t)
	case json.Number:
		s = t.String()
	case float64:
		// The shortest decimal that round-trips: 45.6, not its binary value.
		s = strconv.FormatFloat(t, 'f', -1, 64)
	case float32:
		s = strconv.FormatFloat(float64(t), 'f', -1, 32)
	case int:
		return new(big.Rat).SetInt64(int64(t)), true
	case int64:
		return new(big.Rat).SetInt64(t), true
	default:
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

// rruleContains reports whether every part (KEY=VALUE) of want appears in
// got, ignoring order, case and an "RRULE:" prefix.
func rruleContains(got, want string) bool {
	parts := func(s string) map[string]string {
		s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "RRULE:")
		out := map[string]string{}
		for _, p := range strings.Split(s, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok {
				out[k] = v
			}
		}
		return out
	}
	g := parts(got)
	for k, v := range parts(want) {
		if g[k] != v {
			return false
		}
	}
	return true
}
