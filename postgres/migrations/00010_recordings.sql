-- +goose Up
-- Meeting recordings: an uploaded recording waits here while a job
-- transcribes it and records the meeting (with its summary); the row keeps
-- the job's status and, once done, the meeting it became.
CREATE TABLE meeting_recordings (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  uploaded_by text NOT NULL,
  title text NOT NULL,
  date date NOT NULL,
  participants text[] NOT NULL DEFAULT '{}',
  lang text NOT NULL DEFAULT '',
  audio bytea NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', 'done', 'failed')),
  error text NOT NULL DEFAULT '',
  meeting_id text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, uploaded_by) REFERENCES employees(tenant_id, id)
);
ALTER TABLE meeting_recordings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON meeting_recordings USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON meeting_recordings TO banli_app;

-- +goose Down
SELECT 'down migrations are not supported';
