package anomaly

import (
	"math"
	"sort"
)

// logHist is a streaming histogram of log-amounts, kept sparse (sorted
// non-empty bins) because there is one per employee, category and merchant.
// Medians and MADs read from it cost one pass over its bins however long the
// history, and histograms merge by adding counts, which suits bulk loading.
type logHist struct {
	n    uint32
	bins []histBin
}

type histBin struct {
	bin uint16
	n   uint32
}

const (
	histMin   = -4.6 // ln(0.01)
	histWidth = 0.05 // about 5% in amount
	histBins  = 460  // up to ln(1e8)
)

func binOf(x float64) uint16 {
	b := int((x - histMin) / histWidth)
	return uint16(min(max(b, 0), histBins-1))
}

func (h *logHist) add(x float64) {
	b := binOf(x)
	h.n++
	i := sort.Search(len(h.bins), func(i int) bool { return h.bins[i].bin >= b })
	if i < len(h.bins) && h.bins[i].bin == b {
		h.bins[i].n++
		return
	}
	h.bins = append(h.bins, histBin{})
	copy(h.bins[i+1:], h.bins[i:])
	h.bins[i] = histBin{b, 1}
}

// medianMAD returns the median of the log-amounts and their median absolute
// deviation, both at the histogram's resolution.
func (h *logHist) medianMAD() (med, mad float64) {
	if h.n == 0 {
		return 0, 0
	}
	half := float64(h.n) / 2
	var cum float64
	k := 0
	for i, e := range h.bins {
		if cum+float64(e.n) >= half {
			// Interpolate inside the bin so medians move smoothly.
			frac := (half - cum) / float64(e.n)
			med = histMin + (float64(e.bin)+frac)*histWidth
			k = i
			break
		}
		cum += float64(e.n)
	}
	// MAD: take bins in order of distance from the median's bin until they
	// hold half the items.
	m := int(h.bins[k].bin)
	cum = float64(h.bins[k].n)
	l, r := k-1, k+1
	for cum < half && (l >= 0 || r < len(h.bins)) {
		dl, dr := math.MaxInt, math.MaxInt
		if l >= 0 {
			dl = m - int(h.bins[l].bin)
		}
		if r < len(h.bins) {
			dr = int(h.bins[r].bin) - m
		}
		if dl <= dr {
			cum += float64(h.bins[l].n)
			mad = float64(dl) * histWidth
			l--
		} else {
			cum += float64(h.bins[r].n)
			mad = float64(dr) * histWidth
			r++
		}
	}
	return med, mad
}

// robustZ is how many robust standard deviations x lies above the history,
// with floor as the smallest spread believed (identical fares would otherwise
// make any change infinite).
func (h *logHist) robustZ(x, floor float64) float64 {
	med, mad := h.medianMAD()
	return (x - med) / math.Max(1.4826*mad, floor)
}

// sigmoid maps a log-odds to a probability.
func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// benford holds the expected first-digit frequencies, log10(1+1/d).
var benford = [10]float64{0, 0.30103, 0.17609, 0.12494, 0.09691, 0.07918, 0.06695, 0.05799, 0.05115, 0.04576}

// firstDigit returns the leading significant digit of a positive amount, 0 if none.
func firstDigit(x float64) int {
	if !(x > 0) || math.IsInf(x, 0) {
		return 0
	}
	for x >= 10 {
		x /= 10
	}
	for x < 1 {
		x *= 10
	}
	return int(x)
}
