package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/knowledge"
	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/progress"
	"github.com/banlihq/banli/scan"
)

// knowledgeFromEnv builds knowledge search from the environment: the
// embedder (BANLI_EMBED_BASE_URL, BANLI_EMBED_MODEL, BANLI_EMBED_API_KEY,
// BANLI_EMBED_DIM; the offline hashed embedder when unset), the index
// (knowledge.Open: pgvector when the extension can be had, else the exact
// scan; BANLI_VECTOR_BACKEND=exact|pgvector forces one) and the answerer
// (the BANLI_LLM_* model, when set). It returns a line for the log.
func knowledgeFromEnv(ctx context.Context, getenv func(string) string, pool *pgxpool.Pool) (postgres.KnowledgeOptions, string, error) {
	var ko postgres.KnowledgeOptions
	if base := getenv("BANLI_EMBED_BASE_URL"); base != "" {
		dim := 0
		if d := getenv("BANLI_EMBED_DIM"); d != "" {
			var err error
			if dim, err = strconv.Atoi(d); err != nil || dim <= 0 {
				return ko, "", fmt.Errorf("BANLI_EMBED_DIM=%q is not a positive number", d)
			}
		}
		model := getenv("BANLI_EMBED_MODEL")
		if model == "" {
			return ko, "", errors.New("BANLI_EMBED_BASE_URL is set but BANLI_EMBED_MODEL is not")
		}
		emb, err := knowledge.NewOpenAI(ctx, knowledge.OpenAIConfig{BaseURL: base, Model: model, APIKey: getenv("BANLI_EMBED_API_KEY"), Dim: dim})
		if err != nil {
			return ko, "", err
		}
		ko.Embedder = emb
	} else {
		ko.Embedder = knowledge.NewHashed(0)
	}
	idx, reason, err := knowledge.Open(ctx, pool, knowledge.Options{Model: ko.Embedder.Model(), Dim: ko.Embedder.Dim(), Backend: getenv("BANLI_VECTOR_BACKEND")})
	if err != nil {
		return ko, "", err
	}
	ko.Index = idx
	desc := fmt.Sprintf("embedder %s, index %s", ko.Embedder.Model(), reason)
	if base, model := getenv("BANLI_LLM_BASE_URL"), getenv("BANLI_LLM_MODEL"); base != "" && model != "" {
		ans, err := knowledge.NewChatAnswerer(knowledge.ChatConfig{BaseURL: base, Model: model, APIKey: getenv("BANLI_LLM_API_KEY")})
		if err != nil {
			return ko, "", err
		}
		ko.Answerer = ans
		desc += ", answers by " + model
	}
	return ko, desc, nil
}

// pdfText reads uploaded PDFs with an OCR engine of one worker (the text
// layer, OCR for scanned pages), started on the first PDF since Tesseract's
// models take memory, and closed by close.
type pdfText struct {
	mu  sync.Mutex
	eng *ocr.Engine
	err error
}

func (p *pdfText) read(ctx context.Context, data []byte) (string, error) {
	p.mu.Lock()
	if p.eng == nil && p.err == nil {
		p.eng, p.err = ocr.New(ocr.Config{Workers: 1})
	}
	eng, err := p.eng, p.err
	p.mu.Unlock()
	if err != nil {
		return "", fmt.Errorf("PDF documents cannot be read here (tesseract-ocr and poppler-utils are needed): %w", err)
	}
	r, err := eng.Recognize(ctx, data)
	if err != nil {
		return "", scan.Refusal(err)
	}
	return r.Text, nil
}

func (p *pdfText) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.eng != nil {
		_ = p.eng.Close()
	}
}

const docsUsage = `usage:
  banli docs add    [--tenant SLUG] [--roles a,b] [--title T] FILE...   add .txt, .md or .pdf files
  banli docs search [--tenant SLUG] [--as EMPLOYEE] [--limit N] QUERY   search documents and meetings
  banli docs list   [--tenant SLUG]                                     list documents`

func cmdDocs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(docsUsage)
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("docs " + sub)
	slug := fs.String("tenant", "", "company slug (default: the only one)")
	var roles, title, as *string
	var limit *int
	switch sub {
	case "add":
		roles = fs.String("roles", "", "comma-separated roles that may read the documents (default: everyone)")
		title = fs.String("title", "", "title (one file only; default: a Markdown file's first heading, else the file name)")
	case "search":
		as = fs.String("as", "", "search as this employee, seeing what they may read (default: everything)")
		limit = fs.Int("limit", 5, "number of passages")
	case "list":
	default:
		return errors.New(docsUsage)
	}
	if err := fs.Parse(rest); err != nil {
		return err
	}
	pool, err := connect(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	ko, _, err := knowledgeFromEnv(ctx, os.Getenv, pool)
	if err != nil {
		return err
	}
	st, err := postgres.New(pool, postgres.Options{Logger: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), Knowledge: ko})
	if err != nil {
		return err
	}
	actor, err := tenantActor(ctx, pool, *slug)
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		return docsAdd(ctx, st, actor, fs.Args(), *title, *roles, stdout, stderr)
	case "search":
		if *as != "" {
			actor = domain.Actor{TenantID: actor.TenantID, EmployeeID: *as, Via: domain.ViaCLI}
		}
		return docsSearch(ctx, st, actor, strings.Join(fs.Args(), " "), *limit, stdout)
	}
	docs, err := st.ListDocuments(ctx, actor, "", 500)
	if err != nil {
		return err
	}
	for _, d := range docs {
		fmt.Fprintf(stdout, "%-16s %-8s %3d passages  %s\n", d.ID, d.Status, d.Chunks, d.Title)
	}
	return nil
}

// docsAdd adds each file as a document, with a progress bar. A file that
// cannot be added is reported and skipped; the command fails at the end if
// any was.
func docsAdd(ctx context.Context, st *postgres.Store, actor domain.Actor, files []string, title, roles string, stdout, stderr io.Writer) error {
	if len(files) == 0 {
		return errors.New("name the files to add: banli docs add FILE...")
	}
	if title != "" && len(files) > 1 {
		return errors.New("--title names one document: give one file with it")
	}
	var rl []string
	for _, r := range strings.Split(roles, ",") {
		if r = strings.TrimSpace(r); r != "" {
			rl = append(rl, r)
		}
	}
	pdf := &pdfText{}
	defer pdf.close()
	reader := knowledge.Reader{PDF: pdf.read}
	bar := progress.New(stderr, "indexing", len(files))
	var failed int
	for _, f := range files {
		err := func() error {
			data, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			text, mime, err := reader.Read(ctx, f, data)
			if err != nil {
				return err
			}
			t := title
			if t == "" {
				t = knowledge.Title(f, data)
			}
			d, err := st.AddDocument(ctx, actor, domain.DocumentInput{Title: t, Text: text, MIME: mime, Filename: f, Roles: rl})
			if err != nil {
				return err
			}
			if d.Status == "indexing" {
				// An embeddings server: embed now rather than wait for a
				// server's job (the job finds nothing left to do).
				if err := st.EmbedSource(ctx, actor.TenantID, knowledge.KindDocument, d.ID); err != nil {
					return fmt.Errorf("stored as %s, but embedding failed (a running server retries it): %w", d.ID, err)
				}
			}
			fmt.Fprintf(stdout, "%s\t%s\t%d passages\t%s\n", d.ID, f, d.Chunks, t)
			return nil
		}()
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "\n%s: %s\n", f, message(err))
		}
		bar.Add(1)
	}
	bar.Finish()
	if failed > 0 {
		return fmt.Errorf("%d of %d files were not added", failed, len(files))
	}
	return nil
}

// docsSearch prints the passages found, with their citations.
func docsSearch(ctx context.Context, st *postgres.Store, actor domain.Actor, query string, limit int, stdout io.Writer) error {
	if strings.TrimSpace(query) == "" {
		return errors.New("say what to search for: banli docs search QUERY")
	}
	ans, err := st.AnswerKnowledge(ctx, actor, query, limit)
	if err != nil {
		return err
	}
	if ans.Answer != "" {
		fmt.Fprintf(stdout, "%s\n\n", ans.Answer)
	}
	if len(ans.Passages) == 0 {
		fmt.Fprintln(stdout, "nothing found")
		return nil
	}
	for i, d := range ans.Passages {
		fmt.Fprintf(stdout, "[%d] %s (%s %s, score %.4f)\n    %s\n", i+1, d.Title, d.Kind, d.ID, d.Score, d.Snippet)
	}
	return nil
}
