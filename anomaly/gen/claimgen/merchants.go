package claimgen

// merchant is an invented shop. Names mix English and Chinese as Hong Kong
// and mainland receipts do; none is meant to be a real business.
type merchant struct {
	name     string
	currency string // HKD, CNY or USD
	inv      string // invoice-number prefix; empty when the receipt has none
	addr     string
	level    float64 // price level relative to the category's median
}

// pools of merchants by category; mainland and overseas ones carry their currency.
var merchantPools = map[string][]merchant{
	"meals": {
		{"海晴茶餐廳 Hoi Ching Cafe", "HKD", "HC", "灣仔軒尼詩道 318 號", 1},
		{"豐記燒臘飯店", "HKD", "", "旺角砵蘭街 52 號", 0.9},
		{"Lotus Noodle House 蓮記麵家", "HKD", "LN", "中環威靈頓街 77 號", 1.1},
		{"北角好味軒", "HKD", "", "北角英皇道 401 號", 0.85},
		{"Harbourlight Café", "HKD", "HL", "尖沙咀廣東道 12 號", 1.4},
		{"金湖快餐 Golden Lake Fast Food", "HKD", "GL", "觀塘開源道 55 號", 0.75},
		{"Peak Bento Kitchen", "HKD", "PB", "鰂魚涌英皇道 979 號", 1.2},
		{"雲來粥麵小館", "HKD", "", "深水埗福華街 120 號", 0.8},
		{"Morning Crust Bakery 朝酥麵包", "HKD", "MC", "銅鑼灣波斯富街 99 號", 0.6},
		{"Eastgate Dim Sum 東門點心", "HKD", "ED", "荃灣沙咀道 300 號", 1.3},
		{"深圳粵味軒餐廳", "CNY", "SZ", "深圳市福田區深南大道 6008 號", 1},
		{"广州百味小馆", "CNY", "GZ", "广州市天河区天河路 385 号", 0.9},
		{"上海弄堂面馆", "CNY", "SH", "上海市黄浦区南京东路 800 号", 0.8},
	},
	"transport": {
		{"Urban Taxi 市區的士", "HKD", "", "", 1},
		{"的士 Taxi", "HKD", "", "", 1},
		{"City Rail 城市鐵路", "HKD", "", "", 0.2},
		{"Harbour Bus 海港巴士", "HKD", "", "", 0.15},
		{"Cross-Harbour Tunnel 過海隧道", "HKD", "", "", 0.35},
		{"Parkway 停車場", "HKD", "PK", "金鐘道 88 號", 0.8},
		{"滴行出行 DiXing Ride", "CNY", "DX", "", 0.6},
		{"深圳地鐵", "CNY", "", "", 0.1},
	},
	"travel": {
		{"Skyharbour Airways 天港航空", "HKD", "SA", "赤鱲角機場", 1},
		{"Pacific Crane Airlines", "USD", "PC", "Hong Kong International Airport", 1.2},
		{"珠江高鐵 Pearl River Express Rail", "HKD", "PR", "西九龍站", 0.12},
		{"旅伴旅行社 Travelmate Tours", "HKD", "TM", "上環干諾道中 200 號", 0.9},
		{"華旅簽證服務中心", "HKD", "HV", "灣仔港灣道 18 號", 0.15},
		{"Blue Bay Ferry 藍灣船務", "HKD", "BB", "上環信德中心", 0.08},
	},
	"lodging": {
		{"Victoria Crest Hotel 維港峰酒店", "HKD", "VC", "尖沙咀梳士巴利道 20 號", 1.2},
		{"深圳華庭酒店 Shenzhen Huating Hotel", "CNY", "HT", "深圳市南山區科技園路 1 號", 1},
		{"上海錦瀾賓館", "CNY", "JL", "上海市靜安區南京西路 1600 號", 0.8},
		{"Orchid Inn 蘭亭旅館", "HKD", "OI", "油麻地彌敦道 500 號", 0.7},
		{"Marina Gate Hotel Singapore", "USD", "MG", "Marina Bay, Singapore", 1.3},
		{"广州珠江宾馆", "CNY", "ZJ", "广州市越秀区环市东路 339 号", 0.9},
	},
	"entertainment": {
		{"Imperial Court 御庭軒", "HKD", "IC", "中環皇后大道中 15 號", 1.2},
		{"Seaview Steakhouse", "HKD", "SV", "尖沙咀星光大道 1 號", 1.3},
		{"星光 KTV Starlight Karaoke", "HKD", "SL", "銅鑼灣駱克道 463 號", 0.9},
		{"Jade Lantern Bar 玉燈酒吧", "HKD", "JB", "蘭桂坊德己立街 30 號", 0.6},
		{"福滿禮品 Fortune Gifts", "HKD", "FG", "上環永樂街 60 號", 0.5},
		{"潮粵海鮮酒家", "HKD", "CY", "西貢海傍街 8 號", 1.1},
		{"深圳悅來海鮮酒樓", "CNY", "YL", "深圳市羅湖區人民南路 3002 號", 1},
	},
	"office_supplies": {
		{"文具城 Stationery City", "HKD", "ST", "旺角西洋菜南街 88 號", 1},
		{"大昌辦公用品 Tai Cheong Office Supplies", "HKD", "TC", "九龍灣宏照道 33 號", 1.1},
		{"PixelMart 電腦商場", "HKD", "PX", "深水埗黃金電腦商場 2 樓", 2},
		{"Paperleaf 紙品行", "HKD", "PL", "灣仔莊士敦道 150 號", 0.7},
	},
	"training": {
		{"香港專業學院 HK Professional Academy", "HKD", "HA", "金鐘夏愨道 16 號", 1},
		{"領航培訓中心 Pilot Training Centre", "HKD", "PT", "九龍塘達之路 80 號", 0.9},
		{"Harbour Institute of Finance", "HKD", "HF", "中環交易廣場 2 期", 1.3},
	},
	"communication": {
		{"Harbour Telecom 海港電訊", "HKD", "HT", "", 1},
		{"星河流動 StarRiver Mobile", "HKD", "SR", "", 1},
		{"中國聯網通信", "CNY", "LW", "", 0.5},
	},
	"other": {
		{"順捷速遞 Swift Courier", "HKD", "SC", "觀塘鴻圖道 51 號", 1},
		{"Print Express 快印", "HKD", "PE", "灣仔告士打道 128 號", 1.5},
		{"City Post 城郵", "HKD", "CP", "", 0.5},
		{"HK Notary Services 公證服務", "HKD", "NS", "中環德輔道中 71 號", 3},
	},
}

// medians of each category in HKD and the log-normal spread around them.
var categoryAmount = map[string][2]float64{
	"meals":           {68, 0.45},
	"transport":       {80, 0.5},
	"travel":          {2800, 0.45},
	"lodging":         {1100, 0.3}, // per night
	"entertainment":   {1500, 0.55},
	"office_supplies": {220, 0.75},
	"training":        {2600, 0.4},
	"communication":   {198, 0.2},
	"other":           {160, 0.7},
}

// receiptItems are the lines printed on receipts of each category.
var receiptItems = map[string][]string{
	"meals":           {"叉燒飯", "凍檸茶", "星洲炒米", "餐蛋麵", "奶茶", "咖喱牛腩飯", "Club Sandwich", "Americano", "蝦餃", "燒賣", "牛肉麵", "Set Lunch A", "菠蘿包", "豆漿", "小籠包"},
	"transport":       {"車資 Fare", "隧道費 Toll", "行李 Luggage", "Parking 2h", "Parking 3h", "附加費 Surcharge"},
	"travel":          {"Economy HKG-PEK", "Economy HKG-SIN", "Business HKG-TPE", "二等座 香港西九龍-深圳北", "一等座 香港西九龍-廣州南", "簽證 Visa fee", "Ferry HK-Macau"},
	"lodging":         {"Deluxe King Room", "Superior Twin", "Breakfast", "Room Service", "City Tax", "豪華大床房", "早餐"},
	"entertainment":   {"Tasting Menu", "Peking Duck", "Red Wine", "Whisky", "Private Room", "Fruit Hamper", "Gift Box", "KTV Room 3h", "Lobster", "Abalone"},
	"office_supplies": {"A4 Paper 5 reams", "Toner HP 26A", "Ballpoint pens", "USB-C Hub", "Whiteboard markers", "Files & folders", "Monitor stand", "Keyboard"},
	"training":        {"Course fee", "Registration", "Materials", "Exam fee", "Workshop"},
	"communication":   {"Monthly plan", "Data add-on", "Roaming pack", "IDD charges"},
	"other":           {"Courier SF", "Printing A3 colour", "Binding", "Stamp duty", "Notarisation"},
}

var departments = []string{"sales", "ops", "finance", "hr", "it", "marketing", "exec"}

// departmentMix gives the expected items per claim by category for each department.
var departmentMix = map[string]map[string]float64{
	"sales":     {"meals": 1.2, "transport": 1.6, "entertainment": 0.7, "travel": 0.25, "lodging": 0.2, "communication": 0.5, "other": 0.15},
	"ops":       {"transport": 1.6, "meals": 1.0, "office_supplies": 0.5, "other": 0.35, "communication": 0.3},
	"finance":   {"meals": 0.9, "transport": 0.9, "office_supplies": 0.3, "training": 0.15, "other": 0.2},
	"hr":        {"meals": 0.9, "transport": 0.7, "training": 0.3, "office_supplies": 0.3, "entertainment": 0.1},
	"it":        {"office_supplies": 0.6, "communication": 0.3, "transport": 0.9, "meals": 0.9, "training": 0.2},
	"marketing": {"meals": 1.0, "entertainment": 0.45, "transport": 1.0, "other": 0.4, "travel": 0.2, "lodging": 0.1},
	"exec":      {"entertainment": 1.0, "travel": 0.6, "lodging": 0.4, "transport": 1.1, "meals": 0.8, "communication": 0.3},
}

var deptWeight = map[string]float64{"sales": 0.28, "ops": 0.2, "finance": 0.1, "hr": 0.07, "it": 0.13, "marketing": 0.14, "exec": 0.08}

var trainingPrices = []float64{980, 1200, 1500, 1800, 2400, 2980, 3200, 3800, 4800, 6800}
var planPrices = []float64{168, 198, 238, 298, 388}
