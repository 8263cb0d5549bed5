package ocr

import (
	"context"
	"errors"
	"fmt"
)

// Check validates an input as Recognize would, without recognising it: the byte
// size, the format sniffed from the content, the pixel count (from the header,
// before decoding), the PDF page count, and that the content decodes. It needs
// no Tesseract, so an upload can be refused before anything is stored. The
// error wraps ErrTooLarge, ErrUnsupported or ErrCorrupt.
func (c Config) Check(ctx context.Context, data []byte) (Kind, error) {
	c = c.withDefaults()
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if len(data) > c.MaxBytes {
		return "", fmt.Errorf("ocr: %d bytes exceeds the limit of %d: %w", len(data), c.MaxBytes, ErrTooLarge)
	}
	kind := Sniff(data)
	switch kind {
	case "":
		return "", fmt.Errorf("ocr: content is not a known image or PDF: %w", ErrUnsupported)
	case KindHEIC:
		_, err := c.decodeHEIC(ctx, data)
		return kind, err
	case KindPDF:
		return kind, c.checkPDF(ctx, data)
	}
	_, err := decodeImage(data, kind, c.MaxPixels)
	return kind, err
}

// Check validates an input against the engine's limits; see Config.Check.
func (e *Engine) Check(ctx context.Context, data []byte) (Kind, error) {
	return e.cfg.Check(ctx, data)
}

// checkPDF parses the PDF's structure and counts its pages. A file the Go parser
// refuses is accepted when poppler can render its first page (Recognize then
// rasterises it) and no page past the limit.
func (c Config) checkPDF(ctx context.Context, data []byte) error {
	e := &Engine{cfg: c}
	ctx, cancel := context.WithTimeout(ctx, c.PDFTimeout)
	defer cancel()
	_, err := e.textLayer(ctx, data)
	if err == nil || errors.Is(err, ErrTooLarge) || ctx.Err() != nil {
		return err
	}
	if _, rerr := e.rasterise(ctx, data, 1, []string{"-r", "9"}); rerr != nil {
		return fmt.Errorf("%w (and rasterising: %v)", err, rerr)
	}
	if _, rerr := e.rasterise(ctx, data, c.MaxPages+1, []string{"-r", "9"}); rerr == nil {
		return fmt.Errorf("ocr: PDF has more than %d pages: %w", c.MaxPages, ErrTooLarge)
	}
	return nil
}
