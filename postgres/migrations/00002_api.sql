-- +goose Up
-- Idempotency: a key is claimed (status 0) before its command runs and holds
-- the first response after. request_id names the attempt that holds the claim,
-- so a retry after a crash can ask the audit log whether that attempt's
-- command committed; locked_until is the lease after which it is presumed dead.
ALTER TABLE idempotency_keys
  ADD COLUMN request_id text NOT NULL DEFAULT '',
  ADD COLUMN content_type text NOT NULL DEFAULT '',
  ADD COLUMN locked_until timestamptz,
  ADD COLUMN completed_at timestamptz;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- The commit witness for idempotency keys: every command writes its audit
-- entries, stamped with the request id, in its own transaction.
CREATE INDEX audit_log_request ON audit_log (tenant_id, request_id) WHERE request_id <> '';

CREATE INDEX api_tokens_employee ON api_tokens (tenant_id, employee);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (tenant_id, webhook_id, id);

-- +goose Down
SELECT 'down migrations are not supported';
