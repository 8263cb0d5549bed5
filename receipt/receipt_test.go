package receipt

import (
	"testing"
)

// want lists the expected values; an empty string means "not checked" except for
// fields listed in absent.
type want struct {
	merchant, date, total, currency, number, tax string
	items                                        int // -1: not checked
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name string
		text string
		opts *Options // nil: DefaultOptions
		want want
	}{
		{
			name: "hk fast food zh-Hant",
			text: `大家樂
Café de Coral
旺角彌敦道 123 號
電話: 2345 6789
單號: A12345
日期: 2026年3月5日 12:31
1 x 焗豬扒飯 42.00
1 x 凍檸茶 3.50
總計 HK$ 45.50
八達通 45.50`,
			want: want{merchant: "大家樂", date: "2026-03-05", total: "45.50", currency: "HKD", number: "A12345", items: 2},
		},
		{
			name: "hk spaced ocr noise",
			text: `美 心 快 餐
電 話 : 2 3 4 5 6 7 8 9
日 期 : 2 0 2 6 年 3 月 5 日
總 計 HK$ 45 .50`,
			want: want{merchant: "美心快餐", date: "2026-03-05", total: "45.50", currency: "HKD", items: -1},
		},
		{
			name: "english S for dollar and O for zero",
			text: `GOLDEN HARBOUR CAFE LTD
12 Queen's Road Central
DATE: 05/03/2O26
Club Sandwich 88.00
Latte 38.00
SUBTOTAL 126.00
10% SERVICE CHARGE 12.60
TOTAL HKS 138.60
CASH 200.00
CHANGE 61.40`,
			want: want{merchant: "GOLDEN HARBOUR CAFE LTD", date: "2026-03-05", total: "138.60", currency: "HKD", items: 2},
		},
		{
			name: "full width digits",
			text: `翠華餐廳
日期：２０２６－０３－０５
合計：＄１２８．００`,
			want: want{merchant: "翠華餐廳", date: "2026-03-05", total: "128.00", currency: "HKD", items: -1},
		},
		{
			name: "mainland fapiao",
			text: `上海增值税电子普通发票
发票代码: 031002100111
发票号码: 12345678
开票日期: 2026年03月05日
购买方 名称: 海港贸易有限公司
纳税人识别号: 91310000MA1234567X
项目名称 金额 税率 税额
*餐饮服务*餐费 100.00 6% 6.00
合 计 ¥100.00 ¥6.00
价税合计(大写) 壹佰零陆元整 (小写)¥106.00
销售方 名称: 上海静安小笼包餐饮有限公司`,
			want: want{merchant: "上海静安小笼包餐饮有限公司", date: "2026-03-05", total: "106.00", currency: "CNY", number: "12345678", tax: "6.00", items: -1},
		},
		{
			name: "mainland supermarket with tendered amount",
			text: `联华超市
2026-03-05 18:22
单号: 0023145
苹果 1 12.80
牛奶 2 25.00
应收 37.80
实收 50.00
找零 12.20`,
			want: want{merchant: "联华超市", date: "2026-03-05", total: "37.80", currency: "CNY", number: "0023145", items: 2},
		},
		{
			name: "malaysian SST",
			text: `RESTORAN NASI KANDAR PELITA SDN BHD
(Co. No. 123456-X)
No 12, Jalan Ampang, Kuala Lumpur
SST ID: W10-1808-32000123
Invoice No: INV-88213
Date: 05-03-2026 13:05
2 x Nasi Kandar 24.00
Teh Tarik 3.50
Total Excl SST 27.50
SST 6% 1.65
Rounding -0.00
Total Incl SST RM 29.15`,
			want: want{merchant: "RESTORAN NASI KANDAR PELITA SDN BHD", date: "2026-03-05", total: "29.15", currency: "MYR", number: "INV-88213", tax: "1.65", items: 2},
		},
		{
			name: "malaysian nett",
			text: `KEDAI KOPI SIN HENG
Penang
05/03/26
Kopi O 2.20
Roti Bakar 3.80
NETT RM6.00`,
			want: want{merchant: "KEDAI KOPI SIN HENG", date: "2026-03-05", total: "6.00", currency: "MYR", items: 2},
		},
		{
			name: "english taxi month name",
			text: `TAXI RECEIPT
Urban Cab Co.
5 Mar 2026 22:41
Trip No. T-99812
Distance 12.4 km
FARE US$ 31.20`,
			want: want{merchant: "Urban Cab Co", date: "2026-03-05", total: "31.20", currency: "USD", number: "T-99812", items: -1},
		},
		{
			name: "english hotel grand total amount due on next line",
			text: `THE MERIDIAN BAY HOTEL
Folio Receipt
Arrival: Mar 3, 2026  Departure: Mar 5, 2026
Room Charge 2 nights 1,800.00
Breakfast 240.00
Sub Total 2,040.00
Service Charge 10% 204.00
GRAND TOTAL
HK$ 2,244.00`,
			want: want{merchant: "THE MERIDIAN BAY HOTEL", date: "2026-03-03", total: "2244.00", currency: "HKD", items: -1},
		},
		{
			name: "us month first option",
			text: `CORNER DELI INC
03/05/2026
TOTAL $12.00`,
			opts: &Options{DayFirst: false, DefaultCurrency: "USD"},
			want: want{merchant: "CORNER DELI INC", date: "2026-03-05", total: "12.00", currency: "USD", items: -1},
		},
		{
			name: "day first resolves unambiguous",
			text: `Book Nook
Date 25/12/2026
Amount Due $ 99.90`,
			want: want{merchant: "Book Nook", date: "2026-12-25", total: "99.90", currency: "HKD", items: -1},
		},
		{
			name: "yuan suffix and simplified total",
			text: `老街面馆
2026/3/5
总计: 58元`,
			want: want{merchant: "老街面馆", date: "2026-03-05", total: "58.00", currency: "CNY", items: -1},
		},
		{
			name: "rmb marker",
			text: `星辰咖啡
日期 2026.03.05
合计 RMB 66.00`,
			want: want{merchant: "星辰咖啡", date: "2026-03-05", total: "66.00", currency: "CNY", items: -1},
		},
		{
			name: "comma decimal and glued keyword",
			text: `Harbour Books
2026-03-05
TOTAL45,50`,
			want: want{merchant: "Harbour Books", date: "2026-03-05", total: "45.50", currency: "HKD", items: -1},
		},
		{
			name: "no labelled total falls back to largest price",
			text: `Lucky Stationery
2026-03-05
Pens 12.00
Paper 33.50`,
			want: want{merchant: "Lucky Stationery", date: "2026-03-05", total: "33.50", currency: "HKD", items: -1},
		},
		{
			name: "total qty is not total",
			text: `Wing Kee Bakery
05 Mar 2026
TOTAL QTY 3
TOTAL $ 27.00`,
			want: want{merchant: "Wing Kee Bakery", date: "2026-03-05", total: "27.00", currency: "HKD", items: -1},
		},
		{
			name: "expiry date ignored",
			text: `Fit Life Gym
Valid until 31/12/2027
Date: 05/03/2026
TOTAL HK$500.00`,
			want: want{merchant: "Fit Life Gym", date: "2026-03-05", total: "500.00", currency: "HKD", items: -1},
		},
		{
			name: "header decoration",
			text: `*** 金龍酒家 ***
Tel 2888 1234
2026年3月15日
應付金額 $1,288.00`,
			want: want{merchant: "金龍酒家", date: "2026-03-15", total: "1288.00", currency: "HKD", items: -1},
		},
		{
			name: "empty text",
			text: "",
			want: want{items: -1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := DefaultOptions()
			if tt.opts != nil {
				opts = *tt.opts
			}
			got := Extract(tt.text, opts)
			check := func(field string, f Field, want string) {
				t.Helper()
				if f.Value != want {
					t.Errorf("%s = %q, want %q", field, f.Value, want)
				}
				if f.Confidence < 0 || f.Confidence > 1 || (f.Value == "") != (f.Confidence == 0) {
					t.Errorf("%s confidence %v out of range for value %q", field, f.Confidence, f.Value)
				}
			}
			check("merchant", got.Merchant, tt.want.merchant)
			check("date", got.Date, tt.want.date)
			check("total", got.Total, tt.want.total)
			check("currency", got.Currency, tt.want.currency)
			if tt.want.number != "" {
				check("number", got.Number, tt.want.number)
			}
			if tt.want.tax != "" {
				check("tax", got.Tax, tt.want.tax)
			}
			if tt.want.items >= 0 && len(got.Items) != tt.want.items {
				t.Errorf("items = %+v, want %d", got.Items, tt.want.items)
			}
		})
	}
}

func TestItemsDetail(t *testing.T) {
	got := Extract("Noodle House\n2026-03-05\n2 x Wonton Noodles 76.00\nMilk Tea x1 18.00\nTOTAL 94.00", DefaultOptions())
	want := []Item{
		{Description: "Wonton Noodles", Quantity: "2", Amount: "76.00"},
		{Description: "Milk Tea", Quantity: "1", Amount: "18.00"},
	}
	if len(got.Items) != len(want) {
		t.Fatalf("items = %+v, want %+v", got.Items, want)
	}
	for i, w := range want {
		g := got.Items[i]
		if g.Description != w.Description || g.Quantity != w.Quantity || g.Amount != w.Amount {
			t.Errorf("item %d = %+v, want %+v", i, g, w)
		}
	}
}

func TestNormalizeLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"TOTAL HK$ 45 .50", "TOTAL HK$ 45.50"},
		{"TOTAL S45.50", "TOTAL $45.50"},
		{"HKS 12.00", "HK$ 12.00"},
		{"２０２６年３月５日", "2026年3月5日"},
		{"總 計  $ 4 5.50", "總計 $ 4 5.50"},
		{"1O.5O", "10.50"},
		{"No.1234", "No.1234"},
		{"TOTAL", "TOTAL"},
	}
	for _, tt := range tests {
		if got := normalizeLine(tt.in); got != tt.want {
			t.Errorf("normalizeLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidDate(t *testing.T) {
	tests := []struct {
		y, m, d int
		want    string
		ok      bool
	}{
		{2026, 3, 5, "2026-03-05", true},
		{2026, 2, 29, "", false},
		{2028, 2, 29, "2028-02-29", true},
		{1999, 1, 1, "", false},
		{2026, 13, 1, "", false},
	}
	for _, tt := range tests {
		got, ok := validDate(tt.y, tt.m, tt.d)
		if got != tt.want || ok != tt.ok {
			t.Errorf("validDate(%d,%d,%d) = %q,%v want %q,%v", tt.y, tt.m, tt.d, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFapiaoAmountOnNextLine(t *testing.T) {
	text := "电子发票（普通发票）\n开票日期: 2026年02月08日\n合 计 ¥505.00 ¥30.30\n价税合计（大写）伍佰叁拾伍元叁角\n（小写）¥535.30\n销售方 名称: 北京晨光文具有限公司"
	got := Extract(text, DefaultOptions())
	if got.Total.Value != "535.30" || got.Currency.Value != "CNY" || got.Merchant.Value != "北京晨光文具有限公司" {
		t.Errorf("got total %q currency %q merchant %q", got.Total.Value, got.Currency.Value, got.Merchant.Value)
	}
}
