package knowledge

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/banlihq/banli/domain"
)

// Document formats (MIME types).
const (
	MIMEText     = "text/plain"
	MIMEMarkdown = "text/markdown"
	MIMEPDF      = "application/pdf"
)

// MaxTextBytes bounds a document's text, after extraction.
const MaxTextBytes = 2 << 20

// Reader turns an uploaded file into a document's text.
type Reader struct {
	// PDF returns the text of a PDF (its text layer, OCR for scanned
	// pages); nil makes PDFs unsupported. cmd/banli wires the ocr engine.
	PDF func(ctx context.Context, data []byte) (string, error)
}

// Read returns the text and MIME type of a file named name. The format is
// taken from the content (a PDF starts with %PDF-) and, for text, from the
// name (.md and .markdown are Markdown; anything else that is UTF-8 text is
// plain text). Bad input is a domain.EInvalid error on field "file".
func (r Reader) Read(ctx context.Context, name string, data []byte) (text, mime string, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return "", "", domain.Invalid("file", "is empty")
	}
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		if r.PDF == nil {
			return "", "", domain.Invalid("file", "PDF files cannot be read here")
		}
		text, err := r.PDF(ctx, data)
		if err != nil {
			return "", "", fmt.Errorf("read PDF %s: %w", name, err)
		}
		if strings.TrimSpace(text) == "" {
			return "", "", domain.Invalid("file", "the PDF has no readable text")
		}
		return text, MIMEPDF, nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return "", "", domain.Invalid("file", "is neither UTF-8 text, Markdown nor a PDF")
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		return MarkdownText(string(data)), MIMEMarkdown, nil
	}
	return string(data), MIMEText, nil
}

// Title is a document's default title: a Markdown file's first heading,
// else the file name without its extension.
func Title(name string, data []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			if h := strings.TrimSpace(strings.TrimLeft(line, "#")); strings.HasPrefix(line, "#") && h != "" {
				return MarkdownText(h)
			}
			break
		}
	}
	base := filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	return strings.TrimSuffix(base, filepath.Ext(base))
}

var (
	mdImage    = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink     = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	mdHeading  = regexp.MustCompile(`(?m)^\s{0,3}#{1,6}\s+`)
	mdQuote    = regexp.MustCompile(`(?m)^\s{0,3}>\s?`)
	mdBullet   = regexp.MustCompile(`(?m)^(\s*)[-*+]\s+`)
	mdEmphasis = regexp.MustCompile(`(\*\*|__|\*|_|~~|` + "`" + `)([^*_~` + "`" + `\n]+)(\*\*|__|\*|_|~~|` + "`" + `)`)
	mdRule     = regexp.MustCompile(`(?m)^\s{0,3}([-*_]\s*){3,}$`)
	mdFence    = regexp.MustCompile("(?m)^\\s{0,3}(```|~~~).*$")
	mdTags     = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
)

// MarkdownText strips Markdown's markup and keeps its text: heading
// marks, emphasis, link targets, images, rules, fences and HTML tags go;
// the words and line structure stay.
func MarkdownText(s string) string {
	s = mdFence.ReplaceAllString(s, "")
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdRule.ReplaceAllString(s, "")
	s = mdHeading.ReplaceAllString(s, "")
	s = mdQuote.ReplaceAllString(s, "")
	s = mdBullet.ReplaceAllString(s, "$1")
	s = mdEmphasis.ReplaceAllString(s, "$2")
	s = mdTags.ReplaceAllString(s, "")
	return s
}
