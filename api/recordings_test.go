package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/voice"
)

// TestMeetingFromRecording uploads a spoken meeting (flite, several
// sentences) and follows the job: transcribed window by window by the
// offline recogniser, then recorded as a meeting the participants can read.
func TestMeetingFromRecording(t *testing.T) {
	for _, p := range []string{"flite", "ffmpeg"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("%s is not installed: run `source scripts/deps.sh && banli_install_debs`", p)
		}
	}
	speech, err := voice.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, envOpts{work: true, recordings: &meeting.Recordings{Speech: speech}})
	dir := t.TempDir()
	// Two utterances, joined with 35 s of silence between them so that the
	// recording spans more than one window.
	var parts []string
	for i, text := range []string{"show my tasks", "book a meeting room tomorrow at three"} {
		f := filepath.Join(dir, "part"+string(rune('a'+i))+".wav")
		if out, err := exec.Command("flite", "-voice", "slt", "-t", text, "-o", f).CombinedOutput(); err != nil {
			t.Fatalf("flite: %v %s", err, out)
		}
		parts = append(parts, f)
	}
	rec := filepath.Join(dir, "meeting.m4a")
	cmd := exec.Command("ffmpeg", "-nostdin", "-loglevel", "error", "-i", parts[0], "-f", "lavfi", "-t", "35", "-i", "anullsrc=r=16000:cl=mono", "-i", parts[1],
		"-filter_complex", "[0:a]aresample=16000[a];[2:a]aresample=16000[c];[a][1:a][c]concat=n=3:v=0:a=1", "-c:a", "aac", "-b:a", "96k", rec)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	audio, err := os.ReadFile(rec)
	if err != nil {
		t.Fatal(err)
	}

	upload := func(fields map[string]string, audio []byte) (int, []byte) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("audio", "meeting.m4a")
		fw.Write(audio)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/v1/meetings/recordings", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+e.token("e-102"))
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	fields := map[string]string{"title": "Ops stand-up", "date": "2026-11-23", "participants": "e-103, e-104", "lang": "en"}
	status, body := upload(fields, audio)
	if status != http.StatusAccepted {
		t.Fatalf("upload: %d %s", status, body)
	}
	var r struct {
		ID        string `json:"id"`
		Status    string `json:"status"`
		Error     string `json:"error"`
		MeetingID string `json:"meeting_id"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for r.Status != "done" {
		if r.Status == "failed" || time.Now().After(deadline) {
			t.Fatalf("recording %s: %s %s", r.ID, r.Status, r.Error)
		}
		time.Sleep(300 * time.Millisecond)
		e.req("GET", "/v1/meetings/recordings/"+r.ID, "e-102", nil).want(t, 200).json(t, &r)
	}
	var m struct {
		Title        string   `json:"title"`
		Transcript   string   `json:"transcript"`
		Participants []string `json:"participants"`
	}
	e.req("GET", "/v1/meetings/"+r.MeetingID, "e-103", nil).want(t, 200).json(t, &m)
	t.Logf("transcript from the recording: %q", m.Transcript)
	low := strings.ToLower(m.Transcript)
	if m.Title != "Ops stand-up" || !strings.Contains(low, "task") || !strings.Contains(low, "room") {
		t.Fatalf("meeting from the recording: %+v", m)
	}
	// Another employee cannot see the recording; bad uploads change nothing.
	e.req("GET", "/v1/meetings/recordings/"+r.ID, "e-107", nil).wantProblem(t, 404)
	if status, body := upload(fields, []byte("not audio at all")); status != http.StatusUnsupportedMediaType {
		t.Fatalf("text as a recording: %d %s", status, body)
	}
	bad := map[string]string{"title": "x", "date": "23/11/2026"}
	if status, body := upload(bad, audio); status != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: %d %s", status, body)
	}
}
