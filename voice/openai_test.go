package voice

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
)

// whisperRequest is what fakeWhisper read from one multipart request.
type whisperRequest struct {
	auth, filename, model, language, format string
	hasLanguage                             bool
	file                                    []byte
}

// fakeWhisper is an httptest server speaking OpenAI's
// /v1/audio/transcriptions: it parses the real multipart request and
// answers with the JSON (or error) the test scripts, one per call; the last
// answer repeats.
type fakeWhisper struct {
	*httptest.Server
	mu       sync.Mutex
	requests []whisperRequest
	answers  []func(w http.ResponseWriter, r *http.Request)
}

func newFakeWhisper(t *testing.T, answers ...func(w http.ResponseWriter, r *http.Request)) *fakeWhisper {
	f := &fakeWhisper{answers: answers}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeWhisper) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/audio/transcriptions" {
		http.Error(w, `{"error":{"message":"no route"}}`, http.StatusNotFound)
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		http.Error(w, `{"error":{"message":"not multipart"}}`, http.StatusBadRequest)
		return
	}
	req := whisperRequest{
		auth:   r.Header.Get("Authorization"),
		model:  r.FormValue("model"),
		format: r.FormValue("response_format"),
	}
	req.language, req.hasLanguage = r.FormValue("language"), r.MultipartForm.Value["language"] != nil
	if file, hdr, err := r.FormFile("file"); err == nil {
		req.filename = hdr.Filename
		req.file, _ = io.ReadAll(file)
		file.Close()
	}
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, req)
	answer := f.answers[min(n, len(f.answers)-1)]
	f.mu.Unlock()
	answer(w, r)
}

func (f *fakeWhisper) calls() []whisperRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]whisperRequest(nil), f.requests...)
}

// verbose answers as Whisper does with response_format=verbose_json.
func verbose(lang, text string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"task": "transcribe", "language": lang, "duration": 1.8, "text": text,
			"segments": []map[string]any{{"id": 0, "seek": 0, "start": 0.0, "end": 1.8, "text": text,
				"tokens": []int{50364, 1}, "temperature": 0.0, "avg_logprob": -0.2, "compression_ratio": 0.9, "no_speech_prob": 0.01}},
		})
	}
}

// failing answers with an OpenAI error document.
func failing(status int, msg string, header ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error"}})
	}
}

func newWhisperClient(t *testing.T, f *fakeWhisper, cfg OpenAIConfig) *OpenAI {
	t.Helper()
	cfg.BaseURL = f.URL + "/v1/"
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Millisecond
	}
	o, err := NewOpenAI(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func checkedAudio(t *testing.T, f Format) Audio {
	t.Helper()
	a, err := Check(context.Background(), encode(t, speak(t, synth{"espeak-ng", "en-us"}, "book a meeting room tomorrow at three"), f), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestOpenAITranscribe(t *testing.T) {
	a := checkedAudio(t, FormatWebM)
	cases := []struct {
		name     string
		cfg      OpenAIConfig
		hint     Lang
		answer   func(http.ResponseWriter, *http.Request)
		want     Transcript
		wantLang string // language field sent; "-" for none
		format   string
	}{
		{"english detected", OpenAIConfig{APIKey: "sk-test"}, LangAuto, verbose("english", " Book a meeting room tomorrow at 3 p.m."),
			Transcript{"Book a meeting room tomorrow at 3 p.m.", LangEnglish}, "-", "verbose_json"},
		{"cantonese hint", OpenAIConfig{Model: "large-v3"}, LangCantonese, verbose("cantonese", "幫我約阿明聽日三點開會"),
			Transcript{"幫我約阿明聽日三點開會", LangCantonese}, "yue", "verbose_json"},
		{"code as language", OpenAIConfig{}, LangChinese, verbose("zh", "帮我订明天下午三点的会议室"),
			Transcript{"帮我订明天下午三点的会议室", LangChinese}, "zh", "verbose_json"},
		{"json format keeps the hint", OpenAIConfig{ResponseFormat: "json"}, LangEnglish, func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"text":"show my pending approvals"}`)
		}, Transcript{"show my pending approvals", LangEnglish}, "en", "json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeWhisper(t, c.answer)
			got, err := newWhisperClient(t, f, c.cfg).Transcribe(context.Background(), a, c.hint)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
			reqs := f.calls()
			if len(reqs) != 1 {
				t.Fatalf("%d requests", len(reqs))
			}
			r := reqs[0]
			wantModel := c.cfg.Model
			if wantModel == "" {
				wantModel = "whisper-1"
			}
			if r.model != wantModel || r.format != c.format || r.filename != "audio.wav" {
				t.Errorf("model %q format %q file %q", r.model, r.format, r.filename)
			}
			if c.wantLang == "-" && r.hasLanguage || c.wantLang != "-" && r.language != c.wantLang {
				t.Errorf("language %q (sent: %v), want %q", r.language, r.hasLanguage, c.wantLang)
			}
			if wantAuth := "Bearer " + c.cfg.APIKey; c.cfg.APIKey != "" && r.auth != wantAuth {
				t.Errorf("Authorization %q", r.auth)
			}
			// The upload is the checked audio as 16 kHz mono 16-bit WAV.
			if len(r.file) != 44+len(a.pcm) || string(r.file[:4]) != "RIFF" || string(r.file[8:12]) != "WAVE" ||
				binary.LittleEndian.Uint16(r.file[22:]) != 1 || binary.LittleEndian.Uint32(r.file[24:]) != 16000 ||
				binary.LittleEndian.Uint16(r.file[34:]) != 16 || !bytes.Equal(r.file[44:], a.pcm) {
				t.Errorf("uploaded file is not the checked audio as WAV (%d bytes)", len(r.file))
			}
		})
	}
}

func TestOpenAIErrors(t *testing.T) {
	a := checkedAudio(t, FormatOGG)
	ok := verbose("english", "approve it")
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	cases := []struct {
		name    string
		answers []func(http.ResponseWriter, *http.Request)
		cfg     OpenAIConfig
		calls   int
		code    domain.Code // "" for success
		words   []string
	}{
		{"429 then 503 then success", []func(http.ResponseWriter, *http.Request){
			failing(429, "rate limited", "Retry-After", "0"), failing(503, "overloaded"), ok}, OpenAIConfig{}, 3, "", nil},
		{"5xx until retries run out", []func(http.ResponseWriter, *http.Request){failing(500, "boom")}, OpenAIConfig{Retries: 2}, 3,
			domain.EUnavailable, []string{"busy or failing", "HTTP 500 after 3 attempts"}},
		{"bad key is not retried", []func(http.ResponseWriter, *http.Request){failing(401, "Incorrect API key provided")}, OpenAIConfig{APIKey: "wrong"}, 1,
			domain.EUnavailable, []string{"refused the credentials", EnvAPIKey}},
		{"unknown model", []func(http.ResponseWriter, *http.Request){failing(404, "model not found")}, OpenAIConfig{Model: "whisper-9"}, 1,
			domain.EUnavailable, []string{`"whisper-9"`, EnvModel}},
		{"audio rejected", []func(http.ResponseWriter, *http.Request){failing(400, "Invalid file format.")}, OpenAIConfig{}, 1,
			domain.EInvalid, []string{"could not transcribe", "Invalid file format."}},
		{"too slow", []func(http.ResponseWriter, *http.Request){slow}, OpenAIConfig{Timeout: 200 * time.Millisecond}, 1,
			domain.EUnavailable, []string{"did not answer within 0.2 s"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeWhisper(t, c.answers...)
			got, err := newWhisperClient(t, f, c.cfg).Transcribe(context.Background(), a, LangEnglish)
			if n := len(f.calls()); n != c.calls {
				t.Errorf("%d requests, want %d", n, c.calls)
			}
			if c.code == "" {
				if err != nil || got.Text != "approve it" {
					t.Fatalf("got %+v, %v", got, err)
				}
				return
			}
			wantCode(t, err, c.code, c.words...)
		})
	}
}

func TestOpenAIUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	o, err := NewOpenAI(OpenAIConfig{BaseURL: url + "/v1", Retries: 1, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.Transcribe(context.Background(), checkedAudio(t, FormatMP3), LangAuto)
	wantCode(t, err, domain.EUnavailable, "could not be reached", url)
}

// TestServiceWithWhisper runs the service as the API will: an upload in,
// a transcript out, and the failures a person can act on.
func TestServiceWithWhisper(t *testing.T) {
	f := newFakeWhisper(t, verbose("english", "  "), verbose("english", " Approve the expense claim. "))
	svc := &Service{Transcriber: newWhisperClient(t, f, OpenAIConfig{})}
	upload := encode(t, speak(t, synth{"espeak-ng", "en-us"}, "approve the expense claim"), FormatM4A)

	_, err := svc.Transcribe(context.Background(), upload, "en")
	wantCode(t, err, domain.EInvalid, "no speech was recognised")

	tr, err := svc.Transcribe(context.Background(), upload, "en-GB")
	if err != nil || tr.Text != "Approve the expense claim." || tr.Lang != LangEnglish {
		t.Fatalf("got %+v, %v", tr, err)
	}
	_, err = svc.Transcribe(context.Background(), upload, "klingon")
	wantCode(t, err, domain.EInvalid, `"klingon"`)
	_, err = svc.Transcribe(context.Background(), []byte("%PDF-1.7 not audio"), "")
	wantCode(t, err, domain.EUnsupported, "application/pdf")
	if n := len(f.calls()); n != 2 {
		t.Errorf("%d requests reached the server, want 2 (bad hint and bad upload stop before it)", n)
	}
	if s := svc.String(); !strings.Contains(s, "whisper-1 at "+f.URL) {
		t.Errorf("String() = %q", s)
	}
}
