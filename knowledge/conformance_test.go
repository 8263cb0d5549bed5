package knowledge_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/knowledge"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/postgres/pgtest"
)

// backends are the two index backends and the servers they are tested on:
// the exact scan on the native PostgreSQL (no vector extension), pgvector
// on PGlite (BANLI_TEST_PGVECTOR_URL). Every conformance case runs on both.
// The exact backend runs three times: with its cache, without it
// (streaming every vector), and with a cache of 20 passages, so that some
// tenants are cached, others streamed, and tenants evict each other.
var backends = []struct {
	name, want  string
	cacheFloats int
	pool        func(testing.TB) *pgxpool.Pool
}{
	{"exact", knowledge.BackendExact, 0, pgtest.New},
	{"exact-streaming", knowledge.BackendExact, -1, pgtest.New},
	{"exact-small-cache", knowledge.BackendExact, 20 * knowledge.DefaultDim, pgtest.New},
	{"pgvector", knowledge.BackendPGVector, 0, pgtest.Vector},
}

// env is one backend's test setting: its pool, the store (to create
// tenants) and the index Open chose.
type env struct {
	pool  *pgxpool.Pool
	store *postgres.Store
	emb   *knowledge.Hashed
	idx   knowledge.Index
}

func newEnv(t *testing.T, pool *pgxpool.Pool, want string, cacheFloats int) *env {
	t.Helper()
	st, err := postgres.New(pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	emb := knowledge.NewHashed(0)
	// No backend is forced: Open must choose pgvector where the extension
	// exists and the exact scan where it does not.
	idx, reason, err := knowledge.Open(context.Background(), pool, knowledge.Options{Model: emb.Model(), Dim: emb.Dim(), CacheFloats: cacheFloats})
	if err != nil {
		t.Fatal(err)
	}
	if idx.Backend() != want {
		t.Fatalf("Open chose %s (%s), want %s", idx.Backend(), reason, want)
	}
	return &env{pool: pool, store: st, emb: emb, idx: idx}
}

// tenant creates a tenant with a unique slug (the PGlite database is
// shared by every test of the run).
func (e *env) tenant(t *testing.T) string {
	t.Helper()
	var b [4]byte
	_, _ = rand.Read(b[:])
	slug := "kc-" + hex.EncodeToString(b[:])
	id, err := e.store.CreateTenant(context.Background(), domain.ViaSeed, slug, "Conformance "+slug, domain.DefaultSettings())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// in runs fn in a transaction acting as the application role in tenant,
// as the store does, so row-level security applies to the index's SQL.
func (e *env) in(t *testing.T, tenant string, fn func(tx pgx.Tx) error) {
	t.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('role', 'banli_app', true), set_config('app.tenant_id', $1, true)`, tenant); err != nil {
			return err
		}
		return fn(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// put chunks and embeds text (embedding it unless lazy) as one source.
func (e *env) put(t *testing.T, src knowledge.Source, text string, lazy bool) []knowledge.Chunk {
	t.Helper()
	chunks := knowledge.Split(text, 0, 0)
	var vecs [][]float32
	if !lazy {
		var err error
		vecs, err = e.emb.Embed(context.Background(), inputs(src.Title, chunks))
		if err != nil {
			t.Fatal(err)
		}
	}
	e.in(t, src.Tenant, func(tx pgx.Tx) error { return e.idx.Put(context.Background(), tx, src, chunks, vecs) })
	return chunks
}

func inputs(title string, chunks []knowledge.Chunk) []string {
	out := make([]string, len(chunks))
	for i, c := range chunks {
		out[i] = title + "\n" + c.Text
	}
	return out
}

// search runs q in its tenant, embedding q.Text unless keywordOnly.
func (e *env) search(t *testing.T, q knowledge.Query, keywordOnly bool) []knowledge.Hit {
	t.Helper()
	if !keywordOnly && q.Vector == nil {
		v, err := e.emb.Embed(context.Background(), []string{q.Text})
		if err != nil {
			t.Fatal(err)
		}
		q.Vector = v[0]
	}
	if q.MinSimilarity == 0 {
		q.MinSimilarity = e.emb.MinSimilarity()
	}
	var hits []knowledge.Hit
	e.in(t, q.Tenant, func(tx pgx.Tx) error {
		var err error
		hits, err = e.idx.Search(context.Background(), tx, q)
		return err
	})
	return hits
}

func sources(hits []knowledge.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Kind+":"+h.SourceID)
	}
	return out
}

const (
	leaveText = `年假按年資計算，首年 10 日，每年遞增 1 日，上限 18 日。病假連續超過兩日須提交醫生證明。
Annual leave starts at 10 days in the first year and grows by one day a year up to 18 days. Sick leave of more than two consecutive days needs a medical certificate.`
	expenseText = `膳食每人每餐上限港幣 300 元；的士只限晚上十時後或攜帶貨辦時使用。報銷須於消費後 60 日內提交。
Meals are capped at HKD 300 per person per meal. Taxis only after 10 pm or when carrying samples. Claims must be submitted within 60 days of the expense.`
	vpnText = `遙距工作須經公司VPN連線。新員工向資訊科技部申請VPN帳戶，安裝客戶端後以公司電郵登入。
Remote work goes through the company VPN. New staff ask the IT department for a VPN account, install the client and sign in with their company email.`
	meetingText = `馮偉業: 第三季銷售比預期低百分之十二，主要因為海天物流的訂單延誤。
王家樂: 我下星期約海天物流的採購經理開會，追回延誤的訂單。
Fung: the Q3 sales figures were twelve percent below plan because the Haitian Logistics orders slipped.`
)

// seed puts three documents everyone reads and a meeting that only its
// participant e-1 (and admins and auditors) may read.
func (e *env) seed(t *testing.T, tenant string) {
	t.Helper()
	all := []string{knowledge.Everyone}
	e.put(t, knowledge.Source{Tenant: tenant, Kind: knowledge.KindDocument, ID: "doc-leave", Title: "假期政策 Leave policy", Readers: all}, leaveText, false)
	e.put(t, knowledge.Source{Tenant: tenant, Kind: knowledge.KindDocument, ID: "doc-expense", Title: "報銷政策 Expense policy", Readers: all}, expenseText, false)
	e.put(t, knowledge.Source{Tenant: tenant, Kind: knowledge.KindDocument, ID: "doc-vpn", Title: "遙距工作 Remote work", Readers: all}, vpnText, false)
	e.put(t, knowledge.Source{Tenant: tenant, Kind: knowledge.KindMeeting, ID: "m-q3", Title: "第三季銷售檢討 Q3 sales review",
		Readers: []string{knowledge.Employee("e-1"), knowledge.Role("admin"), knowledge.Role("auditor")}}, meetingText, false)
}

var conformance = []struct {
	name string
	run  func(t *testing.T, e *env)
}{
	{"finds by meaning and by keyword, best first, with citations", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		e.seed(t, tn)
		for _, c := range []struct{ q, want string }{
			{"病假要醫生證明嗎", "document:doc-leave"},
			{"how much can I claim for a meal", "document:doc-expense"},
			{"VPN account for remote work", "document:doc-vpn"},
			{"报销几天内提交", "document:doc-expense"}, // Simplified query, Traditional text
		} {
			hits := e.search(t, knowledge.Query{Tenant: tn, Text: c.q, Readers: knowledge.Principals("e-2", []string{"employee"})}, false)
			if len(hits) == 0 || sources(hits)[0] != c.want {
				t.Fatalf("%q: got %v, want %s first", c.q, sources(hits), c.want)
			}
			h := hits[0]
			if h.Title == "" || h.Text == "" || h.Snippet == "" || h.Score <= 0 || (h.VectorRank == 0 && h.KeywordRank == 0) {
				t.Fatalf("%q: incomplete citation %+v", c.q, h)
			}
		}
	}},
	{"keyword search alone folds Simplified and Traditional", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		e.seed(t, tn)
		hits := e.search(t, knowledge.Query{Tenant: tn, Text: "请假 医生证明"}, true)
		if len(hits) == 0 || sources(hits)[0] != "document:doc-leave" || hits[0].KeywordRank != 1 || hits[0].VectorRank != 0 {
			t.Fatalf("got %+v", hits)
		}
	}},
	{"a passage found both ways outranks one found one way", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		e.seed(t, tn)
		hits := e.search(t, knowledge.Query{Tenant: tn, Text: "meal cap HKD 300"}, false)
		if len(hits) == 0 || hits[0].SourceID != "doc-expense" || hits[0].VectorRank == 0 || hits[0].KeywordRank == 0 {
			t.Fatalf("got %+v", hits)
		}
		for _, h := range hits[1:] {
			if h.Score > hits[0].Score {
				t.Fatalf("not ordered by fused score: %+v", hits)
			}
		}
	}},
	{"nothing relevant finds nothing", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		e.seed(t, tn)
		if hits := e.search(t, knowledge.Query{Tenant: tn, Text: "xylophone zebra quantum"}, false); len(hits) != 0 {
			t.Fatalf("got %+v", hits)
		}
	}},
	{"tenants do not see each other's chunks", func(t *testing.T, e *env) {
		a, b := e.tenant(t), e.tenant(t)
		e.seed(t, a)
		e.put(t, knowledge.Source{Tenant: b, Kind: knowledge.KindDocument, ID: "doc-other", Title: "Other company leave", Readers: []string{knowledge.Everyone}},
			"Annual leave at the other company is 25 days. 病假無需證明。", false)
		for _, q := range []string{"annual leave days", "病假證明"} {
			// A system search (no readers filter) in a is still only a's.
			for _, h := range e.search(t, knowledge.Query{Tenant: a, Text: q}, false) {
				if h.SourceID == "doc-other" {
					t.Fatalf("tenant a found tenant b's chunk for %q", q)
				}
			}
			hits := e.search(t, knowledge.Query{Tenant: b, Text: q}, false)
			if len(hits) != 1 || hits[0].SourceID != "doc-other" {
				t.Fatalf("tenant b, %q: %v", q, sources(hits))
			}
		}
	}},
	{"readers decide who sees a chunk", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		e.seed(t, tn)
		q := "海天物流訂單延誤 Q3 sales below plan"
		for _, c := range []struct {
			who     string
			readers []string
			sees    bool
		}{
			{"participant", knowledge.Principals("e-1", []string{"employee"}), true},
			{"colleague", knowledge.Principals("e-2", []string{"employee", "hr"}), false},
			{"admin", knowledge.Principals("e-9", []string{"employee", "admin"}), true},
			{"auditor", knowledge.Principals("e-8", []string{"auditor"}), true},
			{"system", nil, true},
		} {
			hits := e.search(t, knowledge.Query{Tenant: tn, Text: q, Readers: c.readers}, false)
			if got := slices.Contains(sources(hits), "meeting:m-q3"); got != c.sees {
				t.Fatalf("%s sees the meeting: %v, want %v (%v)", c.who, got, c.sees, sources(hits))
			}
		}
	}},
	{"kinds narrow the search", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		e.seed(t, tn)
		hits := e.search(t, knowledge.Query{Tenant: tn, Text: "銷售 訂單 leave", Kinds: []string{knowledge.KindMeeting}}, false)
		if len(hits) == 0 {
			t.Fatal("no meeting found")
		}
		for _, h := range hits {
			if h.Kind != knowledge.KindMeeting {
				t.Fatalf("got kind %s", h.Kind)
			}
		}
	}},
	{"put replaces a source's chunks and delete removes them", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		e.seed(t, tn)
		src := knowledge.Source{Tenant: tn, Kind: knowledge.KindDocument, ID: "doc-leave", Title: "假期政策 Leave policy", Readers: []string{knowledge.Everyone}}
		e.put(t, src, "Parental leave is 14 weeks. 侍產假五天。", false)
		if hits := e.search(t, knowledge.Query{Tenant: tn, Text: "medical certificate 醫生證明"}, true); slices.Contains(sources(hits), "document:doc-leave") {
			t.Fatalf("the old text is still found: %+v", hits)
		}
		if hits := e.search(t, knowledge.Query{Tenant: tn, Text: "parental leave weeks"}, false); len(hits) == 0 || hits[0].SourceID != "doc-leave" {
			t.Fatalf("the new text is not found: %v", sources(hits))
		}
		e.in(t, tn, func(tx pgx.Tx) error {
			return e.idx.Delete(context.Background(), tx, tn, knowledge.KindDocument, "doc-leave")
		})
		if hits := e.search(t, knowledge.Query{Tenant: tn, Text: "parental leave weeks"}, false); slices.Contains(sources(hits), "document:doc-leave") {
			t.Fatalf("a deleted source is found: %v", sources(hits))
		}
	}},
	{"chunks stored without vectors are found by keyword, then by meaning once embedded", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		src := knowledge.Source{Tenant: tn, Kind: knowledge.KindMeetingSummary, ID: "m-1", Title: "Budget meeting summary", Readers: []string{knowledge.Everyone}}
		chunks := e.put(t, src, "The marketing budget for next year grows by eight percent. 明年市場推廣預算增加百分之八。", true)
		var pending []knowledge.PendingChunk
		e.in(t, tn, func(tx pgx.Tx) (err error) {
			pending, err = e.idx.Pending(context.Background(), tx, tn, src.Kind, src.ID)
			return err
		})
		if len(pending) != len(chunks) || pending[0].Title != src.Title {
			t.Fatalf("pending %+v for %d chunks", pending, len(chunks))
		}
		hits := e.search(t, knowledge.Query{Tenant: tn, Text: "marketing budget"}, false)
		if len(hits) != 1 || hits[0].VectorRank != 0 || hits[0].KeywordRank != 1 {
			t.Fatalf("before embedding: %+v", hits)
		}
		ids := make([]int64, len(pending))
		texts := make([]string, len(pending))
		for i, p := range pending {
			ids[i], texts[i] = p.ID, p.Title+"\n"+p.Text
		}
		vecs, _ := e.emb.Embed(context.Background(), texts)
		e.in(t, tn, func(tx pgx.Tx) error { return e.idx.SetVectors(context.Background(), tx, tn, ids, vecs) })
		hits = e.search(t, knowledge.Query{Tenant: tn, Text: "marketing budget"}, false)
		if len(hits) != 1 || hits[0].VectorRank != 1 {
			t.Fatalf("after embedding: %+v", hits)
		}
		e.in(t, tn, func(tx pgx.Tx) (err error) {
			pending, err = e.idx.Pending(context.Background(), tx, tn, src.Kind, src.ID)
			return err
		})
		if len(pending) != 0 {
			t.Fatalf("still pending: %+v", pending)
		}
	}},
	{"vectors of another model are not compared", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		e.seed(t, tn)
		other := knowledge.NewHashed(64)
		idx, _, err := knowledge.Open(context.Background(), e.pool, knowledge.Options{Model: other.Model(), Dim: other.Dim()})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := other.Embed(context.Background(), []string{"annual leave"})
		var hits []knowledge.Hit
		var pending []knowledge.PendingChunk
		e.in(t, tn, func(tx pgx.Tx) (err error) {
			if hits, err = idx.Search(context.Background(), tx, knowledge.Query{Tenant: tn, Text: "annual leave", Vector: v[0]}); err != nil {
				return err
			}
			pending, err = idx.Pending(context.Background(), tx, tn, knowledge.KindDocument, "doc-leave")
			return err
		})
		for _, h := range hits {
			if h.VectorRank != 0 {
				t.Fatalf("a chunk of model %s was ranked by vectors of %s: %+v", e.emb.Model(), other.Model(), h)
			}
		}
		if len(hits) == 0 || len(pending) == 0 {
			t.Fatalf("keyword hits %d, pending %d: want both", len(hits), len(pending))
		}
	}},
	{"limit and the per-source cap hold", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		var long strings.Builder
		for i := range 40 {
			fmt.Fprintf(&long, "Section %d. Overtime is paid at one and a half times the hourly rate on weekdays. ", i)
		}
		e.put(t, knowledge.Source{Tenant: tn, Kind: knowledge.KindDocument, ID: "doc-ot", Title: "Overtime", Readers: []string{knowledge.Everyone}}, long.String(), false)
		e.put(t, knowledge.Source{Tenant: tn, Kind: knowledge.KindDocument, ID: "doc-ot2", Title: "Overtime on holidays", Readers: []string{knowledge.Everyone}}, "Overtime on public holidays is paid at twice the hourly rate.", false)
		hits := e.search(t, knowledge.Query{Tenant: tn, Text: "overtime hourly rate", Limit: 3}, false)
		per := map[string]int{}
		for _, h := range hits {
			per[h.SourceID]++
		}
		if len(hits) != 3 || per["doc-ot"] != 2 || per["doc-ot2"] != 1 {
			t.Fatalf("got %v", sources(hits))
		}
		hits = e.search(t, knowledge.Query{Tenant: tn, Text: "overtime hourly rate", Limit: 3, PerSource: 1}, false)
		if len(hits) != 2 {
			t.Fatalf("one per source: got %v", sources(hits))
		}
	}},
	{"nearest neighbours agree with a brute-force ranking", func(t *testing.T, e *env) {
		tn := e.tenant(t)
		texts := synthetic(300)
		ctx := context.Background()
		vecs, _ := e.emb.Embed(ctx, texts)
		e.in(t, tn, func(tx pgx.Tx) error {
			for i, text := range texts {
				src := knowledge.Source{Tenant: tn, Kind: knowledge.KindDocument, ID: fmt.Sprintf("s-%03d", i), Title: "", Readers: []string{knowledge.Everyone}}
				if err := e.idx.Put(ctx, tx, src, []knowledge.Chunk{{Ord: 0, Text: text}}, vecs[i:i+1]); err != nil {
					return err
				}
			}
			return nil
		})
		for qi, q := range []string{"warehouse shipment delayed 貨倉", "客戶 投訴 退款", "annual budget review meeting"} {
			qv, _ := e.emb.Embed(ctx, []string{q})
			type cand struct {
				id  string
				sim float64
			}
			var all []cand
			for i, v := range vecs {
				var s float64
				for j := range v {
					s += float64(v[j]) * float64(qv[0][j])
				}
				all = append(all, cand{fmt.Sprintf("s-%03d", i), s})
			}
			sort.Slice(all, func(i, j int) bool { return all[i].sim > all[j].sim })
			// Vector ranking only: no keyword text, no similarity floor.
			hits := e.search(t, knowledge.Query{Tenant: tn, Vector: qv[0], Limit: 5, MinSimilarity: -1}, true)
			if len(hits) != 5 {
				t.Fatalf("query %d: %d hits", qi, len(hits))
			}
			for i, h := range hits {
				if h.SourceID != all[i].id && abs(h.Similarity-all[i].sim) > 1e-5 {
					t.Fatalf("query %d rank %d: got %s (%.5f), brute force %s (%.5f)", qi, i+1, h.SourceID, h.Similarity, all[i].id, all[i].sim)
				}
			}
		}
	}},
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// synthetic returns n short mixed Chinese and English office texts.
func synthetic(n int) []string {
	subj := []string{"warehouse", "shipment", "customer", "budget", "invoice", "meeting", "貨倉", "客戶", "預算", "發票", "會議", "退款"}
	verb := []string{"delayed", "approved", "reviewed", "投訴", "延誤", "批准", "review", "refund"}
	obj := []string{"next week", "this quarter", "in Kowloon", "下星期", "本季", "九龍", "annual", "物流"}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s %s %s %s %d", subj[i%len(subj)], verb[(i/3)%len(verb)], obj[(i/7)%len(obj)], subj[(i/11)%len(subj)], i)
	}
	return out
}

func TestConformance(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.pool(t), b.want, b.cacheFloats)
			for _, c := range conformance {
				t.Run(c.name, func(t *testing.T) { c.run(t, e) })
			}
		})
	}
}

// TestOpenBackfillsVectors: chunks embedded while the exact backend was in
// use get their pgvector column when pgvector is opened, and are found.
func TestOpenBackfillsVectors(t *testing.T) {
	pool := pgtest.Vector(t)
	e := newEnv(t, pool, knowledge.BackendPGVector, 0)
	tn := e.tenant(t)
	emb := knowledge.NewHashed(96)
	exact, _, err := knowledge.Open(context.Background(), pool, knowledge.Options{Model: emb.Model(), Dim: emb.Dim(), Backend: knowledge.BackendExact})
	if err != nil {
		t.Fatal(err)
	}
	e.emb, e.idx = emb, exact
	e.seed(t, tn)
	idx, reason, err := knowledge.Open(context.Background(), pool, knowledge.Options{Model: emb.Model(), Dim: emb.Dim()})
	if err != nil || idx.Backend() != knowledge.BackendPGVector || !strings.Contains(reason, "copied") {
		t.Fatalf("Open: %v, %v, %q", idx, err, reason)
	}
	e.idx = idx
	hits := e.search(t, knowledge.Query{Tenant: tn, Text: "VPN account for remote work"}, false)
	if len(hits) == 0 || hits[0].SourceID != "doc-vpn" || hits[0].VectorRank != 1 {
		t.Fatalf("after backfill: %+v", hits)
	}
}

// TestExactCacheUnderConcurrentWrites searches from several goroutines
// while sources are added: every search sees a consistent state, and once
// the writes are done every source is found (the cache notices each one).
func TestExactCacheUnderConcurrentWrites(t *testing.T) {
	e := newEnv(t, pgtest.New(t), knowledge.BackendExact, 0)
	tn := e.tenant(t)
	ctx := context.Background()
	const writes = 20
	done := make(chan struct{})
	errs := make(chan error, 8)
	for range 3 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				v, _ := e.emb.Embed(ctx, []string{"warehouse shipment"})
				err := pgx.BeginFunc(ctx, e.pool, func(tx pgx.Tx) error {
					if _, err := tx.Exec(ctx, `SELECT set_config('role', 'banli_app', true), set_config('app.tenant_id', $1, true)`, tn); err != nil {
						return err
					}
					_, err := e.idx.Search(ctx, tx, knowledge.Query{Tenant: tn, Text: "warehouse", Vector: v[0], Limit: 5})
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range writes {
		e.put(t, knowledge.Source{Tenant: tn, Kind: knowledge.KindDocument, ID: fmt.Sprintf("w-%02d", i), Title: "Warehouse note", Readers: []string{knowledge.Everyone}},
			fmt.Sprintf("Warehouse shipment %d leaves Kwai Chung on day %d.", i, i), false)
	}
	close(done)
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// By vector alone: only a current cache finds every source.
	v, _ := e.emb.Embed(ctx, []string{"warehouse shipment leaves Kwai Chung"})
	hits := e.search(t, knowledge.Query{Tenant: tn, Vector: v[0], Limit: 50, PerSource: 1, MinSimilarity: -1}, true)
	if len(hits) != writes {
		t.Fatalf("found %d of %d sources after the writes", len(hits), writes)
	}
}
