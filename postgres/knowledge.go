package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/banlihq/banli/authz"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/knowledge"
)

// KnowledgeOptions are the store's knowledge-search parts.
type KnowledgeOptions struct {
	// Embedder embeds passages and queries; default knowledge.NewHashed(0).
	Embedder knowledge.Embedder
	// Index stores and searches passages; default the exact backend for
	// the embedder (knowledge.Open chooses pgvector where it can).
	Index knowledge.Index
	// Answerer composes answers from passages; nil: the passages are the
	// answer (offline).
	Answerer knowledge.Answerer
}

func (o KnowledgeOptions) withDefaults() (KnowledgeOptions, error) {
	if o.Embedder == nil {
		o.Embedder = knowledge.NewHashed(0)
	}
	if o.Index == nil {
		o.Index = knowledge.NewExact(o.Embedder.Model(), o.Embedder.Dim())
	}
	if o.Index.Model() != o.Embedder.Model() {
		return o, fmt.Errorf("knowledge: the index compares %s vectors, the embedder makes %s", o.Index.Model(), o.Embedder.Model())
	}
	return o, nil
}

// KnowledgeBackend names the index backend in use ("pgvector" or "exact").
func (s *Store) KnowledgeBackend() string { return s.know.Index.Backend() }

// Limits of documents.
const (
	maxDocTitle = 300
	maxQuery    = 1000
)

var roleRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// normalizeDocument validates a document and puts it in canonical form.
func normalizeDocument(in *domain.DocumentInput) error {
	var v domain.Validator
	in.Title = strings.TrimSpace(in.Title)
	v.Check(in.Title != "" && utf8.RuneCountInString(in.Title) <= maxDocTitle, "title", fmt.Sprintf("must be 1 to %d characters", maxDocTitle))
	in.Text = strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(in.Text):
		v.Check(false, "text", "must be UTF-8 text")
	case in.Text == "":
		v.Check(false, "text", "is empty")
	case strings.IndexFunc(in.Text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0:
		v.Check(false, "text", "has no words")
	case len(in.Text) > knowledge.MaxTextBytes:
		v.Check(false, "text", fmt.Sprintf("is longer than %d bytes", knowledge.MaxTextBytes))
	}
	if in.MIME == "" {
		in.MIME = knowledge.MIMEText
	}
	v.Check(slices.Contains([]string{knowledge.MIMEText, knowledge.MIMEMarkdown, knowledge.MIMEPDF}, in.MIME), "mime", "must be text/plain, text/markdown or application/pdf")
	in.Filename = cleanFilename(in.Filename)
	var roles []string
	for _, r := range in.Roles {
		r = strings.ToLower(strings.TrimSpace(r))
		if r == "" {
			continue
		}
		if !roleRE.MatchString(r) {
			v.Check(false, "roles", fmt.Sprintf("%q is not a role name", r))
			continue
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	slices.Sort(roles)
	in.Roles = nonNil(roles)
	return v.Err()
}

// documentReaders are the reader principals of a document's passages: the
// SQL form of the Document read policies.
func documentReaders(roles []string, author string) []string {
	if len(roles) == 0 {
		return []string{knowledge.Everyone}
	}
	out := []string{knowledge.Role("admin")}
	for _, r := range roles {
		out = append(out, knowledge.Role(r))
	}
	if author != "" {
		out = append(out, knowledge.Employee(author))
	}
	return out
}

// readers are the actor's reader principals; nil (everything) for the
// system.
func (tx *Tx) readers() []string {
	if tx.actor.System {
		return nil
	}
	return knowledge.Principals(tx.me.ID, tx.me.Roles)
}

// embedInputs are the texts embedded for passages: the title tells what a
// passage is about when its own words do not.
func embedInputs(title string, texts []string) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = title + "\n" + t
	}
	return out
}

// indexSource stores a source's passages in tx. With a local embedder they
// are embedded here, so the source is searchable by meaning when the
// command commits; otherwise they are stored for keyword search and an
// embedding job is queued in the same transaction. It reports whether a
// job was queued.
func (tx *Tx) indexSource(ctx context.Context, src knowledge.Source, text string) (chunks int, queued bool, err error) {
	k := tx.s.know
	parts := knowledge.Split(text, 0, 0)
	var vecs [][]float32
	if k.Embedder.Local() && len(parts) > 0 {
		texts := make([]string, len(parts))
		for i, p := range parts {
			texts[i] = p.Text
		}
		if vecs, err = k.Embedder.Embed(ctx, embedInputs(src.Title, texts)); err != nil {
			return 0, false, fmt.Errorf("embed %s %s: %w", src.Kind, src.ID, err)
		}
	}
	if err := k.Index.Put(ctx, tx.Tx, src, parts, vecs); err != nil {
		return 0, false, err
	}
	if vecs == nil && len(parts) > 0 {
		if _, err := tx.s.river.InsertTx(ctx, tx.Tx, embedArgs{TenantID: tx.tenant.ID, SourceKind: src.Kind, SourceID: src.ID}, nil); err != nil {
			return 0, false, fmt.Errorf("queue embedding of %s %s: %w", src.Kind, src.ID, err)
		}
		queued = true
	}
	return len(parts), queued, nil
}

// documentAudit is what the audit log keeps of a document: its text only
// by digest.
type documentAudit struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	MIME     string   `json:"mime"`
	Filename string   `json:"filename,omitempty"`
	Roles    []string `json:"roles"`
	Chunks   int      `json:"chunks"`
	SHA256   string   `json:"text_sha256"`
}

// AddDocument stores a document in the knowledge base and indexes its
// passages, in one transaction. Administrators and HR may add documents.
func (s *Store) AddDocument(ctx context.Context, actor domain.Actor, in domain.DocumentInput) (domain.DocumentInfo, error) {
	return s.addDocument(ctx, actor, "", in)
}

// ImportDocument adds a document keeping its id (fixtures), as AddDocument.
func (s *Store) ImportDocument(ctx context.Context, actor domain.Actor, id string, in domain.DocumentInput) (domain.DocumentInfo, error) {
	if strings.TrimSpace(id) == "" {
		return domain.DocumentInfo{}, domain.Invalid("id", "is required")
	}
	return s.addDocument(ctx, actor, id, in)
}

func (s *Store) addDocument(ctx context.Context, actor domain.Actor, id string, in domain.DocumentInput) (domain.DocumentInfo, error) {
	if err := normalizeDocument(&in); err != nil {
		return domain.DocumentInfo{}, err
	}
	if id == "" {
		id = newID("doc")
	}
	var out domain.DocumentInfo
	err := s.run(ctx, actor, func(tx *Tx) error {
		res := authz.Resource{Type: authz.TypeDocument, ID: id, Roles: in.Roles, Creator: tx.me.ID}
		if err := tx.can(authz.Create, res); err != nil {
			return err
		}
		var author *string
		if !tx.actor.System {
			author = &tx.me.ID
		}
		status := "ready"
		if !s.know.Embedder.Local() {
			status = "indexing"
		}
		_, err := tx.Exec(ctx, `INSERT INTO documents (tenant_id, id, title, mime, filename, text, roles, status, created_by, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10)`, tx.tenant.ID, id, in.Title, in.MIME, in.Filename, in.Text, in.Roles, status, author, tx.now)
		if isUnique(err) {
			return domain.Errorf(domain.EConflict, "document %s exists", id)
		}
		if err != nil {
			return fmt.Errorf("save document: %w", err)
		}
		src := knowledge.Source{Tenant: tx.tenant.ID, Kind: knowledge.KindDocument, ID: id, Title: in.Title, Readers: documentReaders(in.Roles, tx.me.ID)}
		n, _, err := tx.indexSource(ctx, src, in.Text)
		if err != nil {
			return err
		}
		if n == 0 {
			return domain.Invalid("text", "has no words to index")
		}
		if _, err := tx.Exec(ctx, `UPDATE documents SET chunks = $3 WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id, n); err != nil {
			return fmt.Errorf("save document: %w", err)
		}
		sum := sha256.Sum256([]byte(in.Text))
		tx.audit("document.create", "document:"+id, nil, documentAudit{ID: id, Title: in.Title, MIME: in.MIME, Filename: in.Filename,
			Roles: in.Roles, Chunks: n, SHA256: hex.EncodeToString(sum[:])})
		out, err = tx.document(ctx, id, false)
		return err
	})
	return out, err
}

// visibleDocuments is the SQL mirror of the Document read policies: $2
// system, $3 the actor's roles, $4 the actor.
const visibleDocuments = `d.tenant_id = $1 AND ($2 OR cardinality(d.roles) = 0 OR d.roles && $3 OR 'admin' = ANY($3) OR d.created_by = $4)`

const documentCols = `d.id, d.title, d.mime, d.filename, d.roles, d.status, d.error, d.chunks,
	(SELECT count(*) FROM knowledge_chunks k WHERE k.tenant_id = d.tenant_id AND k.source_kind = 'document' AND k.source_id = d.id AND k.model = $5 AND k.embedding IS NOT NULL),
	char_length(d.text), coalesce(d.created_by, ''), d.created_at, d.updated_at`

func scanDocument(r pgx.Row, text *string) (domain.DocumentInfo, error) {
	var d domain.DocumentInfo
	dest := []any{&d.ID, &d.Title, &d.MIME, &d.Filename, &d.Roles, &d.Status, &d.Error, &d.Chunks, &d.Embedded, &d.Chars, &d.CreatedBy, &d.CreatedAt, &d.UpdatedAt}
	if text != nil {
		dest = append(dest, text)
	}
	err := r.Scan(dest...)
	return d, err
}

// document loads a document the actor may read (not found otherwise).
func (tx *Tx) document(ctx context.Context, id string, withText bool) (domain.DocumentInfo, error) {
	q := `SELECT ` + documentCols
	var text string
	var tp *string
	if withText {
		q += `, d.text`
		tp = &text
	}
	q += ` FROM documents d WHERE ` + visibleDocuments + ` AND d.id = $6`
	d, err := scanDocument(tx.QueryRow(ctx, q, tx.tenant.ID, tx.actor.System, tx.me.Roles, tx.me.ID, tx.s.know.Index.Model(), id), tp)
	if err := notFound(err, "document", id); err != nil {
		return d, err
	}
	d.Text = text
	return d, nil
}

// GetDocument returns a document with its text, if the actor may read it.
func (s *Store) GetDocument(ctx context.Context, actor domain.Actor, id string) (domain.DocumentInfo, error) {
	var out domain.DocumentInfo
	err := s.run(ctx, actor, func(tx *Tx) error {
		var err error
		out, err = tx.document(ctx, id, true)
		return err
	})
	return out, err
}

// ListDocuments lists the documents the actor may read, by id, after the
// cursor.
func (s *Store) ListDocuments(ctx context.Context, actor domain.Actor, after string, limit int) ([]domain.DocumentInfo, error) {
	var out []domain.DocumentInfo
	err := s.run(ctx, actor, func(tx *Tx) error {
		if limit <= 0 || limit > 500 {
			limit = 100
		}
		rows, err := tx.Query(ctx, `SELECT `+documentCols+` FROM documents d WHERE `+visibleDocuments+` AND ($6 = '' OR d.id > $6) ORDER BY d.id LIMIT $7`,
			tx.tenant.ID, tx.actor.System, tx.me.Roles, tx.me.ID, s.know.Index.Model(), after, limit)
		if err != nil {
			return fmt.Errorf("list documents: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.DocumentInfo, error) { return scanDocument(r, nil) })
		if err != nil {
			return fmt.Errorf("list documents: %w", err)
		}
		return nil
	})
	return out, err
}

// DeleteDocument removes a document and its passages. Administrators and
// HR may delete documents they can read.
func (s *Store) DeleteDocument(ctx context.Context, actor domain.Actor, id string) error {
	return s.run(ctx, actor, func(tx *Tx) error {
		d, err := tx.document(ctx, id, false)
		if err != nil {
			return err
		}
		if err := tx.can(authz.Delete, authz.Resource{Type: authz.TypeDocument, ID: id, Roles: d.Roles, Creator: d.CreatedBy}); err != nil {
			return err
		}
		if err := s.know.Index.Delete(ctx, tx.Tx, tx.tenant.ID, knowledge.KindDocument, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM documents WHERE tenant_id = $1 AND id = $2`, tx.tenant.ID, id); err != nil {
			return fmt.Errorf("delete document: %w", err)
		}
		tx.audit("document.delete", "document:"+id, documentAudit{ID: id, Title: d.Title, MIME: d.MIME, Filename: d.Filename, Roles: d.Roles, Chunks: d.Chunks}, nil)
		return nil
	})
}

// queryVector embeds a search query. A remote embedder that fails or takes
// too long does not fail the search: it runs on keywords alone.
func (s *Store) queryVector(ctx context.Context, query string) []float32 {
	ectx := ctx
	if !s.know.Embedder.Local() {
		var cancel context.CancelFunc
		ectx, cancel = context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
	}
	v, err := s.know.Embedder.Embed(ectx, []string{query})
	if err != nil {
		if ctx.Err() == nil {
			s.log.WarnContext(ctx, "knowledge search without vectors: the query could not be embedded", "err", err)
		}
		return nil
	}
	return v[0]
}

// SearchDocuments searches the passages of documents and meetings the
// actor may read, by meaning and by keyword, and returns them with their
// citations, best first (limit default 5, at most 20). It implements
// tools.KnowledgeSource.
func (s *Store) SearchDocuments(ctx context.Context, actor domain.Actor, query string, limit int) ([]domain.Document, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, domain.Invalid("q", "is required")
	}
	if utf8.RuneCountInString(query) > maxQuery {
		return nil, domain.Invalid("q", "is longer than %d characters", maxQuery)
	}
	if limit <= 0 {
		limit = 5
	}
	limit = min(limit, 20)
	vec := s.queryVector(ctx, query)
	var minSim, weight float64
	if m, ok := s.know.Embedder.(interface{ MinSimilarity() float64 }); ok {
		minSim = m.MinSimilarity()
	}
	if w, ok := s.know.Embedder.(interface{ VectorWeight() float64 }); ok {
		weight = w.VectorWeight()
	}
	var out []domain.Document
	err := s.run(ctx, actor, func(tx *Tx) error {
		hits, err := s.know.Index.Search(ctx, tx.Tx, knowledge.Query{Tenant: tx.tenant.ID, Text: query, Vector: vec,
			Readers: tx.readers(), Limit: limit, MinSimilarity: minSim, VectorWeight: weight})
		if err != nil {
			return err
		}
		out = make([]domain.Document, len(hits))
		for i, h := range hits {
			out[i] = domain.Document{ID: h.SourceID, Title: h.Title, Text: h.Text, Kind: h.Kind, Snippet: h.Snippet, Score: h.Score}
		}
		return nil
	})
	return out, err
}

// AnswerKnowledge answers a question from the passages the actor may read.
// With an answerer (a model) configured the answer cites them as [n];
// without one, or when the model fails, the passages are the answer.
func (s *Store) AnswerKnowledge(ctx context.Context, actor domain.Actor, question string, limit int) (domain.KnowledgeAnswer, error) {
	docs, err := s.SearchDocuments(ctx, actor, question, limit)
	if err != nil {
		return domain.KnowledgeAnswer{}, err
	}
	out := domain.KnowledgeAnswer{Passages: nonNilDocs(docs)}
	if s.know.Answerer == nil || len(docs) == 0 {
		return out, nil
	}
	hits := make([]knowledge.Hit, len(docs))
	for i, d := range docs {
		hits[i] = knowledge.Hit{Kind: d.Kind, SourceID: d.ID, Title: d.Title, Text: d.Text}
	}
	a, err := s.know.Answerer.Answer(ctx, question, hits)
	if err != nil {
		s.log.WarnContext(ctx, "knowledge answer: the model failed; returning the passages", "err", err)
		return out, nil
	}
	out.Answer = a.Text
	for _, i := range a.Cited {
		out.Cited = append(out.Cited, i+1)
	}
	return out, nil
}

func nonNilDocs(d []domain.Document) []domain.Document {
	if d == nil {
		return []domain.Document{}
	}
	return d
}

// MeetingText is a meeting's transcript or summary for knowledge search.
type MeetingText struct {
	// Kind is knowledge.KindMeeting (the transcript) or
	// knowledge.KindMeetingSummary.
	Kind    string
	Meeting string // the meeting's id
	Title   string
	Text    string
	// Readers are the employees who may read the meeting: its participants
	// and organizer. Administrators and auditors always may.
	Readers []string
}

// indexMeeting makes a meeting's transcript or summary searchable by its
// readers, replacing what was indexed for it before. The meetings commands
// call it in their own transaction when they store or change a meeting, so
// that search always matches what is stored; empty text removes it.
func (tx *Tx) indexMeeting(ctx context.Context, m MeetingText) error {
	if m.Kind != knowledge.KindMeeting && m.Kind != knowledge.KindMeetingSummary {
		return fmt.Errorf("index meeting %s: kind %q is not a meeting kind", m.Meeting, m.Kind)
	}
	readers := []string{knowledge.Role("admin"), knowledge.Role("auditor")}
	for _, e := range m.Readers {
		if e != "" && !slices.Contains(readers, knowledge.Employee(e)) {
			readers = append(readers, knowledge.Employee(e))
		}
	}
	title := strings.TrimSpace(m.Title)
	if title == "" {
		title = m.Meeting
	}
	src := knowledge.Source{Tenant: tx.tenant.ID, Kind: m.Kind, ID: m.Meeting, Title: title, Readers: readers}
	_, _, err := tx.indexSource(ctx, src, m.Text)
	return err
}

// unindexMeeting removes a meeting's transcript and summary from search.
func (tx *Tx) unindexMeeting(ctx context.Context, meeting string) error {
	for _, k := range []string{knowledge.KindMeeting, knowledge.KindMeetingSummary} {
		if err := tx.s.know.Index.Delete(ctx, tx.Tx, tx.tenant.ID, k, meeting); err != nil {
			return err
		}
	}
	return nil
}

// IndexMeeting indexes a meeting's transcript or summary in a transaction
// of its own, for jobs and imports that run as the system; a meetings
// command that changes a meeting calls tx.indexMeeting in its own
// transaction instead. Employees cannot call it: what is indexed follows
// from the meeting, not from anyone's say-so.
func (s *Store) IndexMeeting(ctx context.Context, actor domain.Actor, m MeetingText) error {
	if !actor.System {
		return domain.Errorf(domain.EForbidden, "only the system indexes meetings")
	}
	return s.run(ctx, actor, func(tx *Tx) error { return tx.indexMeeting(ctx, m) })
}

// UnindexMeeting removes a meeting from search (system actors only, as
// IndexMeeting).
func (s *Store) UnindexMeeting(ctx context.Context, actor domain.Actor, meeting string) error {
	if !actor.System {
		return domain.Errorf(domain.EForbidden, "only the system indexes meetings")
	}
	return s.run(ctx, actor, func(tx *Tx) error { return tx.unindexMeeting(ctx, meeting) })
}

// embedArgs embeds the passages of one source that wait for vectors.
type embedArgs struct {
	TenantID   string `json:"tenant_id"`
	SourceKind string `json:"source_kind"`
	SourceID   string `json:"source_id"`
}

func (embedArgs) Kind() string { return "knowledge_embed" }

type embedWorker struct {
	river.WorkerDefaults[embedArgs]
	s *Store
}

// Timeout bounds one source's embedding (a large document is a few
// hundred passages).
func (w *embedWorker) Timeout(*river.Job[embedArgs]) time.Duration { return 10 * time.Minute }

func (w *embedWorker) Work(ctx context.Context, job *river.Job[embedArgs]) error {
	a := job.Args
	err := w.s.EmbedSource(ctx, a.TenantID, a.SourceKind, a.SourceID)
	if err != nil && job.Attempt >= job.MaxAttempts && a.SourceKind == knowledge.KindDocument {
		w.s.failDocument(context.WithoutCancel(ctx), a.TenantID, a.SourceID, err)
	}
	return err
}

// EmbedSource embeds the passages of a source that wait for vectors of the
// current model, and marks a document ready when none waits any more. The
// embedder is called outside any transaction; the vectors are written in
// one. It is what the embedding job runs, and is safe to repeat.
func (s *Store) EmbedSource(ctx context.Context, tenant, kind, id string) error {
	sys := domain.Actor{TenantID: tenant, System: true, Via: domain.ViaJob}
	var pending []knowledge.PendingChunk
	if err := s.run(ctx, sys, func(tx *Tx) error {
		var err error
		pending, err = s.know.Index.Pending(ctx, tx.Tx, tenant, kind, id)
		return err
	}); err != nil {
		return err
	}
	var vecs [][]float32
	if len(pending) > 0 {
		texts := make([]string, len(pending))
		for i, p := range pending {
			texts[i] = p.Title + "\n" + p.Text
		}
		var err error
		if vecs, err = s.know.Embedder.Embed(ctx, texts); err != nil {
			return fmt.Errorf("embed %s %s: %w", kind, id, err)
		}
	}
	return s.run(ctx, sys, func(tx *Tx) error {
		ids := make([]int64, len(pending))
		for i, p := range pending {
			ids[i] = p.ID
		}
		if len(ids) > 0 {
			if err := s.know.Index.SetVectors(ctx, tx.Tx, tenant, ids, vecs); err != nil {
				return err
			}
		}
		if kind != knowledge.KindDocument {
			return nil
		}
		tag, err := tx.Exec(ctx, `UPDATE documents SET status = 'ready', error = '', updated_at = $3 WHERE tenant_id = $1 AND id = $2 AND status <> 'ready'`, tenant, id, tx.now)
		if err != nil {
			return fmt.Errorf("document %s ready: %w", id, err)
		}
		if tag.RowsAffected() > 0 {
			tx.audit("document.indexed", "document:"+id, nil, map[string]any{"id": id, "model": s.know.Embedder.Model(), "embedded": len(ids)})
		}
		return nil
	})
}

// failDocument records that a document's embedding failed for good; its
// passages stay searchable by keyword.
func (s *Store) failDocument(ctx context.Context, tenant, id string, cause error) {
	sys := domain.Actor{TenantID: tenant, System: true, Via: domain.ViaJob}
	msg := cause.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	err := s.run(ctx, sys, func(tx *Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE documents SET status = 'failed', error = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2`, tenant, id, msg, tx.now); err != nil {
			return err
		}
		tx.audit("document.index_failed", "document:"+id, nil, map[string]any{"id": id, "error": msg})
		return nil
	})
	if err != nil {
		s.log.ErrorContext(ctx, "record a failed document", "document", id, "err", err)
	}
}

// QueueStaleEmbeddings queues an embedding job for every source with
// passages not embedded by the current model (after the embedder changed,
// or jobs were lost), across tenants. serve and dev call it at start-up; it
// returns how many sources it queued.
func (s *Store) QueueStaleEmbeddings(ctx context.Context) (int, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT tenant_id::text, source_kind, source_id FROM knowledge_chunks
		WHERE model IS DISTINCT FROM $1 OR embedding IS NULL`, s.know.Embedder.Model())
	if err != nil {
		return 0, fmt.Errorf("stale embeddings: %w", err)
	}
	args, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (embedArgs, error) {
		var a embedArgs
		return a, r.Scan(&a.TenantID, &a.SourceKind, &a.SourceID)
	})
	if err != nil {
		return 0, fmt.Errorf("stale embeddings: %w", err)
	}
	for _, a := range args {
		if _, err := s.river.Insert(ctx, a, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}); err != nil {
			return 0, fmt.Errorf("queue embedding of %s %s: %w", a.SourceKind, a.SourceID, err)
		}
	}
	return len(args), nil
}
