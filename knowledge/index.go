package knowledge

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Source kinds.
const (
	KindDocument       = "document"
	KindMeeting        = "meeting"
	KindMeetingSummary = "meeting_summary"
)

// Kinds lists the source kinds.
var Kinds = []string{KindDocument, KindMeeting, KindMeetingSummary}

// Everyone is the reader principal that every actor of the tenant holds.
const Everyone = "*"

// Employee is the reader principal of one employee.
func Employee(id string) string { return "emp:" + id }

// Role is the reader principal of everyone holding a role.
func Role(name string) string { return "role:" + name }

// Principals returns the reader principals of an employee with roles.
func Principals(employee string, roles []string) []string {
	out := []string{Everyone, Employee(employee)}
	for _, r := range roles {
		out = append(out, Role(r))
	}
	return out
}

// Source is what chunks are cut from: a document, a meeting's transcript
// or a meeting's summary.
type Source struct {
	Tenant string
	Kind   string
	ID     string
	Title  string
	// Readers are the principals that may read the source; a search sees a
	// chunk when it shares one with the query's.
	Readers []string
}

// PendingChunk is a chunk still to be embedded with the index's model.
type PendingChunk struct {
	ID    int64
	Title string
	Text  string
}

// Query is one search.
type Query struct {
	Tenant string
	// Text is matched by keyword (Terms).
	Text string
	// Vector is Text embedded with the index's model; nil searches by
	// keyword only (e.g. while the embeddings server is down).
	Vector []float32
	// Readers are the actor's principals; nil searches everything (system).
	Readers []string
	// Kinds restricts the source kinds; empty means all.
	Kinds []string
	// Limit is the number of passages (default 5, at most 50).
	Limit int
	// PerSource caps the passages from one source (default 2).
	PerSource int
	// MinSimilarity drops passages found by meaning alone whose cosine
	// similarity is below it (see Hashed.MinSimilarity).
	MinSimilarity float64
	// VectorWeight weighs the meaning ranking against the keyword ranking
	// in the fusion (default 1: equal; see Hashed.VectorWeight).
	VectorWeight float64
}

// Hit is a passage found by a search, with what cites it.
type Hit struct {
	ChunkID  int64   `json:"chunk_id"`
	Kind     string  `json:"kind"`
	SourceID string  `json:"source_id"`
	Title    string  `json:"title"`
	Ord      int     `json:"ord"`
	Text     string  `json:"text"`
	Snippet  string  `json:"snippet"`
	Score    float64 `json:"score"` // fused rank score, higher is better
	// Similarity is the cosine similarity when the vector search found it.
	Similarity float64 `json:"similarity,omitempty"`
	// VectorRank and KeywordRank are 1-based ranks in each list; 0 when
	// that list did not find the passage.
	VectorRank  int `json:"vector_rank,omitempty"`
	KeywordRank int `json:"keyword_rank,omitempty"`
}

// DB is what the index needs of a connection, pool or transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Index stores chunks with their keyword terms and embeddings, and searches
// them. Every method acts in one tenant; run them in the tenant's
// transaction so that row-level security applies.
type Index interface {
	// Backend names the implementation: "pgvector" or "exact".
	Backend() string
	// Model is the embedding model whose vectors the index compares.
	Model() string
	// Put replaces the chunks of src. vecs holds one vector per chunk, or
	// is nil when the chunks are embedded later (SetVectors).
	Put(ctx context.Context, db DB, src Source, chunks []Chunk, vecs [][]float32) error
	// Pending lists the chunks of a source not yet embedded with Model.
	Pending(ctx context.Context, db DB, tenant, kind, id string) ([]PendingChunk, error)
	// SetVectors stores the vectors of chunks listed by Pending.
	SetVectors(ctx context.Context, db DB, tenant string, ids []int64, vecs [][]float32) error
	// Delete removes the chunks of a source.
	Delete(ctx context.Context, db DB, tenant, kind, id string) error
	// Search finds the passages q's readers may see, ranking them by
	// meaning and by keyword and fusing the two rankings.
	Search(ctx context.Context, db DB, q Query) ([]Hit, error)
}

// Backend names.
const (
	BackendPGVector = "pgvector"
	BackendExact    = "exact"
)

// scored is a candidate of one ranking.
type scored struct {
	id    int64
	score float64
}

// common is what both backends share: the table, the keyword ranking, the
// fusion and the citations. Only nearest-neighbour search and the vector
// column differ.
type common struct {
	model string
	dim   int
	// nearest returns the k chunks closest to q.Vector with their cosine
	// similarity, best first.
	nearest func(ctx context.Context, db DB, q Query, k int) ([]scored, error)
	// vectorColumn also writes embedding_v (pgvector).
	vectorColumn bool
}

func (c *common) Model() string { return c.model }

func (c *common) check(vecs [][]float32, n int) error {
	if vecs == nil {
		return nil
	}
	if len(vecs) != n {
		return fmt.Errorf("knowledge: %d vectors for %d chunks", len(vecs), n)
	}
	for _, v := range vecs {
		if len(v) != c.dim {
			return fmt.Errorf("knowledge: a vector of %d dimensions, the index holds %d", len(v), c.dim)
		}
	}
	return nil
}

func (c *common) Put(ctx context.Context, db DB, src Source, chunks []Chunk, vecs [][]float32) error {
	if !slices.Contains(Kinds, src.Kind) {
		return fmt.Errorf("knowledge: unknown source kind %q", src.Kind)
	}
	if len(src.Readers) == 0 {
		return errors.New("knowledge: a source needs readers")
	}
	if err := c.check(vecs, len(chunks)); err != nil {
		return err
	}
	if err := c.Delete(ctx, db, src.Tenant, src.Kind, src.ID); err != nil {
		return err
	}
	if len(chunks) == 0 {
		return nil
	}
	ords := make([]int32, len(chunks))
	texts := make([]string, len(chunks))
	terms := make([]string, len(chunks))
	embs := make([][]byte, len(chunks))
	lits := make([]*string, len(chunks))
	for i, ch := range chunks {
		ords[i], texts[i] = int32(ch.Ord), ch.Text
		terms[i] = strings.Join(Terms(src.Title+"\n"+ch.Text), " ")
		if vecs != nil {
			embs[i] = encode(vecs[i])
			if c.vectorColumn {
				l := literal(vecs[i])
				lits[i] = &l
			}
		}
	}
	var model *string
	if vecs != nil {
		model = &c.model
	}
	_, err := db.Exec(ctx, `INSERT INTO knowledge_chunks (tenant_id, source_kind, source_id, ord, title, text, readers, terms, model, embedding`+c.vcol(", embedding_v")+`)
		SELECT $1, $2, $3, x.ord, $4, x.text, $5, array_to_tsvector(string_to_array(x.terms, ' ')), $6, x.emb`+c.vcol(", x.vec::vector")+`
		FROM unnest($7::int[], $8::text[], $9::text[], $10::bytea[], $11::text[]) AS x(ord, text, terms, emb, vec)`,
		planned, src.Tenant, src.Kind, src.ID, src.Title, src.Readers, model, ords, texts, terms, embs, lits)
	if err != nil {
		return fmt.Errorf("knowledge: store chunks of %s %s: %w", src.Kind, src.ID, err)
	}
	return bump(ctx, db, src.Tenant)
}

// bump advances the tenant's version (knowledge_versions), in the
// writer's transaction.
func bump(ctx context.Context, db DB, tenant string) error {
	if _, err := db.Exec(ctx, `INSERT INTO knowledge_versions (tenant_id, version) VALUES ($1, 1)
		ON CONFLICT (tenant_id) DO UPDATE SET version = knowledge_versions.version + 1`, tenant); err != nil {
		return fmt.Errorf("knowledge: version: %w", err)
	}
	return nil
}

// vcol returns s when the backend writes the vector column.
func (c *common) vcol(s string) string {
	if c.vectorColumn {
		return s
	}
	return ""
}

func (c *common) Delete(ctx context.Context, db DB, tenant, kind, id string) error {
	tag, err := db.Exec(ctx, `DELETE FROM knowledge_chunks WHERE tenant_id = $1 AND source_kind = $2 AND source_id = $3`, planned, tenant, kind, id)
	if err != nil {
		return fmt.Errorf("knowledge: delete chunks of %s %s: %w", kind, id, err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	return bump(ctx, db, tenant)
}

func (c *common) Pending(ctx context.Context, db DB, tenant, kind, id string) ([]PendingChunk, error) {
	rows, err := db.Query(ctx, `SELECT id, title, text FROM knowledge_chunks
		WHERE tenant_id = $1 AND source_kind = $2 AND source_id = $3 AND (model IS DISTINCT FROM $4 OR embedding IS NULL`+c.vcol(" OR embedding_v IS NULL")+`)
		ORDER BY ord`, planned, tenant, kind, id, c.model)
	if err != nil {
		return nil, fmt.Errorf("knowledge: pending chunks: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (PendingChunk, error) {
		var p PendingChunk
		return p, r.Scan(&p.ID, &p.Title, &p.Text)
	})
	if err != nil {
		return nil, fmt.Errorf("knowledge: pending chunks: %w", err)
	}
	return out, nil
}

func (c *common) SetVectors(ctx context.Context, db DB, tenant string, ids []int64, vecs [][]float32) error {
	if err := c.check(vecs, len(ids)); err != nil {
		return err
	}
	embs := make([][]byte, len(vecs))
	lits := make([]string, len(vecs))
	for i, v := range vecs {
		embs[i] = encode(v)
		if c.vectorColumn {
			lits[i] = literal(v)
		}
	}
	_, err := db.Exec(ctx, `UPDATE knowledge_chunks k SET model = $2, embedding = x.emb`+c.vcol(", embedding_v = x.vec::vector")+`
		FROM unnest($3::bigint[], $4::bytea[], $5::text[]) AS x(id, emb, vec)
		WHERE k.tenant_id = $1 AND k.id = x.id`, planned, tenant, c.model, ids, embs, lits)
	if err != nil {
		return fmt.Errorf("knowledge: store vectors: %w", err)
	}
	return bump(ctx, db, tenant)
}

// planned makes a statement be planned with its parameters on every run
// (pgx's unnamed statements) instead of reusing a cached generic plan. A
// generic plan made while the table was small (a seq scan, or an exact sort
// instead of the HNSW index) would otherwise stay in use as it grows, until
// the next ANALYZE; planning these statements costs well under a
// millisecond.
const planned = pgx.QueryExecModeExec

// filter is the visibility and kind condition shared by every ranking:
// $1 tenant, $2 readers (NULL: all), $3 kinds (empty: all).
const filter = `tenant_id = $1 AND ($2::text[] IS NULL OR readers && $2) AND (cardinality($3::text[]) = 0 OR source_kind = ANY($3))`

func filterArgs(q Query) []any {
	kinds := q.Kinds
	if kinds == nil {
		kinds = []string{}
	}
	return []any{q.Tenant, q.Readers, kinds}
}

// keyword ranks the chunks sharing terms with the query by ts_rank over the
// terms tsvector (GIN-indexed).
func (c *common) keyword(ctx context.Context, db DB, q Query, terms []string, k int) ([]scored, error) {
	rows, err := db.Query(ctx, `SELECT id, ts_rank(terms, q) AS r FROM knowledge_chunks, CAST($4 AS tsquery) AS q
		WHERE `+filter+` AND terms @@ q ORDER BY r DESC, id LIMIT $5`, append([]any{planned}, append(filterArgs(q), tsquery(terms), k)...)...)
	if err != nil {
		return nil, fmt.Errorf("knowledge: keyword search: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (scored, error) {
		var s scored
		var f float32
		err := r.Scan(&s.id, &f)
		s.score = float64(f)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("knowledge: keyword search: %w", err)
	}
	return out, nil
}

// rrfK is reciprocal rank fusion's constant: a passage's score is the sum
// over the rankings that found it of weight/(rrfK + rank).
const rrfK = 60

func (c *common) Search(ctx context.Context, db DB, q Query) ([]Hit, error) {
	if q.Tenant == "" {
		return nil, errors.New("knowledge: a search needs a tenant")
	}
	if q.Limit <= 0 {
		q.Limit = 5
	}
	q.Limit = min(q.Limit, 50)
	if q.PerSource <= 0 {
		q.PerSource = 2
	}
	if q.Vector != nil && len(q.Vector) != c.dim {
		return nil, fmt.Errorf("knowledge: a query vector of %d dimensions, the index holds %d", len(q.Vector), c.dim)
	}
	k := max(50, 10*q.Limit)
	var vec, kw []scored
	var err error
	if q.Vector != nil {
		if vec, err = c.nearest(ctx, db, q, k); err != nil {
			return nil, err
		}
	}
	if terms := Terms(q.Text); len(terms) > 0 {
		if kw, err = c.keyword(ctx, db, q, terms, k); err != nil {
			return nil, err
		}
	}
	hits := map[int64]*Hit{}
	get := func(id int64) *Hit {
		h := hits[id]
		if h == nil {
			h = &Hit{ChunkID: id}
			hits[id] = h
		}
		return h
	}
	wv := q.VectorWeight
	if wv <= 0 {
		wv = 1
	}
	for i, s := range vec {
		h := get(s.id)
		h.VectorRank, h.Similarity = i+1, s.score
		h.Score += wv / float64(rrfK+i+1)
	}
	for i, s := range kw {
		h := get(s.id)
		h.KeywordRank = i + 1
		h.Score += 1.0 / float64(rrfK+i+1)
	}
	ranked := make([]*Hit, 0, len(hits))
	for _, h := range hits {
		if h.KeywordRank == 0 && h.Similarity < q.MinSimilarity {
			continue
		}
		ranked = append(ranked, h)
	}
	sort.Slice(ranked, func(i, j int) bool {
		a, b := ranked[i], ranked[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Similarity != b.Similarity {
			return a.Similarity > b.Similarity
		}
		return a.ChunkID < b.ChunkID
	})
	if err := c.cite(ctx, db, q.Tenant, ranked); err != nil {
		return nil, err
	}
	qterms := Terms(q.Text)
	per := map[string]int{}
	out := []Hit{}
	for _, h := range ranked {
		if h.Kind == "" {
			continue // deleted since it was ranked
		}
		key := h.Kind + "\x00" + h.SourceID
		if per[key] >= q.PerSource {
			continue
		}
		per[key]++
		h.Snippet = Snippet(h.Text, qterms, snippetRunes)
		out = append(out, *h)
		if len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

// cite loads the source and text of the ranked chunks.
func (c *common) cite(ctx context.Context, db DB, tenant string, hs []*Hit) error {
	if len(hs) == 0 {
		return nil
	}
	ids := make([]int64, len(hs))
	byID := map[int64]*Hit{}
	for i, h := range hs {
		ids[i] = h.ChunkID
		byID[h.ChunkID] = h
	}
	rows, err := db.Query(ctx, `SELECT id, source_kind, source_id, ord, title, text FROM knowledge_chunks WHERE tenant_id = $1 AND id = ANY($2)`, planned, tenant, ids)
	if err != nil {
		return fmt.Errorf("knowledge: load passages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, src, title, text string
		var ord int32
		if err := rows.Scan(&id, &kind, &src, &ord, &title, &text); err != nil {
			return fmt.Errorf("knowledge: load passages: %w", err)
		}
		h := byID[id]
		h.Kind, h.SourceID, h.Ord, h.Title, h.Text = kind, src, int(ord), title, text
	}
	return rows.Err()
}

// encode stores a vector portably: little-endian float32s in a bytea.
func encode(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// decode reads a vector stored by encode.
func decode(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}
