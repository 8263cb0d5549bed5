package knowledge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/sashabaranov/go-openai"
)

// OpenAIConfig configures an OpenAI-compatible embeddings server (OpenAI,
// Ollama, vLLM, llama.cpp, LM Studio): BANLI_EMBED_BASE_URL,
// BANLI_EMBED_MODEL, BANLI_EMBED_API_KEY and BANLI_EMBED_DIM.
type OpenAIConfig struct {
	BaseURL string // up to and including /v1
	Model   string
	APIKey  string
	// Dim is the vector length; 0 asks the server once (NewOpenAI embeds a
	// probe text).
	Dim int
	// Batch is how many texts one request carries (default 64).
	Batch int
	// HTTPClient defaults to a client with a 60 s timeout.
	HTTPClient *http.Client
}

// OpenAI embeds through an OpenAI-compatible /v1/embeddings endpoint.
type OpenAI struct {
	client *openai.Client
	model  string
	dim    int
	batch  int
}

// NewOpenAI returns an embedder for cfg. Without cfg.Dim it embeds a probe
// text to learn the dimension, so a server that does not answer is found at
// start-up rather than at the first upload.
func NewOpenAI(ctx context.Context, cfg OpenAIConfig) (*OpenAI, error) {
	if cfg.BaseURL == "" || cfg.Model == "" {
		return nil, errors.New("embeddings: a base URL and a model are needed")
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	oc.HTTPClient = hc
	e := &OpenAI{client: openai.NewClientWithConfig(oc), model: cfg.Model, dim: cfg.Dim, batch: cfg.Batch}
	if e.batch <= 0 {
		e.batch = 64
	}
	if e.dim <= 0 {
		v, err := e.embed(ctx, []string{"dimension probe 維度"})
		if err != nil {
			return nil, fmt.Errorf("embeddings server %s: %w", cfg.BaseURL, err)
		}
		e.dim = len(v[0])
	}
	return e, nil
}

// Model names the server's model and its dimension.
func (e *OpenAI) Model() string { return fmt.Sprintf("openai:%s/%d", e.model, e.dim) }

// Dim returns the vector length.
func (e *OpenAI) Dim() int { return e.dim }

// Local is false: embedding is a network call, done by a job.
func (e *OpenAI) Local() bool { return false }

// Embed embeds texts in batches. Every vector is checked for length and
// normalised, since servers differ in whether they normalise.
func (e *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for i := 0; i < len(texts); i += e.batch {
		vs, err := e.embed(ctx, texts[i:min(i+e.batch, len(texts))])
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if e.dim > 0 && len(v) != e.dim {
				return nil, fmt.Errorf("embeddings: the server returned %d dimensions, expected %d", len(v), e.dim)
			}
		}
		out = append(out, vs...)
	}
	return out, nil
}

func (e *OpenAI) embed(ctx context.Context, texts []string) ([][]float32, error) {
	in := make([]string, len(texts))
	for i, t := range texts {
		// An empty input is an error on some servers; a space embeds as nothing.
		if in[i] = t; strings.TrimSpace(t) == "" {
			in[i] = " "
		}
	}
	resp, err := e.client.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{Input: in, Model: openai.EmbeddingModel(e.model)})
	if err != nil {
		return nil, fmt.Errorf("embeddings: %w", err)
	}
	if len(resp.Data) != len(in) {
		return nil, fmt.Errorf("embeddings: %d vectors for %d texts", len(resp.Data), len(in))
	}
	out := make([][]float32, len(in))
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(out) || out[d.Index] != nil {
			return nil, fmt.Errorf("embeddings: bad or repeated index %d in the answer", d.Index)
		}
		if len(d.Embedding) == 0 {
			return nil, fmt.Errorf("embeddings: empty vector at index %d", d.Index)
		}
		normalize(d.Embedding)
		out[d.Index] = d.Embedding
	}
	return out, nil
}
