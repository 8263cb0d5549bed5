package postgres

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// The payload halves audit_append hashes around the seq digits rebuild the
// canonical payload for any seq, whatever the entry's values hold.
func TestSplitPayloadRebuildsCanonical(t *testing.T) {
	at := time.Date(2026, 11, 23, 1, 30, 0, 123456000, time.UTC)
	tests := []struct {
		name string
		e    AuditEntry
	}{
		{"plain", AuditEntry{At: at, Actor: "e-103", Via: "api", Action: "leave.request", Subject: "leave:lr-1", After: json.RawMessage(`{"days":1}`)}},
		{"no before or after", AuditEntry{At: at, Actor: "system", Via: "cli", Action: "tenant.create", Subject: "tenant:x"}},
		{"nested seq and subject keys", AuditEntry{At: at, Actor: "e-1", Via: "api", Action: "x", Subject: "s",
			Before: json.RawMessage(`{"seq":-9223372036854775808,"subject":"a"}`), After: json.RawMessage(`{"x":{"seq":-9223372036854775808,"subject":"b"}}`)}},
		{"quotes in strings", AuditEntry{At: at, Actor: `e-"1"`, Via: "api", Action: `,"seq":-9223372036854775808,"subject":`, Subject: `,"seq":1,"subject":"`,
			RequestID: `,"seq":-9223372036854775808,"subject":`, IP: "::1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pre, post, err := splitPayload("tenant-1", tt.e)
			if err != nil {
				t.Fatal(err)
			}
			for _, seq := range []int64{1, 42, 1 << 40} {
				e := tt.e
				e.Seq = seq
				want, err := canonical("tenant-1", e)
				if err != nil {
					t.Fatal(err)
				}
				got := bytes.Join([][]byte{pre, []byte(strconv.FormatInt(seq, 10)), post}, nil)
				if !bytes.Equal(got, want) {
					t.Fatalf("seq %d:\n got %s\nwant %s", seq, got, want)
				}
			}
		})
	}
}
