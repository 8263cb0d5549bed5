package api_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestOperations(t *testing.T) {
	e := newEnv(t, envOpts{})

	e.req(http.MethodGet, "/healthz", "", nil).want(t, http.StatusOK)
	var ready struct {
		Status, Database string
		VectorBackend    *string `json:"vector_backend"`
	}
	e.req(http.MethodGet, "/readyz", "", nil).want(t, http.StatusOK).json(t, &ready)
	if ready.Status != "ok" || ready.Database != "ok" || ready.VectorBackend == nil {
		t.Fatalf("readyz = %+v", ready)
	}

	t.Run("openapi", func(t *testing.T) {
		var doc struct {
			OpenAPI string                               `json:"openapi"`
			Paths   map[string]map[string]map[string]any `json:"paths"`
		}
		e.req(http.MethodGet, "/openapi.json", "", nil).want(t, http.StatusOK).json(t, &doc)
		if !strings.HasPrefix(doc.OpenAPI, "3.1") {
			t.Fatalf("openapi version %q", doc.OpenAPI)
		}
		for _, route := range []string{
			"GET /v1/me", "GET /v1/employees", "PUT /v1/employees/{id}", "GET /v1/departments", "PUT /v1/departments/{id}",
			"GET /v1/resources", "PUT /v1/resources/{id}", "GET /v1/settings", "PUT /v1/settings",
			"GET /v1/approval-rules", "POST /v1/approval-rules", "PUT /v1/approval-rules/{id}", "DELETE /v1/approval-rules/{id}",
			"POST /v1/leave-requests", "GET /v1/leave-requests", "GET /v1/leave-requests/{id}",
			"POST /v1/leave-requests/{id}/cancel", "POST /v1/leave-requests/{id}/resubmit", "GET /v1/leave-balances",
			"POST /v1/expense-claims", "GET /v1/expense-claims", "GET /v1/expense-claims/{id}", "POST /v1/expense-claims/{id}/submit",
			"POST /v1/expense-claims/{id}/pay", "GET /v1/expense-claims/export.csv",
			"GET /v1/approvals/pending", "GET /v1/approvals/{request_id}", "POST /v1/approvals/{request_id}/approve",
			"POST /v1/approvals/{request_id}/reject", "POST /v1/approvals/{request_id}/return", "POST /v1/delegations",
			"GET /v1/audit", "POST /v1/audit/verify", "GET /v1/inbox", "POST /v1/inbox/{id}/read",
			"POST /v1/webhooks", "GET /v1/webhooks", "DELETE /v1/webhooks/{id}", "GET /v1/webhooks/{id}/deliveries",
			"POST /v1/tokens", "GET /v1/tokens", "DELETE /v1/tokens/{id}",
			"POST /v1/tasks", "GET /v1/tasks", "GET /v1/tasks/board", "GET /v1/tasks/{id}", "PATCH /v1/tasks/{id}",
			"POST /v1/tasks/{id}/comments", "GET /v1/tasks/{id}/comments", "POST /v1/events", "POST /v1/bookings",
			"GET /v1/events", "GET /v1/free-slots", "GET /v1/events/{id}", "POST /v1/events/{id}/reschedule",
			"POST /v1/events/{id}/cancel", "GET /v1/calendar/{file}",
			"POST /v1/receipts", "GET /v1/receipts", "GET /v1/receipts/{id}", "PATCH /v1/receipts/{id}", "GET /v1/receipts/{id}/file",
		} {
			method, path, _ := strings.Cut(route, " ")
			op, ok := doc.Paths[path][strings.ToLower(method)]
			if !ok {
				t.Errorf("OpenAPI document lacks %s", route)
				continue
			}
			if _, ok := op["security"]; !ok {
				t.Errorf("%s declares no security", route)
			}
		}
	})

	t.Run("docs offline", func(t *testing.T) {
		r := e.req(http.MethodGet, "/docs", "", nil).want(t, http.StatusOK)
		if !strings.Contains(string(r.body), "openapi.json") {
			t.Fatal("docs page does not load the OpenAPI document")
		}
		if u := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`).FindString(string(r.body)); u != "" {
			t.Fatalf("docs page references an external URL: %s", u)
		}
	})

	t.Run("metrics", func(t *testing.T) {
		e.req(http.MethodGet, "/v1/me", "e-103", nil).want(t, http.StatusOK)
		r := e.req(http.MethodGet, "/metrics", "", nil).want(t, http.StatusOK)
		body := string(r.body)
		for _, want := range []string{`banli_http_requests_total{method="GET",route="/v1/me",status="200"} 1`, "banli_http_request_duration_seconds_bucket", "go_goroutines"} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %q", want)
			}
		}
	})

	t.Run("unknown route", func(t *testing.T) {
		e.req(http.MethodGet, "/v1/nothing-here", "e-103", nil).wantProblem(t, http.StatusNotFound)
		e.req(http.MethodDelete, "/v1/me", "e-103", nil).wantProblem(t, http.StatusMethodNotAllowed)
	})

	t.Run("request id", func(t *testing.T) {
		r := e.req(http.MethodGet, "/healthz", "", nil, "X-Request-Id", "client-req-0001")
		if got := r.header.Get("X-Request-Id"); got != "client-req-0001" {
			t.Fatalf("sane request id not honoured: %q", got)
		}
		r = e.req(http.MethodGet, "/healthz", "", nil, "X-Request-Id", "bad id\twith spaces")
		if got := r.header.Get("X-Request-Id"); got == "" || strings.Contains(got, " ") {
			t.Fatalf("insane request id kept: %q", got)
		}
	})
}

func TestTasksAndCalendar(t *testing.T) {
	e := newEnv(t, envOpts{})
	var task struct{ ID, Status, Assignee string }
	e.req(http.MethodPost, "/v1/tasks", "e-102", map[string]any{"title": "Check the van", "assignee": "e-103", "due": "2026-11-27"}).
		want(t, http.StatusCreated).json(t, &task)
	if task.Assignee != "e-103" {
		t.Fatalf("task = %+v", task)
	}
	e.req(http.MethodPatch, "/v1/tasks/"+task.ID, "e-103", map[string]any{"status": "done"}).want(t, http.StatusOK).json(t, &task)
	if task.Status != "done" {
		t.Fatalf("task = %+v", task)
	}
	e.req(http.MethodGet, "/v1/tasks/"+task.ID, "e-116", nil).wantProblem(t, http.StatusNotFound)

	var ev struct{ ID string }
	e.req(http.MethodPost, "/v1/events", "e-103", map[string]any{"title": "Stock take", "start": "2026-11-30T10:00:00+08:00", "end": "2026-11-30T11:00:00+08:00", "attendees": []string{"e-104"}}).
		want(t, http.StatusCreated).json(t, &ev)
	r := e.req(http.MethodGet, "/v1/calendar/e-103.ics", "e-103", nil).want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") || !strings.Contains(string(r.body), "BEGIN:VCALENDAR") {
		t.Fatalf("feed %q: %s", ct, r.body)
	}
	var list struct{ Items []struct{ ID string } }
	e.req(http.MethodGet, "/v1/events?from=2026-11-30&to=2026-12-01", "e-104", nil).want(t, http.StatusOK).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != ev.ID {
		t.Fatalf("events = %+v", list)
	}
}
