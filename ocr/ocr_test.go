package ocr_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/banlihq/banli/evals/receipts/render"
	"github.com/banlihq/banli/ocr"
)

// sample is a short bilingual receipt; its text must survive OCR.
var sample = render.Receipt{
	Script: "Hant",
	Lines: []render.Line{
		{Left: "海港茶餐廳", Center: true, Scale: 1.4},
		{Left: "HARBOUR CAFE", Center: true},
		{Left: "Date: 05/03/2026"},
		{Left: "Milk Tea", Right: "18.00"},
		{Left: "Club Sandwich", Right: "27.50"},
		{Left: "TOTAL HK$", Right: "45.50"},
	},
}

func newEngine(t *testing.T, cfg ocr.Config) *ocr.Engine {
	t.Helper()
	e, err := ocr.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

func sampleImage(t *testing.T) *image.Gray {
	t.Helper()
	f, err := render.LoadFonts("")
	if err != nil {
		t.Fatal(err)
	}
	img, err := f.Image(sample)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func encode(t *testing.T, img image.Image, kind ocr.Kind) []byte {
	t.Helper()
	var b bytes.Buffer
	var err error
	switch kind {
	case ocr.KindPNG:
		err = png.Encode(&b, img)
	case ocr.KindJPEG:
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wantText checks that the recognised text carries the receipt's key tokens.
func wantText(t *testing.T, text string) {
	t.Helper()
	squeezed := strings.ReplaceAll(text, " ", "")
	for _, w := range []string{"45.50", "TOTAL", "05/03/2026", "海港茶餐"} {
		if !strings.Contains(squeezed, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
}

func TestRecognizeImages(t *testing.T) {
	e := newEngine(t, ocr.Config{Workers: 2})
	img := sampleImage(t)
	webp, err := os.ReadFile("testdata/sample.webp")
	if err != nil {
		t.Fatal(err)
	}
	// Written by heif-enc (libheif-examples) from the same rendering.
	heic, err := os.ReadFile("testdata/sample.heic")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		kind ocr.Kind
	}{
		{"png", encode(t, img, ocr.KindPNG), ocr.KindPNG},
		{"jpeg", encode(t, img, ocr.KindJPEG), ocr.KindJPEG},
		{"webp", webp, ocr.KindWebP},
		{"heic", heic, ocr.KindHEIC},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Recognize(t.Context(), tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if res.Kind != tt.kind || len(res.Pages) != 1 || res.Pages[0].Source != ocr.SourceOCR {
				t.Errorf("kind %q pages %+v", res.Kind, res.Pages)
			}
			wantText(t, res.Text)
		})
	}
}

func TestRecognizePDF(t *testing.T) {
	e := newEngine(t, ocr.Config{Workers: 1})
	img := sampleImage(t)
	tests := []struct {
		name   string
		data   []byte
		source ocr.Source
	}{
		{"text layer", render.TextPDF(sample), ocr.SourceTextLayer},
		{"scanned", render.ImagePDF(encode(t, img, ocr.KindJPEG), img.Rect.Dx(), img.Rect.Dy(), true), ocr.SourceOCR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := e.Recognize(t.Context(), tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if res.Kind != ocr.KindPDF || len(res.Pages) != 1 || res.Pages[0].Source != tt.source {
				t.Fatalf("kind %q pages %+v", res.Kind, res.Pages)
			}
			wantText(t, res.Text)
		})
	}
	// A text layer is exact: every line comes back as written.
	res, err := e.Recognize(t.Context(), render.TextPDF(sample))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"海港茶餐廳", "HARBOUR CAFE", "Club Sandwich 27.50", "TOTAL HK$ 45.50"} {
		if !strings.Contains(res.Text, l) {
			t.Errorf("text layer lacks %q:\n%s", l, res.Text)
		}
	}
}

// pngHeader returns a PNG signature and IHDR chunk claiming w×h pixels, with no
// image data: a decompression bomb's header.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit grayscale
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestRecognizeRejects(t *testing.T) {
	e := newEngine(t, ocr.Config{Workers: 1, MaxBytes: 1 << 20, MaxPages: 2})
	good := encode(t, sampleImage(t), ocr.KindJPEG)
	threePages := bytes.Replace(render.TextPDF(sample), []byte("/Kids [3 0 R] /Count 1"), []byte("/Kids [3 0 R 3 0 R 3 0 R] /Count 3"), 1)
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"text file", []byte("hello, this is not an image"), ocr.ErrUnsupported},
		{"empty", nil, ocr.ErrUnsupported},
		{"heic without a size", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 64)...), ocr.ErrCorrupt},
		{"heic pixel bomb", heicHeader(60_000, 60_000), ocr.ErrTooLarge},
		{"truncated heic", heicFile(t)[:3000], ocr.ErrCorrupt},
		{"too many bytes", append([]byte("\xff\xd8\xff"), make([]byte, 2<<20)...), ocr.ErrTooLarge},
		{"pixel bomb", pngHeader(100_000, 100_000), ocr.ErrTooLarge},
		{"truncated jpeg", good[:len(good)/3], ocr.ErrCorrupt},
		{"jpeg header only", []byte("\xff\xd8\xff\xe0garbage"), ocr.ErrCorrupt},
		{"corrupt pdf", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage"), ocr.ErrCorrupt},
		{"too many pages", threePages, ocr.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Recognize(t.Context(), tt.data)
			if !errors.Is(err, tt.want) {
				t.Errorf("Recognize: err = %v, want %v", err, tt.want)
			}
			// Check refuses the same inputs for the same reason, without Tesseract.
			_, err = ocr.Config{MaxBytes: 1 << 20, MaxPages: 2}.Check(t.Context(), tt.data)
			if !errors.Is(err, tt.want) {
				t.Errorf("Check: err = %v, want %v", err, tt.want)
			}
		})
	}
}

func heicFile(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/sample.heic")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// heicHeader returns a HEIF brand box and an 'ispe' property claiming w×h
// pixels, with no image: a decompression bomb's header.
func heicHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
	binary.Write(&b, binary.BigEndian, uint32(20))
	b.WriteString("ispe\x00\x00\x00\x00")
	binary.Write(&b, binary.BigEndian, w)
	binary.Write(&b, binary.BigEndian, h)
	return b.Bytes()
}

func TestCheckAccepts(t *testing.T) {
	img := sampleImage(t)
	webp, err := os.ReadFile("testdata/sample.webp")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want ocr.Kind
	}{
		{"png", encode(t, img, ocr.KindPNG), ocr.KindPNG},
		{"jpeg", encode(t, img, ocr.KindJPEG), ocr.KindJPEG},
		{"webp", webp, ocr.KindWebP},
		{"heic", heicFile(t), ocr.KindHEIC},
		{"pdf", render.TextPDF(sample), ocr.KindPDF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, err := ocr.Config{}.Check(t.Context(), tt.data)
			if err != nil || kind != tt.want {
				t.Errorf("Check = %q, %v; want %q", kind, err, tt.want)
			}
		})
	}
}

func TestSniffIgnoresNames(t *testing.T) {
	// Content decides: a PDF is a PDF whatever it would have been called.
	if k := ocr.Sniff(render.TextPDF(sample)); k != ocr.KindPDF {
		t.Errorf("Sniff(pdf) = %q", k)
	}
	if k := ocr.Sniff(pngHeader(1, 1)); k != ocr.KindPNG {
		t.Errorf("Sniff(png) = %q", k)
	}
	if k := ocr.Sniff([]byte("GIF89a......")); k != ocr.KindGIF {
		t.Errorf("Sniff(gif) = %q", k)
	}
}

// TestConcurrentUse runs more recognitions than clients at once; with -race it
// checks that the pool never shares a client.
func TestConcurrentUse(t *testing.T) {
	e := newEngine(t, ocr.Config{Workers: 2})
	data := encode(t, sampleImage(t), ocr.KindPNG)
	var wg sync.WaitGroup
	errs := make([]error, 5)
	texts := make([]string, 5)
	for i := range errs {
		wg.Go(func() {
			res, err := e.Recognize(t.Context(), data)
			errs[i], texts[i] = err, res.Text
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("recognition %d: %v", i, err)
		}
		if texts[i] != texts[0] {
			t.Errorf("recognition %d differs from the first:\n%s\n---\n%s", i, texts[i], texts[0])
		}
	}
}

func TestContextAndClose(t *testing.T) {
	e, err := ocr.New(ocr.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	data := encode(t, sampleImage(t), ocr.KindPNG)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := e.Recognize(ctx, data); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}

	// With the only client busy, a short deadline expires while waiting for it.
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = e.Recognize(t.Context(), data)
	}()
	time.Sleep(20 * time.Millisecond)
	ctx, cancel = context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel()
	if _, err := e.Recognize(ctx, data); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting for a client: err = %v, want deadline exceeded or success", err)
	}
	<-done

	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Recognize(t.Context(), data); !errors.Is(err, ocr.ErrClosed) {
		t.Errorf("after Close: err = %v, want ErrClosed", err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestNewRejectsMissingLanguage(t *testing.T) {
	if _, err := ocr.New(ocr.Config{Languages: []string{"xx_nope"}, Workers: 1}); err == nil {
		t.Error("New with an uninstalled language succeeded")
	}
}
