package builtin

import (
	"context"
	"regexp"
	"strings"

	"github.com/banlihq/banli/nlu/lexicon"
	"github.com/banlihq/banli/nlu/money"
	"github.com/banlihq/banli/nlu/when"
	"github.com/banlihq/banli/nlu/zh"
)

// mainland are words that put 元 and 塊 in renminbi.
var mainland = []string{"人民幣", "人民币", "深圳", "广州", "廣州", "上海", "北京", "內地", "内地", "大陸", "大陆", "東莞", "东莞", "珠海", "中山", "佛山", "杭州", "滴滴", "高鐵", "高铁", "城際", "城际", "內地", "mainland", "china", "shenzhen", "guangzhou", "shanghai", "beijing", "打车", "块钱"}

// amounts finds the sums of money in the utterance.
func (u *utter) amounts() []money.Amount {
	opt := money.Options{Default: u.req.Currency}
	if u.lang == "zh-Hans" || u.has(mainland...) || u.actorInMainland() {
		opt.Yuan = "CNY"
	}
	return money.Find(u.text, opt)
}

// actorInMainland reports a speaker whose department is in mainland China.
func (u *utter) actorInMainland() bool {
	me, ok := u.req.Dir.Employee(u.req.Actor)
	if !ok {
		return false
	}
	d, ok := u.req.Dir.Department(me.Department)
	if !ok {
		return false
	}
	f := zh.Fold(d.Name + " " + strings.ToLower(d.NameEn))
	for _, w := range mainland[2:14] {
		if strings.Contains(f, zh.Fold(w)) {
			return true
		}
	}
	return false
}

func planCreateClaim(ctx context.Context, u *utter) (Plan, error) {
	ams := u.amounts()
	if len(ams) == 0 && len(u.req.Attachments) > 0 {
		return planClaimFromReceipts(ctx, u)
	}
	if len(ams) == 0 {
		return clarify(ToolCreateExpenseClaim, map[string]any{}, "amount"), nil
	}
	past := when.Parse(u.text, u.now, when.Options{DayFirst: u.opt.DayFirst, Lean: when.Past})
	cats := lexicon.ExpenseCategories.FindAll(u.text)
	explicit, hasExplicit := u.explicitCategory()
	client := u.clientMeal()
	merchant := u.merchant(ams, cats)
	var items []any
	prevCat := ""
	// "taxi SGD 32 on 10 Nov and dinner SGD 85 on 11 Nov": when no date comes
	// before the first amount, dates follow their amounts.
	datesAfter := len(ams) > 1
	for _, d := range past.Dates {
		if d.Start < ams[0].Start {
			datesAfter = false
		}
	}
	for i, a := range ams {
		item := map[string]any{"amount": a.Value, "currency": a.Currency, "category": "other"}
		// Each amount owns the text from the previous amount to the next one:
		// its category and date are found there, before it first.
		lo, hi := 0, len(u.orig)
		if i > 0 {
			lo = ams[i-1].End
		}
		if i+1 < len(ams) {
			hi = ams[i+1].Start
		}
		cat := ""
		for _, c := range cats {
			if c.Start >= lo && c.Start < a.Start {
				cat = c.Value
			}
		}
		if cat == "" && i == 0 {
			for _, c := range cats {
				if c.Start >= a.End && c.Start < hi {
					cat = c.Value
					break
				}
			}
		}
		if cat == "" && i > 0 {
			cat = prevCat
		}
		if cat == "" && i == 0 && len(cats) > 0 {
			cat = cats[0].Value
		}
		if cat == "meals" && client || cat == "" && client {
			cat = "entertainment"
		}
		if hasExplicit && len(ams) == 1 {
			cat = explicit
		}
		if cat != "" {
			item["category"] = cat
		}
		prevCat = cat
		date := when.DateOf(u.now)
		found := false
		for _, d := range past.Dates {
			if d.Start >= lo && d.Start < a.Start && !(datesAfter && i > 0) {
				date, found = d.From, true
			}
		}
		if !found {
			for _, d := range past.Dates {
				if d.Start >= a.End && d.Start < hi {
					date, found = d.From, true
					break
				}
			}
		}
		if !found {
			if d, ok := past.FirstDate(); ok {
				date = d
			}
		}
		item["date"] = date.String()
		if merchant == "" && len(ams) == 1 {
			for _, b := range []string{"滴滴", "didi", "uber", "grab", "gogovan", "lalamove", "foodpanda", "deliveroo", "八達通"} {
				if i, n := u.index(b); i >= 0 {
					merchant = string(u.orig[i : i+n])
				}
			}
		}
		if merchant != "" && len(ams) == 1 {
			item["merchant"] = merchant
		}
		items = append(items, item)
	}
	args := map[string]any{"items": items}
	if u.has("提交", "submit", "遞交", "递交", "送審", "send it", "交埋", "送出") {
		args["submit"] = true
	}
	return call(ToolCreateExpenseClaim, args), nil
}

// explicitCategory reads a category named by its enum word ("報entertainment").
func (u *utter) explicitCategory() (string, bool) {
	for _, c := range []string{"entertainment", "office_supplies", "office supplies", "communication", "transport", "training", "lodging", "travel", "meals", "other"} {
		if u.word(c) {
			return strings.ReplaceAll(c, " ", "_"), true
		}
	}
	return "", false
}

// clientMeal reports a meal with clients or suppliers: entertainment.
func (u *utter) clientMeal() bool {
	return u.has("客戶", "客户", "同客", "見客", "见客", "client", "customer", "buyer", "供應商", "供应商", "supplier", "招待", "請客", "请客", "老總", "老总", "個客", "个客", "guest") &&
		!u.has("自己食", "my own", "自己的", "自己嘅")
}

// merchant reads where the money was spent: "喺商務印書館", "在美心皇宮",
// "at Marina Hotel", or a short clause of its own ("，翠園，").
func (u *utter) merchant(ams []money.Amount, cats []lexicon.Match) string {
	if i, n := u.index("喺", "在", "於", " at ", "from "); i >= 0 {
		s := i + n
		e := s
		for e < len(u.orig) && !isClauseEnd(u.orig[e]) && !(u.orig[e] == ' ' && e+2 < len(u.orig) && (u.fs[e:min(len(u.fs), e+4)] == " on " || strings.HasPrefix(string(u.f[e:]), " for "))) {
			e++
		}
		m := trimParticles(string(u.orig[s:e]))
		// Not a date, an amount or a room: "在週五", "at 3pm".
		if m != "" && !u.spanHasEntity(s, e, ams) && contentScore(m) >= 2 && !u.has("出差") {
			return m
		}
	}
	start := 0
	for i := 0; i <= len(u.orig); i++ {
		if i == len(u.orig) || isClauseEnd(u.orig[i]) {
			seg := strings.TrimSpace(string(u.orig[start:i]))
			if seg != "" && start > 0 && len([]rune(seg)) <= 12 && !u.spanHasEntity(start, i, ams) && !lexicon.Has(seg, cueExpense...) && !lexicon.Has(seg, "幫我", "帮我", "submit", "提交", "報", "报", "claim", "入", "送出", "順便", "顺便", "直接") {
				inCat := false
				for _, c := range cats {
					if c.Start >= start && c.Start < i {
						inCat = true
					}
				}
				if !inCat {
					return seg
				}
			}
			start = i + 1
		}
	}
	return ""
}

// spanHasEntity reports a date, time, person or amount within [s, e).
func (u *utter) spanHasEntity(s, e int, ams []money.Amount) bool {
	for _, sp := range u.entitySpans() {
		if sp[0] < e && s < sp[1] {
			return true
		}
	}
	for _, a := range ams {
		if a.Start < e && s < a.End {
			return true
		}
	}
	return false
}

func (u *utter) claims(ctx context.Context) ([]ClaimRef, error) {
	if u.req.Lookup == nil {
		return nil, nil
	}
	return u.req.Lookup.ExpenseClaims(ctx)
}

func planSubmitClaim(ctx context.Context, u *utter) (Plan, error) {
	cs, err := u.claims(ctx)
	if err != nil {
		return Plan{}, err
	}
	var drafts []ClaimRef
	for _, c := range cs {
		if c.Employee == u.req.Actor && (c.Status == "draft" || c.Status == "returned") {
			drafts = append(drafts, c)
		}
	}
	var best []ClaimRef
	bestH := 0
	for _, c := range drafts {
		h, _ := overlap(u.text, c.Title)
		if id := strings.ToLower(c.ID); strings.Contains(strings.ToLower(u.text), id) {
			h += 10
		}
		switch {
		case h > bestH:
			best, bestH = []ClaimRef{c}, h
		case h == bestH:
			best = append(best, c)
		}
	}
	switch {
	case len(best) == 1:
		return call(ToolSubmitExpenseClaim, map[string]any{"claim_id": best[0].ID}), nil
	case len(drafts) == 0:
		return Plan{Reply: u.say(msgNoItem)}, nil
	}
	return clarify(ToolSubmitExpenseClaim, map[string]any{}, "claim_id"), nil
}

func planListClaims(ctx context.Context, u *utter) (Plan, error) {
	args := map[string]any{}
	if id, ok := u.otherPerson(); ok {
		args["employee"] = id
	}
	if m, ok := lexicon.RequestStatuses.Find(u.text); ok && m.Value != "pending" {
		args["status"] = m.Value
	} else if ok {
		args["status"] = "submitted"
	}
	return call(ToolListExpenseClaims, args), nil
}

var reReceiptID = regexp.MustCompile(`(?i)\b([a-z]{1,8}[-_]?\d+[a-z0-9-]*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b`)

func planScanReceipt(ctx context.Context, u *utter) (Plan, error) {
	if m := reReceiptID.FindString(u.text); m != "" {
		return call(ToolScanReceipt, map[string]any{"receipt_id": m}), nil
	}
	if len(u.req.Attachments) > 0 {
		return call(ToolScanReceipt, map[string]any{"receipt_id": u.req.Attachments[0]}), nil
	}
	return clarify(ToolScanReceipt, map[string]any{}, "receipt_id"), nil
}
