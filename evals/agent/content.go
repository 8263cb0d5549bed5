package agenteval

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
)

// backend is the store plus the fixture's meetings and documents, which the
// store does not hold yet. Meetings are readable by their participants;
// documents by everyone in the tenant.
type backend struct {
	*postgres.Store
	meetings []domain.Meeting
	docs     []domain.Document
}

func newBackend(st *postgres.Store, fx *fixture.Fixture) *backend {
	b := &backend{Store: st}
	for _, m := range fx.Meetings {
		b.meetings = append(b.meetings, domain.Meeting{ID: m.ID, Title: m.Title, Date: m.Date, Participants: m.Participants, Transcript: m.Transcript})
	}
	for _, d := range fx.Documents {
		b.docs = append(b.docs, domain.Document{ID: d.ID, Title: d.Title, Text: d.Text})
	}
	return b
}

// Meetings returns the meetings the actor took part in.
func (b *backend) Meetings(ctx context.Context, actor domain.Actor) ([]domain.Meeting, error) {
	var out []domain.Meeting
	for _, m := range b.meetings {
		if slices.Contains(m.Participants, actor.EmployeeID) {
			out = append(out, m)
		}
	}
	return out, nil
}

// Meeting returns one meeting the actor took part in.
func (b *backend) Meeting(ctx context.Context, actor domain.Actor, id string) (domain.Meeting, error) {
	for _, m := range b.meetings {
		if m.ID == id && slices.Contains(m.Participants, actor.EmployeeID) {
			return m, nil
		}
	}
	return domain.Meeting{}, domain.Errorf(domain.ENotFound, "no meeting %q", id)
}

// ActionItems returns no items: extracting action items from transcripts is
// the meetings suite's work and is not wired into the agent yet.
func (b *backend) ActionItems(ctx context.Context, actor domain.Actor, id string) ([]domain.ActionItem, error) {
	if _, err := b.Meeting(ctx, actor, id); err != nil {
		return nil, err
	}
	return nil, nil
}

// SearchDocuments ranks documents by shared words and character bigrams.
func (b *backend) SearchDocuments(ctx context.Context, actor domain.Actor, query string, limit int) ([]domain.Document, error) {
	q := grams(query)
	type hit struct {
		d     domain.Document
		score int
	}
	var hits []hit
	for _, d := range b.docs {
		g := grams(d.Title + " " + d.Text)
		s := 0
		for k := range q {
			if g[k] {
				s++
			}
		}
		if s > 0 {
			hits = append(hits, hit{d, s})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
	var out []domain.Document
	for i, h := range hits {
		if i == limit {
			break
		}
		out = append(out, h.d)
	}
	return out, nil
}

// grams returns lower-case Latin words and bigrams of Han characters.
func grams(s string) map[string]bool {
	out := map[string]bool{}
	var han []rune
	flush := func() {
		for i := 0; i+1 < len(han); i++ {
			out[string(han[i:i+2])] = true
		}
		han = han[:0]
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		for _, r := range w {
			if unicode.Is(unicode.Han, r) {
				han = append(han, r)
			} else {
				flush()
			}
		}
		flush()
		if len(w) > 2 && !strings.ContainsFunc(w, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			out[w] = true
		}
	}
	return out
}

// quietLogger drops the store's log lines (River's start-up chatter) so the
// eval's table stays readable.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
