package meeting

import (
	"os"
	"path/filepath"
	"testing"
	"unicode"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
)

// devSet is the meetings dev set: real-looking transcripts in the four
// language varieties, and the two companies whose people speak in them.
const devSet = "../evals/testdata/meetings"

// wordCount counts a text's words: Latin words, and Chinese characters at 1.5
// characters a word (the average length of a Chinese word).
func wordCount(s string) int {
	latin, han := 0, 0
	inWord := false
	for _, r := range s {
		switch {
		case isHan(r):
			han++
			inWord = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !inWord {
				latin++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	return latin + han*2/3
}

// longMeeting joins the dev set's transcripts (in lang, or all when empty)
// into one meeting of at least n words, as a two-hour meeting that covers
// many topics; it returns the lines and the directory of both companies.
func longMeeting(b *testing.B, lang string, n int) ([]Line, []domain.Employee) {
	b.Helper()
	all0, err := filepath.Glob(filepath.Join(devSet, "m*.*"))
	if err != nil || len(all0) == 0 {
		b.Fatalf("no transcripts in %s: %v", devSet, err)
	}
	var files []string
	for _, f := range all0 {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if lang == "" || detectLang(string(raw)) == lang {
			files = append(files, f)
		}
	}
	var all []Line
	total := 0
	for total < n {
		for _, f := range files {
			raw, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			ls, err := Parse(string(raw), "")
			if err != nil {
				b.Fatalf("%s: %v", f, err)
			}
			for _, l := range ls {
				total += wordCount(l.Text)
				all = append(all, l)
			}
			if total >= n {
				break
			}
		}
	}
	var emps []domain.Employee
	demo, err := fixture.Demo()
	if err != nil {
		b.Fatal(err)
	}
	other, err := fixture.Load(filepath.Join(devSet, "org.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []*fixture.Fixture{demo, other} {
		for _, e := range f.Employees {
			emps = append(emps, domain.Employee{ID: e.ID, Name: e.Name, NameEn: e.NameEn, Aliases: e.Aliases, Department: e.Department,
				Manager: e.Manager, Active: true})
		}
	}
	b.Logf("%d lines, %d words, %d bytes", len(all), total, len(Text(all)))
	return all, emps
}

func benchSummarize(b *testing.B, lang string) {
	lines, emps := longMeeting(b, lang, 20000)
	text := Text(lines)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		// The whole offline path: parse the stored text, index the
		// directory, summarise.
		ls, err := Parse(text, FormatText)
		if err != nil {
			b.Fatal(err)
		}
		s, err := Summarize(Input{Lines: ls, Date: "2026-12-14", Locale: "zh-HK", Directory: Directory(emps, nil)})
		if err != nil {
			b.Fatal(err)
		}
		if len(s.ActionItems) == 0 || len(s.KeyPoints) == 0 {
			b.Fatal("empty summary")
		}
	}
}

// BenchmarkSummarizeTwoHours summarises a 20,000-word meeting mixing
// Cantonese, Chinese and English.
func BenchmarkSummarizeTwoHours(b *testing.B) { benchSummarize(b, "") }

// BenchmarkSummarizeTwoHoursEnglish summarises a 20,000-word English meeting.
func BenchmarkSummarizeTwoHoursEnglish(b *testing.B) { benchSummarize(b, "en") }
