package knowledge

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Options choose and configure the index.
type Options struct {
	// Model and Dim are the embedder's (Embedder.Model, Embedder.Dim).
	Model string
	Dim   int
	// Backend forces BackendExact or BackendPGVector; empty chooses
	// pgvector when the vector extension is installed or can be, exact
	// otherwise.
	Backend string
	// EfSearch is HNSW's search breadth (default 100).
	EfSearch int
	// CacheFloats bounds the exact backend's in-memory copy of vectors
	// (default DefaultCacheFloats; negative: no cache, always scan).
	CacheFloats int
	// DeferIndex leaves the HNSW index to PGVector.EnsureIndex, for bulk
	// loads: building it once over loaded rows is faster than growing it
	// row by row.
	DeferIndex bool
}

// Open prepares the database for the chosen backend and returns the index
// with the reason for the choice (for the log; /readyz reports Backend).
//
// pgvector needs the vector extension, which the stock Debian server lacks,
// so its schema is not in the goose migrations: Open runs CREATE EXTENSION
// IF NOT EXISTS vector and, if that works, adds the embedding_v column and
// the model's HNSW index, and fills embedding_v for chunks embedded while
// the exact backend was in use. If the extension cannot be created (not
// available, or not allowed) Open falls back to the exact scan, which needs
// nothing beyond the migrations. Run it as the database owner, once per
// process start, before serving.
func Open(ctx context.Context, db DB, opts Options) (Index, string, error) {
	if opts.Model == "" || opts.Dim <= 0 {
		return nil, "", errors.New("knowledge: the index needs the embedder's model and dimension")
	}
	switch opts.Backend {
	case BackendExact:
		return opts.exact(), "exact scan chosen by configuration", nil
	case "", BackendPGVector:
	default:
		return nil, "", fmt.Errorf("knowledge: unknown backend %q (want %s or %s)", opts.Backend, BackendPGVector, BackendExact)
	}
	p := NewPGVector(opts.Model, opts.Dim, opts.EfSearch)
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		// One process at a time runs the DDL.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7419507)`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS vector`); err != nil {
			return fmt.Errorf("vector extension: %w", err)
		}
		if _, err := tx.Exec(ctx, `ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding_v vector`); err != nil {
			return fmt.Errorf("vector column: %w", err)
		}
		return nil
	})
	if err == nil && !opts.DeferIndex {
		err = p.EnsureIndex(ctx, db)
	}
	if err != nil {
		if opts.Backend == BackendPGVector {
			return nil, "", fmt.Errorf("knowledge: pgvector backend: %w", err)
		}
		return opts.exact(), "exact scan: " + err.Error(), nil
	}
	n, err := p.backfill(ctx, db)
	if err != nil {
		return nil, "", err
	}
	reason := "pgvector: vector extension installed, HNSW index " + hnswIndexName(opts.Model)
	if n > 0 {
		reason += fmt.Sprintf(" (%d vectors copied into embedding_v)", n)
	}
	return p, reason, nil
}

func (o Options) exact() *Exact {
	switch {
	case o.CacheFloats < 0:
		return NewExactCache(o.Model, o.Dim, 0)
	case o.CacheFloats == 0:
		return NewExact(o.Model, o.Dim)
	}
	return NewExactCache(o.Model, o.Dim, o.CacheFloats)
}

// EnsureIndex creates the model's HNSW index unless it exists.
func (p *PGVector) EnsureIndex(ctx context.Context, db DB) error {
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7419507)`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, p.hnswDDL()); err != nil {
			return fmt.Errorf("hnsw index: %w", err)
		}
		return nil
	})
}

// backfill copies portable vectors of the model into embedding_v where it
// is missing, in batches, and returns how many it copied.
func (p *PGVector) backfill(ctx context.Context, db DB) (int, error) {
	total := 0
	for {
		rows, err := db.Query(ctx, `SELECT tenant_id::text, id, embedding FROM knowledge_chunks
			WHERE model = $1 AND embedding IS NOT NULL AND embedding_v IS NULL LIMIT 500`, p.model)
		if err != nil {
			return total, fmt.Errorf("knowledge: backfill: %w", err)
		}
		type row struct {
			tenant string
			id     int64
			emb    []byte
		}
		batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
			var x row
			return x, r.Scan(&x.tenant, &x.id, &x.emb)
		})
		if err != nil {
			return total, fmt.Errorf("knowledge: backfill: %w", err)
		}
		if len(batch) == 0 {
			return total, nil
		}
		byTenant := map[string][]row{}
		for _, x := range batch {
			byTenant[x.tenant] = append(byTenant[x.tenant], x)
		}
		for t, xs := range byTenant {
			ids := make([]int64, len(xs))
			vecs := make([][]float32, len(xs))
			for i, x := range xs {
				ids[i], vecs[i] = x.id, decode(x.emb)
			}
			if err := p.SetVectors(ctx, db, t, ids, vecs); err != nil {
				return total, err
			}
		}
		total += len(batch)
	}
}
