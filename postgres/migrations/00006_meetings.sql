-- +goose Up
-- Meetings: a record of who met, the transcript ("speaker: text" lines,
-- normalised from plain text, WebVTT or SubRip; format names the source)
-- and its summary (key points, decisions, action items). Participants, the
-- organizer, administrators and auditors read a meeting (authz policies,
-- mirrored in the store's list query). Tasks link back through
-- tasks.meeting_id.
CREATE TABLE meetings (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  title text NOT NULL,
  date date NOT NULL,
  organizer text NOT NULL,
  transcript text NOT NULL,
  format text NOT NULL DEFAULT 'text' CHECK (format IN ('text', 'vtt', 'srt')),
  summary jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, organizer) REFERENCES employees(tenant_id, id)
);
CREATE INDEX meetings_date ON meetings (tenant_id, date DESC, id);
CREATE INDEX meetings_organizer ON meetings (tenant_id, organizer);

CREATE TABLE meeting_participants (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  meeting_id text NOT NULL,
  employee_id text NOT NULL,
  PRIMARY KEY (tenant_id, meeting_id, employee_id),
  FOREIGN KEY (tenant_id, meeting_id) REFERENCES meetings(tenant_id, id),
  FOREIGN KEY (tenant_id, employee_id) REFERENCES employees(tenant_id, id)
);
CREATE INDEX meeting_participants_employee ON meeting_participants (tenant_id, employee_id);
CREATE INDEX tasks_meeting ON tasks (tenant_id, meeting_id) WHERE meeting_id <> '';

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['meetings','meeting_participants']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO banli_app', t);
  END LOOP;
END
$$;
-- +goose StatementEnd

-- +goose Down
SELECT 'down migrations are not supported';
