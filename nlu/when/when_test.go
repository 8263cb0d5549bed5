package when

import (
	"testing"
	"time"
)

var hk = time.FixedZone("HKT", 8*3600)

// Monday 2026-11-23 09:30 in Hong Kong.
var now = time.Date(2026, 11, 23, 9, 30, 0, 0, hk)

func TestSpan(t *testing.T) {
	tests := []struct {
		text     string
		lean     Lean
		from, to string
	}{
		{"我想下個禮拜一至三放年假", Future, "2026-11-30", "2026-12-02"},
		{"下星期三", Future, "2026-12-02", "2026-12-02"},
		{"下週五", Future, "2026-12-04", "2026-12-04"},
		{"next Wednesday", Future, "2026-12-02", "2026-12-02"},
		{"Friday", Future, "2026-11-27", "2026-11-27"},
		{"禮拜一", Future, "2026-11-30", "2026-11-30"},
		{"星期五", Past, "2026-11-20", "2026-11-20"},
		{"聽日", Future, "2026-11-24", "2026-11-24"},
		{"明天下午", Future, "2026-11-24", "2026-11-24"},
		{"後日", Future, "2026-11-25", "2026-11-25"},
		{"今日同聽日", Future, "2026-11-23", "2026-11-24"},
		{"十二月一號", Future, "2026-12-01", "2026-12-01"},
		{"12月1日至3日", Future, "2026-12-01", "2026-12-03"},
		{"Dec 1", Future, "2026-12-01", "2026-12-01"},
		{"1st December", Future, "2026-12-01", "2026-12-01"},
		{"December 1-3", Future, "2026-12-01", "2026-12-03"},
		{"1月5號", Future, "2027-01-05", "2027-01-05"},
		{"11月20號", Nearest, "2026-11-20", "2026-11-20"},
		{"廿八號", Future, "2026-11-28", "2026-11-28"},
		{"5號", Future, "2026-12-05", "2026-12-05"},
		{"Mon to Wed", Future, "2026-11-30", "2026-12-02"},
		{"this Friday", Future, "2026-11-27", "2026-11-27"},
		{"下個月", Future, "2026-12-01", "2026-12-31"},
		{"下星期", Future, "2026-11-30", "2026-12-06"},
		{"this week", Future, "2026-11-23", "2026-11-29"},
		{"下個月3號", Future, "2026-12-03", "2026-12-03"},
		{"2026-12-24", Future, "2026-12-24", "2026-12-24"},
		{"3日後", Future, "2026-11-26", "2026-11-26"},
		{"yesterday", Past, "2026-11-22", "2026-11-22"},
		{"尋日", Past, "2026-11-22", "2026-11-22"},
		{"上星期五", Past, "2026-11-20", "2026-11-20"},
		{"周四到周五", Future, "2026-11-26", "2026-11-27"},
		{"下周二", Future, "2026-12-01", "2026-12-01"},
		{"月底", Future, "2026-11-30", "2026-11-30"},
	}
	for _, tt := range tests {
		r := Parse(tt.text, now, Options{DayFirst: true, Lean: tt.lean})
		from, to, ok := r.Span()
		if !ok || from.String() != tt.from || to.String() != tt.to {
			t.Errorf("%q: got %v..%v (%v), want %s..%s", tt.text, from, to, ok, tt.from, tt.to)
		}
	}
}

func TestSlashDates(t *testing.T) {
	tests := []struct {
		text     string
		dayFirst bool
		want     string
	}{
		{"12/1", true, "2027-01-12"},
		{"12/1", false, "2026-12-01"},
		{"25/12", false, "2026-12-25"},
		{"1/12/2026", true, "2026-12-01"},
	}
	for _, tt := range tests {
		r := Parse(tt.text, now, Options{DayFirst: tt.dayFirst})
		d, ok := r.FirstDate()
		if !ok || d.String() != tt.want {
			t.Errorf("%q dayFirst=%v: got %v, want %s", tt.text, tt.dayFirst, d, tt.want)
		}
	}
}

func TestStartEnd(t *testing.T) {
	tests := []struct {
		text       string
		start, end string // end "" when none
	}{
		{"明天下午三点开会", "2026-11-24T15:00", ""},
		{"聽日三點半", "2026-11-24T15:30", ""},
		{"聽日兩點三個字", "2026-11-24T14:15", ""},
		{"tomorrow 3pm", "2026-11-24T15:00", ""},
		{"tomorrow at 10:30am for an hour", "2026-11-24T10:30", "2026-11-24T11:30"},
		{"Friday 15:00-16:30", "2026-11-27T15:00", "2026-11-27T16:30"},
		{"聽日上午十點至十一點半", "2026-11-24T10:00", "2026-11-24T11:30"},
		{"後日下晝兩點開一個半鐘", "2026-11-25T14:00", "2026-11-25T15:30"},
		{"聽日中午", "2026-11-24T12:00", ""},
		{"今晚八點", "2026-11-23T20:00", ""},
		{"星期四早上9點", "2026-11-26T09:00", ""},
		{"下星期二 2-3pm", "2026-12-01T14:00", "2026-12-01T15:00"},
		{"聽日10點15分開半個鐘", "2026-11-24T10:15", "2026-11-24T10:45"},
		{"聽朝九點", "2026-11-24T09:00", ""},
		{"12月3號下午4點 45 mins", "2026-12-03T16:00", "2026-12-03T16:45"},
	}
	for _, tt := range tests {
		r := Parse(tt.text, now, Options{DayFirst: true})
		s, ok := r.Start(now)
		if !ok || s.Format("2006-01-02T15:04") != tt.start {
			t.Errorf("%q: start %v (%v), want %s (%+v)", tt.text, s, ok, tt.start, r)
			continue
		}
		e, ok := r.End(s)
		got := ""
		if ok {
			got = e.Format("2006-01-02T15:04")
		}
		if got != tt.end {
			t.Errorf("%q: end %q, want %q", tt.text, got, tt.end)
		}
	}
}

func TestNoTime(t *testing.T) {
	for _, text := range []string{"聽日同阿強開個會", "下星期三下午", "next Monday", "今個月"} {
		r := Parse(text, now, Options{})
		if _, ok := r.Start(now); ok {
			t.Errorf("%q: got a start time, want none", text)
		}
	}
}

func TestDueAndParts(t *testing.T) {
	tests := []struct {
		text string
		due  string
		part Part
		half bool
		days int
	}{
		{"by Friday", "2026-11-27", NoPart, false, 0},
		{"星期五前交報告", "2026-11-27", NoPart, false, 0},
		{"明天下午請半天事假", "2026-11-24", Afternoon, true, 0},
		{"由聽日開始請三日假", "2026-11-24", NoPart, false, 3},
		{"上午", "", Morning, false, 0},
	}
	for _, tt := range tests {
		r := Parse(tt.text, now, Options{})
		d, _ := r.Due()
		if d.String() != tt.due || r.Part() != tt.part || r.HalfDay != tt.half || r.Days() != tt.days {
			t.Errorf("%q: due %v part %v half %v days %d; want %s %v %v %d", tt.text, d, r.Part(), r.HalfDay, r.Days(), tt.due, tt.part, tt.half, tt.days)
		}
	}
	if !Parse("by Friday", now, Options{}).Dates[0].Due {
		t.Error("by Friday: Due not set")
	}
}

func TestAddWorkdays(t *testing.T) {
	d := Date{2026, 11, 26} // Thursday
	if got := AddWorkdays(d, 3).String(); got != "2026-11-30" {
		t.Errorf("AddWorkdays = %s, want 2026-11-30", got)
	}
}

func TestDayFirstLocale(t *testing.T) {
	for loc, want := range map[string]bool{"zh-HK": true, "en-GB": true, "en-US": false, "zh-CN": false, "ms-MY": true} {
		if DayFirstLocale(loc) != want {
			t.Errorf("DayFirstLocale(%s) = %v", loc, !want)
		}
	}
}
