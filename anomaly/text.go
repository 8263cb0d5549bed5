package anomaly

import (
	"strings"
	"unicode"
)

// foldRune lowers case and folds full-width ASCII forms, so that "ＡＢＣ" and
// "abc" compare equal.
func foldRune(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// merchantSuffixes are legal-form words that do not tell merchants apart.
var merchantSuffixes = [...]string{"有限公司", "limited", "ltd", "co", "company", "公司", "分店", "branch"}

// normMerchant folds a merchant name to a key: case, width, spaces,
// punctuation and legal suffixes removed.
func normMerchant(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	k := b.String()
	for changed := true; changed; {
		changed = false
		for _, suf := range merchantSuffixes {
			if len(k) > len(suf) && strings.HasSuffix(k, suf) {
				k, changed = k[:len(k)-len(suf)], true
			}
		}
	}
	return k
}

// lowerMerchant folds a merchant name for keyword search, keeping word breaks.
func lowerMerchant(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(' ')
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	b.WriteByte(' ')
	return b.String()
}

// normInvoice folds an invoice number: upper case, only letters and digits.
func normInvoice(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// MinHash signatures of receipt text find near-identical receipts (the same
// paper photographed twice, read with different OCR noise) without comparing
// against every earlier receipt: signatures are cut into bands, and only
// receipts sharing a band are compared.
const (
	sigLen    = 24
	sigBands  = 6
	bandRows  = sigLen / sigBands
	shingleN  = 3 // characters per shingle
	minTextRn = 20
)

type signature [sigLen]uint32

// mix64 is the splitmix64 finaliser: a cheap, well-spread hash of a uint64.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// textSignature returns the MinHash signature of the text's character
// shingles after folding case, width, spaces and punctuation, and false when
// the text is too short to compare.
func textSignature(text string) (signature, bool) {
	var sig signature
	rs := make([]rune, 0, len(text))
	for _, r := range text {
		r = foldRune(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			rs = append(rs, r)
		}
	}
	if len(rs) < minTextRn {
		return sig, false
	}
	for i := range sig {
		sig[i] = ^uint32(0)
	}
	for i := 0; i+shingleN <= len(rs); i++ {
		var h uint64 = 1469598103934665603
		for _, r := range rs[i : i+shingleN] {
			h = (h ^ uint64(r)) * 1099511628211
		}
		for k := range sig {
			v := uint32(mix64(h+uint64(k)*0x9e3779b97f4a7c15) >> 32)
			if v < sig[k] {
				sig[k] = v
			}
		}
	}
	return sig, true
}

// bandKey hashes one band of a signature, with the band's index mixed in so
// that bands share one map.
func (s *signature) bandKey(band int) uint64 {
	h := uint64(band+1) * 0x9e3779b97f4a7c15
	for _, v := range s[band*bandRows : (band+1)*bandRows] {
		h = mix64(h ^ uint64(v))
	}
	return h
}

// similarity estimates the Jaccard similarity of two texts' shingle sets.
func (s *signature) similarity(o *signature) float64 {
	same := 0
	for i := range s {
		if s[i] == o[i] {
			same++
		}
	}
	return float64(same) / sigLen
}
