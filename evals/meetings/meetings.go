// Package meetings scores the built-in meeting summariser's action items
// (shared evals/FORMAT.md §5). dir/cases.jsonl holds one meeting a line:
//
//	{"id":"m1","fixture":"org.yaml","transcript":"m1.txt","date":"2026-11-20",
//	 "action_items":[{"owner":"e-002","task":"send revised quote to client","due":"2026-11-27"}]}
//
// Paths are relative to dir. The transcript's format is read from its
// content (WebVTT, SubRip, else "speaker: text" lines); the fixture's
// directory resolves speakers and owners. Unknown keys are ignored; an
// optional "lang" groups the report.
//
// Scoring. Text is normalised by meeting.Tokens (Traditional/Simplified and
// case folded; Latin words and single Chinese characters). A produced item
// matches a gold one when the owners are equal and the task texts' token F1
// is at least 0.5; each item matches at most once, best pairs first.
// Precision, recall and F1 count matches over all cases. Owner accuracy pairs
// items by task text alone and counts the pairs whose owners agree; due
// accuracy counts the matched pairs whose due dates agree (both empty is
// agreement).
package meetings

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/nlu/people"
)

// MatchThreshold is the task-text token F1 at which two items are the same.
const MatchThreshold = 0.5

// Item is a gold or produced action item.
type Item struct {
	Owner string `json:"owner"`
	Task  string `json:"task"`
	Due   string `json:"due,omitempty"`
}

// Case is one line of cases.jsonl.
type Case struct {
	ID          string `json:"id"`
	Lang        string `json:"lang,omitempty"`
	Fixture     string `json:"fixture"`
	Transcript  string `json:"transcript"`
	Date        string `json:"date"`
	ActionItems []Item `json:"action_items"`
}

// CaseResult is one meeting's outcome.
type CaseResult struct {
	ID        string  `json:"id"`
	Lang      string  `json:"lang,omitempty"`
	Gold      int     `json:"gold"`
	Produced  int     `json:"produced"`
	Matched   int     `json:"matched"`
	DueRight  int     `json:"due_right"`
	F1        float64 `json:"f1"`
	Missed    []Item  `json:"missed,omitempty"`
	Extra     []Item  `json:"extra,omitempty"`
	WrongDue  []Item  `json:"wrong_due,omitempty"` // produced items whose due differs from the gold's
	Error     string  `json:"error,omitempty"`
	Millis    float64 `json:"ms"`
	ownerPair int
	ownerOK   int
}

// Report is the suite's outcome; its keys follow FORMAT.md.
type Report struct {
	Total         int                `json:"total"`
	Gold          int                `json:"gold"`
	Produced      int                `json:"produced"`
	Matched       int                `json:"matched"`
	Precision     float64            `json:"precision"`
	Recall        float64            `json:"recall"`
	F1            float64            `json:"f1"`
	OwnerAccuracy float64            `json:"owner_accuracy"`
	DueAccuracy   float64            `json:"due_accuracy"`
	ByLang        map[string]float64 `json:"by_lang"` // F1 per lang
	Errors        int                `json:"errors"`
	Seconds       float64            `json:"seconds"`
	Cases         []CaseResult       `json:"cases"`
}

// ReadCases parses dir/cases.jsonl.
func ReadCases(dir string) ([]Case, error) {
	path := filepath.Join(dir, "cases.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("meetings eval: %w", err)
	}
	var cs []Case
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var c Case
		if err := json.Unmarshal(line, &c); err != nil {
			return nil, fmt.Errorf("meetings eval: %s line %d: %w", path, n, err)
		}
		switch {
		case c.ID == "":
			return nil, fmt.Errorf("meetings eval: %s line %d: no id", path, n)
		case c.Transcript == "" || c.Fixture == "":
			return nil, fmt.Errorf("meetings eval: %s line %d (%s): fixture and transcript are required", path, n, c.ID)
		}
		if _, err := time.Parse(time.DateOnly, c.Date); err != nil {
			return nil, fmt.Errorf("meetings eval: %s line %d (%s): date %q is not YYYY-MM-DD", path, n, c.ID, c.Date)
		}
		cs = append(cs, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("meetings eval: %s: %w", path, err)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("meetings eval: %s has no cases", path)
	}
	return cs, nil
}

// company is a fixture ready for summarising.
type company struct {
	dir    *people.Directory
	loc    *time.Location
	locale string
}

func loadCompany(path string) (*company, error) {
	f, err := fixture.Load(path)
	if err != nil {
		return nil, err
	}
	emps := make([]domain.Employee, 0, len(f.Employees))
	for _, e := range f.Employees {
		emps = append(emps, domain.Employee{ID: e.ID, Name: e.Name, NameEn: e.NameEn, Aliases: e.Aliases, Email: e.Email,
			Department: e.Department, Manager: e.Manager, Title: e.Title, Active: true})
	}
	depts := make([]domain.Department, 0, len(f.Departments))
	for _, d := range f.Departments {
		depts = append(depts, domain.Department{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Head: d.Head})
	}
	settings := domain.DefaultSettings()
	if f.Tenant.Timezone != "" {
		settings.Timezone = f.Tenant.Timezone
	}
	if f.Tenant.Locale != "" {
		settings.Locale = f.Tenant.Locale
	}
	return &company{dir: meeting.Directory(emps, depts), loc: settings.Location(), locale: settings.Locale}, nil
}

// Run scores every case of dir. progress, when set, is called after each case.
func Run(ctx context.Context, dir string, progress func(done, total int)) (*Report, error) {
	cases, err := ReadCases(dir)
	if err != nil {
		return nil, err
	}
	companies := map[string]*company{}
	rep := &Report{ByLang: map[string]float64{}}
	t0 := time.Now()
	for i, c := range cases {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fx := filepath.Join(dir, c.Fixture)
		co, ok := companies[fx]
		if !ok {
			if co, err = loadCompany(fx); err != nil {
				return nil, fmt.Errorf("meetings eval: case %s: %w", c.ID, err)
			}
			companies[fx] = co
		}
		rep.Cases = append(rep.Cases, runCase(dir, co, c))
		if progress != nil {
			progress(i+1, len(cases))
		}
	}
	rep.Seconds = time.Since(t0).Seconds()
	rep.summarise()
	return rep, nil
}

// Produce summarises one case's transcript as the system does.
func produce(dir string, co *company, c Case) ([]Item, error) {
	b, err := os.ReadFile(filepath.Join(dir, c.Transcript))
	if err != nil {
		return nil, fmt.Errorf("read transcript: %w", err)
	}
	lines, err := meeting.Parse(string(b), "")
	if err != nil {
		return nil, fmt.Errorf("transcript %s: %w", c.Transcript, err)
	}
	sum, err := meeting.Summarize(meeting.Input{Lines: lines, Date: c.Date, Location: co.loc, Locale: co.locale, Directory: co.dir})
	if err != nil {
		return nil, err
	}
	out := make([]Item, 0, len(sum.ActionItems))
	for _, a := range sum.ActionItems {
		out = append(out, Item{Owner: a.Owner, Task: a.Task, Due: a.Due})
	}
	return out, nil
}

func runCase(dir string, co *company, c Case) CaseResult {
	r := CaseResult{ID: c.ID, Lang: c.Lang, Gold: len(c.ActionItems)}
	t0 := time.Now()
	got, err := produce(dir, co, c)
	r.Millis = float64(time.Since(t0).Microseconds()) / 1000
	if err != nil {
		r.Error = err.Error()
		r.Missed = c.ActionItems
		return r
	}
	r.Produced = len(got)
	pairs := match(got, c.ActionItems, true)
	usedG, usedP := map[int]bool{}, map[int]bool{}
	for _, p := range pairs {
		usedP[p[0]], usedG[p[1]] = true, true
		r.Matched++
		if got[p[0]].Due == c.ActionItems[p[1]].Due {
			r.DueRight++
		} else {
			r.WrongDue = append(r.WrongDue, Item{Owner: got[p[0]].Owner, Task: got[p[0]].Task, Due: got[p[0]].Due + " (gold " + orNone(c.ActionItems[p[1]].Due) + ")"})
		}
	}
	for i, g := range c.ActionItems {
		if !usedG[i] {
			r.Missed = append(r.Missed, g)
		}
	}
	for i, p := range got {
		if !usedP[i] {
			r.Extra = append(r.Extra, p)
		}
	}
	for _, p := range match(got, c.ActionItems, false) {
		r.ownerPair++
		if got[p[0]].Owner == c.ActionItems[p[1]].Owner {
			r.ownerOK++
		}
	}
	r.F1 = f1(r.Matched, r.Produced, r.Gold)
	return r
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// match pairs produced and gold items one to one, most similar first;
// withOwner requires equal owners.
func match(got, gold []Item, withOwner bool) [][2]int {
	type pair struct {
		p, g int
		sim  float64
	}
	var ps []pair
	for i, p := range got {
		for j, g := range gold {
			if withOwner && p.Owner != g.Owner {
				continue
			}
			if sim := meeting.TokenF1(p.Task, g.Task); sim >= MatchThreshold {
				ps = append(ps, pair{i, j, sim})
			}
		}
	}
	sort.SliceStable(ps, func(a, b int) bool { return ps[a].sim > ps[b].sim })
	usedP, usedG := map[int]bool{}, map[int]bool{}
	var out [][2]int
	for _, p := range ps {
		if usedP[p.p] || usedG[p.g] {
			continue
		}
		usedP[p.p], usedG[p.g] = true, true
		out = append(out, [2]int{p.p, p.g})
	}
	return out
}

func f1(matched, produced, gold int) float64 {
	if matched == 0 {
		return 0
	}
	p := float64(matched) / float64(produced)
	r := float64(matched) / float64(gold)
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func (r *Report) summarise() {
	type tally struct{ m, p, g int }
	byLang := map[string]*tally{}
	dueRight, ownerPair, ownerOK := 0, 0, 0
	for _, c := range r.Cases {
		r.Total++
		r.Gold += c.Gold
		r.Produced += c.Produced
		r.Matched += c.Matched
		dueRight += c.DueRight
		ownerPair += c.ownerPair
		ownerOK += c.ownerOK
		if c.Error != "" {
			r.Errors++
		}
		if c.Lang != "" {
			t := byLang[c.Lang]
			if t == nil {
				t = &tally{}
				byLang[c.Lang] = t
			}
			t.m, t.p, t.g = t.m+c.Matched, t.p+c.Produced, t.g+c.Gold
		}
	}
	r.Precision = ratio(r.Matched, r.Produced)
	r.Recall = ratio(r.Matched, r.Gold)
	r.F1 = f1(r.Matched, r.Produced, r.Gold)
	r.OwnerAccuracy = ratio(ownerOK, ownerPair)
	r.DueAccuracy = ratio(dueRight, r.Matched)
	for l, t := range byLang {
		r.ByLang[l] = f1(t.m, t.p, t.g)
	}
}

// Table prints the report for people; verbose adds each case's misses.
func (r *Report) Table(w io.Writer, verbose bool) error {
	fmt.Fprintf(w, "meetings eval: %d transcripts, %d gold action items, %d produced, %d matched (%.3f s)\n",
		r.Total, r.Gold, r.Produced, r.Matched, r.Seconds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "precision\t%.3f\n", r.Precision)
	fmt.Fprintf(tw, "recall\t%.3f\n", r.Recall)
	fmt.Fprintf(tw, "f1\t%.3f\n", r.F1)
	fmt.Fprintf(tw, "owner accuracy\t%.3f\n", r.OwnerAccuracy)
	fmt.Fprintf(tw, "due accuracy\t%.3f\n", r.DueAccuracy)
	langs := make([]string, 0, len(r.ByLang))
	for l := range r.ByLang {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		fmt.Fprintf(tw, "f1 %s\t%.3f\n", l, r.ByLang[l])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range r.Cases {
		if c.Error != "" {
			fmt.Fprintf(w, "  %s: error: %s\n", c.ID, c.Error)
		}
		if !verbose || (len(c.Missed) == 0 && len(c.Extra) == 0 && len(c.WrongDue) == 0) {
			continue
		}
		fmt.Fprintf(w, "  %s (f1 %.2f)\n", c.ID, c.F1)
		for _, m := range c.Missed {
			fmt.Fprintf(w, "    missed %s %q %s\n", m.Owner, m.Task, m.Due)
		}
		for _, m := range c.Extra {
			fmt.Fprintf(w, "    extra  %s %q %s\n", m.Owner, m.Task, m.Due)
		}
		for _, m := range c.WrongDue {
			fmt.Fprintf(w, "    due    %s %q %s\n", m.Owner, m.Task, m.Due)
		}
	}
	return nil
}

// String renders an item for test failures.
func (i Item) String() string { return strings.TrimSpace(i.Owner + " " + i.Task + " " + i.Due) }
