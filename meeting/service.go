package meeting

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/banlihq/banli/domain"
)

// Store is what the service needs from the store; *postgres.Store has it.
// Every method authorizes the actor itself.
type Store interface {
	Settings(ctx context.Context, actor domain.Actor) (domain.Tenant, error)
	Directory(ctx context.Context, actor domain.Actor) ([]domain.Employee, []domain.Department, []domain.Resource, error)
	CreateMeeting(ctx context.Context, actor domain.Actor, in domain.MeetingInput) (domain.Meeting, error)
	Meeting(ctx context.Context, actor domain.Actor, id string) (domain.Meeting, error)
	SaveMeetingSummary(ctx context.Context, actor domain.Actor, id string, s domain.MeetingSummary) (domain.Meeting, error)
}

// Summarizer makes a meeting's summary from its parsed transcript.
type Summarizer interface {
	Summarize(ctx context.Context, in Input) (domain.MeetingSummary, error)
}

// Builtin is the offline summariser (Summarize).
type Builtin struct{}

// Summarize runs the built-in summariser.
func (Builtin) Summarize(_ context.Context, in Input) (domain.MeetingSummary, error) {
	return Summarize(in)
}

// Service records meetings: it reads the transcript, summarises it against
// the company directory and stores both through the store's commands.
type Service struct {
	store Store
	sum   Summarizer
}

// NewService returns a service over st; sum defaults to Builtin.
func NewService(st Store, sum Summarizer) *Service {
	if sum == nil {
		sum = Builtin{}
	}
	return &Service{store: st, sum: sum}
}

// Record is a meeting as submitted: its transcript as written, in Format
// (empty: detected). ID and Organizer are for imports by the system.
type Record struct {
	ID           string
	Organizer    string
	Title        string
	Date         string
	Participants []string
	Transcript   string
	Format       string
}

// Record parses, summarises and stores a meeting. Speakers the directory
// knows join the participants. A transcript that cannot be read is an
// invalid-input error naming what is wrong; nothing is stored then.
func (s *Service) Record(ctx context.Context, actor domain.Actor, r Record) (domain.Meeting, error) {
	var v domain.Validator
	v.Check(strings.TrimSpace(r.Title) != "", "title", "is required")
	format := r.Format
	if format == "" {
		format = DetectFormat(r.Transcript)
	}
	v.Check(slices.Contains(Formats, format), "format", "must be one of "+strings.Join(Formats, ", "))
	lines, perr := Parse(r.Transcript, format)
	if perr != nil && slices.Contains(Formats, format) {
		v.Check(false, "transcript", perr.Error())
	}
	t, err := s.store.Settings(ctx, actor)
	if err != nil {
		return domain.Meeting{}, err
	}
	_, derr := domain.ParseDate(r.Date, t.Settings.Location())
	v.Check(derr == nil, "date", "must be a date (YYYY-MM-DD)")
	if err := v.Err(); err != nil {
		return domain.Meeting{}, err
	}
	in, err := s.input(ctx, actor, t, lines, r.Date, r.Participants)
	if err != nil {
		return domain.Meeting{}, err
	}
	sum, err := s.sum.Summarize(ctx, in)
	if err != nil {
		return domain.Meeting{}, fmt.Errorf("summarise meeting: %w", err)
	}
	return s.store.CreateMeeting(ctx, actor, domain.MeetingInput{ID: r.ID, Organizer: r.Organizer, Title: r.Title, Date: r.Date,
		Participants: in.Participants, Transcript: Text(lines), Format: format, Summary: &sum})
}

// Resummarize summarises a stored meeting again (after the directory or the
// summariser changed) and stores the new summary.
func (s *Service) Resummarize(ctx context.Context, actor domain.Actor, id string) (domain.Meeting, error) {
	m, err := s.store.Meeting(ctx, actor, id)
	if err != nil {
		return domain.Meeting{}, err
	}
	lines, err := Parse(m.Transcript, FormatText)
	if err != nil {
		return domain.Meeting{}, fmt.Errorf("meeting %s: stored transcript: %w", id, err)
	}
	t, err := s.store.Settings(ctx, actor)
	if err != nil {
		return domain.Meeting{}, err
	}
	in, err := s.input(ctx, actor, t, lines, m.Date, m.Participants)
	if err != nil {
		return domain.Meeting{}, err
	}
	sum, err := s.sum.Summarize(ctx, in)
	if err != nil {
		return domain.Meeting{}, fmt.Errorf("summarise meeting %s: %w", id, err)
	}
	return s.store.SaveMeetingSummary(ctx, actor, id, sum)
}

// input builds the summariser's input: the directory, the tenant's zone and
// locale, and the participants with the speakers the directory knows.
func (s *Service) input(ctx context.Context, actor domain.Actor, t domain.Tenant, lines []Line, date string, participants []string) (Input, error) {
	emps, depts, _, err := s.store.Directory(ctx, actor)
	if err != nil {
		return Input{}, err
	}
	dir := Directory(emps, depts)
	parts := slices.Clone(participants)
	who := Speakers(lines, dir, participants)
	for _, l := range SpeakerLabels(lines) {
		if id := who[l]; id != "" && !slices.Contains(parts, id) {
			parts = append(parts, id)
		}
	}
	return Input{Lines: lines, Date: date, Location: t.Settings.Location(), Locale: t.Settings.Locale, Directory: dir, Participants: parts}, nil
}
