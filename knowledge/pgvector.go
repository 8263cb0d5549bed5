package knowledge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pgvector/pgvector-go"
)

// PGVector is the backend for PostgreSQL with the vector extension. Chunks
// keep the portable bytea vector and, in embedding_v (type vector, created
// at start-up by Open), the same vector for an HNSW index with cosine
// distance. The index is partial and on an expression, one per model:
//
//	USING hnsw ((embedding_v::vector(N)) vector_cosine_ops) WHERE model = '<model>'
//
// so models of different dimensions can coexist while one is replaced by
// another. Searches raise hnsw.ef_search and use pgvector's iterative index
// scans, so that tenant and visibility filters still leave k results.
type PGVector struct {
	common
	efSearch int
}

// NewPGVector returns the pgvector backend. It expects Open's schema
// (embedding_v and the model's HNSW index); use Open rather than this.
func NewPGVector(model string, dim, efSearch int) *PGVector {
	if efSearch <= 0 {
		efSearch = 100
	}
	p := &PGVector{common: common{model: model, dim: dim, vectorColumn: true}, efSearch: efSearch}
	p.nearest = p.hnsw
	return p
}

// Backend returns "pgvector".
func (p *PGVector) Backend() string { return BackendPGVector }

// hnswIndexName is the name of the model's HNSW index.
func hnswIndexName(model string) string {
	h := sha256.Sum256([]byte(model))
	return "knowledge_chunks_hnsw_" + hex.EncodeToString(h[:6])
}

// quoteLiteral quotes s as an SQL string literal. Only the model name is
// quoted this way (it comes from configuration): the partial index applies
// only when the query names the model as a constant, not a parameter.
func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// hnswDDL creates the model's index.
func (p *PGVector) hnswDDL() string {
	return fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON knowledge_chunks USING hnsw ((embedding_v::vector(%d)) vector_cosine_ops) WHERE model = %s`,
		hnswIndexName(p.model), p.dim, quoteLiteral(p.model))
}

// NearestSQL is the nearest-neighbour query, for EXPLAIN: $1 tenant, $2
// readers, $3 kinds, $4 the query vector, $5 k.
func (p *PGVector) NearestSQL() string {
	expr := fmt.Sprintf("embedding_v::vector(%d)", p.dim)
	return `SELECT id, ` + expr + ` <=> $4 AS d FROM knowledge_chunks
		WHERE ` + filter + ` AND model = ` + quoteLiteral(p.model) + ` AND embedding_v IS NOT NULL
		ORDER BY ` + expr + ` <=> $4 LIMIT $5`
}

func (p *PGVector) hnsw(ctx context.Context, db DB, q Query, k int) ([]scored, error) {
	// SET LOCAL needs a transaction; a savepoint inside the caller's keeps
	// the settings to this search.
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("knowledge: hnsw search: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read-only
	if _, err := tx.Exec(ctx, `SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`,
		strconv.Itoa(max(p.efSearch, k))); err != nil {
		return nil, fmt.Errorf("knowledge: hnsw settings: %w", err)
	}
	rows, err := tx.Query(ctx, p.NearestSQL(), append([]any{planned}, append(filterArgs(q), pgvector.NewVector(q.Vector), k)...)...)
	if err != nil {
		return nil, fmt.Errorf("knowledge: hnsw search: %w", err)
	}
	defer rows.Close()
	var out []scored
	for rows.Next() {
		var s scored
		var d float64
		if err := rows.Scan(&s.id, &d); err != nil {
			return nil, fmt.Errorf("knowledge: hnsw search: %w", err)
		}
		s.score = 1 - d
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("knowledge: hnsw search: %w", err)
	}
	// Relaxed order may return neighbours slightly out of order.
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out, nil
}

// literal renders a vector in pgvector's text form, for array parameters
// (pgx cannot encode arrays of an extension type it has not registered).
func literal(v []float32) string {
	var b strings.Builder
	b.Grow(len(v) * 11)
	b.WriteByte('[')
	for i, x := range v {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatFloat(float64(x), 'g', -1, 32))
	}
	b.WriteByte(']')
	return b.String()
}
