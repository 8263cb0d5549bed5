package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
)

type auditRecord struct {
	action, subject string
	before, after   any
}

// audit records an entry; it is appended to the chain when the command commits.
func (tx *Tx) audit(action, subject string, before, after any) {
	tx.audits = append(tx.audits, auditRecord{action: action, subject: subject, before: before, after: after})
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	Seq       int64           `json:"seq"`
	At        time.Time       `json:"at"`
	Actor     string          `json:"actor"`
	Via       string          `json:"via"`
	Action    string          `json:"action"`
	Subject   string          `json:"subject"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
	IP        string          `json:"ip,omitempty"`
	PrevHash  []byte          `json:"prev_hash"`
	Hash      []byte          `json:"hash"`
}

// canonical is the byte form an entry's hash covers: JSON with sorted keys
// and normalised before/after values, so it can be rebuilt from the columns.
func canonical(tenant string, e AuditEntry) ([]byte, error) {
	norm := func(raw json.RawMessage) (any, error) {
		if len(raw) == 0 || string(raw) == "null" {
			return nil, nil
		}
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		return v, nil
	}
	before, err := norm(e.Before)
	if err != nil {
		return nil, err
	}
	after, err := norm(e.After)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"tenant": tenant, "seq": e.Seq, "at": e.At.UTC().Format(time.RFC3339Nano),
		"actor": e.Actor, "via": e.Via, "action": e.Action, "subject": e.Subject,
		"before": before, "after": after, "request_id": e.RequestID, "ip": e.IP,
	})
}

func chainHash(prev, payload []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(payload)
	return h.Sum(nil)
}

// flush appends the audit entries, notifications and webhook deliveries the
// command recorded. The per-tenant chain head is locked only here, at the end
// of the transaction, so concurrent commands serialise for as short as possible.
func (tx *Tx) flush(ctx context.Context) error {
	if err := tx.flushNotifications(ctx); err != nil {
		return err
	}
	if len(tx.audits) == 0 {
		return nil
	}
	var seq int64
	var prev []byte
	err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_heads WHERE tenant_id = $1 FOR UPDATE`, tx.tenant.ID).Scan(&seq, &prev)
	if errors.Is(err, pgx.ErrNoRows) {
		seq, prev = 0, make([]byte, sha256.Size)
		if _, err := tx.Exec(ctx, `INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING`, tx.tenant.ID, prev); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
		if err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_heads WHERE tenant_id = $1 FOR UPDATE`, tx.tenant.ID).Scan(&seq, &prev); err != nil {
			return fmt.Errorf("audit head: %w", err)
		}
	} else if err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	actor := tx.actor.EmployeeID
	if tx.actor.System {
		actor = "system"
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	batch := &pgx.Batch{}
	for _, a := range tx.audits {
		seq++
		e := AuditEntry{Seq: seq, At: at, Actor: actor, Via: string(tx.actor.Via), Action: a.action, Subject: a.subject,
			Before: jsonb(a.before), After: jsonb(a.after), RequestID: tx.actor.RequestID, IP: tx.actor.IP}
		payload, err := canonical(tx.tenant.ID, e)
		if err != nil {
			return fmt.Errorf("audit payload: %w", err)
		}
		hash := chainHash(prev, payload)
		batch.Queue(`INSERT INTO audit_log (tenant_id, seq, at, actor, via, action, subject, before, after, request_id, ip, prev_hash, hash)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
			tx.tenant.ID, seq, at, e.Actor, e.Via, e.Action, e.Subject, nullJSON(e.Before), nullJSON(e.After), e.RequestID, e.IP, prev, hash)
		prev = hash
	}
	batch.Queue(`UPDATE audit_heads SET seq = $2, hash = $3 WHERE tenant_id = $1`, tx.tenant.ID, seq, prev)
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	tx.audits = nil
	return nil
}

func nullJSON(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// VerifyResult reports the outcome of an audit chain check.
type VerifyResult struct {
	Entries  int64    `json:"entries"`
	HeadSeq  int64    `json:"head_seq"`
	HeadHash string   `json:"head_hash"`
	Problems []string `json:"problems"`
}

// OK reports whether the chain is intact.
func (r VerifyResult) OK() bool { return len(r.Problems) == 0 }

// VerifyAudit walks a tenant's audit chain and reports altered, removed or
// reordered entries. Only auditors and administrators may run it.
func (s *Store) VerifyAudit(ctx context.Context, actor domain.Actor, progress func(done int64)) (VerifyResult, error) {
	var res VerifyResult
	err := s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.can(authz.ReadAudit, authz.Resource{Type: authz.TypeTenant, ID: tx.tenant.ID}); err != nil {
			return err
		}
		var headHash []byte
		err := tx.QueryRow(ctx, `SELECT seq, hash FROM audit_heads WHERE tenant_id = $1`, tx.tenant.ID).Scan(&res.HeadSeq, &headHash)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("audit head: %w", err)
		}
		res.HeadHash = fmt.Sprintf("%x", headHash)
		rows, err := tx.Query(ctx, `SELECT seq, at, actor, via, action, subject, before, after, request_id, ip, prev_hash, hash
			FROM audit_log WHERE tenant_id = $1 ORDER BY seq`, tx.tenant.ID)
		if err != nil {
			return fmt.Errorf("read audit log: %w", err)
		}
		defer rows.Close()
		var prev []byte
		var expect int64 = 0
		first := true
		for rows.Next() {
			var e AuditEntry
			var before, after []byte
			if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Via, &e.Action, &e.Subject, &before, &after, &e.RequestID, &e.IP, &e.PrevHash, &e.Hash); err != nil {
				return fmt.Errorf("scan audit: %w", err)
			}
			e.Before, e.After = before, after
			res.Entries++
			if first {
				// Entries before the oldest one may have been purged by retention.
				prev, expect, first = e.PrevHash, e.Seq, false
			}
			if e.Seq != expect {
				res.Problems = append(res.Problems, fmt.Sprintf("entry %d missing (next is %d)", expect, e.Seq))
			}
			if !bytes.Equal(e.PrevHash, prev) {
				res.Problems = append(res.Problems, fmt.Sprintf("entry %d does not link to the entry before it (removed or reordered)", e.Seq))
			}
			payload, err := canonical(tx.tenant.ID, e)
			if err != nil {
				return err
			}
			if !bytes.Equal(chainHash(e.PrevHash, payload), e.Hash) {
				res.Problems = append(res.Problems, fmt.Sprintf("entry %d (%s %s) was altered", e.Seq, e.Action, e.Subject))
			}
			prev, expect = e.Hash, e.Seq+1
			if progress != nil && res.Entries%1000 == 0 {
				progress(res.Entries)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read audit log: %w", err)
		}
		if res.HeadSeq > 0 && (expect-1 != res.HeadSeq || !bytes.Equal(prev, headHash)) {
			res.Problems = append(res.Problems, fmt.Sprintf("the chain ends at entry %d but the head says %d (entries removed from the end)", expect-1, res.HeadSeq))
		}
		return nil
	})
	return res, err
}

// ListAudit returns audit entries for a subject (or all when subject is empty), newest first.
func (s *Store) ListAudit(ctx context.Context, actor domain.Actor, subject string, limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.run(ctx, actor, func(tx *Tx) error {
		if err := tx.can(authz.ReadAudit, authz.Resource{Type: authz.TypeTenant, ID: tx.tenant.ID}); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT seq, at, actor, via, action, subject, before, after, request_id, ip, prev_hash, hash
			FROM audit_log WHERE tenant_id = $1 AND ($2 = '' OR subject = $2) ORDER BY seq DESC LIMIT $3`, tx.tenant.ID, subject, limit)
		if err != nil {
			return fmt.Errorf("list audit: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
			var e AuditEntry
			var b, a []byte
			err := r.Scan(&e.Seq, &e.At, &e.Actor, &e.Via, &e.Action, &e.Subject, &b, &a, &e.RequestID, &e.IP, &e.PrevHash, &e.Hash)
			e.Before, e.After = b, a
			return e, err
		})
		return err
	})
	return out, err
}
