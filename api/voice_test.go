package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/banlihq/banli/api"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/voice"
)

// postVoice sends a recording to POST /v1/voice as emp.
func postVoice(t *testing.T, srv *httptest.Server, token string, audio []byte) (int, []byte) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("audio", "speech.wav")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(audio)
	mw.WriteField("lang", "en")
	mw.Close()
	req, _ := http.NewRequest("POST", srv.URL+"/v1/voice", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// TestVoiceContinuesAsChat speaks a request with flite, sends it to the
// offline recogniser over HTTP, and checks that the transcript and the
// assistant's answer come back, as chat via voice.
func TestVoiceContinuesAsChat(t *testing.T) {
	if _, err := exec.LookPath("flite"); err != nil {
		t.Fatal("flite is not installed: run `source scripts/deps.sh && banli_install_debs`")
	}
	e := newEnv(t, envOpts{})
	speech, err := voice.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(e.st, api.Options{Logger: slog.New(slog.DiscardHandler), Voice: speech}))
	defer srv.Close()
	wav := filepath.Join(t.TempDir(), "speech.wav")
	if out, err := exec.Command("flite", "-voice", "slt", "-t", "show my tasks", "-o", wav).CombinedOutput(); err != nil {
		t.Fatalf("flite: %v %s", err, out)
	}
	audio, err := os.ReadFile(wav)
	if err != nil {
		t.Fatal(err)
	}
	status, body := postVoice(t, srv, e.token("e-103"), audio)
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	var got struct {
		Transcript string `json:"transcript"`
		Reply      struct {
			ConversationID string `json:"conversation_id"`
			Text           string `json:"text"`
			Calls          []struct {
				Tool string `json:"tool"`
			} `json:"calls"`
		} `json:"reply"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(got.Transcript), "task") {
		t.Fatalf("transcript %q", got.Transcript)
	}
	if got.Reply.ConversationID == "" || len(got.Reply.Calls) != 1 || got.Reply.Calls[0].Tool != "list_tasks" {
		t.Fatalf("reply: %s", body)
	}
	// The turn is recorded as arriving by voice.
	entries, err := e.st.ListAudit(context.Background(), domain.Actor{TenantID: e.tid, System: true}, "conversation:"+got.Reply.ConversationID, 10)
	if err != nil || len(entries) == 0 || entries[0].Via != "voice" {
		t.Fatalf("audit of the conversation: %+v %v", entries, err)
	}

	// Not audio, and no recogniser configured: clear problems.
	if status, body := postVoice(t, srv, e.token("e-103"), []byte("this is not audio at all, just text")); status != 415 {
		t.Fatalf("text as audio: %d %s", status, body)
	}
	plain := httptest.NewServer(api.New(e.st, api.Options{Logger: slog.New(slog.DiscardHandler)}))
	defer plain.Close()
	if status, body := postVoice(t, plain, e.token("e-103"), audio); status != 503 || !strings.Contains(string(body), "BANLI_STT_BASE_URL") {
		t.Fatalf("no recogniser: %d %s", status, body)
	}
}
