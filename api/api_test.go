package api_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
)

func TestAuth(t *testing.T) {
	e := newEnv(t, envOpts{})
	revoked := e.token("e-104")
	var me struct {
		Employee struct{ ID string }
		Tenant   struct{ ID string }
	}
	e.req(http.MethodGet, "/v1/me", "e-104", nil).want(t, http.StatusOK).json(t, &me)
	if me.Employee.ID != "e-104" || me.Tenant.ID != e.tid {
		t.Fatalf("me = %+v", me)
	}
	var toks struct{ Items []struct{ ID string } }
	e.req(http.MethodGet, "/v1/tokens", "e-104", nil).want(t, http.StatusOK).json(t, &toks)
	if len(toks.Items) != 1 {
		t.Fatalf("tokens = %+v", toks)
	}
	// Someone else's token is not theirs to revoke, nor to know of.
	e.req(http.MethodDelete, "/v1/tokens/"+toks.Items[0].ID, "e-103", nil).wantProblem(t, http.StatusNotFound)
	e.req(http.MethodDelete, "/v1/tokens/"+toks.Items[0].ID, "e-104", nil).want(t, http.StatusNoContent)

	for _, tc := range []struct{ name, auth string }{
		{"missing", ""},
		{"not bearer", "Basic ZTplOg=="},
		{"malformed", "Bearer nonsense"},
		{"unknown", "Bearer bl_" + strings.Repeat("A", 43)},
		{"revoked", "Bearer " + revoked},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.auth != "" {
				hdr = []string{"Authorization", tc.auth}
			}
			r := e.req(http.MethodGet, "/v1/me", "", nil, hdr...)
			p := r.wantProblem(t, http.StatusUnauthorized)
			if r.header.Get("WWW-Authenticate") == "" || p.Type != "urn:banli:problem:unauthorized" {
				t.Fatalf("401 without challenge or type: %+v", p)
			}
		})
	}

	t.Run("tokens for others need admin", func(t *testing.T) {
		e.req(http.MethodPost, "/v1/tokens", "e-103", map[string]string{"employee": "e-104"}).wantProblem(t, http.StatusForbidden)
		var tok struct{ Token, Employee string }
		e.req(http.MethodPost, "/v1/tokens", "e-101", map[string]string{"employee": "e-104", "name": "ci"}).want(t, http.StatusCreated).json(t, &tok)
		if !strings.HasPrefix(tok.Token, "bl_") || tok.Employee != "e-104" {
			t.Fatalf("token = %+v", tok)
		}
		e.req(http.MethodGet, "/v1/me", "", nil, "Authorization", "Bearer "+tok.Token).want(t, http.StatusOK)
	})

	t.Run("inactive employee", func(t *testing.T) {
		tok := e.token("e-117")
		if _, err := e.st.Pool().Exec(context.Background(), `UPDATE employees SET active = false WHERE id = 'e-117'`); err != nil {
			t.Fatal(err)
		}
		e.req(http.MethodGet, "/v1/me", "", nil, "Authorization", "Bearer "+tok).wantProblem(t, http.StatusUnauthorized)
	})
}

type leaveReq struct {
	ID     string
	Status string
	Days   float64
}

type balances struct {
	Items []struct {
		LeaveType string  `json:"leave_type"`
		Used      float64 `json:"used"`
		Pending   float64 `json:"pending"`
		Available float64 `json:"available"`
	}
}

func TestLeaveApproval(t *testing.T) {
	e := newEnv(t, envOpts{})
	bal := func() (used, pending float64) {
		var b balances
		e.req(http.MethodGet, "/v1/leave-balances?leave_type=annual&year=2026", "e-103", nil).want(t, http.StatusOK).json(t, &b)
		if len(b.Items) != 1 {
			t.Fatalf("balances = %+v", b)
		}
		return b.Items[0].Used, b.Items[0].Pending
	}
	used0, _ := bal()

	var lr leaveReq
	e.req(http.MethodPost, "/v1/leave-requests", "e-103",
		map[string]any{"leave_type": "annual", "start": "2026-12-01", "end": "2026-12-02", "reason": "family"}).
		want(t, http.StatusCreated).json(t, &lr)
	if lr.Status != domain.StatusPending || lr.Days != 2 {
		t.Fatalf("leave request = %+v", lr)
	}
	if _, pending := bal(); pending != 2 {
		t.Fatalf("pending = %v, want 2", pending)
	}

	// RBAC: a peer neither sees nor decides it; the requester cannot approve it.
	e.req(http.MethodGet, "/v1/leave-requests/"+lr.ID, "e-104", nil).wantProblem(t, http.StatusNotFound)
	e.req(http.MethodGet, "/v1/approvals/"+lr.ID, "e-104", nil).wantProblem(t, http.StatusNotFound)
	e.req(http.MethodPost, "/v1/approvals/"+lr.ID+"/approve", "e-104", nil).wantProblem(t, http.StatusNotFound)
	e.req(http.MethodPost, "/v1/approvals/"+lr.ID+"/approve", "e-103", nil).wantProblem(t, http.StatusForbidden)
	e.req(http.MethodPost, "/v1/leave-requests/"+lr.ID+"/cancel", "e-104", nil).wantProblem(t, http.StatusNotFound)

	var pending struct {
		Items []struct {
			RequestID string `json:"request_id"`
		}
	}
	e.req(http.MethodGet, "/v1/approvals/pending", "e-102", nil).want(t, http.StatusOK).json(t, &pending)
	found := false
	for _, p := range pending.Items {
		found = found || p.RequestID == lr.ID
	}
	if !found {
		t.Fatalf("manager's queue lacks %s: %+v", lr.ID, pending)
	}
	var ap struct{ Status string }
	e.req(http.MethodPost, "/v1/approvals/"+lr.ID+"/approve", "e-102", map[string]string{"comment": "enjoy"}).want(t, http.StatusOK).json(t, &ap)
	if ap.Status != domain.StatusApproved {
		t.Fatalf("approval = %+v", ap)
	}
	used, pend := bal()
	if used != used0+2 || pend != 0 {
		t.Fatalf("after approval used %v pending %v, want %v and 0", used, pend, used0+2)
	}
	e.req(http.MethodGet, "/v1/leave-requests/"+lr.ID, "e-103", nil).want(t, http.StatusOK).json(t, &lr)
	if lr.Status != domain.StatusApproved {
		t.Fatalf("leave status %s", lr.Status)
	}
	// Deciding again is a conflict, and changes nothing.
	e.req(http.MethodPost, "/v1/approvals/"+lr.ID+"/reject", "e-102", map[string]string{"reason": "changed my mind"}).wantProblem(t, http.StatusConflict)

	// The audit trail carries the API request's id and the door.
	var audit struct {
		Items []struct {
			Action    string
			Via       string
			RequestID string `json:"request_id"`
			IP        string
		}
	}
	e.req(http.MethodGet, "/v1/audit?subject=leave:"+lr.ID, "e-114", nil).want(t, http.StatusOK).json(t, &audit)
	if len(audit.Items) == 0 || audit.Items[0].Via != "api" || !strings.HasPrefix(audit.Items[0].RequestID, "req-") || audit.Items[0].IP == "" {
		t.Fatalf("audit = %+v", audit)
	}
	e.req(http.MethodGet, "/v1/audit", "e-103", nil).wantProblem(t, http.StatusForbidden)
	var v struct{ OK bool }
	e.req(http.MethodPost, "/v1/audit/verify", "e-114", nil).want(t, http.StatusOK).json(t, &v)
	if !v.OK {
		t.Fatal("audit chain does not verify")
	}
}

func TestProblems(t *testing.T) {
	e := newEnv(t, envOpts{maxBody: 4096})
	for _, tc := range []struct {
		name     string
		method   string
		path     string
		body     any
		hdr      []string
		status   int
		location string
	}{
		{"schema: missing field", "POST", "/v1/leave-requests", map[string]any{"leave_type": "annual", "start": "2026-12-01"}, nil, 422, "body"},
		{"schema: wrong type", "POST", "/v1/leave-requests", map[string]any{"leave_type": 5, "start": "2026-12-01", "end": "2026-12-01"}, nil, 422, "body.leave_type"},
		{"domain: bad leave type", "POST", "/v1/leave-requests", map[string]any{"leave_type": "holiday", "start": "2026-12-01", "end": "2026-12-01"}, nil, 422, "body.leave_type"},
		{"domain: end before start", "POST", "/v1/leave-requests", map[string]any{"leave_type": "annual", "start": "2026-12-03", "end": "2026-12-01"}, nil, 422, "body.end"},
		{"domain: claim item", "POST", "/v1/expense-claims", map[string]any{"items": []map[string]string{{"date": "2026-11-20", "category": "meals", "amount": "-3"}}}, nil, 422, "body.items[0].amount"},
		{"domain: query", "GET", "/v1/leave-requests?from=yesterday", nil, nil, 422, "query.from"},
		{"schema: query limit", "GET", "/v1/leave-requests?limit=100000", nil, nil, 422, "query.limit"},
		{"reject needs reason", "POST", "/v1/approvals/lr-101/reject", nil, nil, 422, "body.reason"},
		{"malformed json", "POST", "/v1/leave-requests", `{"leave_type": "annual",`, nil, 400, ""},
		{"too large", "POST", "/v1/leave-requests", `{"reason": "` + strings.Repeat("x", 5000) + `"}`, nil, 413, ""},
		{"too large with key", "POST", "/v1/leave-requests", `{"reason": "` + strings.Repeat("x", 5000) + `"}`, []string{"Idempotency-Key", "big-1"}, 413, ""},
		{"wrong content type", "POST", "/v1/leave-requests", `leave please`, []string{"Content-Type", "text/plain"}, 415, ""},
		{"unknown id", "GET", "/v1/leave-requests/lr-nope", nil, nil, 404, ""},
		{"unknown claim", "POST", "/v1/expense-claims/ec-nope/submit", nil, nil, 404, ""},
		{"admin only", "PUT", "/v1/resources/room-x", map[string]any{"name": "X", "kind": "room"}, nil, 403, ""},
		{"webhooks admin only", "GET", "/v1/webhooks", nil, nil, 403, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			approver := "e-106" // lr-101 waits for e-105; e-106 is a peer of the requester
			if tc.name == "reject needs reason" {
				approver = "e-105"
			}
			p := e.req(tc.method, tc.path, approver, tc.body, tc.hdr...).wantProblem(t, tc.status)
			if tc.location == "" {
				return
			}
			for _, fe := range p.Errors {
				if fe.Location == tc.location && fe.Message != "" {
					return
				}
			}
			t.Fatalf("no field error at %s: %+v", tc.location, p)
		})
	}

	t.Run("internal details do not leak", func(t *testing.T) {
		p := e.req(http.MethodGet, "/v1/inbox?after=abc", "e-103", nil).wantProblem(t, 422)
		if p.Errors[0].Location != "query.after" {
			t.Fatalf("cursor error = %+v", p)
		}
	})

	t.Run("other tenant", func(t *testing.T) {
		other, err := e.st.CreateTenant(context.Background(), domain.ViaSeed, "other-co", "Other Co", domain.DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		sys := domain.Actor{TenantID: other, System: true, Via: domain.ViaSeed}
		if err := e.st.SaveEmployees(context.Background(), sys, []domain.Employee{{ID: "x-1", Name: "Xavier", Roles: []string{"employee", "hr", "admin"}}}); err != nil {
			t.Fatal(err)
		}
		tok, _, err := e.st.CreateToken(context.Background(), sys, "x-1", "")
		if err != nil {
			t.Fatal(err)
		}
		auth := []string{"Authorization", "Bearer " + tok}
		e.req(http.MethodGet, "/v1/leave-requests/lr-101", "", nil, auth...).wantProblem(t, 404)
		e.req(http.MethodPost, "/v1/leave-requests/lr-101/cancel", "", nil, auth...).wantProblem(t, 404)
		e.req(http.MethodGet, "/v1/expense-claims/ec-101", "", nil, auth...).wantProblem(t, 404)
		var lr leaveReq
		e.req(http.MethodGet, "/v1/leave-requests/lr-101", "e-107", nil).want(t, 200).json(t, &lr)
		if lr.Status != domain.StatusPending {
			t.Fatalf("another tenant changed lr-101: %+v", lr)
		}
	})
}

func TestIdempotency(t *testing.T) {
	e := newEnv(t, envOpts{})
	body := map[string]any{"leave_type": "annual", "start": "2026-12-09", "end": "2026-12-09"}
	first := e.req(http.MethodPost, "/v1/leave-requests", "e-106", body, "Idempotency-Key", "k-1").want(t, http.StatusCreated)
	again := e.req(http.MethodPost, "/v1/leave-requests", "e-106", body, "Idempotency-Key", "k-1").want(t, http.StatusCreated)
	if string(first.body) != string(again.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry was not a replay:\n%s\n%s", first.body, again.body)
	}
	var list struct{ Items []leaveReq }
	e.req(http.MethodGet, "/v1/leave-requests?employee=e-106", "e-106", nil).want(t, http.StatusOK).json(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("%d leave requests after a retried POST, want 1", len(list.Items))
	}

	other := map[string]any{"leave_type": "annual", "start": "2026-12-10", "end": "2026-12-10"}
	p := e.req(http.MethodPost, "/v1/leave-requests", "e-106", other, "Idempotency-Key", "k-1").wantProblem(t, http.StatusUnprocessableEntity)
	if len(p.Errors) == 0 || p.Errors[0].Location != "header.Idempotency-Key" {
		t.Fatalf("reuse problem = %+v", p)
	}
	// Keys belong to their employee: another one may use the same key.
	e.req(http.MethodPost, "/v1/leave-requests", "e-107", other, "Idempotency-Key", "k-1").want(t, http.StatusCreated)

	// Errors are replayed too: the retry does not run the command again.
	bad := map[string]any{"leave_type": "annual", "start": "2026-12-09", "end": "2026-12-09"}
	e.req(http.MethodPost, "/v1/leave-requests", "e-106", bad, "Idempotency-Key", "k-2").wantProblem(t, http.StatusConflict)
	r := e.req(http.MethodPost, "/v1/leave-requests", "e-106", bad, "Idempotency-Key", "k-2")
	r.wantProblem(t, http.StatusConflict)
	if r.header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("error response not replayed")
	}

	t.Run("in flight", func(t *testing.T) {
		// A claim whose lease is live stands for a request still running.
		if _, err := e.st.BeginIdempotent(context.Background(), domain.Actor{TenantID: e.tid, EmployeeID: "e-108", RequestID: "req-elsewhere"}, "k-3", fingerprint(t, e, body), time.Minute); err != nil {
			t.Fatal(err)
		}
		e.req(http.MethodPost, "/v1/leave-requests", "e-108", body, "Idempotency-Key", "k-3").wantProblem(t, http.StatusConflict)
	})

	t.Run("concurrent duplicates", func(t *testing.T) {
		b := map[string]any{"leave_type": "annual", "start": "2026-12-15", "end": "2026-12-15"}
		statuses := make(chan int, 6)
		var wg sync.WaitGroup
		for range 6 {
			wg.Go(func() {
				statuses <- e.req(http.MethodPost, "/v1/leave-requests", "e-112", b, "Idempotency-Key", "k-c").status
			})
		}
		wg.Wait()
		close(statuses)
		for st := range statuses {
			if st != http.StatusCreated && st != http.StatusConflict {
				t.Errorf("duplicate got %d, want 201 or 409", st)
			}
		}
		var l struct{ Items []leaveReq }
		e.req(http.MethodGet, "/v1/leave-requests?employee=e-112", "e-112", nil).want(t, http.StatusOK).json(t, &l)
		if len(l.Items) != 1 {
			t.Fatalf("%d requests from 6 concurrent duplicates, want 1", len(l.Items))
		}
	})

	t.Run("crash before commit", func(t *testing.T) {
		// An expired claim with no audit entry never committed: the retry runs.
		actor := domain.Actor{TenantID: e.tid, EmployeeID: "e-108", RequestID: "req-crashed-before"}
		fp := fingerprint(t, e, body)
		if _, err := e.st.BeginIdempotent(context.Background(), actor, "k-4", fp, time.Millisecond); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
		e.req(http.MethodPost, "/v1/leave-requests", "e-108", body, "Idempotency-Key", "k-4").want(t, http.StatusCreated)
	})

	t.Run("crash after commit", func(t *testing.T) {
		// An expired claim whose request left an audit entry did commit:
		// the retry must not run it again.
		actor := domain.Actor{TenantID: e.tid, EmployeeID: "e-110", RequestID: "req-crashed-after", Via: domain.ViaAPI}
		b := map[string]any{"leave_type": "annual", "start": "2026-12-11", "end": "2026-12-11"}
		if _, err := e.st.BeginIdempotent(context.Background(), actor, "k-5", fingerprint(t, e, b), time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if _, err := e.st.RequestLeave(context.Background(), actor, domain.LeaveInput{LeaveType: "annual", Start: "2026-12-11", End: "2026-12-11"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
		e.req(http.MethodPost, "/v1/leave-requests", "e-110", b, "Idempotency-Key", "k-5").wantProblem(t, http.StatusConflict)
		var l struct{ Items []leaveReq }
		e.req(http.MethodGet, "/v1/leave-requests?employee=e-110", "e-110", nil).want(t, http.StatusOK).json(t, &l)
		if len(l.Items) != 1 {
			t.Fatalf("%d requests, want 1", len(l.Items))
		}
	})
}

// fingerprint mirrors the API's fingerprint of a JSON POST to /v1/leave-requests.
func fingerprint(t *testing.T, _ *env, body any) string {
	t.Helper()
	h := sha256.New()
	fmt.Fprintf(h, "POST /v1/leave-requests?\napplication/json\n")
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func TestPagination(t *testing.T) {
	e := newEnv(t, envOpts{})
	var all []string
	after := ""
	for range 20 {
		var p struct {
			Items []struct{ ID string }
			Next  string
		}
		e.req(http.MethodGet, "/v1/employees?limit=5&after="+after, "e-103", nil).want(t, http.StatusOK).json(t, &p)
		if len(p.Items) > 5 {
			t.Fatalf("page of %d", len(p.Items))
		}
		for _, it := range p.Items {
			all = append(all, it.ID)
		}
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if len(all) != 17 || all[0] != "e-101" || all[16] != "e-117" {
		t.Fatalf("paged employees = %v", all)
	}
	// SQL-paged lists: HR sees all three seeded requests, two a page.
	var p1, p2 struct {
		Items []leaveReq
		Next  string
	}
	e.req(http.MethodGet, "/v1/leave-requests?limit=2", "e-111", nil).want(t, http.StatusOK).json(t, &p1)
	if len(p1.Items) != 2 || p1.Next != p1.Items[1].ID {
		t.Fatalf("page 1 = %+v", p1)
	}
	e.req(http.MethodGet, "/v1/leave-requests?limit=2&after="+p1.Next, "e-111", nil).want(t, http.StatusOK).json(t, &p2)
	if len(p2.Items) != 1 || p2.Next != "" || p2.Items[0].ID <= p1.Next {
		t.Fatalf("page 2 = %+v", p2)
	}
}

func TestExpenseExport(t *testing.T) {
	e := newEnv(t, envOpts{})
	var c struct{ ID, Status string }
	e.req(http.MethodPost, "/v1/expense-claims", "e-107",
		map[string]any{"title": "Taxi", "submit": true, "items": []map[string]string{{"date": "2026-11-20", "category": "transport", "amount": "88.50", "merchant": "=HYPERLINK()"}}}).
		want(t, http.StatusCreated).json(t, &c)
	if c.Status != domain.StatusSubmitted {
		t.Fatalf("claim = %+v", c)
	}
	e.req(http.MethodPost, "/v1/approvals/"+c.ID+"/approve", "e-105", nil).want(t, http.StatusOK)

	r := e.req(http.MethodGet, "/v1/expense-claims/export.csv", "e-110", nil).want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "claim_id,") || !strings.Contains(lines[1], c.ID) || !strings.Contains(lines[1], "'=HYPERLINK()") {
		t.Fatalf("csv = %q", r.body)
	}
	e.req(http.MethodGet, "/v1/expense-claims/export.csv", "e-107", nil).wantProblem(t, http.StatusForbidden)
	e.req(http.MethodPost, "/v1/expense-claims/"+c.ID+"/pay", "e-107", nil).wantProblem(t, http.StatusForbidden)
	var paid struct{ Status string }
	e.req(http.MethodPost, "/v1/expense-claims/"+c.ID+"/pay", "e-110", nil).want(t, http.StatusOK).json(t, &paid)
	if paid.Status != domain.StatusPaid {
		t.Fatalf("paid = %+v", paid)
	}
}

func TestWebhookDelivery(t *testing.T) {
	e := newEnv(t, envOpts{work: true})
	type hit struct {
		sig  string
		body []byte
	}
	hits := make(chan hit, 8)
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hits <- hit{r.Header.Get("X-Banli-Signature"), b}
	}))
	defer recv.Close()

	e.req(http.MethodPost, "/v1/webhooks", "e-103", map[string]any{"url": recv.URL}).wantProblem(t, http.StatusForbidden)
	e.req(http.MethodPost, "/v1/webhooks", "e-101", map[string]any{"url": "ftp://x", "events": []string{"nope"}}).wantProblem(t, http.StatusUnprocessableEntity)
	var wh struct{ ID, Secret string }
	e.req(http.MethodPost, "/v1/webhooks", "e-101", map[string]any{"url": recv.URL, "events": []string{"leave.submitted"}}).
		want(t, http.StatusCreated).json(t, &wh)
	if wh.Secret == "" {
		t.Fatal("no secret shown")
	}
	var list struct{ Items []map[string]any }
	e.req(http.MethodGet, "/v1/webhooks", "e-101", nil).want(t, http.StatusOK).json(t, &list)
	if len(list.Items) != 1 || list.Items[0]["secret"] != nil {
		t.Fatalf("webhook list = %+v (the secret must not be listed)", list)
	}

	e.req(http.MethodPost, "/v1/leave-requests", "e-103", map[string]any{"leave_type": "annual", "start": "2026-12-03", "end": "2026-12-03"}).want(t, http.StatusCreated)
	var h hit
	select {
	case h = <-hits:
	case <-time.After(20 * time.Second):
		t.Fatal("no delivery within 20s")
	}
	var ts int64
	var sig string
	if _, err := fmt.Sscanf(strings.Replace(h.sig, ",v1=", " ", 1), "t=%d %s", &ts, &sig); err != nil {
		t.Fatalf("signature %q: %v", h.sig, err)
	}
	m := hmac.New(sha256.New, []byte(wh.Secret))
	fmt.Fprintf(m, "%d.", ts)
	m.Write(h.body)
	if !hmac.Equal([]byte(sig), []byte(hex.EncodeToString(m.Sum(nil)))) {
		t.Fatalf("signature does not verify: %s", h.sig)
	}
	if !strings.Contains(string(h.body), `"leave.submitted"`) {
		t.Fatalf("payload = %s", h.body)
	}

	deadline := time.Now().Add(10 * time.Second)
	for {
		var d struct {
			Items []struct {
				Status   string
				Attempts int
			}
		}
		e.req(http.MethodGet, "/v1/webhooks/"+wh.ID+"/deliveries", "e-101", nil).want(t, http.StatusOK).json(t, &d)
		if len(d.Items) == 1 && d.Items[0].Status == "delivered" && d.Items[0].Attempts == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries = %+v", d)
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.req(http.MethodGet, "/v1/webhooks/wh-nope/deliveries", "e-101", nil).wantProblem(t, http.StatusNotFound)
}

// TestUploadsHaveTheirOwnBodyLimit: an upload route declares a larger body
// than the JSON routes' limit, and the middleware honours it.
func TestUploadsHaveTheirOwnBodyLimit(t *testing.T) {
	e := newEnv(t, envOpts{maxBody: 4096})
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "notes.txt")
	fw.Write(bytes.Repeat([]byte("not a receipt "), 1000)) // 14 KB, over the 4 KiB JSON limit
	mw.Close()
	r := e.req("POST", "/v1/receipts", "e-103", body.Bytes(), "Content-Type", mw.FormDataContentType())
	if r.status == http.StatusRequestEntityTooLarge {
		t.Fatalf("an upload under its own limit was refused by the JSON limit: %s", r.body)
	}
	e.req("POST", "/v1/leave-requests", "e-103", `{"reason": "`+strings.Repeat("x", 5000)+`"}`).wantProblem(t, http.StatusRequestEntityTooLarge)
}
