package postgres_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image/jpeg"
	"image/png"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/postgres/pgtest"
	"github.com/banlihq/banli/scan"
	"github.com/banlihq/banli/seed"
	"github.com/banlihq/banli/tools"
)

// The store serves the agent's scan_receipt tool.
var _ tools.ReceiptSource = (*postgres.Store)(nil)

// receiptEnv is a seeded store whose receipts are read by the real OCR engine
// (Tesseract); with work set, River runs the OCR jobs.
type receiptEnv struct {
	*env
	pool *pgxpool.Pool
	eng  *ocr.Engine
}

func newReceiptEnv(t *testing.T, work bool) *receiptEnv {
	t.Helper()
	eng, err := ocr.New(ocr.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	pool := pgtest.New(t)
	st, err := postgres.New(pool, postgres.Options{Receipts: scan.New(eng), Work: work, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Hong_Kong")
	e := &env{st: st, now: time.Date(2026, 11, 23, 9, 30, 0, 0, loc)}
	st.Now = func() time.Time { return e.now }
	f, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	if e.tid, err = seed.Load(context.Background(), st, f, ""); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if work {
		if err := st.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if work {
			sctx, scancel := context.WithTimeout(context.Background(), 30*time.Second)
			_ = st.Stop(sctx)
			scancel()
		}
		cancel()
		_ = eng.Close()
	})
	return &receiptEnv{env: e, pool: pool, eng: eng}
}

// devReceipt returns a receipt of the dev set with its label.
func devReceipt(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile("../evals/testdata/receipts/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitRead polls a receipt until OCR finished.
func (e *receiptEnv) waitRead(t *testing.T, emp, id string) domain.Receipt {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		r, err := e.st.GetReceipt(context.Background(), e.as(emp), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status == domain.ReceiptDone || r.Status == domain.ReceiptFailed {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("receipt %s still %s", id, r.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (e *receiptEnv) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReceiptUploadOCRAndCorrection(t *testing.T) {
	ctx := context.Background()
	e := newReceiptEnv(t, true)
	data := devReceipt(t, "r001.png") // 樂園車仔麵, 2026-02-21, HKD 37.00

	r, err := e.st.UploadReceipt(ctx, e.as("e-106"), "C:\\photos\\lunch.png", data)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != domain.ReceiptQueued || r.MIME != "image/png" || r.Filename != "lunch.png" || len(r.SHA256) != 64 || r.Duplicate {
		t.Fatalf("upload: %+v", r)
	}
	// Not ready yet or ready: either a conflict or the fields, never a wrong answer.
	if _, err := e.st.ScanReceipt(ctx, e.as("e-106"), r.ID); err != nil {
		wantCode(t, err, domain.EConflict)
	}

	got := e.waitRead(t, "e-106", r.ID)
	if got.Status != domain.ReceiptDone || got.Attempts != 1 || got.ProcessedAt == nil || got.Extracted == nil {
		t.Fatalf("after OCR: %+v", got)
	}
	if got.Fields.Total != "37.00" || got.Fields.Date != "2026-02-21" || got.Fields.Currency != "HKD" || got.Fields.Merchant != "樂園車仔麵" {
		t.Errorf("fields %+v", got.Fields)
	}
	if got.Extracted.Total.Confidence <= 0 || got.Text == "" || got.Extracted.Kind != "png" {
		t.Errorf("extracted %+v, text %q", got.Extracted, got.Text)
	}
	f, err := e.st.ScanReceipt(ctx, e.as("e-106"), r.ID)
	if err != nil || f != got.Fields {
		t.Fatalf("ScanReceipt = %+v, %v; want %+v", f, err, got.Fields)
	}

	// The same file again: the same receipt, nothing stored or queued twice.
	again, err := e.st.UploadReceipt(ctx, e.as("e-106"), "again.png", data)
	if err != nil || again.ID != r.ID || !again.Duplicate || again.Status != domain.ReceiptDone {
		t.Fatalf("second upload: %+v %v", again, err)
	}
	// A colleague's upload of the same file is their own receipt over the same stored file.
	other, err := e.st.UploadReceipt(ctx, e.as("e-107"), "x.png", data)
	if err != nil || other.ID == r.ID || other.SHA256 != r.SHA256 || other.Duplicate {
		t.Fatalf("colleague's upload: %+v %v", other, err)
	}
	if n := e.count(t, "receipt_files"); n != 1 {
		t.Errorf("%d stored files, want 1", n)
	}
	// Colleagues cannot read each other's receipts; managers and finance can.
	_, err = e.st.GetReceipt(ctx, e.as("e-107"), r.ID)
	wantCode(t, err, domain.ENotFound)
	for _, who := range []string{"e-105", "e-110"} {
		if _, err := e.st.GetReceipt(ctx, e.as(who), r.ID); err != nil {
			t.Errorf("%s reads the receipt: %v", who, err)
		}
	}
	if mime, file, err := e.st.ReceiptFile(ctx, e.as("e-106"), r.ID); err != nil || mime != "image/png" || !bytes.Equal(file, data) {
		t.Errorf("file: %s %d bytes %v", mime, len(file), err)
	}

	// Corrections: validated, applied over OCR, audited; only the uploader's.
	merchant, total := "樂園車仔麵 (旺角)", "38.5"
	c, err := e.st.CorrectReceipt(ctx, e.as("e-106"), r.ID, domain.ReceiptPatch{Merchant: &merchant, Total: &total})
	if err != nil {
		t.Fatal(err)
	}
	if c.Fields.Merchant != merchant || c.Fields.Total != "38.50" || c.Fields.Date != "2026-02-21" || c.Extracted.Total.Value != "37.00" {
		t.Errorf("corrected %+v", c.Fields)
	}
	bad := "yesterday"
	_, err = e.st.CorrectReceipt(ctx, e.as("e-106"), r.ID, domain.ReceiptPatch{Date: &bad})
	wantCode(t, err, domain.EInvalid)
	_, err = e.st.CorrectReceipt(ctx, e.as("e-105"), r.ID, domain.ReceiptPatch{Merchant: &merchant})
	wantCode(t, err, domain.EForbidden)
	empty := ""
	c, err = e.st.CorrectReceipt(ctx, e.as("e-106"), r.ID, domain.ReceiptPatch{Total: &empty})
	if err != nil || c.Fields.Total != "37.00" || c.Fields.Merchant != merchant {
		t.Errorf("withdrawn correction: %+v %v", c.Fields, err)
	}
	var audits []string
	rows, err := e.pool.Query(ctx, `SELECT action FROM audit_log WHERE subject = $1 ORDER BY seq`, "receipt:"+r.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			t.Fatal(err)
		}
		audits = append(audits, a)
	}
	if want := []string{"receipt.upload", "receipt.read", "receipt.correct", "receipt.correct"}; !slices.Equal(audits, want) {
		t.Errorf("audit %v, want %v", audits, want)
	}

	list, err := e.st.ListReceipts(ctx, e.as("e-106"), postgres.ReceiptFilter{})
	if err != nil || len(list) != 1 || list[0].ID != r.ID || list[0].Text != "" {
		t.Errorf("list: %+v %v", list, err)
	}
}

// pngBomb is a valid PNG header claiming w×h pixels, with no image data.
func pngBomb(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8] = 8
	chunk := append([]byte("IHDR"), ihdr...)
	_ = binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestReceiptUploadRefusals(t *testing.T) {
	ctx := context.Background()
	e := newReceiptEnv(t, false)
	img, err := png.Decode(bytes.NewReader(devReceipt(t, "r001.png")))
	if err != nil {
		t.Fatal(err)
	}
	var jb bytes.Buffer
	if err := jpeg.Encode(&jb, img, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want domain.Code
	}{
		{"empty", nil, domain.EInvalid},
		{"text", []byte("this is not a receipt, just some text"), domain.EUnsupported},
		{"pixel bomb", pngBomb(50_000, 50_000), domain.ETooLarge},
		{"too many bytes", append([]byte("\xff\xd8\xff"), make([]byte, 21<<20)...), domain.ETooLarge},
		{"truncated jpeg", jb.Bytes()[:jb.Len()/2], domain.EInvalid},
		{"corrupt pdf", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage"), domain.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.st.UploadReceipt(ctx, e.as("e-106"), "x", tt.data)
			wantCode(t, err, tt.want)
		})
	}
	if n := e.count(t, "receipt_files") + e.count(t, "receipts") + e.count(t, "river_job WHERE kind = 'ocr_receipt'"); n != 0 {
		t.Errorf("%d rows stored for refused files", n)
	}
	if _, err := e.st.UploadReceipt(ctx, domain.Actor{TenantID: e.tid, System: true}, "x.png", devReceipt(t, "r001.png")); err == nil {
		t.Error("the system uploaded a receipt")
	}
}

// TestDuplicateReceiptScoring submits the same receipt file twice, by two
// employees: the second item scores high with reasons in both languages, and
// the default matrix adds a finance step; with the duplicate checks switched
// off for the tenant, a third claim of the same file routes as usual.
func TestDuplicateReceiptScoring(t *testing.T) {
	ctx := context.Background()
	e := newReceiptEnv(t, false)
	data := devReceipt(t, "r001.png")
	claim := func(emp string) domain.ExpenseClaim {
		t.Helper()
		r, err := e.st.UploadReceipt(ctx, e.as(emp), "lunch.png", data)
		if err != nil {
			t.Fatal(err)
		}
		c, err := e.st.CreateClaim(ctx, e.as(emp), domain.ClaimInput{Submit: true, Items: []domain.ExpenseItem{
			{Date: "2026-11-20", Category: "meals", Amount: "37.00", Merchant: "樂園車仔麵", ReceiptID: r.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	steps := func(id string) []string {
		t.Helper()
		a, err := e.st.GetApproval(ctx, e.as("e-109"), id)
		if err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, s := range a.Steps {
			labels = append(labels, s.Label)
		}
		return labels
	}

	first := claim("e-106")
	if s := first.Items[0].AnomalyScore; s == nil || *s >= 0.5 {
		t.Fatalf("first claim of a receipt scores %v", s)
	}
	if got := steps(first.ID); !slices.Equal(got, []string{"manager"}) {
		t.Errorf("first claim steps %v", got)
	}

	second := claim("e-107")
	it := second.Items[0]
	if it.AnomalyScore == nil || *it.AnomalyScore < 0.7 {
		t.Fatalf("duplicate scores %v", it.AnomalyScore)
	}
	var dup *domain.AnomalyReason
	for i, r := range it.AnomalyReasons {
		if r.Code == "duplicate_receipt" {
			dup = &it.AnomalyReasons[i]
		}
	}
	if dup == nil || dup.ZhHant == "" || dup.En == "" || !slices.Contains(dup.Related, first.ID+"/1") {
		t.Fatalf("reasons %+v", it.AnomalyReasons)
	}
	t.Logf("duplicate: score %.3f, reasons %+v", *it.AnomalyScore, it.AnomalyReasons)
	if got := steps(second.ID); !slices.Equal(got, []string{"manager", "finance"}) {
		t.Errorf("duplicate claim steps %v, want manager then finance", got)
	}
	// Approvers see the score and reasons on the claim and in their queue.
	got, err := e.st.GetClaim(ctx, e.as("e-105"), second.ID)
	if err != nil || got.Items[0].AnomalyScore == nil || *got.Items[0].AnomalyScore != *it.AnomalyScore || len(got.Items[0].AnomalyReasons) != len(it.AnomalyReasons) {
		t.Fatalf("claim as its approver: %+v %v", got.Items, err)
	}
	pending, err := e.st.PendingApprovals(ctx, e.as("e-105"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range pending {
		if p.RequestID == second.ID {
			found = p.AnomalyScore != nil && *p.AnomalyScore == *it.AnomalyScore
		}
	}
	if !found {
		t.Errorf("pending approvals lack the score: %+v", pending)
	}

	// An item cannot use someone else's receipt.
	_, err = e.st.CreateClaim(ctx, e.as("e-108"), domain.ClaimInput{Items: []domain.ExpenseItem{
		{Date: "2026-11-20", Category: "meals", Amount: "37.00", ReceiptID: first.Items[0].ReceiptID}}})
	wantCode(t, err, domain.EInvalid)

	// The tenant switches the duplicate checks off.
	tn, err := e.st.Settings(ctx, e.as("e-101"))
	if err != nil {
		t.Fatal(err)
	}
	tn.Settings.Anomaly.DisabledChecks = []string{"exact_duplicate", "near_duplicate"}
	if err := e.st.UpdateSettings(ctx, e.as("e-101"), tn.Settings); err != nil {
		t.Fatal(err)
	}
	third := claim("e-108")
	for _, r := range third.Items[0].AnomalyReasons {
		if r.Check == "exact_duplicate" || r.Check == "near_duplicate" {
			t.Errorf("switched-off check reported: %+v", r)
		}
	}
	if s := third.Items[0].AnomalyScore; s == nil || *s >= 0.7 {
		t.Errorf("third claim scores %v with duplicate checks off", s)
	}
	if got := steps(third.ID); !slices.Equal(got, []string{"manager"}) {
		t.Errorf("third claim steps %v", got)
	}
	tn.Settings.Anomaly.DisabledChecks = []string{"no_such_check"}
	wantCode(t, e.st.UpdateSettings(ctx, e.as("e-101"), tn.Settings), domain.EInvalid)
}

// TestReceiptOCRFailure closes the engine so that every recognition fails the
// way a crashed or stopped engine does: the job is retried a bounded number
// of times, then the receipt is failed with the reason. The uploader can
// still enter the fields by hand.
func TestReceiptOCRFailure(t *testing.T) {
	ctx := context.Background()
	e := newReceiptEnv(t, true)
	if err := e.eng.Close(); err != nil { // uploads are still checked: that needs no Tesseract
		t.Fatal(err)
	}
	r, err := e.st.UploadReceipt(ctx, e.as("e-106"), "lunch.png", devReceipt(t, "r001.png"))
	if err != nil {
		t.Fatal(err)
	}
	got := e.waitRead(t, "e-106", r.ID)
	if got.Status != domain.ReceiptFailed || got.Attempts != 3 || got.Extracted != nil ||
		!strings.Contains(got.Error, "after several attempts") || !strings.Contains(got.Error, "closed") {
		t.Fatalf("after failing OCR: %+v", got)
	}
	_, err = e.st.ScanReceipt(ctx, e.as("e-106"), r.ID)
	wantCode(t, err, domain.EConflict)
	if !strings.Contains(domain.ErrorMessage(err), "could not be read") {
		t.Errorf("message %q", domain.ErrorMessage(err))
	}
	total, date := "37", "2026-11-20"
	if _, err := e.st.CorrectReceipt(ctx, e.as("e-106"), r.ID, domain.ReceiptPatch{Total: &total, Date: &date}); err != nil {
		t.Fatal(err)
	}
	f, err := e.st.ScanReceipt(ctx, e.as("e-106"), r.ID)
	if err != nil || f.Total != "37.00" || f.Date != date || f.Merchant != "" {
		t.Errorf("fields entered by hand: %+v %v", f, err)
	}
}

// TestReceiptTenants: the same file uploaded in two companies is stored in
// each, and neither sees the other's receipt.
func TestReceiptTenants(t *testing.T) {
	ctx := context.Background()
	e := newReceiptEnv(t, false)
	f, err := fixture.Demo()
	if err != nil {
		t.Fatal(err)
	}
	other, err := seed.Load(ctx, e.st, f, "other-co")
	if err != nil {
		t.Fatal(err)
	}
	data := devReceipt(t, "r001.png")
	mine, err := e.st.UploadReceipt(ctx, e.as("e-106"), "a.png", data)
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := e.st.UploadReceipt(ctx, domain.Actor{TenantID: other, EmployeeID: "e-106"}, "a.png", data)
	if err != nil || theirs.Duplicate || theirs.ID == mine.ID {
		t.Fatalf("upload in the other company: %+v %v", theirs, err)
	}
	if n := e.count(t, "receipt_files"); n != 2 {
		t.Errorf("%d stored files, want one per company", n)
	}
	for _, who := range []string{"e-106", "e-109"} { // the uploader's namesake, finance
		_, err := e.st.GetReceipt(ctx, domain.Actor{TenantID: other, EmployeeID: who}, mine.ID)
		wantCode(t, err, domain.ENotFound)
	}
	_, err = e.st.CreateClaim(ctx, domain.Actor{TenantID: other, EmployeeID: "e-106"}, domain.ClaimInput{Items: []domain.ExpenseItem{
		{Date: "2026-11-20", Category: "meals", Amount: "37.00", ReceiptID: mine.ID}}})
	wantCode(t, err, domain.EInvalid)
}
