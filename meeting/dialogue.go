package meeting

import (
	"strings"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/nlu/when"
)

// thin reports a task that says too little on its own ("我嚟跟進", "I'll
// copy you") and is read with what was said before it. Chinese content is
// counted in characters, English in words.
func thin(task string) bool {
	if latinText(task) {
		return contentTokens(task) < 2
	}
	return contentTokens(task) < 3
}

// short reports a reply short enough to be an answer to a request
// ("好，我聽日打", "Sure, I'll copy you") rather than a new undertaking.
func short(task string) bool {
	if latinText(task) {
		return contentTokens(task) <= 4
	}
	return contentTokens(task) <= 8
}

// brief is stricter than short: a follow-up that only finishes an offer
// ("Send me the draft by the 7th", "問清楚後回覆大家").
func brief(task string) bool {
	if latinText(task) {
		return contentTokens(task) <= 3
	}
	return contentTokens(task) <= 8
}

// latinText reports text with more Latin words than Chinese characters.
func latinText(s string) bool {
	han, latin := 0, 0
	for _, t := range tokens(s) {
		if r := []rune(t); len(r) == 1 && isHan(r[0]) {
			han++
		} else {
			latin++
		}
	}
	return latin > han
}

// pronounObj are pronouns that leave a short task's object to the context:
// "I need yours", "發郵件給他".
var pronounObj = newWords("it", "this", "that", "these", "those", "them", "yours", "him", "her", "佢", "他", "她", "佢哋", "他們")

// actionItems finds the meeting's action items: candidates per sentence,
// then the dialogue decides who was asked ("Can you…?" "Sure."), joins a
// request with its answer, carries a deadline given in reply, and drops
// repeats.
func (s *summarizer) actionItems() []domain.ActionItem {
	var cs []*cand
	for k, u := range s.utts {
		for si, se := range u.sents {
			cs = append(cs, s.sentenceCands(k, si, u, se)...)
		}
	}
	s.resolveAddressees(cs)
	s.mergeReplies(cs)
	s.dueFollowUps(cs)
	s.addContext(cs)
	s.dedup(cs)
	var out []domain.ActionItem
	for _, c := range cs {
		if c.dead || contentTokens(c.task) < 2 || speaking(c.task) {
			continue
		}
		out = append(out, domain.ActionItem{Owner: c.owner, Task: c.task, Due: c.due, Line: s.utts[c.utt].line.N, Source: c.src})
	}
	return out
}

// speaking reports a turn to speak in the meeting rather than a task:
// "講下情況", "介紹一下".
func speaking(task string) bool {
	if i := strings.LastIndexAny(task, " "); i >= 0 && !latinText(task) {
		task = task[i+1:] // the words after a topic: "新年推廣 講吓進度"
	}
	f := fold([]rune(task))
	return speechAct.at(f, 0) > 0 && contentTokens(task) <= 4
}

// accepts reports an utterance that opens by agreeing: "好", "Sure, will
// do", "OK，我而家就send".
func (s *summarizer) accepts(k int) bool {
	if k < 0 || k >= len(s.utts) || len(s.utts[k].sents) == 0 {
		return false
	}
	f := s.utts[k].sents[0].f
	i := skipPunctSpace(f, 0)
	n := acceptance.at(f, i)
	if n == 0 {
		return false
	}
	j := i + n
	return j >= len(f) || isSpace(f[j]) || isPunct(f[j])
}

// resolveAddressees gives "Can you…?" and "你…" requests an owner: the
// next speaker when they accept, else the speaker being answered, else the
// next speaker when they undertake something.
func (s *summarizer) resolveAddressees(cs []*cand) {
	for _, c := range cs {
		if c.kind != kYou {
			continue
		}
		me := s.utts[c.utt].line.Speaker
		next, prev := c.utt+1, c.utt-1
		switch {
		case next < len(s.utts) && s.utts[next].line.Speaker != me && s.accepts(next):
			c.owner = s.utts[next].speaker
		case prev >= 0 && s.utts[prev].line.Speaker != me:
			c.owner = s.utts[prev].speaker
		case next < len(s.utts) && s.utts[next].line.Speaker != me && s.hasSelf(cs, next):
			c.owner = s.utts[next].speaker
		}
		if c.owner == "" {
			c.dead = true
		}
	}
	// "Will, call their buyer today." / "Already done": nothing to do.
	// "我可以先聯絡律師" / "先不用": not wanted.
	for _, c := range cs {
		next := c.utt + 1
		if next >= len(s.utts) {
			continue
		}
		if c.kind != kSelf && s.utts[next].speaker == c.owner && s.repliesDone(next) ||
			s.utts[next].line.Speaker != s.utts[c.utt].line.Speaker && s.opensWith(next, rejection) {
			c.dead = true
		}
	}
}

var rejection = newWords("先不用", "不用了", "唔使住", "唔使", "不用", "不需要", "暫時唔使", "暂时不用", "唔好住", "no need", "not yet",
	"hold off", "don't bother", "let's not", "no,")

// opensWith reports an utterance whose first words are one of ws.
func (s *summarizer) opensWith(k int, ws words) bool {
	if len(s.utts[k].sents) == 0 {
		return false
	}
	f := s.utts[k].sents[0].f
	return ws.at(f, skipPunctSpace(f, 0)) > 0
}

var doneReply = newWords("already done", "done already", "already did", "already sent", "已經搞掂", "已經做咗", "搞掂咗", "做咗喇",
	"已經send咗", "已經完成", "已经完成", "已经搞定", "已經處理", "已经处理", "早就")

// repliesDone reports an answer saying the work is already done.
func (s *summarizer) repliesDone(k int) bool {
	f := s.utts[k].sents[0].f
	i, _ := doneReply.find(f, 0)
	return i >= 0 && i <= skipFillers(f)+2
}

func (s *summarizer) hasSelf(cs []*cand, k int) bool {
	for _, c := range cs {
		if c.utt == k && c.kind == kSelf {
			return true
		}
	}
	return false
}

// questionWords are stripped from a question borrowed as a task's topic:
// "固定資產清單由誰負責？" gives "固定資產清單".
var questionWords = newWords("由誰負責", "邊個負責", "由邊個", "誰負責", "邊個", "誰", "who will", "who can", "who's", "who is", "who",
	"有冇人", "有沒有人", "anyone", "can someone", "幾時", "什麼時候", "甚麼時候", "when", "點樣", "怎麼", "呢", "嗎", "?", "？")

// addContext lends a thin task the topic it refers to: the words before
// the trigger, else the speaker's previous sentence, else what the previous
// speaker said. A task that answers "who will…?" ("我來負責") takes the
// question's topic; a short one that points back ("這部分由我負責", "I need
// yours", "發郵件給他") takes the sentence it points to.
func (s *summarizer) addContext(cs []*cand) {
	for _, c := range cs {
		if c.dead {
			continue
		}
		u := s.utts[c.utt]
		prevOther := c.utt > 0 && s.utts[c.utt-1].line.Speaker != u.line.Speaker && len(s.utts[c.utt-1].sents) > 0
		answersWho := c.sent == 0 && prevOther && questionWho(s.utts[c.utt-1])
		points := pointsBack(c)
		if !thin(c.task) && !points && !answersWho {
			continue
		}
		if !points && !answersWho && c.pre != "" && !strings.Contains(c.task, c.pre) && contentTokens(c.pre) >= 2 {
			c.task = join(c.pre, c.task)
			continue
		}
		var ctx string
		switch {
		case answersWho || c.sent == 0 && prevOther:
			p := s.utts[c.utt-1].sents
			ctx = string(p[len(p)-1].text)
		case c.sent > 0:
			ctx = string(u.sents[c.sent-1].text)
		}
		if answersWho && c.due == "" {
			// "下個禮拜二有個trade show，邊個可以去？" "我可以去。"
			p := s.utts[c.utt-1].sents
			q := p[len(p)-1]
			c.due, c.dueMarked, _ = s.dueIn(q.f, when.Parse(string(q.text), s.now, s.opt), 0, len(q.f), false)
		}
		ctx = stripSubject(stripQuestion(ctx))
		if contentTokens(ctx) >= 2 && !strings.Contains(c.task, ctx) {
			c.task = join(ctx, c.task)
		}
	}
}

// pointsBack reports a task whose object is elsewhere: a topic word
// before the trigger ("這部分由我負責"), a task opening with one and little
// else ("這個也一起安排，確認人數"), or a short task ending in a pronoun ("I
// need yours", "發郵件給他").
func pointsBack(c *cand) bool {
	if anaphorZh.any(fold([]rune(c.pre))) && contentTokens(c.task)-contentTokens(c.pre) < 9 {
		return true
	}
	f := fold([]rune(c.task))
	if anaphorZh.at(f, 0) > 0 {
		rest := f[clauseEnd(f, 0):]
		return contentTokens(string(rest)) <= 4
	}
	if n := pronounObj.endsWith(f, len(trimRight(f))); n > 0 {
		if latinText(c.task) {
			return contentTokens(c.task) <= 3
		}
		return contentTokens(c.task) <= 4
	}
	return false
}

// questionWho reports an utterance that asks who will do something.
func questionWho(u utterance) bool {
	last := u.sents[len(u.sents)-1]
	return endsQuestion(last.f) && whoWords.any(last.f)
}

var whoWords = newWords("由誰", "邊個", "誰", "who", "有冇人", "有沒有人", "anyone", "someone", "哪位")

// modalsEn and modalsZh end the subject of a borrowed sentence: "Each
// department head needs to sign…" gives "sign…".
var subjectEnd = newWords("needs to", "need to", "has to", "have to", "should", "must", "will", "is going to", "are going to",
	"要", "需要", "會", "應該", "必須", "得")

// stripSubject drops a borrowed sentence's subject up to its modal, when
// the modal comes early.
func stripSubject(ctx string) string {
	rs := []rune(ctx)
	f := fold(rs)
	if i, n := subjectEnd.find(f, 0); i >= 0 && len(tokens(string(rs[:i]))) <= 6 && i+n < len(rs) && contentTokens(string(rs[i+n:])) >= 3 {
		return tidy(rs[i+n:], nil)
	}
	return ctx
}

func stripQuestion(ctx string) string {
	rs := []rune(ctx)
	f := fold(rs)
	var b []rune
	for i := skipFillers(f); i < len(rs); {
		if n := questionWords.at(f, i); n > 0 {
			i += n
			continue
		}
		b = append(b, rs[i])
		i++
	}
	return tidy(b, nil)
}

// mergeReplies joins a request and its answer by the same owner in
// neighbouring lines ("志明，你跟進…" / "好，我星期三前搞掂"; "I can prepare
// a deck" / "Send me the draft by the 7th"). The earlier text stays (the
// later one when the earlier says too little), and the requester's deadline
// wins, else the answer's.
func (s *summarizer) mergeReplies(cs []*cand) {
	for i, b := range cs {
		if b.dead {
			continue
		}
		for j := i - 1; j >= 0; j-- {
			a := cs[j]
			if b.utt-a.utt > 2 {
				break
			}
			if a.dead || a.owner != b.owner || a.utt == b.utt {
				continue
			}
			next := b.utt == a.utt+1
			reply := next && a.kind != kSelf && b.kind == kSelf && short(b.task)
			// "Can you also check the printer?" adds work; "Send me the draft
			// by the 7th" finishes the offer before it.
			reverse := next && a.kind == kSelf && b.kind != kSelf && brief(b.task) && !additive.any(fold([]rune(b.src)))
			if !(reply || reverse || thin(b.task) || thin(a.task) || TokenF1(a.task, b.task) >= 0.35) {
				continue
			}
			if thin(a.task) && !thin(b.task) {
				a.task, a.src = b.task, b.src
			}
			req, other := a, b
			if a.kind == kSelf && b.kind != kSelf {
				req, other = b, a
			}
			switch {
			case req.due != "" && (req.dueMarked || !other.dueMarked):
				a.due, a.dueMarked = req.due, req.dueMarked
			case other.due != "":
				a.due, a.dueMarked = other.due, other.dueMarked
			}
			b.dead = true
			break
		}
	}
}

var additive = newWords("also", "as well", "too", "另外", "仲有", "還有", "也", "都要", "順便", "in addition", "another")

// giveMe marks a short reply that sets a deadline: "好，下星期一之前俾我".
var giveMe = newWords("俾我", "畀我", "給我", "交給我", "send me", "by", "before", "前", "之前")

// dueFollowUps carries a deadline said in reply to an undertaking onto it:
// "我可以整理一份比較" / "好，下星期一之前俾我".
func (s *summarizer) dueFollowUps(cs []*cand) {
	has := map[int]bool{}
	for _, c := range cs {
		has[c.utt] = true
	}
	for k := 1; k < len(s.utts); k++ {
		u := s.utts[k]
		if has[k] || u.line.Speaker == s.utts[k-1].line.Speaker || contentTokens(u.line.Text) > 10 {
			continue
		}
		f := fold([]rune(u.line.Text))
		if !giveMe.any(f) {
			continue
		}
		due, _, _ := s.dueIn(f, when.Parse(u.line.Text, s.now, s.opt), 0, len(f), false)
		if due == "" {
			continue
		}
		for i := len(cs) - 1; i >= 0; i-- {
			c := cs[i]
			if c.utt == k-1 && !c.dead {
				if c.due == "" {
					c.due, c.dueMarked = due, true
				}
				break
			}
		}
	}
}

// dedup drops an item that repeats an earlier one of the same owner (a
// recap, a confirmation), keeping the first and any deadline either had.
func (s *summarizer) dedup(cs []*cand) {
	for i, b := range cs {
		if b.dead {
			continue
		}
		for _, a := range cs[:i] {
			if a.dead || a.owner != b.owner || TokenF1(a.task, b.task) < 0.6 {
				continue
			}
			if a.due == "" {
				a.due, a.dueMarked = b.due, b.dueMarked
			}
			b.dead = true
			break
		}
	}
}
