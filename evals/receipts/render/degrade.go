package render

import (
	"image"
	"math"
	"math/rand/v2"
)

// Photo makes a clean receipt look photographed: the paper on a darker table with
// a margin, uneven lighting, a slight rotation, blur and sensor noise. The same rng
// state gives the same image.
type Photo struct {
	Rotate float64 // degrees
	Blur   int     // box blur radius in pixels; 0 none
	Noise  float64 // standard deviation of gray-level noise
	Margin int     // table visible around the paper, in pixels
	Shade  float64 // 0..1: how much darker the bottom is than the top
}

// Apply returns the degraded image.
func (p Photo) Apply(src *image.Gray, rng *rand.Rand) *image.Gray {
	w, h := src.Rect.Dx()+2*p.Margin, src.Rect.Dy()+2*p.Margin
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 90 // table
	}
	for y := range src.Rect.Dy() {
		copy(g.Pix[(y+p.Margin)*g.Stride+p.Margin:], src.Pix[y*src.Stride:y*src.Stride+src.Rect.Dx()])
	}
	if p.Rotate != 0 {
		g = rotateGray(g, p.Rotate, 90)
	}
	if p.Blur > 0 {
		g = boxBlur(g, p.Blur)
	}
	for y := range h {
		light := 1 - p.Shade*float64(y)/float64(h)
		for x := range w {
			i := y*g.Stride + x
			v := float64(g.Pix[i])*light + rng.NormFloat64()*p.Noise
			g.Pix[i] = uint8(math.Max(0, math.Min(255, v)))
		}
	}
	return g
}

// rotateGray rotates about the centre by deg degrees, filling with bg.
func rotateGray(g *image.Gray, deg float64, bg uint8) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, w, h))
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	for y := range h {
		for x := range w {
			fx, fy := float64(x)-cx, float64(y)-cy
			sx, sy := fx*c-fy*s+cx, fx*s+fy*c+cy
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			if x0 < 0 || y0 < 0 || x0+1 >= w || y0+1 >= h {
				dst.Pix[y*dst.Stride+x] = bg
				continue
			}
			ax, ay := sx-float64(x0), sy-float64(y0)
			at := func(xx, yy int) float64 { return float64(g.Pix[yy*g.Stride+xx]) }
			v := at(x0, y0)*(1-ax)*(1-ay) + at(x0+1, y0)*ax*(1-ay) + at(x0, y0+1)*(1-ax)*ay + at(x0+1, y0+1)*ax*ay
			dst.Pix[y*dst.Stride+x] = uint8(v + 0.5)
		}
	}
	return dst
}

// boxBlur averages each pixel with its neighbours within radius r (separable).
func boxBlur(g *image.Gray, r int) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	tmp := image.NewGray(g.Rect)
	dst := image.NewGray(g.Rect)
	for y := range h {
		for x := range w {
			sum, n := 0, 0
			for k := max(0, x-r); k <= min(w-1, x+r); k++ {
				sum += int(g.Pix[y*g.Stride+k])
				n++
			}
			tmp.Pix[y*tmp.Stride+x] = uint8(sum / n)
		}
	}
	for y := range h {
		for x := range w {
			sum, n := 0, 0
			for k := max(0, y-r); k <= min(h-1, y+r); k++ {
				sum += int(tmp.Pix[k*tmp.Stride+x])
				n++
			}
			dst.Pix[y*dst.Stride+x] = uint8(sum / n)
		}
	}
	return dst
}
