-- +goose Up
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- The application acts as banli_app inside tenant transactions, so row-level
-- security applies even when the connection's user owns the tables.
-- +goose StatementBegin
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'banli_app') THEN
    CREATE ROLE banli_app NOLOGIN;
  END IF;
  EXECUTE format('GRANT banli_app TO %I', current_user);
EXCEPTION WHEN duplicate_object THEN NULL;
END
$$;
-- +goose StatementEnd

CREATE TABLE tenants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  settings jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE departments (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  name text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  head text,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE employees (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  name text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  aliases text[] NOT NULL DEFAULT '{}',
  email text NOT NULL DEFAULT '',
  department text,
  manager text,
  roles text[] NOT NULL DEFAULT '{employee}',
  title text NOT NULL DEFAULT '',
  manager_path text[] NOT NULL DEFAULT '{}', -- ancestors, nearest first
  active boolean NOT NULL DEFAULT true,
  totp_secret text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, manager) REFERENCES employees(tenant_id, id) DEFERRABLE INITIALLY DEFERRED,
  FOREIGN KEY (tenant_id, department) REFERENCES departments(tenant_id, id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX employees_manager_path ON employees USING gin (manager_path);

CREATE TABLE resources (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  name text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  kind text NOT NULL CHECK (kind IN ('room', 'equipment')),
  capacity int NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE delegations (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  delegator text NOT NULL,
  delegate text NOT NULL,
  start_date date NOT NULL,
  end_date date NOT NULL CHECK (end_date >= start_date),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, delegator) REFERENCES employees(tenant_id, id),
  FOREIGN KEY (tenant_id, delegate) REFERENCES employees(tenant_id, id)
);

CREATE TABLE leave_balances (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  employee text NOT NULL,
  leave_type text NOT NULL,
  year int NOT NULL,
  entitled numeric(6,1) NOT NULL DEFAULT 0,
  used numeric(6,1) NOT NULL DEFAULT 0,
  pending numeric(6,1) NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, employee, leave_type, year),
  FOREIGN KEY (tenant_id, employee) REFERENCES employees(tenant_id, id)
);

CREATE TABLE leave_requests (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  employee text NOT NULL,
  leave_type text NOT NULL,
  start_date date NOT NULL,
  end_date date NOT NULL,
  start_half text NOT NULL DEFAULT 'am' CHECK (start_half IN ('am', 'pm')),
  end_half text NOT NULL DEFAULT 'pm' CHECK (end_half IN ('am', 'pm')),
  days numeric(6,1) NOT NULL,
  reason text NOT NULL DEFAULT '',
  certificate text NOT NULL DEFAULT '',
  urgent boolean NOT NULL DEFAULT false,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, employee) REFERENCES employees(tenant_id, id),
  CHECK (end_date >= start_date)
);
CREATE INDEX leave_requests_employee ON leave_requests (tenant_id, employee, start_date);

CREATE TABLE expense_claims (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  employee text NOT NULL,
  title text NOT NULL DEFAULT '',
  status text NOT NULL,
  total numeric(14,2) NOT NULL DEFAULT 0,
  currency text NOT NULL,
  urgent boolean NOT NULL DEFAULT false,
  submitted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, employee) REFERENCES employees(tenant_id, id)
);
CREATE INDEX expense_claims_employee ON expense_claims (tenant_id, employee);

CREATE TABLE expense_items (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  claim_id text NOT NULL,
  id text NOT NULL,
  position int NOT NULL,
  date date NOT NULL,
  category text NOT NULL,
  amount numeric(14,2) NOT NULL CHECK (amount > 0),
  currency text NOT NULL,
  base_amount numeric(14,2) NOT NULL,
  merchant text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  receipt_id text NOT NULL DEFAULT '',
  invoice_no text NOT NULL DEFAULT '',
  anomaly_score double precision,
  anomaly_reasons jsonb,
  PRIMARY KEY (tenant_id, claim_id, id),
  FOREIGN KEY (tenant_id, claim_id) REFERENCES expense_claims(tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE tasks (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  assignee text NOT NULL,
  creator text NOT NULL,
  due text NOT NULL DEFAULT '',
  due_at timestamptz, -- end of the due day, or the due instant, for sorting and overdue lists
  status text NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'blocked', 'done')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  parent text,
  meeting_id text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, assignee) REFERENCES employees(tenant_id, id),
  FOREIGN KEY (tenant_id, creator) REFERENCES employees(tenant_id, id),
  FOREIGN KEY (tenant_id, parent) REFERENCES tasks(tenant_id, id)
);
CREATE INDEX tasks_assignee ON tasks (tenant_id, assignee, status, due_at);

CREATE TABLE task_comments (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  task_id text NOT NULL,
  author text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, task_id) REFERENCES tasks(tenant_id, id)
);

CREATE TABLE events (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  title text NOT NULL,
  organizer text NOT NULL,
  start_at timestamptz NOT NULL,
  end_at timestamptz NOT NULL,
  resource text,
  location text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  recurrence text NOT NULL DEFAULT '',
  kind text NOT NULL DEFAULT 'meeting' CHECK (kind IN ('meeting', 'booking', 'out_of_office')),
  status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
  source_id text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, organizer) REFERENCES employees(tenant_id, id),
  FOREIGN KEY (tenant_id, resource) REFERENCES resources(tenant_id, id),
  CHECK (end_at > start_at),
  -- A resource is never double booked by one-off events; recurring bookings
  -- are checked occurrence by occurrence under the resource's row lock.
  EXCLUDE USING gist (tenant_id WITH =, resource WITH =, tstzrange(start_at, end_at) WITH &&)
    WHERE (resource IS NOT NULL AND status = 'confirmed' AND recurrence = '')
);
CREATE INDEX events_time ON events (tenant_id, start_at);

CREATE TABLE event_attendees (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id text NOT NULL,
  employee text NOT NULL,
  PRIMARY KEY (tenant_id, event_id, employee),
  FOREIGN KEY (tenant_id, event_id) REFERENCES events(tenant_id, id),
  FOREIGN KEY (tenant_id, employee) REFERENCES employees(tenant_id, id)
);
CREATE INDEX event_attendees_employee ON event_attendees (tenant_id, employee);

CREATE TABLE approval_rules (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  kind text NOT NULL,
  position int NOT NULL,
  condition text NOT NULL,
  steps jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE approvals (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  request_id text NOT NULL,
  kind text NOT NULL,
  requester text NOT NULL,
  status text NOT NULL,
  current_step int NOT NULL DEFAULT 0,
  urgent boolean NOT NULL DEFAULT false,
  summary text NOT NULL DEFAULT '',
  rule_id text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, request_id)
);

CREATE TABLE approval_steps (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  request_id text NOT NULL,
  round int NOT NULL DEFAULT 1, -- a resubmission starts a new round
  idx int NOT NULL,
  label text NOT NULL DEFAULT '',
  mode text NOT NULL,
  approvers text[] NOT NULL,
  status text NOT NULL,
  due_at timestamptz,
  reminded_at timestamptz,
  escalated_at timestamptz,
  PRIMARY KEY (tenant_id, request_id, round, idx),
  FOREIGN KEY (tenant_id, request_id) REFERENCES approvals(tenant_id, request_id)
);
CREATE INDEX approval_steps_pending ON approval_steps USING gin (approvers) WHERE status = 'pending';
CREATE INDEX approval_steps_due ON approval_steps (due_at) WHERE status = 'pending';

CREATE TABLE approval_decisions (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  request_id text NOT NULL,
  round int NOT NULL,
  idx int NOT NULL,
  approver text NOT NULL,
  on_behalf text NOT NULL DEFAULT '',
  decision text NOT NULL CHECK (decision IN ('approve', 'reject', 'return')),
  comment text NOT NULL DEFAULT '',
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, request_id, round, idx, approver)
);

-- Append-only audit log, hash-chained per tenant.
CREATE TABLE audit_log (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  via text NOT NULL,
  action text NOT NULL,
  subject text NOT NULL DEFAULT '',
  before jsonb,
  after jsonb,
  request_id text NOT NULL DEFAULT '',
  ip text NOT NULL DEFAULT '',
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_log_subject ON audit_log (tenant_id, subject);

CREATE TABLE audit_heads (
  tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
  seq bigint NOT NULL,
  hash bytea NOT NULL
);

-- +goose StatementBegin
CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW WHEN (current_setting('banli.audit_retention', true) IS DISTINCT FROM 'on')
  EXECUTE FUNCTION audit_log_immutable();

CREATE TABLE api_tokens (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  employee text NOT NULL,
  name text NOT NULL DEFAULT '',
  hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, employee) REFERENCES employees(tenant_id, id)
);

CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  employee text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  status int NOT NULL DEFAULT 0,
  response bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, employee, key)
);

CREATE TABLE notifications (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  employee text NOT NULL,
  kind text NOT NULL,
  title text NOT NULL,
  body text NOT NULL DEFAULT '',
  subject text NOT NULL DEFAULT '',
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX notifications_inbox ON notifications (tenant_id, employee, id DESC);

CREATE TABLE webhooks (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  url text NOT NULL,
  secret text NOT NULL,
  events text[] NOT NULL DEFAULT '{}',
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id bigint GENERATED ALWAYS AS IDENTITY,
  webhook_id text NOT NULL,
  event text NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks(tenant_id, id)
);

-- Row-level security: every tenant table is visible only under its tenant.
-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['departments','employees','resources','delegations','leave_balances',
    'leave_requests','expense_claims','expense_items','tasks','task_comments','events',
    'event_attendees','approval_rules','approvals','approval_steps','approval_decisions',
    'audit_log','audit_heads','api_tokens','idempotency_keys','notifications','webhooks',
    'webhook_deliveries']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO banli_app', t);
  END LOOP;
END
$$;
-- +goose StatementEnd
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants USING (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT ON tenants TO banli_app;
GRANT UPDATE (settings, name) ON tenants TO banli_app;
REVOKE UPDATE, DELETE ON audit_log FROM banli_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO banli_app;

-- +goose Down
SELECT 'down migrations are not supported';
