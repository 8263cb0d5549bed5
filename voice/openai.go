package voice

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/retry"
)

// OpenAIConfig is how to reach an OpenAI-compatible speech server's
// /v1/audio/transcriptions: OpenAI's Whisper, whisper.cpp's server (started
// with --inference-path /v1/audio/transcriptions) or faster-whisper's
// OpenAI-compatible servers. Zero values take the defaults.
type OpenAIConfig struct {
	// BaseURL is the API root including /v1, e.g. http://127.0.0.1:8000/v1.
	BaseURL string
	// Model is the model name the server knows (default whisper-1).
	Model string
	// APIKey is sent as a bearer token when set; local servers need none.
	APIKey string
	// ResponseFormat is verbose_json (default: text and detected language,
	// which Whisper, whisper.cpp and faster-whisper give) or json (text
	// only, for servers that know nothing else).
	ResponseFormat string
	// Timeout bounds one request (default 60 s).
	Timeout time.Duration
	// Retries is how often a request is retried after 429, 5xx or a broken
	// connection (0: the default, 3; negative: never).
	Retries int
	// Backoff is the wait before the first retry, doubling each time
	// (default 500 ms); a Retry-After header takes precedence.
	Backoff time.Duration
	// MaxBackoff caps any one wait (default 20 s).
	MaxBackoff time.Duration
	// HTTPClient sends the requests (default http.DefaultClient; the
	// timeout above applies per request either way).
	HTTPClient *http.Client
}

// OpenAI transcribes through an OpenAI-compatible speech server.
type OpenAI struct {
	cfg    OpenAIConfig
	client *openai.Client
}

// NewOpenAI returns a transcriber for cfg, with defaults filled in.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if !strings.HasPrefix(cfg.BaseURL, "http://") && !strings.HasPrefix(cfg.BaseURL, "https://") {
		return nil, fmt.Errorf("%s=%q must be an http:// or https:// URL such as http://127.0.0.1:8000/v1", EnvBaseURL, cfg.BaseURL)
	}
	if cfg.Model == "" {
		cfg.Model = openai.Whisper1
	}
	switch cfg.ResponseFormat {
	case "":
		cfg.ResponseFormat = string(openai.AudioResponseFormatVerboseJSON)
	case string(openai.AudioResponseFormatVerboseJSON), string(openai.AudioResponseFormatJSON):
	default:
		return nil, fmt.Errorf("%s=%q: use verbose_json or json", EnvResponseFormat, cfg.ResponseFormat)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	if cfg.Retries < 0 {
		cfg.Retries = 0
	} else if cfg.Retries == 0 {
		cfg.Retries = 3
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 500 * time.Millisecond
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 20 * time.Second
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = retry.Doer{Next: hc}
	return &OpenAI{cfg: cfg, client: openai.NewClientWithConfig(oc)}, nil
}

// String names the server for logs, without the key.
func (o *OpenAI) String() string {
	return fmt.Sprintf("%s at %s", o.cfg.Model, o.cfg.BaseURL)
}

// Transcribe sends a to the server as 16 kHz mono WAV, with the language
// hint when there is one. WAV, because every such server reads it (the
// whisper.cpp server reads only WAV unless it was started with --convert)
// and Whisper resamples everything to 16 kHz mono anyway; two minutes of it
// are under 4 MB.
//
// 429, 5xx and broken connections are retried with backoff. Errors carry
// domain codes: EInvalid when the server rejects the audio, EUnavailable
// when it cannot be reached, refuses the key or keeps failing.
func (o *OpenAI) Transcribe(ctx context.Context, a Audio, hint Lang) (Transcript, error) {
	if len(a.pcm) == 0 {
		return Transcript{}, fmt.Errorf("voice: speech server given audio that did not pass Check")
	}
	wav := append(wavHeader(len(a.pcm)), a.pcm...)
	var last error
	for attempt := 0; ; attempt++ {
		actx, after := retry.WithAfter(ctx)
		actx, cancel := context.WithTimeout(actx, o.cfg.Timeout)
		resp, err := o.client.CreateTranscription(actx, openai.AudioRequest{
			Model:    o.cfg.Model,
			FilePath: "audio.wav",
			Reader:   bytes.NewReader(wav),
			Language: string(hint),
			Format:   openai.AudioResponseFormat(o.cfg.ResponseFormat),
		})
		timedOut := actx.Err() != nil
		cancel()
		if err == nil {
			lang := responseLang(resp.Language)
			if lang == LangAuto {
				lang = hint
			}
			return Transcript{Text: strings.TrimSpace(resp.Text), Lang: lang}, nil
		}
		if ctx.Err() != nil {
			return Transcript{}, fmt.Errorf("voice: transcribing: %w", ctx.Err())
		}
		if timedOut {
			return Transcript{}, domain.Errorf(domain.EUnavailable, "the speech server %s did not answer within %s", o.cfg.BaseURL, durString(o.cfg.Timeout))
		}
		last = err
		if !retry.Retryable(err) || attempt >= o.cfg.Retries {
			break
		}
		if err := retry.Sleep(ctx, retry.Backoff(o.cfg.Backoff, o.cfg.MaxBackoff, attempt, after.Value)); err != nil {
			return Transcript{}, fmt.Errorf("voice: transcribing: %w", err)
		}
	}
	return Transcript{}, o.failure(last)
}

// failure turns the last error from the server into a sentence that says
// whose fault it is and what to change.
func (o *OpenAI) failure(err error) error {
	s, msg := retry.Status(err)
	switch {
	case s == http.StatusUnauthorized || s == http.StatusForbidden:
		return domain.Errorf(domain.EUnavailable, "the speech server %s refused the credentials (HTTP %d): check %s", o.cfg.BaseURL, s, EnvAPIKey)
	case s == http.StatusNotFound:
		return domain.Errorf(domain.EUnavailable, "the speech server %s has no /audio/transcriptions or no model %q (HTTP 404): check %s and %s", o.cfg.BaseURL, o.cfg.Model, EnvBaseURL, EnvModel)
	case s == http.StatusTooManyRequests || s >= 500:
		return domain.Errorf(domain.EUnavailable, "the speech server %s is busy or failing (HTTP %d after %d attempts); try again later", o.cfg.BaseURL, s, o.cfg.Retries+1)
	case s >= 400:
		if msg == "" {
			msg = http.StatusText(s)
		}
		return domain.Invalid("audio", "the speech server could not transcribe the recording (HTTP %d: %s)", s, tail(msg, 200))
	}
	return domain.Errorf(domain.EUnavailable, "the speech server %s could not be reached: %v", o.cfg.BaseURL, err)
}

// responseLang reads the language a server reports: Whisper's verbose_json
// gives a name ("english", "chinese", "cantonese"), others a code.
func responseLang(s string) Lang {
	if s == "" {
		return LangAuto
	}
	if l, err := ParseLang(s); err == nil {
		return l
	}
	return Lang(strings.ToLower(strings.TrimSpace(s)))
}
