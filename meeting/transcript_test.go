package meeting

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, in, format string
		want             []Line
	}{
		{"plain lines with both colons, a stamp and a continuation", "陳嘉慧：早晨。\n[00:01:02] Karen Chan: Let's start\nwith the pipeline.\n\n# a comment\n志明: 好",
			"", []Line{{N: 1, Speaker: "陳嘉慧", Text: "早晨。"}, {N: 2, Speaker: "Karen Chan", Text: "Let's start with the pipeline."}, {N: 3, Speaker: "志明", Text: "好"}}},
		{"a colon inside the text stays there", "Lok: the call is at 3:30: fine?\n", "text",
			[]Line{{N: 1, Speaker: "Lok", Text: "the call is at 3:30: fine?"}}},
		{"WebVTT voice tags, styling, notes and joined cues", "WEBVTT\n\nNOTE recorded on Teams\n\n1\n00:00:01.000 --> 00:00:04.000 align:start\n<v Karen Chan>Morning <i>all</i> &amp; welcome.</v>\n\n00:00:04.500 --> 00:00:06.000\n<v Karen Chan>Let's begin.\n\n00:00:06.500 --> 00:00:08.000\n<v.loud Ming>我聽日做。\n",
			"", []Line{{N: 1, Speaker: "Karen Chan", Text: "Morning all & welcome. Let's begin.", At: "00:00:01.000"}, {N: 2, Speaker: "Ming", Text: "我聽日做。", At: "00:00:06.500"}}},
		{"WebVTT with Speaker: prefixes and an unnamed continuation", "WEBVTT\n\n00:01.000 --> 00:04.000\n张伟: 早上好，\n\n00:04.000 --> 00:06.000\n我们开始。\n\n00:06.000 --> 00:08.000\n刘芳: 好的。",
			"vtt", []Line{{N: 1, Speaker: "张伟", Text: "早上好，我们开始。", At: "00:01.000"}, {N: 2, Speaker: "刘芳", Text: "好的。", At: "00:06.000"}}},
		{"SubRip with prefixes, bracketed speakers and tags", "1\n00:00:00,500 --> 00:00:05,000\nHoward Lam: OK, let's start.\n\n2\n00:00:05,500 --> 00:00:12,000\n[Kathy Yip] We have <b>23</b> laptops.\n",
			"", []Line{{N: 1, Speaker: "Howard Lam", Text: "OK, let's start.", At: "00:00:00.500"}, {N: 2, Speaker: "Kathy Yip", Text: "We have 23 laptops.", At: "00:00:05.500"}}},
		{"a byte-order mark and CRLF", "\ufeffA: one\r\nB: two\r\n", "", []Line{{N: 1, Speaker: "A", Text: "one"}, {N: 2, Speaker: "B", Text: "two"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in, tt.format)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines %+v, want %+v", len(got), got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("line %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, format, want string
	}{
		{"empty", "  \n", "", "empty"},
		{"no speakers", "we talked about the budget\nand the plan", "text", `no "speaker: text" lines`},
		{"a first line without a speaker", "the budget\nKaren: yes", "text", "line 1 has no speaker"},
		{"bad VTT timing", "WEBVTT\n\n00:01 -> 00:02\nKaren: hi", "vtt", "line 3: expected a cue timing line"},
		{"VTT without header", "Karen: hi", "vtt", `starts with "WEBVTT"`},
		{"bad SRT block", "1\nnot a time\nhello", "srt", "line 2: expected a SubRip cue"},
		{"unknown format", "Karen: hi", "docx", `unknown transcript format "docx"`},
		{"not UTF-8", "Karen: \xff\xfe", "", "not UTF-8"},
		{"too large", "A: " + strings.Repeat("x", MaxTranscriptBytes), "", "larger than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in, tt.format)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestDetectFormatAndText(t *testing.T) {
	for in, want := range map[string]string{"WEBVTT\n\n": FormatVTT, "\n1\n00:00:01,000 --> 00:00:02,000\nx": FormatSRT, "A: b": FormatText} {
		if got := DetectFormat(in); got != want {
			t.Errorf("DetectFormat(%q) = %s, want %s", in, got, want)
		}
	}
	ls, err := Parse("WEBVTT\n\n00:00.000 --> 00:01.000\n<v Karen>Hi\n\n00:01.000 --> 00:02.000\n<v Ming>Yo", "")
	if err != nil {
		t.Fatal(err)
	}
	text := Text(ls)
	if text != "Karen: Hi\nMing: Yo\n" {
		t.Fatalf("Text = %q", text)
	}
	// The stored form parses back to the same utterances.
	again, err := Parse(text, FormatText)
	if err != nil || len(again) != 2 || again[1].Speaker != "Ming" || again[1].Text != "Yo" {
		t.Fatalf("round trip = %+v, %v", again, err)
	}
	if got := SpeakerLabels(append(ls, Line{Speaker: "Karen"})); strings.Join(got, ",") != "Karen,Ming" {
		t.Fatalf("SpeakerLabels = %v", got)
	}
}
