package scan_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/scan"
)

func TestRefusal(t *testing.T) {
	tests := []struct {
		err  error
		code domain.Code
		text string
	}{
		{fmt.Errorf("ocr: png of 9x9 pixels exceeds the limit of 1: %w", ocr.ErrTooLarge), domain.ETooLarge, "too large: png of 9x9 pixels exceeds the limit of 1"},
		{fmt.Errorf("ocr: content is not a known image or PDF: %w", ocr.ErrUnsupported), domain.EUnsupported, "not a supported receipt format"},
		{fmt.Errorf("ocr: decoding jpeg: unexpected EOF: %w", ocr.ErrCorrupt), domain.EInvalid, "damaged and cannot be read: decoding jpeg: unexpected EOF"},
		{fmt.Errorf("ocr: %w", ocr.ErrClosed), domain.EInternal, ""},
		{context.DeadlineExceeded, domain.EInternal, ""},
	}
	for _, tt := range tests {
		err := scan.Refusal(tt.err)
		if got := domain.ErrorCode(err); got != tt.code {
			t.Errorf("%v: code %s, want %s", tt.err, got, tt.code)
		}
		if tt.code == domain.EInternal {
			if !errors.Is(err, tt.err) {
				t.Errorf("%v: not wrapped: %v", tt.err, err)
			}
			continue
		}
		msg := domain.ErrorMessage(err)
		if !strings.Contains(msg, tt.text) || strings.HasSuffix(msg, ": "+errors.Unwrap(tt.err).Error()) {
			t.Errorf("message %q, want it to contain %q without the sentinel's words", msg, tt.text)
		}
	}
}
