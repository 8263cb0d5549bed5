package ocr

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// stripes draws dark horizontal bars, like lines of text, tilted by deg.
func stripes(w, h int, deg float64) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	t := math.Tan(deg * math.Pi / 180)
	for y := range h {
		for x := range w {
			yy := float64(y) - float64(x)*t
			v := uint8(255)
			if int(math.Floor(yy))%40 < 8 && x%23 < 17 { // words separated by gaps
				v = 0
			}
			g.Pix[y*g.Stride+x] = v
		}
	}
	return g
}

func TestSkewAngle(t *testing.T) {
	for _, deg := range []float64{-4, -1.5, 0, 2, 5} {
		g := stripes(800, 1000, deg)
		got := skewAngle(g)
		if math.Abs(got-deg) > 0.3 {
			t.Errorf("skewAngle(tilted %v°) = %v", deg, got)
		}
		if math.Abs(deg) >= 1 {
			if after := skewAngle(rotate(g, got)); math.Abs(after) > 0.3 {
				t.Errorf("after deskewing %v°, angle is still %v", deg, after)
			}
		}
	}
}

func TestApplyOrientation(t *testing.T) {
	// A 3×2 image with one black pixel at the top-left.
	src := image.NewGray(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = 255
	}
	src.SetGray(0, 0, color.Gray{0})
	tests := []struct {
		o    int
		w, h int
		x, y int // where the black pixel ends up
	}{
		{1, 3, 2, 0, 0},
		{3, 3, 2, 2, 1},
		{6, 2, 3, 1, 0},
		{8, 2, 3, 0, 2},
	}
	for _, tt := range tests {
		got := applyOrientation(src, tt.o)
		b := got.Bounds()
		if b.Dx() != tt.w || b.Dy() != tt.h {
			t.Errorf("orientation %d: size %dx%d, want %dx%d", tt.o, b.Dx(), b.Dy(), tt.w, tt.h)
			continue
		}
		if r, _, _, _ := got.At(tt.x, tt.y).RGBA(); r != 0 {
			t.Errorf("orientation %d: pixel (%d,%d) is not black", tt.o, tt.x, tt.y)
		}
	}
}

func TestExifOrientation(t *testing.T) {
	// SOI, APP1 with a big-endian TIFF header and one IFD entry: Orientation = 6.
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00")
	seg := append([]byte("Exif\x00\x00"), tiff...)
	data := append([]byte{0xff, 0xd8, 0xff, 0xe1, 0, byte(len(seg) + 2)}, seg...)
	data = append(data, 0xff, 0xda)
	if o := exifOrientation(data); o != 6 {
		t.Errorf("exifOrientation = %d, want 6", o)
	}
	if o := exifOrientation([]byte{0xff, 0xd8, 0xff, 0xda}); o != 1 {
		t.Errorf("exifOrientation without EXIF = %d, want 1", o)
	}
}

func TestOtsu(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 10, 10))
	for i := range g.Pix {
		g.Pix[i] = 220
		if i%3 == 0 {
			g.Pix[i] = 30
		}
	}
	if thr := otsu(g); thr < 30 || thr >= 220 {
		t.Errorf("otsu = %d, want between the two levels", thr)
	}
}
