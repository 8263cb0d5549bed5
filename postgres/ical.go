package postgres

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/emersion/go-ical"
	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/domain"
)

// The feed covers recent history and what lies ahead; recurring series are
// included whole, with their RRULE, whenever they started.
const (
	feedPast   = 90 * 24 * time.Hour
	feedFuture = 366 * 24 * time.Hour
)

// ICalFeed writes an employee's calendar (empty: the actor's) as iCalendar:
// the events they organize or attend that the actor may read, approved leave
// as opaque "Out of office" events, times in UTC, organizer and attendees as
// mailto: addresses. Nothing is written unless the whole feed is built.
func (s *Store) ICalFeed(ctx context.Context, actor domain.Actor, employee string, w io.Writer) error {
	var buf bytes.Buffer
	err := s.run(ctx, actor, func(tx *Tx) error {
		if employee == "" {
			employee = tx.me.ID
		}
		emp, err := tx.activeEmployee(ctx, "employee", employee)
		if err != nil {
			return err
		}
		evs, err := tx.events(ctx, eventQuery{people: []string{employee}, from: tx.now.Add(-feedPast), to: tx.now.Add(feedFuture), visible: true})
		if err != nil {
			return err
		}
		emails, err := tx.emails(ctx)
		if err != nil {
			return err
		}
		rooms, err := tx.resourceNames(ctx)
		if err != nil {
			return err
		}
		cal := ical.NewCalendar()
		cal.Props.SetText(ical.PropProductID, "-//banli//banli calendar//EN")
		cal.Props.SetText(ical.PropVersion, "2.0")
		cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
		cal.Props.SetText("X-WR-CALNAME", emp.Name+" · "+tx.tenant.Name)
		for _, ev := range evs {
			cal.Children = append(cal.Children, tx.vevent(ev, emails, rooms).Component)
		}
		if len(cal.Children) == 0 {
			// go-ical refuses an empty calendar; a feed with no events is
			// still a valid subscription, so it carries only a UTC VTIMEZONE.
			tz := ical.NewComponent(ical.CompTimezone)
			tz.Props.SetText(ical.PropTimezoneID, "UTC")
			std := ical.NewComponent(ical.CompTimezoneStandard)
			std.Props.SetDateTime(ical.PropDateTimeStart, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC))
			std.Props.SetText(ical.PropTimezoneOffsetFrom, "+0000")
			std.Props.SetText(ical.PropTimezoneOffsetTo, "+0000")
			tz.Children = append(tz.Children, std)
			cal.Children = append(cal.Children, tz)
		}
		if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
			return fmt.Errorf("encode calendar: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

func (tx *Tx) vevent(ev domain.Event, emails, rooms map[string]string) *ical.Event {
	v := ical.NewEvent()
	v.Props.SetText(ical.PropUID, ev.ID+"@"+tx.tenant.ID+".banli")
	v.Props.SetDateTime(ical.PropDateTimeStamp, tx.now.UTC())
	v.Props.SetDateTime(ical.PropDateTimeStart, ev.Start.UTC())
	v.Props.SetDateTime(ical.PropDateTimeEnd, ev.End.UTC())
	v.SetStatus(ical.EventConfirmed)
	if ev.Kind == "out_of_office" {
		v.Props.SetText(ical.PropSummary, "Out of office")
		v.Props.SetText(ical.PropDescription, ev.Title)
		v.Props.SetText(ical.PropTransparency, "OPAQUE")
		v.Props.SetText("X-MICROSOFT-CDO-BUSYSTATUS", "OOF")
	} else {
		v.Props.SetText(ical.PropSummary, ev.Title)
		if ev.Description != "" {
			v.Props.SetText(ical.PropDescription, ev.Description)
		}
	}
	loc := ev.Location
	if loc == "" && ev.Resource != "" {
		loc = rooms[ev.Resource]
	}
	if loc != "" {
		v.Props.SetText(ical.PropLocation, loc)
	}
	if ev.Recurrence != "" {
		p := ical.NewProp(ical.PropRecurrenceRule)
		p.SetValueType(ical.ValueRecurrence)
		p.Value = ev.Recurrence
		v.Props.Set(p)
	}
	if addr := emails[ev.Organizer]; addr != "" {
		p := ical.NewProp(ical.PropOrganizer)
		p.SetValueType(ical.ValueCalendarAddress)
		p.Value = "mailto:" + addr
		v.Props.Set(p)
	}
	for _, a := range ev.Attendees {
		if addr := emails[a]; addr != "" {
			p := ical.NewProp(ical.PropAttendee)
			p.SetValueType(ical.ValueCalendarAddress)
			p.Value = "mailto:" + addr
			v.Props.Add(p)
		}
	}
	return v
}

// emails maps the tenant's employee ids to their email addresses.
func (tx *Tx) emails(ctx context.Context) (map[string]string, error) {
	return tx.idMap(ctx, `SELECT id, email FROM employees WHERE tenant_id = $1`)
}

// resourceNames maps the tenant's resource ids to their names.
func (tx *Tx) resourceNames(ctx context.Context) (map[string]string, error) {
	return tx.idMap(ctx, `SELECT id, name FROM resources WHERE tenant_id = $1`)
}

func (tx *Tx) idMap(ctx context.Context, q string) (map[string]string, error) {
	rows, err := tx.Query(ctx, q, tx.tenant.ID)
	if err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	out := map[string]string{}
	var id, v string
	_, err = pgx.ForEachRow(rows, []any{&id, &v}, func() error { out[id] = v; return nil })
	if err != nil {
		return nil, fmt.Errorf("load names: %w", err)
	}
	return out, nil
}
