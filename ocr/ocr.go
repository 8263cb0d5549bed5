// Package ocr turns receipt images (JPEG, PNG, WebP, HEIC, GIF, BMP, TIFF) and PDFs
// into text. Images go through Tesseract (gosseract, a pool of clients since a client is
// not safe for concurrent use); PDFs give their text layer where they have one, and
// pages without one are rasterised with pdftoppm and recognised like images; HEIC
// photos are converted with libheif's heif-convert.
//
// Untrusted input is checked before it is decoded: the format is sniffed from the
// content, the byte size, the pixel count (before decoding, against decompression
// bombs) and the PDF page count are bounded, and each failure is one of the exported
// sentinel errors so that the API can answer 4xx instead of 5xx.
package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"runtime"
	"time"
)

// Sentinel errors. Returned errors wrap one of them with context; test with errors.Is.
var (
	// ErrUnsupported: the content is not a format this package reads.
	ErrUnsupported = errors.New("unsupported format")
	// ErrTooLarge: the input exceeds the byte, pixel or page limit.
	ErrTooLarge = errors.New("input too large")
	// ErrCorrupt: the content claims a supported format but cannot be decoded.
	ErrCorrupt = errors.New("corrupt input")
	// ErrClosed: the Engine was closed.
	ErrClosed = errors.New("ocr engine closed")
)

// Kind is the detected format of an input.
type Kind string

// Formats recognised by content sniffing.
const (
	KindJPEG Kind = "jpeg"
	KindPNG  Kind = "png"
	KindWebP Kind = "webp"
	KindGIF  Kind = "gif"
	KindBMP  Kind = "bmp"
	KindTIFF Kind = "tiff"
	KindPDF  Kind = "pdf"
	KindHEIC Kind = "heic"
)

// Source tells where a page's text came from.
type Source string

// Page text sources.
const (
	SourceTextLayer Source = "text-layer" // the PDF's own text, exact
	SourceOCR       Source = "ocr"        // recognised from pixels, approximate
)

// Page is the text of one page (an image is one page).
type Page struct {
	Number int    `json:"number"` // 1-based
	Text   string `json:"text"`
	Source Source `json:"source"`
}

// Result is the text of a whole document.
type Result struct {
	// Text is the pages' text joined by blank lines.
	Text  string `json:"text"`
	Kind  Kind   `json:"kind"`
	Pages []Page `json:"pages"`
}

// Config configures an Engine. Zero fields take the defaults documented on them.
type Config struct {
	// Languages are Tesseract language codes. Default: eng, chi_tra, chi_sim.
	Languages []string
	// Workers is the number of Tesseract clients, i.e. concurrent recognitions.
	// Default: runtime.NumCPU().
	Workers int
	// MaxBytes bounds the input size. Default: 20 MiB.
	MaxBytes int
	// MaxPixels bounds width*height of an image, checked before decoding, and of a
	// rasterised PDF page. Default: 40 megapixels.
	MaxPixels int
	// MaxPages bounds the page count of a PDF. Default: 20.
	MaxPages int
	// PDFTimeout bounds the time spent on one PDF's text layer and rasterisation.
	// Default: 60s.
	PDFTimeout time.Duration
	// PDFDPI is the rasterisation resolution of PDF pages without text. Default: 300.
	PDFDPI int
	// Pdftoppm is the path of poppler's pdftoppm. Default: "pdftoppm" on PATH.
	Pdftoppm string
	// HeifConvert is the path of libheif's heif-convert, which turns HEIC photos
	// into PNG. Default: "heif-convert" on PATH; without it HEIC is unsupported.
	// Its time is bounded by PDFTimeout.
	HeifConvert string
	// Steps selects the image pre-processing. Zero: DefaultSteps. StepNone: none.
	Steps Step
	// PageSegMode is Tesseract's page segmentation mode. Zero: the default chosen
	// by the eval (see README.md).
	PageSegMode int
}

func (c Config) withDefaults() Config {
	if len(c.Languages) == 0 {
		c.Languages = []string{"eng", "chi_tra", "chi_sim"}
	}
	if c.Workers <= 0 {
		c.Workers = runtime.NumCPU()
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = 20 << 20
	}
	if c.MaxPixels <= 0 {
		c.MaxPixels = 40_000_000
	}
	if c.MaxPages <= 0 {
		c.MaxPages = 20
	}
	if c.PDFTimeout <= 0 {
		c.PDFTimeout = 60 * time.Second
	}
	if c.PDFDPI <= 0 {
		c.PDFDPI = 300
	}
	if c.Pdftoppm == "" {
		c.Pdftoppm = "pdftoppm"
	}
	if c.HeifConvert == "" {
		c.HeifConvert = "heif-convert"
	}
	if c.Steps == 0 {
		c.Steps = DefaultSteps
	}
	if c.PageSegMode == 0 {
		c.PageSegMode = defaultPSM
	}
	return c
}

// Engine recognises documents. It is safe for concurrent use; at most
// Config.Workers recognitions run at once, others wait for a free client.
//
// Run the process with OMP_THREAD_LIMIT=1: Debian's Tesseract uses OpenMP, and one
// OpenMP team per pooled client oversubscribes the cores (2.59 receipts/s with the
// variable, 0.79 without, on 2 cores; README.md). libgomp reads it at load time, so
// it cannot be set from Go.
type Engine struct {
	cfg  Config
	pool *pool
}

// New creates an Engine and its pool of Tesseract clients. It fails if the
// configured languages are not installed.
func New(cfg Config) (*Engine, error) {
	cfg = cfg.withDefaults()
	p, err := newPool(cfg.Workers, cfg.Languages, cfg.PageSegMode)
	if err != nil {
		return nil, fmt.Errorf("ocr: %w", err)
	}
	return &Engine{cfg: cfg, pool: p}, nil
}

// Close releases the Tesseract clients. Recognitions in flight finish first;
// later calls fail with ErrClosed.
func (e *Engine) Close() error {
	return e.pool.close()
}

// Workers returns the number of concurrent recognitions the engine allows.
func (e *Engine) Workers() int { return e.cfg.Workers }

// Recognize returns the text of an image or PDF given as bytes.
func (e *Engine) Recognize(ctx context.Context, data []byte) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if len(data) > e.cfg.MaxBytes {
		return Result{}, fmt.Errorf("ocr: %d bytes exceeds the limit of %d: %w", len(data), e.cfg.MaxBytes, ErrTooLarge)
	}
	kind := Sniff(data)
	switch kind {
	case "":
		return Result{}, fmt.Errorf("ocr: content is not a known image or PDF: %w", ErrUnsupported)
	case KindPDF:
		pages, err := e.recognizePDF(ctx, data)
		if err != nil {
			return Result{}, err
		}
		return newResult(kind, pages), nil
	}
	var img image.Image
	var err error
	if kind == KindHEIC {
		img, err = e.cfg.decodeHEIC(ctx, data)
	} else {
		img, err = decodeImage(data, kind, e.cfg.MaxPixels)
	}
	if err != nil {
		return Result{}, err
	}
	text, err := e.ocrImage(ctx, img)
	if err != nil {
		return Result{}, err
	}
	return newResult(kind, []Page{{Number: 1, Text: text, Source: SourceOCR}}), nil
}

func newResult(kind Kind, pages []Page) Result {
	r := Result{Kind: kind, Pages: pages}
	for i, p := range pages {
		if i > 0 {
			r.Text += "\n\n"
		}
		r.Text += p.Text
	}
	return r
}
