// Package seed loads a fixture (shared evals/FORMAT.md §1) into the store
// through the domain commands, as the system actor, so every seeded record is
// validated and audited like any other change.
package seed

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
)

var slugRE = regexp.MustCompile(`[^a-z0-9]+`)

// Slug derives a tenant slug from a company name.
func Slug(name string) string {
	s := strings.Trim(slugRE.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" {
		s = "company"
	}
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// Load creates the fixture's tenant under slug (derived from the name when
// empty) and returns its id.
func Load(ctx context.Context, st *postgres.Store, f *fixture.Fixture, slug string) (string, error) {
	settings := domain.DefaultSettings()
	if f.Tenant.Timezone != "" {
		settings.Timezone = f.Tenant.Timezone
	}
	if f.Tenant.Locale != "" {
		settings.Locale = f.Tenant.Locale
	}
	if f.Tenant.Currency != "" {
		settings.Currency = f.Tenant.Currency
	}
	for _, h := range f.Holidays {
		settings.Holidays = append(settings.Holidays, domain.Holiday{Date: h.Date, Name: h.Name})
	}
	if slug == "" {
		slug = Slug(f.Tenant.Name)
	}
	tid, err := st.CreateTenant(ctx, domain.ViaSeed, slug, f.Tenant.Name, settings)
	if err != nil {
		return "", fmt.Errorf("create tenant: %w", err)
	}
	sys := domain.Actor{TenantID: tid, System: true, Via: domain.ViaSeed}
	for _, d := range f.Departments {
		if err := st.SaveDepartment(ctx, sys, domain.Department{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Head: d.Head}); err != nil {
			return "", fmt.Errorf("department %s: %w", d.ID, err)
		}
	}
	emps := make([]domain.Employee, 0, len(f.Employees))
	for _, e := range f.Employees {
		emps = append(emps, domain.Employee{ID: e.ID, Name: e.Name, NameEn: e.NameEn, Aliases: e.Aliases, Email: e.Email,
			Department: e.Department, Manager: e.Manager, Roles: e.Roles, Title: e.Title})
	}
	if err := st.SaveEmployees(ctx, sys, emps); err != nil {
		return "", fmt.Errorf("employees: %w", err)
	}
	for _, r := range f.Resources {
		if err := st.SaveResource(ctx, sys, domain.Resource{ID: r.ID, Name: r.Name, NameEn: r.NameEn, Kind: r.Kind, Capacity: r.Capacity}); err != nil {
			return "", fmt.Errorf("resource %s: %w", r.ID, err)
		}
	}
	for _, b := range f.LeaveBalances {
		if err := st.SetBalance(ctx, sys, domain.LeaveBalance{Employee: b.Employee, LeaveType: b.LeaveType, Year: b.Year, Entitled: b.Entitled, Used: b.Used}); err != nil {
			return "", fmt.Errorf("balance %s/%s: %w", b.Employee, b.LeaveType, err)
		}
	}
	for _, l := range f.LeaveRequests {
		in := domain.LeaveInput{Employee: l.Employee, LeaveType: l.LeaveType, Start: l.Start, End: l.End, StartHalf: l.StartHalf, EndHalf: l.EndHalf, Reason: l.Reason}
		if err := st.ImportLeave(ctx, sys, l.ID, in, l.Status); err != nil {
			return "", fmt.Errorf("leave request %s: %w", l.ID, err)
		}
	}
	for _, c := range f.ExpenseClaims {
		in := domain.ClaimInput{Title: c.Title}
		for _, it := range c.Items {
			in.Items = append(in.Items, domain.ExpenseItem{Date: it.Date, Category: it.Category, Amount: it.Amount, Currency: it.Currency, Merchant: it.Merchant})
		}
		if err := st.ImportClaim(ctx, sys, c.ID, c.Employee, in, c.Status); err != nil {
			return "", fmt.Errorf("expense claim %s: %w", c.ID, err)
		}
	}
	if err := loadRest(ctx, st, sys, f); err != nil {
		return "", err
	}
	return tid, nil
}
