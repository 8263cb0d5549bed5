// Package lexicon maps office words to banli's enum values: leave types,
// expense categories, task priorities and statuses, request statuses. It
// reads Traditional, Simplified, Cantonese and English.
package lexicon

import (
	"strings"
	"unicode"

	"github.com/banlihq/banli/nlu/zh"
)

// Entry maps a word to a value.
type Entry struct{ Word, Value string }

// Table is a list of words, matched longest first on folded text.
type Table struct {
	byFirst map[rune][]entry // folded words by their first rune
}

type entry struct {
	word  []rune // folded
	value string
}

// NewTable indexes entries for matching.
func NewTable(entries ...Entry) Table {
	t := Table{byFirst: map[rune][]entry{}}
	for _, e := range entries {
		w := []rune(zh.Fold(e.Word))
		if len(w) == 0 {
			continue
		}
		t.byFirst[w[0]] = append(t.byFirst[w[0]], entry{w, e.Value})
	}
	return t
}

// Match is a value found in a text.
type Match struct {
	Value      string
	Start, End int // rune span
}

// Find returns the first (leftmost, then longest) word of t in text.
func (t Table) Find(text string) (Match, bool) {
	ms := t.FindAll(text)
	if len(ms) == 0 {
		return Match{}, false
	}
	return ms[0], true
}

// FindAll returns every non-overlapping word of t in text, in text order.
func (t Table) FindAll(text string) []Match {
	rs := zh.FoldRunes([]rune(text))
	var out []Match
	for i := 0; i < len(rs); {
		best, bestLen := "", 0
		for _, e := range t.byFirst[rs[i]] {
			w := e.word
			if len(w) <= bestLen || !at(rs, i, w) {
				continue
			}
			if isWord(w[0]) && (i > 0 && isWord(rs[i-1]) || i+len(w) < len(rs) && isWord(rs[i+len(w)]) && !plural(rs, i+len(w))) {
				continue
			}
			best, bestLen = e.value, len(w)
		}
		if bestLen > 0 {
			out = append(out, Match{Value: best, Start: i, End: i + bestLen})
			i += bestLen
			continue
		}
		i++
	}
	return out
}

// plural lets "taxis" match "taxi".
func plural(rs []rune, i int) bool {
	return rs[i] == 's' && (i+1 >= len(rs) || !isWord(rs[i+1]))
}

func at(rs []rune, i int, w []rune) bool {
	if i+len(w) > len(rs) {
		return false
	}
	for j, r := range w {
		if rs[i+j] != r {
			return false
		}
	}
	return true
}

func isWord(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

// LeaveTypes maps words to TOOLS.md leave_type values.
var LeaveTypes = NewTable([]Entry{
	{"年假", "annual"}, {"年休", "annual"}, {"大假", "annual"}, {"annual leave", "annual"}, {"annual", "annual"}, {"al", "annual"}, {"vacation", "annual"}, {"holiday leave", "annual"},
	{"病假", "sick"}, {"sick leave", "sick"}, {"sick", "sick"}, {"sl", "sick"}, {"睇醫生", "sick"}, {"唔舒服", "sick"}, {"不舒服", "sick"}, {"病咗", "sick"}, {"生病", "sick"}, {"發燒", "sick"}, {"unwell", "sick"}, {"medical leave", "sick"},
	{"事假", "personal"}, {"personal leave", "personal"}, {"personal", "personal"}, {"私事", "personal"},
	{"補假", "compensatory"}, {"補休", "compensatory"}, {"補鐘", "compensatory"}, {"調休", "compensatory"}, {"代休", "compensatory"}, {"comp leave", "compensatory"}, {"compensatory", "compensatory"}, {"time off in lieu", "compensatory"}, {"toil", "compensatory"}, {"lieu", "compensatory"},
	{"產假", "maternity"}, {"maternity", "maternity"},
	{"侍產假", "paternity"}, {"陪產假", "paternity"}, {"paternity", "paternity"},
	{"婚假", "marriage"}, {"marriage leave", "marriage"}, {"wedding leave", "marriage"}, {"marriage", "marriage"},
	{"喪假", "bereavement"}, {"恩恤假", "bereavement"}, {"bereavement", "bereavement"}, {"compassionate leave", "bereavement"}, {"funeral leave", "bereavement"},
	{"無薪假", "unpaid"}, {"停薪假", "unpaid"}, {"unpaid leave", "unpaid"}, {"unpaid", "unpaid"}, {"no-pay leave", "unpaid"}, {"no pay leave", "unpaid"},
}...)

// ExpenseCategories maps words to TOOLS.md expense categories.
var ExpenseCategories = NewTable([]Entry{
	{"的士", "transport"}, {"計程車", "transport"}, {"出租車", "transport"}, {"打車", "transport"}, {"打的", "transport"}, {"taxi", "transport"}, {"cab", "transport"}, {"uber", "transport"}, {"grab", "transport"}, {"滴滴", "transport"},
	{"港鐵", "transport"}, {"地鐵", "transport"}, {"mtr", "transport"}, {"巴士", "transport"}, {"公交", "transport"}, {"bus", "transport"}, {"小巴", "transport"}, {"渡輪", "transport"}, {"ferry", "transport"}, {"車費", "transport"}, {"交通", "transport"}, {"泊車", "transport"}, {"停車", "transport"}, {"parking", "transport"}, {"隧道費", "transport"}, {"油費", "transport"}, {"入油", "transport"}, {"petrol", "transport"}, {"fuel", "transport"}, {"toll", "transport"}, {"transport", "transport"}, {"八達通", "transport"},
	{"機票", "travel"}, {"飛機", "travel"}, {"flight", "travel"}, {"air ticket", "travel"}, {"airfare", "travel"}, {"高鐵", "travel"}, {"火車", "travel"}, {"城際", "travel"}, {"直通車", "travel"}, {"train", "travel"}, {"簽證", "travel"}, {"visa", "travel"}, {"出差", "travel"}, {"旅費", "travel"}, {"船票", "travel"}, {"travel", "travel"},
	{"酒店", "lodging"}, {"住宿", "lodging"}, {"hotel", "lodging"}, {"lodging", "lodging"}, {"accommodation", "lodging"}, {"airbnb", "lodging"}, {"賓館", "lodging"},
	{"請客", "entertainment"}, {"客戶飯", "entertainment"}, {"客戶午餐", "entertainment"}, {"客戶晚飯", "entertainment"}, {"客戶晚餐", "entertainment"}, {"見客食飯", "entertainment"}, {"應酬", "entertainment"}, {"招待", "entertainment"}, {"宴請", "entertainment"}, {"禮物", "entertainment"}, {"送禮", "entertainment"}, {"client dinner", "entertainment"}, {"client lunch", "entertainment"}, {"client meal", "entertainment"}, {"entertainment", "entertainment"}, {"gift", "entertainment"}, {"同客食飯", "entertainment"}, {"請客戶", "entertainment"}, {"客人", "entertainment"},
	{"午餐", "meals"}, {"午飯", "meals"}, {"晏晝飯", "meals"}, {"食晏", "meals"}, {"晚餐", "meals"}, {"晚飯", "meals"}, {"早餐", "meals"}, {"早飯", "meals"}, {"飯錢", "meals"}, {"餐費", "meals"}, {"膳食", "meals"}, {"食飯", "meals"}, {"外賣", "meals"}, {"lunch", "meals"}, {"dinner", "meals"}, {"breakfast", "meals"}, {"meal", "meals"}, {"food", "meals"}, {"下午茶", "meals"}, {"咖啡", "meals"}, {"coffee", "meals"},
	{"文具", "office_supplies"}, {"辦公用品", "office_supplies"}, {"打印紙", "office_supplies"}, {"影印紙", "office_supplies"}, {"墨盒", "office_supplies"}, {"碳粉", "office_supplies"}, {"stationery", "office_supplies"}, {"office supplies", "office_supplies"}, {"printer ink", "office_supplies"}, {"toner", "office_supplies"}, {"keyboard", "office_supplies"}, {"鍵盤", "office_supplies"}, {"mouse", "office_supplies"}, {"滑鼠", "office_supplies"}, {"printer", "office_supplies"}, {"打印機", "office_supplies"}, {"paper", "office_supplies"},
	{"培訓", "training"}, {"課程", "training"}, {"講座", "training"}, {"研討會", "training"}, {"考試費", "training"}, {"training", "training"}, {"course", "training"}, {"seminar", "training"}, {"conference fee", "training"}, {"workshop", "training"}, {"進修", "training"},
	{"電話費", "communication"}, {"手機費", "communication"}, {"上網", "communication"}, {"數據", "communication"}, {"話費", "communication"}, {"流量", "communication"}, {"phone bill", "communication"}, {"mobile", "communication"}, {"internet", "communication"}, {"roaming", "communication"}, {"漫遊", "communication"}, {"sim卡", "communication"}, {"sim card", "communication"}, {"速遞", "other"}, {"快遞", "other"}, {"courier", "other"},
}...)

// Priorities maps words to task priorities.
var Priorities = NewTable([]Entry{
	{"特急", "urgent"}, {"緊急", "urgent"}, {"好急", "urgent"}, {"非常急", "urgent"}, {"十萬火急", "urgent"}, {"急件", "urgent"}, {"最急", "urgent"}, {"urgent", "urgent"}, {"asap", "urgent"},
	{"高優先", "high"}, {"優先級高", "high"}, {"優先級:高", "high"}, {"優先級調成高", "high"}, {"優先級改為高", "high"}, {"優先級設為高", "high"}, {"重要", "high"}, {"high priority", "high"}, {"high", "high"}, {"important", "high"},
	{"優先級緊急", "urgent"}, {"優先級低", "low"}, {"優先級調成低", "low"}, {"優先級普通", "normal"}, {"優先級中", "normal"},
	{"低優先", "low"}, {"唔急", "low"}, {"不急", "low"}, {"low priority", "low"}, {"low", "low"}, {"whenever", "low"}, {"no rush", "low"},
	{"普通", "normal"}, {"一般", "normal"}, {"normal priority", "normal"}, {"normal", "normal"}, {"medium", "normal"},
}...)

// TaskStatuses maps words to task statuses.
var TaskStatuses = NewTable([]Entry{
	{"完成", "done"}, {"搞掂", "done"}, {"搞定", "done"}, {"做完", "done"}, {"做好", "done"}, {"已完成", "done"}, {"done", "done"}, {"completed", "done"}, {"complete", "done"}, {"finished", "done"}, {"finish", "done"}, {"閂咗", "done"}, {"關閉", "done"}, {"close", "done"},
	{"進行中", "in_progress"}, {"正在進行", "in_progress"}, {"正在做", "in_progress"}, {"跟進中", "in_progress"}, {"跟緊", "in_progress"}, {"做緊", "in_progress"}, {"處理中", "in_progress"}, {"開始做", "in_progress"}, {"in progress", "in_progress"}, {"in_progress", "in_progress"}, {"started", "in_progress"}, {"working on", "in_progress"}, {"開始", "in_progress"},
	{"卡住", "blocked"}, {"受阻", "blocked"}, {"阻塞", "blocked"}, {"blocked", "blocked"}, {"stuck", "blocked"}, {"等緊", "blocked"}, {"block住", "blocked"},
	{"未做", "todo"}, {"還沒開始", "todo"}, {"未開始", "todo"}, {"沒開始", "todo"}, {"未开始", "todo"}, {"待辦", "todo"}, {"未開始", "todo"}, {"todo", "todo"}, {"to do", "todo"}, {"to-do", "todo"}, {"not started", "todo"}, {"未完成", "open"}, {"outstanding", "open"}, {"open", "open"}, {"pending", "open"}, {"未搞掂", "open"},
}...)

// RequestStatuses maps words to leave request and expense claim statuses.
var RequestStatuses = NewTable([]Entry{
	{"待批", "pending"}, {"待審批", "pending"}, {"審批中", "pending"}, {"未批", "pending"}, {"等緊批", "pending"}, {"pending", "pending"}, {"awaiting approval", "pending"},
	{"已批", "approved"}, {"批咗", "approved"}, {"批准咗", "approved"}, {"已批准", "approved"}, {"approved", "approved"}, {"通過", "approved"},
	{"拒絕", "rejected"}, {"被拒", "rejected"}, {"唔批", "rejected"}, {"rejected", "rejected"}, {"駁回", "rejected"},
	{"草稿", "draft"}, {"未提交", "draft"}, {"未交", "draft"}, {"draft", "draft"},
	{"已提交", "submitted"}, {"交咗", "submitted"}, {"submitted", "submitted"},
	{"已付款", "paid"}, {"已發放", "paid"}, {"paid", "paid"}, {"已取消", "cancelled"}, {"cancelled", "cancelled"},
}...)

// Has reports whether text contains any of the words, after folding.
func Has(text string, words ...string) bool {
	f := zh.Fold(text)
	for _, w := range words {
		if strings.Contains(f, zh.Fold(w)) {
			return true
		}
	}
	return false
}
