package domain

import (
	"slices"
	"time"
)

// Tenant is a company using banli, with its settings.
type Tenant struct {
	ID       string
	Name     string
	Settings Settings
}

// Settings are the tenant's locale and calendar settings. Hong Kong defaults
// come from DefaultSettings.
type Settings struct {
	Timezone string             `json:"timezone"`
	Locale   string             `json:"locale"`
	Currency string             `json:"currency"`
	WorkDays []int              `json:"work_days"` // time.Weekday values
	WorkFrom string             `json:"work_from"` // "09:00"
	WorkTo   string             `json:"work_to"`   // "18:00"
	Holidays []Holiday          `json:"holidays"`
	Leave    []LeaveTypeSetting `json:"leave_types"`
	// ExchangeRates converts a claim currency into the tenant currency:
	// amount_in_tenant = amount * rate.
	ExchangeRates map[string]string `json:"exchange_rates"`
	// CategoryCaps caps one expense item per category, in the tenant currency.
	CategoryCaps map[string]string `json:"category_caps"`
	// ApprovalHours is the working-hours deadline of an approval step; UrgentHours for the urgent lane.
	ApprovalHours int `json:"approval_hours"`
	UrgentHours   int `json:"urgent_hours"`
	// Anomaly configures the anomaly and duplicate checks on expense items.
	Anomaly AnomalySettings `json:"anomaly"`
	// AuditRetentionYears is how long audit entries are kept (default 7,
	// the Hong Kong norm for business records); older ones are purged daily.
	AuditRetentionYears int `json:"audit_retention_years,omitempty"`
}

// Holiday is a public holiday.
type Holiday struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

// LeaveTypeSetting configures one leave type for a tenant.
type LeaveTypeSetting struct {
	Type         string  `json:"type"`
	Entitlement  float64 `json:"entitlement"` // default days a year for a new balance
	NeedsBalance bool    `json:"needs_balance"`
	// CertificateAfterDays: a request longer than this needs a certificate (sick leave).
	CertificateAfterDays float64 `json:"certificate_after_days,omitempty"`
}

// DefaultSettings returns Hong Kong defaults.
func DefaultSettings() Settings {
	return Settings{
		Timezone: "Asia/Hong_Kong",
		Locale:   "zh-HK",
		Currency: "HKD",
		WorkDays: []int{1, 2, 3, 4, 5},
		WorkFrom: "09:00",
		WorkTo:   "18:00",
		Leave: []LeaveTypeSetting{
			{Type: "annual", Entitlement: 14, NeedsBalance: true},
			{Type: "sick", Entitlement: 12, NeedsBalance: true, CertificateAfterDays: 2},
			{Type: "personal", Entitlement: 0},
			{Type: "compensatory", Entitlement: 0, NeedsBalance: true},
			{Type: "maternity", Entitlement: 98},
			{Type: "paternity", Entitlement: 5},
			{Type: "marriage", Entitlement: 3},
			{Type: "bereavement", Entitlement: 3},
			{Type: "unpaid", Entitlement: 0},
		},
		ExchangeRates:       map[string]string{"HKD": "1", "CNY": "1.08", "USD": "7.80", "MYR": "1.75", "SGD": "5.80", "EUR": "8.50", "GBP": "9.90", "JPY": "0.052", "TWD": "0.24"},
		CategoryCaps:        map[string]string{"meals": "1000", "entertainment": "20000", "office_supplies": "5000"},
		ApprovalHours:       16,
		UrgentHours:         4,
		AuditRetentionYears: 7,
	}
}

// Location loads the tenant's time zone, defaulting to Hong Kong.
func (s Settings) Location() *time.Location {
	if loc, err := time.LoadLocation(s.Timezone); err == nil {
		return loc
	}
	loc, err := time.LoadLocation("Asia/Hong_Kong")
	if err != nil {
		return time.FixedZone("HKT", 8*3600)
	}
	return loc
}

// LeaveType returns the setting for a leave type.
func (s Settings) LeaveType(t string) (LeaveTypeSetting, bool) {
	for _, l := range s.Leave {
		if l.Type == t {
			return l, true
		}
	}
	return LeaveTypeSetting{}, false
}

// Calendar returns the tenant's working calendar.
func (s Settings) Calendar() WorkCalendar {
	return s.CalendarIn(s.Location())
}

// CalendarIn is Calendar with the time zone already loaded (loading it reads
// the zone database).
func (s Settings) CalendarIn(loc *time.Location) WorkCalendar {
	hol := map[string]bool{}
	for _, h := range s.Holidays {
		hol[h.Date] = true
	}
	from, _ := time.Parse("15:04", s.WorkFrom)
	to, _ := time.Parse("15:04", s.WorkTo)
	if !to.After(from) {
		from, _ = time.Parse("15:04", "09:00")
		to, _ = time.Parse("15:04", "18:00")
	}
	return WorkCalendar{Loc: loc, WorkDays: s.WorkDays, Holidays: hol,
		From: from.Hour()*60 + from.Minute(), To: to.Hour()*60 + to.Minute()}
}

// Department is an organisational unit.
type Department struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEn string `json:"name_en,omitempty"`
	Head   string `json:"head,omitempty"`
}

// Employee is a directory entry.
type Employee struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	NameEn      string   `json:"name_en,omitempty"`
	Aliases     []string `json:"aliases,omitempty"`
	Email       string   `json:"email,omitempty"`
	Department  string   `json:"department,omitempty"`
	Manager     string   `json:"manager,omitempty"`
	Roles       []string `json:"roles"`
	Title       string   `json:"title,omitempty"`
	ManagerPath []string `json:"-"` // ancestors, nearest first
	Active      bool     `json:"active"`
}

// HasRole reports whether the employee holds role.
func (e Employee) HasRole(role string) bool { return slices.Contains(e.Roles, role) }

// Resource is a bookable room or piece of equipment.
type Resource struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	NameEn   string `json:"name_en,omitempty"`
	Kind     string `json:"kind"`
	Capacity int    `json:"capacity,omitempty"`
}

// Delegation lets Delegate decide Delegator's approvals between two dates.
type Delegation struct {
	ID        string `json:"id"`
	Delegator string `json:"delegator"`
	Delegate  string `json:"delegate"`
	Start     string `json:"start"`
	End       string `json:"end"`
}
