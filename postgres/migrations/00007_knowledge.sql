-- +goose Up
-- Knowledge search. Documents hold their extracted text; knowledge_chunks
-- holds the passages of documents, meeting transcripts and meeting
-- summaries with what a search needs: who may read them (readers:
-- '*' for everyone in the tenant, 'emp:<id>', 'role:<name>'), keyword terms
-- (a tsvector of terms cut in Go: words and Han character pairs, the same
-- on every server and locale), and the embedding as little-endian float32s
-- in a bytea, readable by any PostgreSQL (the exact-scan backend).
--
-- The pgvector backend's column (embedding_v vector) and its HNSW index are
-- not created here: the vector extension is not installed everywhere, so
-- knowledge.Open adds them at start-up when CREATE EXTENSION vector works.
CREATE TABLE documents (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id text NOT NULL,
  title text NOT NULL CHECK (title <> ''),
  mime text NOT NULL CHECK (mime IN ('text/plain', 'text/markdown', 'application/pdf')),
  filename text NOT NULL DEFAULT '',
  text text NOT NULL,
  -- Roles that may read the document; empty: everyone in the tenant.
  roles text[] NOT NULL DEFAULT '{}',
  -- indexing: chunks stored, embeddings pending (a job); ready; failed.
  status text NOT NULL DEFAULT 'ready' CHECK (status IN ('indexing', 'ready', 'failed')),
  error text NOT NULL DEFAULT '',
  chunks int NOT NULL DEFAULT 0,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, created_by) REFERENCES employees(tenant_id, id)
);

CREATE TABLE knowledge_chunks (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  id bigserial NOT NULL,
  source_kind text NOT NULL CHECK (source_kind IN ('document', 'meeting', 'meeting_summary')),
  source_id text NOT NULL,
  ord int NOT NULL,
  title text NOT NULL,
  text text NOT NULL,
  readers text[] NOT NULL CHECK (cardinality(readers) > 0),
  terms tsvector NOT NULL,
  model text,
  embedding bytea,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, source_kind, source_id, ord)
);
CREATE INDEX knowledge_chunks_terms ON knowledge_chunks USING gin (terms);
CREATE INDEX knowledge_chunks_model ON knowledge_chunks (tenant_id, model);

-- Bumped by every write to a tenant's chunks, in the same transaction: the
-- exact backend's in-memory copy of a tenant's vectors is used only while
-- its version is current.
CREATE TABLE knowledge_versions (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  version bigint NOT NULL,
  PRIMARY KEY (tenant_id)
);

-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['documents','knowledge_chunks','knowledge_versions']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO banli_app', t);
  END LOOP;
END
$$;
-- +goose StatementEnd
GRANT USAGE, SELECT ON SEQUENCE knowledge_chunks_id_seq TO banli_app;

-- +goose Down
SELECT 'down migrations are not supported';
