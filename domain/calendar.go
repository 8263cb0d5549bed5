package domain

import (
	"slices"
	"time"
)

// WorkCalendar knows the tenant's working days, holidays and working hours.
type WorkCalendar struct {
	Loc      *time.Location
	WorkDays []int
	Holidays map[string]bool
	From, To int // minutes after midnight
}

// IsWorkingDay reports whether d (a date in Loc) is a working day.
func (c WorkCalendar) IsWorkingDay(d time.Time) bool {
	d = d.In(c.Loc)
	return slices.Contains(c.WorkDays, int(d.Weekday())) && !c.Holidays[d.Format(DateLayout)]
}

// AddWorkingHours returns the instant h working hours after t, counting only
// time inside working hours on working days. Approval deadlines use it so a
// request filed on Friday evening is not overdue on Monday morning.
func (c WorkCalendar) AddWorkingHours(t time.Time, h float64) time.Time {
	remaining := time.Duration(h * float64(time.Hour))
	cur := t.In(c.Loc)
	for i := 0; i < 3660 && remaining > 0; i++ { // at most ten years of days
		day := time.Date(cur.Year(), cur.Month(), cur.Day(), 0, 0, 0, 0, c.Loc)
		if c.IsWorkingDay(day) {
			start := day.Add(time.Duration(c.From) * time.Minute)
			end := day.Add(time.Duration(c.To) * time.Minute)
			if cur.Before(start) {
				cur = start
			}
			if cur.Before(end) {
				avail := end.Sub(cur)
				if avail >= remaining {
					return cur.Add(remaining)
				}
				remaining -= avail
			}
		}
		cur = day.AddDate(0, 0, 1)
	}
	return cur
}

// WorkingHoursBounds returns the start and end of working hours on day d.
func (c WorkCalendar) WorkingHoursBounds(d time.Time) (time.Time, time.Time) {
	d = d.In(c.Loc)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, c.Loc)
	return day.Add(time.Duration(c.From) * time.Minute), day.Add(time.Duration(c.To) * time.Minute)
}

// LeaveDays counts the working days between start and end inclusive, in
// half-day units: the first day starts in startHalf ("am"/"pm") and the last
// ends in endHalf. Non-working days and holidays count zero.
func (c WorkCalendar) LeaveDays(start, end time.Time, startHalf, endHalf string) float64 {
	var days float64
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		if !c.IsWorkingDay(d) {
			continue
		}
		v := 1.0
		sameStart := d.Equal(start)
		sameEnd := d.Equal(end)
		switch {
		case sameStart && sameEnd:
			if startHalf == "pm" || endHalf == "am" {
				v = 0.5
			}
		case sameStart && startHalf == "pm":
			v = 0.5
		case sameEnd && endHalf == "am":
			v = 0.5
		}
		days += v
	}
	return days
}
