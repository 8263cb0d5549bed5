package meeting

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/when"
)

// Input is what the built-in summariser reads: the transcript's lines, the
// meeting date that relative dates resolve against, and the directory that
// speakers and owners resolve to.
type Input struct {
	Lines []Line
	// Date is the meeting's date (YYYY-MM-DD); "星期五前" and "next Monday"
	// resolve from it (TOOLS.md conventions).
	Date string
	// Location is the tenant's time zone (default Asia/Hong_Kong).
	Location *time.Location
	// Locale decides how numeric dates read ("3/12"); see when.DayFirstLocale.
	Locale string
	// Directory resolves speakers and people named in the transcript.
	Directory *people.Directory
	// Participants are employee ids; they break ties between colleagues who
	// share a name ("Ming").
	Participants []string
}

// Speakers maps each speaker label of lines to an employee id, or to ""
// when the directory does not know it. Labels are resolved like names in
// chat ("Karen", "陳嘉慧", "Karen Chan (Ops)"); ties go to participants.
func Speakers(ls []Line, dir *people.Directory, participants []string) map[string]string {
	out := map[string]string{}
	for _, l := range ls {
		if _, ok := out[l.Speaker]; ok || l.Speaker == "" {
			continue
		}
		out[l.Speaker] = resolveLabel(l.Speaker, dir, participants)
	}
	return out
}

func resolveLabel(label string, dir *people.Directory, participants []string) string {
	if dir == nil {
		return ""
	}
	if _, ok := dir.Employee(label); ok {
		return label // already an id
	}
	best, bestLen := "", 0
	for _, m := range dir.Find(label, "") {
		if m.Kind != people.Person {
			continue
		}
		id := pick(m.IDs, participants)
		if id == "" {
			continue
		}
		if n := m.End - m.Start; n > bestLen {
			best, bestLen = id, n
		}
	}
	return best
}

// pick returns the one candidate, or the one candidate among participants.
func pick(ids, participants []string) string {
	if len(ids) == 1 {
		return ids[0]
	}
	var in []string
	for _, id := range ids {
		if slices.Contains(participants, id) {
			in = append(in, id)
		}
	}
	if len(in) == 1 {
		return in[0]
	}
	return ""
}

// summarizer holds one run's state.
type summarizer struct {
	in    Input
	now   time.Time // the meeting date, 09:00 local
	opt   when.Options
	who   map[string]string // speaker label -> employee id
	parts []string          // participants and resolved speakers
	utts  []utterance
}

// utterance is one transcript line cut into sentences.
type utterance struct {
	line    Line
	speaker string // employee id, "" when unknown
	sents   []sentence
}

// Summarize makes the built-in, offline summary of a transcript: ranked key
// points, decisions, and action items with owners resolved to employees and
// due dates resolved from the meeting date. It does not call out anywhere.
func Summarize(in Input) (domain.MeetingSummary, error) {
	if len(in.Lines) == 0 {
		return domain.MeetingSummary{}, errors.New("the transcript has no lines")
	}
	loc := in.Location
	if loc == nil {
		loc = domain.DefaultSettings().Location()
	}
	day, err := time.ParseInLocation(time.DateOnly, in.Date, loc)
	if err != nil {
		return domain.MeetingSummary{}, fmt.Errorf("meeting date %q is not YYYY-MM-DD", in.Date)
	}
	s := &summarizer{in: in, now: day.Add(9 * time.Hour), opt: when.Options{DayFirst: when.DayFirstLocale(in.Locale), Lean: when.Future}}
	s.who = Speakers(in.Lines, in.Directory, in.Participants)
	s.parts = slices.Clone(in.Participants)
	for _, id := range s.who {
		if id != "" && !slices.Contains(s.parts, id) {
			s.parts = append(s.parts, id)
		}
	}
	var all []byte
	for i, l := range in.Lines {
		u := utterance{line: l, speaker: s.who[l.Speaker]}
		for _, rs := range splitSentences(l.Text) {
			u.sents = append(u.sents, sentence{utt: i, text: rs, f: fold(rs)})
		}
		s.utts = append(s.utts, u)
		all = append(all, l.Text...)
		all = append(all, '\n')
	}
	out := domain.MeetingSummary{Lang: detectLang(string(all)), Method: "builtin"}
	out.ActionItems = s.actionItems()
	out.Decisions = s.decisions()
	out.KeyPoints = s.keyPoints(out.Decisions, out.ActionItems)
	if out.ActionItems == nil {
		out.ActionItems = []domain.ActionItem{}
	}
	if out.Decisions == nil {
		out.Decisions = []domain.SummaryPoint{}
	}
	if out.KeyPoints == nil {
		out.KeyPoints = []domain.SummaryPoint{}
	}
	return out, nil
}

// speakerRef names a line's speaker in a summary: the employee id when
// known, else the label.
func (s *summarizer) speakerRef(u utterance) string {
	if u.speaker != "" {
		return u.speaker
	}
	return u.line.Speaker
}
