package tools

import (
	"fmt"
	"strings"
	"time"

	"github.com/banlihq/banli/domain"
)

// name renders an employee id as a name in lang; unknown ids stay ids.
func (e *Env) name(id, lang string) string {
	emp, ok := e.Employees[id]
	if !ok {
		return id
	}
	if lang == "en" && emp.NameEn != "" {
		return emp.NameEn
	}
	return emp.Name
}

func (e *Env) names(ids []string, lang string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = e.name(id, lang)
	}
	return strings.Join(out, Say(lang, "、", "、", ", "))
}

func (e *Env) resource(id, lang string) string {
	r, ok := e.Resources[id]
	if !ok {
		return id
	}
	if lang == "en" && r.NameEn != "" {
		return r.NameEn
	}
	return r.Name
}

func (e *Env) department(id, lang string) string {
	d, ok := e.Departments[id]
	if !ok {
		return id
	}
	if lang == "en" && d.NameEn != "" {
		return d.NameEn
	}
	return d.Name
}

var weekdays = map[string][7]string{
	"zh-Hant": {"日", "一", "二", "三", "四", "五", "六"},
	"zh-Hans": {"日", "一", "二", "三", "四", "五", "六"},
}

// day renders a date with its weekday.
func (e *Env) day(t time.Time, lang string) string {
	t = t.In(e.Loc())
	if lang == "en" {
		return t.Format("Mon 2 Jan 2006")
	}
	return fmt.Sprintf("%s（週%s）", t.Format("2006-01-02"), weekdays[lang][t.Weekday()])
}

// dateStr renders a YYYY-MM-DD string with its weekday.
func (e *Env) dateStr(s, lang string) string {
	t, err := domain.ParseDate(s, e.Loc())
	if err != nil {
		return s
	}
	return e.day(t, lang)
}

// span renders a time span in the tenant's zone.
func (e *Env) span(s, en time.Time, lang string) string {
	s, en = s.In(e.Loc()), en.In(e.Loc())
	if s.Format("2006-01-02") == en.Format("2006-01-02") {
		return e.day(s, lang) + " " + s.Format("15:04") + "–" + en.Format("15:04")
	}
	return e.day(s, lang) + " " + s.Format("15:04") + " – " + e.day(en, lang) + " " + en.Format("15:04")
}

// due renders a date or date-time.
func (e *Env) due(s, lang string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return e.day(t, lang) + " " + t.In(e.Loc()).Format("15:04")
	}
	return e.dateStr(s, lang)
}

// bound parses a date or an RFC 3339 date-time; a date as an end bound
// means the end of that day.
func (e *Env) bound(s string, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := domain.ParseDate(s, e.Loc())
	if err != nil {
		return time.Time{}, err
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// checkBound validates a date or date-time argument.
func (e *Env) checkBound(v *domain.Validator, field, s string, required bool) {
	if s == "" {
		v.Check(!required, field, "is required")
		return
	}
	_, err := e.bound(s, false)
	v.Check(err == nil, field, "must be a date (YYYY-MM-DD) or an RFC 3339 date-time")
}

func (e *Env) checkDate(v *domain.Validator, field, s string, required bool) {
	if s == "" {
		v.Check(!required, field, "is required")
		return
	}
	_, err := domain.ParseDate(s, e.Loc())
	v.Check(err == nil, field, "must be a date (YYYY-MM-DD)")
}

func checkDateTime(v *domain.Validator, field, s string, required bool) {
	if s == "" {
		v.Check(!required, field, "is required")
		return
	}
	_, err := time.Parse(time.RFC3339, s)
	v.Check(err == nil, field, "must be an RFC 3339 date-time such as 2026-11-24T15:00:00+08:00")
}

func (e *Env) checkEmployee(v *domain.Validator, field, id string) {
	if id == "" {
		return
	}
	emp, ok := e.Employees[id]
	v.Check(ok && emp.Active, field, fmt.Sprintf("%q is not an active employee id", id))
}

func (e *Env) checkResource(v *domain.Validator, field, id string) {
	if id == "" {
		return
	}
	_, ok := e.Resources[id]
	v.Check(ok, field, fmt.Sprintf("%q is not a resource id", id))
}

var leaveNames = map[string][3]string{
	"annual": {"年假", "年假", "annual leave"}, "sick": {"病假", "病假", "sick leave"}, "personal": {"事假", "事假", "personal leave"},
	"compensatory": {"補假", "补假", "compensatory leave"}, "maternity": {"產假", "产假", "maternity leave"},
	"paternity": {"侍產假", "陪产假", "paternity leave"}, "marriage": {"婚假", "婚假", "marriage leave"},
	"bereavement": {"喪假", "丧假", "bereavement leave"}, "unpaid": {"無薪假", "无薪假", "unpaid leave"},
}

func leaveName(t, lang string) string {
	n, ok := leaveNames[t]
	if !ok {
		return t
	}
	return Say(lang, n[0], n[1], n[2])
}

var statusNames = map[string][3]string{
	"pending": {"待審批", "待审批", "pending"}, "approved": {"已批准", "已批准", "approved"}, "rejected": {"已拒絕", "已拒绝", "rejected"},
	"returned": {"已退回", "已退回", "returned"}, "cancelled": {"已取消", "已取消", "cancelled"}, "draft": {"草稿", "草稿", "draft"},
	"submitted": {"已提交", "已提交", "submitted"}, "payable": {"待付款", "待付款", "payable"}, "paid": {"已付款", "已付款", "paid"},
	"todo": {"待辦", "待办", "to do"}, "in_progress": {"進行中", "进行中", "in progress"}, "blocked": {"受阻", "受阻", "blocked"}, "done": {"已完成", "已完成", "done"},
	"low": {"低", "低", "low"}, "normal": {"一般", "一般", "normal"}, "high": {"高", "高", "high"}, "urgent": {"緊急", "紧急", "urgent"},
}

func statusName(s, lang string) string {
	n, ok := statusNames[s]
	if !ok {
		return s
	}
	return Say(lang, n[0], n[1], n[2])
}

var categoryNames = map[string][3]string{
	"meals": {"膳食", "餐费", "meals"}, "transport": {"交通", "交通", "transport"}, "travel": {"差旅", "差旅", "travel"},
	"lodging": {"住宿", "住宿", "lodging"}, "entertainment": {"應酬", "招待", "entertainment"}, "office_supplies": {"文具", "办公用品", "office supplies"},
	"training": {"培訓", "培训", "training"}, "communication": {"通訊", "通讯", "communication"}, "other": {"其他", "其他", "other"},
}

func categoryName(c, lang string) string {
	n, ok := categoryNames[c]
	if !ok {
		return c
	}
	return Say(lang, n[0], n[1], n[2])
}

// quote marks content (titles, transcripts, documents) as quoted data.
func quote(s, lang string) string {
	if lang == "en" {
		return "“" + s + "”"
	}
	return "「" + s + "」"
}

func num(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// lines joins non-empty lines.
func lines(head string, items []string, empty string) string {
	if len(items) == 0 {
		return empty
	}
	return head + "\n" + strings.Join(items, "\n")
}
