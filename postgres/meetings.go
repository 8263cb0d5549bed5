package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/knowledge"
)

// meetingCols reads a meeting without its transcript and summary; the
// participants come sorted.
const meetingCols = `m.id, m.title, m.date::text, m.organizer, m.format, m.created_at,
	coalesce((SELECT array_agg(p.employee_id ORDER BY p.employee_id) FROM meeting_participants p
	  WHERE p.tenant_id = m.tenant_id AND p.meeting_id = m.id), '{}')`

func scanMeeting(r pgx.Row, extra ...any) (domain.Meeting, error) {
	var m domain.Meeting
	err := r.Scan(append([]any{&m.ID, &m.Title, &m.Date, &m.Organizer, &m.Format, &m.CreatedAt, &m.Participants}, extra...)...)
	return m, err
}

// meetingResource describes a meeting for the policies: participants read
// it, the organizer reads and updates it.
func meetingResource(m domain.Meeting) authz.Resource {
	ps := m.Participants
	if ps == nil {
		ps = []string{}
	}
	return authz.Resource{Type: authz.TypeMeeting, ID: m.ID, Creator: m.Organizer, Attendees: ps}
}

// seesAllMeetings mirrors the policy that administrators and auditors read
// every meeting.
func (tx *Tx) seesAllMeetings() bool {
	return tx.actor.System || slices.Contains(tx.me.Roles, domain.RoleAdmin) || slices.Contains(tx.me.Roles, domain.RoleAuditor)
}

// meeting loads a meeting the actor may read, with its transcript and
// summary; others get not found, so that a meeting's existence does not
// leak.
func (tx *Tx) meeting(ctx context.Context, id string, lock bool) (domain.Meeting, error) {
	q := `SELECT ` + meetingCols + `, m.transcript, m.summary FROM meetings m WHERE m.tenant_id = $1 AND m.id = $2`
	if lock {
		q += ` FOR UPDATE OF m`
	}
	var transcript string
	var summary []byte
	m, err := scanMeeting(tx.QueryRow(ctx, q, tx.tenant.ID, id), &transcript, &summary)
	if err := notFound(err, "meeting", id); err != nil {
		return m, err
	}
	if err := tx.can(authz.Read, meetingResource(m)); err != nil {
		return domain.Meeting{}, domain.Errorf(domain.ENotFound, "no meeting %q", id)
	}
	m.Transcript = transcript
	if len(summary) > 0 {
		m.Summary = new(domain.MeetingSummary)
		if err := json.Unmarshal(summary, m.Summary); err != nil {
			return m, fmt.Errorf("meeting %s summary: %w", id, err)
		}
	}
	return m, nil
}

// checkSummary validates a summary's owners against the directory: an
// owner must be an employee of the tenant (or empty: nobody was named).
func (tx *Tx) checkSummary(ctx context.Context, s *domain.MeetingSummary, v *domain.Validator) error {
	if s == nil {
		return nil
	}
	var owners []string
	for _, a := range s.ActionItems {
		if a.Owner != "" && !slices.Contains(owners, a.Owner) {
			owners = append(owners, a.Owner)
		}
	}
	known, err := tx.employeeIDs(ctx, owners, false)
	if err != nil {
		return err
	}
	for i, a := range s.ActionItems {
		v.Check(a.Owner == "" || known[a.Owner], fmt.Sprintf("summary.action_items[%d].owner", i), fmt.Sprintf("no employee %q", a.Owner))
	}
	if s.Method == "" {
		s.Method = "builtin"
	}
	return nil
}

// employeeIDs returns which of ids are employees of the tenant (active ones
// only when active is set).
func (tx *Tx) employeeIDs(ctx context.Context, ids []string, active bool) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT id FROM employees WHERE tenant_id = $1 AND id = ANY($2) AND (active OR NOT $3)`, tx.tenant.ID, ids, active)
	if err != nil {
		return nil, fmt.Errorf("employees: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("employees: %w", err)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// meetingAudit is what the audit log keeps of a meeting: its record and a
// digest of the transcript (the transcript itself may be megabytes and is
// kept in the meetings table).
func meetingAudit(m domain.Meeting) map[string]any {
	sum := sha256.Sum256([]byte(m.Transcript))
	a := map[string]any{"id": m.ID, "title": m.Title, "date": m.Date, "organizer": m.Organizer, "participants": m.Participants,
		"format": m.Format, "transcript_sha256": hex.EncodeToString(sum[:]), "transcript_bytes": len(m.Transcript)}
	if m.Summary != nil {
		a["summary"] = m.Summary
	}
	return a
}

// readers are who may find a meeting in knowledge search: its participants
// and organizer (the index adds administrators and auditors).
func readers(m domain.Meeting) []string {
	out := slices.Clone(m.Participants)
	if !slices.Contains(out, m.Organizer) {
		out = append(out, m.Organizer)
	}
	return out
}

// CreateMeeting records a meeting with its participants, transcript and
// (optionally) summary. Anyone may record a meeting; the recorder is its
// organizer. The system (imports) may keep an id and name the organizer,
// who defaults to the first participant. Participants must be active
// employees. The transcript and summary are indexed for knowledge search in
// the same transaction.
func (s *Store) CreateMeeting(ctx context.Context, actor domain.Actor, in domain.MeetingInput) (domain.Meeting, error) {
	var out domain.Meeting
	err := s.run(ctx, actor, func(tx *Tx) error {
		if err := domain.NormalizeMeeting(&in, tx.loc); err != nil {
			return err
		}
		m := domain.Meeting{ID: newID("m"), Title: in.Title, Date: in.Date, Participants: in.Participants, Transcript: in.Transcript,
			Format: in.Format, Organizer: tx.me.ID, Summary: in.Summary, CreatedAt: tx.now}
		var v domain.Validator
		if tx.actor.System {
			if in.ID != "" {
				m.ID = in.ID
			}
			m.Organizer = in.Organizer
			if m.Organizer == "" && len(m.Participants) > 0 {
				m.Organizer = m.Participants[0]
			}
			v.Check(m.Organizer != "", "organizer", "is required")
		} else {
			v.Check(in.ID == "", "id", "is assigned by banli")
			v.Check(in.Organizer == "" || in.Organizer == tx.me.ID, "organizer", "is whoever records the meeting")
		}
		active, err := tx.employeeIDs(ctx, append(slices.Clone(m.Participants), m.Organizer), true)
		if err != nil {
			return err
		}
		for i, p := range m.Participants {
			v.Check(active[p], fmt.Sprintf("participants[%d]", i), fmt.Sprintf("no active employee %q", p))
		}
		if m.Organizer != "" {
			v.Check(active[m.Organizer], "organizer", fmt.Sprintf("no active employee %q", m.Organizer))
		}
		if err := tx.checkSummary(ctx, m.Summary, &v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.can(authz.Create, meetingResource(m)); err != nil {
			return err
		}
		var summary []byte
		if m.Summary != nil {
			summary = jsonb(m.Summary)
		}
		_, err = tx.Exec(ctx, `INSERT INTO meetings (tenant_id, id, title, date, organizer, transcript, format, summary, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9)`, tx.tenant.ID, m.ID, m.Title, m.Date, m.Organizer, m.Transcript, m.Format, summary, tx.now)
		if err != nil {
			if isUnique(err) {
				return domain.Errorf(domain.EConflict, "meeting %s exists", m.ID)
			}
			return fmt.Errorf("save meeting: %w", err)
		}
		if len(m.Participants) > 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO meeting_participants (tenant_id, meeting_id, employee_id) SELECT $1, $2, unnest($3::text[])`,
				tx.tenant.ID, m.ID, m.Participants); err != nil {
				return fmt.Errorf("save participants: %w", err)
			}
		}
		if err := tx.indexMeeting(ctx, MeetingText{Kind: knowledge.KindMeeting, Meeting: m.ID, Title: m.Title, Text: m.Transcript, Readers: readers(m)}); err != nil {
			return fmt.Errorf("index meeting: %w", err)
		}
		if m.Summary != nil {
			if err := tx.indexMeeting(ctx, MeetingText{Kind: knowledge.KindMeetingSummary, Meeting: m.ID, Title: m.Title, Text: m.Summary.Text(), Readers: readers(m)}); err != nil {
				return fmt.Errorf("index meeting summary: %w", err)
			}
		}
		tx.audit("meeting.create", "meeting:"+m.ID, nil, meetingAudit(m))
		out = m
		return nil
	})
	return out, err
}

// SaveMeetingSummary replaces a meeting's summary (a new run of the
// summariser). The organizer and administrators may; the summary is
// reindexed for search in the same transaction.
func (s *Store) SaveMeetingSummary(ctx context.Context, actor domain.Actor, id string, sum domain.MeetingSummary) (domain.Meeting, error) {
	var out domain.Meeting
	err := s.run(ctx, actor, func(tx *Tx) error {
		m, err := tx.meeting(ctx, id, true)
		if err != nil {
			return err
		}
		if err := tx.can(authz.Update, meetingResource(m)); err != nil {
			return err
		}
		var v domain.Validator
		for i, a := range sum.ActionItems {
			v.Check(strings.TrimSpace(a.Task) != "", fmt.Sprintf("summary.action_items[%d].task", i), "is required")
			v.Check(a.Due == "" || domain.ValidDue(a.Due, tx.loc), fmt.Sprintf("summary.action_items[%d].due", i), "must be a date or an RFC 3339 date-time")
		}
		if err := tx.checkSummary(ctx, &sum, &v); err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		before := m.Summary
		if _, err := tx.Exec(ctx, `UPDATE meetings SET summary = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2`,
			tx.tenant.ID, id, jsonb(sum), tx.now); err != nil {
			return fmt.Errorf("save summary: %w", err)
		}
		m.Summary = &sum
		if err := tx.indexMeeting(ctx, MeetingText{Kind: knowledge.KindMeetingSummary, Meeting: m.ID, Title: m.Title, Text: sum.Text(), Readers: readers(m)}); err != nil {
			return fmt.Errorf("index meeting summary: %w", err)
		}
		tx.audit("meeting.summarize", "meeting:"+id, before, sum)
		out = m
		return nil
	})
	return out, err
}

// visibleMeetings is the SQL mirror of the meeting read policies: the actor
// took part, organised it, or is an administrator or auditor. $1 is the
// tenant, $2 whether everything is visible, $3 the actor.
const visibleMeetings = `FROM meetings m WHERE m.tenant_id = $1 AND ($2 OR m.organizer = $3
	OR EXISTS (SELECT 1 FROM meeting_participants p WHERE p.tenant_id = m.tenant_id AND p.meeting_id = m.id AND p.employee_id = $3))`

// ListMeetings lists the meetings the actor may read, most recent first,
// without transcripts and summaries (Meeting returns those). Pages follow
// the id of the last meeting of the previous page.
func (s *Store) ListMeetings(ctx context.Context, actor domain.Actor, f domain.MeetingFilter) ([]domain.Meeting, error) {
	var out []domain.Meeting
	err := s.run(ctx, actor, func(tx *Tx) error {
		if f.Limit <= 0 || f.Limit > 500 {
			f.Limit = 100
		}
		var v domain.Validator
		for _, d := range []struct{ name, val string }{{"from", f.From}, {"to", f.To}} {
			if d.val != "" {
				_, err := domain.ParseDate(d.val, tx.loc)
				v.Check(err == nil, d.name, "must be a date (YYYY-MM-DD)")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+meetingCols+` `+visibleMeetings+`
			  AND ($4 = '' OR EXISTS (SELECT 1 FROM meeting_participants q WHERE q.tenant_id = m.tenant_id AND q.meeting_id = m.id AND q.employee_id = $4))
			  AND ($5 = '' OR m.date >= $5::date) AND ($6 = '' OR m.date <= $6::date)
			  AND ($7 = '' OR (m.date, m.id) < (SELECT a.date, a.id FROM meetings a WHERE a.tenant_id = $1 AND a.id = $7))
			ORDER BY m.date DESC, m.id DESC LIMIT $8`,
			tx.tenant.ID, tx.seesAllMeetings(), tx.me.ID, f.Participant, f.From, f.To, f.After, f.Limit)
		if err != nil {
			return fmt.Errorf("list meetings: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Meeting, error) { return scanMeeting(r) })
		if err != nil {
			return fmt.Errorf("list meetings: %w", err)
		}
		return nil
	})
	return out, err
}

// Meetings returns up to 500 meetings the actor may read, most recent first,
// without transcripts (tools.MeetingSource).
func (s *Store) Meetings(ctx context.Context, actor domain.Actor) ([]domain.Meeting, error) {
	return s.ListMeetings(ctx, actor, domain.MeetingFilter{Limit: 500})
}

// Meeting returns a meeting the actor may read, with its transcript and
// summary (tools.MeetingSource).
func (s *Store) Meeting(ctx context.Context, actor domain.Actor, id string) (domain.Meeting, error) {
	var out domain.Meeting
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, err = tx.meeting(ctx, id, false)
		return err
	})
	return out, err
}

// ActionItems returns the action items of a meeting's summary, in
// transcript order; none when it has no summary (tools.MeetingSource).
func (s *Store) ActionItems(ctx context.Context, actor domain.Actor, id string) ([]domain.ActionItem, error) {
	m, err := s.Meeting(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if m.Summary == nil {
		return []domain.ActionItem{}, nil
	}
	return m.Summary.ActionItems, nil
}

// checkMeetingLink checks that a task may link to a meeting: one the actor
// can read.
func (tx *Tx) checkMeetingLink(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	if _, err := tx.meeting(ctx, id, false); err != nil {
		if domain.ErrorCode(err) == domain.ENotFound {
			return domain.Invalid("meeting_id", "no meeting %q", id)
		}
		return err
	}
	return nil
}
