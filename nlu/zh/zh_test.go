package zh

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ a, b string }{
		{"帮我约黄志强", "幫我約黃志強"},
		{"会议室B", "會議室b"},
		{"头发", "頭髮"},
		{"ＨＫ＄１８６", "hk$186"},
		{"後天", "后天"},
		{"張偉", "张伟"},
	}
	for _, tt := range tests {
		if Fold(tt.a) != Fold(tt.b) {
			t.Errorf("Fold(%q)=%q, Fold(%q)=%q; want equal", tt.a, Fold(tt.a), tt.b, Fold(tt.b))
		}
		if len([]rune(Fold(tt.a))) != len([]rune(tt.a)) {
			t.Errorf("Fold(%q) changed the rune count", tt.a)
		}
	}
	if Fold("會議") != "會議" {
		t.Errorf("Traditional text should be unchanged, got %q", Fold("會議"))
	}
}

func TestSimplifiedScore(t *testing.T) {
	tests := []struct {
		s    string
		simp bool
	}{
		{"帮我约黄志强和张家豪明天下午三点开会", true},
		{"批准家豪十二月一號的年假", false},
		{"我想下個禮拜一至三放年假", false},
		{"报销昨天打车费", true},
	}
	for _, tt := range tests {
		s, tr := SimplifiedScore(tt.s)
		if got := s > tr; got != tt.simp {
			t.Errorf("SimplifiedScore(%q) = %d,%d; simplified=%v want %v", tt.s, s, tr, got, tt.simp)
		}
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		n    int
	}{
		{"十二", 12, 2}, {"十", 10, 1}, {"廿三", 23, 2}, {"卅", 30, 1}, {"卅一號", 31, 2},
		{"兩", 2, 1}, {"二十五", 25, 3}, {"一百八十六", 186, 5}, {"三百五", 350, 3},
		{"三百零五", 305, 4}, {"兩千三", 2300, 3}, {"一萬二", 12000, 3}, {"12月", 12, 2},
		{"１８６", 186, 3}, {"五蚊", 5, 1}, {"一千零五十", 1050, 5}, {"點", 0, 0},
		{"一二", 1, 1},
	}
	for _, tt := range tests {
		v, n := Number([]rune(tt.in), 0)
		if v != tt.want || n != tt.n {
			t.Errorf("Number(%q) = %d,%d; want %d,%d", tt.in, v, n, tt.want, tt.n)
		}
	}
	if _, ok := Atoi("十二a"); ok {
		t.Error("Atoi accepted trailing text")
	}
	if v, ok := Atoi("廿"); !ok || v != 20 {
		t.Errorf("Atoi(廿) = %d,%v", v, ok)
	}
}
