package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

// Step statuses.
const (
	stepWaiting  = "waiting"
	stepPending  = "pending"
	stepApproved = "approved"
	stepRejected = "rejected"
	stepReturned = "returned"
	stepSkipped  = "skipped"
)

// startApproval routes a request through the tenant's matrix and opens the
// first step. A resubmission starts a new round. When no step resolves to an
// approver the request is approved at once (and audited as such).
func (tx *Tx) startApproval(ctx context.Context, kind, requestID string, requester domain.Employee, facts domain.RouteInput, summary string) error {
	return tx.startApprovalAfter(ctx, &writes{}, false, kind, requestID, requester, facts, summary)
}

// startApprovalAfter is startApproval sending the caller's pending writes in
// pre (such as saving the request) ahead of the approval's, in the same round
// trip. A fresh request (new, so its first round) in a transaction of its
// own has its deadline jobs enqueued at once and those writes deferred to
// the commit's round trip, as nothing in the command reads them.
func (tx *Tx) startApprovalAfter(ctx context.Context, pre *writes, fresh bool, kind, requestID string, requester domain.Employee, facts domain.RouteInput, summary string) error {
	rules, err := tx.rules(ctx, kind)
	if err != nil {
		return err
	}
	rule, err := tx.s.route.Select(rules, kind, facts)
	if err != nil {
		return err
	}
	// Every step is resolved first, so that one statement writes the
	// approval and all its steps, the first reached one already pending.
	steps := make([]newStep, len(rule.Steps))
	seen := map[string]bool{requester.ID: true}
	first := -1
	for i, spec := range rule.Steps {
		approvers, err := tx.resolveApprovers(ctx, spec.Approver, requester)
		if err != nil {
			return err
		}
		// The requester and anyone already on an earlier step are skipped.
		approvers = slices.DeleteFunc(approvers, func(a string) bool { return seen[a] })
		for _, a := range approvers {
			seen[a] = true
		}
		status := stepWaiting
		if len(approvers) == 0 {
			status = stepSkipped
		} else if first < 0 {
			first, status = i, stepPending
		}
		mode := spec.Mode
		if mode == "" {
			mode = domain.ModeAny
		}
		label := spec.Label
		if label == "" {
			label = spec.Approver
		}
		steps[i] = newStep{Idx: i, Label: label, Mode: mode, Approvers: nonNil(approvers), Status: status}
	}
	var due, remind time.Time
	if first >= 0 {
		due, remind = tx.stepDeadlines(facts.Urgent)
		steps[first].DueAt = &due
	}
	// One statement writes the approval and its steps: the round after the
	// request's last one (1 for a fresh request), the first reached step
	// already pending.
	const openSQL = `WITH a AS (
		  INSERT INTO approvals (tenant_id, request_id, kind, requester, status, current_step, urgent, summary, rule_id)
		  VALUES ($1,$2,$3,$4,'pending',$8,$5,$6,$7)
		  ON CONFLICT (tenant_id, request_id) DO UPDATE SET status = 'pending', current_step = EXCLUDED.current_step, urgent = EXCLUDED.urgent,
		    summary = EXCLUDED.summary, rule_id = EXCLUDED.rule_id, updated_at = now()),
		r AS (SELECT coalesce(max(round), 0) + 1 AS round FROM approval_steps WHERE tenant_id = $1 AND request_id = $2),
		s AS (
		  INSERT INTO approval_steps (tenant_id, request_id, round, idx, label, mode, approvers, status, due_at)
		  SELECT $1, $2, r.round, x.idx, x.label, x.mode, x.approvers, x.status, x.due_at
		  FROM r, jsonb_to_recordset($9::jsonb) AS x(idx int, label text, mode text, approvers text[], status text, due_at timestamptz))
		SELECT round FROM r`
	args := []any{tx.tenant.ID, requestID, kind, requester.ID, facts.Urgent, summary, rule.ID, max(first, 0), jsonb(steps)}
	if fresh && tx.own && first >= 0 {
		if err := tx.scheduleDeadlines(ctx, requestID, 1, first, due, remind); err != nil {
			return err
		}
		pre.queue("open approval", openSQL, args...)
		pre.moveTo(&tx.tail)
		for _, a := range steps[first].Approvers {
			tx.notify(a, "approval.waiting", "待你審批 Waiting for your approval: "+summary, "", requestID)
		}
		return nil
	}
	pre.b.Queue(openSQL, args...) // after pre's statements, read for its round
	var round int
	br := tx.SendBatch(ctx, &pre.b)
	_, err = pre.read(br)
	if err == nil {
		if err = br.QueryRow().Scan(&round); err != nil {
			err = fmt.Errorf("open approval: %w", err)
		}
	}
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("open approval: %w", cerr)
	}
	pre.reset()
	if err != nil {
		return err
	}
	if first < 0 {
		if _, err := tx.Exec(ctx, `UPDATE approvals SET status = 'approved', updated_at = now() WHERE tenant_id = $1 AND request_id = $2`, tx.tenant.ID, requestID); err != nil {
			return fmt.Errorf("auto-approve: %w", err)
		}
		tx.audit("approval.auto_approve", kind+":"+requestID, nil, map[string]any{"rule": rule.ID, "reason": "no approver resolved"})
		return tx.applyOutcome(ctx, kind, requestID, domain.StatusApproved, "")
	}
	if err := tx.scheduleDeadlines(ctx, requestID, round, first, due, remind); err != nil {
		return err
	}
	for _, a := range steps[first].Approvers {
		tx.notify(a, "approval.waiting", "待你審批 Waiting for your approval: "+summary, "", requestID)
	}
	return nil
}

// newStep is one step of a new round as startApproval writes it.
type newStep struct {
	Idx       int        `json:"idx"`
	Label     string     `json:"label"`
	Mode      string     `json:"mode"`
	Approvers []string   `json:"approvers"`
	Status    string     `json:"status"`
	DueAt     *time.Time `json:"due_at"`
}

// stepDeadlines returns when a step opened now is due and when its approvers
// are reminded, in working hours. They are truncated to the microsecond, as
// PostgreSQL stores them.
func (tx *Tx) stepDeadlines(urgent bool) (due, remind time.Time) {
	hours := float64(tx.tenant.Settings.ApprovalHours)
	if urgent {
		hours = float64(tx.tenant.Settings.UrgentHours)
	}
	if hours <= 0 {
		hours = 16
	}
	return tx.cal.AddWorkingHours(tx.now, hours).Truncate(time.Microsecond), tx.cal.AddWorkingHours(tx.now, hours*0.75).Truncate(time.Microsecond)
}

// scheduleDeadlines enqueues a step's reminder and escalation jobs in this
// transaction, in one insert.
func (tx *Tx) scheduleDeadlines(ctx context.Context, requestID string, round, idx int, due, remind time.Time) error {
	jobs := make([]river.InsertManyParams, 0, 2)
	for _, stage := range []struct {
		name string
		at   time.Time
	}{{"remind", remind}, {"escalate", due}} {
		args := deadlineArgs{TenantID: tx.tenant.ID, RequestID: requestID, Round: round, Idx: idx, Stage: stage.name}
		jobs = append(jobs, river.InsertManyParams{Args: args, InsertOpts: &river.InsertOpts{ScheduledAt: stage.at}})
	}
	if _, err := tx.s.river.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
		return fmt.Errorf("schedule deadlines: %w", err)
	}
	return nil
}

// openStep makes a later step pending, sets its deadline in working hours and
// schedules the reminder and the escalation in this transaction.
func (tx *Tx) openStep(ctx context.Context, requestID string, round, idx int, urgent bool, summary string) error {
	due, remind := tx.stepDeadlines(urgent)
	var approvers []string
	err := tx.QueryRow(ctx, `UPDATE approval_steps SET status = 'pending', due_at = $5 WHERE tenant_id = $1 AND request_id = $2 AND round = $3 AND idx = $4 RETURNING approvers`,
		tx.tenant.ID, requestID, round, idx, due).Scan(&approvers)
	if err != nil {
		return fmt.Errorf("open step: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE approvals SET current_step = $3, updated_at = now() WHERE tenant_id = $1 AND request_id = $2`, tx.tenant.ID, requestID, idx); err != nil {
		return fmt.Errorf("open step: %w", err)
	}
	if err := tx.scheduleDeadlines(ctx, requestID, round, idx, due, remind); err != nil {
		return err
	}
	for _, a := range approvers {
		tx.notify(a, "approval.waiting", "待你審批 Waiting for your approval: "+summary, "", requestID)
	}
	return nil
}

// resolveApprovers turns a step spec into employee ids. Approvers who are on
// approved leave today are replaced by their delegate, or else their manager.
func (tx *Tx) resolveApprovers(ctx context.Context, spec string, requester domain.Employee) ([]string, error) {
	var ids []string
	switch {
	case spec == "manager":
		if requester.Manager != "" {
			ids = []string{requester.Manager}
		}
	case strings.HasPrefix(spec, "manager:"):
		n, _ := strconv.Atoi(strings.TrimPrefix(spec, "manager:"))
		if n >= 1 && n <= len(requester.ManagerPath) {
			ids = []string{requester.ManagerPath[n-1]}
		}
	case spec == "dept_head":
		var head *string
		err := tx.QueryRow(ctx, `SELECT head FROM departments WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, requester.Department).Scan(&head)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("department head: %w", err)
		}
		if head != nil && *head != "" {
			ids = []string{*head}
		}
	case strings.HasPrefix(spec, "role:"):
		rows, err := tx.Query(ctx, `SELECT id FROM employees WHERE tenant_id = $1 AND active AND $2 = ANY(roles) ORDER BY id`, tx.tenant.ID, strings.TrimPrefix(spec, "role:"))
		if err != nil {
			return nil, fmt.Errorf("role approvers: %w", err)
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, fmt.Errorf("role approvers: %w", err)
		}
	case strings.HasPrefix(spec, "employee:"):
		ids = []string{strings.TrimPrefix(spec, "employee:")}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	// Replace approvers away on leave today.
	away, err := tx.awayOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if sub, ok := away[id]; ok {
			if sub == "" || sub == requester.ID {
				out = append(out, id) // nobody to hand over to: keep the approver
				continue
			}
			id = sub
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, nil
}

// awaySQL finds which of a set of employees (%s, a text[] expression) are
// away today ($3): inactive or on approved leave, with who stands in for each
// (their delegate, else their manager, else empty). The leave lookup is a
// LATERAL ... LIMIT 1 rather than an EXISTS, which PostgreSQL may plan as a
// hash of every approved leave request of the tenant: this way it is one
// index probe per employee.
const awaySQL = `SELECT e.id, coalesce(d.delegate, e.manager, '')
	FROM employees e
	LEFT JOIN LATERAL (SELECT delegate FROM delegations WHERE tenant_id = e.tenant_id AND delegator = e.id AND $3::date BETWEEN start_date AND end_date ORDER BY created_at DESC LIMIT 1) d ON true
	LEFT JOIN LATERAL (SELECT true AS away FROM leave_requests l WHERE l.tenant_id = e.tenant_id AND l.employee = e.id AND l.status = 'approved' AND $3::date BETWEEN l.start_date AND l.end_date LIMIT 1) l ON true
	WHERE e.tenant_id = $1 AND e.id = ANY(%s) AND (NOT e.active OR l.away)`

var (
	awayOfIDs      = fmt.Sprintf(awaySQL, "$2::text[]")
	awayOfManagers = fmt.Sprintf(awaySQL, "(SELECT manager_path FROM employees WHERE tenant_id = $1 AND id = $2)::text[]")
)

// awaySet is who among some employees is away today, read ahead.
type awaySet struct {
	covered []string          // the employees looked at
	sub     map[string]string // the away ones, with who stands in
}

func scanAway(rows pgx.Rows) (map[string]string, error) {
	away := map[string]string{}
	for rows.Next() {
		var id, sub string
		if err := rows.Scan(&id, &sub); err != nil {
			return nil, fmt.Errorf("approvers away: %w", err)
		}
		away[id] = sub
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("approvers away: %w", err)
	}
	return away, nil
}

// today is the tenant's current date.
func (tx *Tx) today() string { return tx.now.In(tx.loc).Format(domain.DateLayout) }

// awayOf returns which of ids are away today and who stands in for them,
// from what queueManagersAway read ahead when it covers them.
func (tx *Tx) awayOf(ctx context.Context, ids []string) (map[string]string, error) {
	if tx.away != nil && !slices.ContainsFunc(ids, func(id string) bool { return !slices.Contains(tx.away.covered, id) }) {
		return tx.away.sub, nil
	}
	rows, err := tx.Query(ctx, awayOfIDs, tx.tenant.ID, ids, tx.today())
	if err != nil {
		return nil, fmt.Errorf("approvers away: %w", err)
	}
	return scanAway(rows)
}

// queueManagersAway queues into b the reading of who among employee's
// managers is away today, so routing to them saves a round trip. path must
// return the employee's manager chain as an earlier statement of b read it
// under a row lock (so it is the chain this statement sees).
func (tx *Tx) queueManagersAway(b *pgx.Batch, employee string, path func() []string) {
	b.Queue(awayOfManagers, tx.tenant.ID, employee, tx.today()).Query(func(rows pgx.Rows) error {
		sub, err := scanAway(rows)
		if err != nil {
			return err
		}
		tx.away = &awaySet{covered: path(), sub: sub}
		return nil
	})
}

// approvalState is the locked state of one approval and its current step.
type approvalState struct {
	kind, requester, status, summary string
	urgent                           bool
	round, idx                       int
	mode                             string
	approvers                        []string
	allApprovers                     []string
	stepStatus                       string
}

func (tx *Tx) lockApproval(ctx context.Context, requestID string) (approvalState, error) {
	var st approvalState
	err := tx.QueryRow(ctx, `SELECT a.kind, a.requester, a.status, a.summary, a.urgent, s.round, s.idx, s.mode, s.approvers, s.status,
		  (SELECT coalesce(array_agg(DISTINCT x), '{}') FROM approval_steps s2, unnest(s2.approvers) x WHERE s2.tenant_id = a.tenant_id AND s2.request_id = a.request_id)
		FROM approvals a
		JOIN approval_steps s ON s.tenant_id = a.tenant_id AND s.request_id = a.request_id AND s.idx = a.current_step
		  AND s.round = (SELECT max(round) FROM approval_steps WHERE tenant_id = a.tenant_id AND request_id = a.request_id)
		WHERE a.tenant_id = $1 AND a.request_id = $2 FOR UPDATE OF a`, tx.tenant.ID, requestID).
		Scan(&st.kind, &st.requester, &st.status, &st.summary, &st.urgent, &st.round, &st.idx, &st.mode, &st.approvers, &st.stepStatus, &st.allApprovers)
	if errors.Is(err, pgx.ErrNoRows) {
		return st, domain.Errorf(domain.ENotFound, "no approval request %q", requestID)
	}
	if err != nil {
		return st, fmt.Errorf("lock approval %s: %w", requestID, err)
	}
	return st, nil
}

// deciders returns who may decide the current step now: its approvers and
// the delegates of those approvers, with whom each delegate acts for.
func (tx *Tx) deciders(ctx context.Context, approvers []string) (map[string]string, error) {
	out := map[string]string{}
	for _, a := range approvers {
		out[a] = ""
	}
	rows, err := tx.Query(ctx, `SELECT delegator, delegate FROM delegations WHERE tenant_id = $1 AND delegator = ANY($2) AND $3::date BETWEEN start_date AND end_date`,
		tx.tenant.ID, approvers, tx.now.In(tx.loc).Format(domain.DateLayout))
	if err != nil {
		return nil, fmt.Errorf("delegations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		if _, direct := out[to]; !direct {
			out[to] = from
		}
	}
	return out, rows.Err()
}

// Decide records an approver's decision on the current step of a request.
// The approval row is locked, so two approvers deciding at once or a double
// click produce exactly one decision; a repeated identical decision by the
// same approver returns the current state without a second entry.
func (s *Store) Decide(ctx context.Context, actor domain.Actor, requestID, decision, comment string) (domain.Approval, error) {
	var out domain.Approval
	err := s.run(ctx, actor, func(tx *Tx) error {
		switch decision {
		case domain.DecisionApprove:
		case domain.DecisionReject, domain.DecisionReturn:
			if strings.TrimSpace(comment) == "" {
				return domain.Invalid("reason", "a reason is required to %s", decision)
			}
		default:
			return domain.Invalid("decision", "must be approve, reject or return")
		}
		if len(comment) > 2000 {
			return domain.Invalid("comment", "is longer than 2000 characters")
		}
		st, err := tx.lockApproval(ctx, requestID)
		if err != nil {
			return err
		}
		req, err := tx.employee(ctx, st.requester)
		if err != nil {
			return err
		}
		dec, err := tx.deciders(ctx, st.approvers)
		if err != nil {
			return err
		}
		keys := make([]string, 0, len(dec))
		for k := range dec {
			keys = append(keys, k)
		}
		res := authz.Resource{Type: approvalType(st.kind), ID: requestID, Owner: st.requester, OwnerPath: req.ManagerPath, Approvers: st.allApprovers, Deciders: keys}
		if err := tx.can(authz.Read, res); err != nil {
			return domain.Errorf(domain.ENotFound, "no approval request %q", requestID)
		}
		if st.status != domain.StatusPending {
			// Someone decided first (or this is a repeated click): report the state.
			var prior string
			_ = tx.QueryRow(ctx, `SELECT decision FROM approval_decisions WHERE tenant_id = $1 AND request_id = $2 AND approver = $3 ORDER BY decided_at DESC LIMIT 1`,
				tx.tenant.ID, requestID, tx.me.ID).Scan(&prior)
			if prior == decision {
				out, err = tx.approval(ctx, requestID)
				return err
			}
			return domain.Errorf(domain.EConflict, "this request is already %s", st.status)
		}
		if err := tx.can(authz.Decide, res); err != nil {
			if tx.me.ID == st.requester {
				return domain.Errorf(domain.EForbidden, "you cannot decide your own request")
			}
			return domain.Errorf(domain.EForbidden, "this request is not waiting for your decision")
		}
		onBehalf := dec[tx.me.ID]
		tag, err := tx.Exec(ctx, `INSERT INTO approval_decisions (tenant_id, request_id, round, idx, approver, on_behalf, decision, comment, decided_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING`,
			tx.tenant.ID, requestID, st.round, st.idx, tx.me.ID, onBehalf, decision, comment, tx.now)
		if err != nil {
			return fmt.Errorf("record decision: %w", err)
		}
		if tag.RowsAffected() == 0 {
			out, err = tx.approval(ctx, requestID)
			return err
		}
		tx.audit("approval."+decision, st.kind+":"+requestID, map[string]any{"status": st.status, "step": st.idx},
			map[string]any{"decision": decision, "comment": comment, "step": st.idx, "round": st.round, "on_behalf_of": onBehalf})
		if err := tx.advance(ctx, requestID, st, decision, comment); err != nil {
			return err
		}
		out, err = tx.approval(ctx, requestID)
		return err
	})
	return out, err
}

// advance moves the approval after a decision: closes the step, opens the
// next one, or finishes the request and applies its effects.
func (tx *Tx) advance(ctx context.Context, requestID string, st approvalState, decision, comment string) error {
	setStep := func(status string) error {
		_, err := tx.Exec(ctx, `UPDATE approval_steps SET status = $5 WHERE tenant_id = $1 AND request_id = $2 AND round = $3 AND idx = $4`, tx.tenant.ID, requestID, st.round, st.idx, status)
		return err
	}
	finish := func(status string) error {
		if _, err := tx.Exec(ctx, `UPDATE approvals SET status = $3, updated_at = now() WHERE tenant_id = $1 AND request_id = $2`, tx.tenant.ID, requestID, status); err != nil {
			return fmt.Errorf("finish approval: %w", err)
		}
		// Steps not reached are closed so they leave every queue.
		if _, err := tx.Exec(ctx, `UPDATE approval_steps SET status = 'skipped' WHERE tenant_id = $1 AND request_id = $2 AND round = $3 AND status IN ('waiting','pending')`, tx.tenant.ID, requestID, st.round); err != nil {
			return fmt.Errorf("finish approval: %w", err)
		}
		tx.emit("approval."+status, map[string]any{"request_id": requestID, "kind": st.kind, "requester": st.requester})
		return tx.applyOutcome(ctx, st.kind, requestID, status, comment)
	}
	switch decision {
	case domain.DecisionReject:
		if err := setStep(stepRejected); err != nil {
			return err
		}
		tx.notify(st.requester, "approval.rejected", "已被拒絕 Rejected: "+st.summary, comment, requestID)
		return finish(domain.StatusRejected)
	case domain.DecisionReturn:
		if err := setStep(stepReturned); err != nil {
			return err
		}
		tx.notify(st.requester, "approval.returned", "退回修改 Returned for changes: "+st.summary, comment, requestID)
		return finish(domain.StatusReturned)
	}
	if st.mode == domain.ModeAll {
		var approved int
		if err := tx.QueryRow(ctx, `SELECT count(DISTINCT coalesce(nullif(on_behalf,''), approver)) FROM approval_decisions WHERE tenant_id = $1 AND request_id = $2 AND round = $3 AND idx = $4 AND decision = 'approve'`,
			tx.tenant.ID, requestID, st.round, st.idx).Scan(&approved); err != nil {
			return fmt.Errorf("count approvals: %w", err)
		}
		if approved < len(st.approvers) {
			return nil // the step waits for the others
		}
	}
	if err := setStep(stepApproved); err != nil {
		return fmt.Errorf("close step: %w", err)
	}
	var next *int
	if err := tx.QueryRow(ctx, `SELECT min(idx) FROM approval_steps WHERE tenant_id = $1 AND request_id = $2 AND round = $3 AND idx > $4 AND status = 'waiting'`,
		tx.tenant.ID, requestID, st.round, st.idx).Scan(&next); err != nil {
		return fmt.Errorf("next step: %w", err)
	}
	if next != nil {
		return tx.openStep(ctx, requestID, st.round, *next, st.urgent, st.summary)
	}
	tx.notify(st.requester, "approval.approved", "已批准 Approved: "+st.summary, "", requestID)
	return finish(domain.StatusApproved)
}

// applyOutcome applies a finished approval's effects to its subject.
func (tx *Tx) applyOutcome(ctx context.Context, kind, id, status, reason string) error {
	switch kind {
	case domain.KindLeave:
		return tx.leaveOutcome(ctx, id, status)
	case domain.KindExpense:
		return tx.claimOutcome(ctx, id, status)
	}
	return fmt.Errorf("unknown approval kind %q", kind)
}

// cancelApproval withdraws a pending approval (the requester cancelled).
func (tx *Tx) cancelApproval(ctx context.Context, requestID string) error {
	if _, err := tx.Exec(ctx, `UPDATE approvals SET status = 'cancelled', updated_at = now() WHERE tenant_id = $1 AND request_id = $2 AND status = 'pending'`, tx.tenant.ID, requestID); err != nil {
		return fmt.Errorf("cancel approval: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE approval_steps SET status = 'skipped' WHERE tenant_id = $1 AND request_id = $2 AND status IN ('waiting','pending')`, tx.tenant.ID, requestID); err != nil {
		return fmt.Errorf("cancel approval: %w", err)
	}
	return nil
}

func approvalType(kind string) string {
	if kind == domain.KindExpense {
		return authz.TypeExpenseClaim
	}
	return authz.TypeLeaveRequest
}

// approval loads the full approval state with its steps and decisions.
func (tx *Tx) approval(ctx context.Context, requestID string) (domain.Approval, error) {
	var a domain.Approval
	err := tx.QueryRow(ctx, `SELECT request_id, kind, requester, status, current_step, urgent, summary, created_at FROM approvals WHERE tenant_id = $1 AND request_id = $2`,
		tx.tenant.ID, requestID).Scan(&a.RequestID, &a.Kind, &a.Requester, &a.Status, &a.CurrentStep, &a.Urgent, &a.Summary, &a.CreatedAt)
	if err := notFound(err, "approval request", requestID); err != nil {
		return a, err
	}
	rows, err := tx.Query(ctx, `SELECT idx, label, mode, approvers, status, due_at FROM approval_steps
		WHERE tenant_id = $1 AND request_id = $2 AND round = (SELECT max(round) FROM approval_steps WHERE tenant_id = $1 AND request_id = $2) ORDER BY idx`, tx.tenant.ID, requestID)
	if err != nil {
		return a, fmt.Errorf("load steps: %w", err)
	}
	a.Steps, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.ApprovalStep, error) {
		var s domain.ApprovalStep
		return s, r.Scan(&s.Index, &s.Label, &s.Mode, &s.Approvers, &s.Status, &s.DueAt)
	})
	if err != nil {
		return a, fmt.Errorf("load steps: %w", err)
	}
	rows, err = tx.Query(ctx, `SELECT idx, approver, on_behalf, decision, comment, decided_at FROM approval_decisions
		WHERE tenant_id = $1 AND request_id = $2 AND round = (SELECT max(round) FROM approval_steps WHERE tenant_id = $1 AND request_id = $2) ORDER BY decided_at`, tx.tenant.ID, requestID)
	if err != nil {
		return a, fmt.Errorf("load decisions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var idx int
		var d domain.Decision
		if err := rows.Scan(&idx, &d.Approver, &d.OnBehalf, &d.Decision, &d.Comment, &d.DecidedAt); err != nil {
			return a, err
		}
		if idx < len(a.Steps) {
			a.Steps[idx].Decisions = append(a.Steps[idx].Decisions, d)
		}
	}
	return a, rows.Err()
}

// GetApproval returns a request's approval chain, if the actor may read the request.
func (s *Store) GetApproval(ctx context.Context, actor domain.Actor, requestID string) (domain.Approval, error) {
	var out domain.Approval
	err := s.run(ctx, actor, func(tx *Tx) error {
		a, err := tx.approval(ctx, requestID)
		if err != nil {
			return err
		}
		req, err := tx.employee(ctx, a.Requester)
		if err != nil {
			return err
		}
		var all []string
		for _, st := range a.Steps {
			all = append(all, st.Approvers...)
		}
		if err := tx.can(authz.Read, authz.Resource{Type: approvalType(a.Kind), ID: requestID, Owner: a.Requester, OwnerPath: req.ManagerPath, Approvers: all}); err != nil {
			return domain.Errorf(domain.ENotFound, "no approval request %q", requestID)
		}
		out = a
		return nil
	})
	return out, err
}

// PendingApproval is an item in an approver's queue (moved to domain).
type PendingApproval = domain.PendingApproval

// PendingApprovals lists what waits for the actor's decision, including what
// they decide as someone's delegate, oldest deadline first.
func (s *Store) PendingApprovals(ctx context.Context, actor domain.Actor) ([]PendingApproval, error) {
	var out []PendingApproval
	err := s.run(ctx, actor, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `
			WITH me AS (
			  SELECT $2::text AS id, '' AS on_behalf
			  UNION ALL
			  SELECT delegate, delegator FROM delegations WHERE tenant_id = $1 AND delegate = $2 AND $3::date BETWEEN start_date AND end_date)
			SELECT DISTINCT ON (a.request_id) a.request_id, a.kind, a.requester, a.summary, s.label, s.due_at, me.on_behalf, a.urgent, a.created_at,
			  (SELECT max(i.anomaly_score) FROM expense_items i WHERE i.tenant_id = a.tenant_id AND i.claim_id = a.request_id AND a.kind = 'expense')
			FROM approval_steps s
			JOIN approvals a ON a.tenant_id = s.tenant_id AND a.request_id = s.request_id AND a.status = 'pending' AND a.current_step = s.idx
			JOIN me ON (CASE WHEN me.on_behalf = '' THEN me.id ELSE me.on_behalf END) = ANY(s.approvers)
			WHERE s.tenant_id = $1 AND s.status = 'pending' AND a.requester <> $2
			  AND NOT EXISTS (SELECT 1 FROM approval_decisions d WHERE d.tenant_id = s.tenant_id AND d.request_id = s.request_id AND d.round = s.round AND d.idx = s.idx AND d.approver = $2)
			ORDER BY a.request_id, me.on_behalf`, tx.tenant.ID, tx.me.ID, tx.now.In(tx.loc).Format(domain.DateLayout))
		if err != nil {
			return fmt.Errorf("pending approvals: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (PendingApproval, error) {
			var p PendingApproval
			return p, r.Scan(&p.RequestID, &p.Kind, &p.Requester, &p.Summary, &p.Step, &p.DueAt, &p.OnBehalf, &p.Urgent, &p.CreatedAt, &p.AnomalyScore)
		})
		if err != nil {
			return fmt.Errorf("pending approvals: %w", err)
		}
		slices.SortFunc(out, func(a, b PendingApproval) int {
			switch {
			case a.DueAt == nil || b.DueAt == nil:
				return strings.Compare(a.RequestID, b.RequestID)
			case a.DueAt.Before(*b.DueAt):
				return -1
			case b.DueAt.Before(*a.DueAt):
				return 1
			}
			return strings.Compare(a.RequestID, b.RequestID)
		})
		return nil
	})
	return out, err
}

// SetDelegate lets another employee decide the actor's approvals between two dates.
func (s *Store) SetDelegate(ctx context.Context, actor domain.Actor, delegate, start, end string) (domain.Delegation, error) {
	var d domain.Delegation
	err := s.run(ctx, actor, func(tx *Tx) error {
		var v domain.Validator
		sd, e1 := domain.ParseDate(start, tx.loc)
		ed, e2 := domain.ParseDate(end, tx.loc)
		v.Check(e1 == nil, "start", "must be a date (YYYY-MM-DD)")
		v.Check(e2 == nil, "end", "must be a date (YYYY-MM-DD)")
		v.Check(e1 != nil || e2 != nil || !ed.Before(sd), "end", "is before start")
		v.Check(delegate != tx.me.ID, "delegate", "you cannot delegate to yourself")
		if err := v.Err(); err != nil {
			return err
		}
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "delegation needs an employee")
		}
		if _, err := tx.employee(ctx, delegate); err != nil {
			return err
		}
		d = domain.Delegation{ID: newID("dl"), Delegator: tx.me.ID, Delegate: delegate, Start: start, End: end}
		if _, err := tx.Exec(ctx, `INSERT INTO delegations (tenant_id, id, delegator, delegate, start_date, end_date) VALUES ($1,$2,$3,$4,$5,$6)`,
			tx.tenant.ID, d.ID, d.Delegator, d.Delegate, start, end); err != nil {
			return fmt.Errorf("save delegation: %w", err)
		}
		tx.audit("delegation.create", "delegation:"+d.ID, nil, d)
		tx.notify(delegate, "delegation", "你已獲授權代為審批 You may now approve on behalf of "+tx.me.Name, start+" – "+end, d.ID)
		return nil
	})
	return d, err
}
