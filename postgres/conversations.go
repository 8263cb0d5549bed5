package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/domain"
)

// ConversationSummary is one of an employee's conversations in a list.
type ConversationSummary struct {
	ID        string    `json:"id"`
	Lang      string    `json:"lang"`
	Preview   string    `json:"preview" doc:"The first user message, shortened."`
	Messages  int       `json:"messages"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ChatMessage is one message of a conversation.
type ChatMessage struct {
	Seq       int64           `json:"seq"`
	Role      string          `json:"role" enum:"user,assistant"`
	Content   string          `json:"content"`
	Data      json.RawMessage `json:"data,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
}

// Conversations lists the actor's own conversations, most recently active
// first. after is the cursor of the previous page (an updated_at and id).
func (s *Store) Conversations(ctx context.Context, actor domain.Actor, after string, limit int) ([]ConversationSummary, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var at *time.Time
	var afterID string
	if after != "" {
		t, id, err := parseCursor(after)
		if err != nil {
			return nil, err
		}
		at, afterID = &t, id
	}
	var out []ConversationSummary
	err := s.run(ctx, actor, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT c.id, c.lang, c.created_at, c.updated_at,
				coalesce((SELECT left(m.content, 80) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation = c.id AND m.role = 'user' ORDER BY m.id LIMIT 1), ''),
				(SELECT count(*) FROM messages m WHERE m.tenant_id = c.tenant_id AND m.conversation = c.id)
			FROM conversations c
			WHERE c.tenant_id = $1 AND c.actor = $2 AND ($3::timestamptz IS NULL OR (c.updated_at, c.id) < ($3, $4))
			ORDER BY c.updated_at DESC, c.id DESC LIMIT $5`, tx.tenant.ID, tx.me.ID, at, afterID, limit+1)
		if err != nil {
			return fmt.Errorf("list conversations: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ConversationSummary, error) {
			var c ConversationSummary
			err := r.Scan(&c.ID, &c.Lang, &c.CreatedAt, &c.UpdatedAt, &c.Preview, &c.Messages)
			return c, err
		})
		if err != nil {
			return fmt.Errorf("list conversations: %w", err)
		}
		return nil
	})
	return out, err
}

// ConversationCursor is the cursor of a conversation in Conversations.
func ConversationCursor(c ConversationSummary) string {
	return strconv.FormatInt(c.UpdatedAt.UnixMicro(), 10) + "." + c.ID
}

func parseCursor(s string) (time.Time, string, error) {
	at, id, ok := strings.Cut(s, ".")
	us, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", domain.Invalid("after", "is not a cursor from this list")
	}
	return time.UnixMicro(us), id, nil
}

// Messages returns a page of one of the actor's conversations, oldest
// first, after the message sequence number after (0 for the start). Another
// employee's conversation does not exist for the actor.
func (s *Store) Messages(ctx context.Context, actor domain.Actor, conversation string, after int64, limit int) ([]ChatMessage, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var out []ChatMessage
	err := s.run(ctx, actor, func(tx *Tx) error {
		if _, err := tx.conversation(ctx, conversation, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT id, role, content, data, created_at FROM messages
			WHERE tenant_id = $1 AND conversation = $2 AND id > $3 ORDER BY id LIMIT $4`, tx.tenant.ID, conversation, after, limit+1)
		if err != nil {
			return fmt.Errorf("list messages: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ChatMessage, error) {
			var m ChatMessage
			var data []byte
			err := r.Scan(&m.Seq, &m.Role, &m.Content, &data, &m.CreatedAt)
			m.Data = data
			return m, err
		})
		if err != nil {
			return fmt.Errorf("list messages: %w", err)
		}
		return nil
	})
	return out, err
}

// ConversationProposals returns the proposals made in one of the actor's
// conversations, oldest first.
func (s *Store) ConversationProposals(ctx context.Context, actor domain.Actor, conversation string) ([]domain.Proposal, error) {
	var out []domain.Proposal
	err := s.run(ctx, actor, func(tx *Tx) error {
		if _, err := tx.conversation(ctx, conversation, false); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+proposalCols+` FROM proposals WHERE tenant_id = $1 AND conversation = $2 AND actor = $3 ORDER BY created_at, id LIMIT 500`,
			tx.tenant.ID, conversation, tx.me.ID)
		if err != nil {
			return fmt.Errorf("list proposals: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanProposal(rows)
			if err != nil {
				return fmt.Errorf("list proposals: %w", err)
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}
