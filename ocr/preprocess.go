package ocr

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"

	"golang.org/x/image/draw"
)

// Step is a set of image pre-processing steps, as bit flags.
type Step uint8

// Pre-processing steps. Grayscale is always done (Tesseract works on luminance and
// a PGM is the cheapest hand-over); the others are measured in README.md.
const (
	// StepScale scales the image so that its width is between 1000 and 2200
	// pixels: small photos are too coarse for Tesseract, huge ones slow it down.
	StepScale Step = 1 << iota
	// StepBinarize applies a global Otsu threshold.
	StepBinarize
	// StepDeskew straightens text tilted by up to ±6 degrees.
	StepDeskew
	// StepNone disables every optional step (Config.Steps zero means defaults).
	StepNone Step = 1 << 7
)

// DefaultSteps are the steps that improved the receipt eval (see README.md).
const DefaultSteps = StepScale

// defaultPSM is Tesseract's page segmentation mode 4, "a single column of text of
// variable sizes": a receipt. It beat the default (3) in the eval (README.md).
const defaultPSM = 4

// ocrImage pre-processes an image and recognises it with a pooled client.
func (e *Engine) ocrImage(ctx context.Context, img image.Image) (string, error) {
	g := preprocess(img, e.cfg.Steps)
	text, err := e.pool.recognize(ctx, encodePGM(g))
	if err != nil {
		return "", fmt.Errorf("ocr: %w", err)
	}
	return text, nil
}

// preprocess applies the selected steps and returns a grayscale image.
func preprocess(img image.Image, steps Step) *image.Gray {
	g := toGray(img)
	if steps&StepNone != 0 {
		return g
	}
	if steps&StepScale != 0 {
		g = scaleWidth(g, 1000, 2200)
	}
	if steps&StepDeskew != 0 {
		if a := skewAngle(g); math.Abs(a) >= 0.3 {
			g = rotate(g, a) // maps lines of slope tan(a) to horizontal
		}
	}
	if steps&StepBinarize != 0 {
		binarize(g, otsu(g))
	}
	return g
}

// toGray converts to 8-bit luminance, taking the Y plane of a JPEG directly.
func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	dst := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	switch src := img.(type) {
	case *image.Gray:
		for y := range b.Dy() {
			copy(dst.Pix[y*dst.Stride:y*dst.Stride+b.Dx()], src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):])
		}
	case *image.YCbCr:
		for y := range b.Dy() {
			copy(dst.Pix[y*dst.Stride:y*dst.Stride+b.Dx()], src.Y[src.YOffset(b.Min.X, b.Min.Y+y):])
		}
	default:
		for y := range b.Dy() {
			for x := range b.Dx() {
				dst.Pix[y*dst.Stride+x] = color.GrayModel.Convert(img.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
		}
	}
	return dst
}

// scaleWidth resizes so that the width lies in [lo, hi], keeping the aspect ratio.
func scaleWidth(g *image.Gray, lo, hi int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var nw int
	switch {
	case w < lo:
		nw = lo
	case w > hi:
		nw = hi
	default:
		return g
	}
	nh := max(1, h*nw/w)
	dst := image.NewGray(image.Rect(0, 0, nw, nh))
	draw.CatmullRom.Scale(dst, dst.Rect, g, g.Rect, draw.Src, nil)
	return dst
}

// otsu returns the threshold that best separates ink from paper in the histogram.
func otsu(g *image.Gray) uint8 {
	var hist [256]int
	for _, p := range g.Pix {
		hist[p]++
	}
	total := len(g.Pix)
	sum := 0
	for i, n := range hist {
		sum += i * n
	}
	var sumB, wB int
	best, thr := -1.0, 128
	for t, n := range hist {
		wB += n
		if wB == 0 {
			continue
		}
		wF := total - wB
		if wF == 0 {
			break
		}
		sumB += t * n
		mB := float64(sumB) / float64(wB)
		mF := float64(sum-sumB) / float64(wF)
		between := float64(wB) * float64(wF) * (mB - mF) * (mB - mF)
		if between > best {
			best, thr = between, t
		}
	}
	return uint8(thr)
}

func binarize(g *image.Gray, thr uint8) {
	for i, p := range g.Pix {
		if p > thr {
			g.Pix[i] = 255
		} else {
			g.Pix[i] = 0
		}
	}
}

// skewAngle estimates the text tilt in degrees by projection profiles: rotating the
// ink so that lines are horizontal makes the row sums most uneven. It works on a
// small copy so it costs a few milliseconds.
func skewAngle(g *image.Gray) float64 {
	small := g
	if w := g.Rect.Dx(); w > 600 {
		small = image.NewGray(image.Rect(0, 0, 600, max(1, g.Rect.Dy()*600/w)))
		draw.ApproxBiLinear.Scale(small, small.Rect, g, g.Rect, draw.Src, nil)
	}
	thr := otsu(small)
	type pt struct{ x, y float64 }
	var ink []pt
	w, h := small.Rect.Dx(), small.Rect.Dy()
	for y := range h {
		for x := range w {
			if small.Pix[y*small.Stride+x] <= thr {
				ink = append(ink, pt{float64(x), float64(y)})
			}
		}
	}
	// A blank or nearly all-dark image has no lines to align.
	if len(ink) < 50 || len(ink) > w*h/2 {
		return 0
	}
	score := func(deg float64) float64 {
		s, c := math.Sincos(deg * math.Pi / 180)
		rows := make([]float64, h+w)
		for _, p := range ink {
			r := int(p.y*c-p.x*s) + w/2 // offset keeps indexes positive for small angles
			if r >= 0 && r < len(rows) {
				rows[r]++
			}
		}
		var v float64
		for _, n := range rows {
			v += n * n
		}
		return v
	}
	best, bestScore := 0.0, score(0)
	for a := -6.0; a <= 6.0; a += 0.5 {
		if s := score(a); s > bestScore {
			best, bestScore = a, s
		}
	}
	center := best
	for a := center - 0.4; a <= center+0.4; a += 0.1 {
		if s := score(a); s > bestScore {
			best, bestScore = a, s
		}
	}
	return best
}

// rotate resamples g so that lines of slope tan(deg) in g (image coordinates, y
// down) become horizontal, filling uncovered corners with white.
func rotate(g *image.Gray, deg float64) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := range h {
		for x := range w {
			// Inverse mapping with bilinear sampling.
			fx, fy := float64(x)-cx, float64(y)-cy
			sx := fx*c - fy*s + cx
			sy := fx*s + fy*c + cy
			dst.Pix[y*dst.Stride+x] = sample(g, sx, sy)
		}
	}
	return dst
}

func sample(g *image.Gray, x, y float64) uint8 {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	if x0 < 0 || y0 < 0 || x0+1 >= g.Rect.Dx() || y0+1 >= g.Rect.Dy() {
		return 255
	}
	fx, fy := x-float64(x0), y-float64(y0)
	p := func(xx, yy int) float64 { return float64(g.Pix[yy*g.Stride+xx]) }
	v := p(x0, y0)*(1-fx)*(1-fy) + p(x0+1, y0)*fx*(1-fy) + p(x0, y0+1)*(1-fx)*fy + p(x0+1, y0+1)*fx*fy
	return uint8(v + 0.5)
}

// encodePGM writes a binary PGM (P5): Leptonica reads it without decompression, so
// handing it to Tesseract costs a copy rather than a PNG round trip.
func encodePGM(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	hdr := "P5\n" + strconv.Itoa(w) + " " + strconv.Itoa(h) + "\n255\n"
	out := make([]byte, 0, len(hdr)+w*h)
	out = append(out, hdr...)
	for y := range h {
		out = append(out, g.Pix[y*g.Stride:y*g.Stride+w]...)
	}
	return out
}

func blankPGM(w, h int) []byte {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	return encodePGM(g)
}
