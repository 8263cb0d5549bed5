package meeting

import (
	"errors"
	"fmt"
	"iter"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Transcript formats.
const (
	FormatText = "text" // "speaker: text" lines
	FormatVTT  = "vtt"  // WebVTT, with <v Speaker> voice tags or "Speaker:" prefixes
	FormatSRT  = "srt"  // SubRip
)

// Formats lists the transcript formats Parse reads.
var Formats = []string{FormatText, FormatVTT, FormatSRT}

// Line is one utterance: who spoke and what they said. Consecutive cues of
// one speaker in a caption file are joined into one line.
type Line struct {
	// N is the 1-based position of the utterance in the transcript.
	N       int    `json:"n"`
	Speaker string `json:"speaker"` // as written; empty when the source names nobody
	Text    string `json:"text"`
	// At is the cue's start ("00:01:02.500") for caption formats.
	At string `json:"at,omitempty"`
}

// MaxTranscriptBytes bounds a transcript: about eight hours of speech.
const MaxTranscriptBytes = 4 << 20

// DetectFormat guesses the format of a transcript: WebVTT by its header,
// SubRip by a cue number followed by a timing line, plain lines otherwise.
func DetectFormat(s string) string {
	t := strings.TrimLeft(s, "\ufeff \t\r\n")
	if strings.HasPrefix(t, "WEBVTT") {
		return FormatVTT
	}
	ls := strings.SplitN(t, "\n", 3)
	if len(ls) >= 2 && isDigits(strings.TrimSpace(ls[0])) && strings.Contains(ls[1], "-->") {
		return FormatSRT
	}
	return FormatText
}

// Parse reads a transcript in format (empty: detected). Errors name the line
// or cue that is wrong.
func Parse(s, format string) ([]Line, error) {
	if len(s) > MaxTranscriptBytes {
		return nil, fmt.Errorf("the transcript is larger than %d MiB", MaxTranscriptBytes>>20)
	}
	if !utf8.ValidString(s) {
		return nil, errors.New("the transcript is not UTF-8 text")
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.TrimPrefix(s, "\ufeff")
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("the transcript is empty")
	}
	if format == "" {
		format = DetectFormat(s)
	}
	var (
		ls  []Line
		err error
	)
	switch format {
	case FormatText:
		ls, err = parseText(s)
	case FormatVTT:
		ls, err = parseVTT(s)
	case FormatSRT:
		ls, err = parseSRT(s)
	default:
		return nil, fmt.Errorf("unknown transcript format %q (use %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return nil, err
	}
	if len(ls) == 0 {
		return nil, errors.New("the transcript has no speech")
	}
	for i := range ls {
		ls[i].N = i + 1
	}
	return ls, nil
}

// Text renders lines as "speaker: text" lines, the stored form.
func Text(ls []Line) string {
	var b strings.Builder
	for _, l := range ls {
		if l.Speaker != "" {
			b.WriteString(l.Speaker)
			b.WriteString(": ")
		}
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// SpeakerLabels returns the distinct speaker labels in order of first appearance.
func SpeakerLabels(ls []Line) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range ls {
		if l.Speaker != "" && !seen[l.Speaker] {
			seen[l.Speaker] = true
			out = append(out, l.Speaker)
		}
	}
	return out
}

// leadingStamp is a time stamp before a plain line's speaker:
// "[00:01:02]", "(1:02)", "00:01:02 -".
var leadingStamp = regexp.MustCompile(`^\s*[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?\s*[-–]?\s*`)

// speakerStamp is a time stamp after a speaker: "Karen (00:01:02): ...".
var speakerStamp = regexp.MustCompile(`\s*[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]\s*$`)

// splitSpeaker cuts "speaker: text" (ASCII or full-width colon). A speaker is
// a short label without sentence punctuation, so "Note: 3:30 works" and a
// colon inside a sentence are not taken for one.
func splitSpeaker(line string) (speaker, text string, ok bool) {
	i := strings.IndexAny(line, ":：")
	if i <= 0 {
		return "", "", false
	}
	sp := strings.TrimSpace(speakerStamp.ReplaceAllString(line[:i], ""))
	_, w := utf8.DecodeRuneInString(line[i:])
	rest := strings.TrimSpace(line[i+w:])
	if sp == "" || utf8.RuneCountInString(sp) > 40 || strings.Count(sp, " ") > 4 {
		return "", "", false
	}
	if !plausibleSpeaker(sp) {
		return "", "", false
	}
	if isDigits(sp) {
		return "", "", false // "3:30"
	}
	return sp, rest, true
}

// plausibleSpeaker rejects labels with sentence punctuation; a role in
// brackets or "Chan, Karen" is fine.
func plausibleSpeaker(sp string) bool {
	for _, r := range sp {
		switch r {
		case '。', '，', '、', '！', '？', '!', '?', ';', '；', '"', '“', '”', '「', '」':
			return false
		}
	}
	return !strings.Contains(sp, "http") && strings.Count(sp, ",") <= 1
}

func parseText(s string) ([]Line, error) {
	var out []Line
	var unlabelled []int
	for n, raw := range strings.Split(s, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimSpace(leadingStamp.ReplaceAllString(line, ""))
		sp, text, ok := splitSpeaker(line)
		if !ok {
			if len(out) == 0 {
				unlabelled = append(unlabelled, n+1)
				continue
			}
			// A line without a speaker continues the previous utterance.
			out[len(out)-1].Text = join(out[len(out)-1].Text, line)
			continue
		}
		if text == "" {
			continue
		}
		out = append(out, Line{Speaker: sp, Text: text})
	}
	if len(out) == 0 {
		return nil, errors.New(`no "speaker: text" lines in the transcript`)
	}
	if len(unlabelled) > 0 {
		return nil, fmt.Errorf(`line %d has no speaker: plain transcripts are "speaker: text" lines`, unlabelled[0])
	}
	return out, nil
}

// cue is one caption block.
type cue struct {
	line  int // where its timing line is
	start string
	text  []string
}

// blocks yields the caption blocks of ls from line from on: runs of
// non-blank lines, each with the index of its first line.
func blocks(ls []string, from int) iter.Seq2[int, []string] {
	return func(yield func(int, []string) bool) {
		for i := from; i < len(ls); {
			if strings.TrimSpace(ls[i]) == "" {
				i++
				continue
			}
			j := i
			for j < len(ls) && strings.TrimSpace(ls[j]) != "" {
				j++
			}
			if !yield(i, ls[i:j]) {
				return
			}
			i = j
		}
	}
}

var timing = regexp.MustCompile(`^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})`)

func parseVTT(s string) ([]Line, error) {
	ls := strings.Split(s, "\n")
	if !strings.HasPrefix(strings.TrimSpace(ls[0]), "WEBVTT") {
		return nil, errors.New(`line 1: a WebVTT file starts with "WEBVTT"`)
	}
	var cues []cue
	for i, block := range blocks(ls, 1) {
		head := strings.TrimSpace(block[0])
		switch {
		case strings.HasPrefix(head, "NOTE"), head == "STYLE", strings.HasPrefix(head, "STYLE "), head == "REGION", strings.HasPrefix(head, "REGION "):
			// comments and styling carry no speech
		default:
			k := 0
			if !strings.Contains(block[0], "-->") && len(block) > 1 && strings.Contains(block[1], "-->") {
				k = 1 // a cue identifier
			}
			if !timing.MatchString(block[k]) {
				return nil, fmt.Errorf("line %d: expected a cue timing line (00:00:01.000 --> 00:00:04.000), got %q", i+k+1, clip(strings.TrimSpace(block[k])))
			}
			m := timing.FindStringSubmatch(block[k])
			cues = append(cues, cue{line: i + k + 1, start: m[1], text: block[k+1:]})
		}
	}
	return fromCues(cues, true), nil
}

func parseSRT(s string) ([]Line, error) {
	ls := strings.Split(s, "\n")
	var cues []cue
	for i, block := range blocks(ls, 0) {
		k := 0
		if isDigits(strings.TrimSpace(block[0])) && len(block) > 1 {
			k = 1
		}
		if !timing.MatchString(block[k]) {
			return nil, fmt.Errorf("line %d: expected a SubRip cue (a number, then 00:00:01,000 --> 00:00:04,000), got %q", i+k+1, clip(strings.TrimSpace(block[k])))
		}
		m := timing.FindStringSubmatch(block[k])
		cues = append(cues, cue{line: i + k + 1, start: strings.ReplaceAll(m[1], ",", "."), text: block[k+1:]})
	}
	if len(cues) == 0 {
		return nil, errors.New("the SubRip file has no cues")
	}
	return fromCues(cues, false), nil
}

var (
	voiceTag = regexp.MustCompile(`<v(?:\.[^ >]*)?\s+([^>]+)>`)
	anyTag   = regexp.MustCompile(`</?[a-zA-Z][^>]*>|<\d{1,2}:\d{2}[^>]*>`)
	// bracketSpeaker is "[Karen]" or "(Karen)" opening a caption line.
	bracketSpeaker = regexp.MustCompile(`^[\[(]([^\])]{1,40})[\])]\s*`)
)

var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&nbsp;", " ", "&lrm;", "", "&rlm;", "", "&quot;", `"`, "&#39;", "'")

// fromCues turns caption cues into utterances: a voice tag, "[Speaker]" or
// a "Speaker:" prefix names the speaker; an unnamed cue continues the
// previous speaker; consecutive cues of one speaker are joined.
func fromCues(cues []cue, vtt bool) []Line {
	var out []Line
	cur := ""
	for _, c := range cues {
		for _, raw := range c.text {
			line := strings.TrimSpace(raw)
			if line == "" {
				continue
			}
			sp := ""
			if vtt {
				if m := voiceTag.FindStringSubmatch(line); m != nil {
					sp = strings.TrimSpace(m[1])
				}
			}
			line = strings.TrimSpace(entities.Replace(anyTag.ReplaceAllString(line, "")))
			if sp == "" {
				if m := bracketSpeaker.FindStringSubmatch(line); m != nil && !isDigits(strings.ReplaceAll(m[1], ":", "")) {
					sp, line = strings.TrimSpace(m[1]), strings.TrimSpace(line[len(m[0]):])
				} else if s2, t2, ok := splitSpeaker(line); ok {
					sp, line = s2, t2
				}
			}
			// "- " or ">> " marks a change of speaker without naming them.
			if strings.HasPrefix(line, ">>") || strings.HasPrefix(line, "- ") {
				line = strings.TrimSpace(strings.TrimLeft(line, ">- "))
				if sp == "" {
					sp = "\x00" // a new, unnamed speaker
				}
			}
			if line == "" {
				continue
			}
			if sp == "" {
				sp = cur
			}
			if sp == "\x00" {
				sp = ""
				cur = "\x00"
			} else {
				if len(out) > 0 && sp == cur && sp != "" {
					out[len(out)-1].Text = join(out[len(out)-1].Text, line)
					continue
				}
				cur = sp
			}
			out = append(out, Line{Speaker: sp, Text: line, At: c.start})
		}
	}
	return out
}

// join appends b to a with a space unless the seam is between Chinese
// characters, which are written without one.
func join(a, b string) string {
	if a == "" {
		return b
	}
	ar, _ := utf8.DecodeLastRuneInString(a)
	br, _ := utf8.DecodeRuneInString(b)
	if unicode.Is(unicode.Han, ar) || unicode.Is(unicode.Han, br) || unicode.IsPunct(ar) && ar > 0x2000 {
		return a + b
	}
	return a + " " + b
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}
