package voice

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
)

// need fails the test when a program the voice package or its tests run is
// missing; scripts/deps.sh installs them all.
func need(t testing.TB, progs ...string) {
	t.Helper()
	for _, p := range progs {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("%s is not installed: run `source scripts/deps.sh && banli_install_debs`", p)
		}
	}
}

// synth is a speech synthesiser and voice for test recordings.
type synth struct{ engine, voice string }

func (s synth) String() string { return s.engine + " " + s.voice }

// speak synthesises text to WAV bytes.
func speak(t testing.TB, s synth, text string) []byte {
	t.Helper()
	need(t, s.engine)
	out := filepath.Join(t.TempDir(), "speech.wav")
	var cmd *exec.Cmd
	switch s.engine {
	case "espeak-ng":
		cmd = exec.Command("espeak-ng", "-v", s.voice, "-w", out, text)
	case "flite":
		cmd = exec.Command("flite", "-voice", s.voice, "-t", text, "-o", out)
	default:
		t.Fatalf("unknown synthesiser %q", s.engine)
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", s, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// encode converts a WAV recording to format f with ffmpeg, with the codec
// and a bit rate a browser or phone would use (ffmpeg's own default for
// mono MP3 at 22 kHz, 32 kbit/s, is below what recorders produce and costs
// pocketsphinx most of its words).
func encode(t testing.TB, wav []byte, f Format, extra ...string) []byte {
	t.Helper()
	need(t, "ffmpeg")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.wav"), filepath.Join(dir, "out."+string(f))
	if err := os.WriteFile(in, wav, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-nostdin", "-v", "error", "-y", "-i", in}
	switch f {
	case FormatOGG, FormatWebM:
		args = append(args, "-c:a", "libopus", "-b:a", "32k")
	case FormatM4A:
		args = append(args, "-c:a", "aac", "-b:a", "64k")
	case FormatMP3:
		args = append(args, "-c:a", "libmp3lame", "-b:a", "64k")
	}
	args = append(append(args, extra...), out)
	if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg to %s: %v: %s", f, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// ffmpegMake runs ffmpeg with args and an output file of the given
// extension, for inputs that are not speech (silence, video, odd codecs).
func ffmpegMake(t testing.TB, ext string, args ...string) []byte {
	t.Helper()
	need(t, "ffmpeg")
	out := filepath.Join(t.TempDir(), "out."+ext)
	args = append(append([]string{"-nostdin", "-v", "error", "-y"}, args...), out)
	if b, err := exec.Command("ffmpeg", args...).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v: %s", args, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// wantCode checks that err is a *domain.Error with code and a message
// containing each of the words.
func wantCode(t testing.TB, err error, code domain.Code, words ...string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *domain.Error with code %s", err, err, code)
	}
	if de.Code != code {
		t.Fatalf("code %s, want %s (%q)", de.Code, code, de.Message)
	}
	for _, w := range words {
		if !strings.Contains(de.Message, w) {
			t.Errorf("message %q lacks %q", de.Message, w)
		}
	}
}

// wordErrors is the word-level edit distance between ref and hyp, and the
// number of reference words: WER = errors / words.
func wordErrors(ref, hyp string) (int, int) {
	r, h := strings.Fields(ref), strings.Fields(hyp)
	prev := make([]int, len(h)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(r); i++ {
		cur := make([]int, len(h)+1)
		cur[0] = i
		for j := 1; j <= len(h); j++ {
			sub := prev[j-1]
			if r[i-1] != h[j-1] {
				sub++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, sub)
		}
		prev = cur
	}
	return prev[len(h)], len(r)
}

// readLines returns the non-comment, non-blank lines of a test data file.
func readLines(t testing.TB, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimSpace(string(l))
		if s != "" && !strings.HasPrefix(s, "#") {
			out = append(out, s)
		}
	}
	return out
}

func mustLookPath(t testing.TB, prog string) string {
	t.Helper()
	need(t, prog)
	p, _ := exec.LookPath(prog)
	return p
}

// linkInto makes prog callable from dir by its base name.
func linkInto(t testing.TB, dir, prog string) {
	t.Helper()
	if err := os.Symlink(prog, filepath.Join(dir, filepath.Base(prog))); err != nil {
		t.Fatal(err)
	}
}
