// Command knowledgebench measures knowledge search on synthetic passages:
// HNSW recall@k against exact search, and query latency, for the backend
// knowledge.Open chooses on the server at -url (pgvector on PGlite, the
// exact scan on plain PostgreSQL). scripts/bench-knowledge.sh runs it on
// both; knowledge/README.md has the figures.
//
// It loads -n passages (mixed Chinese and English office text, 10 per
// source) into a new tenant, builds the HNSW index after the load, then
// times -queries searches by vector alone (the index's own latency) and
// hybrid searches (vector and keyword, fused: what users get). Ground truth
// is a brute-force ranking in Go over the same stored vectors.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/knowledge"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/progress"
)

func main() {
	url := flag.String("url", os.Getenv("DATABASE_URL"), "PostgreSQL to load into (a scratch database)")
	n := flag.Int("n", 100_000, "passages to load")
	queries := flag.Int("queries", 200, "queries to time")
	k := flag.Int("k", 10, "neighbours per query (recall@k)")
	backend := flag.String("backend", "", "force exact or pgvector (default: what Open chooses)")
	single := flag.Bool("single", false, "one connection, reset on connect (PGlite)")
	ef := flag.Int("ef", 100, "hnsw.ef_search")
	cache := flag.Int("cache-floats", 0, "exact backend's cache in floats (0: default, -1: none, stream every vector)")
	flag.Parse()
	if err := run(context.Background(), *url, *n, *queries, *k, *backend, *single, *ef, *cache); err != nil {
		fmt.Fprintln(os.Stderr, "knowledgebench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url string, n, queries, k int, backend string, single bool, ef, cache int) error {
	if url == "" {
		return fmt.Errorf("-url or DATABASE_URL is needed")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return err
	}
	if single {
		cfg.MaxConns = 1
		cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
			if _, err := c.Exec(ctx, "ROLLBACK"); err != nil {
				return err
			}
			_, err := c.Exec(ctx, "DISCARD ALL")
			return err
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	st, err := postgres.New(pool, postgres.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	tenant, err := st.CreateTenant(ctx, domain.ViaCLI, "bench-"+hex.EncodeToString(b[:]), "Knowledge bench", domain.DefaultSettings())
	if err != nil {
		return err
	}
	emb := knowledge.NewHashed(0)
	idx, reason, err := knowledge.Open(ctx, pool, knowledge.Options{Model: emb.Model(), Dim: emb.Dim(), Backend: backend, EfSearch: ef, DeferIndex: true, CacheFloats: cache})
	if err != nil {
		return err
	}
	var version string
	_ = pool.QueryRow(ctx, `SELECT version()`).Scan(&version)
	fmt.Printf("server: %s\nbackend: %s (%s)\n", strings.SplitN(version, ",", 2)[0], idx.Backend(), reason)

	// Load.
	rng := mrand.New(mrand.NewPCG(1, 2))
	texts := make([]string, n)
	for i := range texts {
		texts[i] = passage(rng)
	}
	t0 := time.Now()
	vecs, err := emb.Embed(ctx, texts)
	if err != nil {
		return err
	}
	fmt.Printf("embedded %d passages (%s) in %s\n", n, emb.Model(), time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	bar := progress.New(os.Stderr, "loading", n)
	const perSource, sourcesPerTx = 10, 50
	for start := 0; start < n; start += perSource * sourcesPerTx {
		err := inTenant(ctx, pool, tenant, func(tx pgx.Tx) error {
			for s := start; s < min(n, start+perSource*sourcesPerTx); s += perSource {
				end := min(n, s+perSource)
				chunks := make([]knowledge.Chunk, 0, end-s)
				for i := s; i < end; i++ {
					chunks = append(chunks, knowledge.Chunk{Ord: i - s, Text: texts[i]})
				}
				src := knowledge.Source{Tenant: tenant, Kind: knowledge.KindDocument, ID: fmt.Sprintf("s-%06d", s/perSource), Title: "", Readers: []string{knowledge.Everyone}}
				if err := idx.Put(ctx, tx, src, chunks, vecs[s:end]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		bar.Set(min(n, start+perSource*sourcesPerTx))
	}
	bar.Finish()
	fmt.Printf("loaded in %s\n", time.Since(t0).Round(time.Millisecond))
	if p, ok := idx.(*knowledge.PGVector); ok {
		t0 = time.Now()
		conn, err := pool.Acquire(ctx)
		if err != nil {
			return err
		}
		// The graph of 100,000 vectors fits in memory only with more than
		// the default 64 MB; built on disk it takes many times longer.
		_, err = conn.Exec(ctx, `SET maintenance_work_mem = '1GB'`)
		if err == nil {
			err = p.EnsureIndex(ctx, conn)
		}
		if err == nil {
			_, err = conn.Exec(ctx, `RESET maintenance_work_mem`)
		}
		conn.Release()
		if err != nil {
			return err
		}
		fmt.Printf("built the HNSW index in %s\n", time.Since(t0).Round(time.Millisecond))
	}
	if _, err := pool.Exec(ctx, `ANALYZE knowledge_chunks`); err != nil {
		return err
	}

	// Ground truth: the stored vectors, brute force in Go.
	ids, stored, err := loadVectors(ctx, pool, tenant, emb.Model())
	if err != nil {
		return err
	}
	if len(ids) != n {
		return fmt.Errorf("%d vectors stored, %d loaded", len(ids), n)
	}
	qtexts := make([]string, queries)
	for i := range qtexts {
		qtexts[i] = query(rng)
	}
	qvecs, _ := emb.Embed(ctx, qtexts)
	// The first search fills the exact backend's cache (and warms any
	// backend's buffers): timed apart from the rest.
	t0 = time.Now()
	err = inTenant(ctx, pool, tenant, func(tx pgx.Tx) error {
		_, err := idx.Search(ctx, tx, knowledge.Query{Tenant: tenant, Vector: qvecs[0], Limit: k})
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("first search: %s\n", time.Since(t0).Round(time.Millisecond))
	var recall float64
	var vecLat, hybLat []time.Duration
	for i, qv := range qvecs {
		truth := bruteForce(ids, stored, qv, k)
		var hits []knowledge.Hit
		t := time.Now()
		err := inTenant(ctx, pool, tenant, func(tx pgx.Tx) (err error) {
			hits, err = idx.Search(ctx, tx, knowledge.Query{Tenant: tenant, Vector: qv, Readers: []string{knowledge.Everyone, "emp:e-1"},
				Limit: k, PerSource: n, MinSimilarity: -1})
			return err
		})
		if err != nil {
			return err
		}
		vecLat = append(vecLat, time.Since(t))
		found := 0
		for _, h := range hits {
			if slices.Contains(truth, h.ChunkID) {
				found++
			}
		}
		recall += float64(found) / float64(k)
		t = time.Now()
		err = inTenant(ctx, pool, tenant, func(tx pgx.Tx) error {
			_, err := idx.Search(ctx, tx, knowledge.Query{Tenant: tenant, Text: qtexts[i], Vector: qv, Readers: []string{knowledge.Everyone, "emp:e-1"},
				Limit: 5, MinSimilarity: emb.MinSimilarity(), VectorWeight: emb.VectorWeight()})
			return err
		})
		if err != nil {
			return err
		}
		hybLat = append(hybLat, time.Since(t))
	}
	fmt.Printf("recall@%d against exact search: %.3f over %d queries (ef_search %d)\n", k, recall/float64(queries), queries, ef)
	fmt.Printf("vector search latency: p50 %s, p99 %s\n", pct(vecLat, 50), pct(vecLat, 99))
	fmt.Printf("hybrid search latency: p50 %s, p99 %s\n", pct(hybLat, 50), pct(hybLat, 99))
	if p, ok := idx.(*knowledge.PGVector); ok {
		plan, err := explain(ctx, pool, tenant, p, qvecs[0])
		if err != nil {
			return err
		}
		fmt.Printf("plan of the vector query:\n%s\n", plan)
	}
	return nil
}

// inTenant runs fn as the application role in tenant, as the store does.
func inTenant(ctx context.Context, pool *pgxpool.Pool, tenant string, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('role', 'banli_app', true), set_config('app.tenant_id', $1, true)`, tenant); err != nil {
			return err
		}
		return fn(tx)
	})
}

func loadVectors(ctx context.Context, pool *pgxpool.Pool, tenant, model string) ([]int64, [][]float32, error) {
	rows, err := pool.Query(ctx, `SELECT id, embedding FROM knowledge_chunks WHERE tenant_id = $1 AND model = $2 ORDER BY id`, tenant, model)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var ids []int64
	var vecs [][]float32
	for rows.Next() {
		var id int64
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return nil, nil, err
		}
		v := make([]float32, len(b)/4)
		for i := range v {
			v[i] = math.Float32frombits(uint32(b[4*i]) | uint32(b[4*i+1])<<8 | uint32(b[4*i+2])<<16 | uint32(b[4*i+3])<<24)
		}
		ids, vecs = append(ids, id), append(vecs, v)
	}
	return ids, vecs, rows.Err()
}

func bruteForce(ids []int64, vecs [][]float32, q []float32, k int) []int64 {
	type c struct {
		id int64
		s  float32
	}
	all := make([]c, len(ids))
	for i, v := range vecs {
		var s float32
		for j := range v {
			s += v[j] * q[j]
		}
		all[i] = c{ids[i], s}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].s > all[j].s })
	out := make([]int64, k)
	for i := range out {
		out[i] = all[i].id
	}
	return out
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))].Round(10 * time.Microsecond)
}

// explain shows the plan of the HNSW query the backend runs.
func explain(ctx context.Context, pool *pgxpool.Pool, tenant string, p *knowledge.PGVector, q []float32) (string, error) {
	var lines []string
	err := inTenant(ctx, pool, tenant, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true)`); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "EXPLAIN "+p.NearestSQL(), tenant, []string{knowledge.Everyone}, []string{}, pgvector.NewVector(q), 100)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l string
			if err := rows.Scan(&l); err != nil {
				return err
			}
			lines = append(lines, "  "+vectorConst.ReplaceAllString(l, "'[…]'::vector"))
		}
		return rows.Err()
	})
	return strings.Join(lines, "\n"), err
}

var vectorConst = regexp.MustCompile(`'\[[^']*\]'::vector`)

// Synthetic office text: topics in Chinese and English, so passages share
// words unevenly, as real documents do.
var (
	zhSubj = []string{"員工", "部門主管", "財務部", "人力資源部", "倉庫", "客戶", "供應商", "資訊科技部", "物流團隊", "銷售部"}
	zhVerb = []string{"須提交", "應於月底前完成", "可申請", "負責審批", "定期檢查", "需要核對", "安排培訓", "更新記錄", "跟進", "通知"}
	zhObj  = []string{"年假申請", "報銷單據", "採購訂單", "出差預算", "安全守則", "系統密碼", "貨運單", "合約條款", "病假證明", "加班補償"}
	enSubj = []string{"Employees", "Managers", "The finance team", "HR", "The warehouse", "Customers", "Suppliers", "IT support", "Logistics", "Sales"}
	enVerb = []string{"must submit", "should review", "may request", "approve", "check", "reconcile", "schedule", "update", "follow up on", "report"}
	enObj  = []string{"leave requests", "expense receipts", "purchase orders", "travel budgets", "safety rules", "passwords", "shipping notes", "contract terms", "medical certificates", "overtime pay"}
	enTail = []string{"within 30 days", "before the month ends", "every quarter", "in the Kowloon office", "for the Shenzhen site", "with the manager's approval", "through the portal", "by email"}
)

func pick(r *mrand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// passage makes one passage of three to six sentences, mixed Chinese and English.
func passage(r *mrand.Rand) string {
	var b strings.Builder
	for range 3 + r.IntN(4) {
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "%s%s%s。", pick(r, zhSubj), pick(r, zhVerb), pick(r, zhObj))
		} else {
			fmt.Fprintf(&b, "%s %s %s %s. ", pick(r, enSubj), pick(r, enVerb), pick(r, enObj), pick(r, enTail))
		}
	}
	return b.String()
}

// query makes a short question-like query.
func query(r *mrand.Rand) string {
	if r.IntN(2) == 0 {
		return pick(r, zhSubj) + pick(r, zhVerb) + pick(r, zhObj)
	}
	return pick(r, enVerb) + " " + pick(r, enObj) + " " + pick(r, enTail)
}
