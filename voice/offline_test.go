package voice

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
)

func newOffline(t testing.TB) *Offline {
	t.Helper()
	need(t, "pocketsphinx_continuous", "ffmpeg")
	off, err := NewOffline(OfflineConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return off
}

// TestOfflineFormats runs the whole path a spoken request takes with no
// speech server: espeak-ng speaks held-out commands, ffmpeg encodes them
// as each accepted container, and the service checks and transcribes them.
// Synthetic formant speech is hard for pocketsphinx (README.md has the
// figures), so the test asks for most key words, not all.
func TestOfflineFormats(t *testing.T) {
	svc := &Service{Transcriber: newOffline(t)}
	cmds := []struct {
		text string
		keys []string
	}{
		{"please book a meeting room for tomorrow at three", []string{"book", "meeting", "room", "tomorrow", "3"}},
		{"i would like to apply for annual leave next monday", []string{"annual", "leave", "next", "monday"}},
		{"show me my pending approvals", []string{"pending", "approvals"}},
	}
	v := synth{"espeak-ng", "en-us"}
	wavs := make([][]byte, len(cmds))
	for i, c := range cmds {
		wavs[i] = speak(t, v, c.text)
	}
	for _, f := range []Format{FormatWAV, FormatMP3, FormatM4A, FormatOGG, FormatWebM} {
		t.Run(string(f), func(t *testing.T) {
			found, total := 0, 0
			for i, c := range cmds {
				tr, err := svc.Transcribe(context.Background(), encode(t, wavs[i], f), "en")
				if err != nil {
					t.Fatalf("%q: %v", c.text, err)
				}
				if tr.Lang != LangEnglish {
					t.Errorf("lang %q, want en", tr.Lang)
				}
				words := strings.Fields(tr.Text)
				var missed []string
				for _, k := range c.keys {
					if slices.Contains(words, k) {
						found++
					} else {
						missed = append(missed, k)
					}
				}
				total += len(c.keys)
				t.Logf("%s: %q -> %q (missed %v)", f, c.text, tr.Text, missed)
			}
			if recall := float64(found) / float64(total); recall < 0.7 {
				t.Errorf("%s: %d of %d key words recognised (%.0f%%), want at least 70%%", f, found, total, 100*recall)
			}
		})
	}
}

// TestOfflineRefusals: Chinese and Cantonese are refused with what to
// configure; a recording of silence is "no speech", not an empty request.
func TestOfflineRefusals(t *testing.T) {
	svc := &Service{Transcriber: newOffline(t)}
	wav := speak(t, synth{"espeak-ng", "en-us"}, "show me my pending approvals")
	for _, lang := range []string{"zh", "yue", "zh-Hant"} {
		_, err := svc.Transcribe(context.Background(), wav, lang)
		wantCode(t, err, domain.EUnavailable, "English only", EnvBaseURL)
	}
	silence := ffmpegMake(t, "ogg", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "2", "-c:a", "libopus")
	_, err := svc.Transcribe(context.Background(), silence, "en")
	wantCode(t, err, domain.EInvalid, "no speech was recognised in the 2.0 s")
}

// TestOfflineAccuracy measures the word error rate of the offline recogniser
// on the held-out commands in testdata/commands_en.txt, spoken by two
// synthesisers: espeak-ng (formant synthesis, far from a human voice) and
// flite (closer). Numbers are compared as digits on both sides. The floors
// catch a broken model, not a small regression; the figures go in
// README.md: go test ./voice -run TestOfflineAccuracy -v
//
// BANLI_VOICE_GENERAL_LM=1 measures pocketsphinx's general English model
// (en-us.lm.bin, 130,000 words) instead, for comparison; it has no floors.
func TestOfflineAccuracy(t *testing.T) {
	off := newOffline(t)
	general := os.Getenv("BANLI_VOICE_GENERAL_LM") == "1"
	if general {
		off.lm = filepath.Join(DefaultModelDir, "en-us.lm.bin")
		off.dict = filepath.Join(DefaultModelDir, "cmudict-en-us.dict")
	}
	cmds := readLines(t, "testdata/commands_en.txt")
	for _, c := range []struct {
		synth
		maxWER float64
	}{
		{synth{"espeak-ng", "en-us"}, 0.5},
		{synth{"espeak-ng", "en-us+f3"}, 0.5},
		{synth{"flite", "slt"}, 0.15},
		{synth{"flite", "rms"}, 0.15},
	} {
		t.Run(c.String(), func(t *testing.T) {
			errs, words, exact := 0, 0, 0
			for _, cmd := range cmds {
				a, err := Check(context.Background(), speak(t, c.synth, cmd), Limits{})
				if err != nil {
					t.Fatal(err)
				}
				tr, err := off.Transcribe(context.Background(), a, LangEnglish)
				if err != nil {
					t.Fatal(err)
				}
				e, n := wordErrors(spokenNumbers(cmd), tr.Text)
				errs, words = errs+e, words+n
				if e == 0 {
					exact++
				}
				t.Logf("%-55q -> %q", cmd, tr.Text)
			}
			wer := float64(errs) / float64(words)
			t.Logf("%s: WER %.1f%% (%d errors in %d words), %d of %d commands exact", c, 100*wer, errs, words, exact, len(cmds))
			model := "command model"
			if general {
				model = "general model"
			}
			fmt.Printf("offline WER, %s, %-20s %5.1f%%  exact %2d/%d\n", model, c.String(), 100*wer, exact, len(cmds))
			if !general && wer > c.maxWER {
				t.Errorf("WER %.2f above %.2f", wer, c.maxWER)
			}
		})
	}
}

// BenchmarkOffline measures one recognition of a 2.5 s spoken command,
// Check (decoding) included: go test ./voice -run '^$' -bench Offline
func BenchmarkOffline(b *testing.B) {
	svc := &Service{Transcriber: newOffline(b)}
	data := encode(b, speak(b, synth{"espeak-ng", "en-us"}, "please book a meeting room for tomorrow at three"), FormatWebM)
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Transcribe(context.Background(), data, "en"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheck measures checking a 2.5 s WebM/Opus upload (sniffing and
// decoding with ffmpeg): go test ./voice -run '^$' -bench Check
func BenchmarkCheck(b *testing.B) {
	data := encode(b, speak(b, synth{"espeak-ng", "en-us"}, "please book a meeting room for tomorrow at three"), FormatWebM)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Check(context.Background(), data, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestOfflineRecogniserFailures: a recogniser that fails is an internal
// error with its output; one that hangs is stopped at the timeout.
func TestOfflineRecogniserFailures(t *testing.T) {
	need(t, "ffmpeg", "sh")
	a, err := Check(context.Background(), ffmpegMake(t, "wav", "-f", "lavfi", "-i", "sine=f=440:r=16000:d=0.5"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	broken, err := NewOffline(OfflineConfig{Binary: script("broken", "echo 'ERROR: cannot open model' >&2; exit 3")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = broken.Transcribe(context.Background(), a, LangEnglish)
	if err == nil || domain.ErrorCode(err) != domain.EInternal || !strings.Contains(err.Error(), "cannot open model") {
		t.Errorf("broken recogniser: %v", err)
	}
	hung, err := NewOffline(OfflineConfig{Binary: script("hung", "exec sleep 30"), Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = hung.Transcribe(context.Background(), a, LangEnglish)
	wantCode(t, err, domain.EUnavailable, "did not finish within 0.6 s")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopped after %s", d)
	}
}
