package when

import "time"

// Span returns the days covered by all date mentions: the earliest start and
// the latest end. "今日同聽日" and "一至三" both give a span.
func (r Result) Span() (from, to Date, ok bool) {
	for i, d := range r.Dates {
		if i == 0 || d.From.Before(from) {
			from = d.From
		}
		if i == 0 || to.Before(d.To) {
			to = d.To
		}
	}
	return from, to, len(r.Dates) > 0
}

// FirstDate returns the first date mentioned.
func (r Result) FirstDate() (Date, bool) {
	if len(r.Dates) == 0 {
		return Date{}, false
	}
	return r.Dates[0].From, true
}

// Part returns the first period of the day mentioned.
func (r Result) Part() Part {
	if len(r.Parts) == 0 {
		return NoPart
	}
	return r.Parts[0].Part
}

// HasTime reports whether a time of day was given: a clock, or noon.
func (r Result) HasTime() bool { return len(r.Clocks) > 0 || r.Part() == Noon }

// Start returns the start instant: the first date (today when none) at the
// first clock (12:00 for noon). ok is false without a time of day.
func (r Result) Start(now time.Time) (time.Time, bool) {
	day := DateOf(now)
	if d, ok := r.FirstDate(); ok {
		day = d
	}
	switch {
	case len(r.Clocks) > 0:
		c := r.Clocks[0]
		return day.At(c.Hour, c.Minute, now.Location()), true
	case r.Part() == Noon:
		return day.At(12, 0, now.Location()), true
	}
	return time.Time{}, false
}

// End returns the end instant for an event starting at start: the second
// clock ("三點至四點半") or the first duration ("一個鐘"). ok is false when the
// text gives neither.
func (r Result) End(start time.Time) (time.Time, bool) {
	if len(r.Clocks) > 1 {
		c := r.Clocks[1]
		end := DateOf(start).At(c.Hour, c.Minute, start.Location())
		if end.After(start) {
			return end, true
		}
	}
	if m := r.Minutes(); m > 0 {
		return start.Add(time.Duration(m) * time.Minute), true
	}
	return time.Time{}, false
}

// Minutes returns the first duration given in minutes, or 0.
func (r Result) Minutes() int {
	for _, d := range r.Durations {
		if d.Minutes > 0 {
			return d.Minutes
		}
	}
	return 0
}

// Days returns the first duration given in whole days, or 0.
func (r Result) Days() int {
	for _, d := range r.Durations {
		if d.Days > 0 {
			return d.Days
		}
	}
	return 0
}

// Due returns the deadline date: a date marked "by / 前", else the last
// date mentioned.
func (r Result) Due() (Date, bool) {
	for _, d := range r.Dates {
		if d.Due {
			return d.To, true
		}
	}
	if len(r.Dates) == 0 {
		return Date{}, false
	}
	return r.Dates[len(r.Dates)-1].To, true
}

// AddWorkdays returns the day n-1 working days after d (so n days of leave
// starting on d end on the result), skipping weekends.
func AddWorkdays(d Date, n int) Date {
	for n > 1 {
		d = d.AddDays(1)
		if !d.IsWeekend() {
			n--
		}
	}
	return d
}
