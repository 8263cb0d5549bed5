// Package api serves banli over HTTP: the /v1 resources as typed huma
// operations (with their OpenAPI 3.1 document), bearer-token authentication,
// idempotency keys, RFC 9457 problem responses, and the operational endpoints
// /healthz, /readyz, /metrics, /openapi.json and an offline /docs page.
//
// Every change goes through a postgres.Store command with the caller as the
// actor; this package only translates HTTP to commands and errors to statuses.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/banlihq/banli/agent"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/knowledge"
	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/voice"
)

// Options configure the HTTP handler. The zero value works.
type Options struct {
	// Logger receives one line per request and the details of internal errors.
	Logger *slog.Logger
	// MaxBody bounds a request body in bytes (default 1 MiB); larger bodies get 413.
	MaxBody int64
	// MaxUpload bounds a file upload (POST /v1/receipts) in bytes (default
	// 21 MiB: the OCR limit of 20 MiB and the multipart framing).
	MaxUpload int64
	// Version is reported in the OpenAPI document and by /healthz.
	Version string
	// RequestTimeout bounds one /v1 request (default 30s). Idempotency leases
	// are derived from it, so a request that outlives it cannot commit after
	// a retry took its key over.
	RequestTimeout time.Duration
	// TrustProxy takes the client IP from X-Forwarded-For (first entry) or
	// X-Real-Ip; set it only behind a proxy that overwrites those headers.
	TrustProxy bool
	// Voice transcribes POST /v1/voice; without it the route answers 503
	// saying what to configure.
	Voice *voice.Service
	// Agent is the assistant behind /v1/chat and the proposal routes; by
	// default one over the store with the built-in planner.
	Agent *agent.Service
	// VectorBackend names the embedding index in use ("pgvector", "exact"),
	// reported by /readyz; by default the store's.
	VectorBackend string
	// Documents reads uploaded document files; without its PDF reader,
	// PDF uploads are refused.
	Documents knowledge.Reader
	// MeetingSummarizer summarises recorded meetings; the built-in offline
	// summariser by default.
	MeetingSummarizer meeting.Summarizer
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBody <= 0 {
		o.MaxBody = 1 << 20
	}
	if o.MaxUpload <= 0 {
		o.MaxUpload = 21 << 20
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
}

// server holds what handlers share; one per New call, nothing global.
type server struct {
	st      *postgres.Store
	opts    Options
	log     *slog.Logger
	metrics *metrics
	mux     *http.ServeMux
	agent   *agent.Service
	// limits holds each operation's body limit by "METHOD /path", written
	// while routes are registered and only read after.
	limits map[string]int64
}

// New returns the HTTP handler serving st.
func New(st *postgres.Store, opts Options) http.Handler {
	opts.defaults()
	if opts.VectorBackend == "" {
		opts.VectorBackend = st.KnowledgeBackend()
	}
	s := &server{st: st, opts: opts, log: opts.Logger, metrics: newMetrics(), mux: http.NewServeMux(), agent: opts.Agent, limits: map[string]int64{}}
	if s.agent == nil {
		s.agent = agent.New(st, agent.Options{})
	}

	cfg := huma.DefaultConfig("banli API", opts.Version)
	// No $schema links in bodies, no schema or CDN docs routes: /docs is ours.
	cfg.CreateHooks = nil
	cfg.SchemasPath = ""
	cfg.DocsPath = ""
	cfg.OpenAPIPath = "/openapi"
	cfg.Formats = map[string]huma.Format{"application/json": huma.DefaultJSONFormat, "json": huma.DefaultJSONFormat}
	cfg.Transformers = []huma.Transformer{s.finishProblem}
	cfg.Info.Description = "banli (辦理) office assistant API. Authenticate with `Authorization: Bearer bl_…`. " +
		"Errors are RFC 9457 problem documents. Every POST honours an `Idempotency-Key` header. " +
		"Lists are paginated with `?after=<next>&limit=N` and answer `{items, next}`."
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", BearerFormat: "bl_<base64url>", Description: "A per-employee API token."},
	}
	a := humago.New(s.mux, cfg)
	a.UseMiddleware(func(ctx huma.Context, next func(huma.Context)) {
		if ri := info(ctx.Context()); ri != nil {
			ri.op = ctx.Operation()
		}
		next(ctx)
	})
	s.routes(a)

	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", s.metrics.handler())
	s.mux.HandleFunc("GET /docs", serveDocs)
	return http.HandlerFunc(s.serve)
}

// routes registers every /v1 operation.
func (s *server) routes(a huma.API) {
	s.meRoutes(a)
	s.directoryRoutes(a)
	s.leaveRoutes(a)
	s.expenseRoutes(a)
	s.approvalRoutes(a)
	s.auditRoutes(a)
	s.inboxRoutes(a)
	s.webhookRoutes(a)
	s.tokenRoutes(a)
	s.taskRoutes(a)
	s.meetingRoutes(a)
	s.knowledgeRoutes(a)
	s.receiptRoutes(a)
	s.chatRoutes(a)
	s.feedRoutes(a)
	s.voiceRoutes(a)
	s.recordingRoutes(a)
}

// errorStatuses lists the statuses documented on every operation.
func errorStatuses() []int {
	return []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
		http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity, http.StatusInternalServerError}
}

// register adds one authenticated operation. The handler gets the request's
// actor; any error it returns is turned into a problem document here, so no
// handler maps errors itself.
func register[I, O any](s *server, a huma.API, op huma.Operation, h func(ctx context.Context, actor domain.Actor, in *I) (*O, error)) {
	// An operation may declare a larger body (an upload); the middleware
	// enforces it before the body is read.
	if op.MaxBodyBytes <= 0 {
		op.MaxBodyBytes = s.opts.MaxBody
	}
	s.limits[op.Method+" "+op.Path] = op.MaxBodyBytes
	op.Security = []map[string][]string{{"bearer": {}}}
	op.Errors = errorStatuses()
	if op.Method == http.MethodPost {
		op.Parameters = append(op.Parameters, &huma.Param{
			Name: "Idempotency-Key", In: "header",
			Description: "Makes the request safe to retry: the first response is stored and replayed for the same key and body.",
			Schema:      &huma.Schema{Type: "string", MaxLength: new(255)},
		})
	}
	huma.Register(a, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, actorOf(ctx), in)
		if err != nil {
			return nil, s.problem(ctx, err)
		}
		return out, nil
	})
}

// out wraps a response body for huma.
type out[T any] struct{ Body T }

func reply[T any](v T) (*out[T], error) { return &out[T]{Body: v}, nil }

// healthz answers while the process runs.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.opts.Version})
}

// Readiness is the /readyz answer.
type Readiness struct {
	Status        string `json:"status"`
	Database      string `json:"database"`
	VectorBackend string `json:"vector_backend"`
}

// readyz answers 200 when the database does, 503 otherwise.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	res := Readiness{Status: "ok", Database: "ok", VectorBackend: s.opts.VectorBackend}
	status := http.StatusOK
	if err := s.st.Pool().Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "readiness: database does not answer", "err", err)
		res.Status, res.Database, status = "unavailable", "unreachable", http.StatusServiceUnavailable
	}
	writeJSON(w, status, res)
}
