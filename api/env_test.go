package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/banlihq/banli/api"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/knowledge"
	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/postgres/pgtest"
	"github.com/banlihq/banli/seed"
)

// env is the real handler over HTTP on a fresh database seeded with the demo
// company, with one token per employee asked for.
type env struct {
	t        *testing.T
	st       *postgres.Store
	srv      *httptest.Server
	tid      string
	tokensMu sync.Mutex // requests may run from several goroutines
	tokens   map[string]string
}

type envOpts struct {
	work    bool // run River (webhook delivery)
	maxBody int64
	// receipts reads receipt uploads (nil: uploads are refused)
	receipts postgres.ReceiptReader
	// documents reads document uploads (without PDF: PDFs are refused)
	documents knowledge.Reader
	// recordings transcribes meeting recordings (nil: uploads are refused);
	// its meeting service is set over the env's store.
	recordings *meeting.Recordings
}

func newEnv(t *testing.T, o envOpts) *env {
	t.Helper()
	pool := pgtest.New(t)
	opts := postgres.Options{Work: o.work, Logger: slog.New(slog.DiscardHandler), Receipts: o.receipts}
	if o.recordings != nil {
		opts.Recordings = o.recordings
	}
	st, err := postgres.New(pool, opts)
	if err != nil {
		t.Fatal(err)
	}
	if o.recordings != nil {
		o.recordings.Meetings = meeting.NewService(st, nil)
	}
	loc, _ := time.LoadLocation("Asia/Hong_Kong")
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, loc)
	st.Now = func() time.Time { return now }
	f, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	tid, err := seed.Load(context.Background(), st, f, "")
	if err != nil {
		t.Fatal(err)
	}
	if o.work {
		ctx, cancel := context.WithCancel(context.Background())
		if err := st.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer scancel()
			_ = st.Stop(sctx)
			cancel()
		})
	}
	h := api.New(st, api.Options{Logger: slog.New(slog.DiscardHandler), MaxBody: o.maxBody, Version: "test", Documents: o.documents})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, srv: srv, tid: tid, tokens: map[string]string{}}
}

// token returns a bearer token for employee, issued as the CLI does.
func (e *env) token(emp string) string {
	e.t.Helper()
	e.tokensMu.Lock()
	defer e.tokensMu.Unlock()
	if tok, ok := e.tokens[emp]; ok {
		return tok
	}
	tok, _, err := e.st.CreateToken(context.Background(), domain.Actor{TenantID: e.tid, System: true, Via: domain.ViaCLI}, emp, "test")
	if err != nil {
		e.t.Fatalf("token for %s: %v", emp, err)
	}
	e.tokens[emp] = tok
	return tok
}

// resp is a decoded response.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// problem is the RFC 9457 shape.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Instance string `json:"instance"`
	Errors   []struct {
		Location string `json:"location"`
		Message  string `json:"message"`
		Value    any    `json:"value"`
	} `json:"errors"`
}

// req sends a request as emp ("" for none); body may be nil, a string or a value to encode.
func (e *env) req(method, path, emp string, body any, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	r, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	if emp != "" {
		r.Header.Set("Authorization", "Bearer "+e.token(emp))
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.srv.Client().Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// want fails unless r has status.
func (r resp) want(t *testing.T, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

// wantProblem checks the problem document shape and returns it.
func (r resp) wantProblem(t *testing.T, status int) problem {
	t.Helper()
	r.want(t, status)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content type %q, want application/problem+json: %s", ct, r.body)
	}
	var p problem
	r.json(t, &p)
	if p.Status != status || p.Title == "" || p.Type == "" || p.Instance == "" {
		t.Fatalf("incomplete problem: %s", r.body)
	}
	if p.Instance != r.header.Get("X-Request-Id") && r.header.Get("Idempotent-Replayed") == "" {
		t.Fatalf("instance %q is not the request id %q", p.Instance, r.header.Get("X-Request-Id"))
	}
	return p
}
