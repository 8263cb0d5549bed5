package api_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/knowledge"
	"github.com/banlihq/banli/ocr"
)

// documentForm encodes a document upload: the file and optional fields.
func documentForm(t *testing.T, name string, data []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

// TestKnowledgeOverHTTP adds documents as JSON and as files (Markdown and a
// PDF read through the OCR engine), searches them with citations, and
// checks refusals are problem documents that store nothing.
func TestKnowledgeOverHTTP(t *testing.T) {
	eng, err := ocr.New(ocr.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	reader := knowledge.Reader{PDF: func(ctx context.Context, b []byte) (string, error) {
		r, err := eng.Recognize(ctx, b)
		return r.Text, err
	}}
	e := newEnv(t, envOpts{documents: reader})

	var ready struct {
		VectorBackend string `json:"vector_backend"`
	}
	e.req(http.MethodGet, "/readyz", "", nil).want(t, http.StatusOK).json(t, &ready)
	if ready.VectorBackend != knowledge.BackendExact {
		t.Fatalf("readyz reports %q", ready.VectorBackend)
	}

	body := map[string]any{"title": "出差政策 Travel policy", "format": "markdown",
		"text": "# 出差\n\n**機票**須經部門主管批准，經濟艙為限。\n\nFlights need the department head's approval; economy class only."}
	e.req(http.MethodPost, "/v1/documents", "e-107", body).wantProblem(t, http.StatusForbidden)
	var doc domain.DocumentInfo
	e.req(http.MethodPost, "/v1/documents", "e-111", body, "Idempotency-Key", "doc-1").want(t, http.StatusCreated).json(t, &doc)
	if doc.Status != "ready" || doc.MIME != knowledge.MIMEMarkdown || doc.Chunks == 0 || doc.Embedded != doc.Chunks {
		t.Fatalf("added %+v", doc)
	}
	// A retry with the same key replays the answer and stores nothing new.
	var again domain.DocumentInfo
	e.req(http.MethodPost, "/v1/documents", "e-111", body, "Idempotency-Key", "doc-1").want(t, http.StatusCreated).json(t, &again)
	if again.ID != doc.ID {
		t.Fatalf("replay made %s, first was %s", again.ID, doc.ID)
	}

	p := e.req(http.MethodPost, "/v1/documents", "e-111", map[string]any{"title": "x", "text": "ok", "roles": []string{"not a role"}}).wantProblem(t, http.StatusUnprocessableEntity)
	if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Location, "roles") {
		t.Fatalf("problem %+v", p)
	}
	e.req(http.MethodPost, "/v1/documents", "e-111", map[string]any{"title": "x", "text": ""}).wantProblem(t, http.StatusUnprocessableEntity)

	// Files: Markdown, a PDF (text layer), and things that are not documents.
	md, ct := documentForm(t, "it-handbook.md", []byte("## VPN\n\nConnect through the **company VPN** when working from home.\n遙距工作須使用公司VPN。"), map[string]string{"roles": "employee"})
	var up domain.DocumentInfo
	e.req(http.MethodPost, "/v1/documents/upload", "e-113", md, "Content-Type", ct).want(t, http.StatusCreated).json(t, &up)
	if up.Title != "VPN" || up.Filename != "it-handbook.md" || up.MIME != knowledge.MIMEMarkdown || len(up.Roles) != 1 {
		t.Fatalf("uploaded %+v", up)
	}
	pdf, err := os.ReadFile("../evals/testdata/receipts/r003.pdf") // an invoice with a text layer
	if err != nil {
		t.Fatal(err)
	}
	form, ct := documentForm(t, "invoice.pdf", pdf, map[string]string{"title": "發票樣本 Sample invoice"})
	var pdoc domain.DocumentInfo
	e.req(http.MethodPost, "/v1/documents/upload", "e-113", form, "Content-Type", ct).want(t, http.StatusCreated).json(t, &pdoc)
	if pdoc.MIME != knowledge.MIMEPDF || pdoc.Chunks == 0 {
		t.Fatalf("pdf %+v", pdoc)
	}
	bin, ct := documentForm(t, "photo.jpg", []byte{0xff, 0xd8, 0xff, 0x00, 0x10}, nil)
	p = e.req(http.MethodPost, "/v1/documents/upload", "e-113", bin, "Content-Type", ct).wantProblem(t, http.StatusUnprocessableEntity)
	if len(p.Errors) == 0 || !strings.HasSuffix(p.Errors[0].Location, "file") {
		t.Fatalf("problem %+v", p)
	}

	// Search: citations, visibility, bad input.
	var res struct {
		Items []domain.Document `json:"items"`
	}
	e.req(http.MethodGet, "/v1/search?q="+url.QueryEscape("出差机票要谁批准"), "e-107", nil).want(t, http.StatusOK).json(t, &res)
	if len(res.Items) == 0 || res.Items[0].ID != doc.ID || res.Items[0].Kind != "document" || !strings.Contains(res.Items[0].Snippet, "機票") {
		t.Fatalf("search %+v", res.Items)
	}
	e.req(http.MethodGet, "/v1/search?q="+url.QueryEscape("發票號碼"), "e-107", nil).want(t, http.StatusOK).json(t, &res)
	if len(res.Items) == 0 || res.Items[0].ID != pdoc.ID {
		t.Fatalf("the PDF's text is not found: %+v", res.Items)
	}
	e.req(http.MethodGet, "/v1/search", "e-107", nil).wantProblem(t, http.StatusUnprocessableEntity)

	var ans domain.KnowledgeAnswer
	e.req(http.MethodGet, "/v1/answer?q="+url.QueryEscape("VPN working from home"), "e-107", nil).want(t, http.StatusOK).json(t, &ans)
	if ans.Answer != "" || len(ans.Passages) == 0 || ans.Passages[0].ID != up.ID {
		t.Fatalf("offline answer %+v", ans)
	}

	var page struct {
		Items []domain.DocumentInfo `json:"items"`
	}
	e.req(http.MethodGet, "/v1/documents?limit=200", "e-107", nil).want(t, http.StatusOK).json(t, &page)
	if len(page.Items) < 4 {
		t.Fatalf("list %+v", page.Items)
	}
	var got domain.DocumentInfo
	e.req(http.MethodGet, "/v1/documents/"+doc.ID, "e-107", nil).want(t, http.StatusOK).json(t, &got)
	if !strings.Contains(got.Text, "經濟艙") || strings.Contains(got.Text, "**") {
		t.Fatalf("get %+v", got)
	}
	e.req(http.MethodDelete, "/v1/documents/"+doc.ID, "e-107", nil).wantProblem(t, http.StatusForbidden)
	e.req(http.MethodDelete, "/v1/documents/"+doc.ID, "e-111", nil).want(t, http.StatusNoContent)
	e.req(http.MethodGet, "/v1/documents/"+doc.ID, "e-107", nil).wantProblem(t, http.StatusNotFound)
}
