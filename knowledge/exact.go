package knowledge

import (
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"math"
)

// Exact is the backend for plain PostgreSQL: nearest neighbours by
// computing the cosine similarity of every visible chunk's vector (a bytea
// of float32s, the portable column) in Go. It is exact; its cost grows with
// the tenant's chunk count (knowledge/README.md has figures). Tenants that
// fit its cache are searched in memory, checked against the table on every
// search (vectorCache); larger ones stream their vectors from the database.
type Exact struct {
	common
	cache *vectorCache // nil: always stream
}

// NewExact returns the exact backend for vectors of an embedder's model
// and dimension, with a cache of DefaultCacheFloats.
func NewExact(model string, dim int) *Exact { return NewExactCache(model, dim, DefaultCacheFloats) }

// NewExactCache returns the exact backend with a cache of at most
// maxFloats floats (0 or less: no cache).
func NewExactCache(model string, dim, maxFloats int) *Exact {
	e := &Exact{common: common{model: model, dim: dim}}
	if maxFloats > 0 {
		e.cache = newVectorCache(maxFloats)
	}
	e.nearest = e.search
	return e
}

// search uses the cache when the tenant fits it, else scans.
func (e *Exact) search(ctx context.Context, db DB, q Query, k int) ([]scored, error) {
	if e.cache != nil {
		out, ok, err := e.cached(ctx, db, q, k)
		if ok || err != nil {
			return out, err
		}
	}
	return e.scan(ctx, db, q, k)
}

// Backend returns "exact".
func (e *Exact) Backend() string { return BackendExact }

// scan streams the vectors the filter admits and keeps the k best. The
// bytes are read in place (RawValues), so no vector is allocated per row.
func (e *Exact) scan(ctx context.Context, db DB, q Query, k int) ([]scored, error) {
	rows, err := db.Query(ctx, `SELECT id, embedding FROM knowledge_chunks
		WHERE `+filter+` AND model = $4 AND embedding IS NOT NULL`, append([]any{planned}, append(filterArgs(q), e.model)...)...)
	if err != nil {
		return nil, fmt.Errorf("knowledge: exact search: %w", err)
	}
	defer rows.Close()
	top := make(minHeap, 0, k+1)
	want := 4 * e.dim
	// Binary results (pgx's default) are read in place; text results (the
	// simple protocol) are decoded by Scan.
	binaryVec := rows.FieldDescriptions()[1].Format == 1
	var id int64
	var b []byte
	for rows.Next() {
		if binaryVec {
			raw := rows.RawValues()
			if err := rows.Scan(&id, nil); err != nil {
				return nil, fmt.Errorf("knowledge: exact search: %w", err)
			}
			b = raw[1]
		} else if err := rows.Scan(&id, &b); err != nil {
			return nil, fmt.Errorf("knowledge: exact search: %w", err)
		}
		if len(b) != want {
			return nil, fmt.Errorf("knowledge: exact search: a stored vector of %d bytes, expected %d", len(b), want)
		}
		var s float32
		for i, x := range q.Vector {
			s += x * math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
		if len(top) < k {
			heap.Push(&top, scored{id, float64(s)})
		} else if float64(s) > top[0].score {
			top[0] = scored{id, float64(s)}
			heap.Fix(&top, 0)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("knowledge: exact search: %w", err)
	}
	out := make([]scored, len(top))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&top).(scored)
	}
	return out, nil
}

// minHeap keeps the best k candidates with the worst on top; ties put the
// higher id on top so that the lower id wins, as in the other backend.
type minHeap []scored

func (h minHeap) Len() int { return len(h) }
func (h minHeap) Less(i, j int) bool {
	if h[i].score != h[j].score {
		return h[i].score < h[j].score
	}
	return h[i].id > h[j].id
}
func (h minHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *minHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
