package zh

// digitValue maps Chinese and ASCII digits to their values.
var digitValue = map[rune]int{
	'零': 0, '一': 1, '二': 2, '兩': 2, '两': 2, '三': 3, '四': 4, '五': 5,
	'六': 6, '七': 7, '八': 8, '九': 9, '壹': 1, '貳': 2, '參': 3, '肆': 4,
	'伍': 5, '陸': 6, '柒': 7, '捌': 8, '玖': 9, '〇': 0,
	'0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7, '8': 8, '9': 9,
}

// unitValue maps Chinese multiplier characters to their values; 廿 and 卅
// are 20 and 30 as written in dates ("廿三號").
var unitValue = map[rune]int{
	'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000,
	'萬': 10000, '万': 10000, '廿': 20, '卅': 30,
}

// IsNumeralRune reports whether r can be part of a number read by Number.
func IsNumeralRune(r rune) bool {
	if _, ok := digitValue[FoldRune(r)]; ok {
		return true
	}
	_, ok := unitValue[FoldRune(r)]
	return ok || r == '０' || (r >= '０' && r <= '９')
}

// Number reads the integer written at rs[i:], in ASCII digits, full-width
// digits or Chinese numerals ("十二", "廿三", "兩千三百", "一萬二" = 12000,
// "三百五" = 350 as said colloquially). It returns the value and the number
// of runes read; n is 0 when rs[i] starts no number.
func Number(rs []rune, i int) (value, n int) {
	j := i
	// ASCII (or full-width) digits: plain decimal.
	if j < len(rs) && isDigit(rs[j]) {
		v := 0
		for j < len(rs) && isDigit(rs[j]) {
			v = v*10 + int(FoldRune(rs[j])-'0')
			j++
			if v > 1e9 {
				break
			}
		}
		return v, j - i
	}
	total, section, digit := 0, 0, -1
	lastUnit := 0
	for ; j < len(rs); j++ {
		r := FoldRune(rs[j])
		if d, ok := digitValue[r]; ok {
			if digit >= 0 {
				// Two digits in a row ("一二") are not one number here.
				if d == 0 || digit == 0 {
					digit = d
					continue
				}
				break
			}
			digit = d
			continue
		}
		u, ok := unitValue[r]
		if !ok {
			break
		}
		switch {
		case r == '廿' || r == '卅':
			if digit >= 0 {
				section += digit
			}
			section += u
			digit = -1
			lastUnit = 1
		case u == 10000:
			if digit >= 0 {
				section += digit
			}
			if section == 0 {
				section = 1
			}
			total += section * u
			section, digit = 0, -1
			lastUnit = u
		default:
			if digit < 0 {
				if u == 10 {
					digit = 1 // "十二": the leading one is implied
				} else {
					return 0, 0
				}
			}
			section += digit * u
			digit = -1
			lastUnit = u
		}
	}
	if j == i {
		return 0, 0
	}
	if digit >= 0 {
		// A trailing digit after a unit above ten is the next unit down:
		// "三百五" is 350, "一萬二" is 12000; after a zero ("三百零五") it is units.
		if lastUnit >= 100 && j >= 2 && FoldRune(rs[j-2]) != '零' {
			section += digit * (lastUnit / 10)
		} else {
			section += digit
		}
	}
	return total + section, j - i
}

// Atoi reads s as one whole number; ok is false if s is not only a number.
func Atoi(s string) (int, bool) {
	rs := []rune(s)
	v, n := Number(rs, 0)
	if n == 0 || n != len(rs) {
		return 0, false
	}
	return v, true
}

func isDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }
