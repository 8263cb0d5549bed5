-- +goose Up
-- Receipts. A file is stored once per tenant, keyed by its SHA-256
-- (receipt_files); each employee who uploads it gets their own receipt row
-- (receipts), so an employee's second upload of the same file returns their
-- first, and the same file uploaded by a colleague is a separate receipt with
-- the same digest, which the duplicate check on expense items sees.
CREATE TABLE receipt_files (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  mime text NOT NULL,
  size int NOT NULL CHECK (size > 0),
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, sha256)
);

CREATE TABLE receipts (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  uploaded_by text NOT NULL,
  sha256 text NOT NULL,
  filename text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', 'done', 'failed')),
  error text NOT NULL DEFAULT '',
  attempts int NOT NULL DEFAULT 0,
  ocr_text text NOT NULL DEFAULT '',
  extracted jsonb,
  corrections jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, uploaded_by, sha256),
  FOREIGN KEY (tenant_id, uploaded_by) REFERENCES employees(tenant_id, id),
  FOREIGN KEY (tenant_id, sha256) REFERENCES receipt_files(tenant_id, sha256)
);
CREATE INDEX receipts_sha256 ON receipts (tenant_id, sha256);
CREATE INDEX receipts_uploader ON receipts (tenant_id, uploaded_by, id);
CREATE INDEX expense_items_receipt ON expense_items (tenant_id, receipt_id) WHERE receipt_id <> '';

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['receipt_files','receipts']
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
