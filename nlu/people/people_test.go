package people

import (
	"reflect"
	"testing"
)

// A company unlike the demo one, so that tests do not lean on its names.
func testDir() *Directory {
	return New([]Employee{
		{ID: "p1", Name: "歐陽子健", NameEn: "Kenneth Au Yeung", Aliases: []string{"子健", "Kenneth", "歐陽生"}},
		{ID: "p2", Name: "羅嘉雯", NameEn: "Grace Law", Aliases: []string{"嘉雯", "Grace", "羅小姐"}, Manager: "p1", Department: "mkt"},
		{ID: "p3", Name: "羅志豪", NameEn: "Jason Law", Aliases: []string{"志豪", "Jason"}, Manager: "p2", Department: "mkt"},
		{ID: "p4", Name: "鄧永康", NameEn: "Wing Hong Tang", Aliases: []string{"永康", "阿康"}, Manager: "p2", Department: "mkt"},
		{ID: "p5", Name: "鄧麗華", NameEn: "Lily Tang", Aliases: []string{"麗華", "Lily"}, Manager: "p1", Department: "acct"},
	}, []Department{
		{ID: "mkt", Name: "市場部", NameEn: "Marketing", Head: "p2"},
		{ID: "acct", Name: "會計部", NameEn: "Accounts", Head: "p5"},
	}, []Resource{
		{ID: "r-sky", Name: "天台會議室", NameEn: "Skyline Room", Kind: "room", Capacity: 10},
		{ID: "r-b", Name: "會議室B", NameEn: "Meeting Room B", Kind: "room", Capacity: 4},
		{ID: "eq-tv", Name: "電視", NameEn: "TV Cart", Kind: "equipment"},
	})
}

func TestFind(t *testing.T) {
	d := testDir()
	tests := []struct {
		text  string
		actor string
		want  [][]string // candidate ids per mention
		kinds []Kind
	}{
		{"叫志豪同阿康開會", "p2", [][]string{{"p3"}, {"p4"}}, []Kind{Person, Person}},
		{"约罗志豪和邓永康", "p2", [][]string{{"p3"}, {"p4"}}, []Kind{Person, Person}},
		{"ask jason to call kenneth", "p2", [][]string{{"p3"}, {"p1"}}, []Kind{Person, Person}},
		{"tell Mr Law", "p1", [][]string{{"p3"}}, []Kind{Person}},
		{"Ms Law", "p1", [][]string{{"p2"}}, []Kind{Person}},
		{"同 Tang 傾下", "p1", [][]string{{"p4", "p5"}}, []Kind{Person}},
		{"鄧生", "p1", [][]string{{"p4", "p5"}}, []Kind{Person}},
		{"羅小姐", "p1", [][]string{{"p2"}}, []Kind{Person}},
		{"羅生", "p1", [][]string{{"p3"}}, []Kind{Person}},
		{"同我老闆講", "p3", [][]string{{"p2"}}, []Kind{Manager}},
		{"my team", "p2", [][]string{{"p3", "p4"}}, []Kind{Team}},
		{"我哋team聽日開會", "p2", [][]string{{"p3", "p4"}}, []Kind{Team}},
		{"訂天台會議室", "p1", [][]string{{"r-sky"}}, []Kind{Room}},
		{"book the Skyline room", "p1", [][]string{{"r-sky"}}, []Kind{Room}},
		{"用会议室B", "p1", [][]string{{"r-b"}}, []Kind{Room}},
		{"room b please", "p1", [][]string{{"r-b"}}, []Kind{Room}},
		{"市場部", "p1", [][]string{{"mkt"}}, []Kind{Dept}},
		{"the Accounts team", "p1", [][]string{{"acct"}}, []Kind{Dept}},
		{"you may go", "p1", nil, nil},
		{"Grace will join", "p1", [][]string{{"p2"}}, []Kind{Person}},
		{"grace period", "p1", nil, nil},
		{"歐陽生", "p2", [][]string{{"p1"}}, []Kind{Person}},
	}
	for _, tt := range tests {
		ms := d.Find(tt.text, tt.actor)
		var got [][]string
		var kinds []Kind
		for _, m := range ms {
			got = append(got, m.IDs)
			kinds = append(kinds, m.Kind)
		}
		if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(kinds, tt.kinds) {
			t.Errorf("Find(%q) = %v %v; want %v %v", tt.text, got, kinds, tt.want, tt.kinds)
		}
	}
}

func TestSplitChineseName(t *testing.T) {
	for name, want := range map[string][2]string{"歐陽子健": {"歐陽", "子健"}, "陳大文": {"陳", "大文"}, "張偉": {"張", "偉"}, "Priya": {"", ""}} {
		s, g := SplitChineseName(name)
		if s != want[0] || g != want[1] {
			t.Errorf("SplitChineseName(%s) = %s,%s", name, s, g)
		}
	}
}

func TestAmbiguous(t *testing.T) {
	m := testDir().Find("Tang", "p1")
	if len(m) != 1 || !m[0].Ambiguous() {
		t.Fatalf("Tang should be ambiguous: %+v", m)
	}
}
