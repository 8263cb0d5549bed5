package postgres_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/knowledge"
	"github.com/banlihq/banli/knowledge/knowledgetest"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/postgres/pgtest"
	"github.com/banlihq/banli/seed"
)

func docIDs(ds []domain.Document) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Kind+":"+d.ID)
	}
	return out
}

func TestSeededDocumentsAreSearchable(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, c := range []struct{ actor, q, want, snippet string }{
		{"e-107", "報銷食飯每個人上限幾多錢？", "doc-expense", "300"},
		{"e-108", "What's the meal cap per person in the expense policy?", "doc-expense", "300"},
		{"e-112", "病假連續幾天需要醫生證明？", "doc-leave", "醫生證明"},
		{"e-116", "报销要在多少天内提交？", "doc-expense", "60"},
	} {
		docs, err := e.st.SearchDocuments(ctx, e.as(c.actor), c.q, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) == 0 || docs[0].ID != c.want || docs[0].Kind != knowledge.KindDocument || !strings.Contains(docs[0].Snippet, c.snippet) {
			t.Fatalf("%q: %+v", c.q, docs)
		}
	}
	_, err := e.st.SearchDocuments(ctx, e.as("e-107"), "  ", 3)
	wantCode(t, err, domain.EInvalid)
}

func TestDocumentsCommands(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	in := domain.DocumentInput{Title: "財務系統操作手冊 Finance system handbook", Text: "月結前須於系統內核對應付帳款。\nClose the month after reconciling accounts payable in the ledger.",
		MIME: knowledge.MIMEMarkdown, Filename: "../../handbook.md", Roles: []string{"Finance", "finance"}}

	_, err := e.st.AddDocument(ctx, e.as("e-107"), in)
	wantCode(t, err, domain.EForbidden) // staff do not add documents

	d, err := e.st.AddDocument(ctx, e.as("e-111"), in) // HR does
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != "ready" || d.Chunks < 1 || d.Embedded != d.Chunks || d.Filename != "handbook.md" || !slices.Equal(d.Roles, []string{"finance"}) || d.CreatedBy != "e-111" {
		t.Fatalf("added %+v", d)
	}
	if got := auditActions(t, e, "document:"+d.ID); !slices.Equal(got, []string{"document.create"}) {
		t.Fatalf("audit %v", got)
	}

	// Restricted to finance: its readers, its author and admins see it.
	for _, c := range []struct {
		who  string
		sees bool
	}{{"e-110", true}, {"e-111", true}, {"e-113", true}, {"e-107", false}, {"e-114", false}} {
		docs, err := e.st.SearchDocuments(ctx, e.as(c.who), "reconcile accounts payable 應付帳款", 5)
		if err != nil {
			t.Fatal(err)
		}
		if got := slices.Contains(docIDs(docs), "document:"+d.ID); got != c.sees {
			t.Fatalf("%s finds it: %v, want %v", c.who, got, c.sees)
		}
		_, err = e.st.GetDocument(ctx, e.as(c.who), d.ID)
		if c.sees != (err == nil) {
			t.Fatalf("%s reads it: %v", c.who, err)
		}
		list, err := e.st.ListDocuments(ctx, e.as(c.who), "", 100)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, x := range list {
			ids = append(ids, x.ID)
		}
		if slices.Contains(ids, d.ID) != c.sees || !slices.Contains(ids, "doc-leave") {
			t.Fatalf("%s lists %v", c.who, ids)
		}
	}
	got, err := e.st.GetDocument(ctx, e.as("e-110"), d.ID)
	if err != nil || !strings.Contains(got.Text, "Close the month") {
		t.Fatalf("get: %+v %v", got, err)
	}

	err = e.st.DeleteDocument(ctx, e.as("e-110"), d.ID) // finance reads it but may not delete it
	wantCode(t, err, domain.EForbidden)
	err = e.st.DeleteDocument(ctx, e.as("e-107"), d.ID) // staff cannot even see it
	wantCode(t, err, domain.ENotFound)
	if err := e.st.DeleteDocument(ctx, e.as("e-111"), d.ID); err != nil {
		t.Fatal(err)
	}
	docs, _ := e.st.SearchDocuments(ctx, e.as("e-113"), "reconcile accounts payable", 5)
	if slices.Contains(docIDs(docs), "document:"+d.ID) {
		t.Fatal("a deleted document is still found")
	}
	if got := auditActions(t, e, "document:"+d.ID); !slices.Equal(got, []string{"document.delete", "document.create"}) {
		t.Fatalf("audit %v", got)
	}
}

func TestDocumentBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	before, _ := e.st.ListDocuments(ctx, e.as("e-113"), "", 100)
	for _, c := range []struct {
		name  string
		in    domain.DocumentInput
		field string
	}{
		{"no title", domain.DocumentInput{Text: "x"}, "title"},
		{"long title", domain.DocumentInput{Title: strings.Repeat("題", 301), Text: "x"}, "title"},
		{"no text", domain.DocumentInput{Title: "t", Text: " \n "}, "text"},
		{"too long", domain.DocumentInput{Title: "t", Text: strings.Repeat("a", knowledge.MaxTextBytes+1)}, "text"},
		{"bad mime", domain.DocumentInput{Title: "t", Text: "x", MIME: "image/png"}, "mime"},
		{"bad role", domain.DocumentInput{Title: "t", Text: "x", Roles: []string{"fin ance"}}, "roles"},
		{"no words", domain.DocumentInput{Title: "t", Text: "。。。"}, "text"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.st.AddDocument(ctx, e.as("e-113"), c.in)
			wantCode(t, err, domain.EInvalid)
			var de *domain.Error
			if !errors.As(err, &de) || len(de.Fields) == 0 || de.Fields[0].Field != c.field {
				t.Fatalf("want a field error on %s: %v", c.field, err)
			}
		})
	}
	after, _ := e.st.ListDocuments(ctx, e.as("e-113"), "", 100)
	if len(after) != len(before) {
		t.Fatalf("bad input stored something: %d documents, was %d", len(after), len(before))
	}
	_, err := e.st.ImportDocument(ctx, e.as("e-113"), "doc-leave", domain.DocumentInput{Title: "t", Text: "x"})
	wantCode(t, err, domain.EConflict)
}

func TestMeetingsAreSearchableByTheirReaders(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sys := domain.Actor{TenantID: e.tid, System: true, Via: domain.ViaJob}
	m := postgres.MeetingText{Kind: knowledge.KindMeeting, Meeting: "m-77", Title: "深圳倉庫月會",
		Text: "張偉: 十二月起深圳倉庫改為兩班制。\n趙明: 夜班由我安排人手。", Readers: []string{"e-115", "e-117"}}
	err := e.st.IndexMeeting(ctx, e.as("e-113"), m)
	wantCode(t, err, domain.EForbidden)
	if err := e.st.IndexMeeting(ctx, sys, m); err != nil {
		t.Fatal(err)
	}
	sum := postgres.MeetingText{Kind: knowledge.KindMeetingSummary, Meeting: "m-77", Title: "深圳倉庫月會",
		Text: "決定：深圳倉庫十二月起兩班制；趙明安排夜班。", Readers: m.Readers}
	if err := e.st.IndexMeeting(ctx, sys, sum); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who  string
		sees bool
	}{{"e-115", true}, {"e-117", true}, {"e-113", true}, {"e-114", true}, {"e-116", false}, {"e-111", false}} {
		docs, err := e.st.SearchDocuments(ctx, e.as(c.who), "深圳倉庫夜班", 5)
		if err != nil {
			t.Fatal(err)
		}
		ids := docIDs(docs)
		if slices.Contains(ids, "meeting:m-77") != c.sees || slices.Contains(ids, "meeting_summary:m-77") != c.sees {
			t.Fatalf("%s: %v, want seen %v", c.who, ids, c.sees)
		}
	}
	if err := e.st.UnindexMeeting(ctx, sys, "m-77"); err != nil {
		t.Fatal(err)
	}
	docs, _ := e.st.SearchDocuments(ctx, e.as("e-115"), "深圳倉庫夜班", 5)
	if len(docs) != 0 {
		t.Fatalf("after unindexing: %v", docIDs(docs))
	}
}

// remoteEnv is the demo company on a store whose embedder is an
// OpenAI-compatible server (the fake), so embedding runs as a job.
func remoteEnv(t *testing.T, f *knowledgetest.FakeEmbeddings, work bool) (*env, *postgres.Store) {
	t.Helper()
	e, st, _ := remoteEnvPool(t, f, work)
	return e, st
}

func remoteEnvPool(t *testing.T, f *knowledgetest.FakeEmbeddings, work bool) (*env, *postgres.Store, *pgxpool.Pool) {
	t.Helper()
	pool := pgtest.New(t)
	emb := f.Embedder(t, "fake-embed")
	st, err := postgres.New(pool, postgres.Options{Work: work, Knowledge: postgres.KnowledgeOptions{Embedder: emb}})
	if err != nil {
		t.Fatal(err)
	}
	fx, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{st: st, now: time.Now()}
	if e.tid, err = seed.Load(context.Background(), st, fx, ""); err != nil {
		t.Fatal(err)
	}
	return e, st, pool
}

func TestEmbeddingJob(t *testing.T) {
	f := knowledgetest.NewFakeEmbeddings(t, 64)
	e, st := remoteEnv(t, f, true)
	ctx := context.Background()
	if err := st.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Stop(context.Background()) })
	d, err := st.AddDocument(ctx, e.as("e-113"), domain.DocumentInput{Title: "IT 守則 IT rules", Text: "Passwords are changed every 90 days. 密碼每九十日更換一次。"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != "indexing" || d.Embedded != 0 {
		t.Fatalf("a remote embedder must leave the document indexing: %+v", d)
	}
	// The job embeds it; until then keyword search finds it already.
	deadline := time.Now().Add(30 * time.Second)
	for d.Status != "ready" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if d, err = st.GetDocument(ctx, e.as("e-113"), d.ID); err != nil {
			t.Fatal(err)
		}
	}
	if d.Status != "ready" || d.Embedded != d.Chunks {
		t.Fatalf("after the job: %+v", d)
	}
	if got := auditActions(t, e, "document:"+d.ID); !slices.Equal(got, []string{"document.indexed", "document.create"}) {
		t.Fatalf("audit %v", got)
	}
	var embedded bool
	for _, r := range f.Requests() {
		for _, in := range r.Input {
			embedded = embedded || strings.Contains(in, "Passwords are changed every 90 days")
		}
	}
	if !embedded {
		t.Fatal("the embeddings server never saw the document")
	}
	docs, err := st.SearchDocuments(ctx, e.as("e-107"), "how often do I change my password", 3)
	if err != nil || len(docs) == 0 || docs[0].ID != d.ID {
		t.Fatalf("search: %v %v", docIDs(docs), err)
	}
}

func TestEmbeddingServerDown(t *testing.T) {
	f := knowledgetest.NewFakeEmbeddings(t, 64)
	e, st, pool := remoteEnvPool(t, f, false)
	ctx := context.Background()
	f.Fail(http.StatusServiceUnavailable)
	d, err := st.AddDocument(ctx, e.as("e-111"), domain.DocumentInput{Title: "颱風安排 Typhoon arrangements", Text: "八號風球下毋須上班。No work under typhoon signal 8."})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.EmbedSource(ctx, e.tid, knowledge.KindDocument, d.ID); err == nil {
		t.Fatal("embedding against a failing server must fail (River retries it)")
	}
	// Search still answers, by keyword, while the server is down.
	docs, err := st.SearchDocuments(ctx, e.as("e-107"), "typhoon signal 8", 3)
	if err != nil || len(docs) == 0 || docs[0].ID != d.ID {
		t.Fatalf("keyword search with the embedder down: %v %v", docIDs(docs), err)
	}
	// Everything seeded (documents, meetings) and this document wait for
	// vectors: one job per source.
	var sources int
	if err := pool.QueryRow(ctx, `SELECT count(DISTINCT (source_kind, source_id)) FROM knowledge_chunks WHERE embedding IS NULL`).Scan(&sources); err != nil {
		t.Fatal(err)
	}
	f.Fail(0)
	n, err := st.QueueStaleEmbeddings(ctx)
	if err != nil || n != sources || n < 3 {
		t.Fatalf("queued %d sources of %d, %v", n, sources, err)
	}
	if err := st.EmbedSource(ctx, e.tid, knowledge.KindDocument, d.ID); err != nil {
		t.Fatal(err)
	}
	if d, _ = st.GetDocument(ctx, e.as("e-111"), d.ID); d.Status != "ready" || d.Embedded != d.Chunks {
		t.Fatalf("after recovery: %+v", d)
	}
}

func TestAnswerKnowledge(t *testing.T) {
	pool := pgtest.New(t)
	chat := knowledgetest.NewFakeChat(t, func(r knowledgetest.ChatRequest) (string, int) {
		if !strings.Contains(r.Messages[1].Content, "300") {
			return "The knowledge base does not say.", 0
		}
		return "膳食每人每餐上限港幣300元 [1]。", 0
	})
	ans, err := knowledge.NewChatAnswerer(knowledge.ChatConfig{BaseURL: chat.URL(), Model: "chat-fake"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := postgres.New(pool, postgres.Options{Knowledge: postgres.KnowledgeOptions{Answerer: ans}})
	if err != nil {
		t.Fatal(err)
	}
	fx, _ := fixture.Demo()
	tid, err := seed.Load(context.Background(), st, fx, "")
	if err != nil {
		t.Fatal(err)
	}
	actor := domain.Actor{TenantID: tid, EmployeeID: "e-107", Via: domain.ViaAPI}
	got, err := st.AnswerKnowledge(context.Background(), actor, "膳食上限幾多？", 3)
	if err != nil {
		t.Fatal(err)
	}
	if got.Answer != "膳食每人每餐上限港幣300元 [1]。" || !slices.Equal(got.Cited, []int{1}) || got.Passages[0].ID != "doc-expense" {
		t.Fatalf("answer %+v", got)
	}
	// The model saw only passages the actor may read, fenced as data.
	if p := chat.Requests()[0].Messages[1].Content; !strings.Contains(p, "<<<") || strings.Contains(p, "m-") {
		t.Fatalf("prompt %q", p)
	}
	// Offline (no answerer) the passages are the answer.
	off, err := postgres.New(pool, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err = off.AnswerKnowledge(context.Background(), actor, "膳食上限幾多？", 3)
	if err != nil || got.Answer != "" || len(got.Passages) == 0 || got.Passages[0].ID != "doc-expense" {
		t.Fatalf("offline %+v %v", got, err)
	}
}
