package voice

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/banlihq/banli/domain"
)

// DefaultModelDir is where Debian's pocketsphinx-en-us installs the US
// English acoustic model (en-us/) and pronunciation dictionary.
const DefaultModelDir = "/usr/share/pocketsphinx/model/en-us"

// OfflineConfig locates pocketsphinx and its English model.
type OfflineConfig struct {
	// Binary is the recogniser command (default: pocketsphinx_continuous
	// on PATH, from Debian's pocketsphinx package).
	Binary string
	// ModelDir holds the acoustic model en-us/ and cmudict-en-us.dict
	// (default DefaultModelDir).
	ModelDir string
	// Timeout bounds one recognition on top of the audio's own length
	// (default 30 s).
	Timeout time.Duration
	// Parallel is how many recognitions may run at once (default: the
	// number of CPUs); more wait their turn.
	Parallel int
}

// Offline recognises English speech on this machine with pocketsphinx
// (CMU Sphinx) and a language model of office commands built from
// commands_en.txt. It needs no network and no configuration, and is far less
// accurate than Whisper: good enough for short English commands, not for
// Chinese or Cantonese, which it refuses.
type Offline struct {
	bin, hmm, lm, dict string
	timeout            time.Duration
	sem                chan struct{}
}

// NewOffline checks that the recogniser and its model are installed and
// prepares the command language model.
func NewOffline(cfg OfflineConfig) (*Offline, error) {
	if cfg.Binary == "" {
		cfg.Binary = "pocketsphinx_continuous"
	}
	if cfg.ModelDir == "" {
		cfg.ModelDir = DefaultModelDir
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Parallel <= 0 {
		cfg.Parallel = runtime.NumCPU()
	}
	bin, err := exec.LookPath(cfg.Binary)
	if err != nil {
		return nil, fmt.Errorf("offline speech recognition needs %s (apt-get install pocketsphinx pocketsphinx-en-us): %w", cfg.Binary, err)
	}
	hmm := filepath.Join(cfg.ModelDir, "en-us")
	if _, err := os.Stat(filepath.Join(hmm, "mdef")); err != nil {
		return nil, fmt.Errorf("offline speech recognition needs the English acoustic model in %s (apt-get install pocketsphinx-en-us): %w", hmm, err)
	}
	m, err := buildCommandModel(commandsEN, filepath.Join(cfg.ModelDir, "cmudict-en-us.dict"))
	if err != nil {
		return nil, fmt.Errorf("offline speech recognition: %w", err)
	}
	lm, dict, err := m.writeFiles()
	if err != nil {
		return nil, err
	}
	return &Offline{bin: bin, hmm: hmm, lm: lm, dict: dict, timeout: cfg.Timeout, sem: make(chan struct{}, cfg.Parallel)}, nil
}

// String names the recogniser for logs.
func (o *Offline) String() string {
	return "offline pocketsphinx (English commands only; set " + EnvBaseURL + " for Whisper)"
}

// Transcribe recognises English speech in a. A Chinese or Cantonese hint is
// refused with EUnavailable, saying what to configure.
func (o *Offline) Transcribe(ctx context.Context, a Audio, hint Lang) (Transcript, error) {
	if hint != LangAuto && hint != LangEnglish {
		return Transcript{}, domain.Errorf(domain.EUnavailable,
			"the offline speech recogniser understands English only; for Chinese and Cantonese the server needs %s set to a Whisper-compatible server (OpenAI, whisper.cpp server, faster-whisper)", EnvBaseURL)
	}
	if len(a.pcm) == 0 {
		return Transcript{}, fmt.Errorf("voice: offline recogniser given audio that did not pass Check")
	}
	select {
	case o.sem <- struct{}{}:
		defer func() { <-o.sem }()
	case <-ctx.Done():
		return Transcript{}, fmt.Errorf("voice: waiting for the recogniser: %w", ctx.Err())
	}
	f, err := os.CreateTemp("", "banli-voice-*.wav")
	if err != nil {
		return Transcript{}, fmt.Errorf("voice: temporary file: %w", err)
	}
	defer os.Remove(f.Name())
	_, werr := f.Write(wavHeader(len(a.pcm)))
	if werr == nil {
		_, werr = f.Write(a.pcm)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return Transcript{}, fmt.Errorf("voice: temporary file: %w", werr)
	}
	rctx, cancel := context.WithTimeout(ctx, o.timeout+a.Duration)
	defer cancel()
	cmd := exec.CommandContext(rctx, o.bin, "-infile", f.Name(), "-hmm", o.hmm, "-lm", o.lm, "-dict", o.dict)
	cmd.WaitDelay = time.Second
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Transcript{}, fmt.Errorf("voice: recognising: %w", ctx.Err())
		}
		if rctx.Err() != nil {
			return Transcript{}, domain.Errorf(domain.EUnavailable, "the offline speech recogniser did not finish within %s", durString(o.timeout+a.Duration))
		}
		return Transcript{}, fmt.Errorf("voice: %s failed: %w: %s", filepath.Base(o.bin), err, tail(stderr.String(), 400))
	}
	// One line per stretch of speech between pauses.
	text := strings.Join(strings.Fields(out.String()), " ")
	return Transcript{Text: spokenNumbers(text), Lang: LangEnglish}, nil
}

// wavHeader is the 44-byte header of a 16 kHz mono 16-bit PCM WAV file
// holding n bytes of samples.
func wavHeader(n int) []byte {
	h := make([]byte, 44)
	le := binary.LittleEndian
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], uint32(36+n))
	copy(h[8:], "WAVEfmt ")
	le.PutUint32(h[16:], 16)           // fmt chunk size
	le.PutUint16(h[20:], 1)            // PCM
	le.PutUint16(h[22:], 1)            // mono
	le.PutUint32(h[24:], sampleRate)   // sample rate
	le.PutUint32(h[28:], sampleRate*2) // byte rate
	le.PutUint16(h[32:], 2)            // block align
	le.PutUint16(h[34:], 16)           // bits per sample
	copy(h[36:], "data")
	le.PutUint32(h[40:], uint32(n))
	return h
}

// tail returns the last n bytes of s, for error messages.
func tail(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}
