package postgres

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/teambition/rrule-go"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

// Bounds of recurrence expansion. A new recurring event is checked for
// double booking over bookingHorizon from its first occurrence; iteration
// stops after maxIterations so no stored rule can make a query spin.
const (
	bookingHorizon = 366 * 24 * time.Hour
	maxIterations  = 100000
	maxListRange   = 366 * 24 * time.Hour
	maxSlotRange   = 92 * 24 * time.Hour
	slotAlign      = 15 * time.Minute
)

const eventCols = `e.id, e.title, e.organizer, e.start_at, e.end_at, coalesce(e.resource,''), e.location, e.description, e.recurrence, e.kind, e.status,
	coalesce((SELECT array_agg(x.employee ORDER BY x.employee) FROM event_attendees x WHERE x.tenant_id = e.tenant_id AND x.event_id = e.id), '{}')`

func scanEvent(r pgx.Row) (domain.Event, error) {
	var ev domain.Event
	err := r.Scan(&ev.ID, &ev.Title, &ev.Organizer, &ev.Start, &ev.End, &ev.Resource, &ev.Location, &ev.Description, &ev.Recurrence, &ev.Kind, &ev.Status, &ev.Attendees)
	return ev, err
}

// parseRecurrence parses an RFC 5545 RRULE (with or without the "RRULE:"
// prefix) anchored at start in loc, so "every Monday 10:00" stays 10:00 local.
// Occurrences take their time of day from start: BYHOUR, BYMINUTE and
// BYSECOND and sub-daily frequencies are refused, which also bounds
// expansion to one occurrence a day.
func parseRecurrence(rule string, start time.Time, loc *time.Location) (*rrule.RRule, error) {
	s := strings.ToUpper(strings.TrimSpace(rule))
	s = strings.TrimPrefix(s, "RRULE:")
	bad := func(why string) error {
		return domain.Invalid("recurrence", "%q is not a usable RRULE: %s (e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10)", rule, why)
	}
	if strings.ContainsAny(s, "\r\n") || strings.Contains(s, "DTSTART") {
		return nil, bad("give only the RRULE; the event's start is its DTSTART")
	}
	opt, err := rrule.StrToROptionInLocation(s, loc)
	if err != nil {
		return nil, bad(err.Error())
	}
	switch opt.Freq {
	case rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY, rrule.YEARLY:
	default:
		return nil, bad("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
	}
	if len(opt.Byhour)+len(opt.Byminute)+len(opt.Bysecond) > 0 {
		return nil, bad("the time of day comes from the start, not BYHOUR/BYMINUTE/BYSECOND")
	}
	opt.Dtstart = start.In(loc)
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, bad(err.Error())
	}
	if r.After(start.Add(-time.Second), true).IsZero() {
		return nil, bad("it has no occurrence at or after the start")
	}
	return r, nil
}

// normalizeRecurrence returns the canonical stored form of a rule (UNTIL in
// UTC, no prefix), or "" for none.
func normalizeRecurrence(rule string, start time.Time, loc *time.Location) (string, error) {
	if strings.TrimSpace(rule) == "" {
		return "", nil
	}
	r, err := parseRecurrence(rule, start, loc)
	if err != nil {
		return "", err
	}
	return r.OrigOptions.RRuleString(), nil
}

// span is one occurrence of an event.
type span struct {
	start, end time.Time
	ev         *domain.Event
}

// occurrences expands ev into its occurrences that overlap [from, to).
func occurrences(ev *domain.Event, from, to time.Time, loc *time.Location) ([]span, error) {
	if ev.Recurrence == "" {
		if ev.Start.Before(to) && ev.End.After(from) {
			return []span{{ev.Start, ev.End, ev}}, nil
		}
		return nil, nil
	}
	r, err := parseRecurrence(ev.Recurrence, ev.Start, loc)
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", ev.ID, err)
	}
	dur := ev.End.Sub(ev.Start)
	var out []span
	next := r.Iterator()
	for range maxIterations {
		s, ok := next()
		if !ok || !s.Before(to) {
			break
		}
		if e := s.Add(dur); e.After(from) {
			out = append(out, span{s, e, ev})
		}
	}
	return out, nil
}

// expandAll expands events into their occurrences in [from, to), sorted by start.
func expandAll(evs []domain.Event, from, to time.Time, loc *time.Location) ([]span, error) {
	var out []span
	for i := range evs {
		occ, err := occurrences(&evs[i], from, to, loc)
		if err != nil {
			return nil, err
		}
		out = append(out, occ...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start.Before(out[j].start) })
	return out, nil
}

// firstClash returns the first pair of overlapping spans; busy must be sorted by start.
func firstClash(cands, busy []span) (span, span, bool) {
	for _, c := range cands {
		k := sort.Search(len(busy), func(i int) bool { return !busy[i].start.Before(c.end) })
		for _, b := range busy[:k] {
			if b.end.After(c.start) {
				return c, b, true
			}
		}
	}
	return span{}, span{}, false
}

// window is the stretch of time an event's occurrences are checked over.
func window(ev domain.Event) (time.Time, time.Time) {
	if ev.Recurrence == "" {
		return ev.Start, ev.End
	}
	return ev.Start, ev.Start.Add(bookingHorizon)
}

// eventQuery selects events that may have occurrences in [from, to).
type eventQuery struct {
	people   []string // events these employees organize or attend
	resource string   // or events booking this resource
	exclude  string   // leave out this event (the one being saved)
	from, to time.Time
	visible  bool // only events the actor may read (the SQL mirror of the Event read policies)
}

func (tx *Tx) events(ctx context.Context, q eventQuery) ([]domain.Event, error) {
	rows, err := tx.Query(ctx, `SELECT `+eventCols+`
		FROM events e JOIN employees o ON o.tenant_id = e.tenant_id AND o.id = e.organizer
		WHERE e.tenant_id = $1 AND e.status = 'confirmed'
		  AND (($2::text[] IS NOT NULL AND (e.organizer = ANY($2) OR EXISTS (SELECT 1 FROM event_attendees x WHERE x.tenant_id = e.tenant_id AND x.event_id = e.id AND x.employee = ANY($2))))
		       OR ($3 <> '' AND e.resource = $3))
		  AND e.id <> $4
		  AND e.start_at < $6 AND (e.recurrence <> '' OR e.end_at > $5)
		  AND (NOT $7 OR $8 OR e.organizer = $9 OR $9 = ANY(o.manager_path)
		       OR EXISTS (SELECT 1 FROM event_attendees x WHERE x.tenant_id = e.tenant_id AND x.event_id = e.id AND x.employee = $9))
		ORDER BY e.start_at, e.id`,
		tx.tenant.ID, q.people, q.resource, q.exclude, q.from, q.to, q.visible, tx.actor.System, tx.me.ID)
	if err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	evs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Event, error) { return scanEvent(r) })
	if err != nil {
		return nil, fmt.Errorf("load events: %w", err)
	}
	return evs, nil
}

// eventResource describes an event for the policies: the organizer owns it
// (and alone updates and cancels it); attendees and the organizer's managers read it.
func (tx *Tx) eventResource(ctx context.Context, ev domain.Event) (authz.Resource, error) {
	emp, err := tx.employee(ctx, ev.Organizer)
	if err != nil {
		return authz.Resource{}, err
	}
	return authz.Resource{Type: authz.TypeEvent, ID: ev.ID, Owner: ev.Organizer, OwnerPath: emp.ManagerPath, Attendees: ev.Attendees}, nil
}

// event loads an event the actor may read; others get not found.
func (tx *Tx) event(ctx context.Context, id string, lock bool) (domain.Event, authz.Resource, error) {
	q := `SELECT ` + eventCols + ` FROM events e WHERE e.tenant_id = $1 AND e.id = $2`
	if lock {
		q += ` FOR UPDATE OF e`
	}
	ev, err := scanEvent(tx.QueryRow(ctx, q, tx.tenant.ID, id))
	if err := notFound(err, "event", id); err != nil {
		return ev, authz.Resource{}, err
	}
	res, err := tx.eventResource(ctx, ev)
	if err != nil {
		return ev, res, err
	}
	if err := tx.can(authz.Read, res); err != nil {
		return ev, res, domain.Errorf(domain.ENotFound, "no event %q", id)
	}
	return ev, res, nil
}

// checkAttendees dedupes attendees, drops the organizer and refuses unknown ids.
func (tx *Tx) checkAttendees(ctx context.Context, organizer string, in []string) ([]string, error) {
	out := []string{}
	for _, a := range in {
		a = strings.TrimSpace(a)
		if a != "" && a != organizer && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT id FROM employees WHERE tenant_id = $1 AND id = ANY($2) AND active`, tx.tenant.ID, out)
	if err != nil {
		return nil, fmt.Errorf("check attendees: %w", err)
	}
	known, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("check attendees: %w", err)
	}
	for _, a := range out {
		if !slices.Contains(known, a) {
			return nil, domain.Invalid("attendees", "no active employee %q", a)
		}
	}
	slices.Sort(out)
	return out, nil
}

// lockResource takes the resource's row lock, which every booking of it
// holds until commit, so recurring and one-off bookings check against each
// other serially. It returns the resource's name.
func (tx *Tx) lockResource(ctx context.Context, id string) (string, error) {
	var name string
	err := tx.QueryRow(ctx, `SELECT name FROM resources WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, tx.tenant.ID, id).Scan(&name)
	if err := notFound(err, "resource", id); err != nil {
		if domain.ErrorCode(err) == domain.ENotFound {
			return "", domain.Invalid("resource", "no room or equipment %q", id)
		}
		return "", err
	}
	return name, nil
}

func (tx *Tx) fmtSpan(s, e time.Time) string {
	s, e = s.In(tx.loc), e.In(tx.loc)
	if s.Format(domain.DateLayout) == e.Format(domain.DateLayout) {
		return s.Format("2006-01-02 15:04") + "–" + e.Format("15:04")
	}
	return s.Format("2006-01-02 15:04") + " – " + e.Format("2006-01-02 15:04")
}

// saveEvent checks the resource for double booking under its row lock,
// writes the event (insert when isNew) and fills in attendee conflicts.
func (tx *Tx) saveEvent(ctx context.Context, ev domain.Event, isNew bool) (domain.Event, error) {
	from, to := window(ev)
	cands, err := occurrences(&ev, from, to, tx.loc)
	if err != nil {
		return ev, err
	}
	if ev.Resource != "" {
		name, err := tx.lockResource(ctx, ev.Resource)
		if err != nil {
			return ev, err
		}
		others, err := tx.events(ctx, eventQuery{resource: ev.Resource, exclude: ev.ID, from: from, to: to})
		if err != nil {
			return ev, err
		}
		busy, err := expandAll(others, from, to, tx.loc)
		if err != nil {
			return ev, err
		}
		if c, b, ok := firstClash(cands, busy); ok {
			return ev, domain.Errorf(domain.EConflict, "%s (%s) is already booked %s by event %s %q; this booking needs it %s",
				name, ev.Resource, tx.fmtSpan(b.start, b.end), b.ev.ID, b.ev.Title, tx.fmtSpan(c.start, c.end))
		}
	}
	var resource *string
	if ev.Resource != "" {
		resource = &ev.Resource
	}
	if isNew {
		_, err = tx.Exec(ctx, `INSERT INTO events (tenant_id, id, title, organizer, start_at, end_at, resource, location, description, recurrence, kind, status, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
			tx.tenant.ID, ev.ID, ev.Title, ev.Organizer, ev.Start, ev.End, resource, ev.Location, ev.Description, ev.Recurrence, ev.Kind, ev.Status, tx.now)
	} else {
		_, err = tx.Exec(ctx, `UPDATE events SET start_at = $3, end_at = $4 WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, ev.ID, ev.Start, ev.End)
	}
	if err != nil {
		switch {
		case isExclusion(err):
			// Only reachable if a writer skipped the resource lock; the
			// constraint still keeps one-off bookings apart.
			return ev, domain.Errorf(domain.EConflict, "%s is already booked at %s", ev.Resource, tx.fmtSpan(ev.Start, ev.End))
		case isUnique(err):
			return ev, domain.Errorf(domain.EConflict, "event %s exists", ev.ID)
		}
		return ev, fmt.Errorf("save event: %w", err)
	}
	if isNew && len(ev.Attendees) > 0 {
		batch := &pgx.Batch{}
		for _, a := range ev.Attendees {
			batch.Queue(`INSERT INTO event_attendees (tenant_id, event_id, employee) VALUES ($1,$2,$3)`, tx.tenant.ID, ev.ID, a)
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return ev, fmt.Errorf("save attendees: %w", err)
		}
	}
	ev.Conflicts, err = tx.personConflicts(ctx, ev, cands, from, to)
	return ev, err
}

// personConflicts lists the attendees (and the organizer) who are busy
// during one of cands with another event, out-of-office included.
func (tx *Tx) personConflicts(ctx context.Context, ev domain.Event, cands []span, from, to time.Time) ([]string, error) {
	if ev.Kind == "out_of_office" || len(cands) == 0 {
		return nil, nil
	}
	people := append([]string{ev.Organizer}, ev.Attendees...)
	others, err := tx.events(ctx, eventQuery{people: people, exclude: ev.ID, from: from, to: to})
	if err != nil {
		return nil, err
	}
	busy, err := expandAll(others, from, to, tx.loc)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range people {
		var mine []span
		for _, b := range busy {
			if b.ev.Organizer == p || slices.Contains(b.ev.Attendees, p) {
				mine = append(mine, b)
			}
		}
		if _, _, ok := firstClash(cands, mine); ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// newEvent validates input and creates an event organized by organizer.
func (tx *Tx) newEvent(ctx context.Context, id, organizer, kind string, in domain.EventInput) (domain.Event, error) {
	start, end, err := domain.NormalizeEvent(&in)
	if err != nil {
		return domain.Event{}, err
	}
	if _, err := tx.activeEmployee(ctx, "organizer", organizer); err != nil {
		return domain.Event{}, err
	}
	attendees, err := tx.checkAttendees(ctx, organizer, in.Attendees)
	if err != nil {
		return domain.Event{}, err
	}
	rule, err := normalizeRecurrence(in.Recurrence, start, tx.loc)
	if err != nil {
		return domain.Event{}, err
	}
	ev := domain.Event{ID: id, Title: in.Title, Organizer: organizer, Attendees: attendees, Start: start, End: end,
		Resource: strings.TrimSpace(in.Resource), Location: strings.TrimSpace(in.Location), Description: in.Description,
		Recurrence: rule, Kind: kind, Status: "confirmed"}
	res, err := tx.eventResource(ctx, ev)
	if err != nil {
		return ev, err
	}
	if err := tx.can(authz.Create, res); err != nil {
		return ev, err
	}
	ev, err = tx.saveEvent(ctx, ev, true)
	if err != nil {
		return ev, err
	}
	tx.audit("event.create", "event:"+ev.ID, nil, ev)
	tx.emit("event.created", ev)
	for _, a := range ev.Attendees {
		if tx.actor.Via == domain.ViaSeed {
			break // imported history is not news to anyone
		}
		tx.notify(a, "event.invite", "會議邀請 Invitation: "+ev.Title, tx.eventSummary(ev), ev.ID)
	}
	return ev, nil
}

func (tx *Tx) eventSummary(ev domain.Event) string {
	s := tx.fmtSpan(ev.Start, ev.End) + " · " + ev.Organizer
	if ev.Recurrence != "" {
		s += " · " + ev.Recurrence
	}
	if ev.Resource != "" {
		s += " · " + ev.Resource
	}
	return s
}

// CreateEvent creates an event organized by the actor. A resource is booked
// with it and double booking is refused with EConflict naming the clashing
// event; attendees who are busy are reported in Conflicts, not refused.
func (s *Store) CreateEvent(ctx context.Context, actor domain.Actor, in domain.EventInput) (domain.Event, error) {
	var out domain.Event
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "an event needs an employee as organizer")
		}
		var err error
		out, err = tx.newEvent(ctx, newID("ev"), tx.me.ID, "meeting", in)
		return err
	})
	return out, err
}

// BookResource books a room or piece of equipment for the actor; the
// purpose is the booking's title.
func (s *Store) BookResource(ctx context.Context, actor domain.Actor, resource, start, end, purpose string) (domain.Event, error) {
	var out domain.Event
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "a booking needs an employee")
		}
		if strings.TrimSpace(resource) == "" {
			return domain.Invalid("resource", "is required")
		}
		title := strings.TrimSpace(purpose)
		if title == "" {
			var name string
			if err := tx.QueryRow(ctx, `SELECT name FROM resources WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, resource).Scan(&name); err != nil {
				if err := notFound(err, "resource", resource); domain.ErrorCode(err) == domain.ENotFound {
					return domain.Invalid("resource", "no room or equipment %q", resource)
				}
				return fmt.Errorf("load resource: %w", err)
			}
			title = "預訂 Booking: " + name
		}
		var err error
		out, err = tx.newEvent(ctx, newID("ev"), tx.me.ID, "booking", domain.EventInput{Title: title, Start: start, End: end, Resource: resource})
		return err
	})
	return out, err
}

// GetEvent returns an event the actor may read: its organizer, attendees
// and the organizer's managers.
func (s *Store) GetEvent(ctx context.Context, actor domain.Actor, id string) (domain.Event, error) {
	var out domain.Event
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, _, err = tx.event(ctx, id, false)
		return err
	})
	return out, err
}

// editable loads an event for a change by its organizer.
func (tx *Tx) editable(ctx context.Context, id, action string) (domain.Event, error) {
	ev, res, err := tx.event(ctx, id, true)
	if err != nil {
		return ev, err
	}
	if err := tx.can(action, res); err != nil {
		return ev, domain.Errorf(domain.EForbidden, "only the organizer (%s) may change event %s", ev.Organizer, id)
	}
	if ev.Kind == "out_of_office" {
		return ev, domain.Errorf(domain.EConflict, "event %s is the out-of-office of an approved leave; cancel the leave instead", id)
	}
	return ev, nil
}

// RescheduleEvent moves an event (a recurring one as a whole series). A
// missing end keeps the event's duration. The resource is checked again.
func (s *Store) RescheduleEvent(ctx context.Context, actor domain.Actor, id, start, end string) (domain.Event, error) {
	var out domain.Event
	err := s.run(ctx, actor, func(tx *Tx) error {
		ev, err := tx.editable(ctx, id, authz.Update)
		if err != nil {
			return err
		}
		if ev.Status != "confirmed" {
			return domain.Errorf(domain.EConflict, "event %s is %s", id, ev.Status)
		}
		s, e, err := domain.ParseSpan(start, end)
		if err != nil {
			return err
		}
		if end == "" {
			e = s.Add(ev.End.Sub(ev.Start))
		}
		before := ev
		ev.Start, ev.End = s, e
		if ev.Recurrence != "" {
			if _, err := parseRecurrence(ev.Recurrence, ev.Start, tx.loc); err != nil {
				return err
			}
		}
		if ev, err = tx.saveEvent(ctx, ev, false); err != nil {
			return err
		}
		tx.audit("event.reschedule", "event:"+id, before, ev)
		tx.emit("event.updated", ev)
		for _, a := range ev.Attendees {
			tx.notify(a, "event.rescheduled", "會議改期 Rescheduled: "+ev.Title, tx.fmtSpan(before.Start, before.End)+" → "+tx.eventSummary(ev), ev.ID)
		}
		out = ev
		return nil
	})
	return out, err
}

// CancelEvent cancels an event; only its organizer may. Cancelling a
// cancelled event changes nothing.
func (s *Store) CancelEvent(ctx context.Context, actor domain.Actor, id string) (domain.Event, error) {
	var out domain.Event
	err := s.run(ctx, actor, func(tx *Tx) error {
		ev, err := tx.editable(ctx, id, authz.Cancel)
		if err != nil {
			return err
		}
		out = ev
		if ev.Status == "cancelled" {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE events SET status = 'cancelled' WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id); err != nil {
			return fmt.Errorf("cancel event: %w", err)
		}
		before := ev
		ev.Status = "cancelled"
		tx.audit("event.cancel", "event:"+id, before, ev)
		tx.emit("event.cancelled", ev)
		for _, a := range ev.Attendees {
			tx.notify(a, "event.cancelled", "會議取消 Cancelled: "+ev.Title, tx.eventSummary(ev), ev.ID)
		}
		out = ev
		return nil
	})
	return out, err
}

// ListEvents lists an employee's events (organized or attended, approved
// leave as out-of-office included) overlapping [from, to), one entry per
// occurrence of recurring events, sorted by start. For another employee
// only the events the actor may read are listed: use FindFreeSlots for
// free/busy.
func (s *Store) ListEvents(ctx context.Context, actor domain.Actor, employee string, from, to time.Time) ([]domain.Event, error) {
	var out []domain.Event
	err := s.run(ctx, actor, func(tx *Tx) error {
		if employee == "" {
			employee = tx.me.ID
		}
		if err := checkRange(from, to, maxListRange); err != nil {
			return err
		}
		if _, err := tx.activeEmployee(ctx, "employee", employee); err != nil {
			return err
		}
		evs, err := tx.events(ctx, eventQuery{people: []string{employee}, from: from, to: to, visible: true})
		if err != nil {
			return err
		}
		occ, err := expandAll(evs, from, to, tx.loc)
		if err != nil {
			return err
		}
		out = make([]domain.Event, 0, len(occ))
		for _, o := range occ {
			ev := *o.ev
			ev.Start, ev.End = o.start.In(tx.loc), o.end.In(tx.loc)
			out = append(out, ev)
		}
		return nil
	})
	return out, err
}

func checkRange(from, to time.Time, max time.Duration) error {
	var v domain.Validator
	v.Check(!from.IsZero(), "from", "is required")
	v.Check(!to.IsZero(), "to", "is required")
	if !from.IsZero() && !to.IsZero() {
		v.Check(to.After(from), "to", "must be after from")
		v.Check(to.Sub(from) <= max, "to", fmt.Sprintf("must be within %d days of from", int(max.Hours()/24)))
	}
	return v.Err()
}

// Slot is a free interval (moved to domain).
type Slot = domain.Slot

// FindFreeSlots returns the earliest limit (default 5, at most 50) slots of
// duration in [from, to) when the attendees and the actor are all free,
// inside working hours on working days of the tenant's calendar. Busy time
// includes recurring events and out-of-office. Slots start on the quarter
// hour, never in the past, and do not overlap one another. Only busy times
// are used, so anyone may search anyone's availability.
func (s *Store) FindFreeSlots(ctx context.Context, actor domain.Actor, attendees []string, duration time.Duration, from, to time.Time, limit int) ([]Slot, error) {
	var out []Slot
	err := s.run(ctx, actor, func(tx *Tx) error {
		out = []Slot{} // run may retry fn
		if err := checkRange(from, to, maxSlotRange); err != nil {
			return err
		}
		if duration <= 0 || duration > 24*time.Hour || duration%time.Minute != 0 {
			return domain.Invalid("duration_minutes", "must be whole minutes between 1 and 1440")
		}
		if limit <= 0 {
			limit = 5
		}
		limit = min(limit, 50)
		people, err := tx.checkAttendees(ctx, tx.me.ID, attendees)
		if err != nil {
			return err
		}
		if !tx.actor.System {
			people = append(people, tx.me.ID)
		}
		if len(people) == 0 {
			return domain.Invalid("attendees", "name at least one employee")
		}
		if from.Before(tx.now) {
			from = tx.now
		}
		if !to.After(from) {
			return nil
		}
		evs, err := tx.events(ctx, eventQuery{people: people, from: from, to: to})
		if err != nil {
			return err
		}
		occ, err := expandAll(evs, from, to, tx.loc)
		if err != nil {
			return err
		}
		busy := mergeSpans(occ)
		first := from.In(tx.loc)
		for day := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, tx.loc); day.Before(to) && len(out) < limit; day = day.AddDate(0, 0, 1) {
			if !tx.cal.IsWorkingDay(day) {
				continue
			}
			ws, we := tx.cal.WorkingHoursBounds(day)
			if ws.Before(from) {
				ws = from
			}
			if we.After(to) {
				we = to
			}
			for t := alignUp(ws); !t.Add(duration).After(we) && len(out) < limit; {
				e := t.Add(duration)
				k := sort.Search(len(busy), func(i int) bool { return busy[i].end.After(t) })
				if k < len(busy) && busy[k].start.Before(e) {
					t = alignUp(busy[k].end)
					continue
				}
				out = append(out, Slot{Start: t.In(tx.loc), End: e.In(tx.loc)})
				t = e
			}
		}
		return nil
	})
	return out, err
}

// alignUp rounds t up to the next quarter hour.
func alignUp(t time.Time) time.Time {
	if r := t.Truncate(slotAlign); r.Before(t) {
		return r.Add(slotAlign)
	}
	return t
}

// mergeSpans merges sorted overlapping spans so their ends ascend too.
func mergeSpans(in []span) []span {
	var out []span
	for _, s := range in {
		if n := len(out); n > 0 && !s.start.After(out[n-1].end) {
			if s.end.After(out[n-1].end) {
				out[n-1].end = s.end
			}
			continue
		}
		out = append(out, span{start: s.start, end: s.end})
	}
	return out
}

// ImportEvent loads a fixture event as it stands, keeping its id (seeding):
// the double-booking check applies as for any event. Only the system imports.
func (s *Store) ImportEvent(ctx context.Context, actor domain.Actor, id, organizer string, in domain.EventInput) (domain.Event, error) {
	var out domain.Event
	err := s.run(ctx, actor, func(tx *Tx) error {
		if !tx.actor.System {
			return domain.Errorf(domain.EForbidden, "only the system imports events")
		}
		if strings.TrimSpace(id) == "" {
			return domain.Invalid("id", "is required")
		}
		var err error
		out, err = tx.newEvent(ctx, id, organizer, "meeting", in)
		return err
	})
	return out, err
}
