package knowledge

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chunk is one passage of a source, in source order.
type Chunk struct {
	Ord  int
	Text string
}

// Chunk sizes, in runes: one Han character is about one word, so a rune
// count treats Chinese and English text alike well enough for retrieval.
const (
	DefaultChunkSize    = 500
	DefaultChunkOverlap = 80
)

// Split cuts text into passages of at most size runes, breaking between
// sentences (after 。！？；!?; or a full stop followed by a space and a
// capital) and at
// line ends. Consecutive passages share up to overlap runes of whole
// sentences, so an answer that straddles a boundary is still found whole in
// one of them. A sentence longer than size is cut at a space where possible.
// Blank text gives no chunks.
func Split(text string, size, overlap int) []Chunk {
	if size <= 0 {
		size = DefaultChunkSize
	}
	if overlap < 0 || overlap >= size {
		overlap = 0
	}
	var sents []string
	for _, s := range sentences(text) {
		sents = append(sents, hardSplit(s, size)...)
	}
	var out []Chunk
	var cur []string
	n := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		out = append(out, Chunk{Ord: len(out), Text: strings.TrimSpace(strings.Join(cur, ""))})
		// Carry whole sentences from the end into the next chunk.
		var keep []string
		k := 0
		for i := len(cur) - 1; i >= 0; i-- {
			l := utf8.RuneCountInString(cur[i])
			if k+l > overlap {
				break
			}
			keep = append([]string{cur[i]}, keep...)
			k += l
		}
		cur, n = keep, k
	}
	carried := 0
	for _, s := range sents {
		l := utf8.RuneCountInString(s)
		if n+l > size && n > carried {
			flush()
			carried = n
		}
		for n+l > size && len(cur) > 0 { // the carried overlap must not overflow
			n -= utf8.RuneCountInString(cur[0])
			cur = cur[1:]
			carried = n
		}
		cur = append(cur, s)
		n += l
	}
	if n > carried {
		flush()
	}
	return out
}

// sentences splits text into sentences that keep their ending punctuation
// and following space, so joining them gives the text back. Line ends end a
// sentence; blank lines vanish.
func sentences(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		rs := []rune(line)
		start := 0
		for i, r := range rs {
			end := false
			switch r {
			case '。', '！', '？', '；', '!', '?', ';':
				end = true
			case '.':
				// "No. 8" and "e.g. this" go on: a full stop ends a sentence
				// only before a space and then not a digit or lower case.
				end = i+1 < len(rs) && unicode.IsSpace(rs[i+1])
				if j := i + 2; end && j < len(rs) {
					end = !unicode.IsDigit(rs[j]) && !unicode.IsLower(rs[j])
				}
			}
			if !end {
				continue
			}
			j := i + 1
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
			if seg := string(rs[start:j]); strings.TrimSpace(seg) != "" {
				out = append(out, seg)
			}
			start = j
		}
		if start < len(rs) && strings.TrimSpace(string(rs[start:])) != "" {
			out = append(out, string(rs[start:]))
		}
		// A line end is a boundary: keep it as a space so words do not merge.
		if len(out) > 0 {
			out[len(out)-1] = strings.TrimRight(out[len(out)-1], " \t") + "\n"
		}
	}
	return out
}

// hardSplit cuts a sentence longer than size runes into pieces, at the last
// space of each piece when there is one in its second half.
func hardSplit(s string, size int) []string {
	rs := []rune(s)
	var out []string
	for len(rs) > size {
		cut := size
		for i := size - 1; i > size/2; i-- {
			if unicode.IsSpace(rs[i]) {
				cut = i + 1
				break
			}
		}
		out = append(out, string(rs[:cut]))
		rs = rs[cut:]
	}
	return append(out, string(rs))
}
