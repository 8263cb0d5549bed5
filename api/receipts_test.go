package api_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/scan"
)

// multipartFile encodes a file as the "file" field of a multipart form.
func multipartFile(t *testing.T, name string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

func (e *env) upload(emp, name string, data []byte, hdr ...string) resp {
	e.t.Helper()
	body, ct := multipartFile(e.t, name, data)
	return e.req(http.MethodPost, "/v1/receipts", emp, body, append([]string{"Content-Type", ct}, hdr...)...)
}

// TestReceiptsOverHTTP uploads a HEIC photo of a receipt, waits for the OCR
// job, corrects a field and downloads the file; bad files get problem
// documents and leave nothing behind.
func TestReceiptsOverHTTP(t *testing.T) {
	eng, err := ocr.New(ocr.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Close() })
	e := newEnv(t, envOpts{work: true, receipts: scan.New(eng)})
	heic, err := os.ReadFile("../ocr/testdata/sample.heic") // 海港茶餐廳, 05/03/2026, HK$ 45.50
	if err != nil {
		t.Fatal(err)
	}

	var r domain.Receipt
	body, ct := multipartFile(t, "IMG_0001.HEIC", heic)
	e.req(http.MethodPost, "/v1/receipts", "e-106", body, "Content-Type", ct, "Idempotency-Key", "up-1").want(t, http.StatusCreated).json(t, &r)
	if r.Status != domain.ReceiptQueued || r.MIME != "image/heic" || r.Filename != "IMG_0001.HEIC" {
		t.Fatalf("upload: %+v", r)
	}
	// A retried request replays; a new upload of the same file is the same receipt, 200.
	var replay domain.Receipt
	rp := e.req(http.MethodPost, "/v1/receipts", "e-106", body, "Content-Type", ct, "Idempotency-Key", "up-1").want(t, http.StatusCreated)
	rp.json(t, &replay)
	if replay.ID != r.ID || rp.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay gave %s, want %s", replay.ID, r.ID)
	}
	var dup domain.Receipt
	e.upload("e-106", "copy.heic", heic).want(t, http.StatusOK).json(t, &dup)
	if dup.ID != r.ID || !dup.Duplicate {
		t.Fatalf("duplicate upload: %+v", dup)
	}

	deadline := time.Now().Add(2 * time.Minute)
	for r.Status != domain.ReceiptDone {
		if r.Status == domain.ReceiptFailed || time.Now().After(deadline) {
			t.Fatalf("receipt: %+v", r)
		}
		time.Sleep(200 * time.Millisecond)
		e.req(http.MethodGet, "/v1/receipts/"+r.ID, "e-106", nil).want(t, http.StatusOK).json(t, &r)
	}
	if r.Fields.Total != "45.50" || r.Fields.Date != "2026-03-05" || !strings.Contains(r.Fields.Merchant, "海港茶餐") || r.Extracted.Kind != "heic" {
		t.Errorf("fields %+v extracted %+v", r.Fields, r.Extracted)
	}

	var c domain.Receipt
	e.req(http.MethodPatch, "/v1/receipts/"+r.ID, "e-106", map[string]any{"currency": "hkd", "number": "A-17"}).want(t, http.StatusOK).json(t, &c)
	if c.Fields.Currency != "HKD" || c.Fields.Number != "A-17" || c.Corrections.Currency != "HKD" {
		t.Errorf("corrected %+v", c)
	}
	p := e.req(http.MethodPatch, "/v1/receipts/"+r.ID, "e-106", map[string]any{"total": "12.345"}).wantProblem(t, http.StatusUnprocessableEntity)
	if len(p.Errors) != 1 || p.Errors[0].Location != "body.total" {
		t.Errorf("bad total: %+v", p)
	}
	e.req(http.MethodPatch, "/v1/receipts/"+r.ID, "e-107", map[string]any{"total": "1"}).wantProblem(t, http.StatusNotFound)

	f := e.req(http.MethodGet, "/v1/receipts/"+r.ID+"/file", "e-106", nil).want(t, http.StatusOK)
	if !bytes.Equal(f.body, heic) || f.header.Get("Content-Type") != "image/heic" || !strings.HasPrefix(f.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("file: %d bytes, headers %v", len(f.body), f.header)
	}
	var page struct{ Items []domain.Receipt }
	e.req(http.MethodGet, "/v1/receipts?status=done", "e-106", nil).want(t, http.StatusOK).json(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != r.ID {
		t.Errorf("list: %+v", page)
	}

	// The receipt prefills a claim item; approvers see the claim's score.
	var claim domain.ExpenseClaim
	e.req(http.MethodPost, "/v1/expense-claims", "e-106", map[string]any{"submit": true, "items": []map[string]any{{
		"date": "2026-11-20", "category": "meals", "amount": r.Fields.Total, "currency": c.Fields.Currency, "merchant": r.Fields.Merchant, "receipt_id": r.ID}}}).
		want(t, http.StatusCreated).json(t, &claim)
	if claim.Items[0].AnomalyScore == nil || claim.Items[0].ReceiptID != r.ID {
		t.Errorf("claim item %+v", claim.Items[0])
	}

	png := pngHeader(60_000, 60_000)
	for _, tt := range []struct {
		name   string
		data   []byte
		status int
	}{
		{"notes.txt", []byte("not a receipt at all, only words"), http.StatusUnsupportedMediaType},
		{"bomb.png", png, http.StatusRequestEntityTooLarge},
		{"big.jpg", append([]byte("\xff\xd8\xff"), make([]byte, 22<<20)...), http.StatusRequestEntityTooLarge},
		{"broken.heic", heic[:len(heic)/3], http.StatusUnprocessableEntity},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := e.upload("e-106", tt.name, tt.data).wantProblem(t, tt.status)
			if p.Detail == "" {
				t.Errorf("no detail: %+v", p)
			}
		})
	}
	e.req(http.MethodGet, "/v1/receipts", "e-106", nil).want(t, http.StatusOK).json(t, &page)
	if len(page.Items) != 1 {
		t.Errorf("refused files were stored: %+v", page.Items)
	}
	e.req(http.MethodPost, "/v1/receipts", "e-106", map[string]any{"file": "x"}).wantProblem(t, http.StatusUnprocessableEntity)

	// The OpenAPI document describes the upload as a multipart form with a binary file.
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Properties map[string]struct{ Format string }
						Required   []string
					}
				}
			} `json:"requestBody"`
		}
	}
	e.req(http.MethodGet, "/openapi.json", "", nil).want(t, http.StatusOK).json(t, &doc)
	form := doc.Paths["/v1/receipts"]["post"].RequestBody.Content["multipart/form-data"].Schema
	if form.Properties["file"].Format != "binary" || !slices.Contains(form.Required, "file") {
		t.Errorf("upload schema %+v", form)
	}
}

// pngHeader is a valid PNG header claiming w×h pixels, with no image data:
// a decompression bomb's header.
func pngHeader(w, h uint32) []byte {
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
