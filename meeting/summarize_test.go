package meeting

import (
	"strings"
	"testing"

	"github.com/banlihq/banli/domain"
)

// staff is a small directory with the ways people are named in meetings:
// Chinese names, aliases, English names, a shared "Ming".
func staff() []domain.Employee {
	return []domain.Employee{
		{ID: "k", Name: "陳嘉慧", NameEn: "Karen Chan", Aliases: []string{"嘉慧", "Karen", "陳小姐"}, Department: "ops", Active: true},
		{ID: "m", Name: "陳志明", NameEn: "Ming Chan", Aliases: []string{"志明", "阿明", "Ming"}, Department: "ops", Manager: "k", Active: true},
		{ID: "b", Name: "區寶儀", NameEn: "Bonnie Au", Aliases: []string{"寶儀", "Bonnie"}, Department: "ops", Manager: "k", Active: true},
		{ID: "z", Name: "趙明", NameEn: "Ming Zhao", Aliases: []string{"赵明", "小趙"}, Department: "sz", Active: true},
		{ID: "w", Name: "張偉", NameEn: "Wei Zhang", Aliases: []string{"张伟", "張總"}, Department: "sz", Active: true},
		{ID: "p", Name: "Priya Sharma", NameEn: "Priya Sharma", Aliases: []string{"Priya"}, Department: "sales", Active: true},
		{ID: "v", Name: "馮偉業", NameEn: "Victor Fung", Aliases: []string{"Victor", "偉業"}, Department: "sales", Active: true},
		{ID: "gone", Name: "離職者", NameEn: "Left Already", Aliases: []string{"Lefty"}, Active: false},
	}
}

func summarise(t *testing.T, transcript, date string) domain.MeetingSummary {
	t.Helper()
	ls, err := Parse(transcript, "")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Summarize(Input{Lines: ls, Date: date, Locale: "zh-HK", Directory: Directory(staff(), nil)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// item is an expected action item: owner, words the task must contain, due.
type item struct{ owner, task, due string }

func TestActionItems(t *testing.T) {
	// 2026-11-20 is a Friday.
	tests := []struct {
		name, transcript string
		want             []item
	}{
		{"Cantonese undertaking, bare weekday is its next occurrence",
			"區寶儀: 我會喺星期五前更新運輸排班表。", []item{{"b", "更新運輸排班表", "2026-11-27"}}},
		{"vocative with 你 and next week's Wednesday",
			"陳嘉慧: 志明，你下星期三前同業主確認租約。", []item{{"m", "同業主確認租約", "2026-11-25"}}},
		{"請 X 喺…前", "陳嘉慧: 請寶儀喺聽日前send份報價俾客。", []item{{"b", "send份報價俾客", "2026-11-21"}}},
		{"X 跟進 with the topic before it", "陳嘉慧: 叉車年檢嘅事，志明跟進。", []item{{"m", "叉車年檢", ""}}},
		{"由 X 負責, Simplified", "张伟: 包材的订单由赵明负责，月底前下单。", []item{{"z", "包材的订单", "2026-11-30"}}},
		{"English: X will, due by a date", "Karen Chan: Bonnie will send the revised schedule by December 4.", []item{{"b", "send the revised schedule", "2026-12-04"}}},
		{"English minutes: Action: X to", "Karen Chan: Action: Priya to update the CRM contacts by Monday.", []item{{"p", "update the CRM contacts", "2026-11-23"}}},
		{"English first person", "Victor Fung: I'll review the pricing tonight and sign off by tomorrow.", []item{{"v", "review the pricing", "2026-11-21"}}},
		{"a request answered by the next speaker", "Karen Chan: Can you send me the stock report by next Friday?\nPriya Sharma: Sure, will do.",
			[]item{{"p", "send me the stock report", "2026-11-27"}}},
		{"a request and the answer that sets its deadline", "陳嘉慧: 寶儀，你同運輸公司傾吓價。\n區寶儀: 好，我星期二前搞掂。",
			[]item{{"b", "同運輸公司傾吓價", "2026-11-24"}}},
		{"who will do it? I will", "陳嘉慧: 固定資產清單由誰負責？\n陳志明: 我來負責，下個月五號前更新完畢。",
			[]item{{"m", "固定資產清單", "2026-12-05"}}},
		{"a name several people share goes to the one in the meeting", "陳嘉慧: Ming will check the forklift tomorrow.\n趙明: 好。",
			[]item{{"z", "check the forklift", "2026-11-21"}}},
		{"the person asked does it, not the one asking", "陳嘉慧: 我會叫寶儀聽日整理報價。", []item{{"b", "整理報價", "2026-11-21"}}},
		{"a fixed holiday as a deadline", "Karen Chan: Priya, please close the Kerry account before Christmas.", []item{{"p", "close the Kerry account", "2026-12-25"}}},
		{"two speakers, two undertakings and a repeat", "陳志明: 我會聽日盤點B區。\n區寶儀: 我下星期一前出報告。\n陳志明: 總之我聽日會盤點B區。",
			[]item{{"m", "盤點B區", "2026-11-21"}, {"b", "出報告", "2026-11-23"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := summarise(t, tt.transcript, "2026-11-20").ActionItems
			if len(got) != len(tt.want) {
				t.Fatalf("got %d items %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Owner != w.owner || !strings.Contains(zhFold(g.Task), zhFold(w.task)) || g.Due != w.due {
					t.Errorf("item %d = %s %q %s, want %s ~%q %s", i, g.Owner, g.Task, g.Due, w.owner, w.task, w.due)
				}
				if g.Line == 0 || g.Source == "" {
					t.Errorf("item %d has no source line: %+v", i, g)
				}
			}
		})
	}
}

func zhFold(s string) string { return string(fold([]rune(s))) }

func TestNotActionItems(t *testing.T) {
	for name, transcript := range map[string]string{
		"work already done":            "陳志明: 我已經點完A區。\nPriya Sharma: I've already sent the quote.",
		"we, not one person":           "陳嘉慧: 我哋下個禮拜再傾。\nKaren Chan: We'll revisit this next week.",
		"an opinion":                   "陳嘉慧: 我覺得每日最少要有兩個人。\nVictor Fung: I think the price is too high.",
		"a question that asks nothing": "陳嘉慧: 寶儀，冷氣修好未？\nKaren Chan: Priya, how is the pipeline looking?",
		"a third party that is nobody": "Victor Fung: The client will send the PO next week.",
		"a request refused":            "區寶儀: 我可以先聯絡律師報價。\n陳嘉慧: 先不用，等下次再講。",
		"a request already done":       "Karen Chan: Priya, call the buyer today.\nPriya Sharma: Already done, I spoke to him an hour ago.",
		"an inactive employee":         "陳嘉慧: Lefty will prepare the slides.",
		"a purpose, not a promise":     "Karen Chan: Send me the PO so I can check the cash position.",
	} {
		t.Run(name, func(t *testing.T) {
			for _, a := range summarise(t, transcript, "2026-11-20").ActionItems {
				if a.Owner != "" && a.Owner != "k" || strings.Contains(a.Task, "check the cash") {
					t.Errorf("unexpected action item %+v", a)
				}
			}
		})
	}
}

func TestDecisionsAndKeyPoints(t *testing.T) {
	s := summarise(t, strings.Join([]string{
		"陳嘉慧: 今日主要傾聖誕旺季備貨，貨量預計比去年多三成。",
		"陳志明: 倉位方面我哋要租多一個臨時貨倉，葵涌嗰個臨時倉比較平。",
		"陳嘉慧: 決定租用葵涌嗰個臨時倉，租三個月。",
		"區寶儀: 好。",
		"陳志明: 臨時倉嘅保安同保險都要處理，臨時倉一定要有保險。",
		"區寶儀: 運輸方面，旺季貨量多三成，運輸排班表要改。",
		"陳嘉慧: 有冇問題？",
		"Karen Chan: Decision: we go with the Kwai Chung warehouse for three months.",
	}, "\n"), "2026-11-20")
	if len(s.Decisions) != 2 || !strings.Contains(s.Decisions[0].Text, "租用葵涌") || strings.HasPrefix(s.Decisions[0].Text, "決定") ||
		s.Decisions[0].Speaker != "k" || s.Decisions[0].Line != 3 || strings.HasPrefix(s.Decisions[1].Text, "Decision") {
		t.Errorf("decisions = %+v", s.Decisions)
	}
	if len(s.KeyPoints) < 3 || len(s.KeyPoints) > 8 {
		t.Fatalf("key points = %+v", s.KeyPoints)
	}
	for i, p := range s.KeyPoints {
		if p.Text == "好。" || strings.HasSuffix(p.Text, "？") || strings.Contains(p.Text, "決定") {
			t.Errorf("key point %q is small talk, a question or a decision", p.Text)
		}
		if i > 0 && p.Line < s.KeyPoints[i-1].Line {
			t.Errorf("key points out of transcript order: %+v", s.KeyPoints)
		}
	}
	if s.Lang != "yue" || s.Method != "builtin" {
		t.Errorf("lang %s method %s", s.Lang, s.Method)
	}
}

func TestDetectLangAndSpeakers(t *testing.T) {
	for text, want := range map[string]string{
		"我哋聽日再傾，你睇吓係咪得。":                      "yue",
		"我们明天再讨论这个问题，请大家准备。":                  "zh-Hans",
		"我們明天再討論這個問題，請大家準備報告。":                "zh-Hant",
		"Let's review the pipeline tomorrow.": "en",
	} {
		if got := detectLang(text); got != want {
			t.Errorf("detectLang(%q) = %s, want %s", text, got, want)
		}
	}
	ls := []Line{{Speaker: "Karen Chan (Ops)"}, {Speaker: "嘉慧"}, {Speaker: "Ming"}, {Speaker: "Guest 1"}}
	got := Speakers(ls, Directory(staff(), nil), []string{"m"})
	want := map[string]string{"Karen Chan (Ops)": "k", "嘉慧": "k", "Ming": "m", "Guest 1": ""}
	for l, id := range want {
		if got[l] != id {
			t.Errorf("speaker %q = %q, want %q", l, got[l], id)
		}
	}
}

func TestTokenF1(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"Send the revised quotes", "send revised quote", 6.0 / 7},
		{"更新運輸排班表", "更新运输排班表", 1},
		{"", "x", 0},
		{"abc", "xyz", 0},
	}
	for _, tt := range tests {
		if got := TokenF1(tt.a, tt.b); got < tt.want-1e-9 || got > tt.want+1e-9 {
			t.Errorf("TokenF1(%q, %q) = %.3f, want %.3f", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSummarizeRejects(t *testing.T) {
	if _, err := Summarize(Input{Date: "2026-11-20"}); err == nil {
		t.Error("no lines: want an error")
	}
	if _, err := Summarize(Input{Lines: []Line{{Speaker: "A", Text: "hi"}}, Date: "20/11/2026"}); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("bad date: err = %v", err)
	}
}
