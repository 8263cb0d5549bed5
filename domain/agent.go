package domain

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 6238 TOTP is defined over HMAC-SHA1
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Proposal statuses.
const (
	ProposalPending    = "pending"
	ProposalConfirmed  = "confirmed" // claimed for execution
	ProposalExecuted   = "executed"
	ProposalCancelled  = "cancelled"
	ProposalExpired    = "expired"
	ProposalSuperseded = "superseded"
	ProposalFailed     = "failed"
)

// ProposalTTL is how long a proposal waits for its confirmation.
const ProposalTTL = 10 * time.Minute

// Proposal is a mutating tool call waiting for its actor's confirmation,
// bound to the digest of its canonical arguments.
type Proposal struct {
	ID           string          `json:"id"`
	Actor        string          `json:"actor"`
	Conversation string          `json:"conversation"`
	Tool         string          `json:"tool"`
	Args         json.RawMessage `json:"args"`
	Digest       string          `json:"digest"`
	Preview      string          `json:"preview"`
	Risk         string          `json:"risk"`
	Status       string          `json:"status"`
	ExpiresAt    time.Time       `json:"expires_at"`
	Result       json.RawMessage `json:"result,omitempty"`
	Error        string          `json:"error,omitempty"`
	CreatedAt    time.Time       `json:"created_at"`
	ExecutedAt   *time.Time      `json:"executed_at,omitempty"`
}

// ProposalInput is a proposal to record.
type ProposalInput struct {
	Tool    string          `json:"tool"`
	Args    json.RawMessage `json:"args"`
	Digest  string          `json:"digest"`
	Preview string          `json:"preview"`
	Risk    string          `json:"risk"`
}

// Conversation is a chat's carry-over: the planner's state between turns.
type Conversation struct {
	ID    string          `json:"id"`
	Actor string          `json:"actor"`
	State json.RawMessage `json:"state"`
	Lang  string          `json:"lang"`
}

// Turn is one exchange to record in a conversation.
type Turn struct {
	User      string          `json:"user"`
	Reply     string          `json:"reply"`
	Lang      string          `json:"lang"`
	State     json.RawMessage `json:"state"`
	Data      json.RawMessage `json:"data,omitempty"`
	Proposals []ProposalInput `json:"proposals,omitempty"`
}

// NewTOTPSecret returns a random base32 secret for RFC 6238 codes.
func NewTOTPSecret() (string, error) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]), nil
}

// TOTP returns the 6-digit RFC 6238 code (30-second steps, HMAC-SHA1) of
// secret at t.
func TOTP(secret string, t time.Time) (string, error) {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return "", fmt.Errorf("totp secret: %w", err)
	}
	return hotp(key, uint64(t.Unix()/30)), nil
}

func hotp(key []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", code%1_000_000)
}

// VerifyTOTP checks a code at t, accepting one step of clock drift either way.
func VerifyTOTP(secret, code string, t time.Time) bool {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil || len(code) != 6 {
		return false
	}
	step := uint64(t.Unix() / 30)
	for _, c := range []uint64{step - 1, step, step + 1} {
		if subtle.ConstantTimeCompare([]byte(hotp(key, c)), []byte(code)) == 1 {
			return true
		}
	}
	return false
}
