package receipt

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	// 2026年3月5日 (日 often lost by OCR; digits sometimes spaced out: "2 0 2 6 年").
	reDateCJK = regexp.MustCompile(`(\d(?: ?\d){3})年(\d(?: ?\d)?)月(\d(?: ?\d)?)日?`)
	// 2026-03-05, 2026/3/5, 2026.03.05: year first is never ambiguous.
	reDateYMD = regexp.MustCompile(`\b(\d{4})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{1,2})\b`)
	// 05/03/2026, 5-3-26, 05.03.2026: day or month first, by locale.
	reDateNum = regexp.MustCompile(`\b(\d{1,2})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{4}|\d{2})\b`)
	// 5 Mar 2026, 05-MAR-26, 5 March, 2026.
	reDateDMonY = regexp.MustCompile(`(?i)\b(\d{1,2})[\s\-.]*(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?[\s\-.,]*(\d{4}|\d{2})\b`)
	// Mar 5, 2026.
	reDateMonDY = regexp.MustCompile(`(?i)\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\.?\s+(\d{1,2})(?:ST|ND|RD|TH)?,?\s+(\d{4})\b`)
)

var monthIndex = map[string]int{
	"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
	"JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
}

// dateKeywords label the transaction date; a date on such a line beats one that is
// not labelled (an expiry, a printed-on date, a membership date).
var dateKeywords = []string{"DATE", "日期", "開票", "开票", "交易時間", "交易时间", "時間", "时间", "DATED"}

// dateNotKeywords label dates that are not the transaction date.
var dateNotKeywords = []string{"EXPIR", "有效期", "VALID", "到期", "DUE DATE", "BIRTH"}

// date finds the transaction date.
func (d document) date() Field {
	best, bestScore := "", -1.0
	for i, l := range d.lines {
		up := d.upper[i]
		if containsAny(up, dateNotKeywords...) {
			continue
		}
		labelled := containsAny(up, dateKeywords...)
		for _, c := range datesIn(l, d.opts.DayFirst) {
			score := c.conf
			if labelled {
				score += 0.1
			}
			// Earlier lines win ties: the header date is the transaction date,
			// footers carry print dates and promotions.
			score -= float64(i) * 0.001
			if score > bestScore {
				best, bestScore = c.value, score
			}
		}
	}
	if best == "" {
		return Field{}
	}
	return Field{Value: best, Confidence: clamp(bestScore)}
}

type dateCand struct {
	value string
	conf  float64
}

// datesIn returns the valid dates written on one line, each with a confidence that
// reflects how ambiguous its format is.
func datesIn(l string, dayFirst bool) []dateCand {
	var out []dateCand
	add := func(y, m, day int, conf float64) {
		if v, ok := validDate(y, m, day); ok {
			out = append(out, dateCand{v, conf})
		}
	}
	for _, m := range reDateCJK.FindAllStringSubmatch(l, -1) {
		add(atoi(unspace(m[1])), atoi(unspace(m[2])), atoi(unspace(m[3])), 0.9)
	}
	for _, m := range reDateYMD.FindAllStringSubmatch(l, -1) {
		add(atoi(m[1]), atoi(m[2]), atoi(m[3]), 0.85)
	}
	for _, m := range reDateDMonY.FindAllStringSubmatch(l, -1) {
		add(year(m[3]), monthIndex[strings.ToUpper(m[2][:3])], atoi(m[1]), 0.85)
	}
	for _, m := range reDateMonDY.FindAllStringSubmatch(l, -1) {
		add(atoi(m[3]), monthIndex[strings.ToUpper(m[1][:3])], atoi(m[2]), 0.85)
	}
	if len(out) > 0 {
		return out
	}
	for _, m := range reDateNum.FindAllStringSubmatch(l, -1) {
		a, b, y := atoi(m[1]), atoi(m[2]), year(m[3])
		conf := 0.8
		if len(m[3]) == 2 {
			conf -= 0.1
		}
		day, month := a, b
		if !dayFirst {
			day, month = b, a
		}
		switch {
		case day > 12 || month > 12:
			// One reading is impossible: the other is certain.
			if month > 12 {
				day, month = month, day
			}
		case a != b:
			conf -= 0.1 // both readings valid; locale decides
		}
		add(y, month, day, conf)
	}
	return out
}

func year(s string) int {
	y := atoi(s)
	if len(s) == 2 {
		y += 2000
	}
	return y
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// validDate formats a date as YYYY-MM-DD if it exists and is plausible for a
// receipt being claimed (years 2000..2099).
func validDate(y, m, d int) (string, bool) {
	if y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false // 31 April and the like
	}
	return t.Format("2006-01-02"), true
}

func unspace(s string) string { return strings.ReplaceAll(s, " ", "") }
