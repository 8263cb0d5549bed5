package postgres

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

const taskCols = `t.id, t.title, t.description, t.assignee, t.creator, t.due, t.status, t.priority, coalesce(t.parent,''), t.meeting_id, t.created_at, t.updated_at`

func scanTask(r pgx.Row) (domain.Task, error) {
	var t domain.Task
	err := r.Scan(&t.ID, &t.Title, &t.Description, &t.Assignee, &t.Creator, &t.Due, &t.Status, &t.Priority, &t.Parent, &t.MeetingID, &t.CreatedAt, &t.UpdatedAt)
	return t, err
}

// dueAt is the instant a due value sorts and goes overdue by: the last
// microsecond of a due date in the tenant's zone, or the due date-time itself.
func dueAt(due string, loc *time.Location) *time.Time {
	if due == "" {
		return nil
	}
	if d, err := domain.ParseDate(due, loc); err == nil {
		t := d.AddDate(0, 0, 1).Add(-time.Microsecond)
		return &t
	}
	if t, err := time.Parse(time.RFC3339, due); err == nil {
		return &t
	}
	return nil
}

// dueBound turns a due_before filter into an exclusive instant: a date means
// "before that day starts", a date-time is taken as is.
func dueBound(s string, loc *time.Location) (time.Time, error) {
	if d, err := domain.ParseDate(s, loc); err == nil {
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, domain.Invalid("due_before", "must be a date (YYYY-MM-DD) or an RFC 3339 date-time")
	}
	return t, nil
}

// taskResource describes a task for the policies: the assignee owns it, so
// the assignee's managers read and update it through the manager chain.
func (tx *Tx) taskResource(ctx context.Context, t domain.Task) (authz.Resource, error) {
	emp, err := tx.employee(ctx, t.Assignee)
	if err != nil {
		return authz.Resource{}, err
	}
	return authz.Resource{Type: authz.TypeTask, ID: t.ID, Owner: t.Assignee, OwnerPath: emp.ManagerPath, Creator: t.Creator}, nil
}

// task loads a task the actor may read; others get not found so that the
// existence of someone else's task does not leak.
func (tx *Tx) task(ctx context.Context, id string, lock bool) (domain.Task, authz.Resource, error) {
	q := `SELECT ` + taskCols + ` FROM tasks t WHERE t.tenant_id = $1 AND t.id = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	t, err := scanTask(tx.QueryRow(ctx, q, tx.tenant.ID, id))
	if err := notFound(err, "task", id); err != nil {
		return t, authz.Resource{}, err
	}
	res, err := tx.taskResource(ctx, t)
	if err != nil {
		return t, res, err
	}
	if err := tx.can(authz.Read, res); err != nil {
		return t, res, domain.Errorf(domain.ENotFound, "no task %q", id)
	}
	return t, res, nil
}

// activeEmployee loads an employee named in input; an unknown or inactive id
// is a field error rather than not found, because the input is what is wrong.
func (tx *Tx) activeEmployee(ctx context.Context, field, id string) (domain.Employee, error) {
	emp, err := tx.employee(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && !emp.Active) {
		return emp, domain.Invalid(field, "no active employee %q", id)
	}
	return emp, err
}

// CreateTask creates a task. Anyone may assign a task to anyone in the
// tenant; the assignee defaults to the actor. A parent makes it a subtask of
// a task the actor can read.
func (s *Store) CreateTask(ctx context.Context, actor domain.Actor, in domain.TaskInput) (domain.Task, error) {
	var out domain.Task
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "a task needs an employee as creator")
		}
		if err := domain.NormalizeTask(&in, tx.loc); err != nil {
			return err
		}
		if in.Assignee == "" {
			in.Assignee = tx.me.ID
		}
		t := domain.Task{ID: newID("t"), Title: in.Title, Description: in.Description, Assignee: in.Assignee, Creator: tx.me.ID,
			Due: in.Due, Status: "todo", Priority: in.Priority, Parent: in.Parent, MeetingID: in.MeetingID, CreatedAt: tx.now, UpdatedAt: tx.now}
		var err error
		out, err = tx.insertTask(ctx, t)
		return err
	})
	return out, err
}

func (tx *Tx) insertTask(ctx context.Context, t domain.Task) (domain.Task, error) {
	if _, err := tx.activeEmployee(ctx, "assignee", t.Assignee); err != nil {
		return t, err
	}
	res, err := tx.taskResource(ctx, t)
	if err != nil {
		return t, err
	}
	if err := tx.can(authz.Create, res); err != nil {
		return t, err
	}
	// A task links only to a meeting its creator may read.
	if err := tx.checkMeetingLink(ctx, t.MeetingID); err != nil {
		return t, err
	}
	if t.Parent != "" {
		if _, _, err := tx.task(ctx, t.Parent, false); err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return t, domain.Invalid("parent", "no task %q", t.Parent)
			}
			return t, err
		}
	}
	var parent *string
	if t.Parent != "" {
		parent = &t.Parent
	}
	_, err = tx.Exec(ctx, `INSERT INTO tasks (tenant_id, id, title, description, assignee, creator, due, due_at, status, priority, parent, meeting_id, created_at, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$13)`,
		tx.tenant.ID, t.ID, t.Title, t.Description, t.Assignee, t.Creator, t.Due, dueAt(t.Due, tx.loc), t.Status, t.Priority, parent, t.MeetingID, tx.now)
	if err != nil {
		if isUnique(err) {
			return t, domain.Errorf(domain.EConflict, "task %s exists", t.ID)
		}
		return t, fmt.Errorf("save task: %w", err)
	}
	tx.audit("task.create", "task:"+t.ID, nil, t)
	tx.emit("task.created", t)
	// Imported history is not news to anyone.
	if t.Assignee != t.Creator && t.Assignee != tx.me.ID && tx.actor.Via != domain.ViaSeed {
		tx.notify(t.Assignee, "task.assigned", "新任務 New task: "+t.Title, taskSummary(t), t.ID)
	}
	return t, nil
}

func taskSummary(t domain.Task) string {
	s := fmt.Sprintf("%s · %s · %s", t.ID, t.Status, t.Priority)
	if t.Due != "" {
		s += " · due " + t.Due
	}
	return s
}

// UpdateTask changes a task's title, status, priority, due or assignee. The
// assignee, the creator and the assignee's managers may update it.
func (s *Store) UpdateTask(ctx context.Context, actor domain.Actor, id string, p domain.TaskPatch) (domain.Task, error) {
	var out domain.Task
	err := s.run(ctx, actor, func(tx *Tx) error {
		if err := domain.ValidatePatch(p, tx.loc); err != nil {
			return err
		}
		t, res, err := tx.task(ctx, id, true)
		if err != nil {
			return err
		}
		if err := tx.can(authz.Update, res); err != nil {
			return err
		}
		before := t
		if p.Title != nil {
			t.Title = strings.TrimSpace(*p.Title)
		}
		if p.Status != nil {
			t.Status = *p.Status
		}
		if p.Priority != nil {
			t.Priority = *p.Priority
		}
		if p.Due != nil {
			t.Due = *p.Due
		}
		if p.Assignee != nil && *p.Assignee != t.Assignee {
			if _, err := tx.activeEmployee(ctx, "assignee", *p.Assignee); err != nil {
				return err
			}
			t.Assignee = *p.Assignee
		}
		if t == before {
			out = t
			return nil // nothing changed: no audit entry, no notifications
		}
		t.UpdatedAt = tx.now
		if _, err := tx.Exec(ctx, `UPDATE tasks SET title=$3, status=$4, priority=$5, due=$6, due_at=$7, assignee=$8, updated_at=$9 WHERE tenant_id = $1 AND id = $2`,
			tx.tenant.ID, id, t.Title, t.Status, t.Priority, t.Due, dueAt(t.Due, tx.loc), t.Assignee, tx.now); err != nil {
			return fmt.Errorf("update task: %w", err)
		}
		tx.audit("task.update", "task:"+id, before, t)
		tx.emit("task.updated", t)
		if t.Assignee != before.Assignee {
			if t.Assignee != tx.me.ID {
				tx.notify(t.Assignee, "task.assigned", "新任務 New task: "+t.Title, taskSummary(t), t.ID)
			}
			if before.Assignee != tx.me.ID {
				tx.notify(before.Assignee, "task.reassigned", "任務已轉交 Task reassigned: "+t.Title, "now assigned to "+t.Assignee, t.ID)
			}
		} else if t.Assignee != tx.me.ID {
			tx.notify(t.Assignee, "task.updated", "任務已更新 Task updated: "+t.Title, taskChanges(before, t), t.ID)
		}
		out = t
		return nil
	})
	return out, err
}

// taskChanges describes what changed, for the assignee's inbox.
func taskChanges(a, b domain.Task) string {
	var parts []string
	for _, c := range []struct{ name, from, to string }{
		{"title", a.Title, b.Title}, {"status", a.Status, b.Status}, {"priority", a.Priority, b.Priority}, {"due", a.Due, b.Due},
	} {
		if c.from != c.to {
			parts = append(parts, fmt.Sprintf("%s: %s → %s", c.name, c.from, c.to))
		}
	}
	return strings.Join(parts, "; ")
}

// GetTask returns a task the actor may read: the assignee, the creator and
// the assignee's managers.
func (s *Store) GetTask(ctx context.Context, actor domain.Actor, id string) (domain.Task, error) {
	var out domain.Task
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, _, err = tx.task(ctx, id, false)
		return err
	})
	return out, err
}

// TaskFilter narrows a task list (moved to domain).
type TaskFilter = domain.TaskFilter

// visibleTasks is the SQL mirror of the task read policies: the actor is
// the assignee, the creator, or on the assignee's manager chain. $1 is the
// tenant, $2 whether everything is visible (system), $3 the actor.
const visibleTasks = `FROM tasks t JOIN employees a ON a.tenant_id = t.tenant_id AND a.id = t.assignee
	WHERE t.tenant_id = $1 AND ($2 OR t.assignee = $3 OR t.creator = $3 OR $3 = ANY(a.manager_path))`

// ListTasks lists the tasks the actor may read, filtered in SQL so that
// pages are complete; pages are ordered by id.
func (s *Store) ListTasks(ctx context.Context, actor domain.Actor, f TaskFilter) ([]domain.Task, error) {
	var out []domain.Task
	err := s.run(ctx, actor, func(tx *Tx) error {
		if f.Limit <= 0 || f.Limit > 500 {
			f.Limit = 100
		}
		if f.Status != "" && !slices.Contains(domain.TaskStatuses, f.Status) {
			return domain.Invalid("status", "must be one of %s", strings.Join(domain.TaskStatuses, ", "))
		}
		var before *time.Time
		if f.DueBefore != "" {
			b, err := dueBound(f.DueBefore, tx.loc)
			if err != nil {
				return err
			}
			before = &b
		}
		rows, err := tx.Query(ctx, `SELECT `+taskCols+` `+visibleTasks+`
			  AND ($4 = '' OR t.assignee = $4) AND ($5 = '' OR t.status = $5)
			  AND ($6::timestamptz IS NULL OR t.due_at < $6)
			  AND ($7 = '' OR t.parent = $7)
			  AND (NOT $8 OR (t.status <> 'done' AND t.due_at < $9))
			  AND ($10 = '' OR t.id > $10)
			ORDER BY t.id LIMIT $11`,
			tx.tenant.ID, tx.actor.System, tx.me.ID, f.Assignee, f.Status, before, f.Parent, f.Overdue, tx.now, f.After, f.Limit)
		if err != nil {
			return fmt.Errorf("list tasks: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Task, error) { return scanTask(r) })
		if err != nil {
			return fmt.Errorf("list tasks: %w", err)
		}
		return tx.refuseHidden(ctx, f.Assignee, len(out), "tasks", domain.RoleAdmin)
	})
	return out, err
}

// OverdueTasks lists the visible tasks that are not done and were due
// before now, optionally for one assignee.
func (s *Store) OverdueTasks(ctx context.Context, actor domain.Actor, assignee string) ([]domain.Task, error) {
	return s.ListTasks(ctx, actor, TaskFilter{Assignee: assignee, Overdue: true, Limit: 500})
}

// BoardColumn is one status column of a task board (moved to domain).
type BoardColumn = domain.BoardColumn

// TaskBoard groups tasks by status (moved to domain).
type TaskBoard = domain.TaskBoard

// TaskBoard returns the actor's visible tasks grouped by status, or only
// those assigned to members of department when it is set. Counts are exact;
// each column holds at most perColumn items (default 50), soonest due first.
func (s *Store) TaskBoard(ctx context.Context, actor domain.Actor, department string, perColumn int) (TaskBoard, error) {
	var out TaskBoard
	err := s.run(ctx, actor, func(tx *Tx) error {
		if perColumn <= 0 || perColumn > 200 {
			perColumn = 50
		}
		if err := tx.refuseDepartment(ctx, department, "task board", domain.RoleHR, domain.RoleAdmin); err != nil {
			return err
		}
		// The window functions count every visible task but only the first
		// perColumn of each status leave the database.
		rows, err := tx.Query(ctx, `SELECT id, title, description, assignee, creator, due, status, priority, parent, meeting_id, created_at, updated_at, n FROM (
			  SELECT t.id, t.title, t.description, t.assignee, t.creator, t.due, t.status, t.priority, coalesce(t.parent,'') AS parent, t.meeting_id, t.created_at, t.updated_at,
			    count(*) OVER w0 AS n,
			    row_number() OVER (PARTITION BY t.status ORDER BY t.due_at NULLS LAST, array_position(ARRAY['urgent','high','normal','low'], t.priority), t.id) AS pos
			  `+visibleTasks+` AND ($4 = '' OR a.department = $4)
			  WINDOW w0 AS (PARTITION BY t.status)) b
			WHERE pos <= $5 ORDER BY status, pos`,
			tx.tenant.ID, tx.actor.System, tx.me.ID, department, perColumn)
		if err != nil {
			return fmt.Errorf("task board: %w", err)
		}
		cols := map[string]*BoardColumn{}
		out.Columns = nil // run may retry fn
		for _, st := range domain.TaskStatuses {
			out.Columns = append(out.Columns, BoardColumn{Status: st, Items: []domain.Task{}})
		}
		for i := range out.Columns {
			cols[out.Columns[i].Status] = &out.Columns[i]
		}
		defer rows.Close()
		for rows.Next() {
			var t domain.Task
			var n int
			if err := rows.Scan(&t.ID, &t.Title, &t.Description, &t.Assignee, &t.Creator, &t.Due, &t.Status, &t.Priority, &t.Parent, &t.MeetingID, &t.CreatedAt, &t.UpdatedAt, &n); err != nil {
				return fmt.Errorf("task board: %w", err)
			}
			c := cols[t.Status]
			c.Count = n
			if len(c.Items) < perColumn {
				c.Items = append(c.Items, t)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("task board: %w", err)
		}
		return nil
	})
	return out, err
}

// mentionRe finds @employee-id mentions in comments.
var mentionRe = regexp.MustCompile(`@([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9])`)

// AddTaskComment comments on a task; whoever may read a task may comment.
// The assignee (when someone else comments) and every @mentioned employee
// are notified.
func (s *Store) AddTaskComment(ctx context.Context, actor domain.Actor, taskID, body string) (domain.TaskComment, error) {
	var out domain.TaskComment
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "a comment needs an employee as author")
		}
		body = strings.TrimSpace(body)
		if body == "" || len(body) > 5000 {
			return domain.Invalid("body", "must be 1 to 5000 characters")
		}
		t, _, err := tx.task(ctx, taskID, false)
		if err != nil {
			return err
		}
		c := domain.TaskComment{ID: newID("tc"), TaskID: t.ID, Author: tx.me.ID, Body: body, CreatedAt: tx.now}
		if _, err := tx.Exec(ctx, `INSERT INTO task_comments (tenant_id, id, task_id, author, body, created_at) VALUES ($1,$2,$3,$4,$5,$6)`,
			tx.tenant.ID, c.ID, c.TaskID, c.Author, c.Body, tx.now); err != nil {
			return fmt.Errorf("save comment: %w", err)
		}
		tx.audit("task.comment", "task:"+t.ID, nil, c)
		notified := map[string]bool{tx.me.ID: true}
		if !notified[t.Assignee] {
			notified[t.Assignee] = true
			tx.notify(t.Assignee, "task.comment", "任務留言 Comment on: "+t.Title, body, t.ID)
		}
		var mentioned []string
		for _, m := range mentionRe.FindAllStringSubmatch(body, -1) {
			if !notified[m[1]] && !slices.Contains(mentioned, m[1]) {
				mentioned = append(mentioned, m[1])
			}
		}
		if len(mentioned) > 0 {
			// Only real, active colleagues of this tenant are notified;
			// anything else after an @ is just text.
			rows, err := tx.Query(ctx, `SELECT id FROM employees WHERE tenant_id = $1 AND id = ANY($2) AND active ORDER BY id`, tx.tenant.ID, mentioned)
			if err != nil {
				return fmt.Errorf("mentions: %w", err)
			}
			ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("mentions: %w", err)
			}
			for _, id := range ids {
				tx.notify(id, "task.mention", "有人提及你 You were mentioned: "+t.Title, body, t.ID)
			}
		}
		out = c
		return nil
	})
	return out, err
}

// ListTaskComments returns a readable task's comments, oldest first.
func (s *Store) ListTaskComments(ctx context.Context, actor domain.Actor, taskID string) ([]domain.TaskComment, error) {
	var out []domain.TaskComment
	err := s.run(ctx, actor, func(tx *Tx) error {
		if _, _, err := tx.task(ctx, taskID, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, task_id, author, body, created_at FROM task_comments WHERE tenant_id = $1 AND task_id = $2 ORDER BY created_at, id`,
			tx.tenant.ID, taskID)
		if err != nil {
			return fmt.Errorf("list comments: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.TaskComment, error) {
			var c domain.TaskComment
			return c, r.Scan(&c.ID, &c.TaskID, &c.Author, &c.Body, &c.CreatedAt)
		})
		if err != nil {
			return fmt.Errorf("list comments: %w", err)
		}
		return nil
	})
	return out, err
}

// ImportTask loads a task as it stands (seeding): it keeps its id, creator,
// status and priority. Only the system imports.
func (s *Store) ImportTask(ctx context.Context, actor domain.Actor, t domain.Task) (domain.Task, error) {
	var out domain.Task
	err := s.run(ctx, actor, func(tx *Tx) error {
		if !tx.actor.System {
			return domain.Errorf(domain.EForbidden, "only the system imports tasks")
		}
		in := domain.TaskInput{Title: t.Title, Description: t.Description, Assignee: t.Assignee, Due: t.Due, Priority: t.Priority, Parent: t.Parent, MeetingID: t.MeetingID}
		if err := domain.NormalizeTask(&in, tx.loc); err != nil {
			return err
		}
		var v domain.Validator
		v.Check(t.ID != "", "id", "is required")
		v.Check(in.Assignee != "", "assignee", "is required")
		if t.Status == "" {
			t.Status = "todo"
		}
		v.Check(slices.Contains(domain.TaskStatuses, t.Status), "status", "must be one of "+strings.Join(domain.TaskStatuses, ", "))
		if t.Creator == "" {
			t.Creator = in.Assignee
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.activeEmployee(ctx, "creator", t.Creator); err != nil {
			return err
		}
		task := domain.Task{ID: t.ID, Title: in.Title, Description: in.Description, Assignee: in.Assignee, Creator: t.Creator, Due: in.Due,
			Status: t.Status, Priority: in.Priority, Parent: in.Parent, MeetingID: in.MeetingID, CreatedAt: tx.now, UpdatedAt: tx.now}
		var err error
		out, err = tx.insertTask(ctx, task)
		return err
	})
	return out, err
}
