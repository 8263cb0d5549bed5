package render

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// pdfWriter assembles a PDF from numbered objects and writes the xref table.
type pdfWriter struct {
	buf     bytes.Buffer
	offsets []int
}

func (w *pdfWriter) object(body string) {
	w.offsets = append(w.offsets, w.buf.Len())
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", len(w.offsets), body)
}

func (w *pdfWriter) stream(dict string, data []byte) {
	w.offsets = append(w.offsets, w.buf.Len())
	fmt.Fprintf(&w.buf, "%d 0 obj\n<< %s /Length %d >>\nstream\n", len(w.offsets), dict, len(data))
	w.buf.Write(data)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func (w *pdfWriter) finish() []byte {
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets)+1)
	for _, o := range w.offsets {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(w.offsets)+1, xref)
	return w.buf.Bytes()
}

func newPDF() *pdfWriter {
	w := &pdfWriter{}
	w.buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	return w
}

// TextPDF writes the receipt as a one-page PDF with a real text layer: a Type0
// font with Identity-H encoding whose codes are the characters' Unicode values and a
// ToUnicode map, as PDF producers write CJK text. The font is not embedded (viewers
// substitute one); the text layer, which is what this PDF is for, is exact.
func TextPDF(r Receipt) []byte {
	size := 9.0 // points: an 80 mm thermal receipt
	width := 226.0
	lineH := size * 1.5
	height := lineH*float64(len(r.Lines)+2) + 20
	used := map[rune]bool{}
	var content strings.Builder
	content.WriteString("BT\n")
	y := height - 20
	for _, l := range r.Lines {
		s := size
		if l.Scale > 0 {
			s = size * l.Scale
		}
		y -= lineH * max(1, l.Scale)
		put := func(text string, x float64) {
			for _, c := range text {
				used[c] = true
			}
			fmt.Fprintf(&content, "/F1 %.1f Tf 1 0 0 1 %.2f %.2f Tm <%s> Tj\n", s, x, y, hexCodes(text))
		}
		if l.Left != "" {
			x := 12.0
			if l.Center {
				x = (width - textWidth(l.Left, s)) / 2
			}
			put(l.Left, x)
		}
		if l.Right != "" {
			put(l.Right, width-12-textWidth(l.Right, s))
		}
	}
	content.WriteString("ET\n")

	runes := make([]rune, 0, len(used))
	for c := range used {
		runes = append(runes, c)
	}
	slices.Sort(runes)
	var widths, cmap strings.Builder
	for _, c := range runes {
		fmt.Fprintf(&widths, "%d [%d] ", c, int(glyphWidth(c)*1000))
	}
	cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for chunk := range slices.Chunk(runes, 100) {
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(chunk))
		for _, c := range chunk {
			fmt.Fprintf(&cmap, "<%04X> <%s>\n", c, utf16Hex(c))
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")

	w := newPDF()
	w.object("<< /Type /Catalog /Pages 2 0 R >>")
	w.object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	w.object(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>", width, height))
	w.stream("", []byte(content.String()))
	w.object("<< /Type /Font /Subtype /Type0 /BaseFont /NotoSansCJKtc-Regular /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 8 0 R >>")
	w.object("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /NotoSansCJKtc-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 /W [" + widths.String() + "] >>")
	w.object("<< /Type /FontDescriptor /FontName /NotoSansCJKtc-Regular /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 733 /StemV 80 >>")
	w.stream("", []byte(cmap.String()))
	return w.finish()
}

// ImagePDF writes a one-page PDF holding a JPEG and nothing else, as a scanner
// does: no text layer. The page is sized as if scanned at 300 DPI.
func ImagePDF(jpeg []byte, wPx, hPx int, gray bool) []byte {
	wPt, hPt := float64(wPx)*72/300, float64(hPx)*72/300
	cs := "/DeviceRGB"
	if gray {
		cs = "/DeviceGray"
	}
	w := newPDF()
	w.object("<< /Type /Catalog /Pages 2 0 R >>")
	w.object("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	w.object(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>", wPt, hPt))
	w.stream("", fmt.Appendf(nil, "q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q", wPt, hPt))
	w.stream(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode", wPx, hPx, cs), jpeg)
	return w.finish()
}

func hexCodes(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c > 0xffff {
			c = '?' // outside the 2-byte code space of this simple writer
		}
		fmt.Fprintf(&b, "%04X", c)
	}
	return b.String()
}

func utf16Hex(c rune) string {
	if c > 0xffff {
		return "003F"
	}
	return fmt.Sprintf("%04X", c)
}

// glyphWidth approximates advance widths in ems: CJK full width, Latin half.
func glyphWidth(c rune) float64 {
	if unicode.Is(unicode.Han, c) || (c >= 0x3000 && c <= 0x30ff) || (c >= 0xff00 && c <= 0xffef) {
		return 1
	}
	return 0.55
}

func textWidth(s string, size float64) float64 {
	var w float64
	for _, c := range s {
		w += glyphWidth(c)
	}
	return w * size
}
