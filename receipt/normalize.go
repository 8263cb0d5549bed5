package receipt

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// normalizeText turns raw OCR output into something the field rules can read:
// full-width forms become ASCII, spaces that OCR inserts between CJK characters are
// removed, and common digit confusions are repaired where the context is numeric.
// It works line by line so that line structure (which the rules rely on) survives.
func normalizeText(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	raw := strings.Split(text, "\n")
	lines := make([]string, 0, len(raw))
	for _, l := range raw {
		l = normalizeLine(l)
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// fullWidthFix maps characters that width.Narrow leaves alone but that receipts use
// as punctuation in amounts and dates.
var fullWidthFix = strings.NewReplacer(
	"￥", "¥", "。", ".", "，", ",", "：", ":", "（", "(", "）", ")",
	"\u3000", " ", "\u00a0", " ", "\t", " ", "—", "-", "–", "-",
)

// Money written with OCR damage: "45 .50", "45. 50", "45 . 50".
var (
	reSpacedDecimal = regexp.MustCompile(`(\d)\s*\.\s*(\d{2})\b`)
	// "45,50" at the end of an amount: OCR often reads the point as a comma. Three
	// digits after a comma stay a thousands separator.
	reCommaDecimal = regexp.MustCompile(`(\d),(\d{2})(\D|$)`)
	// "S45.50", "HKS 45.50", "USS12.00": S misread for $.
	reDollarS  = regexp.MustCompile(`(^|[^A-Za-z])(HK|US|)S(\s?)(\d[\d,]*\.\d{2})`)
	reMultiSpc = regexp.MustCompile(`\s{2,}`)
	// "HKS$", "HK$$", "US5$": the S of a misread $ left beside the real one.
	reDoubleDollar = regexp.MustCompile(`\b(HK|US)[S5$]\$`)
)

func normalizeLine(l string) string {
	l = width.Narrow.String(l)
	l = fullWidthFix.Replace(l)
	l = joinCJK(l)
	l = fixDigitConfusions(l)
	l = reSpacedDecimal.ReplaceAllString(l, "$1.$2")
	l = reDoubleDollar.ReplaceAllString(l, "$1$$")
	l = reDollarS.ReplaceAllString(l, "$1$2$$$3$4")
	l = reCommaDecimal.ReplaceAllString(l, "$1.$2$3")
	l = reMultiSpc.ReplaceAllString(l, " ")
	return strings.TrimSpace(l)
}

// isCJK reports whether r is a Han character or CJK punctuation; Tesseract's chi_*
// models often emit a space between every such character.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f)
}

// joinCJK removes whitespace between two CJK characters, and between a CJK
// character and a digit where the digit belongs to a CJK date ("2026 年 3 月").
func joinCJK(s string) string {
	rs := []rune(s)
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if unicode.IsSpace(r) && len(out) > 0 {
			j := i
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			if j < len(rs) {
				prev, next := out[len(out)-1], rs[j]
				if (isCJK(prev) && isCJK(next)) ||
					(unicode.IsDigit(prev) && isDateHan(next)) ||
					(isDateHan(prev) && unicode.IsDigit(next)) {
					i = j - 1
					continue
				}
			}
		}
		out = append(out, r)
	}
	return string(out)
}

func isDateHan(r rune) bool { return r == '年' || r == '月' || r == '日' }

// digitLookalikes are letters that OCR returns in place of digits.
var digitLookalikes = map[rune]rune{'O': '0', 'o': '0', 'D': '0', 'l': '1', 'I': '1', '|': '1', 'B': '8', 'Z': '2'}

// fixDigitConfusions replaces a look-alike letter with its digit when it sits inside
// a number: next to a digit on one side and not next to a letter on the other, so
// that words such as "TOTAL" or "No." are left alone.
func fixDigitConfusions(s string) string {
	rs := []rune(s)
	isLetter := func(i int) bool {
		return i >= 0 && i < len(rs) && unicode.IsLetter(rs[i]) && !isCJK(rs[i])
	}
	isDigit := func(i int) bool { return i >= 0 && i < len(rs) && unicode.IsDigit(rs[i]) }
	changed := false
	for i, r := range rs {
		d, ok := digitLookalikes[r]
		if !ok {
			continue
		}
		// B, D and Z are too common in codes ("B2", "ZONE 2") to touch unless digits
		// surround them on both sides.
		strict := r == 'B' || r == 'D' || r == 'Z'
		both := isDigit(i-1) && isDigit(i+1)
		one := (isDigit(i-1) && !isLetter(i+1)) || (isDigit(i+1) && !isLetter(i-1))
		if both || (!strict && one) {
			rs[i] = d
			changed = true
		}
	}
	if !changed {
		return s
	}
	return string(rs)
}
