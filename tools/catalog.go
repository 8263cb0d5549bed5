package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/banlihq/banli/domain"
)

// Tool names (TOOLS.md): a public contract.
const (
	FindEmployee           = "find_employee"
	CreateEvent            = "create_event"
	FindFreeSlots          = "find_free_slots"
	ListEvents             = "list_events"
	RescheduleEvent        = "reschedule_event"
	CancelEvent            = "cancel_event"
	BookResource           = "book_resource"
	CreateTask             = "create_task"
	ListTasks              = "list_tasks"
	UpdateTask             = "update_task"
	RequestLeave           = "request_leave"
	GetLeaveBalance        = "get_leave_balance"
	ListLeaveRequests      = "list_leave_requests"
	CancelLeave            = "cancel_leave"
	CreateExpenseClaim     = "create_expense_claim"
	SubmitExpenseClaim     = "submit_expense_claim"
	ListExpenseClaims      = "list_expense_claims"
	ScanReceipt            = "scan_receipt"
	ListPendingApprovals   = "list_pending_approvals"
	Approve                = "approve"
	Reject                 = "reject"
	ReturnForChanges       = "return_for_changes"
	SetDelegate            = "set_delegate"
	SummarizeMeeting       = "summarize_meeting"
	CreateTasksFromMeeting = "create_tasks_from_meeting"
	SearchKnowledge        = "search_knowledge"
	TeamReport             = "team_report"
)

// catalog lists every tool. Set_delegate hands someone else one's approval
// power and create_tasks_from_meeting writes in bulk: both are high risk.
func catalog() []Tool {
	return []Tool{
		def(FindEmployee, false, RiskLow, "directory:read", "Find employees by name, alias, title or department.", "按姓名、別名、職位或部門查找同事。", func() *FindEmployeeArgs { return &FindEmployeeArgs{} }),
		def(CreateEvent, true, RiskLow, "event:create", "Create a calendar event organized by the actor; 60 minutes when no end is given.", "建立由你主持的日程；未指定結束時間則為60分鐘。", func() *CreateEventArgs { return &CreateEventArgs{} }),
		def(FindFreeSlots, false, RiskLow, "event:freebusy", "Find times when the attendees and the actor are all free.", "查找各與會者及你都有空的時段。", func() *FindFreeSlotsArgs { return &FindFreeSlotsArgs{} }),
		def(ListEvents, false, RiskLow, "event:read", "List calendar events in a period.", "列出一段時間內的日程。", func() *ListEventsArgs { return &ListEventsArgs{} }),
		def(RescheduleEvent, true, RiskLow, "event:update", "Move an event to a new time.", "將日程改到新的時間。", func() *RescheduleEventArgs { return &RescheduleEventArgs{} }),
		def(CancelEvent, true, RiskLow, "event:cancel", "Cancel an event.", "取消日程。", func() *CancelEventArgs { return &CancelEventArgs{} }),
		def(BookResource, true, RiskLow, "event:create", "Book a room or a piece of equipment.", "預訂會議室或設備。", func() *BookResourceArgs { return &BookResourceArgs{} }),
		def(CreateTask, true, RiskLow, "task:create", "Create a task; the assignee defaults to the actor.", "建立任務；未指定負責人則為你自己。", func() *CreateTaskArgs { return &CreateTaskArgs{} }),
		def(ListTasks, false, RiskLow, "task:read", "List tasks.", "列出任務。", func() *ListTasksArgs { return &ListTasksArgs{} }),
		def(UpdateTask, true, RiskLow, "task:update", "Change a task's title, status, due date, assignee or priority.", "修改任務的標題、狀態、期限、負責人或優先級。", func() *UpdateTaskArgs { return &UpdateTaskArgs{} }),
		def(RequestLeave, true, RiskLow, "leave:create", "Apply for leave.", "申請請假。", func() *RequestLeaveArgs { return &RequestLeaveArgs{} }),
		def(GetLeaveBalance, false, RiskLow, "leave_balance:read", "Show leave balances.", "查詢假期餘額。", func() *GetLeaveBalanceArgs { return &GetLeaveBalanceArgs{} }),
		def(ListLeaveRequests, false, RiskLow, "leave:read", "List leave requests.", "列出請假申請。", func() *ListLeaveRequestsArgs { return &ListLeaveRequestsArgs{} }),
		def(CancelLeave, true, RiskLow, "leave:cancel", "Cancel a leave request.", "取消請假申請。", func() *CancelLeaveArgs { return &CancelLeaveArgs{} }),
		def(CreateExpenseClaim, true, RiskLow, "expense:create", "Create an expense claim, optionally submitting it for approval.", "建立報銷單，可同時提交審批。", func() *CreateExpenseClaimArgs { return &CreateExpenseClaimArgs{} }),
		def(SubmitExpenseClaim, true, RiskLow, "expense:submit", "Submit a draft expense claim for approval.", "提交報銷草稿以供審批。", func() *SubmitExpenseClaimArgs { return &SubmitExpenseClaimArgs{} }),
		def(ListExpenseClaims, false, RiskLow, "expense:read", "List expense claims.", "列出報銷單。", func() *ListExpenseClaimsArgs { return &ListExpenseClaimsArgs{} }),
		def(ScanReceipt, false, RiskLow, "receipt:read", "Read the fields of an uploaded receipt.", "讀取已上載收據的內容。", func() *ScanReceiptArgs { return &ScanReceiptArgs{} }),
		def(ListPendingApprovals, false, RiskLow, "approval:read", "List the requests waiting for the actor's decision.", "列出等待你審批的申請。", func() *ListPendingApprovalsArgs { return &ListPendingApprovalsArgs{} }),
		def(Approve, true, RiskLow, "approval:decide", "Approve a leave request or expense claim.", "批准請假申請或報銷單。", func() *ApproveArgs { return &ApproveArgs{} }),
		def(Reject, true, RiskLow, "approval:decide", "Reject a leave request or expense claim with a reason.", "以理由拒絕請假申請或報銷單。", func() *RejectArgs { return &RejectArgs{} }),
		def(ReturnForChanges, true, RiskLow, "approval:decide", "Return a request to its requester for changes.", "將申請退回申請人修改。", func() *ReturnForChangesArgs { return &ReturnForChangesArgs{} }),
		def(SetDelegate, true, RiskHigh, "delegation:create", "Let another employee decide the actor's approvals between two dates.", "授權同事在指定日期內代你審批。", func() *SetDelegateArgs { return &SetDelegateArgs{} }),
		def(SummarizeMeeting, false, RiskLow, "meeting:read", "Summarize a meeting's transcript.", "總結會議紀錄。", func() *SummarizeMeetingArgs { return &SummarizeMeetingArgs{} }),
		def(CreateTasksFromMeeting, true, RiskHigh, "task:create", "Create tasks from a meeting's action items.", "按會議的跟進事項建立任務。", func() *CreateTasksFromMeetingArgs { return &CreateTasksFromMeetingArgs{} }),
		def(SearchKnowledge, false, RiskLow, "knowledge:read", "Search the company's policies and documents.", "搜尋公司政策及文件。", func() *SearchKnowledgeArgs { return &SearchKnowledgeArgs{} }),
		def(TeamReport, false, RiskLow, "report:read", "Report a team's tasks and leave for a period.", "報告團隊在一段時間內的任務及請假情況。", func() *TeamReportArgs { return &TeamReportArgs{} }),
	}
}

// ---- Directory

// FindEmployeeArgs are find_employee's arguments.
type FindEmployeeArgs struct {
	Query string `json:"query" jsonschema:"minLength=1,description=a name, alias, email, title or department"`
}

func (a *FindEmployeeArgs) check(e *Env, v *domain.Validator) {
	a.Query = strings.TrimSpace(a.Query)
	v.Check(a.Query != "", "query", "is required")
}

func (a *FindEmployeeArgs) preview(e *Env, lang string) string {
	return Say(lang, "查找同事：", "查找同事：", "Find employees: ") + quote(a.Query, lang)
}

func (a *FindEmployeeArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	emps, depts, _, err := b.Directory(ctx, actor)
	if err != nil {
		return Result{}, err
	}
	deptName := map[string]string{}
	for _, d := range depts {
		deptName[d.ID] = d.Name + " " + d.NameEn + " " + d.ID
	}
	q := strings.ToLower(a.Query)
	terms := strings.Fields(q)
	type hit struct {
		emp   domain.Employee
		score int
	}
	var hits []hit
	for _, emp := range emps {
		if !emp.Active {
			continue
		}
		hay := strings.ToLower(strings.Join(append([]string{emp.ID, emp.Name, emp.NameEn, emp.Email, emp.Title, deptName[emp.Department]}, emp.Aliases...), " | "))
		score := 0
		if q == strings.ToLower(emp.ID) {
			score += 10
		}
		if strings.Contains(hay, q) {
			score += 5
		}
		for _, t := range terms {
			if len(t) > 1 && strings.Contains(hay, t) {
				score++
			}
		}
		// A name inside a longer question ("郑丽珊邮箱是多少") still counts.
		for _, n := range append([]string{emp.Name, emp.NameEn}, emp.Aliases...) {
			if n != "" && len([]rune(n)) >= 2 && strings.Contains(q, strings.ToLower(n)) {
				score += 3
			}
		}
		if score > 0 {
			hits = append(hits, hit{emp, score})
		}
	}
	slices.SortStableFunc(hits, func(x, y hit) int { return y.score - x.score })
	if len(hits) > 10 {
		hits = hits[:10]
	}
	var out []domain.Employee
	var ls []string
	for _, h := range hits {
		out = append(out, h.emp)
		ls = append(ls, fmt.Sprintf("• %s (%s) — %s, %s, %s", h.emp.Name, h.emp.NameEn, h.emp.Title, e.department(h.emp.Department, lang), h.emp.Email))
	}
	return Result{Text: lines(Say(lang, "找到以下同事：", "找到以下同事：", "Found:"), ls, Say(lang, "找不到相符的同事。", "找不到相符的同事。", "No matching employee.")), Data: out}, nil
}

// ---- Calendar

// CreateEventArgs are create_event's arguments.
type CreateEventArgs struct {
	Title       string   `json:"title" jsonschema:"minLength=1,maxLength=300"`
	Start       string   `json:"start" jsonschema:"format=date-time"`
	End         string   `json:"end,omitempty" jsonschema:"format=date-time,description=default: start plus 60 minutes"`
	Attendees   []string `json:"attendees,omitempty" jsonschema:"description=employee ids; the organizer (the actor) is not listed"`
	Resource    string   `json:"resource,omitempty" jsonschema:"description=room id"`
	Location    string   `json:"location,omitempty"`
	Description string   `json:"description,omitempty"`
	Recurrence  string   `json:"recurrence,omitempty" jsonschema:"description=RFC 5545 RRULE"`
}

func (a *CreateEventArgs) check(e *Env, v *domain.Validator) {
	a.Title = strings.TrimSpace(a.Title)
	v.Check(a.Title != "", "title", "is required")
	checkDateTime(v, "start", a.Start, true)
	checkDateTime(v, "end", a.End, false)
	if s, err := time.Parse(time.RFC3339, a.Start); err == nil && a.End == "" {
		a.End = s.Add(time.Hour).Format(time.RFC3339)
	}
	a.Attendees = slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(a.Attendees))), func(id string) bool { return id == e.Actor })
	for i, id := range a.Attendees {
		e.checkEmployee(v, fmt.Sprintf("attendees[%d]", i), id)
	}
	e.checkResource(v, "resource", a.Resource)
}

func (a *CreateEventArgs) preview(e *Env, lang string) string {
	s, _ := time.Parse(time.RFC3339, a.Start)
	en, _ := time.Parse(time.RFC3339, a.End)
	p := Say(lang, "建立會議 ", "创建会议 ", "Create the meeting ") + quote(a.Title, lang) + Say(lang, "：", "：", ": ") + e.span(s, en, lang)
	if len(a.Attendees) > 0 {
		p += Say(lang, "，與會者：", "，参会者：", ", with ") + e.names(a.Attendees, lang)
	}
	if a.Resource != "" {
		p += Say(lang, "，地點：", "，地点：", ", in ") + e.resource(a.Resource, lang)
	} else if a.Location != "" {
		p += Say(lang, "，地點：", "，地点：", ", at ") + quote(a.Location, lang)
	}
	if a.Recurrence != "" {
		p += Say(lang, "，重複：", "，重复：", ", repeating ") + a.Recurrence
	}
	return p
}

func (a *CreateEventArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	ev, err := b.CreateEvent(ctx, actor, domain.EventInput{Title: a.Title, Start: a.Start, End: a.End, Attendees: a.Attendees,
		Resource: a.Resource, Location: a.Location, Description: a.Description, Recurrence: a.Recurrence})
	if err != nil {
		return Result{}, err
	}
	t := Say(lang, "已建立會議 ", "已创建会议 ", "Created ") + quote(ev.Title, lang) + " " + e.span(ev.Start, ev.End, lang)
	if len(ev.Conflicts) > 0 {
		t += Say(lang, "（注意：", "（注意：", " (note: ") + e.names(ev.Conflicts, lang) + Say(lang, " 當時另有安排）", " 当时另有安排）", " are busy then)")
	}
	return Result{Text: t, Data: ev}, nil
}

// FindFreeSlotsArgs are find_free_slots' arguments.
type FindFreeSlotsArgs struct {
	Attendees       []string `json:"attendees"`
	DurationMinutes int      `json:"duration_minutes" jsonschema:"minimum=5,maximum=1440"`
	From            string   `json:"from" jsonschema:"description=date or date-time"`
	To              string   `json:"to" jsonschema:"description=date (inclusive) or date-time"`
}

func (a *FindFreeSlotsArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.DurationMinutes >= 5 && a.DurationMinutes <= 1440, "duration_minutes", "must be 5 to 1440")
	e.checkBound(v, "from", a.From, true)
	e.checkBound(v, "to", a.To, true)
	for i, id := range a.Attendees {
		e.checkEmployee(v, fmt.Sprintf("attendees[%d]", i), id)
	}
}

func (a *FindFreeSlotsArgs) preview(e *Env, lang string) string {
	return Say(lang, "查找空檔", "查找空档", "Find free time") + fmt.Sprintf(" (%d min) ", a.DurationMinutes) + e.names(a.Attendees, lang)
}

func (a *FindFreeSlotsArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	from, _ := e.bound(a.From, false)
	to, _ := e.bound(a.To, true)
	if from.Before(e.Now) {
		from = e.Now
	}
	slots, err := b.FindFreeSlots(ctx, actor, a.Attendees, time.Duration(a.DurationMinutes)*time.Minute, from, to, 5)
	if err != nil {
		return Result{}, err
	}
	var ls []string
	for _, s := range slots {
		ls = append(ls, "• "+e.span(s.Start, s.End, lang))
	}
	return Result{Text: lines(Say(lang, "以下時段大家都有空：", "以下时段大家都有空：", "Everyone is free at:"), ls,
		Say(lang, "這段時間找不到共同空檔。", "这段时间找不到共同空档。", "No common free time in that period.")), Data: slots}, nil
}

// ListEventsArgs are list_events' arguments.
type ListEventsArgs struct {
	From     string `json:"from" jsonschema:"description=date or date-time"`
	To       string `json:"to" jsonschema:"description=date (inclusive) or date-time"`
	Employee string `json:"employee,omitempty"`
}

func (a *ListEventsArgs) check(e *Env, v *domain.Validator) {
	e.checkBound(v, "from", a.From, true)
	e.checkBound(v, "to", a.To, true)
	e.checkEmployee(v, "employee", a.Employee)
}

func (a *ListEventsArgs) preview(e *Env, lang string) string {
	return Say(lang, "查看日程", "查看日程", "List events") + " " + a.From + " – " + a.To
}

func (a *ListEventsArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	from, _ := e.bound(a.From, false)
	to, _ := e.bound(a.To, true)
	evs, err := b.ListEvents(ctx, actor, a.Employee, from, to)
	if err != nil {
		return Result{}, err
	}
	var ls []string
	for _, ev := range evs {
		l := "• " + e.span(ev.Start, ev.End, lang) + " " + quote(ev.Title, lang)
		if ev.Resource != "" {
			l += " @ " + e.resource(ev.Resource, lang)
		}
		ls = append(ls, l)
	}
	return Result{Text: lines(Say(lang, "日程：", "日程：", "Events:"), ls, Say(lang, "這段時間沒有日程。", "这段时间没有日程。", "Nothing scheduled.")), Data: evs}, nil
}

// RescheduleEventArgs are reschedule_event's arguments.
type RescheduleEventArgs struct {
	EventID string `json:"event_id"`
	Start   string `json:"start" jsonschema:"format=date-time"`
	End     string `json:"end,omitempty" jsonschema:"format=date-time,description=default: keep the duration"`
}

func (a *RescheduleEventArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.EventID != "", "event_id", "is required")
	checkDateTime(v, "start", a.Start, true)
	checkDateTime(v, "end", a.End, false)
}

func (a *RescheduleEventArgs) preview(e *Env, lang string) string {
	s, _ := time.Parse(time.RFC3339, a.Start)
	p := Say(lang, "將日程 ", "将日程 ", "Move event ") + a.EventID + Say(lang, " 改到 ", " 改到 ", " to ") + e.day(s, lang) + " " + s.In(e.Loc()).Format("15:04")
	if en, err := time.Parse(time.RFC3339, a.End); err == nil {
		p += "–" + en.In(e.Loc()).Format("15:04")
	}
	return p
}

func (a *RescheduleEventArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	ev, err := b.RescheduleEvent(ctx, actor, a.EventID, a.Start, a.End)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已改期：", "已改期：", "Rescheduled: ") + quote(ev.Title, lang) + " " + e.span(ev.Start, ev.End, lang), Data: ev}, nil
}

// CancelEventArgs are cancel_event's arguments.
type CancelEventArgs struct {
	EventID string `json:"event_id"`
}

func (a *CancelEventArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.EventID != "", "event_id", "is required")
}

func (a *CancelEventArgs) preview(e *Env, lang string) string {
	return Say(lang, "取消日程 ", "取消日程 ", "Cancel event ") + a.EventID
}

func (a *CancelEventArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	ev, err := b.CancelEvent(ctx, actor, a.EventID)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已取消：", "已取消：", "Cancelled: ") + quote(ev.Title, lang), Data: ev}, nil
}

// BookResourceArgs are book_resource's arguments.
type BookResourceArgs struct {
	Resource string `json:"resource"`
	Start    string `json:"start" jsonschema:"format=date-time"`
	End      string `json:"end" jsonschema:"format=date-time"`
	Purpose  string `json:"purpose,omitempty"`
}

func (a *BookResourceArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.Resource != "", "resource", "is required")
	e.checkResource(v, "resource", a.Resource)
	checkDateTime(v, "start", a.Start, true)
	checkDateTime(v, "end", a.End, true)
}

func (a *BookResourceArgs) preview(e *Env, lang string) string {
	s, _ := time.Parse(time.RFC3339, a.Start)
	en, _ := time.Parse(time.RFC3339, a.End)
	p := Say(lang, "預訂 ", "预订 ", "Book ") + e.resource(a.Resource, lang) + Say(lang, "：", "：", ": ") + e.span(s, en, lang)
	if a.Purpose != "" {
		p += Say(lang, "，用途：", "，用途：", ", for ") + quote(a.Purpose, lang)
	}
	return p
}

func (a *BookResourceArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	ev, err := b.BookResource(ctx, actor, a.Resource, a.Start, a.End, a.Purpose)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已預訂 ", "已预订 ", "Booked ") + e.resource(ev.Resource, lang) + " " + e.span(ev.Start, ev.End, lang), Data: ev}, nil
}

// ---- Tasks

// CreateTaskArgs are create_task's arguments.
type CreateTaskArgs struct {
	Title       string `json:"title" jsonschema:"minLength=1,maxLength=300"`
	Assignee    string `json:"assignee,omitempty" jsonschema:"description=employee id; default: the actor"`
	Due         string `json:"due,omitempty" jsonschema:"description=date or date-time"`
	Priority    string `json:"priority,omitempty" jsonschema:"enum=low,enum=normal,enum=high,enum=urgent,default=normal"`
	Description string `json:"description,omitempty"`
}

func (a *CreateTaskArgs) check(e *Env, v *domain.Validator) {
	a.Title = strings.TrimSpace(a.Title)
	v.Check(a.Title != "", "title", "is required")
	if a.Assignee == "" {
		a.Assignee = e.Actor
	}
	if a.Priority == "" {
		a.Priority = "normal"
	}
	e.checkEmployee(v, "assignee", a.Assignee)
	e.checkBound(v, "due", a.Due, false)
}

func (a *CreateTaskArgs) preview(e *Env, lang string) string {
	p := Say(lang, "建立任務 ", "创建任务 ", "Create the task ") + quote(a.Title, lang) + Say(lang, "，負責人：", "，负责人：", ", assigned to ") + e.name(a.Assignee, lang)
	if a.Due != "" {
		p += Say(lang, "，期限：", "，期限：", ", due ") + e.due(a.Due, lang)
	}
	return p + Say(lang, "，優先級：", "，优先级：", ", priority ") + statusName(a.Priority, lang)
}

func (a *CreateTaskArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	t, err := b.CreateTask(ctx, actor, domain.TaskInput{Title: a.Title, Assignee: a.Assignee, Due: a.Due, Priority: a.Priority, Description: a.Description})
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已建立任務 ", "已创建任务 ", "Created the task ") + quote(t.Title, lang) + " (" + t.ID + ")", Data: t}, nil
}

// ListTasksArgs are list_tasks' arguments.
type ListTasksArgs struct {
	Assignee  string `json:"assignee,omitempty"`
	Status    string `json:"status,omitempty" jsonschema:"enum=todo,enum=in_progress,enum=blocked,enum=done"`
	DueBefore string `json:"due_before,omitempty" jsonschema:"description=date or date-time"`
}

func (a *ListTasksArgs) check(e *Env, v *domain.Validator) {
	e.checkEmployee(v, "assignee", a.Assignee)
	e.checkBound(v, "due_before", a.DueBefore, false)
}

func (a *ListTasksArgs) preview(e *Env, lang string) string {
	return Say(lang, "列出任務", "列出任务", "List tasks")
}

func (a *ListTasksArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	f := domain.TaskFilter{Assignee: a.Assignee, Status: a.Status, DueBefore: a.DueBefore, Limit: 100}
	if f.Assignee == "" && f.Status == "" && f.DueBefore == "" {
		f.Assignee = e.Actor // "my tasks"
	}
	ts, err := b.ListTasks(ctx, actor, f)
	if err != nil {
		return Result{}, err
	}
	var ls []string
	for _, t := range ts {
		if a.Status == "" && t.Status == "done" {
			continue
		}
		l := "• " + quote(t.Title, lang) + " — " + e.name(t.Assignee, lang) + ", " + statusName(t.Status, lang)
		if t.Due != "" {
			l += ", " + Say(lang, "期限 ", "期限 ", "due ") + e.due(t.Due, lang)
		}
		ls = append(ls, l)
	}
	return Result{Text: lines(Say(lang, "任務：", "任务：", "Tasks:"), ls, Say(lang, "沒有相符的任務。", "没有相符的任务。", "No matching tasks.")), Data: ts}, nil
}

// UpdateTaskArgs are update_task's arguments; absent fields stay as they are.
type UpdateTaskArgs struct {
	TaskID   string `json:"task_id"`
	Title    string `json:"title,omitempty"`
	Status   string `json:"status,omitempty" jsonschema:"enum=todo,enum=in_progress,enum=blocked,enum=done"`
	Due      string `json:"due,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	Priority string `json:"priority,omitempty" jsonschema:"enum=low,enum=normal,enum=high,enum=urgent"`
}

func (a *UpdateTaskArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.TaskID != "", "task_id", "is required")
	v.Check(a.Title != "" || a.Status != "" || a.Due != "" || a.Assignee != "" || a.Priority != "", "task_id", "nothing to change")
	e.checkEmployee(v, "assignee", a.Assignee)
	e.checkBound(v, "due", a.Due, false)
}

func (a *UpdateTaskArgs) preview(e *Env, lang string) string {
	var ch []string
	if a.Title != "" {
		ch = append(ch, Say(lang, "標題→", "标题→", "title → ")+quote(a.Title, lang))
	}
	if a.Status != "" {
		ch = append(ch, Say(lang, "狀態→", "状态→", "status → ")+statusName(a.Status, lang))
	}
	if a.Due != "" {
		ch = append(ch, Say(lang, "期限→", "期限→", "due → ")+e.due(a.Due, lang))
	}
	if a.Assignee != "" {
		ch = append(ch, Say(lang, "負責人→", "负责人→", "assignee → ")+e.name(a.Assignee, lang))
	}
	if a.Priority != "" {
		ch = append(ch, Say(lang, "優先級→", "优先级→", "priority → ")+statusName(a.Priority, lang))
	}
	return Say(lang, "更新任務 ", "更新任务 ", "Update task ") + a.TaskID + Say(lang, "：", "：", ": ") + strings.Join(ch, Say(lang, "，", "，", ", "))
}

func (a *UpdateTaskArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	var p domain.TaskPatch
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	p.Title, p.Status, p.Due, p.Assignee, p.Priority = opt(a.Title), opt(a.Status), opt(a.Due), opt(a.Assignee), opt(a.Priority)
	t, err := b.UpdateTask(ctx, actor, a.TaskID, p)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已更新任務 ", "已更新任务 ", "Updated ") + quote(t.Title, lang), Data: t}, nil
}

// ---- Leave

// RequestLeaveArgs are request_leave's arguments.
type RequestLeaveArgs struct {
	LeaveType string `json:"leave_type" jsonschema:"enum=annual,enum=sick,enum=personal,enum=compensatory,enum=maternity,enum=paternity,enum=marriage,enum=bereavement,enum=unpaid"`
	Start     string `json:"start" jsonschema:"format=date"`
	End       string `json:"end" jsonschema:"format=date"`
	StartHalf string `json:"start_half,omitempty" jsonschema:"enum=am,enum=pm,default=am"`
	EndHalf   string `json:"end_half,omitempty" jsonschema:"enum=am,enum=pm,default=pm"`
	Reason    string `json:"reason,omitempty"`
}

func (a *RequestLeaveArgs) check(e *Env, v *domain.Validator) {
	in := domain.LeaveInput{LeaveType: a.LeaveType, Start: a.Start, End: a.End, StartHalf: a.StartHalf, EndHalf: a.EndHalf, Reason: a.Reason}
	if _, _, err := domain.NormalizeLeave(&in, e.Loc()); err != nil {
		var de *domain.Error
		if ok := asDomain(err, &de); ok {
			for _, f := range de.Fields {
				v.Check(false, f.Field, f.Message)
			}
		}
	}
	a.StartHalf, a.EndHalf = in.StartHalf, in.EndHalf
}

func (a *RequestLeaveArgs) days(e *Env) float64 {
	s, err1 := domain.ParseDate(a.Start, e.Loc())
	en, err2 := domain.ParseDate(a.End, e.Loc())
	if err1 != nil || err2 != nil {
		return 0
	}
	return e.Settings.Calendar().LeaveDays(s, en, a.StartHalf, a.EndHalf)
}

func half(h, lang string) string {
	if h == "am" {
		return Say(lang, "上午", "上午", "am")
	}
	return Say(lang, "下午", "下午", "pm")
}

func (a *RequestLeaveArgs) preview(e *Env, lang string) string {
	p := Say(lang, "申請", "申请", "Apply for ") + leaveName(a.LeaveType, lang) + Say(lang, "：", "：", ": ") +
		e.dateStr(a.Start, lang) + " " + half(a.StartHalf, lang) + " – " + e.dateStr(a.End, lang) + " " + half(a.EndHalf, lang) +
		Say(lang, "，共 ", "，共 ", ", ") + num(a.days(e)) + Say(lang, " 個工作天", " 个工作日", " working day(s)")
	if a.Reason != "" {
		p += Say(lang, "，原因：", "，原因：", ", reason: ") + quote(a.Reason, lang)
	}
	return p
}

func (a *RequestLeaveArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	lr, err := b.RequestLeave(ctx, actor, domain.LeaveInput{LeaveType: a.LeaveType, Start: a.Start, End: a.End, StartHalf: a.StartHalf, EndHalf: a.EndHalf, Reason: a.Reason})
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已提交請假申請 ", "已提交请假申请 ", "Submitted leave request ") + lr.ID + Say(lang, "，共 ", "，共 ", ", ") + num(lr.Days) + Say(lang, " 天，等待審批。", " 天，等待审批。", " day(s), waiting for approval."), Data: lr}, nil
}

// GetLeaveBalanceArgs are get_leave_balance's arguments.
type GetLeaveBalanceArgs struct {
	LeaveType string `json:"leave_type,omitempty" jsonschema:"enum=annual,enum=sick,enum=personal,enum=compensatory,enum=maternity,enum=paternity,enum=marriage,enum=bereavement,enum=unpaid"`
	Employee  string `json:"employee,omitempty"`
}

func (a *GetLeaveBalanceArgs) check(e *Env, v *domain.Validator) {
	e.checkEmployee(v, "employee", a.Employee)
}

func (a *GetLeaveBalanceArgs) preview(e *Env, lang string) string {
	return Say(lang, "查詢假期餘額", "查询假期余额", "Leave balance")
}

func (a *GetLeaveBalanceArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	bs, err := b.LeaveBalances(ctx, actor, a.Employee, a.LeaveType, e.Now.Year())
	if err != nil {
		return Result{}, err
	}
	who := e.name(e.Actor, lang)
	if a.Employee != "" {
		who = e.name(a.Employee, lang)
	}
	var ls []string
	for _, bl := range bs {
		ls = append(ls, fmt.Sprintf(Say(lang, "• %s：尚餘 %s 天（全年 %s 天，已用 %s 天，待批 %s 天）", "• %s：剩余 %s 天（全年 %s 天，已用 %s 天，待批 %s 天）", "• %s: %s day(s) left (entitled %s, used %s, pending %s)"),
			leaveName(bl.LeaveType, lang), num(bl.Available), num(bl.Entitled), num(bl.Used), num(bl.Pending)))
	}
	return Result{Text: lines(who+Say(lang, " 的假期餘額：", " 的假期余额：", "'s leave balance:"), ls, Say(lang, "沒有假期餘額紀錄。", "没有假期余额记录。", "No balance on record.")), Data: bs}, nil
}

// ListLeaveRequestsArgs are list_leave_requests' arguments.
type ListLeaveRequestsArgs struct {
	Employee string `json:"employee,omitempty"`
	Status   string `json:"status,omitempty" jsonschema:"enum=pending,enum=approved,enum=rejected,enum=returned,enum=cancelled"`
	From     string `json:"from,omitempty" jsonschema:"format=date"`
	To       string `json:"to,omitempty" jsonschema:"format=date"`
}

func (a *ListLeaveRequestsArgs) check(e *Env, v *domain.Validator) {
	e.checkEmployee(v, "employee", a.Employee)
	e.checkDate(v, "from", a.From, false)
	e.checkDate(v, "to", a.To, false)
}

func (a *ListLeaveRequestsArgs) preview(e *Env, lang string) string {
	return Say(lang, "列出請假申請", "列出请假申请", "List leave requests")
}

func (a *ListLeaveRequestsArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	lrs, err := b.ListLeave(ctx, actor, domain.LeaveFilter{Employee: a.Employee, Status: a.Status, From: a.From, To: a.To, Limit: 100})
	if err != nil {
		return Result{}, err
	}
	var ls []string
	for _, lr := range lrs {
		ls = append(ls, fmt.Sprintf("• %s %s %s – %s (%s %s) %s", lr.ID, e.name(lr.Employee, lang), lr.Start, lr.End, num(lr.Days), leaveName(lr.LeaveType, lang), statusName(lr.Status, lang)))
	}
	return Result{Text: lines(Say(lang, "請假申請：", "请假申请：", "Leave requests:"), ls, Say(lang, "沒有相符的請假申請。", "没有相符的请假申请。", "No matching leave requests.")), Data: lrs}, nil
}

// CancelLeaveArgs are cancel_leave's arguments.
type CancelLeaveArgs struct {
	RequestID string `json:"request_id"`
}

func (a *CancelLeaveArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.RequestID != "", "request_id", "is required")
}

func (a *CancelLeaveArgs) preview(e *Env, lang string) string {
	return Say(lang, "取消請假申請 ", "取消请假申请 ", "Cancel leave request ") + a.RequestID
}

func (a *CancelLeaveArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	lr, err := b.CancelLeave(ctx, actor, a.RequestID)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已取消請假申請 ", "已取消请假申请 ", "Cancelled leave request ") + lr.ID, Data: lr}, nil
}

// ---- Expenses

// ExpenseItemArg is one item of create_expense_claim.
type ExpenseItemArg struct {
	Date        string `json:"date" jsonschema:"format=date"`
	Category    string `json:"category" jsonschema:"enum=meals,enum=transport,enum=travel,enum=lodging,enum=entertainment,enum=office_supplies,enum=training,enum=communication,enum=other"`
	Amount      string `json:"amount" jsonschema:"pattern=^[0-9]+(\\.[0-9]{1\\,2})?$,description=decimal string"`
	Currency    string `json:"currency" jsonschema:"pattern=^[A-Z]{3}$,description=ISO 4217"`
	Merchant    string `json:"merchant,omitempty"`
	Description string `json:"description,omitempty"`
	ReceiptID   string `json:"receipt_id,omitempty"`
}

// CreateExpenseClaimArgs are create_expense_claim's arguments.
type CreateExpenseClaimArgs struct {
	Title  string           `json:"title,omitempty"`
	Items  []ExpenseItemArg `json:"items" jsonschema:"minItems=1"`
	Submit bool             `json:"submit,omitempty" jsonschema:"default=false"`
}

func (a *CreateExpenseClaimArgs) check(e *Env, v *domain.Validator) {
	v.Check(len(a.Items) > 0, "items", "a claim needs at least one item")
	for i := range a.Items {
		it := &a.Items[i]
		f := func(n string) string { return fmt.Sprintf("items[%d].%s", i, n) }
		e.checkDate(v, f("date"), it.Date, true)
		v.Check(slices.Contains(domain.Categories, it.Category), f("category"), "must be one of "+strings.Join(domain.Categories, ", "))
		if it.Currency == "" {
			it.Currency = e.Settings.Currency
		}
		it.Currency = strings.ToUpper(it.Currency)
		_, ok := e.Settings.ExchangeRates[it.Currency]
		v.Check(ok, f("currency"), "is not a currency this company accepts")
		d, err := decimal.NewFromString(it.Amount)
		v.Check(err == nil && d.IsPositive() && d.Exponent() >= -2, f("amount"), "must be a positive decimal string such as \"123.40\"")
		if err == nil {
			it.Amount = d.StringFixed(2)
		}
	}
}

func (a *CreateExpenseClaimArgs) preview(e *Env, lang string) string {
	var ls []string
	for _, it := range a.Items {
		l := fmt.Sprintf("• %s %s %s %s", it.Date, categoryName(it.Category, lang), it.Currency, it.Amount)
		if it.Merchant != "" {
			l += " " + quote(it.Merchant, lang)
		}
		ls = append(ls, l)
	}
	head := Say(lang, "建立報銷單", "创建报销单", "Create an expense claim")
	if a.Title != "" {
		head += " " + quote(a.Title, lang)
	}
	if a.Submit {
		head += Say(lang, "並提交審批", "并提交审批", " and submit it for approval")
	} else {
		head += Say(lang, "（草稿，暫不提交）", "（草稿，暂不提交）", " (draft, not submitted)")
	}
	return head + Say(lang, "：", "：", ":") + "\n" + strings.Join(ls, "\n")
}

func (a *CreateExpenseClaimArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	in := domain.ClaimInput{Title: a.Title, Submit: a.Submit}
	for _, it := range a.Items {
		in.Items = append(in.Items, domain.ExpenseItem{Date: it.Date, Category: it.Category, Amount: it.Amount, Currency: it.Currency, Merchant: it.Merchant, Description: it.Description, ReceiptID: it.ReceiptID})
	}
	c, err := b.CreateClaim(ctx, actor, in)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已建立報銷單 ", "已创建报销单 ", "Created claim ") + c.ID + fmt.Sprintf(" (%s %s, %s)", c.Currency, c.Total, statusName(c.Status, lang)), Data: c}, nil
}

// SubmitExpenseClaimArgs are submit_expense_claim's arguments.
type SubmitExpenseClaimArgs struct {
	ClaimID string `json:"claim_id"`
}

func (a *SubmitExpenseClaimArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.ClaimID != "", "claim_id", "is required")
}

func (a *SubmitExpenseClaimArgs) preview(e *Env, lang string) string {
	return Say(lang, "提交報銷單 ", "提交报销单 ", "Submit expense claim ") + a.ClaimID + Say(lang, " 以供審批", " 以供审批", " for approval")
}

func (a *SubmitExpenseClaimArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	c, err := b.SubmitClaim(ctx, actor, a.ClaimID)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已提交報銷單 ", "已提交报销单 ", "Submitted claim ") + c.ID, Data: c}, nil
}

// ListExpenseClaimsArgs are list_expense_claims' arguments.
type ListExpenseClaimsArgs struct {
	Employee string `json:"employee,omitempty"`
	Status   string `json:"status,omitempty" jsonschema:"enum=draft,enum=submitted,enum=approved,enum=rejected,enum=returned,enum=payable,enum=paid,enum=cancelled"`
}

func (a *ListExpenseClaimsArgs) check(e *Env, v *domain.Validator) {
	e.checkEmployee(v, "employee", a.Employee)
}

func (a *ListExpenseClaimsArgs) preview(e *Env, lang string) string {
	return Say(lang, "列出報銷單", "列出报销单", "List expense claims")
}

func (a *ListExpenseClaimsArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	f := domain.ClaimFilter{Employee: a.Employee, Status: a.Status, Limit: 100}
	if f.Employee == "" {
		f.Employee = e.Actor // "my claims"
	}
	cs, err := b.ListClaims(ctx, actor, f)
	if err != nil {
		return Result{}, err
	}
	var ls []string
	for _, c := range cs {
		ls = append(ls, fmt.Sprintf("• %s %s %s %s %s", c.ID, quote(c.Title, lang), c.Currency, c.Total, statusName(c.Status, lang)))
	}
	return Result{Text: lines(Say(lang, "報銷單：", "报销单：", "Expense claims:"), ls, Say(lang, "沒有相符的報銷單。", "没有相符的报销单。", "No matching claims.")), Data: cs}, nil
}

// ScanReceiptArgs are scan_receipt's arguments.
type ScanReceiptArgs struct {
	ReceiptID string `json:"receipt_id"`
}

func (a *ScanReceiptArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.ReceiptID != "", "receipt_id", "is required")
}

func (a *ScanReceiptArgs) preview(e *Env, lang string) string {
	return Say(lang, "讀取收據 ", "读取收据 ", "Read receipt ") + a.ReceiptID
}

func (a *ScanReceiptArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	rs, ok := b.(ReceiptSource)
	if !ok {
		return Result{}, domain.Errorf(domain.EConflict, "receipt scanning is not available here")
	}
	f, err := rs.ScanReceipt(ctx, actor, a.ReceiptID)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: fmt.Sprintf("%s %s %s %s", quote(f.Merchant, lang), f.Date, f.Currency, f.Total), Data: f}, nil
}

// ---- Approvals

// ListPendingApprovalsArgs are list_pending_approvals' (no) arguments.
type ListPendingApprovalsArgs struct{}

func (a *ListPendingApprovalsArgs) check(e *Env, v *domain.Validator) {}

func (a *ListPendingApprovalsArgs) preview(e *Env, lang string) string {
	return Say(lang, "列出待我審批的申請", "列出待我审批的申请", "List what waits for my approval")
}

func (a *ListPendingApprovalsArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	ps, err := b.PendingApprovals(ctx, actor)
	if err != nil {
		return Result{}, err
	}
	var ls []string
	for _, p := range ps {
		emp := e.Employees[p.Requester]
		l := fmt.Sprintf("• %s %s (%s) — %s", p.RequestID, emp.Name, emp.NameEn, quote(p.Summary, lang))
		if p.OnBehalf != "" {
			l += Say(lang, "（代 ", "（代 ", " (for ") + e.name(p.OnBehalf, lang) + Say(lang, " 審批）", " 审批）", ")")
		}
		ls = append(ls, l)
	}
	return Result{Text: lines(Say(lang, "等待你審批：", "等待你审批：", "Waiting for your approval:"), ls, Say(lang, "暫時沒有等你審批的申請。", "暂时没有等你审批的申请。", "Nothing waits for your approval.")), Data: ps}, nil
}

func decidePreview(e *Env, lang, verb, id, note string) string {
	p := verb + " " + id
	if note != "" {
		p += Say(lang, "，備註：", "，备注：", ", note: ") + quote(note, lang)
	}
	return p
}

// ApproveArgs are approve's arguments.
type ApproveArgs struct {
	RequestID string `json:"request_id" jsonschema:"description=id of the leave request or expense claim"`
	Comment   string `json:"comment,omitempty"`
}

func (a *ApproveArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.RequestID != "", "request_id", "is required")
}

func (a *ApproveArgs) preview(e *Env, lang string) string {
	return decidePreview(e, lang, Say(lang, "批准", "批准", "Approve"), a.RequestID, a.Comment)
}

func (a *ApproveArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	return decide(ctx, b, actor, a.RequestID, domain.DecisionApprove, a.Comment, Say(lang, "已批准 ", "已批准 ", "Approved "))
}

// decide records a decision on a request and says what was done.
func decide(ctx context.Context, b Backend, actor domain.Actor, id, decision, comment, done string) (Result, error) {
	ap, err := b.Decide(ctx, actor, id, decision, comment)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: done + id, Data: ap}, nil
}

// RejectArgs are reject's arguments.
type RejectArgs struct {
	RequestID string `json:"request_id"`
	Reason    string `json:"reason" jsonschema:"minLength=1"`
}

func (a *RejectArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.RequestID != "", "request_id", "is required")
	v.Check(strings.TrimSpace(a.Reason) != "", "reason", "is required")
}

func (a *RejectArgs) preview(e *Env, lang string) string {
	return decidePreview(e, lang, Say(lang, "拒絕", "拒绝", "Reject"), a.RequestID, a.Reason)
}

func (a *RejectArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	return decide(ctx, b, actor, a.RequestID, domain.DecisionReject, a.Reason, Say(lang, "已拒絕 ", "已拒绝 ", "Rejected "))
}

// ReturnForChangesArgs are return_for_changes' arguments.
type ReturnForChangesArgs struct {
	RequestID string `json:"request_id"`
	Reason    string `json:"reason" jsonschema:"minLength=1"`
}

func (a *ReturnForChangesArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.RequestID != "", "request_id", "is required")
	v.Check(strings.TrimSpace(a.Reason) != "", "reason", "is required")
}

func (a *ReturnForChangesArgs) preview(e *Env, lang string) string {
	return decidePreview(e, lang, Say(lang, "退回修改", "退回修改", "Return for changes:"), a.RequestID, a.Reason)
}

func (a *ReturnForChangesArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	return decide(ctx, b, actor, a.RequestID, domain.DecisionReturn, a.Reason, Say(lang, "已退回 ", "已退回 ", "Returned "))
}

// SetDelegateArgs are set_delegate's arguments.
type SetDelegateArgs struct {
	Delegate string `json:"delegate" jsonschema:"description=employee id"`
	Start    string `json:"start" jsonschema:"format=date"`
	End      string `json:"end" jsonschema:"format=date"`
}

func (a *SetDelegateArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.Delegate != "", "delegate", "is required")
	e.checkEmployee(v, "delegate", a.Delegate)
	v.Check(a.Delegate != e.Actor, "delegate", "you cannot delegate to yourself")
	e.checkDate(v, "start", a.Start, true)
	e.checkDate(v, "end", a.End, true)
	v.Check(a.End >= a.Start, "end", "is before start")
}

func (a *SetDelegateArgs) preview(e *Env, lang string) string {
	return Say(lang, "授權 ", "授权 ", "Let ") + e.name(a.Delegate, lang) + Say(lang, " 於 ", " 于 ", " decide your approvals from ") +
		e.dateStr(a.Start, lang) + " – " + e.dateStr(a.End, lang) + Say(lang, " 代你審批所有申請", " 代你审批所有申请", "")
}

func (a *SetDelegateArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	d, err := b.SetDelegate(ctx, actor, a.Delegate, a.Start, a.End)
	if err != nil {
		return Result{}, err
	}
	return Result{Text: Say(lang, "已設定代批人 ", "已设置代批人 ", "Delegate set: ") + e.name(d.Delegate, lang), Data: d}, nil
}

// ---- Meetings and knowledge

// SummarizeMeetingArgs are summarize_meeting's arguments.
type SummarizeMeetingArgs struct {
	MeetingID string `json:"meeting_id"`
}

func (a *SummarizeMeetingArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.MeetingID != "", "meeting_id", "is required")
}

func (a *SummarizeMeetingArgs) preview(e *Env, lang string) string {
	return Say(lang, "總結會議 ", "总结会议 ", "Summarize meeting ") + a.MeetingID
}

func (a *SummarizeMeetingArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	ms, ok := b.(MeetingSource)
	if !ok {
		return Result{}, domain.Errorf(domain.EConflict, "meeting transcripts are not available here")
	}
	m, err := ms.Meeting(ctx, actor, a.MeetingID)
	if err != nil {
		return Result{}, err
	}
	items, err := ms.ActionItems(ctx, actor, a.MeetingID)
	if err != nil {
		return Result{}, err
	}
	// The transcript and the summary are quoted data: shown, never followed.
	text := quote(m.Title, lang) + " " + m.Date
	if m.Summary != nil && len(m.Summary.KeyPoints)+len(m.Summary.Decisions) > 0 {
		text += "\n" + lines(Say(lang, "重點：", "要点：", "Key points:"), quotedPoints(m.Summary.KeyPoints), "")
		if len(m.Summary.Decisions) > 0 {
			text += "\n" + lines(Say(lang, "決定：", "决定：", "Decisions:"), quotedPoints(m.Summary.Decisions), "")
		}
	} else {
		var ls []string
		for _, l := range strings.Split(strings.TrimSpace(m.Transcript), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				ls = append(ls, "> "+l)
			}
		}
		if len(ls) > 30 {
			ls = ls[:30]
		}
		text += "\n" + strings.Join(ls, "\n")
	}
	if len(items) > 0 {
		var is []string
		for i, it := range items {
			s := fmt.Sprintf("%d. %s — %s", i+1, e.owner(it.Owner, lang), quote(it.Task, lang))
			if it.Due != "" {
				s += " (" + it.Due + ")"
			}
			is = append(is, s)
		}
		text += "\n" + Say(lang, "跟進事項：", "跟进事项：", "Action items:") + "\n" + strings.Join(is, "\n")
	}
	return Result{Text: text, Data: map[string]any{"meeting": m, "action_items": items}}, nil
}

func quotedPoints(ps []domain.SummaryPoint) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, "> "+p.Text)
	}
	return out
}

// owner names an action item's owner; nobody named is said so.
func (e *Env) owner(id, lang string) string {
	if id == "" {
		return Say(lang, "（未指定）", "（未指定）", "(nobody named)")
	}
	return e.name(id, lang)
}

// CreateTasksFromMeetingArgs are create_tasks_from_meeting's arguments.
type CreateTasksFromMeetingArgs struct {
	MeetingID string `json:"meeting_id"`
	Items     []int  `json:"items,omitempty" jsonschema:"description=indexes (from 1) of action items; default all"`
	// Tasks are filled from the meeting's action items when the proposal is
	// made (Prepare), so that its preview lists every task and its digest
	// binds exactly those: what is confirmed is what is created.
	Tasks []MeetingTask `json:"tasks,omitempty" jsonschema:"description=filled in by banli from the meeting's action items; leave out"`
}

// MeetingTask is one task create_tasks_from_meeting will create.
type MeetingTask struct {
	Title    string `json:"title"`
	Assignee string `json:"assignee,omitempty" jsonschema:"description=employee id; the actor when empty"`
	Due      string `json:"due,omitempty"`
}

func (a *CreateTasksFromMeetingArgs) check(e *Env, v *domain.Validator) {
	v.Check(a.MeetingID != "", "meeting_id", "is required")
	for i, n := range a.Items {
		v.Check(n >= 0, fmt.Sprintf("items[%d]", i), "must not be negative")
	}
	for i, t := range a.Tasks {
		v.Check(strings.TrimSpace(t.Title) != "", fmt.Sprintf("tasks[%d].title", i), "is required")
		e.checkEmployee(v, fmt.Sprintf("tasks[%d].assignee", i), t.Assignee)
		v.Check(t.Due == "" || domain.ValidDue(t.Due, e.Loc()), fmt.Sprintf("tasks[%d].due", i), "must be a date or an RFC 3339 date-time")
	}
}

// prepare lists the tasks the proposal will create: the meeting's action
// items (those chosen by items), whatever a planner put in tasks.
func (a *CreateTasksFromMeetingArgs) prepare(ctx context.Context, b Backend, actor domain.Actor, e *Env) error {
	ms, ok := b.(MeetingSource)
	if !ok {
		return domain.Errorf(domain.EConflict, "meeting transcripts are not available here")
	}
	items, err := ms.ActionItems(ctx, actor, a.MeetingID)
	if err != nil {
		return err
	}
	a.Tasks = nil
	for i, it := range items {
		if len(a.Items) > 0 && !slices.Contains(a.Items, i+1) && !slices.Contains(a.Items, i) {
			continue
		}
		a.Tasks = append(a.Tasks, MeetingTask{Title: it.Task, Assignee: it.Owner, Due: it.Due})
	}
	if len(a.Tasks) == 0 {
		return domain.Errorf(domain.EConflict, "meeting %s has no action items to turn into tasks", a.MeetingID)
	}
	var v domain.Validator
	a.check(e, &v)
	return v.Err()
}

func (a *CreateTasksFromMeetingArgs) preview(e *Env, lang string) string {
	p := Say(lang, "按會議 ", "按会议 ", "Create tasks from the action items of meeting ") + a.MeetingID + Say(lang, " 的跟進事項建立任務", " 的跟进事项创建任务", "")
	if len(a.Tasks) == 0 {
		if len(a.Items) > 0 {
			p += fmt.Sprintf(" %v", a.Items)
		}
		return p
	}
	p += Say(lang, "：", "：", ":")
	for i, t := range a.Tasks {
		who := t.Assignee
		if who == "" {
			who = e.Actor
		}
		p += fmt.Sprintf("\n  %d. %s — %s", i+1, quote(t.Title, lang), e.name(who, lang))
		if t.Due != "" {
			p += Say(lang, "，限期 ", "，期限 ", ", due ") + t.Due
		}
	}
	return p
}

func (a *CreateTasksFromMeetingArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	if len(a.Tasks) == 0 {
		// Arguments that were not prepared: the meeting's items now.
		if err := a.prepare(ctx, b, actor, e); err != nil {
			return Result{}, err
		}
	}
	var made []domain.Task
	for _, t := range a.Tasks {
		task, err := b.CreateTask(ctx, actor, domain.TaskInput{Title: t.Title, Assignee: t.Assignee, Due: t.Due, MeetingID: a.MeetingID})
		if err != nil {
			return Result{Data: made}, err
		}
		made = append(made, task)
	}
	return Result{Text: fmt.Sprintf(Say(lang, "已建立 %d 項任務。", "已创建 %d 项任务。", "Created %d task(s)."), len(made)), Data: made}, nil
}

// SearchKnowledgeArgs are search_knowledge's arguments.
type SearchKnowledgeArgs struct {
	Query string `json:"query" jsonschema:"minLength=1"`
}

func (a *SearchKnowledgeArgs) check(e *Env, v *domain.Validator) {
	v.Check(strings.TrimSpace(a.Query) != "", "query", "is required")
}

func (a *SearchKnowledgeArgs) preview(e *Env, lang string) string {
	return Say(lang, "搜尋公司文件：", "搜索公司文件：", "Search documents: ") + quote(a.Query, lang)
}

func (a *SearchKnowledgeArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	var docs []domain.Document
	if ka, ok := b.(KnowledgeAnswerer); ok {
		ans, err := ka.AnswerKnowledge(ctx, actor, a.Query, 3)
		if err != nil {
			return Result{}, err
		}
		if ans.Answer != "" {
			return Result{Text: answerText(ans, lang), Data: ans}, nil
		}
		docs = ans.Passages
	} else if ks, ok := b.(KnowledgeSource); ok {
		var err error
		if docs, err = ks.SearchDocuments(ctx, actor, a.Query, 3); err != nil {
			return Result{}, err
		}
	} else {
		return Result{}, domain.Errorf(domain.EConflict, "the knowledge base is not available here")
	}
	var ls []string
	for _, d := range docs {
		ls = append(ls, citation(d, lang)+"\n> "+strings.ReplaceAll(strings.TrimSpace(d.Text), "\n", "\n> "))
	}
	return Result{Text: lines(Say(lang, "相關文件：", "相关文件：", "Relevant documents:"), ls, Say(lang, "找不到相關文件。", "找不到相关文件。", "Nothing relevant found.")), Data: docs}, nil
}

// answerText renders a model's answer followed by the passages it cites
// (all of them when it cites none).
func answerText(ans domain.KnowledgeAnswer, lang string) string {
	cited := ans.Cited
	if len(cited) == 0 {
		for i := range ans.Passages {
			cited = append(cited, i+1)
		}
	}
	var ls []string
	for _, n := range cited {
		ls = append(ls, fmt.Sprintf("[%d] %s", n, citation(ans.Passages[n-1], lang)))
	}
	return ans.Answer + "\n\n" + lines(Say(lang, "來源：", "来源：", "Sources:"), ls, "")
}

// citation names a passage's source: its title, and for a meeting what it is.
func citation(d domain.Document, lang string) string {
	s := quote(d.Title, lang)
	switch d.Kind {
	case "meeting":
		s += Say(lang, "（會議紀錄）", "（会议记录）", " (meeting transcript)")
	case "meeting_summary":
		s += Say(lang, "（會議摘要）", "（会议摘要）", " (meeting summary)")
	}
	return s
}

// TeamReportArgs are team_report's arguments.
type TeamReportArgs struct {
	Department string `json:"department,omitempty" jsonschema:"description=department id; default: the actor's team"`
	From       string `json:"from" jsonschema:"format=date"`
	To         string `json:"to" jsonschema:"format=date"`
}

func (a *TeamReportArgs) check(e *Env, v *domain.Validator) {
	if a.Department != "" {
		_, ok := e.Departments[a.Department]
		v.Check(ok, "department", fmt.Sprintf("%q is not a department id", a.Department))
	}
	e.checkDate(v, "from", a.From, true)
	e.checkDate(v, "to", a.To, true)
}

func (a *TeamReportArgs) preview(e *Env, lang string) string {
	return Say(lang, "團隊報告 ", "团队报告 ", "Team report ") + e.department(a.Department, lang) + " " + a.From + " – " + a.To
}

func (a *TeamReportArgs) execute(ctx context.Context, b Backend, actor domain.Actor, e *Env, lang string) (Result, error) {
	board, err := b.TaskBoard(ctx, actor, a.Department, 20)
	if err != nil {
		return Result{}, err
	}
	leave, err := b.ListLeave(ctx, actor, domain.LeaveFilter{From: a.From, To: a.To, Limit: 200})
	if err != nil {
		return Result{}, err
	}
	var ls []string
	for _, c := range board.Columns {
		ls = append(ls, fmt.Sprintf("• %s: %d", statusName(c.Status, lang), c.Count))
	}
	var lv []string
	for _, lr := range leave {
		if lr.Status == domain.StatusCancelled || lr.Status == domain.StatusRejected {
			continue
		}
		if a.Department != "" && e.Employees[lr.Employee].Department != a.Department {
			continue
		}
		lv = append(lv, fmt.Sprintf("• %s %s – %s %s (%s)", e.name(lr.Employee, lang), lr.Start, lr.End, leaveName(lr.LeaveType, lang), statusName(lr.Status, lang)))
	}
	text := Say(lang, "任務：", "任务：", "Tasks:") + "\n" + strings.Join(ls, "\n") + "\n" +
		lines(Say(lang, "請假：", "请假：", "Leave:"), lv, Say(lang, "期間沒有請假。", "期间没有请假。", "No leave in the period."))
	return Result{Text: text, Data: map[string]any{"tasks": board, "leave": leave}}, nil
}
