package receipt

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// money is one amount found on a line, with the currency written next to it, if any.
type money struct {
	amount   decimal.Decimal
	currency string // ISO 4217 code, "$" when only a bare dollar sign was written, "" if none
	decimals bool   // written with a decimal point: far more likely a price than a count
	start    int    // byte offset of the match in the line
}

// reMoney matches an amount with an optional currency marker before it or 元 after it.
// Currency codes are case-sensitive on purpose: "rm" inside a word is not ringgit.
var reMoney = regexp.MustCompile(`(HK\$|US\$|\bS\$|\bRMB|\bMYR|\bHKD|\bCNY|\bUSD|\bRM|\$|¥)?\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|-?\d+(?:\.\d{1,2})?)(\s*元)?`)

// currencyOfMarker maps what is written next to an amount to an ISO code.
var currencyOfMarker = map[string]string{
	"HK$": "HKD", "HKD": "HKD",
	"US$": "USD", "USD": "USD",
	"S$":  "SGD",
	"RMB": "CNY", "CNY": "CNY", "¥": "CNY", "元": "CNY",
	"RM": "MYR", "MYR": "MYR",
	"$": "$",
}

// findMoney returns the amounts on a line, skipping numbers that belong to dates,
// times, phone numbers, percentages and codes.
func findMoney(line string) []money {
	var out []money
	for _, m := range reMoney.FindAllStringSubmatchIndex(line, -1) {
		numStart, numEnd := m[4], m[5]
		if !standalone(line, numStart, numEnd, m[2] >= 0) {
			continue
		}
		num := strings.ReplaceAll(line[numStart:numEnd], ",", "")
		d, err := decimal.NewFromString(num)
		if err != nil {
			continue
		}
		mo := money{amount: d, decimals: strings.Contains(num, "."), start: m[0]}
		switch {
		case m[2] >= 0:
			mo.currency = currencyOfMarker[line[m[2]:m[3]]]
		case m[6] >= 0:
			mo.currency = "CNY"
		}
		out = append(out, mo)
	}
	return out
}

// standalone reports whether the number at line[s:e] stands on its own rather than
// being part of a date (05/03), time (12:30), percentage, code (A123) or longer token.
func standalone(line string, s, e int, hasMarker bool) bool {
	// A letter glued to an integer makes a code ("A123", "3pcs"); glued to a price
	// it is usually OCR dropping a space ("TOTAL45.50").
	decimals := strings.Contains(line[s:e], ".")
	if s > 0 {
		r, _ := utf8.DecodeLastRuneInString(line[:s])
		if r == '/' || r == ':' || r == '.' || r == '-' || (r == '#' && !decimals) {
			return false
		}
		if !hasMarker && !decimals && unicode.IsLetter(r) && !isCJK(r) {
			return false
		}
	}
	if e < len(line) {
		r, _ := utf8.DecodeRuneInString(line[e:])
		switch {
		case r == '/' || r == ':' || r == '%' || r == '-' || r == '年' || r == '月' || r == '日':
			return false
		case r == '.':
			// "05.03.2026" or "1.2.3": followed by another digit group.
			if e+1 < len(line) && line[e+1] >= '0' && line[e+1] <= '9' {
				return false
			}
		case !decimals && unicode.IsLetter(r) && !isCJK(r):
			return false
		}
	}
	return true
}

// lastPrice picks the amount most likely to be the price on a line: the last one
// written with decimals, else the last one at all.
func lastPrice(ms []money) (money, bool) {
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].decimals {
			return ms[i], true
		}
	}
	if len(ms) > 0 {
		return ms[len(ms)-1], true
	}
	return money{}, false
}
