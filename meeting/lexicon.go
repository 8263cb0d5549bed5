package meeting

// Phrase lists of the built-in summariser, matched on folded text (so one
// spelling covers Traditional and Simplified forms). They are grammar cues
// (modals, request forms, particles), not sentences: the detector combines
// them with the directory's names and the date parser.
var (
	// reqBefore directs what follows at the person named right after:
	// "請 Alice…", "麻煩寶儀…", "由志豪負責", "ask Wing to…".
	reqBefore = newWords("請", "麻煩", "唔該", "煩請", "拜託", "叫", "讓", "由", "指派", "提醒",
		"ask", "asked", "get", "have", "tell", "remind", "assign to", "assigned to", "over to", "owner:", "@")
	// reqBeforeNeedsTo are English directives that need "to" after the name
	// ("ask Wing to join", not "ask Albert").
	reqBeforeNeedsTo = newWords("ask", "asked", "get", "tell", "remind")

	// ownerAfter makes the person named just before the owner: "X 跟進",
	// "X 會…", "X will…", "X to…".
	ownerAfterZh = newWords("負責", "跟進", "跟", "會", "要", "需要", "去", "嚟", "來", "幫手", "幫忙", "處理", "統籌", "準備",
		"整", "搞", "安排", "記得", "盡快", "先", "再", "就", "一齊", "親自", "聯絡", "聯繫", "確認", "出", "寫", "做", "交", "發", "約")
	ownerAfterEn = newWords("will", "'ll", "is going to", "is gonna", "'s going to", "'s gonna", "should", "needs to", "need to", "has to", "must", "can you",
		"could you", "owns", "is responsible for", "takes care of", "will take care of", "is to", "shall")
	// skipAfterName may stand between a name and its verb: "王總這邊負責".
	skipAfterName = newWords("這邊", "那邊", "呢邊", "嗰邊", "你", "妳", "您", "自己", "也", "都", "亦", "今日", "今天", "聽日",
		"明天", "明日", "聽朝", "今晚", "下晝", "下午", "上午", "朝早")

	// second-person request forms.
	youReqEn = newWords("can you", "could you", "would you", "will you", "please", "you'll need to", "you need to", "you should",
		"make sure", "let me know", "send me", "get me", "you to")
	// youWill asks the person addressed by name: "Priya, you'll consolidate…".
	youWill  = newWords("you'll", "you will", "you are going to", "you're going to")
	youZh    = newWords("你", "妳", "您")
	youReqZh = newWords("麻煩你", "請你", "唔該你", "麻煩妳", "請妳", "幫我", "記得")
	// requestQuestion makes a question a request: "can you…?", "可唔可以…？".
	requestQuestionEn = newWords("can you", "could you", "would you", "will you", "can i ask you")
	// Chinese question forms ask someone to act only with a "你" in them:
	// "你可唔可以…？", not "深圳倉能不能應付？".
	requestQuestionZh = newWords("可唔可以", "可否", "能不能", "可不可以", "得唔得", "好嗎", "好唔好", "行不行", "好不好", "ok嗎")

	// objectBefore takes the pronoun after it as its object: "俾我", "同你".
	objectBefore = newWords("俾", "畀", "給", "同", "跟", "和", "與", "讓", "叫", "問", "找", "搵", "幫", "替", "話", "告訴", "通知", "協助",
		"幫助", "支援", "配合", "assist", "help", "with",
		"教", "請", "send", "email", "cc", "call", "打俾", "交俾", "發給", "知會", "提醒", "麻煩", "對", "向", "陪", "帶", "見", "約")

	// selfAfterNot: "我哋", "我們", "我司" are not the speaker alone.
	selfNotPlural = newWords("哋", "們", "地", "司", "方", "等", "倆")
	// selfOpinion follow "我" in opinions, not commitments.
	selfOpinion = newWords("覺得", "諗", "認為", "估", "想", "建議", "同意", "明白", "知道", "記得", "相信", "希望", "擔心", "係", "是",
		"有", "冇", "沒有", "理解", "以為", "發現", "聽講", "聽到", "收到", "見到", "看到", "睇到", "唔", "不", "沒", "未", "別", "無",
		"都係", "就係", "就覺得", "會覺得", "會話", "會說", "會建議", "會認為", "而家", "哋", "個人", "嘅", "的", "同意", "喜歡", "怕",
		"話", "說", "講", "估計", "猜", "問過", "試過", "睇過", "傾過", "做過", "記得", "曾經", "剛剛", "頭先", "之前")
	// selfCue marks a commitment after "我": a modal, an undertaking verb.
	selfCue = newWords("會", "就", "去", "嚟", "來", "要", "可以", "爭取", "負責", "先", "再", "自己", "親自", "盡快", "即刻", "馬上",
		"而家就", "稍後", "遲啲", "等陣", "一陣", "跟進", "處理", "安排", "準備", "搞掂", "搞定", "聯絡", "聯繫", "打", "發", "寄",
		"send", "email", "check", "update", "整", "寫", "做", "交", "約", "問", "找", "搵", "同", "跟", "出", "包", "幫手", "今日",
		"今天", "聽日", "明天", "明日", "聽朝", "今晚", "下晝", "下午", "上午", "稍後", "隨後", "回去", "打算", "計劃", "計畫", "開始", "送", "拜訪")
	// done marks completed or past work: not an action item.
	doneZh = newWords("已經", "已", "咗", "過了", "完了", "了解", "好咗")
	// selfEn are first-person undertakings.
	// speechAct follow "我先", "我再" about speaking in the meeting itself:
	// "我先講倉務", "我補充一下".
	speechAct = newWords("講", "說", "補充", "介紹", "總結", "重複", "解釋", "匯報一下", "報告一下", "問一問大家", "開始")
	selfEn    = newWords("i'll", "i will", "i'm going to", "i am going to", "i'm gonna", "i shall", "let me", "i can", "i could",
		"i need to", "i have to", "i must", "i'll be", "leave it with me", "i'm on it", "i plan to", "i'm planning to", "i intend to",
		"i'll try to", "i will try to", "i promise to", "i'll take care of", "i'll make sure")
	selfEnNot = newWords("be honest", "say", "admit", "think", "guess", "suppose", "imagine", "see", "hear", "bet", "tell you the truth",
		"not", "never", "be there", "be in", "be on", "be out", "be away", "be back", "be happy", "be glad", "know", "also say", "agree",
		"understand", "remember", "try", "be brief", "be quick", "be clear", "put it", "repeat", "afford", "only", "imagine", "recall")
	// acceptance answers a request ("好", "Sure, will do").
	acceptance = newWords("好", "好的", "好呀", "好啊", "ok", "okay", "收到", "冇問題", "沒問題", "無問題", "明白", "得", "可以", "行",
		"了解", "知道", "sure", "will do", "no problem", "got it", "of course", "yes", "yep", "fine", "noted", "certainly", "absolutely",
		"on it", "i will", "i'll do it", "can do", "no worries", "alright", "all right", "冇問題呀", "無問題", "係", "ok呀", "ok啦")

	// particles trail a sentence without meaning: "啦", "吖", "please".
	trailing = newWords("啦", "吖", "喇", "呀", "吧", "喎", "囉", "嘞", "啊", "哦", "噃", "嘛", "咯", "先", "好嗎", "得唔得", "可唔可以",
		"好唔好", "嗎", "please", "thanks", "thank you", "ok", "okay", "then", "first", "as well", "too", "also", "and", "吓", "下",
		"一下", "一吓", "好不好", "行不行", "ok嗎", "可以嗎", "得嗎", "了", "啦嘛", "丫", "囉喎")
	// leading words a task does not start with: subjects, modals, politeness.
	leading = newWords("你", "妳", "您", "請", "麻煩", "唔該", "記得", "會", "就", "要", "先", "再", "都", "也", "亦", "可以", "去", "來", "嚟",
		"then", "to", "will", "'ll", "please", "can you", "could you", "would you", "will you", "you", "also", "just", "go ahead and",
		"and", "so", "then", "please do", "should", "need to", "needs to", "has to", "is going to", "is to", ",", ":", "-", "–", "盡快",
		"幫手", "幫我", "這邊", "那邊", "嗰邊", "呢邊", "需要", "争取", "爭取", "負責去", "現在", "而家", "即刻", "馬上", "順便", "親自",
		"自己", "然後", "跟住", "到時", "隨即", "務必", "必須", "要求", "一定要", "最好", "i'll", "i will", "let me", "i can", "i'm going to",
		"可唔可以", "可不可以", "能不能", "可否", "能否", "i want", "i need", "i'd like", "i would like", "we need", "打算", "計劃",
		"you'll", "you will", "you are going to", "you're going to")
	// dueGlue stands between a task and its date: "喺星期五前", "by Friday".
	dueGlueBefore = newWords("喺", "在", "於", "係", "by", "before", "on", "no later than", "until", "till", "within", "趕", "最遲",
		"限", "in", "by the", "by end of", "by the end of", "before the end of", "end of", "the end of", "預計", "預計在", "預計於", "要在",
		"this", "next", "上", "之前的", "最晚", "at")
	dueGlueAfter = newWords("前", "之前", "或之前", "以前", "內", "之內", "為止", "或以前", "前後", "左右", "上午", "下午", "早上", "晚上")

	// anaphorZh refer back to the topic just discussed: "這部分由我負責".
	anaphorZh = newWords("這部分", "呢部分", "這個", "呢個", "這件事", "呢件事", "嗰個", "那個", "這些", "呢啲", "呢part", "這方面", "呢方面", "這邊的事")

	// decisionCue opens or marks a decision.
	decisionCue = newWords("決定", "議決", "定咗", "就咁定", "就咁決定", "就這樣定", "拍板", "結論", "定喺", "定在", "就選", "決議",
		"decision:", "decided", "we agreed", "agreed to", "it was agreed", "let's go with", "we'll go with", "we will go with",
		"go with", "we've agreed", "approved", "we'll take", "agreed that", "agreed:", "就用", "就咁話", "敲定", "確定咗", "確定了")
	decisionStrip = newWords("經討論", "經過討論", "討論後", "最後", "好", "ok", "咁", "那", "那就", "咁就", "decision:", "decision",
		"then", "so", "ok so", "好，", "就咁", "我哋", "我們", "大家", "一致", "agreed:", "決定:", "決定：", "決定", "議決", "決議")

	// fillers open a sentence without meaning: "好，", "Good."
	fillers = newWords("好", "好的", "ok", "okay", "good", "great", "right", "yes", "yeah", "so", "and", "also", "then", "另外", "仲有",
		"還有", "还有", "咁", "那", "那麼", "哦", "嗯", "係", "是", "對", "對了", "最後", "finally", "lastly", "first", "firstly",
		"action:", "action item:", "action items:", "ai:", "todo:", "to-do:", "to do:", "follow-up:", "follow up:", "跟進:", "待辦:",
		"行動:", "next step:", "next steps:", "okay so", "ok so", "alright", "all right", "fine", "sure", "thanks", "well", "now",
		"by the way", "btw", "also,", "and,", "行", "收到", "明白", "唔該晒", "多謝", "謝謝", "另外,", "oh", "one more thing",
		"hmm", "嗯嗯", "啱", "係呀", "係啊", "冇錯", "同意", "可以", "那就", "咁就", "不過", "但係", "但是", "然後", "跟住")
)

// actionMark opens a line of minutes that assigns work: "跟進：X…".
var actionMark = newWords("action:", "action item:", "action items:", "ai:", "todo:", "to-do:", "to do:", "follow-up:", "follow up:",
	"跟進:", "跟進事項:", "待辦:", "待辦事項:", "行動:", "next step:", "next steps:", "負責:", "owner:")

// englishImperatives are verbs that open an instruction ("Mandy, send me
// the list"): a name at the start of a sentence followed by one of these is
// being asked to do it.
var englishImperatives = newWords("send", "get", "check", "prepare", "draft", "update", "chase", "follow", "call", "email", "book",
	"confirm", "arrange", "set", "schedule", "make", "share", "review", "ask", "tell", "contact", "reach", "look", "find", "fix",
	"organise", "organize", "circulate", "submit", "write", "finalise", "finalize", "go", "take", "bring", "put", "add", "remove",
	"clean", "collect", "coordinate", "handle", "keep", "loop", "copy", "print", "order", "place", "buy", "pay", "sign", "approve",
	"reply", "respond", "remind", "double-check", "verify", "test", "install", "run", "compare", "estimate", "calculate", "plan",
	"list", "summarise", "summarize", "present", "study", "talk", "speak", "liaise", "sort", "start", "finish", "complete", "do",
	"draw", "negotiate", "invite", "let", "help", "own", "lead", "push", "move", "cancel", "reschedule", "file", "pull", "produce",
	"create", "build", "deliver", "ship", "investigate", "raise", "escalate", "notify", "inform", "give", "provide", "source",
	"register", "apply", "renew", "request", "hire", "interview", "train", "announce", "publish", "upload", "download", "forward")
