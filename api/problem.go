package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
)

// statusFor maps application error codes to HTTP statuses. It is the one
// place where that mapping lives.
func statusFor(code domain.Code) int {
	switch code {
	case domain.EInvalid:
		return http.StatusUnprocessableEntity
	case domain.ENotFound:
		return http.StatusNotFound
	case domain.EForbidden:
		return http.StatusForbidden
	case domain.EUnauthorized:
		return http.StatusUnauthorized
	case domain.EConflict:
		return http.StatusConflict
	case domain.ETooLarge:
		return http.StatusRequestEntityTooLarge
	case domain.EUnsupported:
		return http.StatusUnsupportedMediaType
	case domain.EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// problemType names a problem kind as a URN, so documents carry no external URL.
func problemType(status int) string {
	var kind string
	switch status {
	case http.StatusBadRequest:
		kind = "bad_request"
	case http.StatusUnauthorized:
		kind = string(domain.EUnauthorized)
	case http.StatusForbidden:
		kind = string(domain.EForbidden)
	case http.StatusNotFound:
		kind = string(domain.ENotFound)
	case http.StatusMethodNotAllowed:
		kind = "method_not_allowed"
	case http.StatusConflict:
		kind = string(domain.EConflict)
	case http.StatusRequestEntityTooLarge:
		kind = "too_large"
	case http.StatusUnsupportedMediaType:
		kind = "unsupported_media_type"
	case http.StatusUnprocessableEntity:
		kind = string(domain.EInvalid)
	case http.StatusRequestTimeout, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		kind = "unavailable"
	default:
		if status >= 500 {
			kind = string(domain.EInternal)
		} else {
			return "about:blank"
		}
	}
	return "urn:banli:problem:" + kind
}

// problem turns a command's error into a problem document. Internal errors
// are logged with the request id and answered without their details.
func (s *server) problem(ctx context.Context, err error) *huma.ErrorModel {
	ri := info(ctx)
	var id string
	if ri != nil {
		id = ri.id
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		return &huma.ErrorModel{Status: http.StatusServiceUnavailable, Title: http.StatusText(http.StatusServiceUnavailable),
			Detail: "the request took too long; if it changed something, retry with the same Idempotency-Key"}
	}
	code := domain.ErrorCode(err)
	status := statusFor(code)
	// An unavailable dependency is told as it is (it says what to
	// configure); any other server error hides its details.
	if status >= 500 && code != domain.EUnavailable {
		s.log.ErrorContext(ctx, "internal error", "request_id", id, "err", err)
		return &huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: "internal error (request " + id + ")"}
	}
	em := &huma.ErrorModel{Status: status, Title: http.StatusText(status), Detail: domain.ErrorMessage(err)}
	var de *domain.Error
	if errors.As(err, &de) {
		for _, f := range de.Fields {
			em.Errors = append(em.Errors, &huma.ErrorDetail{Location: location(ri, f.Field), Message: f.Message, Value: f.Value})
		}
	}
	return em
}

// location qualifies a domain field name as huma does (body.x, query.x,
// path.x), so domain and schema validation errors read alike.
func location(ri *reqInfo, field string) string {
	for _, p := range []string{"body.", "query.", "path.", "header."} {
		if strings.HasPrefix(field, p) {
			return field
		}
	}
	if ri != nil && ri.op != nil {
		for _, p := range ri.op.Parameters {
			if p.Name == field {
				return p.In + "." + field
			}
		}
	}
	return "body." + field
}

// finishProblem is a huma transformer: it completes every problem document
// huma writes (its own validation errors included) with a type and the
// request id as instance, and drops detail lists from server errors.
func (s *server) finishProblem(ctx huma.Context, _ string, v any) (any, error) {
	em, ok := v.(*huma.ErrorModel)
	if !ok {
		return v, nil
	}
	if em.Status == 0 {
		em.Status = http.StatusInternalServerError
	}
	if em.Type == "" {
		em.Type = problemType(em.Status)
	}
	if ri := info(ctx.Context()); ri != nil && em.Instance == "" {
		em.Instance = ri.id
	}
	if em.Status >= 500 {
		if len(em.Errors) > 0 {
			s.log.ErrorContext(ctx.Context(), "server error", "instance", em.Instance, "detail", em.Detail, "errors", em.Errors)
		}
		em.Errors = nil
	}
	return em, nil
}

// writeProblem writes a problem document outside huma (authentication,
// limits, idempotency, unknown routes) in the same shape.
func (s *server) writeProblem(w http.ResponseWriter, r *http.Request, status int, detail string, errs ...*huma.ErrorDetail) {
	em := &huma.ErrorModel{Type: problemType(status), Title: http.StatusText(status), Status: status, Detail: detail, Errors: errs}
	if ri := info(r.Context()); ri != nil {
		em.Instance = ri.id
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(em)
}

// writeError writes err as a problem document outside huma.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	em := s.problem(r.Context(), err)
	s.writeProblem(w, r, em.Status, em.Detail, em.Errors...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
