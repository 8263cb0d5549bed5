// Package money finds amounts of money with their currency in Chinese and
// English text ("HK$186", "186蚊", "人民幣三百五十元", "US$20.5", "RM 45") and
// returns them as decimal strings and ISO 4217 codes, never as floats.
package money

import (
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/banlihq/banli/nlu/zh"
)

// Amount is one sum of money found in a text.
type Amount struct {
	Value      string // decimal string with two places, e.g. "186.00"
	Currency   string // ISO 4217 code
	Start, End int    // rune span in the text
	// Marked is true when a currency sign, code or word was written; false
	// when the currency is the default.
	Marked bool
}

// Options say what unmarked amounts mean.
type Options struct {
	// Default is the currency of "$" and of bare numbers: the tenant's.
	Default string
	// Yuan is the currency of 元 and 塊: the tenant's in Hong Kong (where
	// 元 is written on HKD prices), CNY where the text is about the mainland.
	// Empty means Default.
	Yuan string
	// Bare accepts numbers with no currency at all as amounts of Default.
	Bare bool
}

// prefixes are currency markers written before the number, longest first.
var prefixes = []struct{ w, code string }{
	{"hk$", "HKD"}, {"hkd", "HKD"}, {"us$", "USD"}, {"usd", "USD"}, {"s$", "SGD"}, {"sgd", "SGD"},
	{"nt$", "TWD"}, {"twd", "TWD"}, {"rmb", "CNY"}, {"cny", "CNY"}, {"myr", "MYR"}, {"rm", "MYR"},
	{"eur", "EUR"}, {"gbp", "GBP"}, {"jpy", "JPY"}, {"a$", "AUD"}, {"aud", "AUD"},
	{"人民幣", "CNY"}, {"港幣", "HKD"}, {"港元", "HKD"}, {"港紙", "HKD"}, {"美金", "USD"}, {"美元", "USD"},
	{"馬幣", "MYR"}, {"令吉", "MYR"}, {"新幣", "SGD"}, {"新加坡元", "SGD"}, {"台幣", "TWD"}, {"新台幣", "TWD"},
	{"歐元", "EUR"}, {"英鎊", "GBP"}, {"日元", "JPY"}, {"日圓", "JPY"},
	{"€", "EUR"}, {"£", "GBP"}, {"¥", "CNY"}, {"￥", "CNY"}, {"$", ""},
}

// suffixes are currency markers written after the number; "" means the
// yuan or default currency.
var suffixes = []struct{ w, code string }{
	{"hkd", "HKD"}, {"usd", "USD"}, {"rmb", "CNY"}, {"cny", "CNY"}, {"myr", "MYR"}, {"sgd", "SGD"},
	{"eur", "EUR"}, {"gbp", "GBP"}, {"jpy", "JPY"}, {"twd", "TWD"}, {"ringgit", "MYR"},
	{"港幣", "HKD"}, {"港元", "HKD"}, {"港紙", "HKD"}, {"人民幣", "CNY"}, {"美金", "USD"}, {"美元", "USD"},
	{"令吉", "MYR"}, {"馬幣", "MYR"}, {"新幣", "SGD"}, {"歐元", "EUR"}, {"英鎊", "GBP"}, {"日元", "JPY"}, {"日圓", "JPY"},
	{"台幣", "TWD"}, {"蚊", "HKD"}, {"文", "HKD"}, {"hk dollars", "HKD"}, {"dollars", ""}, {"bucks", ""},
	{"元", "yuan"}, {"塊錢", "yuan"}, {"塊", "yuan"}, {"蚊雞", "HKD"},
}

// Find returns the amounts of money in text, in order.
func Find(text string, opt Options) []Amount {
	rs := zh.FoldRunes([]rune(text))
	yuan := opt.Yuan
	if yuan == "" {
		yuan = opt.Default
	}
	var out []Amount
	for i := 0; i < len(rs); {
		a, n := at(rs, i, opt, yuan)
		if n == 0 {
			i++
			continue
		}
		out = append(out, a)
		i += n
	}
	return out
}

func at(rs []rune, i int, opt Options, yuan string) (Amount, int) {
	if i > 0 && isASCIILetter(rs[i-1]) && isASCIILetter(rs[i]) {
		return Amount{}, 0
	}
	code, marked := "", false
	j := i
	for _, p := range prefixes {
		if hasPrefix(rs, j, p.w) {
			k := j + len([]rune(p.w))
			if isASCIILetter(rune(p.w[len(p.w)-1])) && k < len(rs) && isASCIILetter(rs[k]) {
				continue
			}
			code, marked = p.code, true
			if code == "" {
				code = opt.Default
			}
			j = k
			break
		}
	}
	for j < len(rs) && rs[j] == ' ' && marked {
		j++
	}
	val, n := number(rs, j)
	if n == 0 {
		return Amount{}, 0
	}
	if !marked && i > 0 && (rs[i-1] == '/' || rs[i-1] == ':' || rs[i-1] == '-' || isASCIIDigit(rs[i-1])) {
		return Amount{}, 0
	}
	j += n
	k := j
	for k < len(rs) && rs[k] == ' ' {
		k++
	}
	for _, s := range suffixes {
		if hasPrefix(rs, k, s.w) {
			e := k + len([]rune(s.w))
			if isASCIILetter(rune(s.w[0])) && e < len(rs) && isASCIILetter(rs[e]) {
				continue
			}
			if s.w == "文" && !(e >= len(rs) || !zh.IsHan(rs[e]) || hasPrefix(rs, e, "半")) {
				continue // 文 in 文件 is not dollars
			}
			c := s.code
			switch c {
			case "yuan":
				c = yuan
			case "":
				c = code
				if c == "" {
					c = opt.Default
				}
			}
			if !marked || code == opt.Default || code == c {
				code = c
			}
			marked = true
			j = e
			// "五蚊半", "三百五十元五角" are rare enough; "半" after 蚊 is fifty cents.
			if hasPrefix(rs, j, "半") {
				val = val.Add(decimal.New(5, -1))
				j++
			}
			break
		}
	}
	if !marked {
		if !opt.Bare {
			return Amount{}, 0
		}
		code = opt.Default
	}
	return Amount{Value: val.StringFixed(2), Currency: code, Start: i, End: j, Marked: marked}, j - i
}

// number reads "1,234.50", "186", "1.2k", "三百五", "兩千".
func number(rs []rune, i int) (decimal.Decimal, int) {
	if i >= len(rs) {
		return decimal.Decimal{}, 0
	}
	if isASCIIDigit(rs[i]) {
		j := i
		var b strings.Builder
		for j < len(rs) && (isASCIIDigit(rs[j]) || rs[j] == ',' && j+3 < len(rs)+0 && j+1 < len(rs) && isASCIIDigit(rs[j+1])) {
			if rs[j] != ',' {
				b.WriteRune(rs[j])
			}
			j++
		}
		if j+1 < len(rs) && rs[j] == '.' && isASCIIDigit(rs[j+1]) {
			b.WriteByte('.')
			j++
			for j < len(rs) && isASCIIDigit(rs[j]) {
				b.WriteRune(rs[j])
				j++
			}
		}
		d, err := decimal.NewFromString(b.String())
		if err != nil {
			return decimal.Decimal{}, 0
		}
		switch {
		case j < len(rs) && rs[j] == 'k' && (j+1 >= len(rs) || !isASCIILetter(rs[j+1])):
			d, j = d.Mul(decimal.NewFromInt(1000)), j+1
		case hasPrefix(rs, j, "千"):
			d, j = d.Mul(decimal.NewFromInt(1000)), j+1
		case hasPrefix(rs, j, "萬"):
			d, j = d.Mul(decimal.NewFromInt(10000)), j+1
		}
		return d, j - i
	}
	v, n := zh.Number(rs, i)
	if n == 0 {
		return decimal.Decimal{}, 0
	}
	return decimal.NewFromInt(int64(v)), n
}

func hasPrefix(rs []rune, i int, w string) bool {
	for _, r := range w {
		if i >= len(rs) || rs[i] != zh.FoldRune(r) {
			return false
		}
		i++
	}
	return true
}

func isASCIIDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isASCIILetter(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }
