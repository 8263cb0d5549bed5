package ocr

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/ledongthuc/pdf"
)

// pdfPage is what the text layer gave for one page.
type pdfPage struct {
	text          string
	width, height float64 // points; 0 when the MediaBox is unreadable
}

// recognizePDF returns each page's text layer, and OCR for pages without one.
func (e *Engine) recognizePDF(ctx context.Context, data []byte) ([]Page, error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.PDFTimeout)
	defer cancel()

	layer, err := e.textLayer(ctx, data)
	if err != nil {
		if errors.Is(err, ErrTooLarge) || ctx.Err() != nil {
			return nil, err
		}
		// The Go parser is stricter than poppler: a PDF it cannot read may still
		// rasterise. If poppler fails too, the file is corrupt.
		return e.rasterFallback(ctx, data, err)
	}
	pages := make([]Page, len(layer))
	for i, lp := range layer {
		pages[i] = Page{Number: i + 1, Text: lp.text, Source: SourceTextLayer}
		if usableText(lp.text) {
			continue
		}
		text, err := e.ocrPDFPage(ctx, data, i+1, e.dpiFor(lp.width, lp.height))
		if err != nil {
			return nil, err
		}
		pages[i] = Page{Number: i + 1, Text: text, Source: SourceOCR}
	}
	return pages, nil
}

// textLayer parses the PDF in a goroutine so that a pathological file cannot hold
// the caller past the deadline. (The parser has no cancellation: such a goroutine
// runs on until the parser returns; the byte limit bounds its work.)
func (e *Engine) textLayer(ctx context.Context, data []byte) ([]pdfPage, error) {
	type result struct {
		pages []pdfPage
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		p, err := parseTextLayer(data, e.cfg.MaxPages)
		ch <- result{p, err}
	}()
	select {
	case r := <-ch:
		return r.pages, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("ocr: reading PDF: %w", ctx.Err())
	}
}

// parseTextLayer reads every page's text, turning the parser's panics on malformed
// input into ErrCorrupt.
func parseTextLayer(data []byte, maxPages int) (pages []pdfPage, err error) {
	defer func() {
		if r := recover(); r != nil {
			pages, err = nil, fmt.Errorf("ocr: parsing PDF: panic %v: %w", r, ErrCorrupt)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("ocr: parsing PDF: %v: %w", err, ErrCorrupt)
	}
	n := r.NumPage()
	if n == 0 {
		return nil, fmt.Errorf("ocr: PDF has no pages: %w", ErrCorrupt)
	}
	if n > maxPages {
		return nil, fmt.Errorf("ocr: PDF has %d pages, the limit is %d: %w", n, maxPages, ErrTooLarge)
	}
	pages = make([]pdfPage, n)
	for i := range n {
		p := r.Page(i + 1)
		pages[i].text = pageText(p)
		if mb := inherited(p.V, "MediaBox"); mb.Len() == 4 {
			pages[i].width = math.Abs(mb.Index(2).Float64() - mb.Index(0).Float64())
			pages[i].height = math.Abs(mb.Index(3).Float64() - mb.Index(1).Float64())
		}
	}
	return pages, nil
}

// inherited looks a page attribute up the page tree, as PDF readers must.
func inherited(v pdf.Value, key string) pdf.Value {
	for depth := 0; !v.IsNull() && depth < 32; depth++ { // depth bound: cyclic Parent links
		if r := v.Key(key); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
}

// pageText rebuilds lines from positioned glyphs: glyphs on the same baseline form a
// line, read left to right, with a space where the gap is wider than a third of the
// font size. A page whose content the parser cannot walk has no text layer.
func pageText(p pdf.Page) (text string) {
	defer func() {
		if recover() != nil {
			text = ""
		}
	}()
	glyphs := p.Content().Text
	type row struct {
		y      float64
		glyphs []pdf.Text
	}
	var rows []*row
	for _, g := range glyphs {
		var r *row
		for _, cand := range rows {
			if math.Abs(cand.y-g.Y) <= math.Max(1, g.FontSize*0.4) {
				r = cand
				break
			}
		}
		if r == nil {
			r = &row{y: g.Y}
			rows = append(rows, r)
		}
		r.glyphs = append(r.glyphs, g)
	}
	// PDF y grows upwards: the top line has the largest y.
	slices.SortStableFunc(rows, func(a, b *row) int { return -cmpFloat(a.y, b.y) })
	var sb strings.Builder
	for _, r := range rows {
		slices.SortStableFunc(r.glyphs, func(a, b pdf.Text) int { return cmpFloat(a.X, b.X) })
		var end float64
		for i, g := range r.glyphs {
			w := g.W
			if w <= 0 {
				// Some fonts give no widths; estimate from the glyph's kind.
				w = g.FontSize * 0.5
				if strings.ContainsFunc(g.S, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
					w = g.FontSize
				}
			}
			if i > 0 && g.X-end > g.FontSize*0.3 {
				sb.WriteByte(' ')
			}
			sb.WriteString(g.S)
			end = math.Max(end, g.X+w)
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// usableText reports whether a text layer carries real text: some letters or
// digits, and not mostly undecodable glyphs (fonts without a Unicode mapping).
func usableText(s string) bool {
	good, bad := 0, 0
	for _, r := range s {
		switch {
		case r == unicode.ReplacementChar || (unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r'):
			bad++
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			good++
		}
	}
	return good >= 8 && bad*10 < good
}

// dpiFor picks the rasterisation resolution: the configured DPI unless the page is
// so large that the pixel limit would be exceeded.
func (e *Engine) dpiFor(wPt, hPt float64) int {
	dpi := e.cfg.PDFDPI
	if wPt > 0 && hPt > 0 {
		limit := 72 * math.Sqrt(float64(e.cfg.MaxPixels)/(wPt*hPt))
		dpi = min(dpi, int(limit))
	}
	return max(dpi, 36)
}

// ocrPDFPage rasterises one page with pdftoppm and recognises it.
func (e *Engine) ocrPDFPage(ctx context.Context, data []byte, page, dpi int) (string, error) {
	png, err := e.rasterise(ctx, data, page, []string{"-r", strconv.Itoa(dpi)})
	if err != nil {
		return "", err
	}
	img, err := decodeImage(png, KindPNG, e.cfg.MaxPixels)
	if err != nil {
		return "", fmt.Errorf("ocr: PDF page %d: %w", page, err)
	}
	text, err := e.ocrImage(ctx, img)
	if err != nil {
		return "", fmt.Errorf("ocr: PDF page %d: %w", page, err)
	}
	return text, nil
}

// rasterFallback OCRs every page of a PDF the Go parser could not read.
func (e *Engine) rasterFallback(ctx context.Context, data []byte, parseErr error) ([]Page, error) {
	// Without a MediaBox, bound the long side so that a square page meets the limit.
	side := strconv.Itoa(int(math.Sqrt(float64(e.cfg.MaxPixels))))
	// Without a page count, probe the page after the limit at a tiny resolution.
	if _, err := e.rasterise(ctx, data, e.cfg.MaxPages+1, []string{"-r", "9"}); err == nil {
		return nil, fmt.Errorf("ocr: PDF has more than %d pages: %w", e.cfg.MaxPages, ErrTooLarge)
	}
	var pages []Page
	for n := 1; n <= e.cfg.MaxPages; n++ {
		png, err := e.rasterise(ctx, data, n, []string{"-r", strconv.Itoa(e.cfg.PDFDPI), "-scale-to", side})
		if err != nil {
			if n == 1 || ctx.Err() != nil {
				return nil, fmt.Errorf("%w (and rasterising: %v)", parseErr, err)
			}
			break // past the last page
		}
		img, err := decodeImage(png, KindPNG, e.cfg.MaxPixels)
		if err != nil {
			return nil, fmt.Errorf("ocr: PDF page %d: %w", n, err)
		}
		text, err := e.ocrImage(ctx, img)
		if err != nil {
			return nil, fmt.Errorf("ocr: PDF page %d: %w", n, err)
		}
		pages = append(pages, Page{Number: n, Text: text, Source: SourceOCR})
	}
	return pages, nil
}

// rasterise renders one page to a grayscale PNG with poppler's pdftoppm.
func (e *Engine) rasterise(ctx context.Context, data []byte, page int, args []string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "banli-ocr-")
	if err != nil {
		return nil, fmt.Errorf("ocr: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("ocr: writing PDF: %w", err)
	}
	out := filepath.Join(dir, "page")
	p := strconv.Itoa(page)
	cmdArgs := append([]string{"-f", p, "-l", p, "-gray", "-png", "-singlefile"}, args...)
	cmdArgs = append(cmdArgs, in, out)
	cmd := exec.CommandContext(ctx, e.cfg.Pdftoppm, cmdArgs...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("ocr: rasterising PDF page %d: %w", page, ctx.Err())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("ocr: pdftoppm page %d: %s: %w", page, strings.TrimSpace(stderr.String()), ErrCorrupt)
		}
		return nil, fmt.Errorf("ocr: running pdftoppm: %w", err)
	}
	b, err := os.ReadFile(out + ".png")
	if err != nil {
		return nil, fmt.Errorf("ocr: reading rasterised page %d: %w", page, err)
	}
	return b, nil
}
