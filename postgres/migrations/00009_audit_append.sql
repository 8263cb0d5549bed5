-- +goose Up
-- audit_append appends one command's audit entries to its tenant's hash chain
-- in a single statement: it locks the chain head, then gives each entry the
-- next seq and hash = sha256(prev_hash || payload), and moves the head. The
-- payload is the entry's canonical JSON, built by the application, which
-- cannot know seq before it holds the lock: it passes the bytes before and
-- after the seq digits (p_pre, p_post) and the digits are spliced in here.
-- `banli audit verify` recomputes the same hashes from the stored columns.
--
-- Taking the lock inside one statement, sent in the same round trip as the
-- transaction's COMMIT, holds the per-tenant chain lock for no application
-- round trip: commands of one tenant serialise only on this statement and
-- the commit's WAL flush.
-- +goose StatementBegin
CREATE FUNCTION audit_append(p_tenant uuid, p_at timestamptz, p_actor text, p_via text, p_request_id text, p_ip text,
  p_actions text[], p_subjects text[], p_before text[], p_after text[], p_pre bytea[], p_post bytea[])
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_seq bigint;
  v_prev bytea;
  v_hash bytea;
BEGIN
  SELECT seq, hash INTO v_seq, v_prev FROM audit_heads WHERE tenant_id = p_tenant FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (p_tenant, 0, decode(repeat('00', 32), 'hex')) ON CONFLICT DO NOTHING;
    SELECT seq, hash INTO STRICT v_seq, v_prev FROM audit_heads WHERE tenant_id = p_tenant FOR UPDATE;
  END IF;
  FOR i IN 1 .. coalesce(array_length(p_actions, 1), 0) LOOP
    v_seq := v_seq + 1;
    v_hash := sha256(v_prev || p_pre[i] || convert_to(v_seq::text, 'UTF8') || p_post[i]);
    INSERT INTO audit_log (tenant_id, seq, at, actor, via, action, subject, before, after, request_id, ip, prev_hash, hash)
      VALUES (p_tenant, v_seq, p_at, p_actor, p_via, p_actions[i], p_subjects[i], p_before[i]::jsonb, p_after[i]::jsonb,
        p_request_id, p_ip, v_prev, v_hash);
    v_prev := v_hash;
  END LOOP;
  UPDATE audit_heads SET seq = v_seq, hash = v_prev WHERE tenant_id = p_tenant;
  RETURN v_seq;
END
$$;
-- +goose StatementEnd
GRANT EXECUTE ON FUNCTION audit_append(uuid, timestamptz, text, text, text, text, text[], text[], text[], text[], bytea[], bytea[]) TO banli_app;

-- +goose Down
DROP FUNCTION audit_append(uuid, timestamptz, text, text, text, text, text[], text[], text[], text[], bytea[], bytea[]);
