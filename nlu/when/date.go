// Package when finds dates, date ranges, clock times, periods of the day and
// durations in Chinese (Traditional, Simplified, Cantonese) and English text,
// and resolves them against a reference "now" in the tenant's time zone,
// following banli's value conventions (TOOLS.md): weeks start on Monday,
// "下週三 / next Wednesday" is the Wednesday of the following calendar week, a
// bare weekday is its next occurrence after today.
package when

import (
	"fmt"
	"time"
)

// Date is a calendar day without a time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a YYYY-MM-DD string.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("when: parse date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.Year == 0 }

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// At returns the instant h:m on d in loc.
func (d Date) At(h, m int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.In(time.UTC).Before(o.In(time.UTC)) }

// Sub returns the number of days from o to d.
func (d Date) Sub(o Date) int {
	return int(d.In(time.UTC).Sub(o.In(time.UTC)).Hours() / 24)
}

// Monday returns the Monday of d's week (weeks start on Monday).
func (d Date) Monday() Date { return d.AddDays(-weekdayIndex(d.Weekday())) }

// weekdayIndex numbers days from Monday (0) to Sunday (6).
func weekdayIndex(w time.Weekday) int { return (int(w) + 6) % 7 }

// IsWeekend reports whether d is a Saturday or a Sunday.
func (d Date) IsWeekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// valid reports whether y-m-d names a real day.
func valid(y int, m time.Month, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) == Date{y, m, d}
}

// lastDay returns the last day of the month of d.
func lastDay(y int, m time.Month) Date {
	return DateOf(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC))
}
