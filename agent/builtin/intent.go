package builtin

import (
	"strings"

	"github.com/banlihq/banli/nlu/lexicon"
	"github.com/banlihq/banli/nlu/people"
	"github.com/banlihq/banli/nlu/zh"
)

// Cue words, matched on folded text (Traditional and Simplified alike).
var (
	cueApprove  = []string{"，批", ",批", "批啦", "批吧", "通過吧", "通过吧", "批准", "批核", "核准", "批咗", "批左", "批埋", "approve", "准假", "通過佢", "同意佢", "ok佢", "批佢", "幫我批", "可以批"}
	cueReject   = []string{"拒絕", "拒绝", "reject", "decline", "駁回", "驳回", "唔批", "不批", "否決", "唔准", "不准", "deny"}
	cueReturn   = []string{"back to", "claim back", "it back", "request back", "退回", "發還", "发还", "send back", "send it back", "return", "打回頭", "退返", "要求修改", "補交", "退件", "改好再交", "改咗再交", "重新提交"}
	cuePending  = []string{"待我審批", "待我审批", "等我審批", "等我审批", "我審批", "我审批", "待批", "待我批", "要我批", "等我批", "待審批", "待审批", "需要我審批", "需要我批", "pending approval", "waiting for my approval", "awaiting my approval", "to approve", "need my approval", "审批清单", "審批清單", "有咩要批", "有什麼要批", "有乜要批", "要批嘅", "需要審批", "my approvals", "approval queue", "待辦審批", "等緊我批"}
	cueDelegate = []string{"代批", "代我批", "幫我批住", "代理審批", "代理审批", "delegate", "on my behalf", "審批交", "审批交", "審批轉", "act for me", "approve for me", "委託", "委托", "署理", "代行", "代簽", "cover my approvals", "handle my approvals", "approvals while", "審批權", "审批权", "代我審批", "代我审批", "幫我審批", "帮我审批"}
	cueLeave    = []string{"假", "leave", "day off", "days off", "off work", "time off", "wfh唔", "vacation", "休息一日", "唔返工", "不上班", "唔嚟", "sick"}
	cueBalance  = []string{"幾多日", "多少天", "幾多天", "用了多少", "用咗幾多", "剩", "餘額", "余额", "balance", "how many", "how much", "還有多少", "仲有幾多", "仲有幾", "還有幾", "還剩", "还剩", "剩返", "remaining", "left", "有幾多"}
	cueCancel   = []string{"取消", "cancel", "撤回", "撤銷", "撤销", "withdraw", "唔去", "唔開", "不開", "唔放", "不放", "call off", "scrap"}
	cueList     = []string{"有咩", "有乜", "有什麼", "有什么", "有哪些", "哪些", "有邊啲", "邊啲", "list", "show", "what", "which", "列出", "睇下", "睇睇", "看看", "查看", "查一下", "查下", "有冇", "有没有", "有沒有", "any", "記錄", "记录", "紀錄", "status", "狀態", "状态", "進度", "进度", "幾時", "?", "？", "嗎", "吗", "未", "check"}
	cueExpense  = []string{"報銷", "报销", "claim", "expense", "reimburse", "報數", "报数", "報返", "報番", "報銷單", "發票報", "實報"}
	cueReceipt  = []string{"收據", "收据", "單據", "单据", "receipt", "發票", "发票", "invoice", "小票"}
	cueTask     = []string{"task", "任務", "任务", "待辦", "待办", "todo", "to-do", "to do"}
	cueRemind   = []string{"提我", "提醒", "提提我", "remind", "記低", "记下", "記住", "記得", "幫我記", "note down", "記一個", "記個"}
	cueAssign   = []string{"叫", "ask", "tell", "assign", "指派", "派", "交俾", "交給", "给", "讓", "让", "請", "get", "have", "needs to", "need to", "要佢"}
	cueFree     = []string{"得閒", "有空", "空檔", "空档", "free", "available", "availability", "slot", "時段", "时段", "共同時間", "空閒", "空闲", "邊個時間", "什麼時間", "什么时间"}
	cueResched  = []string{"改期", "改去", "改到", "改做", "改成", "改為", "改为", "延後", "延后", "推遲", "推迟", "押後", "押后", "提早", "提前", "reschedule", "postpone", "push", "move", "bring forward", "delay", "順延", "顺延", "移到", "搬去", "搬到", "延遲", "延迟"}
	cueEventObj = []string{"會", "会", "meeting", "review", "call", "event", "appointment", "週會", "例會", "weekly", "huddle", "session", "sync"}
	cueEvent    = []string{"開會", "开会", "開個會", "开个会", "會議", "会议", "meeting", "meet", "check-in", "check in", "catch up", "catch-up", "touch base", "1-on-1", "call", "見客", "见客", "見面", "见面", "傾", "set up", "schedule", "calendar", "one-on-one", "1:1", "一對一", "lunch with", "dinner with", "breakfast with", "coffee with", "huddle", "sync", "召開", "开部门会", "開部門會", "會面", "会面", "見", "block", "電話會議", "視像", "zoom", "teams", "打個電話", "打电话给", "sales huddle", "presentation", "interview", "面試"}
	cueBook     = []string{"book", "訂", "订", "預約", "预约", "預訂", "预订", "借", "reserve", "租用", "霸"}
	cueListEv   = []string{"行程", "日程", "on my calendar", "in my calendar", "my calendar", "diary", "my schedule", "agenda", "幾點", "what time", "有冇嘢做", "有咩會", "有什么会", "有什麼會議", "有什么会议", "有咩meeting", "meetings", "有冇嘢做", "有安排", "有什麼安排", "有什么安排", "有冇會", "有无会", "有冇meeting", "what's on", "whats on", "anything on", "anything in my", "排咗", "有幾多個會", "會議有哪些", "有哪些會議"}
	cueSummary  = []string{"講咗啲咩", "講咗咩", "有什麼決定", "有什么决定", "decisions", "action items from", "總結", "总结", "摘要", "summary", "summarize", "summarise", "紀要", "纪要", "minutes", "重點", "重点", "講咗咩", "讲了什么", "傾咗咩", "說了什麼", "recap", "key points", "決定咗咩", "决定了什么"}
	cueMeetTask = []string{"action item", "跟進事項", "跟进事项", "行動項目", "行动项目", "待辦事項", "action points", "follow-up", "follow up items", "跟進項目", "開task", "建立任務", "创建任务", "create tasks", "轉成任務", "转成任务", "變成task", "turn into tasks", "開晒task", "开任务"}
	cueMeeting  = []string{"會議", "会议", "meeting", "個會", "个会", "嗰個會", "那个会", "那個會"}
	cueKB       = []string{"最多", "最少", "多少天內", "多少天内", "how long", "政策", "policy", "規定", "规定", "規則", "规则", "制度", "手冊", "手册", "handbook", "流程", "procedure", "guideline", "指引", "上限", "cap", "limit", "allowed", "可唔可以", "可不可以", "可以報", "可以报", "能不能", "點樣", "怎樣", "怎么", "how do", "how does", "how many days of", "what is the rule", "需要咩", "需要什么", "需要什麼", "要唔要", "entitle", "資格", "年資", "年资", "醫生證明", "医生证明", "medical certificate", "幾耐", "多久", "within", "之內", "之内"}
	cueReport   = []string{"報告", "报告", "report", "週報", "周报", "月報", "月报", "overview", "概況", "概况", "表現", "表现", "summary of", "統計", "统计", "匯總", "汇总"}
	cueTeam     = []string{"團隊", "团队", "team", "部門", "部门", "組", "department", "dept", "大家", "成個", "全組", "全部門"}
	cueFind     = []string{"誰是", "谁是", "who handles", "邊個係", "边个系", "係邊個", "是谁", "是誰", "who is", "who's", "電話", "电话", "email", "電郵", "电邮", "郵箱", "邮箱", "聯絡", "联系", "contact", "分機", "分机", "邊個部門", "哪個部門", "哪个部门", "which department", "邊個負責", "谁负责", "誰負責", "who handles", "who's in charge", "who is in charge", "負責人", "负责人", "搵邊個", "找誰", "找谁", "職位", "职位", "title", "extension", "reports to", "邊個管", "上司係", "上司是", "老闆係"}
)

// detectIntent picks the tool an utterance asks for, or "" when none.
// Order matters: decisions and questions about existing records come before
// requests to create new ones.
func detectIntent(u *utter) string {
	hasPerson := len(u.mentions(people.Person)) > 0
	_, hasLeaveType := lexicon.LeaveTypes.Find(u.text)
	switch {
	case u.has(cueDelegate...) && (!u.hasApprove() || u.has("behalf", "代", "交俾", "交给", "交給")):
		return ToolSetDelegate
	case u.has(cuePending...) && !u.has(cueReject...) && (u.has(cueList...) || u.has("pending", "待批", "清單", "清单")) && !u.has("批准", "approve ") &&
		(u.has("我", "my", "me", "approval") || !u.has("假", "leave", "報銷", "报销", "claim")):
		return ToolListPendingApprovals
	case u.has(cueReject...) && !u.approvalQuestion() && (u.pendingRef() || u.has("申請", "申请", "request", "claim", "報銷", "报销", "假")):
		return ToolReject
	case (u.has(cueReturn...) || u.word("send") && u.word("back")) && (u.pendingRef() || u.has("申請", "申请", "request", "claim", "報銷", "报销", "假")) && (u.hasPendingID() || !u.has("return to", "回來", "回来")):
		return ToolReturnForChanges
	case u.hasApprove() && !u.approvalQuestion():
		return ToolApprove
	case u.has(cueMeetTask...) && u.has("開", "开", "建立", "create", "turn", "轉", "转", "變", "变", "add", "make", "set up") && (u.meetingRef() || u.has(cueMeeting...) || u.has("action item", "跟進事項", "跟进事项")):
		return ToolCreateTasksFromMeetng
	case u.has(cueSummary...) && (u.meetingRef() || u.has(cueMeeting...) || u.has("transcript", "紀錄", "记录")):
		return ToolSummarizeMeeting
	case u.meetingRef() && u.has("睇", "看", "summary", "summar", "講", "讲", "說", "what", "咩", "什麼", "什么"):
		return ToolSummarizeMeeting
	}
	// Leave.
	if u.has(cueLeave...) || hasLeaveType && !u.has(cueExpense...) {
		switch {
		case u.has(cueCancel...) && !u.has(cueEventObj...):
			return ToolCancelLeave
		case u.has(cueKB...) && !u.has("仲有", "还有", "還有", "do i have", "have i got", "have left", "剩", "balance", "用了", "用咗"):
			return ToolSearchKnowledge
		case (u.has(cueBalance...) || u.has("check", "查") && len(u.tm.Dates) == 0) && !u.has("請咗", "请了", "申請咗", "申请了", "requests", "applications"):
			return ToolGetLeaveBalance
		case u.has("申請", "申请", "請咗", "请了", "request", "application", "紀錄", "记录", "記錄", "record", "history", "放過", "請過", "请过", "假單", "假单", "approved", "批咗", "批了", "待批", "pending") && (u.has(cueList...) || u.approvalQuestion()) && len(u.tm.Clocks) == 0 && !u.has("我想", "想請", "想请", "i want", "i'd like", "幫我申請", "帮我申请"):
			return ToolListLeaveRequests
		case u.has("邊個", "谁", "誰", "who") && u.has(cueList...):
			return ToolListLeaveRequests
		case !u.has(cueExpense...) && !u.has(cueTask...):
			return ToolRequestLeave
		}
	}
	// Expenses.
	if u.has(cueExpense...) || u.has(cueReceipt...) {
		switch {
		case u.has("掃描", "扫描", "scan", "識別", "识别", "讀取", "读取", "ocr") || u.word("read") || reReceiptID.MatchString(u.text) && u.has(cueReceipt...) && !u.has("提交", "submit"):
			return ToolScanReceipt
		case u.has(cueKB...) && len(u.amounts()) == 0 && !u.word("ec") && !reReceiptID.MatchString(u.text):
			return ToolSearchKnowledge
		case (u.has("提交", "遞交", "递交", "送出", "send in") || u.word("submit")) && !u.has("已提交") && len(u.amounts()) == 0:
			return ToolSubmitExpenseClaim
		case len(u.amounts()) == 0 && u.has(cueList...):
			return ToolListExpenseClaims
		case u.has(cueExpense...):
			return ToolCreateExpenseClaim
		}
	}
	if u.word("scan") || u.has("掃描", "扫描") {
		return ToolScanReceipt
	}
	if u.word("submit") && reReceiptID.MatchString(u.text) && len(u.amounts()) == 0 {
		return ToolSubmitExpenseClaim
	}
	if len(u.amounts()) > 0 {
		if _, ok := lexicon.ExpenseCategories.Find(u.text); ok && !u.has(cueTask...) && !u.has(cueRemind...) {
			return ToolCreateExpenseClaim
		}
	}
	// Tasks.
	taskish := u.has(cueTask...)
	creating := u.has("a task", "give", "開個", "开个", "開一個", "开一个", "開task", "开task", "建", "create", "add", "new", "派", "記", "记", "指派")
	switch {
	case taskish && u.hasTaskRef() && (statusWord(u) || u.has("mark", "標記", "标记", "標成", "标成", "轉俾", "转给", "轉交", "转交", "reassign", "截止", "延到", "priority", "優先級", "优先级")) && !u.has(cueList...):
		return ToolUpdateTask
	case taskish && u.has(cueList...) && !creating:
		return ToolListTasks
	case taskish && !creating && !u.hasTaskRef() && (statusWord(u) || u.has("mark ", "標記", "标记", "標成", "标成")) && !u.has(cueList...) && !u.has(cueRemind...):
		// A change of status to a task the user cannot see: update_task
		// says it found no such task, instead of creating one.
		return ToolUpdateTask
	case len(u.tm.Clocks) > 0 && hasPerson && !taskish && !u.has(cueRemind...) && !u.has("前", "before", "by ") && u.has("與", "与", "同", "和", "跟", "with", "約", "约", "見", "见", "出席", "開", "开"):
		return ToolCreateEvent
	case u.has(cueRemind...) || u.has("開個task", "开个任务", "建立任務", "建立一個任務", "create a task", "add a task", "add a todo", "new task", "建个任务", "建個任務", "派个任务", "派個任務", "一個任務", "个任务", "個任務"):
		return ToolCreateTask
	case taskish && u.hasTaskRef() && (u.has(cueResched...) || u.has("mark", "標記", "标记", "標成", "标成", "set", "轉俾", "转给", "轉交", "转交", "reassign", "交俾", "改", "延", "priority", "優先", "优先", "status", "狀態") || statusWord(u)):
		return ToolUpdateTask
	case u.hasTaskRef() && (statusWord(u) || u.has("轉俾", "转给", "轉交", "转交", "reassign", "hand over", "延到", "截止", "deadline", "due date", "優先級", "优先级")) && !u.has(cueList...):
		return ToolUpdateTask
	case u.has("手上有", "手頭", "手头", "有咩嘢做", "有什么工作", "有咩做") && !u.has("會", "会", "meeting"):
		return ToolListTasks
	}
	// Calendar.
	switch {
	case u.has(cueFree...) && (len(u.tm.Durations) > 0 || u.has("大家", "都", "共同", "一齊", "一起", "together", "all", "both", "我同", "我和", "and i")) && !u.has(cueBook...):
		return ToolFindFreeSlots
	case u.has(cueResched...) && u.has(cueEventObj...) && !u.has("會議室", "会议室"):
		return ToolRescheduleEvent
	case u.has(cueResched...) && u.eventRef():
		return ToolRescheduleEvent
	case u.has(cueCancel...) && (u.has(cueEventObj...) || u.eventRef()):
		return ToolCancelEvent
	case u.has(cueListEv...) && !u.has("約", "约", "set up", "book", "安排一個", "幫我安排", "create", "add", "put it", "put in", "加入", "schedule a"):
		return ToolListEvents
	case (u.has(cueList...) && u.has("會", "会", "meeting")) && u.has("我", " i ", "my", "do i") && len(u.tm.Clocks) == 0 && !u.has("約", "约", "set up", "開個", "开个", "schedule", "安排"):
		return ToolListEvents
	}
	if _, ok := u.resource(); ok || u.has(" room", "room ", "會議室", "会议室", "投影機", "projector") {
		others, amb := u.others()
		if u.has(cueBook...) && len(others) == 0 && !amb && !u.has("開會", "开会", "meeting with", "同", "和", "與", "跟") {
			return ToolBookResource
		}
		if u.has(cueBook...) && len(others) == 0 && !amb && !hasPerson {
			return ToolBookResource
		}
	}
	switch {
	case (u.has(cueEvent...) || u.eventVerb()) && !(u.has(cueKB...) && !u.has(cueEvent[:6]...)):
		return ToolCreateEvent
	case taskish || u.assignCue() && hasPerson && !u.has("?", "？"):
		return ToolCreateTask
	case u.has(cueFind...):
		return ToolFindEmployee
	case u.has(cueReport...) && (u.has(cueTeam...) || len(u.mentions(people.Dept, people.Team)) > 0):
		return ToolTeamReport
	case u.has(cueKB...):
		return ToolSearchKnowledge
	case len(u.mentions(people.Person)) == 1 && len([]rune(u.text)) <= 12 && u.has("?", "？", "邊個", "who"):
		return ToolFindEmployee
	}
	if u.has("?", "？", "嗎", "吗", "點", "怎", "how", "what", "can i", "幾", "多少") {
		return ToolSearchKnowledge
	}
	return ""
}

// hasApprove reports an approval: "批准", "approve" (not "approved").
func (u *utter) hasApprove() bool {
	if u.word("approve") || u.word("approve it") {
		return true
	}
	for _, c := range cueApprove {
		if c != "approve" && u.has(c) {
			return true
		}
	}
	t := []rune(strings.TrimRight(u.text, "。.!！ "))
	return len(t) > 1 && t[len(t)-1] == '批' && !strings.ContainsRune("審审待要", t[len(t)-2])
}

// approvalQuestion reports a question about a decision ("批咗未？", "has it
// been approved yet?") rather than a decision.
func (u *utter) approvalQuestion() bool {
	return u.has("未？", "未?", "批咗未", "yet", "been approved", "been rejected", "了嗎", "了吗", "沒有", "没有", "has my", "have my", "approved leave", "approved claims", "all approved", "已批", "已批准")
}

// eventVerb reports 約 used as "arrange to meet", not in 合約 or 預約.
func (u *utter) eventVerb() bool {
	for i, r := range u.f {
		if r != []rune(zh.Fold("約"))[0] {
			continue
		}
		if i > 0 && strings.ContainsRune(zh.Fold("合續续條条契預预大節节制公簡简"), u.f[i-1]) {
			continue
		}
		if i+1 < len(u.f) && strings.ContainsRune(zh.Fold("定束好"), u.f[i+1]) {
			continue
		}
		return true
	}
	return false
}

// strongIntent reports an utterance that clearly starts something new, even
// while a question is pending.
func strongIntent(u *utter, intent string) bool {
	switch intent {
	case ToolApprove, ToolReject, ToolReturnForChanges, ToolListPendingApprovals, ToolRequestLeave,
		ToolCreateExpenseClaim, ToolListTasks, ToolListEvents, ToolSetDelegate:
		return len([]rune(u.text)) > 6
	case ToolCreateEvent, ToolCreateTask:
		return u.has("約", "约", "meeting", "開會", "开会", "task", "任務", "任务", "remind", "提醒")
	}
	return false
}

// assignCue reports "叫阿明...", "ask Bonnie to...".
func (u *utter) assignCue() bool {
	for _, m := range u.mentions(people.Person) {
		if m.Start == 0 {
			return u.has("needs to", "need to", "要")
		}
		before := string(u.f[max(0, m.Start-7):m.Start])
		for _, c := range cueAssign {
			c = zh.Fold(c)
			if len(before) >= len(c) && before[len(before)-len(c):] == c || len(before) > len(c) && before[len(before)-len(c)-1:len(before)-1] == c {
				return true
			}
		}
	}
	return false
}

// statusWord reports a task status word.
func statusWord(u *utter) bool {
	_, ok := lexicon.TaskStatuses.Find(u.text)
	return ok
}
