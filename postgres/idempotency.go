package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/banlihq/banli/domain"
)

// IdemState says what a request carrying an idempotency key should do.
type IdemState int

const (
	// IdemExecute: run the command, then call FinishIdempotent.
	IdemExecute IdemState = iota
	// IdemReplay: return the stored response without running anything.
	IdemReplay
)

// IdemResult is the outcome of BeginIdempotent.
type IdemResult struct {
	State       IdemState
	Status      int
	ContentType string
	Body        []byte
}

// BeginIdempotent claims an idempotency key for the actor's request.
//
// Why claim, run, record and not one transaction: a command runs in its own
// transaction (Store.run), and the response it produces is only known after
// that transaction commits, so the command and its stored response cannot yet
// commit together. Instead the key is claimed first (status 0, a lease, and
// the request id of the attempt), the command runs, and FinishIdempotent
// stores the response. What protects against double execution is the audit
// log: every command writes its audit entries, stamped with the request id,
// in the same transaction as its change. So when a retry finds a claim whose
// lease has run out without a response,
//   - an audit entry with the claim's request id proves the command committed
//     and only its response was lost: the retry gets a conflict telling the
//     client to look the result up, never a second execution;
//   - no such entry proves it did not commit (the caller's request deadline is
//     shorter than the lease, so it cannot commit later either): the retry
//     takes the claim over and runs the command.
//
// While the lease runs a duplicate gets a conflict (in flight); a reused key
// with a different fingerprint is invalid. lease must exceed the longest time
// a request may run.
func (s *Store) BeginIdempotent(ctx context.Context, actor domain.Actor, key, fingerprint string, lease time.Duration) (IdemResult, error) {
	var res IdemResult
	if key == "" || len(key) > 255 {
		return res, domain.Invalid("header.Idempotency-Key", "must be 1 to 255 characters")
	}
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System || tx.me.ID == "" {
			return domain.Errorf(domain.EInvalid, "idempotency keys belong to an employee")
		}
		ms := lease.Milliseconds()
		tag, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (tenant_id, employee, key, fingerprint, status, request_id, locked_until)
			VALUES ($1,$2,$3,$4,0,$5, now() + $6 * interval '1 millisecond') ON CONFLICT DO NOTHING`,
			tx.tenant.ID, tx.me.ID, key, fingerprint, actor.RequestID, ms)
		if err != nil {
			return fmt.Errorf("claim idempotency key: %w", err)
		}
		if tag.RowsAffected() == 1 {
			res.State = IdemExecute
			return nil
		}
		var fp, reqID, ct string
		var status int
		var body []byte
		var live bool
		err = tx.QueryRow(ctx, `SELECT fingerprint, status, coalesce(response, ''::bytea), content_type, request_id, coalesce(locked_until > now(), false)
			FROM idempotency_keys WHERE tenant_id = $1 AND employee = $2 AND key = $3 FOR UPDATE`,
			tx.tenant.ID, tx.me.ID, key).Scan(&fp, &status, &body, &ct, &reqID, &live)
		if err != nil {
			return fmt.Errorf("load idempotency key: %w", err)
		}
		if fp != fingerprint {
			return &domain.Error{Code: domain.EInvalid,
				Message: "this Idempotency-Key was used with a different request; use a new key for a new request",
				Fields:  []domain.FieldError{{Field: "header.Idempotency-Key", Message: "was used with a different request", Value: key}}}
		}
		if status > 0 {
			res = IdemResult{State: IdemReplay, Status: status, ContentType: ct, Body: body}
			return nil
		}
		if live {
			return domain.Errorf(domain.EConflict, "a request with this Idempotency-Key is still in progress; retry later")
		}
		var committed bool
		if reqID != "" {
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log WHERE tenant_id = $1 AND request_id = $2)`, tx.tenant.ID, reqID).Scan(&committed); err != nil {
				return fmt.Errorf("idempotency witness: %w", err)
			}
		}
		if committed {
			return domain.Errorf(domain.EConflict, "the request with this Idempotency-Key was carried out (request %s) but its response was lost; look the result up instead of retrying", reqID)
		}
		if _, err := tx.Exec(ctx, `UPDATE idempotency_keys SET request_id = $4, locked_until = now() + $5 * interval '1 millisecond'
			WHERE tenant_id = $1 AND employee = $2 AND key = $3`, tx.tenant.ID, tx.me.ID, key, actor.RequestID, ms); err != nil {
			return fmt.Errorf("take over idempotency key: %w", err)
		}
		res.State = IdemExecute
		return nil
	})
	return res, err
}

// FinishIdempotent stores the response of the attempt that holds the key.
// A server error (status >= 500) is not stored: the claim's lease is ended
// instead, so a retry asks the audit log whether the command committed.
func (s *Store) FinishIdempotent(ctx context.Context, actor domain.Actor, key string, status int, contentType string, body []byte) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		var err error
		if status >= 500 || status <= 0 {
			_, err = tx.Exec(ctx, `UPDATE idempotency_keys SET locked_until = now() WHERE tenant_id = $1 AND employee = $2 AND key = $3 AND request_id = $4 AND status = 0`,
				tx.tenant.ID, tx.me.ID, key, actor.RequestID)
		} else {
			_, err = tx.Exec(ctx, `UPDATE idempotency_keys SET status = $5, content_type = $6, response = $7, completed_at = now(), locked_until = NULL
				WHERE tenant_id = $1 AND employee = $2 AND key = $3 AND request_id = $4 AND status = 0`,
				tx.tenant.ID, tx.me.ID, key, actor.RequestID, status, contentType, body)
		}
		if err != nil {
			return fmt.Errorf("record idempotent response: %w", err)
		}
		return nil
	})
}

// PurgeIdempotencyKeys deletes completed keys older than age across tenants
// (claims still without a response are kept: they are what stops a double
// execution). It returns how many it deleted.
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, age time.Duration) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE status > 0 AND created_at < $1`, s.Now().Add(-age))
	if err != nil {
		return 0, fmt.Errorf("purge idempotency keys: %w", err)
	}
	return tag.RowsAffected(), nil
}
