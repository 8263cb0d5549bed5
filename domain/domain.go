// Package domain holds banli's entities, the rules that need no storage
// (working-day counts, routing, validation) and the error codes every adapter
// maps in one place. It depends on no other banli package.
package domain

import (
	"errors"
	"fmt"
	"time"
)

// Via says through which door a command arrived; it is written to the audit log.
type Via string

// The doors a command can come through.
const (
	ViaAPI   Via = "api"
	ViaChat  Via = "chat"
	ViaVoice Via = "voice"
	ViaJob   Via = "job"
	ViaCLI   Via = "cli"
	ViaSeed  Via = "seed"
)

// Actor is who performs a command: an employee of a tenant, or the system
// itself (jobs, seeding) when EmployeeID is empty and System is true.
type Actor struct {
	TenantID   string
	EmployeeID string
	System     bool
	Via        Via
	RequestID  string
	IP         string
}

// Role names as stored on employees. "manager" is derived from reports.
const (
	RoleEmployee = "employee"
	RoleHR       = "hr"
	RoleFinance  = "finance"
	RoleCFO      = "cfo"
	RoleAdmin    = "admin"
	RoleAuditor  = "auditor"
)

// ValidRoles lists the roles a directory entry may hold.
var ValidRoles = []string{RoleEmployee, RoleHR, RoleFinance, RoleCFO, RoleAdmin, RoleAuditor}

// Code classifies an error for adapters (HTTP status, CLI message).
type Code string

// Application error codes.
const (
	EInvalid      Code = "invalid"      // bad input
	ENotFound     Code = "not_found"    // no such record visible to the actor
	EForbidden    Code = "forbidden"    // authenticated but not allowed
	EUnauthorized Code = "unauthorized" // not authenticated
	EConflict     Code = "conflict"     // state does not allow it (double booking, already decided)
	ETooLarge     Code = "too_large"    // an uploaded file over a size, pixel or page limit
	EUnsupported  Code = "unsupported"  // an uploaded file of a format that is not read
	EUnavailable  Code = "unavailable"  // a service banli relies on (speech server) is not configured or not answering
	EInternal     Code = "internal"
)

// FieldError names one invalid input field.
type FieldError struct {
	Field   string `json:"location"`
	Message string `json:"message"`
	Value   any    `json:"value,omitempty"`
}

// Error is an application error with a code, a plain message for people and
// optional field-level detail.
type Error struct {
	Code    Code
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EInvalid error for one field.
func Invalid(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: EInvalid, Message: msg, Fields: []FieldError{{Field: field, Message: msg}}}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal otherwise.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the people-facing message of err: the *Error's message,
// or a generic sentence for internal errors so details do not leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// Validator collects field errors so one response lists every problem.
type Validator struct{ fields []FieldError }

// Check records msg for field when ok is false.
func (v *Validator) Check(ok bool, field, msg string) {
	if !ok {
		v.fields = append(v.fields, FieldError{Field: field, Message: msg})
	}
}

// Err returns nil or one EInvalid error listing every failed check.
func (v *Validator) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	msg := v.fields[0].Field + ": " + v.fields[0].Message
	if len(v.fields) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(v.fields)-1)
	}
	return &Error{Code: EInvalid, Message: msg, Fields: v.fields}
}

// DateLayout is the wire form of a date.
const DateLayout = "2006-01-02"

// ParseDate parses YYYY-MM-DD in loc.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(DateLayout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return t, nil
}
