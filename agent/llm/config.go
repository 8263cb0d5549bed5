package llm

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Config is how to reach an OpenAI-compatible chat completions server and
// how patient to be with it. Zero values take the defaults below.
type Config struct {
	// BaseURL is the API root including /v1, e.g. http://127.0.0.1:11434/v1
	// (Ollama), http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:8080/v1
	// (llama.cpp server) or https://api.openai.com/v1.
	BaseURL string
	// Model is the model name the server knows.
	Model string
	// APIKey is sent as a bearer token when set; local servers need none.
	APIKey string
	// Timeout bounds one HTTP request to the model (default 60s).
	Timeout time.Duration
	// Stream asks for server-sent events, for servers that only stream.
	Stream bool
	// MaxTokens is sent as max_tokens (default 1024); local servers want it.
	MaxTokens int
	// Retries is how often a request is retried after 429, 5xx or a broken
	// connection (0: the default, 3; negative: never).
	Retries int
	// Backoff is the wait before the first retry; it doubles each time
	// (default 500ms). A Retry-After header takes precedence.
	Backoff time.Duration
	// MaxBackoff caps any one wait, Retry-After included (default 20s).
	MaxBackoff time.Duration
	// MaxRounds bounds the model calls of one user turn: read-tool rounds
	// and the repair round (default 6).
	MaxRounds int
	// MaxDataChars bounds one tool result sent to the model (default 16000).
	MaxDataChars int
	// HTTPClient sends the requests (default: a new http.Client).
	HTTPClient openai.HTTPDoer
	// Logger receives fall-backs and retries (default: discarded).
	Logger *slog.Logger
}

// Environment variables read by FromEnv.
const (
	EnvBaseURL = "BANLI_LLM_BASE_URL"
	EnvModel   = "BANLI_LLM_MODEL"
	EnvAPIKey  = "BANLI_LLM_API_KEY"
	EnvTimeout = "BANLI_LLM_TIMEOUT"
	EnvStream  = "BANLI_LLM_STREAM"
)

// ErrNotConfigured is returned by FromEnv when no model endpoint is set.
var ErrNotConfigured = errors.New("no model is configured: set " + EnvBaseURL + " and " + EnvModel)

// FromEnv reads the model configuration from getenv (os.Getenv):
// BANLI_LLM_BASE_URL and BANLI_LLM_MODEL (both needed), BANLI_LLM_API_KEY,
// BANLI_LLM_TIMEOUT (a Go duration such as 45s) and BANLI_LLM_STREAM
// (true/false). It returns ErrNotConfigured when the base URL is unset.
func FromEnv(getenv func(string) string) (Config, error) {
	var c Config
	c.BaseURL = strings.TrimSpace(getenv(EnvBaseURL))
	if c.BaseURL == "" {
		return Config{}, ErrNotConfigured
	}
	c.Model = strings.TrimSpace(getenv(EnvModel))
	if c.Model == "" {
		return Config{}, fmt.Errorf("%s is set but %s is not: name the model to use", EnvBaseURL, EnvModel)
	}
	c.APIKey = strings.TrimSpace(getenv(EnvAPIKey))
	if s := strings.TrimSpace(getenv(EnvTimeout)); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("%s=%q is not a positive duration such as 45s", EnvTimeout, s)
		}
		c.Timeout = d
	}
	if s := strings.TrimSpace(getenv(EnvStream)); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return Config{}, fmt.Errorf("%s=%q is not true or false", EnvStream, s)
		}
		c.Stream = b
	}
	return c, c.check()
}

// check rejects a configuration that cannot work.
func (c Config) check() error {
	if c.BaseURL == "" || c.Model == "" {
		return ErrNotConfigured
	}
	if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
		return fmt.Errorf("%s=%q must be an http:// or https:// URL", EnvBaseURL, c.BaseURL)
	}
	return nil
}

// withDefaults fills zero values.
func (c Config) withDefaults() Config {
	if c.Timeout <= 0 {
		c.Timeout = 60 * time.Second
	}
	if c.MaxTokens <= 0 {
		c.MaxTokens = 1024
	}
	if c.Retries < 0 {
		c.Retries = 0
	} else if c.Retries == 0 {
		c.Retries = 3
	}
	if c.Backoff <= 0 {
		c.Backoff = 500 * time.Millisecond
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 20 * time.Second
	}
	if c.MaxRounds <= 0 {
		c.MaxRounds = 6
	}
	if c.MaxDataChars <= 0 {
		c.MaxDataChars = 16000
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

// String describes the configuration for logs, without the key.
func (c Config) String() string {
	s := fmt.Sprintf("model %s at %s", c.Model, c.BaseURL)
	if c.Stream {
		s += " (streaming)"
	}
	return s
}
