// Package render draws synthetic receipts, as images and as PDFs, for the receipt
// eval's generator and for OCR tests. It uses the Noto Sans CJK fonts that Debian's
// fonts-noto-cjk installs (CFF-flavoured OpenType, which golang.org/x/image/font
// renders), so that Traditional and Simplified Chinese and Latin text all draw.
package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// FontPath is where Debian's fonts-noto-cjk installs the regular weight.
const FontPath = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

// Line is one line of a receipt: text on the left, optionally an amount on the
// right, optionally centred.
type Line struct {
	Left   string
	Right  string
	Center bool
	Scale  float64 // font size relative to the body; 0 means 1
}

// Receipt is what to draw.
type Receipt struct {
	Lines []Line
	// Width of the paper in pixels; 0 means 640.
	Width int
	// Size is the body font size in pixels; 0 means 24.
	Size float64
	// Script picks the glyph variant: "Hant" or "Hans" (Latin is the same in both).
	Script string
}

// Fonts holds parsed faces of the CJK collection, by script.
type Fonts struct {
	byScript map[string]*sfnt.Font
}

// LoadFonts parses the Noto CJK collection at path (FontPath if empty).
func LoadFonts(path string) (*Fonts, error) {
	if path == "" {
		path = FontPath
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("render: reading font (Debian package fonts-noto-cjk): %w", err)
	}
	coll, err := opentype.ParseCollection(b)
	if err != nil {
		return nil, fmt.Errorf("render: parsing %s: %w", path, err)
	}
	f := &Fonts{byScript: map[string]*sfnt.Font{}}
	var buf sfnt.Buffer
	for i := range coll.NumFonts() {
		ft, err := coll.Font(i)
		if err != nil {
			return nil, fmt.Errorf("render: font %d of %s: %w", i, path, err)
		}
		name, err := ft.Name(&buf, sfnt.NameIDFamily)
		if err != nil {
			continue
		}
		switch {
		case strings.HasSuffix(name, "CJK TC") && !strings.Contains(name, "Mono"):
			f.byScript["Hant"] = ft
		case strings.HasSuffix(name, "CJK SC") && !strings.Contains(name, "Mono"):
			f.byScript["Hans"] = ft
		}
		if f.byScript["any"] == nil {
			f.byScript["any"] = ft
		}
	}
	return f, nil
}

func (f *Fonts) font(script string) *sfnt.Font {
	if ft := f.byScript[script]; ft != nil {
		return ft
	}
	return f.byScript["any"]
}

// Image draws the receipt black on white, sized to its content.
func (f *Fonts) Image(r Receipt) (*image.Gray, error) {
	width := r.Width
	if width == 0 {
		width = 640
	}
	size := r.Size
	if size == 0 {
		size = 24
	}
	faces := map[float64]font.Face{}
	face := func(scale float64) (font.Face, error) {
		if scale == 0 {
			scale = 1
		}
		if fc, ok := faces[scale]; ok {
			return fc, nil
		}
		fc, err := opentype.NewFace(f.font(r.Script), &opentype.FaceOptions{Size: size * scale, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			return nil, fmt.Errorf("render: face: %w", err)
		}
		faces[scale] = fc
		return fc, nil
	}
	margin := int(size)
	height := margin
	for _, l := range r.Lines {
		s := l.Scale
		if s == 0 {
			s = 1
		}
		height += int(size * s * 1.5)
	}
	height += margin
	img := image.NewGray(image.Rect(0, 0, width, height))
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	y := margin
	for _, l := range r.Lines {
		fc, err := face(l.Scale)
		if err != nil {
			return nil, err
		}
		s := l.Scale
		if s == 0 {
			s = 1
		}
		lh := int(size * s * 1.5)
		base := fixed.I(y + int(size*s*1.15))
		d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: fc}
		if l.Left != "" {
			x := fixed.I(margin)
			if l.Center {
				x = (fixed.I(width) - d.MeasureString(l.Left)) / 2
			}
			d.Dot = fixed.Point26_6{X: x, Y: base}
			d.DrawString(l.Left)
		}
		if l.Right != "" {
			d.Dot = fixed.Point26_6{X: fixed.I(width-margin) - d.MeasureString(l.Right), Y: base}
			d.DrawString(l.Right)
		}
		y += lh
	}
	return img, nil
}

// Text returns the receipt as plain text lines, as a perfect text layer would.
func (r Receipt) Text() []string {
	out := make([]string, 0, len(r.Lines))
	for _, l := range r.Lines {
		switch {
		case l.Left != "" && l.Right != "":
			out = append(out, l.Left+"  "+l.Right)
		case l.Right != "":
			out = append(out, l.Right)
		default:
			out = append(out, l.Left)
		}
	}
	return out
}
