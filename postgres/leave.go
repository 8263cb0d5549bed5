package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

const leaveCols = `id, employee, leave_type, to_char(start_date,'YYYY-MM-DD'), to_char(end_date,'YYYY-MM-DD'), start_half, end_half, days::float8, reason, certificate, urgent, status, created_at`

func scanLeave(r pgx.Row) (domain.LeaveRequest, error) {
	var l domain.LeaveRequest
	err := r.Scan(&l.ID, &l.Employee, &l.LeaveType, &l.Start, &l.End, &l.StartHalf, &l.EndHalf, &l.Days, &l.Reason, &l.Certificate, &l.Urgent, &l.Status, &l.CreatedAt)
	return l, err
}

// RequestLeave files a leave request for the actor (or, for HR, for
// in.Employee) and routes it for approval.
func (s *Store) RequestLeave(ctx context.Context, actor domain.Actor, in domain.LeaveInput) (domain.LeaveRequest, error) {
	var out domain.LeaveRequest
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, err = tx.requestLeave(ctx, in, "")
		return err
	})
	return out, err
}

// requestLeave validates and files a request; id is reused on resubmission.
func (tx *Tx) requestLeave(ctx context.Context, in domain.LeaveInput, id string) (domain.LeaveRequest, error) {
	start, end, err := domain.NormalizeLeave(&in, tx.loc)
	if err != nil {
		return domain.LeaveRequest{}, err
	}
	empID := in.Employee
	if empID == "" {
		empID = tx.me.ID
	}
	// One round trip locks the employee, so concurrent requests cannot both
	// pass the overlap and balance checks, and then, under that lock, reads
	// their overlapping requests, the routing rules and which of their
	// managers are away today. What it read is looked at only once the actor
	// is authorized.
	var emp domain.Employee
	var existing []domain.LeaveRequest
	b := &pgx.Batch{}
	b.Queue(`SELECT id, name, coalesce(department,''), coalesce(manager,''), manager_path, roles FROM employees WHERE tenant_id = $1 AND id = $2 AND active FOR UPDATE`,
		tx.tenant.ID, empID).QueryRow(func(r pgx.Row) error {
		return r.Scan(&emp.ID, &emp.Name, &emp.Department, &emp.Manager, &emp.ManagerPath, &emp.Roles)
	})
	b.Queue(`SELECT `+leaveCols+` FROM leave_requests WHERE tenant_id = $1 AND employee = $2 AND status IN ('pending','approved') AND id <> $5
		AND start_date <= $4 AND end_date >= $3`, tx.tenant.ID, empID, in.Start, in.End, id).Query(func(rows pgx.Rows) error {
		var err error
		if existing, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.LeaveRequest, error) { return scanLeave(r) }); err != nil {
			return fmt.Errorf("overlap check: %w", err)
		}
		return nil
	})
	tx.queueRules(b, domain.KindLeave)
	tx.queueManagersAway(b, empID, func() []string { return emp.ManagerPath })
	err = tx.SendBatch(ctx, b).Close()
	if err := notFound(err, "employee", empID); err != nil {
		return domain.LeaveRequest{}, err
	}
	if err := tx.can(authz.Create, authz.Resource{Type: authz.TypeLeaveRequest, ID: "new", Owner: emp.ID, OwnerPath: emp.ManagerPath}); err != nil {
		return domain.LeaveRequest{}, err
	}
	days := tx.cal.LeaveDays(start, end, in.StartHalf, in.EndHalf)
	if days <= 0 {
		return domain.LeaveRequest{}, domain.Invalid("start", "%s to %s has no working days: nothing to request", in.Start, in.End)
	}
	lr := domain.LeaveRequest{Employee: emp.ID, LeaveType: in.LeaveType, Start: in.Start, End: in.End, StartHalf: in.StartHalf, EndHalf: in.EndHalf,
		Days: days, Reason: in.Reason, Certificate: in.Certificate, Urgent: in.Urgent, Status: domain.StatusPending, CreatedAt: tx.now}
	for _, o := range existing {
		if domain.LeaveOverlaps(lr, o) {
			return lr, domain.Errorf(domain.EConflict, "this overlaps your %s leave %s (%s to %s, %s)", o.LeaveType, o.ID, o.Start, o.End, o.Status)
		}
	}
	setting, _ := tx.tenant.Settings.LeaveType(in.LeaveType)
	year := start.Year()
	if setting.NeedsBalance {
		b, err := tx.balance(ctx, emp.ID, in.LeaveType, year, true)
		if err != nil {
			return lr, err
		}
		if b.Available < days {
			return lr, domain.Invalid("leave_type", "not enough %s leave: %s requested, %s available (%s entitled, %s used, %s pending)",
				in.LeaveType, num(days), num(b.Available), num(b.Entitled), num(b.Used), num(b.Pending))
		}
	}
	needCert := setting.CertificateAfterDays > 0 && days > setting.CertificateAfterDays && in.Certificate == ""
	// The request is saved (and its balance reserved) in the same round trip
	// as its approval is opened.
	save := &writes{}
	if id == "" {
		lr.ID = newID("lr")
		save.queue("save leave request", `INSERT INTO leave_requests (tenant_id, id, employee, leave_type, start_date, end_date, start_half, end_half, days, reason, certificate, urgent, status, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
			tx.tenant.ID, lr.ID, lr.Employee, lr.LeaveType, lr.Start, lr.End, lr.StartHalf, lr.EndHalf, lr.Days, lr.Reason, lr.Certificate, lr.Urgent, lr.Status, tx.now)
	} else {
		lr.ID = id
		save.queue("save leave request", `UPDATE leave_requests SET leave_type=$3, start_date=$4, end_date=$5, start_half=$6, end_half=$7, days=$8, reason=$9, certificate=$10, urgent=$11, status=$12, updated_at=now()
			WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id, lr.LeaveType, lr.Start, lr.End, lr.StartHalf, lr.EndHalf, lr.Days, lr.Reason, lr.Certificate, lr.Urgent, lr.Status)
	}
	if needCert {
		// Returned at once, naming what is missing, so nobody's queue holds
		// a request that cannot be approved as it stands.
		lr.Status = domain.StatusReturned
		save.queue("return leave request", `UPDATE leave_requests SET status = 'returned' WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, lr.ID)
		if _, err := save.send(ctx, tx.Tx); err != nil {
			return lr, err
		}
		msg := fmt.Sprintf("病假超過 %s 日須附醫生證明 / sick leave over %s days needs a medical certificate", num(setting.CertificateAfterDays), num(setting.CertificateAfterDays))
		tx.audit("leave.request", "leave:"+lr.ID, nil, lr)
		tx.audit("leave.auto_return", "leave:"+lr.ID, nil, map[string]any{"missing": "certificate", "message": msg})
		tx.notify(emp.ID, "approval.returned", "假期申請已退回 Leave request returned", msg, lr.ID)
		return lr, nil
	}
	if setting.NeedsBalance {
		save.queue("reserve balance", `UPDATE leave_balances SET pending = pending + $5 WHERE tenant_id = $1 AND employee = $2 AND leave_type = $3 AND year = $4`,
			tx.tenant.ID, emp.ID, lr.LeaveType, year, days)
	}
	tx.audit("leave.request", "leave:"+lr.ID, nil, lr)
	tx.emit("leave.submitted", lr)
	summary := fmt.Sprintf("%s %s %s–%s (%s days)", emp.Name, lr.LeaveType, lr.Start, lr.End, num(days))
	return lr, tx.startApprovalAfter(ctx, save, id == "", domain.KindLeave, lr.ID, emp,
		domain.RouteInput{Days: days, LeaveType: lr.LeaveType, Department: emp.Department, Urgent: lr.Urgent}, summary)
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// balance returns a balance row, creating it from the tenant's default
// entitlement when absent. lock takes a row lock for a following update.
func (tx *Tx) balance(ctx context.Context, emp, leaveType string, year int, lock bool) (domain.LeaveBalance, error) {
	b := domain.LeaveBalance{Employee: emp, LeaveType: leaveType, Year: year}
	q := `SELECT entitled::float8, used::float8, pending::float8 FROM leave_balances WHERE tenant_id = $1 AND employee = $2 AND leave_type = $3 AND year = $4`
	if lock {
		q += ` FOR UPDATE`
	}
	err := tx.QueryRow(ctx, q, tx.tenant.ID, emp, leaveType, year).Scan(&b.Entitled, &b.Used, &b.Pending)
	if errors.Is(err, pgx.ErrNoRows) {
		setting, _ := tx.tenant.Settings.LeaveType(leaveType)
		b.Entitled = setting.Entitlement
		if _, err := tx.Exec(ctx, `INSERT INTO leave_balances (tenant_id, employee, leave_type, year, entitled) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING`,
			tx.tenant.ID, emp, leaveType, year, b.Entitled); err != nil {
			return b, fmt.Errorf("create balance: %w", err)
		}
		if lock {
			return tx.balance(ctx, emp, leaveType, year, true)
		}
	} else if err != nil {
		return b, fmt.Errorf("load balance: %w", err)
	}
	b.Available = b.Entitled - b.Used - b.Pending
	return b, nil
}

// LeaveBalances returns an employee's balances for a year (all types when
// leaveType is empty). The employee, their managers and HR may read them.
func (s *Store) LeaveBalances(ctx context.Context, actor domain.Actor, employee, leaveType string, year int) ([]domain.LeaveBalance, error) {
	var out []domain.LeaveBalance
	err := s.run(ctx, actor, func(tx *Tx) error {
		if employee == "" {
			employee = tx.me.ID
		}
		if year == 0 {
			year = tx.now.In(tx.loc).Year()
		}
		emp, err := tx.employee(ctx, employee)
		if err != nil {
			return err
		}
		if err := tx.can(authz.Read, authz.Resource{Type: authz.TypeLeaveBalance, ID: employee, Owner: emp.ID, OwnerPath: emp.ManagerPath}); err != nil {
			return err
		}
		types := []string{leaveType}
		if leaveType == "" {
			types = nil
			for _, l := range tx.tenant.Settings.Leave {
				if l.NeedsBalance {
					types = append(types, l.Type)
				}
			}
		}
		for _, t := range types {
			if _, ok := tx.tenant.Settings.LeaveType(t); !ok {
				return domain.Invalid("leave_type", "unknown leave type %q", t)
			}
			b, err := tx.balance(ctx, employee, t, year, false)
			if err != nil {
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	return out, err
}

// SetBalance sets an employee's entitlement and usage (HR and administrators; seeding).
func (s *Store) SetBalance(ctx context.Context, actor domain.Actor, b domain.LeaveBalance) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if !tx.actor.System && !tx.me.HasRole(domain.RoleHR) && !tx.me.HasRole(domain.RoleAdmin) {
			return domain.Errorf(domain.EForbidden, "only HR may set leave balances")
		}
		var v domain.Validator
		_, ok := tx.tenant.Settings.LeaveType(b.LeaveType)
		v.Check(ok, "leave_type", "unknown leave type")
		v.Check(b.Entitled >= 0 && b.Entitled <= 366, "entitled", "must be between 0 and 366")
		v.Check(b.Used >= 0 && b.Used <= 366, "used", "must be between 0 and 366")
		v.Check(b.Year >= 2000 && b.Year <= 2100, "year", "must be a year")
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.employee(ctx, b.Employee); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO leave_balances (tenant_id, employee, leave_type, year, entitled, used) VALUES ($1,$2,$3,$4,$5,$6)
			ON CONFLICT (tenant_id, employee, leave_type, year) DO UPDATE SET entitled = EXCLUDED.entitled, used = EXCLUDED.used`,
			tx.tenant.ID, b.Employee, b.LeaveType, b.Year, b.Entitled, b.Used)
		if err != nil {
			return fmt.Errorf("set balance: %w", err)
		}
		tx.audit("leave.balance.set", "employee:"+b.Employee, nil, b)
		return nil
	})
}

// leave loads a request and checks the actor may read it; reasons are masked
// for readers who may not see private fields.
func (tx *Tx) leave(ctx context.Context, id string, lock bool) (domain.LeaveRequest, authz.Resource, error) {
	q := `SELECT ` + leaveCols + ` FROM leave_requests WHERE tenant_id = $1 AND id = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	lr, err := scanLeave(tx.QueryRow(ctx, q, tx.tenant.ID, id))
	if err := notFound(err, "leave request", id); err != nil {
		return lr, authz.Resource{}, err
	}
	res, err := tx.leaveResource(ctx, lr)
	if err != nil {
		return lr, res, err
	}
	if err := tx.can(authz.Read, res); err != nil {
		return lr, res, domain.Errorf(domain.ENotFound, "no leave request %q", id)
	}
	if !tx.allowed(authz.ReadPrivate, res) {
		lr.Reason, lr.Certificate, lr.Masked = "", "", true
	}
	return lr, res, nil
}

func (tx *Tx) leaveResource(ctx context.Context, lr domain.LeaveRequest) (authz.Resource, error) {
	emp, err := tx.employee(ctx, lr.Employee)
	if err != nil {
		return authz.Resource{}, err
	}
	var approvers []string
	if err := tx.QueryRow(ctx, `SELECT coalesce(array_agg(DISTINCT x), '{}') FROM approval_steps s, unnest(s.approvers) x WHERE s.tenant_id = $1 AND s.request_id = $2`,
		tx.tenant.ID, lr.ID).Scan(&approvers); err != nil {
		return authz.Resource{}, fmt.Errorf("approvers: %w", err)
	}
	return authz.Resource{Type: authz.TypeLeaveRequest, ID: lr.ID, Owner: lr.Employee, OwnerPath: emp.ManagerPath, Approvers: approvers}, nil
}

// GetLeave returns one leave request visible to the actor.
func (s *Store) GetLeave(ctx context.Context, actor domain.Actor, id string) (domain.LeaveRequest, error) {
	var out domain.LeaveRequest
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, _, err = tx.leave(ctx, id, false)
		return err
	})
	return out, err
}

// LeaveFilter narrows a leave list (moved to domain).
type LeaveFilter = domain.LeaveFilter

// ListLeave lists leave requests the actor may see: their own, their
// reports', those they approve, and for HR everyone's. The filter is SQL, so
// pages are complete.
func (s *Store) ListLeave(ctx context.Context, actor domain.Actor, f LeaveFilter) ([]domain.LeaveRequest, error) {
	var out []domain.LeaveRequest
	err := s.run(ctx, actor, func(tx *Tx) error {
		if f.Limit <= 0 || f.Limit > 500 {
			f.Limit = 100
		}
		for _, d := range []struct{ name, v string }{{"from", f.From}, {"to", f.To}} {
			if d.v != "" {
				if _, err := domain.ParseDate(d.v, tx.loc); err != nil {
					return domain.Invalid(d.name, "must be a date (YYYY-MM-DD)")
				}
			}
		}
		isHR := tx.actor.System || tx.me.HasRole(domain.RoleHR)
		rows, err := tx.Query(ctx, `SELECT l.id, l.employee, l.leave_type, to_char(l.start_date,'YYYY-MM-DD'), to_char(l.end_date,'YYYY-MM-DD'), l.start_half, l.end_half, l.days::float8,
			  CASE WHEN $2 OR l.employee = $3 OR ap.approvers @> ARRAY[$3] THEN l.reason ELSE '' END,
			  CASE WHEN $2 OR l.employee = $3 OR ap.approvers @> ARRAY[$3] THEN l.certificate ELSE '' END,
			  l.urgent, l.status, l.created_at, NOT ($2 OR l.employee = $3 OR coalesce(ap.approvers @> ARRAY[$3], false))
			FROM leave_requests l
			JOIN employees e ON e.tenant_id = l.tenant_id AND e.id = l.employee
			LEFT JOIN LATERAL (SELECT array_agg(x) AS approvers FROM approval_steps s, unnest(s.approvers) x WHERE s.tenant_id = l.tenant_id AND s.request_id = l.id) ap ON true
			WHERE l.tenant_id = $1
			  AND ($2 OR l.employee = $3 OR $3 = ANY(e.manager_path) OR coalesce(ap.approvers @> ARRAY[$3], false))
			  AND ($4 = '' OR l.employee = $4) AND ($5 = '' OR l.status = $5)
			  AND ($6 = '' OR l.end_date >= $6::date) AND ($7 = '' OR l.start_date <= $7::date)
			  AND ($8 = '' OR l.id > $8)
			ORDER BY l.id LIMIT $9`, tx.tenant.ID, isHR, tx.me.ID, f.Employee, f.Status, f.From, f.To, f.After, f.Limit)
		if err != nil {
			return fmt.Errorf("list leave: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.LeaveRequest, error) {
			var l domain.LeaveRequest
			return l, r.Scan(&l.ID, &l.Employee, &l.LeaveType, &l.Start, &l.End, &l.StartHalf, &l.EndHalf, &l.Days, &l.Reason, &l.Certificate, &l.Urgent, &l.Status, &l.CreatedAt, &l.Masked)
		})
		if err != nil {
			return err
		}
		return tx.refuseHidden(ctx, f.Employee, len(out), "leave requests", domain.RoleHR)
	})
	return out, err
}

// CancelLeave withdraws a pending request or cancels an approved one that has
// not started, restoring the balance and removing the out-of-office event.
func (s *Store) CancelLeave(ctx context.Context, actor domain.Actor, id string) (domain.LeaveRequest, error) {
	var out domain.LeaveRequest
	err := s.run(ctx, actor, func(tx *Tx) error {
		lr, res, err := tx.leave(ctx, id, true)
		if err != nil {
			return err
		}
		if err := tx.can(authz.Cancel, res); err != nil {
			return err
		}
		before := lr
		switch lr.Status {
		case domain.StatusPending:
			if err := tx.cancelApproval(ctx, id); err != nil {
				return err
			}
			if err := tx.adjustBalance(ctx, lr, -lr.Days, 0); err != nil {
				return err
			}
		case domain.StatusApproved:
			start, _ := domain.ParseDate(lr.Start, tx.loc)
			if !start.After(tx.now) {
				return domain.Errorf(domain.EConflict, "leave %s has already started; ask HR to adjust it", id)
			}
			if err := tx.adjustBalance(ctx, lr, 0, -lr.Days); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE events SET status = 'cancelled' WHERE tenant_id = $1 AND kind = 'out_of_office' AND source_id = $2`, tx.tenant.ID, id); err != nil {
				return fmt.Errorf("remove out-of-office: %w", err)
			}
		case domain.StatusReturned, domain.StatusDraft:
		default:
			return domain.Errorf(domain.EConflict, "leave %s is %s and cannot be cancelled", id, lr.Status)
		}
		if _, err := tx.Exec(ctx, `UPDATE leave_requests SET status = 'cancelled', updated_at = now() WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id); err != nil {
			return fmt.Errorf("cancel leave: %w", err)
		}
		lr.Status = domain.StatusCancelled
		tx.audit("leave.cancel", "leave:"+id, before, lr)
		tx.emit("leave.cancelled", lr)
		out = lr
		return nil
	})
	return out, err
}

// ResubmitLeave changes a returned request and restarts its approval chain.
func (s *Store) ResubmitLeave(ctx context.Context, actor domain.Actor, id string, in domain.LeaveInput) (domain.LeaveRequest, error) {
	var out domain.LeaveRequest
	err := s.run(ctx, actor, func(tx *Tx) error {
		lr, res, err := tx.leave(ctx, id, true)
		if err != nil {
			return err
		}
		if err := tx.can(authz.Update, res); err != nil {
			return err
		}
		if lr.Status != domain.StatusReturned {
			return domain.Errorf(domain.EConflict, "only a returned request can be resubmitted; %s is %s", id, lr.Status)
		}
		in.Employee = lr.Employee
		out, err = tx.requestLeave(ctx, in, id)
		if err == nil {
			tx.audit("leave.resubmit", "leave:"+id, lr, out)
		}
		return err
	})
	return out, err
}

func (tx *Tx) adjustBalance(ctx context.Context, lr domain.LeaveRequest, pending, used float64) error {
	setting, _ := tx.tenant.Settings.LeaveType(lr.LeaveType)
	if !setting.NeedsBalance {
		return nil
	}
	year, _ := strconv.Atoi(lr.Start[:4])
	if _, err := tx.balance(ctx, lr.Employee, lr.LeaveType, year, true); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE leave_balances SET pending = greatest(pending + $5, 0), used = greatest(used + $6, 0)
		WHERE tenant_id = $1 AND employee = $2 AND leave_type = $3 AND year = $4`, tx.tenant.ID, lr.Employee, lr.LeaveType, year, pending, used)
	if err != nil {
		return fmt.Errorf("adjust balance: %w", err)
	}
	return nil
}

// leaveOutcome applies a finished approval to a leave request.
func (tx *Tx) leaveOutcome(ctx context.Context, id, status string) error {
	lr, err := scanLeave(tx.QueryRow(ctx, `SELECT `+leaveCols+` FROM leave_requests WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, tx.tenant.ID, id))
	if err := notFound(err, "leave request", id); err != nil {
		return err
	}
	switch status {
	case domain.StatusApproved:
		if err := tx.adjustBalance(ctx, lr, -lr.Days, lr.Days); err != nil {
			return err
		}
		// Approved leave shows as out-of-office on the calendar.
		start, _ := domain.ParseDate(lr.Start, tx.loc)
		end, _ := domain.ParseDate(lr.End, tx.loc)
		from, _ := tx.cal.WorkingHoursBounds(start)
		_, to := tx.cal.WorkingHoursBounds(end)
		if lr.StartHalf == "pm" {
			from = start.Add(13 * time.Hour)
		}
		if lr.EndHalf == "am" {
			to = end.Add(13 * time.Hour)
		}
		if !to.After(from) {
			to = from.Add(4 * time.Hour)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO events (tenant_id, id, title, organizer, start_at, end_at, kind, source_id) VALUES ($1,$2,$3,$4,$5,$6,'out_of_office',$7)`,
			tx.tenant.ID, newID("ev"), "休假 Out of office ("+lr.LeaveType+")", lr.Employee, from, to, lr.ID); err != nil {
			return fmt.Errorf("out-of-office event: %w", err)
		}
	case domain.StatusRejected, domain.StatusReturned:
		if err := tx.adjustBalance(ctx, lr, -lr.Days, 0); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE leave_requests SET status = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id, status); err != nil {
		return fmt.Errorf("update leave status: %w", err)
	}
	return nil
}

// ImportLeave loads a historical or pending request as it stands (seeding):
// pending ones enter the approval engine as if their employee submitted them.
func (s *Store) ImportLeave(ctx context.Context, actor domain.Actor, id string, in domain.LeaveInput, status string) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if !tx.actor.System {
			return domain.Errorf(domain.EForbidden, "only the system imports history")
		}
		start, end, err := domain.NormalizeLeave(&in, tx.loc)
		if err != nil {
			return err
		}
		emp, err := tx.employee(ctx, in.Employee)
		if err != nil {
			return err
		}
		days := tx.cal.LeaveDays(start, end, in.StartHalf, in.EndHalf)
		if status == "" {
			status = domain.StatusPending
		}
		lr := domain.LeaveRequest{ID: id, Employee: emp.ID, LeaveType: in.LeaveType, Start: in.Start, End: in.End, StartHalf: in.StartHalf, EndHalf: in.EndHalf, Days: days, Reason: in.Reason, Status: domain.StatusPending}
		if _, err := tx.Exec(ctx, `INSERT INTO leave_requests (tenant_id, id, employee, leave_type, start_date, end_date, start_half, end_half, days, reason, status, created_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
			tx.tenant.ID, id, lr.Employee, lr.LeaveType, lr.Start, lr.End, lr.StartHalf, lr.EndHalf, days, lr.Reason, lr.Status, tx.now); err != nil {
			if isUnique(err) {
				return domain.Errorf(domain.EConflict, "leave request %s exists", id)
			}
			return fmt.Errorf("import leave: %w", err)
		}
		tx.audit("leave.import", "leave:"+id, nil, map[string]any{"request": lr, "status": status})
		switch status {
		case domain.StatusPending:
			if err := tx.adjustBalance(ctx, lr, days, 0); err != nil {
				return err
			}
			summary := fmt.Sprintf("%s %s %s–%s (%s days)", emp.Name, lr.LeaveType, lr.Start, lr.End, num(days))
			return tx.startApproval(ctx, domain.KindLeave, id, emp, domain.RouteInput{Days: days, LeaveType: lr.LeaveType, Department: emp.Department}, summary)
		case domain.StatusApproved, domain.StatusRejected:
			// History: the fixture's balances already count approved days as used.
			_, err := tx.Exec(ctx, `UPDATE leave_requests SET status = $3 WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id, status)
			return err
		}
		return domain.Invalid("status", "must be pending, approved or rejected")
	})
}
