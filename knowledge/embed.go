package knowledge

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
)

// Embedder turns texts into vectors whose cosine similarity says how close
// their meanings are.
type Embedder interface {
	// Model names the embedding space, dimension included. Vectors of
	// different models are never compared: chunks embedded by another model
	// are embedded again.
	Model() string
	// Dim is the length of every vector.
	Dim() int
	// Local reports whether embedding runs in-process and cheaply, so that
	// a document can be embedded inside the transaction that stores it.
	Local() bool
	// Embed returns one L2-normalised vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Hashed is the built-in offline embedder: hashed character n-grams, no
// model files, no network, deterministic. Han runs give their 1-, 2- and
// 3-character n-grams (so Chinese needs no word segmentation); Latin words
// give themselves and their character trigrams (so "approve" is near
// "approval"). Text is folded first (zh.Fold), so Traditional and
// Simplified spellings embed alike. Each feature is hashed to a signed
// coordinate; repeated features grow logarithmically; the vector is
// L2-normalised. It captures shared wording, not synonyms.
type Hashed struct {
	dim int
}

// DefaultDim is the Hashed embedder's default dimension.
const DefaultDim = 384

// NewHashed returns a Hashed embedder of dim dimensions (DefaultDim when
// dim <= 0).
func NewHashed(dim int) *Hashed {
	if dim <= 0 {
		dim = DefaultDim
	}
	return &Hashed{dim: dim}
}

// Model names the feature scheme and dimension; change the version when
// the features change, so stored vectors are recomputed.
func (h *Hashed) Model() string { return fmt.Sprintf("banli-hash-v1/%d", h.dim) }

// Dim returns the vector length.
func (h *Hashed) Dim() int { return h.dim }

// Local is true: hashing is microseconds per passage.
func (h *Hashed) Local() bool { return true }

// MinSimilarity is the cosine below which a passage found only by meaning
// is not shown: unrelated texts score about ±1/√dim from hash collisions,
// so the floor is four such deviations. A short query shares few features
// with a long passage, so offline most results come with a keyword match;
// the floor keeps chance collisions out.
func (h *Hashed) MinSimilarity() float64 { return 4 / math.Sqrt(float64(h.dim)) }

// VectorWeight is the weight of this embedder's ranking against keyword
// matching: a half, since hashed n-grams see shared wording as keywords
// do, only noisier (Query.VectorWeight).
func (h *Hashed) VectorWeight() float64 { return 0.5 }

// Embed embeds each text.
func (h *Hashed) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = h.vector(t)
	}
	return out, nil
}

// Feature weights: whole words and Han bigrams say the most; Han single
// characters are ambiguous; a word's trigrams (each weighed alone, so that
// "claims" and "claim" or "submitted" and "submission" share most of their
// mass) carry the similarity of inflected and compound forms.
const (
	wWord    = 1.0
	wHan1    = 0.4
	wHan2    = 1.0
	wHan3    = 0.7
	wTrigram = 0.5
)

func (h *Hashed) vector(text string) []float32 {
	feats := map[string]float64{}
	for _, t := range tokens(text) {
		rs := []rune(t.text)
		if t.han {
			for i := range rs {
				feats["1"+string(rs[i])] += wHan1
				if i+2 <= len(rs) {
					feats["2"+string(rs[i:i+2])] += wHan2
				}
				if i+3 <= len(rs) {
					feats["3"+string(rs[i:i+3])] += wHan3
				}
			}
			continue
		}
		if stopWords[t.text] {
			continue
		}
		feats["w"+stem(t.text)] += wWord
		padded := []rune("^" + t.text + "$")
		n := len(padded) - 2
		for i := 0; i < n; i++ {
			feats["t"+string(padded[i:i+3])] += wTrigram
		}
	}
	v := make([]float32, h.dim)
	for f, w := range feats {
		hs := fnv.New64a()
		hs.Write([]byte(f))
		x := hs.Sum64()
		idx := int(x % uint64(h.dim))
		// Sub-linear repetition: the third mention says less than the first.
		val := float32(math.Log1p(w))
		if x>>63 == 1 {
			val = -val
		}
		v[idx] += val
	}
	normalize(v)
	return v
}

// normalize scales v to unit length in place (a zero vector stays zero).
func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
}

// dot is the cosine similarity of two unit vectors.
func dot(a, b []float32) float64 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return float64(s)
}
