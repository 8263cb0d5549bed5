package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/banlihq/banli/domain"
)

// TokenPrefix starts every API token, so leaked tokens are easy to scan for.
const TokenPrefix = "bl_"

// tokenLen is the length of a token: the prefix and 32 random bytes in
// unpadded base64url.
const tokenLen = len(TokenPrefix) + 43

// APIToken describes a bearer token; the secret itself is never stored.
type APIToken struct {
	ID         string     `json:"id"`
	Employee   string     `json:"employee"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateToken issues an API token for employee (the actor when empty) and
// returns the token, which is shown once, and its id. Only its SHA-256 hash is
// stored. Issuing a token for someone else needs an administrator (or the
// system actor, as the CLI uses).
func (s *Store) CreateToken(ctx context.Context, actor domain.Actor, employee, name string) (token, id string, err error) {
	err = s.run(ctx, actor, func(tx *Tx) error {
		if employee == "" {
			employee = tx.me.ID
		}
		if employee == "" {
			return domain.Invalid("employee", "is required")
		}
		if employee != tx.me.ID {
			if err := tx.requireAdmin(); err != nil {
				return err
			}
		}
		name = strings.TrimSpace(name)
		if len(name) > 200 {
			return domain.Invalid("name", "is longer than 200 characters")
		}
		emp, err := tx.employee(ctx, employee)
		if err != nil {
			return err
		}
		if !emp.Active {
			return domain.Invalid("employee", "employee %s is not active", employee)
		}
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return fmt.Errorf("token entropy: %w", err)
		}
		token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
		id = newID("tok")
		if _, err := tx.Exec(ctx, `INSERT INTO api_tokens (tenant_id, id, employee, name, hash) VALUES ($1,$2,$3,$4,$5)`,
			tx.tenant.ID, id, employee, name, tokenHash(token)); err != nil {
			return fmt.Errorf("save token: %w", err)
		}
		tx.audit("token.create", "token:"+id, nil, map[string]any{"employee": employee, "name": name})
		return nil
	})
	if err != nil {
		return "", "", err
	}
	return token, id, nil
}

// RevokeToken revokes a token. Employees revoke their own; administrators
// anyone's. A token the actor may not manage is reported as not found.
func (s *Store) RevokeToken(ctx context.Context, actor domain.Actor, id string) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		var owner string
		var revoked *time.Time
		err := tx.QueryRow(ctx, `SELECT employee, revoked_at FROM api_tokens WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, tx.tenant.ID, id).Scan(&owner, &revoked)
		if err := notFound(err, "token", id); err != nil {
			return err
		}
		if owner != tx.me.ID && tx.requireAdmin() != nil {
			return domain.Errorf(domain.ENotFound, "no token %q", id)
		}
		if revoked != nil {
			return nil // revoking twice changes nothing
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id); err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		tx.audit("token.revoke", "token:"+id, nil, map[string]any{"employee": owner})
		return nil
	})
}

// ListTokens lists the actor's tokens, newest first, without their secrets.
func (s *Store) ListTokens(ctx context.Context, actor domain.Actor) ([]APIToken, error) {
	var out []APIToken
	err := s.run(ctx, actor, func(tx *Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, employee, name, created_at, last_used_at, revoked_at FROM api_tokens
			WHERE tenant_id = $1 AND employee = $2 ORDER BY created_at DESC, id`, tx.tenant.ID, tx.me.ID)
		if err != nil {
			return fmt.Errorf("list tokens: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIToken, error) {
			var t APIToken
			return t, r.Scan(&t.ID, &t.Employee, &t.Name, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt)
		})
		return err
	})
	return out, err
}

// Authenticate resolves a bearer token to its actor (Via api). It refuses
// malformed, unknown and revoked tokens and tokens of inactive employees with
// one unauthorized error, so callers learn nothing about which it was.
//
// The lookup is by hash across tenants, before any tenant is known, so it
// runs on the pool outside a tenant transaction; the hash is unique.
func (s *Store) Authenticate(ctx context.Context, token string) (domain.Actor, error) {
	refused := domain.Errorf(domain.EUnauthorized, "invalid or revoked API token")
	if len(token) != tokenLen || !strings.HasPrefix(token, TokenPrefix) {
		return domain.Actor{}, refused
	}
	if _, err := base64.RawURLEncoding.DecodeString(token[len(TokenPrefix):]); err != nil {
		return domain.Actor{}, refused
	}
	var tenant, employee, id string
	var lastUsed *time.Time
	err := s.pool.QueryRow(ctx, `SELECT t.tenant_id::text, t.employee, t.id, t.last_used_at FROM api_tokens t
		JOIN employees e ON e.tenant_id = t.tenant_id AND e.id = t.employee
		WHERE t.hash = $1 AND t.revoked_at IS NULL AND e.active`, tokenHash(token)).Scan(&tenant, &employee, &id, &lastUsed)
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Actor{}, refused
	}
	if err != nil {
		return domain.Actor{}, fmt.Errorf("authenticate: %w", err)
	}
	// Bookkeeping, not a domain change: written at most once a minute per
	// token so busy clients do not turn every read into a write.
	if lastUsed == nil || s.Now().Sub(*lastUsed) > time.Minute {
		if _, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = $3 WHERE tenant_id = $1 AND id = $2`, tenant, id, s.Now()); err != nil {
			s.log.WarnContext(ctx, "token last use not recorded", "token", id, "err", err)
		}
	}
	return domain.Actor{TenantID: tenant, EmployeeID: employee, Via: domain.ViaAPI}, nil
}
