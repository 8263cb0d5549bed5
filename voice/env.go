package voice

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/banlihq/banli/domain"
)

// Environment variables read by FromEnv.
const (
	EnvBaseURL        = "BANLI_STT_BASE_URL"
	EnvModel          = "BANLI_STT_MODEL"
	EnvAPIKey         = "BANLI_STT_API_KEY"
	EnvTimeout        = "BANLI_STT_TIMEOUT"
	EnvResponseFormat = "BANLI_STT_RESPONSE_FORMAT"
	EnvMaxSeconds     = "BANLI_VOICE_MAX_SECONDS"
)

// FromEnv builds the voice service from getenv (os.Getenv):
//
//   - BANLI_STT_BASE_URL set: the OpenAI-compatible server there, with
//     BANLI_STT_MODEL (default whisper-1), BANLI_STT_API_KEY,
//     BANLI_STT_TIMEOUT (a Go duration, default 60s) and
//     BANLI_STT_RESPONSE_FORMAT (verbose_json or json);
//   - else the offline pocketsphinx recogniser when Debian's pocketsphinx
//     and pocketsphinx-en-us are installed (English only);
//   - else a transcriber that answers every request with an EUnavailable
//     error saying what to configure, so the server still starts.
//
// BANLI_VOICE_MAX_SECONDS changes the duration limit (default 120). An
// error means a variable is set to something unusable.
func FromEnv(getenv func(string) string) (*Service, error) {
	lim := DefaultLimits()
	if s := strings.TrimSpace(getenv(EnvMaxSeconds)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%s=%q is not a positive number of seconds", EnvMaxSeconds, s)
		}
		lim.MaxDuration = time.Duration(n) * time.Second
	}
	base := strings.TrimSpace(getenv(EnvBaseURL))
	if base == "" {
		off, err := NewOffline(OfflineConfig{})
		if err != nil {
			return &Service{Limits: lim, Transcriber: unconfigured{why: err.Error()}}, nil
		}
		return &Service{Limits: lim, Transcriber: off}, nil
	}
	cfg := OpenAIConfig{
		BaseURL:        base,
		Model:          strings.TrimSpace(getenv(EnvModel)),
		APIKey:         strings.TrimSpace(getenv(EnvAPIKey)),
		ResponseFormat: strings.TrimSpace(getenv(EnvResponseFormat)),
	}
	if s := strings.TrimSpace(getenv(EnvTimeout)); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("%s=%q is not a positive duration such as 45s", EnvTimeout, s)
		}
		cfg.Timeout = d
	}
	t, err := NewOpenAI(cfg)
	if err != nil {
		return nil, err
	}
	return &Service{Limits: lim, Transcriber: t}, nil
}

// unconfigured stands in when no recogniser can run here.
type unconfigured struct{ why string }

func (u unconfigured) String() string { return "none (" + u.why + ")" }

func (u unconfigured) Transcribe(_ context.Context, _ Audio, _ Lang) (Transcript, error) {
	return Transcript{}, domain.Errorf(domain.EUnavailable,
		"speech recognition is not set up on this server: set %s (and %s) to an OpenAI-compatible speech server such as Whisper, whisper.cpp server or faster-whisper, or install Debian's pocketsphinx and pocketsphinx-en-us for offline English",
		EnvBaseURL, EnvModel)
}
