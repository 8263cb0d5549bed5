package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/banlihq/banli/agent/llm"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/evals/meetings"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/progress"
	"github.com/banlihq/banli/voice"
)

func cmdMeetings(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "summarize" {
		return errors.New("usage: banli meetings summarize FILE [--date YYYY-MM-DD] [--fixture F.yaml] [--format text|vtt|srt] [--json]")
	}
	fs := newFlags("meetings summarize")
	date := fs.String("date", "", "the meeting's date, which relative deadlines resolve from (default: today)")
	fx := fs.String("fixture", "", "company fixture whose directory resolves names (default: the demo company)")
	format := fs.String("format", "", "transcript format: text, vtt or srt (default: detected)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	lang := fs.String("lang", "", "language hint for a recording: en, zh or yue (default: detect)")
	// Flags may follow the file: banli meetings summarize m.txt --date 2026-11-20.
	var files []string
	rest := args[1:]
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		return errors.New("give one transcript file: banli meetings summarize FILE")
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return fmt.Errorf("read transcript: %w", err)
	}
	f, err := loadFixture(*fx)
	if err != nil {
		return err
	}
	settings := domain.DefaultSettings()
	if f.Tenant.Timezone != "" {
		settings.Timezone = f.Tenant.Timezone
	}
	if f.Tenant.Locale != "" {
		settings.Locale = f.Tenant.Locale
	}
	if *date == "" {
		*date = time.Now().In(settings.Location()).Format(time.DateOnly)
	}
	if _, err := voice.Sniff(b); err == nil {
		// A recording: transcribed window by window through the voice path
		// (a speech server when BANLI_STT_BASE_URL is set, else offline).
		speech, err := voice.FromEnv(os.Getenv)
		if err != nil {
			return err
		}
		var bar *progress.Bar
		segs, err := speech.TranscribeRecording(ctx, b, *lang, voice.RecordingLimits(), func(done, total int) {
			if bar == nil {
				bar = progress.New(stderr, "transcribing (30 s windows)", total)
			}
			bar.Set(done)
		})
		if bar != nil {
			bar.Finish()
		}
		if err != nil {
			return fmt.Errorf("%s: %s", filepath.Base(files[0]), message(err))
		}
		b, *format = []byte(voice.WebVTT(segs)), "vtt"
	}
	lines, err := meeting.Parse(string(b), *format)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(files[0]), err)
	}
	emps, names := fixtureDirectory(f)
	sum, err := meeting.Summarize(meeting.Input{Lines: lines, Date: *date, Location: settings.Location(), Locale: settings.Locale,
		Directory: meeting.Directory(emps, nil)})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(sum)
	}
	printSummary(stdout, sum, names)
	return nil
}

// meetingSummarizerFromEnv returns the summariser of recorded meetings: with
// BANLI_LLM_BASE_URL and BANLI_LLM_MODEL set, the model (map-reduce over a
// long transcript's parts) with the built-in summariser as its fall-back;
// otherwise the built-in one. desc says which, for the operator.
func meetingSummarizerFromEnv(getenv func(string) string, log *slog.Logger) (s meeting.Summarizer, desc string, err error) {
	cfg, err := llm.FromEnv(getenv)
	if errors.Is(err, llm.ErrNotConfigured) {
		return meeting.Builtin{}, "built-in (offline)", nil
	}
	if err != nil {
		return nil, "", err
	}
	m, err := meeting.NewLLM(meeting.LLMConfig{BaseURL: cfg.BaseURL, Model: cfg.Model, APIKey: cfg.APIKey, Logger: log}, meeting.Builtin{})
	if err != nil {
		return nil, "", err
	}
	return m, cfg.Model + ", the built-in summariser as fall-back", nil
}

// loadFixture reads a fixture file, or the embedded demo company.
func loadFixture(path string) (*fixture.Fixture, error) {
	if path == "" {
		return fixture.Demo()
	}
	return fixture.Load(path)
}

// fixtureDirectory returns a fixture's employees and their display names.
func fixtureDirectory(f *fixture.Fixture) ([]domain.Employee, map[string]string) {
	emps := make([]domain.Employee, 0, len(f.Employees))
	names := map[string]string{}
	for _, e := range f.Employees {
		emps = append(emps, domain.Employee{ID: e.ID, Name: e.Name, NameEn: e.NameEn, Aliases: e.Aliases, Email: e.Email,
			Department: e.Department, Manager: e.Manager, Title: e.Title, Active: true})
		names[e.ID] = e.Name
		if e.NameEn != "" && e.NameEn != e.Name {
			names[e.ID] += " " + e.NameEn
		}
	}
	return emps, names
}

// printSummary renders a summary for the terminal. Transcript text is shown
// as quoted data.
func printSummary(w io.Writer, s domain.MeetingSummary, names map[string]string) {
	who := func(id string) string {
		if n, ok := names[id]; ok {
			return n + " (" + id + ")"
		}
		if id == "" {
			return "(nobody named)"
		}
		return id
	}
	section := func(title string, ps []domain.SummaryPoint) {
		fmt.Fprintf(w, "%s\n", title)
		if len(ps) == 0 {
			fmt.Fprintln(w, "  (none)")
		}
		for _, p := range ps {
			fmt.Fprintf(w, "  > %s  [line %d, %s]\n", p.Text, p.Line, who(p.Speaker))
		}
	}
	fmt.Fprintf(w, "Summary (%s, %s)\n\n", s.Lang, s.Method)
	section("Key points 重點", s.KeyPoints)
	fmt.Fprintln(w)
	section("Decisions 決定", s.Decisions)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Action items 跟進事項")
	if len(s.ActionItems) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	for i, a := range s.ActionItems {
		due := ""
		if a.Due != "" {
			due = ", due " + a.Due
		}
		fmt.Fprintf(w, "  %d. %s — %s%s  [line %d]\n", i+1, who(a.Owner), a.Task, due, a.Line)
	}
}

func evalMeetings(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval meetings")
	dir := fs.String("dir", "", "folder with cases.jsonl, the transcripts and fixtures (shared evals/FORMAT.md §5)")
	jsonOut := fs.String("json", "", "write the JSON report here")
	minF1 := fs.Float64("min-f1", -1, "fail below this action-item F1")
	minP := fs.Float64("min-precision", -1, "fail below this action-item precision")
	minR := fs.Float64("min-recall", -1, "fail below this action-item recall")
	verbose := fs.Bool("v", false, "list each case's missed, extra and wrongly dated items")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		return errors.New("--dir is required")
	}
	var bar *progress.Bar
	rep, err := meetings.Run(ctx, *dir, func(done, total int) {
		if bar == nil {
			bar = progress.New(stderr, "meetings", total)
		}
		bar.Set(done)
	})
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	if err := rep.Table(stdout, *verbose); err != nil {
		return err
	}
	if err := writeJSON(*jsonOut, rep); err != nil {
		return err
	}
	if rep.Errors > 0 {
		var ids []string
		for _, c := range rep.Cases {
			if c.Error != "" {
				ids = append(ids, c.ID)
			}
		}
		return exitError{fmt.Sprintf("%d case(s) could not be read: %s", rep.Errors, strings.Join(ids, ", "))}
	}
	if err := floor("f1", rep.F1, *minF1); err != nil {
		return err
	}
	if err := floor("precision", rep.Precision, *minP); err != nil {
		return err
	}
	return floor("recall", rep.Recall, *minR)
}
