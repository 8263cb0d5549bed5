package anomaly

import (
	"strings"
	"time"
)

// Config holds one tenant's settings. The zero value is not useful; start
// from DefaultConfig and change what the tenant changed.
type Config struct {
	// Disabled switches checks off; a check not listed runs.
	Disabled map[Check]bool

	// Currency is the tenant's currency, in which AmountBase and the
	// thresholds are expressed.
	Currency string
	// Rates converts one unit of a currency into the tenant's currency. An
	// item in a currency with no rate is taken at face value.
	Rates map[string]float64

	// ApprovalThresholds are the tenant's approval limits (e.g. HKD 5,000 and
	// 10,000), in the tenant's currency.
	ApprovalThresholds []float64
	// SplitWindowDays is how many days apart the parts of a split claim may be.
	SplitWindowDays int
	// SplitNearFraction marks "just under" a threshold: amounts in
	// [fraction*threshold, threshold).
	SplitNearFraction float64

	// OutlierMinHistory is how many earlier items of the same employee and
	// category are needed before the employee's own history is trusted.
	OutlierMinHistory int

	// WorkingDayCategories are categories that are expected on working days only.
	WorkingDayCategories []string
	// IsWorkingDay tells working days from weekends and holidays. When nil,
	// Monday to Friday are working days except dates in Holidays.
	IsWorkingDay func(date time.Time) bool
	// Holidays are public holidays as YYYY-MM-DD, used when IsWorkingDay is nil.
	Holidays map[string]bool

	// StaleDays is how old a receipt may be at submission before it is stale.
	StaleDays int

	// CategoryKeywords maps a category to merchant keywords typical of it
	// (lower-case English words or Chinese substrings). Nil means the
	// built-in table.
	CategoryKeywords map[string][]string
	// CompatibleCategories lists pairs of categories that share merchants
	// (a restaurant serves both meals and entertainment), so that claiming
	// one for the other is no mismatch. Nil means the built-in pairs.
	CompatibleCategories [][2]string

	// Threshold is the default score above which an item is flagged.
	Threshold float64
}

// DefaultConfig returns Hong Kong defaults: HKD, approval thresholds of
// 5,000 and 10,000, weekends and Hong Kong public holidays off.
func DefaultConfig() Config {
	hol := make(map[string]bool, len(hongKongHolidays))
	for _, d := range hongKongHolidays {
		hol[d] = true
	}
	return Config{
		Currency:             "HKD",
		Rates:                map[string]float64{"HKD": 1, "CNY": 1.08, "RMB": 1.08, "USD": 7.8, "MOP": 0.97, "SGD": 5.8, "MYR": 1.75, "TWD": 0.24, "JPY": 0.052, "EUR": 8.5, "GBP": 9.9},
		ApprovalThresholds:   []float64{5000, 10000},
		SplitWindowDays:      3,
		SplitNearFraction:    0.85,
		OutlierMinHistory:    6,
		WorkingDayCategories: []string{"transport", "meals", "office_supplies"},
		Holidays:             hol,
		StaleDays:            90,
		Threshold:            0.5,
	}
}

// hongKongHolidays are the Hong Kong general holidays of 2025 and 2026, the
// default holiday calendar; tenants supply their own for other years.
var hongKongHolidays = [...]string{
	"2025-01-01", "2025-01-29", "2025-01-30", "2025-01-31", "2025-04-04", "2025-04-18",
	"2025-04-19", "2025-04-21", "2025-05-01", "2025-05-05", "2025-05-31", "2025-07-01",
	"2025-10-01", "2025-10-07", "2025-10-29", "2025-12-25", "2025-12-26",
	"2026-01-01", "2026-02-17", "2026-02-18", "2026-02-19", "2026-04-03", "2026-04-04",
	"2026-04-06", "2026-04-07", "2026-05-01", "2026-05-25", "2026-06-19", "2026-07-01",
	"2026-09-26", "2026-10-01", "2026-10-19", "2026-12-25", "2026-12-26",
}

// HongKongHolidays returns the default holiday calendar (2025-2026) as YYYY-MM-DD dates.
func HongKongHolidays() []string { return append([]string(nil), hongKongHolidays[:]...) }

// Enabled reports whether a check runs.
func (c Config) Enabled(ch Check) bool { return !c.Disabled[ch] }

// workingDay applies IsWorkingDay or the weekday-and-holidays default.
func (c Config) workingDay(d time.Time) bool {
	if c.IsWorkingDay != nil {
		return c.IsWorkingDay(d)
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.Holidays[d.Format(time.DateOnly)]
}

// rate returns the conversion rate of a currency, 1 when unknown or the
// tenant's own.
func (c Config) rate(cur string) float64 {
	cur = strings.ToUpper(strings.TrimSpace(cur))
	if cur == "" || cur == strings.ToUpper(c.Currency) {
		return 1
	}
	if r, ok := c.Rates[cur]; ok && r > 0 {
		return r
	}
	return 1
}
