package money

import "testing"

func TestFind(t *testing.T) {
	hk := Options{Default: "HKD"}
	cn := Options{Default: "HKD", Yuan: "CNY"}
	tests := []struct {
		text      string
		opt       Options
		value, cc string
	}{
		{"報銷昨天的士費 HK$186", hk, "186.00", "HKD"},
		{"的士 $86.5", hk, "86.50", "HKD"},
		{"午餐 120蚊", hk, "120.00", "HKD"},
		{"一百八十六蚊", hk, "186.00", "HKD"},
		{"三百五蚊", hk, "350.00", "HKD"},
		{"打车费 86元", cn, "86.00", "CNY"},
		{"打车 35块", cn, "35.00", "CNY"},
		{"文具 45元", hk, "45.00", "HKD"},
		{"人民幣350元", hk, "350.00", "CNY"},
		{"人民币 1,280.50", hk, "1280.50", "CNY"},
		{"RMB 200", hk, "200.00", "CNY"},
		{"¥88", hk, "88.00", "CNY"},
		{"US$20.5 for the visa", hk, "20.50", "USD"},
		{"USD 1,200", hk, "1200.00", "USD"},
		{"taxi RM 45", hk, "45.00", "MYR"},
		{"lunch 45 MYR", hk, "45.00", "MYR"},
		{"酒店 2千蚊", hk, "2000.00", "HKD"},
		{"機票 3.2k", Options{Default: "HKD", Bare: true}, "3200.00", "HKD"},
		{"港幣 500", hk, "500.00", "HKD"},
		{"500港元", hk, "500.00", "HKD"},
		{"50 dollars", hk, "50.00", "HKD"},
		{"五蚊半", hk, "5.50", "HKD"},
	}
	for _, tt := range tests {
		got := Find(tt.text, tt.opt)
		if len(got) != 1 || got[0].Value != tt.value || got[0].Currency != tt.cc {
			t.Errorf("Find(%q) = %+v; want %s %s", tt.text, got, tt.value, tt.cc)
		}
	}
}

func TestFindSkipsNonMoney(t *testing.T) {
	for _, text := range []string{"12月1號", "3點半開會", "room 2", "文件三份", "2026-11-23"} {
		if got := Find(text, Options{Default: "HKD"}); len(got) != 0 {
			t.Errorf("Find(%q) = %+v; want none", text, got)
		}
	}
}

func TestFindMany(t *testing.T) {
	got := Find("的士 $80 同午餐 $120", Options{Default: "HKD"})
	if len(got) != 2 || got[0].Value != "80.00" || got[1].Value != "120.00" {
		t.Errorf("got %+v", got)
	}
}
