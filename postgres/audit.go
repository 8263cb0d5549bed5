package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
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
// command recorded, without committing (see Tx.commit for the usual path).
func (tx *Tx) flush(ctx context.Context) error {
	w := &writes{}
	if err := tx.flushNotifications(ctx, w); err != nil {
		return err
	}
	if err := tx.queueAudit(w); err != nil {
		return err
	}
	_, err := w.send(ctx, tx.Tx)
	return err
}

// seqMark stands for an entry's seq in its canonical payload until the chain
// head is locked; no entry has this seq.
const seqMark = math.MinInt64

var (
	seqKey     = []byte(`,"seq":`)
	seqMarkKey = []byte(`,"seq":` + strconv.FormatInt(seqMark, 10) + `,"subject":`)
)

// splitPayload returns an entry's canonical payload around its seq digits:
// canonical(tenant, e with Seq n) is pre + decimal(n) + post. The top-level
// keys are sorted and every key after "seq" holds a string, whose quotes are
// escaped, so the last match is the top-level seq.
func splitPayload(tenant string, e AuditEntry) (pre, post []byte, err error) {
	e.Seq = seqMark
	payload, err := canonical(tenant, e)
	if err != nil {
		return nil, nil, err
	}
	i := bytes.LastIndex(payload, seqMarkKey)
	if i < 0 {
		return nil, nil, fmt.Errorf("audit payload without seq: %s", payload)
	}
	pre = payload[:i+len(seqKey)]
	post = payload[i+len(seqMarkKey)-len(`,"subject":`):]
	return pre, post, nil
}

// queueAudit queues the appending of the recorded audit entries to the
// tenant's chain (audit_append, migration 00009): the head is locked by that
// one statement, which the caller sends last before COMMIT, so concurrent
// commands of a tenant serialise for as short as possible.
func (tx *Tx) queueAudit(w *writes) error {
	if len(tx.audits) == 0 {
		return nil
	}
	actor := tx.actor.EmployeeID
	if tx.actor.System {
		actor = "system"
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	n := len(tx.audits)
	actions, subjects := make([]string, n), make([]string, n)
	befores, afters := make([]*string, n), make([]*string, n)
	pres, posts := make([][]byte, n), make([][]byte, n)
	for i, a := range tx.audits {
		e := AuditEntry{At: at, Actor: actor, Via: string(tx.actor.Via), Action: a.action, Subject: a.subject,
			Before: jsonb(a.before), After: jsonb(a.after), RequestID: tx.actor.RequestID, IP: tx.actor.IP}
		pre, post, err := splitPayload(tx.tenant.ID, e)
		if err != nil {
			return fmt.Errorf("audit payload: %w", err)
		}
		actions[i], subjects[i], pres[i], posts[i] = e.Action, e.Subject, pre, post
		befores[i], afters[i] = jsonText(e.Before), jsonText(e.After)
	}
	w.queue("append audit", `SELECT audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		tx.tenant.ID, at, actor, string(tx.actor.Via), tx.actor.RequestID, tx.actor.IP, actions, subjects, befores, afters, pres, posts)
	tx.audits = nil
	return nil
}

// jsonText is a JSON document as a nullable text parameter.
func jsonText(b []byte) *string {
	if len(b) == 0 {
		return nil
	}
	s := string(b)
	return &s
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
		// The chain starts at seq 1 from a zero hash, or where the last
		// retention purge left its anchor.
		var expect int64 = 1
		prev := make([]byte, sha256.Size)
		var anchorSeq int64
		var anchorHash []byte
		switch err := tx.QueryRow(ctx, `SELECT through_seq, hash FROM audit_anchors WHERE tenant_id = $1`, tx.tenant.ID).Scan(&anchorSeq, &anchorHash); {
		case err == nil:
			expect, prev = anchorSeq+1, anchorHash
		case !errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("audit anchor: %w", err)
		}
		rows, err := tx.Query(ctx, `SELECT seq, at, actor, via, action, subject, before, after, request_id, ip, prev_hash, hash
			FROM audit_log WHERE tenant_id = $1 ORDER BY seq`, tx.tenant.ID)
		if err != nil {
			return fmt.Errorf("read audit log: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var e AuditEntry
			var before, after []byte
			if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Via, &e.Action, &e.Subject, &before, &after, &e.RequestID, &e.IP, &e.PrevHash, &e.Hash); err != nil {
				return fmt.Errorf("scan audit: %w", err)
			}
			e.Before, e.After = before, after
			res.Entries++
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
