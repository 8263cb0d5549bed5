package lexicon

import "testing"

func TestTables(t *testing.T) {
	tests := []struct {
		table Table
		text  string
		want  string
	}{
		{LeaveTypes, "我想下個禮拜一至三放年假", "annual"},
		{LeaveTypes, "明天下午请半天事假", "personal"},
		{LeaveTypes, "I need sick leave tomorrow", "sick"},
		{LeaveTypes, "take AL on Friday", "annual"},
		{LeaveTypes, "請補假", "compensatory"},
		{LeaveTypes, "申请陪产假", "paternity"},
		{LeaveTypes, "下個月放婚假", "marriage"},
		{ExpenseCategories, "報銷昨天的士費", "transport"},
		{ExpenseCategories, "claim my Uber ride", "transport"},
		{ExpenseCategories, "高铁票", "travel"},
		{ExpenseCategories, "酒店兩晚", "lodging"},
		{ExpenseCategories, "請客戶食晚飯", "entertainment"},
		{ExpenseCategories, "team lunch", "meals"},
		{ExpenseCategories, "買文具", "office_supplies"},
		{ExpenseCategories, "two taxis", "transport"},
		{Priorities, "好急", "urgent"},
		{Priorities, "high priority", "high"},
		{Priorities, "唔急", "low"},
		{TaskStatuses, "份報告搞掂咗", "done"},
		{TaskStatuses, "mark it as in progress", "in_progress"},
		{RequestStatuses, "我有邊啲假期申請仲係待批", "pending"},
	}
	for _, tt := range tests {
		m, ok := tt.table.Find(tt.text)
		if !ok || m.Value != tt.want {
			t.Errorf("Find(%q) = %+v %v; want %s", tt.text, m, ok, tt.want)
		}
	}
	if _, ok := LeaveTypes.Find("alright"); ok {
		t.Error(`"alright" must not match "al"`)
	}
	if !Has("幫我批准", "批准") || Has("hello", "批准") {
		t.Error("Has")
	}
}
