-- +goose Up
-- Audit retention: entries older than the tenant's retention are purged by
-- a daily job. The purge leaves an anchor, the sequence number and hash of
-- the last entry it removed, so `banli audit verify` still proves that the
-- chain starts where the purge ended: a removal at the start of the log is
-- as detectable as one in the middle. Only the job (the owner role) writes
-- anchors; the application role reads them.
CREATE TABLE audit_anchors (
  tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
  through_seq bigint NOT NULL,
  hash bytea NOT NULL,
  purged bigint NOT NULL DEFAULT 0,
  purged_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE audit_anchors ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_anchors USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT ON audit_anchors TO banli_app;

-- Calendar feeds: calendar apps cannot send a bearer token, so each
-- employee may create a secret feed URL. Only its hash is stored.
CREATE TABLE calendar_feeds (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  employee text NOT NULL,
  hash bytea NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, employee),
  FOREIGN KEY (tenant_id, employee) REFERENCES employees(tenant_id, id)
);
ALTER TABLE calendar_feeds ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON calendar_feeds USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_feeds TO banli_app;

-- +goose Down
SELECT 'down migrations are not supported';
