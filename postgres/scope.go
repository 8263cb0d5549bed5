package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/domain"
)

// Lists filter to what the actor may read. When a list asks for one
// employee's records, or one department's, and the actor has no standing
// to see them (not the employee, above them, or in a role that sees all),
// an empty answer would read as "there are none": refuseHidden turns it
// into a refusal that says so. A list that found records the actor may see
// (as an approver, say) is answered as usual.

// refuseHidden returns a forbidden error when a list filtered to employee
// found nothing and the actor does not oversee the employee.
func (tx *Tx) refuseHidden(ctx context.Context, employee string, found int, what string, roles ...string) error {
	if employee == "" || found > 0 || tx.actor.System || employee == tx.me.ID || tx.hasAnyRole(roles) {
		return nil
	}
	var above bool
	err := tx.QueryRow(ctx, `SELECT $3 = ANY(manager_path) FROM employees WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, employee, tx.me.ID).Scan(&above)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.ENotFound, "no employee %q", employee)
	}
	if err != nil {
		return fmt.Errorf("check scope: %w", err)
	}
	if above {
		return nil
	}
	return domain.Errorf(domain.EForbidden, "you may not see %s's %s", employee, what)
}

// refuseDepartment returns a forbidden error unless the actor belongs to
// department, heads it or is above its head, or has one of roles.
func (tx *Tx) refuseDepartment(ctx context.Context, department, what string, roles ...string) error {
	if department == "" || tx.actor.System || department == tx.me.Department || tx.hasAnyRole(roles) {
		return nil
	}
	var ok bool
	err := tx.QueryRow(ctx, `SELECT coalesce(d.head = $3 OR $3 = ANY(h.manager_path), false)
		FROM departments d LEFT JOIN employees h ON h.tenant_id = d.tenant_id AND h.id = d.head
		WHERE d.tenant_id = $1 AND d.id = $2`, tx.tenant.ID, department, tx.me.ID).Scan(&ok)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.ENotFound, "no department %q", department)
	}
	if err != nil {
		return fmt.Errorf("check scope: %w", err)
	}
	if !ok {
		return domain.Errorf(domain.EForbidden, "you may not see the %s of department %s", what, department)
	}
	return nil
}

func (tx *Tx) hasAnyRole(roles []string) bool {
	for _, r := range roles {
		if tx.me.HasRole(r) {
			return true
		}
	}
	return false
}
