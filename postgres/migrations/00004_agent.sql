-- +goose Up
-- The agent: conversations (the planner's carry-over state), their messages,
-- and proposals. A proposal binds one mutating tool call to its actor, its
-- canonical arguments and their digest, and an expiry; it executes at most
-- once, after its actor confirms it (DESIGN invariant 2).
CREATE TABLE conversations (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  actor text NOT NULL,
  state jsonb NOT NULL DEFAULT '{}',
  lang text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, actor) REFERENCES employees(tenant_id, id)
);

CREATE TABLE messages (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id bigserial NOT NULL,
  conversation text NOT NULL,
  role text NOT NULL CHECK (role IN ('user', 'assistant')),
  content text NOT NULL,
  data jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, conversation) REFERENCES conversations(tenant_id, id)
);
CREATE INDEX messages_conversation ON messages (tenant_id, conversation, id);

CREATE TABLE proposals (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  actor text NOT NULL,
  conversation text NOT NULL,
  tool text NOT NULL,
  args jsonb NOT NULL,
  digest text NOT NULL,
  preview text NOT NULL DEFAULT '',
  risk text NOT NULL DEFAULT 'low' CHECK (risk IN ('low', 'high')),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'confirmed', 'executed', 'cancelled', 'expired', 'superseded', 'failed')),
  expires_at timestamptz NOT NULL DEFAULT now() + interval '10 minutes',
  result jsonb,
  error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  executed_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, actor) REFERENCES employees(tenant_id, id),
  FOREIGN KEY (tenant_id, conversation) REFERENCES conversations(tenant_id, id)
);
CREATE INDEX proposals_open ON proposals (tenant_id, conversation) WHERE status = 'pending';

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['conversations','messages','proposals']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO banli_app', t);
  END LOOP;
END
$$;
-- +goose StatementEnd
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO banli_app;

-- +goose Down
SELECT 'down migrations are not supported';
