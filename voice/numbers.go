package voice

import (
	"strconv"
	"strings"
)

// The offline recogniser writes numbers as words ("at three thirty"); the
// chat service's parsers read digits ("at 3:30"), as Whisper writes them.
// spokenNumbers rewrites the common cases: cardinals, clock times and
// ordinal days next to a month.

var units = map[string]int{
	"zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}

var tens = map[string]int{
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

var ordinals = map[string]int{
	"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
	"ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
	"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
	"twentieth": 20, "thirtieth": 30,
}

var months = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
}

// clockWords introduce a time of day: "at three", "from two to four".
var clockWords = map[string]bool{"at": true, "from": true, "to": true, "until": true, "till": true, "by": true}

// cardinal reads a spoken number at ws[i:]: "three", "twenty five",
// "one hundred and twenty", "two thousand five hundred". It returns the
// value and the words read (0 when none). "oh" is read only in times.
func cardinal(ws []string, i int) (int, int) {
	const (
		none = iota
		unit
		teen
		tensDone
		hundred
		thousand
	)
	total, cur, last, j := 0, 0, none, i
	// open reports whether a units, teens or tens word may come next.
	open := func() bool { return last == none || last == hundred || last == thousand }
loop:
	for ; j < len(ws); j++ {
		w := ws[j]
		if u, ok := units[w]; ok && w != "oh" {
			switch {
			case w == "zero":
				if last != none {
					break loop
				}
				return 0, 1
			case u < 10 && (open() || last == tensDone):
				cur, last = cur+u, unit
			case u >= 10 && open():
				cur, last = cur+u, teen
			default:
				break loop // "three four": two numbers
			}
			continue
		}
		if t, ok := tens[w]; ok {
			if !open() {
				break loop
			}
			cur, last = cur+t, tensDone
			continue
		}
		switch {
		case w == "hundred" && (last == unit || last == teen) && cur < 100:
			cur, last = cur*100, hundred
		case w == "thousand" && last != none && last != thousand && total == 0:
			total, cur, last = cur*1000, 0, thousand
		case w == "and" && (last == hundred || last == thousand) && j+1 < len(ws) && (units[ws[j+1]] > 0 || tens[ws[j+1]] > 0):
			// "one hundred and twenty"
		default:
			break loop
		}
	}
	if last == none {
		return 0, 0
	}
	return total + cur, j - i
}

// spokenNumbers rewrites number words in a lower-case transcript as digits.
func spokenNumbers(text string) string {
	ws := strings.Fields(text)
	var out []string
	for i := 0; i < len(ws); {
		// Ordinal day next to a month: "the fifth of may", "may the fifth".
		if d, n := ordinal(ws, i); n > 0 && nextToMonth(ws, i, n) {
			out = append(out, ordinalDigits(d))
			i += n
			continue
		}
		v, n := cardinal(ws, i)
		if n == 0 {
			out = append(out, ws[i])
			i++
			continue
		}
		j := i + n
		// A clock time: "three thirty", "ten oh five", "four fifteen pm",
		// after "at"/"from"/... or before am/pm; "three o'clock".
		if v >= 1 && v <= 12 {
			if m, mn := minutes(ws, j); mn > 0 && (i > 0 && clockWords[ws[i-1]] || j+mn < len(ws) && ampm(ws[j+mn])) {
				out = append(out, strconv.Itoa(v)+":"+m)
				i = j + mn
				continue
			}
		}
		if v >= 1 && v <= 12 && j < len(ws) && ws[j] == "o'clock" {
			out = append(out, strconv.Itoa(v)+":00")
			i = j + 1
			continue
		}
		out = append(out, strconv.Itoa(v))
		i = j
	}
	return strings.Join(out, " ")
}

// minutes reads the minutes of a clock time at ws[j:]: "thirty",
// "forty five", "oh five", "fifteen"; two digits.
func minutes(ws []string, j int) (string, int) {
	if j+1 < len(ws) && ws[j] == "oh" {
		if u, ok := units[ws[j+1]]; ok && u >= 1 && u <= 9 {
			return "0" + strconv.Itoa(u), 2
		}
		return "", 0
	}
	m, n := cardinal(ws, j)
	if n == 0 || m < 10 || m > 59 {
		return "", 0
	}
	return strconv.Itoa(m), n
}

// ordinal reads "fifth" or "twenty first" at ws[i:].
func ordinal(ws []string, i int) (int, int) {
	if d, ok := ordinals[ws[i]]; ok {
		return d, 1
	}
	if t, ok := tens[ws[i]]; ok && i+1 < len(ws) {
		if d, ok := ordinals[ws[i+1]]; ok && d < 10 {
			return t + d, 2
		}
	}
	return 0, 0
}

// nextToMonth reports whether the ordinal at ws[i:i+n] names a day of a
// month: "<month> [the] X" or "X of <month>".
func nextToMonth(ws []string, i, n int) bool {
	if i > 0 && months[ws[i-1]] || i > 1 && ws[i-1] == "the" && months[ws[i-2]] {
		return true
	}
	return i+n+1 < len(ws) && ws[i+n] == "of" && months[ws[i+n+1]]
}

func ordinalDigits(d int) string {
	s := strconv.Itoa(d)
	switch {
	case d%100 >= 11 && d%100 <= 13:
		return s + "th"
	case d%10 == 1:
		return s + "st"
	case d%10 == 2:
		return s + "nd"
	case d%10 == 3:
		return s + "rd"
	}
	return s + "th"
}

func ampm(w string) bool { return w == "am" || w == "pm" || w == "a.m." || w == "p.m." }
