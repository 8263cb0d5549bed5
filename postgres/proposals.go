package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/domain"
)

const proposalCols = `id, actor, conversation, tool, args, digest, preview, risk, status, expires_at, result, error, created_at, executed_at`

func scanProposal(r pgx.Row) (domain.Proposal, error) {
	var p domain.Proposal
	var args, result []byte
	err := r.Scan(&p.ID, &p.Actor, &p.Conversation, &p.Tool, &args, &p.Digest, &p.Preview, &p.Risk, &p.Status, &p.ExpiresAt, &result, &p.Error, &p.CreatedAt, &p.ExecutedAt)
	p.Args, p.Result = args, result
	return p, err
}

// conversation loads (and with lock, locks) one of the actor's
// conversations; another employee's conversation does not exist for them.
func (tx *Tx) conversation(ctx context.Context, id string, lock bool) (domain.Conversation, error) {
	q := `SELECT id, actor, state, lang FROM conversations WHERE tenant_id = $1 AND id = $2 AND actor = $3`
	if lock {
		q += ` FOR UPDATE`
	}
	var c domain.Conversation
	var state []byte
	err := tx.QueryRow(ctx, q, tx.tenant.ID, id, tx.me.ID).Scan(&c.ID, &c.Actor, &state, &c.Lang)
	c.State = state
	return c, notFound(err, "conversation", id)
}

// OpenConversation returns the actor's conversation id, or starts a new one
// when id is empty.
func (s *Store) OpenConversation(ctx context.Context, actor domain.Actor, id string) (domain.Conversation, error) {
	var c domain.Conversation
	err := s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "a conversation needs an employee")
		}
		if id != "" {
			var err error
			c, err = tx.conversation(ctx, id, false)
			return err
		}
		c = domain.Conversation{ID: newID("cv"), Actor: tx.me.ID, State: json.RawMessage(`{}`)}
		if _, err := tx.Exec(ctx, `INSERT INTO conversations (tenant_id, id, actor, created_at, updated_at) VALUES ($1,$2,$3,$4,$4)`,
			tx.tenant.ID, c.ID, c.Actor, tx.now); err != nil {
			return fmt.Errorf("start conversation: %w", err)
		}
		tx.audit("conversation.create", "conversation:"+c.ID, nil, map[string]string{"actor": c.Actor})
		return nil
	})
	return c, err
}

// RecordTurn stores one exchange of a conversation: the messages, the
// planner's new state and the proposals of the turn. New proposals supersede
// the conversation's open ones, so a correction replaces what it corrects
// and an old preview can no longer be confirmed.
func (s *Store) RecordTurn(ctx context.Context, actor domain.Actor, conversation string, t domain.Turn) ([]domain.Proposal, error) {
	var out []domain.Proposal
	err := s.run(ctx, actor, func(tx *Tx) error {
		if _, err := tx.conversation(ctx, conversation, true); err != nil {
			return err
		}
		state := t.State
		if len(state) == 0 {
			state = json.RawMessage(`{}`)
		}
		if _, err := tx.Exec(ctx, `UPDATE conversations SET state = $3, lang = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2`,
			tx.tenant.ID, conversation, []byte(state), t.Lang, tx.now); err != nil {
			return fmt.Errorf("save conversation: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO messages (tenant_id, conversation, role, content, created_at) VALUES ($1,$2,'user',$3,$4)`,
			tx.tenant.ID, conversation, t.User, tx.now); err != nil {
			return fmt.Errorf("save message: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO messages (tenant_id, conversation, role, content, data, created_at) VALUES ($1,$2,'assistant',$3,$4,$5)`,
			tx.tenant.ID, conversation, t.Reply, nullJSON(t.Data), tx.now); err != nil {
			return fmt.Errorf("save message: %w", err)
		}
		if len(t.Proposals) == 0 {
			return nil
		}
		rows, err := tx.Query(ctx, `UPDATE proposals SET status = 'superseded' WHERE tenant_id = $1 AND conversation = $2 AND status = 'pending' RETURNING id`,
			tx.tenant.ID, conversation)
		if err != nil {
			return fmt.Errorf("supersede proposals: %w", err)
		}
		old, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("supersede proposals: %w", err)
		}
		for _, id := range old {
			tx.audit("proposal.supersede", "proposal:"+id, nil, nil)
		}
		for _, in := range t.Proposals {
			if in.Risk == "" {
				in.Risk = "low"
			}
			p, err := scanProposal(tx.QueryRow(ctx, `INSERT INTO proposals (tenant_id, id, actor, conversation, tool, args, digest, preview, risk, expires_at, created_at)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING `+proposalCols,
				tx.tenant.ID, newID("pr"), tx.me.ID, conversation, in.Tool, []byte(in.Args), in.Digest, in.Preview, in.Risk, tx.now.Add(domain.ProposalTTL), tx.now))
			if err != nil {
				return fmt.Errorf("save proposal: %w", err)
			}
			tx.audit("proposal.create", "proposal:"+p.ID, nil, map[string]any{"tool": p.Tool, "args": p.Args, "digest": p.Digest})
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// GetProposal returns one of the actor's proposals.
func (s *Store) GetProposal(ctx context.Context, actor domain.Actor, id string) (domain.Proposal, error) {
	var p domain.Proposal
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		p, err = scanProposal(tx.QueryRow(ctx, `SELECT `+proposalCols+` FROM proposals WHERE tenant_id = $1 AND id = $2 AND actor = $3`, tx.tenant.ID, id, tx.me.ID))
		return notFound(err, "proposal", id)
	})
	return p, err
}

// ClaimProposal is the first half of a confirmation: it locks the proposal
// and moves it from pending to confirmed, failing closed unless the actor
// is the proposal's, the digest is the one the user saw, the proposal has
// not expired and is still pending, and, for high-risk tools, code is a
// valid TOTP of the actor's enrolled secret. Exactly one concurrent claim
// succeeds. A retry of an executed proposal with the same digest returns
// the proposal with status executed and its first result, so the caller
// answers with that instead of executing again.
func (s *Store) ClaimProposal(ctx context.Context, actor domain.Actor, id, digest, code string) (domain.Proposal, error) {
	var p domain.Proposal
	var outcome error
	err := s.run(ctx, actor, func(tx *Tx) error {
		outcome = nil
		if tx.actor.System {
			return domain.Errorf(domain.EForbidden, "only the proposal's employee may confirm it")
		}
		var err error
		p, err = scanProposal(tx.QueryRow(ctx, `SELECT `+proposalCols+` FROM proposals WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, tx.tenant.ID, id))
		if err := notFound(err, "proposal", id); err != nil {
			return err
		}
		if p.Actor != tx.me.ID {
			// Someone else's proposal: refuse without revealing it.
			return domain.Errorf(domain.ENotFound, "no proposal %q", id)
		}
		if p.Digest != digest {
			return domain.Errorf(domain.EConflict, "the proposal does not match what was shown; review it again")
		}
		switch p.Status {
		case domain.ProposalExecuted:
			return nil
		case domain.ProposalPending:
		default:
			return domain.Errorf(domain.EConflict, "the proposal is %s", p.Status)
		}
		if !tx.now.Before(p.ExpiresAt) {
			if _, err := tx.Exec(ctx, `UPDATE proposals SET status = 'expired' WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id); err != nil {
				return fmt.Errorf("expire proposal: %w", err)
			}
			tx.audit("proposal.expire", "proposal:"+id, nil, nil)
			p.Status = domain.ProposalExpired
			outcome = domain.Errorf(domain.EConflict, "the proposal expired; ask again")
			return nil
		}
		if p.Risk == "high" {
			var secret *string
			if err := tx.QueryRow(ctx, `SELECT totp_secret FROM employees WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, tx.me.ID).Scan(&secret); err != nil {
				return fmt.Errorf("load step-up secret: %w", err)
			}
			if secret == nil || *secret == "" {
				return domain.Errorf(domain.EForbidden, "this action needs a one-time code; enrol an authenticator first")
			}
			if !domain.VerifyTOTP(*secret, code, tx.now) {
				return domain.Errorf(domain.EForbidden, "the one-time code is not valid")
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE proposals SET status = 'confirmed' WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id); err != nil {
			return fmt.Errorf("confirm proposal: %w", err)
		}
		p.Status = domain.ProposalConfirmed
		tx.audit("proposal.confirm", "proposal:"+id, nil, map[string]any{"tool": p.Tool, "digest": p.Digest})
		return nil
	})
	if err != nil {
		return domain.Proposal{}, err
	}
	return p, outcome
}

// FinishProposal is the second half of a confirmation: it records the
// result (or the error) of a claimed proposal's execution.
func (s *Store) FinishProposal(ctx context.Context, actor domain.Actor, id string, result []byte, execErr string) (domain.Proposal, error) {
	var p domain.Proposal
	err := s.run(ctx, actor, func(tx *Tx) error {
		status := domain.ProposalExecuted
		if execErr != "" {
			status = domain.ProposalFailed
		}
		var err error
		p, err = scanProposal(tx.QueryRow(ctx, `UPDATE proposals SET status = $4, result = $5, error = $6, executed_at = $7
			WHERE tenant_id = $1 AND id = $2 AND actor = $3 AND status = 'confirmed' RETURNING `+proposalCols,
			tx.tenant.ID, id, tx.me.ID, status, nullJSON(result), execErr, tx.now))
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.EConflict, "proposal %q is not being executed", id)
		}
		if err != nil {
			return fmt.Errorf("finish proposal: %w", err)
		}
		tx.audit("proposal."+status, "proposal:"+id, nil, map[string]any{"error": execErr})
		return nil
	})
	return p, err
}

// FailProposal records that a proposal's execution failed, so it cannot be
// confirmed again. It applies to a pending proposal: a confirmation runs in
// one transaction with its execution, and a failed execution rolls the
// claim back with it. A proposal that another confirmation executed in the
// meantime is left alone (a conflict).
func (s *Store) FailProposal(ctx context.Context, actor domain.Actor, id, reason string) (domain.Proposal, error) {
	var p domain.Proposal
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		p, err = scanProposal(tx.QueryRow(ctx, `UPDATE proposals SET status = 'failed', error = $4, executed_at = $5
			WHERE tenant_id = $1 AND id = $2 AND actor = $3 AND status IN ('pending', 'confirmed') RETURNING `+proposalCols,
			tx.tenant.ID, id, tx.me.ID, reason, tx.now))
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.EConflict, "proposal %q is no longer open", id)
		}
		if err != nil {
			return fmt.Errorf("fail proposal: %w", err)
		}
		tx.audit("proposal.failed", "proposal:"+id, nil, map[string]any{"error": reason})
		return nil
	})
	return p, err
}

// CancelProposal withdraws one of the actor's pending proposals.
func (s *Store) CancelProposal(ctx context.Context, actor domain.Actor, id string) (domain.Proposal, error) {
	var p domain.Proposal
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		p, err = scanProposal(tx.QueryRow(ctx, `UPDATE proposals SET status = 'cancelled'
			WHERE tenant_id = $1 AND id = $2 AND actor = $3 AND status = 'pending' RETURNING `+proposalCols, tx.tenant.ID, id, tx.me.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return domain.Errorf(domain.ENotFound, "no pending proposal %q", id)
		}
		if err != nil {
			return fmt.Errorf("cancel proposal: %w", err)
		}
		tx.audit("proposal.cancel", "proposal:"+id, nil, nil)
		return nil
	})
	return p, err
}

// EnrollTOTP gives the actor a new step-up secret (RFC 6238) and returns it
// once, for their authenticator app. The secret is not audited.
//
// Replacing an enrolled secret needs a valid code of the current one, so a
// stolen API token alone cannot take over the step-up.
func (s *Store) EnrollTOTP(ctx context.Context, actor domain.Actor, currentCode string) (string, error) {
	secret, err := domain.NewTOTPSecret()
	if err != nil {
		return "", err
	}
	err = s.run(ctx, actor, func(tx *Tx) error {
		if tx.actor.System {
			return domain.Errorf(domain.EInvalid, "enrolment needs an employee")
		}
		var current *string
		if err := tx.QueryRow(ctx, `SELECT totp_secret FROM employees WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, tx.tenant.ID, tx.me.ID).Scan(&current); err != nil {
			return fmt.Errorf("load step-up secret: %w", err)
		}
		if current != nil && *current != "" && !domain.VerifyTOTP(*current, currentCode, tx.now) {
			return domain.Errorf(domain.EForbidden, "an authenticator is already enrolled; give its current one-time code to replace it")
		}
		if _, err := tx.Exec(ctx, `UPDATE employees SET totp_secret = $3 WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, tx.me.ID, secret); err != nil {
			return fmt.Errorf("enrol totp: %w", err)
		}
		tx.audit("totp.enroll", "employee:"+tx.me.ID, nil, map[string]string{"at": tx.now.Format(time.RFC3339)})
		return nil
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}
