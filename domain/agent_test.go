package domain

import (
	"encoding/base32"
	"testing"
	"time"
)

// TestTOTP checks the RFC 6238 appendix B vectors (SHA-1, 8 digits there;
// the last 6 digits here).
func TestTOTP(t *testing.T) {
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("12345678901234567890"))
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"},
	}
	for _, tt := range tests {
		got, err := TOTP(secret, time.Unix(tt.unix, 0))
		if err != nil || got != tt.want {
			t.Errorf("TOTP at %d = %q, %v; want %s", tt.unix, got, err, tt.want)
		}
		if !VerifyTOTP(secret, tt.want, time.Unix(tt.unix+30, 0)) {
			t.Errorf("VerifyTOTP rejects a code one step old at %d", tt.unix)
		}
		if VerifyTOTP(secret, tt.want, time.Unix(tt.unix+120, 0)) {
			t.Errorf("VerifyTOTP accepts a code four steps old at %d", tt.unix)
		}
	}
}
