package progress

import (
	"bytes"
	"strings"
	"testing"
)

func TestBar(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "scan", 4)
	for i := 1; i <= 4; i++ {
		b.Set(i)
	}
	b.Finish()
	out := buf.String()
	if !strings.Contains(out, "4/4") || !strings.Contains(out, "[##############################]") {
		t.Fatalf("unexpected output %q", out)
	}
}
