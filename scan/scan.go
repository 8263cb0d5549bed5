// Package scan reads receipt files: it checks them against the OCR limits,
// recognises their text (package ocr) and extracts their fields (package
// receipt). It adapts both to the store's ReceiptReader and serves the CLI's
// `banli receipts scan`, so that both read receipts the same way.
package scan

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/ocr"
	"github.com/banlihq/banli/receipt"
)

// Reader checks and reads receipt files with one OCR engine. It is safe for
// concurrent use.
type Reader struct {
	eng *ocr.Engine
}

// New returns a Reader over an engine; the caller closes the engine.
func New(eng *ocr.Engine) *Reader { return &Reader{eng: eng} }

// Workers is how many files the engine recognises at once.
func (r *Reader) Workers() int { return r.eng.Workers() }

// mimeTypes maps sniffed kinds to media types.
var mimeTypes = map[ocr.Kind]string{
	ocr.KindJPEG: "image/jpeg", ocr.KindPNG: "image/png", ocr.KindWebP: "image/webp",
	ocr.KindGIF: "image/gif", ocr.KindBMP: "image/bmp", ocr.KindTIFF: "image/tiff",
	ocr.KindPDF: "application/pdf", ocr.KindHEIC: "image/heic",
}

// Check validates a file before anything is stored and returns its media type,
// sniffed from the content. Refusals are domain errors: ETooLarge, EUnsupported,
// or EInvalid for a corrupt file.
func (r *Reader) Check(ctx context.Context, data []byte) (string, error) {
	kind, err := r.eng.Check(ctx, data)
	if err != nil {
		return "", Refusal(err)
	}
	return mimeTypes[kind], nil
}

// Read recognises a file and extracts its fields. currency is assumed for a
// bare "$"; dayFirst reads 05/03/2026 as 5 March. Bad input gives the errors
// of Check; anything else (a closed engine, a cancelled context) is worth a retry.
func (r *Reader) Read(ctx context.Context, data []byte, currency string, dayFirst bool) (string, domain.ReceiptScan, error) {
	res, err := r.eng.Recognize(ctx, data)
	if err != nil {
		return "", domain.ReceiptScan{}, Refusal(err)
	}
	f := receipt.Extract(res.Text, receipt.Options{DayFirst: dayFirst, DefaultCurrency: currency})
	return res.Text, Fields(f, res), nil
}

// Fields converts extracted fields to the domain's form.
func Fields(f receipt.Fields, res ocr.Result) domain.ReceiptScan {
	sf := func(x receipt.Field) domain.ScanField {
		return domain.ScanField{Value: x.Value, Confidence: x.Confidence}
	}
	out := domain.ReceiptScan{Merchant: sf(f.Merchant), Date: sf(f.Date), Total: sf(f.Total), Currency: sf(f.Currency),
		Number: sf(f.Number), Tax: sf(f.Tax), Kind: string(res.Kind), Pages: len(res.Pages)}
	for _, it := range f.Items {
		out.Items = append(out.Items, domain.ReceiptLine{Description: it.Description, Quantity: it.Quantity, Amount: it.Amount, Confidence: it.Confidence})
	}
	return out
}

// Refusal maps the ocr package's input errors to domain errors with a plain
// sentence; other errors pass through unchanged.
func Refusal(err error) error {
	switch {
	case errors.Is(err, ocr.ErrTooLarge):
		return &domain.Error{Code: domain.ETooLarge, Message: "the file is too large: " + reason(err), Fields: []domain.FieldError{{Field: "file", Message: "too large"}}}
	case errors.Is(err, ocr.ErrUnsupported):
		return &domain.Error{Code: domain.EUnsupported, Message: "the file is not a supported receipt format (JPEG, PNG, HEIC, WebP, GIF, BMP, TIFF or PDF): " + reason(err), Fields: []domain.FieldError{{Field: "file", Message: "unsupported format"}}}
	case errors.Is(err, ocr.ErrCorrupt):
		return &domain.Error{Code: domain.EInvalid, Message: "the file is damaged and cannot be read: " + reason(err), Fields: []domain.FieldError{{Field: "file", Message: "corrupt"}}}
	}
	return fmt.Errorf("reading receipt: %w", err)
}

// reason is the ocr error's text without its package prefix and the
// sentinel's own words, which the caller's sentence already says.
func reason(err error) string {
	s := strings.TrimPrefix(err.Error(), "ocr: ")
	for _, sentinel := range []error{ocr.ErrTooLarge, ocr.ErrUnsupported, ocr.ErrCorrupt} {
		s = strings.TrimSuffix(s, ": "+sentinel.Error())
	}
	return s
}
