package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

// CreateTenant creates a company with its settings and the default routing
// matrix, audited as the tenant's first entry. It returns the tenant id.
func (s *Store) CreateTenant(ctx context.Context, via domain.Via, slug, name string, settings domain.Settings) (string, error) {
	var v domain.Validator
	v.Check(strings.TrimSpace(name) != "", "name", "is required")
	v.Check(slug != "" && len(slug) <= 63, "slug", "must be 1 to 63 characters")
	if err := v.Err(); err != nil {
		return "", err
	}
	ptx, err := s.pool.Begin(ctx)
	if err != nil {
		return "", fmt.Errorf("begin: %w", err)
	}
	defer ptx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck
	var id string
	err = ptx.QueryRow(ctx, `INSERT INTO tenants (slug, name, settings) VALUES ($1, $2, $3) RETURNING id::text`, slug, name, jsonb(settings)).Scan(&id)
	if err != nil {
		if isUnique(err) {
			return "", domain.Errorf(domain.EConflict, "a company with slug %q exists", slug)
		}
		return "", fmt.Errorf("create tenant: %w", err)
	}
	if _, err := ptx.Exec(ctx, `SELECT set_config('role', 'banli_app', true), set_config('app.tenant_id', $1, true)`, id); err != nil {
		return "", fmt.Errorf("enter tenant: %w", err)
	}
	tx := &Tx{Tx: ptx, s: s, actor: domain.Actor{TenantID: id, System: true, Via: via}, now: s.Now(),
		tenant: domain.Tenant{ID: id, Name: name, Settings: settings}}
	tx.loc = settings.Location()
	tx.cal = settings.Calendar()
	for i, r := range domain.DefaultRules() {
		r.ID = fmt.Sprintf("default-%s-%d", r.Kind, i+1)
		if err := tx.insertRule(ctx, r); err != nil {
			return "", err
		}
	}
	tx.audit("tenant.create", "tenant:"+id, nil, map[string]any{"slug": slug, "name": name, "settings": settings})
	if err := tx.flush(ctx); err != nil {
		return "", err
	}
	if err := ptx.Commit(ctx); err != nil {
		return "", fmt.Errorf("commit: %w", err)
	}
	return id, nil
}

// TenantBySlug returns a tenant's id.
func (s *Store) TenantBySlug(ctx context.Context, slug string) (string, error) {
	var id string
	err := s.pool.QueryRow(ctx, `SELECT id::text FROM tenants WHERE slug = $1`, slug).Scan(&id)
	return id, notFound(err, "company", slug)
}

func (tx *Tx) insertRule(ctx context.Context, r domain.Rule) error {
	if err := domain.ValidateRule(r); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO approval_rules (tenant_id, id, kind, position, condition, steps) VALUES ($1,$2,$3,$4,$5,$6)
		ON CONFLICT (tenant_id, id) DO UPDATE SET kind = EXCLUDED.kind, position = EXCLUDED.position, condition = EXCLUDED.condition, steps = EXCLUDED.steps`,
		tx.tenant.ID, r.ID, r.Kind, r.Position, r.Condition, jsonb(r.Steps))
	if err != nil {
		return fmt.Errorf("save rule: %w", err)
	}
	return nil
}

func (tx *Tx) requireAdmin() error {
	return tx.can(authz.Configure, authz.Resource{Type: authz.TypeTenant, ID: tx.tenant.ID})
}

// Settings returns the tenant's settings.
func (s *Store) Settings(ctx context.Context, actor domain.Actor) (domain.Tenant, error) {
	var t domain.Tenant
	err := s.run(ctx, actor, func(tx *Tx) error { t = tx.tenant; return nil })
	return t, err
}

// UpdateSettings replaces the tenant's settings (administrators only).
func (s *Store) UpdateSettings(ctx context.Context, actor domain.Actor, settings domain.Settings) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		var v domain.Validator
		v.Check(settings.Location().String() == settings.Timezone, "timezone", "is not a known time zone")
		v.Check(len(settings.WorkDays) > 0, "work_days", "needs at least one working day")
		for _, h := range settings.Holidays {
			_, err := domain.ParseDate(h.Date, tx.loc)
			v.Check(err == nil, "holidays", "has a date that is not YYYY-MM-DD: "+h.Date)
		}
		validAnomalyChecks(&v, settings.Anomaly.DisabledChecks)
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE tenants SET settings = $2 WHERE id = $1`, tx.tenant.ID, jsonb(settings)); err != nil {
			return fmt.Errorf("update settings: %w", err)
		}
		tx.audit("tenant.settings", "tenant:"+tx.tenant.ID, tx.tenant.Settings, settings)
		return nil
	})
}

// Rules returns the routing matrix in order.
func (s *Store) Rules(ctx context.Context, actor domain.Actor) ([]domain.Rule, error) {
	var out []domain.Rule
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, err = tx.rules(ctx, "")
		return err
	})
	return out, err
}

// SaveRule creates or replaces a routing rule (administrators only).
func (s *Store) SaveRule(ctx context.Context, actor domain.Actor, r domain.Rule) (domain.Rule, error) {
	err := s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		if r.ID == "" {
			r.ID = newID("rule")
		}
		if err := tx.insertRule(ctx, r); err != nil {
			return err
		}
		tx.audit("approval_rule.save", "rule:"+r.ID, nil, r)
		return nil
	})
	return r, err
}

// DeleteRule removes a routing rule (administrators only).
func (s *Store) DeleteRule(ctx context.Context, actor domain.Actor, id string) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM approval_rules WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id)
		if err != nil {
			return fmt.Errorf("delete rule: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return domain.Errorf(domain.ENotFound, "no rule %q", id)
		}
		tx.audit("approval_rule.delete", "rule:"+id, nil, nil)
		return nil
	})
}

const rulesSQL = `SELECT id, kind, position, condition, steps FROM approval_rules WHERE tenant_id = $1 AND ($2 = '' OR kind = $2) ORDER BY kind, position, id`

// rules returns the routing rules of kind (all when empty), from a batch that
// queued them (queueRules) or else from a query.
func (tx *Tx) rules(ctx context.Context, kind string) ([]domain.Rule, error) {
	if r, ok := tx.rulesRead[kind]; ok {
		return r, nil
	}
	rows, err := tx.Query(ctx, rulesSQL, tx.tenant.ID, kind)
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	return collectRules(rows)
}

// queueRules queues the reading of the routing rules of kind into b, so a
// command that will route saves the round trip.
func (tx *Tx) queueRules(b *pgx.Batch, kind string) {
	b.Queue(rulesSQL, tx.tenant.ID, kind).Query(func(rows pgx.Rows) error {
		r, err := collectRules(rows)
		if err != nil {
			return fmt.Errorf("load rules: %w", err)
		}
		if tx.rulesRead == nil {
			tx.rulesRead = map[string][]domain.Rule{}
		}
		tx.rulesRead[kind] = r
		return nil
	})
}

func collectRules(rows pgx.Rows) ([]domain.Rule, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Rule, error) {
		var x domain.Rule
		var steps []byte
		if err := r.Scan(&x.ID, &x.Kind, &x.Position, &x.Condition, &steps); err != nil {
			return x, err
		}
		return x, json.Unmarshal(steps, &x.Steps)
	})
}

// SaveDepartment creates or updates a department (administrators only).
func (s *Store) SaveDepartment(ctx context.Context, actor domain.Actor, d domain.Department) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		var v domain.Validator
		v.Check(d.ID != "" && len(d.ID) <= 64, "id", "must be 1 to 64 characters")
		v.Check(strings.TrimSpace(d.Name) != "", "name", "is required")
		if err := v.Err(); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO departments (tenant_id, id, name, name_en, head) VALUES ($1,$2,$3,$4,NULLIF($5,''))
			ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, head = EXCLUDED.head`,
			tx.tenant.ID, d.ID, d.Name, d.NameEn, d.Head)
		if err != nil {
			return fmt.Errorf("save department: %w", err)
		}
		tx.audit("department.save", "department:"+d.ID, nil, d)
		return nil
	})
}

// SaveEmployees creates or updates directory entries in one transaction and
// recomputes everyone's manager chain (administrators only). Managers may be
// listed after their reports; a manager cycle is refused.
func (s *Store) SaveEmployees(ctx context.Context, actor domain.Actor, emps []domain.Employee) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		for i, e := range emps {
			var v domain.Validator
			f := fmt.Sprintf("employees[%d].", i)
			v.Check(e.ID != "" && len(e.ID) <= 64, f+"id", "must be 1 to 64 characters")
			v.Check(strings.TrimSpace(e.Name) != "", f+"name", "is required")
			v.Check(e.Manager != e.ID, f+"manager", "an employee cannot manage themself")
			for _, r := range e.Roles {
				v.Check(slices.Contains(domain.ValidRoles, r), f+"roles", "unknown role "+r)
			}
			if err := v.Err(); err != nil {
				return err
			}
			if len(e.Roles) == 0 {
				e.Roles = []string{domain.RoleEmployee}
			}
			_, err := tx.Exec(ctx, `INSERT INTO employees (tenant_id, id, name, name_en, aliases, email, department, manager, roles, title)
				VALUES ($1,$2,$3,$4,$5,$6,NULLIF($7,''),NULLIF($8,''),$9,$10)
				ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, aliases = EXCLUDED.aliases,
				email = EXCLUDED.email, department = EXCLUDED.department, manager = EXCLUDED.manager, roles = EXCLUDED.roles, title = EXCLUDED.title, active = true`,
				tx.tenant.ID, e.ID, e.Name, e.NameEn, nonNil(e.Aliases), e.Email, e.Department, e.Manager, e.Roles, e.Title)
			if err != nil {
				return fmt.Errorf("save employee %s: %w", e.ID, err)
			}
			tx.audit("employee.save", "employee:"+e.ID, nil, e)
		}
		return tx.recomputeManagerPaths(ctx)
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// recomputeManagerPaths rebuilds every employee's ancestor list, refusing cycles.
func (tx *Tx) recomputeManagerPaths(ctx context.Context) error {
	rows, err := tx.Query(ctx, `SELECT id, coalesce(manager, '') FROM employees WHERE tenant_id = $1`, tx.tenant.ID)
	if err != nil {
		return fmt.Errorf("load managers: %w", err)
	}
	mgr := map[string]string{}
	for rows.Next() {
		var id, m string
		if err := rows.Scan(&id, &m); err != nil {
			return err
		}
		mgr[id] = m
	}
	if err := rows.Err(); err != nil {
		return err
	}
	batch := &pgx.Batch{}
	for id := range mgr {
		path := []string{}
		for cur := mgr[id]; cur != ""; cur = mgr[cur] {
			if cur == id || slices.Contains(path, cur) {
				return domain.Invalid("manager", "manager chain of %s has a cycle", id)
			}
			if _, ok := mgr[cur]; !ok {
				return domain.Invalid("manager", "employee %s has unknown manager %s", id, cur)
			}
			path = append(path, cur)
		}
		batch.Queue(`UPDATE employees SET manager_path = $3 WHERE tenant_id = $1 AND id = $2 AND manager_path IS DISTINCT FROM $3`, tx.tenant.ID, id, path)
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("update manager chains: %w", err)
	}
	return nil
}

// SaveResource creates or updates a room or equipment (administrators only).
func (s *Store) SaveResource(ctx context.Context, actor domain.Actor, r domain.Resource) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.requireAdmin(); err != nil {
			return err
		}
		var v domain.Validator
		v.Check(r.ID != "", "id", "is required")
		v.Check(r.Kind == "room" || r.Kind == "equipment", "kind", "must be room or equipment")
		v.Check(r.Capacity >= 0 && r.Capacity < 10000, "capacity", "must be between 0 and 9999")
		if err := v.Err(); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO resources (tenant_id, id, name, name_en, kind, capacity) VALUES ($1,$2,$3,$4,$5,$6)
			ON CONFLICT (tenant_id, id) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind, capacity = EXCLUDED.capacity`,
			tx.tenant.ID, r.ID, r.Name, r.NameEn, r.Kind, r.Capacity)
		if err != nil {
			return fmt.Errorf("save resource: %w", err)
		}
		tx.audit("resource.save", "resource:"+r.ID, nil, r)
		return nil
	})
}

// Directory returns the tenant's employees, departments and resources. Every
// employee may read the directory.
func (s *Store) Directory(ctx context.Context, actor domain.Actor) (emps []domain.Employee, depts []domain.Department, res []domain.Resource, err error) {
	err = s.run(ctx, actor, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, name, name_en, aliases, email, coalesce(department,''), coalesce(manager,''), roles, title, manager_path, active
			FROM employees WHERE tenant_id = $1 ORDER BY id`, tx.tenant.ID)
		if err != nil {
			return fmt.Errorf("directory: %w", err)
		}
		emps, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Employee, error) {
			var e domain.Employee
			return e, r.Scan(&e.ID, &e.Name, &e.NameEn, &e.Aliases, &e.Email, &e.Department, &e.Manager, &e.Roles, &e.Title, &e.ManagerPath, &e.Active)
		})
		if err != nil {
			return fmt.Errorf("directory: %w", err)
		}
		rows, err = tx.Query(ctx, `SELECT id, name, name_en, coalesce(head,'') FROM departments WHERE tenant_id = $1 ORDER BY id`, tx.tenant.ID)
		if err != nil {
			return fmt.Errorf("departments: %w", err)
		}
		depts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Department, error) {
			var d domain.Department
			return d, r.Scan(&d.ID, &d.Name, &d.NameEn, &d.Head)
		})
		if err != nil {
			return fmt.Errorf("departments: %w", err)
		}
		rows, err = tx.Query(ctx, `SELECT id, name, name_en, kind, capacity FROM resources WHERE tenant_id = $1 ORDER BY id`, tx.tenant.ID)
		if err != nil {
			return fmt.Errorf("resources: %w", err)
		}
		res, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Resource, error) {
			var x domain.Resource
			return x, r.Scan(&x.ID, &x.Name, &x.NameEn, &x.Kind, &x.Capacity)
		})
		return err
	})
	return emps, depts, res, err
}

// employee loads one employee of the tenant.
func (tx *Tx) employee(ctx context.Context, id string) (domain.Employee, error) {
	var e domain.Employee
	err := tx.QueryRow(ctx, `SELECT id, name, name_en, coalesce(department,''), coalesce(manager,''), roles, manager_path, active
		FROM employees WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id).
		Scan(&e.ID, &e.Name, &e.NameEn, &e.Department, &e.Manager, &e.Roles, &e.ManagerPath, &e.Active)
	if errors.Is(err, pgx.ErrNoRows) {
		return e, domain.Errorf(domain.ENotFound, "no employee %q", id)
	}
	if err != nil {
		return e, fmt.Errorf("load employee %s: %w", id, err)
	}
	return e, nil
}
