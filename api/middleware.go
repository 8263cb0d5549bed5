package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

// reqInfo is what the layers of one request tell each other; handlers reach
// it through the context.
type reqInfo struct {
	id    string
	ip    string
	base  string // scheme://host the client reached, for links in answers
	route string
	actor domain.Actor
	op    *huma.Operation // set once huma picked the operation
}

type infoKey struct{}

func info(ctx context.Context) *reqInfo {
	ri, _ := ctx.Value(infoKey{}).(*reqInfo)
	return ri
}

// actorOf returns the authenticated actor of the request.
func actorOf(ctx context.Context) domain.Actor {
	if ri := info(ctx); ri != nil {
		return ri.actor
	}
	return domain.Actor{}
}

// saneRequestID accepts client request ids that are safe to log and store.
var saneRequestID = regexp.MustCompile(`^[A-Za-z0-9._:-]{8,128}$`)

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand does not fail on supported platforms
	return "req-" + hex.EncodeToString(b[:])
}

// clientIP returns the caller's address, from proxy headers only when trusted.
func (s *server) clientIP(r *http.Request) string {
	if s.opts.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
		if ip := net.ParseIP(strings.TrimSpace(r.Header.Get("X-Real-Ip"))); ip != nil {
			return ip.String()
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// baseURL is the scheme and host the client used; behind a trusted proxy,
// as the proxy reports them.
func (s *server) baseURL(r *http.Request) string {
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if s.opts.TrustProxy {
		if p := r.Header.Get("X-Forwarded-Proto"); p == "https" || p == "http" {
			scheme = p
		}
		if h := r.Header.Get("X-Forwarded-Host"); h != "" {
			host = h
		}
	}
	return scheme + "://" + host
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush sends what was written so far (server-sent events need it).
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// serve is the outermost layer: request id, client IP, route, recovery,
// metrics and the access log; then authentication and idempotency for /v1.
func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ri := &reqInfo{id: r.Header.Get("X-Request-Id"), ip: s.clientIP(r), base: s.baseURL(r)}
	if !saneRequestID.MatchString(ri.id) {
		ri.id = newRequestID()
	}
	w.Header().Set("X-Request-Id", ri.id)
	ctx := context.WithValue(r.Context(), infoKey{}, ri)
	r = r.WithContext(ctx)
	sw := &statusWriter{ResponseWriter: w}

	_, pattern := s.mux.Handler(r)
	ri.route = "unmatched"
	if pattern != "" {
		_, ri.route, _ = strings.Cut(pattern, " ")
		if ri.route == "" {
			ri.route = pattern
		}
	}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.ErrorContext(ctx, "panic serving request", "request_id", ri.id, "panic", p, "stack", string(debug.Stack()))
			if sw.status == 0 {
				s.writeProblem(sw, r, http.StatusInternalServerError, "internal error (request "+ri.id+")")
			}
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		d := time.Since(start)
		s.metrics.observe(r.Method, ri.route, status, d)
		s.log.InfoContext(ctx, "http request", "method", r.Method, "route", ri.route, "path", r.URL.Path, "status", status,
			"bytes", sw.size, "duration_ms", d.Milliseconds(), "request_id", ri.id, "ip", ri.ip,
			"tenant", ri.actor.TenantID, "employee", ri.actor.EmployeeID)
	}()

	if pattern == "" {
		s.unmatched(sw, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/v1/") {
		s.serveV1(sw, r, ri)
		return
	}
	s.mux.ServeHTTP(sw, r)
}

// unmatched answers unknown paths (404) and known paths with the wrong
// method (405) as problem documents, keeping the mux's Allow header.
func (s *server) unmatched(w http.ResponseWriter, r *http.Request) {
	h, _ := s.mux.Handler(r)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	status := rec.Code
	if status != http.StatusMethodNotAllowed {
		status = http.StatusNotFound
	}
	if allow := rec.Header().Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	detail := "no such resource: " + r.URL.Path
	if status == http.StatusMethodNotAllowed {
		detail = r.Method + " is not allowed on " + r.URL.Path
	}
	s.writeProblem(w, r, status, detail)
}

// serveV1 authenticates, bounds the request, and applies idempotency keys.
func (s *server) serveV1(w http.ResponseWriter, r *http.Request, ri *reqInfo) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
	defer cancel()
	r = r.WithContext(ctx)

	token, ok := bearer(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="banli"`)
		s.writeProblem(w, r, http.StatusUnauthorized, "an API token is required: Authorization: Bearer bl_…")
		return
	}
	actor, err := s.st.Authenticate(ctx, token)
	if err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="banli", error="invalid_token"`)
		}
		s.writeError(w, r, err)
		return
	}
	actor.RequestID, actor.IP, actor.Via = ri.id, ri.ip, domain.ViaAPI
	ri.actor = actor

	limit := s.bodyLimit(r, ri)
	if r.ContentLength > limit {
		s.writeProblem(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", limit))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if key := r.Header.Get("Idempotency-Key"); key != "" && r.Method == http.MethodPost {
		s.idempotent(w, r, ri, key)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// bodyLimit is the largest request body accepted: what the operation
// declared (an upload's own limit), MaxBody otherwise.
func (s *server) bodyLimit(r *http.Request, ri *reqInfo) int64 {
	if l, ok := s.limits[r.Method+" "+ri.route]; ok {
		return l
	}
	return s.opts.MaxBody
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// captureWriter passes a response through and keeps a copy for the
// idempotency record (up to a bound; larger responses are not stored).
type captureWriter struct {
	statusWriter
	buf      bytes.Buffer
	overflow bool
}

const maxStoredResponse = 4 << 20

func (w *captureWriter) Write(b []byte) (int, error) {
	if !w.overflow {
		if w.buf.Len()+len(b) > maxStoredResponse {
			w.overflow = true
			w.buf.Reset()
		} else {
			w.buf.Write(b)
		}
	}
	return w.statusWriter.Write(b)
}

// idempotent runs a POST under an Idempotency-Key (see
// postgres.Store.BeginIdempotent for why this is crash safe): a first request
// executes and its response is stored; a retry with the same key and the same
// method, path and body gets the stored response without executing again
// (marked Idempotent-Replayed: true); the same key with another body is 422;
// a duplicate while the first is in flight is 409.
func (s *server) idempotent(w http.ResponseWriter, r *http.Request, ri *reqInfo, key string) {
	if len(key) > 255 {
		s.writeProblem(w, r, http.StatusBadRequest, "Idempotency-Key is longer than 255 characters",
			&huma.ErrorDetail{Location: "header.Idempotency-Key", Message: "is longer than 255 characters"})
		return
	}
	limit := s.bodyLimit(r, ri)
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) || int64(len(body)) > limit {
		s.writeProblem(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", limit))
		return
	}
	if err != nil {
		s.writeProblem(w, r, http.StatusBadRequest, "cannot read the request body")
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.New()
	fmt.Fprintf(h, "%s %s?%s\n%s\n", r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"))
	h.Write(body)
	fp := hex.EncodeToString(h.Sum(nil))

	lease := 2*s.opts.RequestTimeout + 30*time.Second
	res, err := s.st.BeginIdempotent(r.Context(), ri.actor, key, fp, lease)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if res.State == postgres.IdemReplay {
		if res.ContentType != "" {
			w.Header().Set("Content-Type", res.ContentType)
		}
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(res.Status)
		_, _ = w.Write(res.Body)
		return
	}
	cw := &captureWriter{statusWriter: statusWriter{ResponseWriter: w}}
	func() {
		defer func() {
			if p := recover(); p != nil {
				cw.status = http.StatusInternalServerError
				s.finishIdempotent(r.Context(), ri.actor, key, cw)
				panic(p)
			}
		}()
		s.mux.ServeHTTP(cw, r)
	}()
	s.finishIdempotent(r.Context(), ri.actor, key, cw)
}

func (s *server) finishIdempotent(ctx context.Context, actor domain.Actor, key string, cw *captureWriter) {
	status := cw.status
	if status == 0 {
		status = http.StatusOK
	}
	if cw.overflow {
		status = 0 // not storable: end the lease, the audit log decides retries
	}
	// Record even when the client went away: the command may have committed.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s.st.FinishIdempotent(ctx, actor, key, status, cw.Header().Get("Content-Type"), cw.buf.Bytes()); err != nil {
		s.log.ErrorContext(ctx, "idempotent response not recorded", "request_id", actor.RequestID, "err", err)
	}
}
