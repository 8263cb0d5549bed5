package builtin

import "strings"

// message is one text in each language.
type message struct{ hant, hans, yue, en string }

var (
	msgNotUnderstood  = message{"抱歉，我不太明白。你可以請假、約會議、建立任務、報銷或處理審批。", "抱歉，我不太明白。你可以请假、约会议、建立任务、报销或处理审批。", "唔好意思，我唔係好明。你可以請假、約會、開task、報銷或者批申請。", "Sorry, I didn't understand. I can book meetings, create tasks, apply for leave, claim expenses and handle approvals."}
	msgNoMatch        = message{"找不到符合描述的待審批申請。", "找不到符合描述的待审批申请。", "搵唔到符合嘅待批申請。", "I couldn't find a pending request matching that."}
	msgNoEvent        = message{"找不到符合描述的會議。", "找不到符合描述的会议。", "搵唔到你講嘅會議。", "I couldn't find that event."}
	msgNoTask         = message{"找不到符合描述的任務。", "找不到符合描述的任务。", "搵唔到你講嘅task。", "I couldn't find that task."}
	msgReceiptNoTotal = message{"讀不到收據的總額，請告訴我金額。", "读不到收据的总额，请告诉我金额。", "睇唔到張單總數，幾多錢？", "I couldn't read the receipt's total; how much was it?"}
	msgNoItem         = message{"找不到符合描述的記錄。", "找不到符合描述的记录。", "搵唔到你講嘅記錄。", "I couldn't find that record."}
)

// argNames are how the questions name missing arguments.
var argNames = map[string]message{
	"start":            {"開始時間", "开始时间", "幾時開始", "start time"},
	"end":              {"結束日期", "结束日期", "幾時完", "end"},
	"attendees":        {"與會者是哪一位", "与会者是哪一位", "係邊位同事", "which colleague"},
	"assignee":         {"負責人是哪一位", "负责人是哪一位", "係邊位同事", "which colleague"},
	"title":            {"標題／內容", "标题／内容", "做咩", "what it is about"},
	"resource":         {"哪個會議室或設備", "哪个会议室或设备", "邊間房或者邊件設備", "which room or equipment"},
	"leave_type":       {"假期類別", "假期类别", "咩假", "leave type"},
	"request_id":       {"哪一項申請", "哪一项申请", "邊份申請", "which request"},
	"event_id":         {"哪一個會議", "哪一个会议", "邊個會", "which event"},
	"task_id":          {"哪一項任務", "哪一项任务", "邊個task", "which task"},
	"claim_id":         {"哪一張報銷單", "哪一张报销单", "邊張報銷單", "which claim"},
	"items":            {"金額及項目", "金额及项目", "幾多錢、咩嘢", "the amount and what it was for"},
	"amount":           {"金額", "金额", "幾多錢", "amount"},
	"reason":           {"原因", "原因", "原因", "reason"},
	"delegate":         {"代理人", "代理人", "邊個代你", "who should act for you"},
	"meeting_id":       {"哪一個會議", "哪一个会议", "邊個會", "which meeting"},
	"receipt_id":       {"哪一張收據", "哪一张收据", "邊張單", "which receipt"},
	"from":             {"開始日期", "开始日期", "由幾時", "from when"},
	"to":               {"結束日期", "结束日期", "到幾時", "until when"},
	"duration_minutes": {"需時多久", "需时多久", "要幾耐", "how long"},
	"query":            {"要查甚麼", "要查什么", "查咩", "what to look up"},
}

// say renders a message in the utterance's language.
func (u *utter) say(m message) string { return pick(u.lang, m) }

func pick(lang string, m message) string {
	switch lang {
	case "zh-Hans":
		return m.hans
	case "yue":
		return m.yue
	case "en":
		return m.en
	}
	return m.hant
}

// ask asks for the missing arguments, naming them.
func (u *utter) ask(missing []string) string {
	var names []string
	for _, a := range missing {
		if m, ok := argNames[a]; ok {
			names = append(names, pick(u.lang, m))
		} else {
			names = append(names, a)
		}
	}
	switch u.lang {
	case "en":
		return "Please tell me: " + strings.Join(names, ", ") + "?"
	case "zh-Hans":
		return "请告诉我：" + strings.Join(names, "、") + "？"
	case "yue":
		return "想問下：" + strings.Join(names, "、") + "？"
	}
	return "請告訴我：" + strings.Join(names, "、") + "？"
}
