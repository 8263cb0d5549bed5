package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/agent"
	"github.com/banlihq/banli/api"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/postgres/pgtest"
	"github.com/banlihq/banli/seed"
	"github.com/banlihq/banli/voice"
)

// TestChatLoop drives the terminal chat, in-process and against a server
// over HTTP: a proposal declined is cancelled and changes nothing; one
// accepted executes once.
func TestChatLoop(t *testing.T) {
	ctx := context.Background()
	st, err := postgres.New(pgtest.New(t), postgres.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	fx, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	tid, err := seed.Load(ctx, st, fx, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.FixedZone("HKT", 8*3600))
	st.Now = func() time.Time { return now }
	svc := agent.New(st, agent.Options{Now: func() time.Time { return now }})
	srv := httptest.NewServer(api.New(st, api.Options{Logger: slog.New(slog.DiscardHandler), Agent: svc}))
	defer srv.Close()
	sys := domain.Actor{TenantID: tid, System: true, Via: domain.ViaCLI}
	tok, _, err := st.CreateToken(ctx, sys, "e-103", "test")
	if err != nil {
		t.Fatal(err)
	}
	events := func() int {
		evs, err := st.ListEvents(ctx, domain.Actor{TenantID: tid, EmployeeID: "e-104"}, "e-104", now, now.AddDate(0, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}
	assistants := []struct {
		name string
		a    assistant
	}{
		{"in-process", &localAssistant{svc: svc, actor: domain.Actor{TenantID: tid, EmployeeID: "e-103"}}},
		{"over HTTP", &httpAssistant{base: srv.URL, token: tok, hc: srv.Client()}},
	}
	for i, tt := range assistants {
		t.Run(tt.name, func(t *testing.T) {
			before := events()
			day := 24 + i // a different afternoon for each, so neither conflicts
			script := "Book a meeting with Bonnie on 2026-11-" + strconv.Itoa(day) + " at 3pm for an hour about the Q4 plan\nn\n" +
				"Book a meeting with Bonnie on 2026-11-" + strconv.Itoa(day) + " at 3pm for an hour about the Q4 plan\ny\n/quit\n"
			var out bytes.Buffer
			if err := chatLoop(ctx, tt.a, nil, strings.NewReader(script), &out); err != nil {
				t.Fatal(err)
			}
			got := out.String()
			for _, want := range []string{"confirm \"", "banli> cancelled.", "banli> done: "} {
				if !strings.Contains(got, want) {
					t.Fatalf("transcript lacks %q:\n%s", want, got)
				}
			}
			if n := events(); n != before+1 {
				t.Fatalf("want exactly one new event for Bonnie, got %d (had %d)\n%s", n, before, got)
			}
		})
	}
	t.Run("a spoken first turn", func(t *testing.T) {
		wav := filepath.Join(t.TempDir(), "speech.wav")
		if out, err := exec.Command("flite", "-voice", "slt", "-t", "show my tasks", "-o", wav).CombinedOutput(); err != nil {
			t.Fatalf("flite (scripts/deps.sh installs it): %v %s", err, out)
		}
		audio, err := os.ReadFile(wav)
		if err != nil {
			t.Fatal(err)
		}
		speech, err := voice.FromEnv(func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		local := &localAssistant{svc: svc, voice: speech, actor: domain.Actor{TenantID: tid, EmployeeID: "e-103"}}
		var out bytes.Buffer
		if err := chatLoop(ctx, local, &recording{data: audio, lang: "en"}, strings.NewReader("/quit\n"), &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "you (heard)> ") || !strings.Contains(out.String(), "task") {
			t.Fatalf("transcript of the session:\n%s", out.String())
		}
		// Over HTTP to a server without a recogniser: the server's sentence.
		out.Reset()
		remote := &httpAssistant{base: srv.URL, token: tok, hc: srv.Client()}
		if err := chatLoop(ctx, remote, &recording{data: audio}, strings.NewReader("/quit\n"), &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "banli: speech recognition is not configured") {
			t.Fatalf("want the server's 503 sentence, got:\n%s", out.String())
		}
	})
	t.Run("server errors are plain sentences", func(t *testing.T) {
		var out bytes.Buffer
		bad := &httpAssistant{base: srv.URL, token: "bl_not-a-token", hc: srv.Client()}
		if err := chatLoop(ctx, bad, nil, strings.NewReader("hello\n"), &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "banli: ") || strings.Contains(out.String(), "{") {
			t.Fatalf("want a plain error sentence, got:\n%s", out.String())
		}
	})
}
