package anomaly

// defaultKeywords are merchant words typical of each category, in English
// (matched as whole words) and Chinese (matched as substrings). They seed the
// category model; the tenant's own history refines it per merchant.
var defaultKeywords = map[string][]string{
	"meals": {
		"restaurant", "cafe", "café", "coffee", "bakery", "noodle", "noodles", "dim", "sum", "kitchen",
		"diner", "canteen", "bistro", "eatery", "congee", "burger", "pizza", "sushi", "ramen", "tea",
		"餐廳", "茶餐廳", "冰室", "咖啡", "麵", "粥", "飯店", "酒樓", "茶樓", "餐", "食堂", "燒臘", "小館", "麵包", "快餐", "點心",
	},
	"entertainment": {
		"karaoke", "ktv", "bar", "pub", "lounge", "club", "gift", "gifts", "wine", "steakhouse", "grill", "florist", "hamper",
		"卡拉", "酒吧", "會所", "禮品", "花店", "酒莊", "扒房", "果籃",
	},
	"lodging": {
		"hotel", "hotels", "inn", "hostel", "resort", "suites", "lodge", "motel", "serviced", "apartments",
		"酒店", "賓館", "旅館", "旅舍", "度假村", "公寓", "招待所", "宾馆",
	},
	"travel": {
		"airline", "airlines", "airways", "aviation", "railway", "rail", "ferry", "travel", "visa", "tours",
		"航空", "高鐵", "鐵路", "旅行社", "簽證", "船務", "渡輪", "机票", "機票", "客運",
	},
	"transport": {
		"taxi", "cab", "mtr", "metro", "bus", "minibus", "tram", "parking", "octopus", "ride", "uber", "toll", "petrol", "fuel",
		"的士", "港鐵", "地鐵", "巴士", "小巴", "電車", "停車", "出行", "隧道", "油站", "計程車",
	},
	"office_supplies": {
		"stationery", "office", "supplies", "paper", "printer", "toner", "computer", "electronics", "hardware", "furniture",
		"文具", "辦公", "用品", "電腦", "數碼", "打印", "紙品", "傢俬", "五金",
	},
	"training": {
		"academy", "training", "institute", "school", "course", "courses", "seminar", "college", "university", "learning", "certification",
		"學院", "培訓", "課程", "研討", "學校", "大學", "進修", "教育",
	},
	"communication": {
		"telecom", "mobile", "broadband", "telecommunications", "communications", "network", "internet", "wireless", "sim",
		"電訊", "流動", "寬頻", "通信", "通訊", "移動", "聯通", "電信", "網絡",
	},
}

// defaultCompatible are category pairs that share merchants.
var defaultCompatible = [...][2]string{
	{"meals", "entertainment"},
	{"transport", "travel"},
	{"travel", "lodging"},
	{"office_supplies", "communication"},
	{"office_supplies", "other"},
	{"other", "communication"},
}
