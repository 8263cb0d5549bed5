package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/knowledge"
)

// DocumentBody adds a document given as text.
type DocumentBody struct {
	Title  string   `json:"title" minLength:"1" maxLength:"300"`
	Text   string   `json:"text" minLength:"1" doc:"The document's text (at most 2 MiB)."`
	Format string   `json:"format,omitempty" enum:"text,markdown" default:"text" doc:"markdown: the markup is stripped before indexing."`
	Roles  []string `json:"roles,omitempty" maxItems:"20" doc:"Only employees with one of these roles (and administrators and the author) may read it; empty: everyone."`
}

// DocumentUpload is the multipart form of POST /v1/documents/upload.
type DocumentUpload struct {
	// The declared content type is not trusted: a PDF is recognised by its
	// content, text by being UTF-8, Markdown by its .md name.
	File  huma.FormFile `form:"file" contentType:"text/plain,text/markdown,application/pdf,application/octet-stream" required:"true" doc:"A .txt, .md or .pdf file."`
	Title string        `form:"title" required:"false" maxLength:"300" doc:"Default: a Markdown file's first heading, else the file name without its extension."`
	Roles string        `form:"roles" required:"false" maxLength:"400" doc:"Comma-separated roles that may read it; empty: everyone."`
}

// SearchResults are the passages a search found, best first.
type SearchResults struct {
	Items []domain.Document `json:"items" nullable:"false" doc:"Passages with their citation: kind and id of the source, title, snippet."`
}

type searchParams struct {
	Q     string `query:"q" required:"true" minLength:"1" maxLength:"1000" doc:"What to look for, in any language."`
	Limit int    `query:"limit" minimum:"1" maximum:"20" default:"5"`
}

// knowledgeRoutes registers documents, search and answers.
func (s *server) knowledgeRoutes(a huma.API) {
	tags := []string{"knowledge"}
	register(s, a, huma.Operation{OperationID: "add-document", Method: http.MethodPost, Path: "/v1/documents", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary:     "Add a document to the knowledge base",
		Description: "Administrators and HR add documents. The text is split into passages and indexed in the same transaction; status is ready, or indexing while an embeddings server embeds it (keyword search finds it meanwhile)."},
		func(ctx context.Context, actor domain.Actor, in *struct{ Body DocumentBody }) (*out[domain.DocumentInfo], error) {
			doc := domain.DocumentInput{Title: in.Body.Title, Text: in.Body.Text, MIME: knowledge.MIMEText, Roles: in.Body.Roles}
			if in.Body.Format == "markdown" {
				doc.Text, doc.MIME = knowledge.MarkdownText(doc.Text), knowledge.MIMEMarkdown
			}
			d, err := s.st.AddDocument(ctx, actor, doc)
			if err != nil {
				return nil, err
			}
			return reply(d)
		})
	register(s, a, huma.Operation{OperationID: "upload-document", Method: http.MethodPost, Path: "/v1/documents/upload", Tags: tags, MaxBodyBytes: s.opts.MaxUpload, DefaultStatus: http.StatusCreated,
		Summary:     "Upload a document file (text, Markdown or PDF)",
		Description: "As POST /v1/documents, from a file. A PDF gives its text layer, with OCR for scanned pages. A file that is neither UTF-8 text nor a PDF, or has no text, is refused with 422; one over the upload limit with 413."},
		func(ctx context.Context, actor domain.Actor, in *struct {
			RawBody huma.MultipartFormFiles[DocumentUpload]
		}) (*out[domain.DocumentInfo], error) {
			form := in.RawBody.Data()
			f := form.File
			data, err := readUpload(f, "file", "a document file", s.opts.MaxUpload)
			if err != nil {
				return nil, err
			}
			text, mime, err := s.opts.Documents.Read(ctx, f.Filename, data)
			if err != nil {
				return nil, err
			}
			title := strings.TrimSpace(form.Title)
			if title == "" {
				title = knowledge.Title(f.Filename, data)
			}
			var roles []string
			for _, r := range strings.Split(form.Roles, ",") {
				if r = strings.TrimSpace(r); r != "" {
					roles = append(roles, r)
				}
			}
			d, err := s.st.AddDocument(ctx, actor, domain.DocumentInput{Title: title, Text: text, MIME: mime, Filename: f.Filename, Roles: roles})
			if err != nil {
				return nil, err
			}
			return reply(d)
		})
	register(s, a, huma.Operation{OperationID: "list-documents", Method: http.MethodGet, Path: "/v1/documents", Summary: "List the documents the caller may read", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *PageParams) (*out[Page[domain.DocumentInfo]], error) {
			items, err := s.st.ListDocuments(ctx, actor, in.After, in.limit()+1)
			if err != nil {
				return nil, err
			}
			return reply(pageOf(items, in.limit(), func(d domain.DocumentInfo) string { return d.ID }))
		})
	register(s, a, huma.Operation{OperationID: "get-document", Method: http.MethodGet, Path: "/v1/documents/{id}", Summary: "Get a document with its text and indexing status", Tags: tags},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*out[domain.DocumentInfo], error) {
			d, err := s.st.GetDocument(ctx, actor, in.ID)
			if err != nil {
				return nil, err
			}
			return reply(d)
		})
	register(s, a, huma.Operation{OperationID: "delete-document", Method: http.MethodDelete, Path: "/v1/documents/{id}", Summary: "Delete a document and its passages", Tags: tags, DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, actor domain.Actor, in *IDPath) (*struct{}, error) {
			return &struct{}{}, s.st.DeleteDocument(ctx, actor, in.ID)
		})
	register(s, a, huma.Operation{OperationID: "search-knowledge", Method: http.MethodGet, Path: "/v1/search", Tags: tags,
		Summary:     "Search documents and meetings",
		Description: "Finds passages by meaning and by keyword (Traditional and Simplified Chinese alike) among the documents and meetings the caller may read, and cites each: kind and id of its source, title, snippet."},
		func(ctx context.Context, actor domain.Actor, in *searchParams) (*out[SearchResults], error) {
			docs, err := s.st.SearchDocuments(ctx, actor, in.Q, in.Limit)
			if err != nil {
				return nil, err
			}
			if docs == nil {
				docs = []domain.Document{}
			}
			return reply(SearchResults{Items: docs})
		})
	register(s, a, huma.Operation{OperationID: "answer-knowledge", Method: http.MethodGet, Path: "/v1/answer", Tags: tags,
		Summary:     "Answer a question from documents and meetings",
		Description: "With a model configured, an answer composed from the passages the caller may read, citing them as [n] (passages[n-1]); without one, the passages alone."},
		func(ctx context.Context, actor domain.Actor, in *searchParams) (*out[domain.KnowledgeAnswer], error) {
			ans, err := s.st.AnswerKnowledge(ctx, actor, in.Q, in.Limit)
			if err != nil {
				return nil, err
			}
			return reply(ans)
		})
}
