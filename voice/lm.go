package voice

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// commandsEN is the corpus of spoken English office commands the offline
// recogniser's language model is estimated from. pocketsphinx's general
// English model (en-us.lm.bin) knows 130,000 words and guesses wildly on
// short commands; a model of what people say to an office assistant cuts
// the word error rate several times (figures in README.md).
//
//go:embed commands_en.txt
var commandsEN string

// lmOrder is the n-gram order of the command model: trigrams measured
// better than bigrams on the held-out commands.
const lmOrder = 3

// lmDiscount is the absolute discount taken from every seen n-gram and
// given to the lower order.
const lmDiscount = 0.5

// expandCorpus reads the corpus format: one sentence a line, {a|b|c}
// expands to each alternative, # starts a comment.
func expandCorpus(text string) ([]string, error) {
	var out []string
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		sents, err := expandLine(line)
		if err != nil {
			return nil, fmt.Errorf("corpus line %d: %w", n+1, err)
		}
		for _, s := range sents {
			out = append(out, strings.Join(strings.Fields(s), " "))
		}
	}
	return out, nil
}

// expandLine expands the alternatives of one corpus line.
func expandLine(line string) ([]string, error) {
	open := strings.IndexByte(line, '{')
	if open < 0 {
		if strings.ContainsAny(line, "}|") {
			return nil, fmt.Errorf("stray } or | in %q", line)
		}
		return []string{line}, nil
	}
	end := strings.IndexByte(line[open:], '}')
	if end < 0 {
		return nil, fmt.Errorf("unclosed { in %q", line)
	}
	end += open
	rests, err := expandLine(line[end+1:])
	if err != nil {
		return nil, err
	}
	var out []string
	for _, alt := range strings.Split(line[open+1:end], "|") {
		for _, rest := range rests {
			out = append(out, line[:open]+alt+rest)
		}
	}
	return out, nil
}

var wordRE = regexp.MustCompile(`[a-z']+`)

// commandModel is a language model in ARPA form and the pronunciations of
// its words, ready for pocketsphinx's -lm and -dict.
type commandModel struct {
	arpa []byte
	dict []byte
	// words is the vocabulary, sorted.
	words []string
}

// buildCommandModel estimates the command language model from the corpus,
// keeping only words the pronunciation dictionary (cmudict) knows; a
// sentence is cut where an unknown word stood.
func buildCommandModel(corpus string, dictPath string) (*commandModel, error) {
	sents, err := expandCorpus(corpus)
	if err != nil {
		return nil, err
	}
	prons, err := readDict(dictPath)
	if err != nil {
		return nil, err
	}
	var seqs [][]string
	for _, s := range sents {
		var cur []string
		for _, w := range wordRE.FindAllString(strings.ToLower(s), -1) {
			if _, ok := prons[w]; ok {
				cur = append(cur, w)
				continue
			}
			if len(cur) > 0 {
				seqs = append(seqs, cur)
			}
			cur = nil
		}
		if len(cur) > 0 {
			seqs = append(seqs, cur)
		}
	}
	if len(seqs) == 0 {
		return nil, fmt.Errorf("the corpus has no word the dictionary %s knows", dictPath)
	}
	m := &commandModel{arpa: arpaModel(seqs, lmOrder, lmDiscount)}
	seen := map[string]bool{}
	for _, s := range seqs {
		for _, w := range s {
			if !seen[w] {
				seen[w] = true
				m.words = append(m.words, w)
			}
		}
	}
	slices.Sort(m.words)
	var d bytes.Buffer
	for _, w := range m.words {
		for _, line := range prons[w] {
			d.WriteString(line)
			d.WriteByte('\n')
		}
	}
	m.dict = d.Bytes()
	return m, nil
}

// readDict reads a CMU-style pronunciation dictionary: "word PH O N ES" and
// "word(2) ..." for alternatives, keyed by word with the lines as written.
func readDict(path string) (map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("pronunciation dictionary: %w", err)
	}
	defer f.Close()
	prons := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		w, _, ok := strings.Cut(line, " ")
		if !ok || line == "" {
			continue
		}
		if i := strings.IndexByte(w, '('); i > 0 {
			w = w[:i]
		}
		prons[w] = append(prons[w], line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("pronunciation dictionary %s: %w", path, err)
	}
	if len(prons) == 0 {
		return nil, fmt.Errorf("pronunciation dictionary %s is empty", path)
	}
	return prons, nil
}

// arpaModel estimates an n-gram model of the given order with absolute
// discounting and Katz-style back-off, and writes it in ARPA text form.
// Unigrams are add-half smoothed so that every word stays reachable.
func arpaModel(seqs [][]string, order int, discount float64) []byte {
	const bos, eos = "<s>", "</s>"
	counts := make([]map[string]int, order+1) // counts[n]["a b c"]
	for n := 1; n <= order; n++ {
		counts[n] = map[string]int{}
	}
	for _, s := range seqs {
		t := append(append([]string{bos}, s...), eos)
		for n := 1; n <= order; n++ {
			for i := 0; i+n <= len(t); i++ {
				counts[n][strings.Join(t[i:i+n], " ")]++
			}
		}
	}
	prob := map[string]float64{}
	bow := map[string]float64{}
	total := 0
	for w, c := range counts[1] {
		if w != bos {
			total += c
		}
	}
	v := float64(len(counts[1]) - 1) // <s> is never predicted
	for w, c := range counts[1] {
		if w != bos {
			prob[w] = (float64(c) + 0.5) / (float64(total) + 0.5*v)
		}
	}
	// backed is P(w | h) for an n-gram "h w" of any order, backing off.
	var backed func(ng string) float64
	backed = func(ng string) float64 {
		if p, ok := prob[ng]; ok {
			return p
		}
		h, _, ok := cutLast(ng)
		if !ok {
			return 0
		}
		_, rest, _ := strings.Cut(ng, " ")
		b, ok := bow[h]
		if !ok {
			b = 1
		}
		return b * backed(rest)
	}
	for n := 2; n <= order; n++ {
		byHist := map[string][]string{}
		histTotal := map[string]int{}
		for ng, c := range counts[n] {
			h, _, _ := cutLast(ng)
			byHist[h] = append(byHist[h], ng)
			histTotal[h] += c
		}
		for h, ngs := range byHist {
			tot := float64(histTotal[h])
			for _, ng := range ngs {
				prob[ng] = (float64(counts[n][ng]) - discount) / tot
			}
		}
		for h, ngs := range byHist {
			left := discount * float64(len(ngs)) / float64(histTotal[h])
			lower := 0.0
			for _, ng := range ngs {
				_, rest, _ := strings.Cut(ng, " ")
				lower += backed(rest)
			}
			bow[h] = left / max(1-lower, 1e-9)
		}
	}
	var b bytes.Buffer
	b.WriteString("\\data\\\n")
	for n := 1; n <= order; n++ {
		fmt.Fprintf(&b, "ngram %d=%d\n", n, len(counts[n]))
	}
	for n := 1; n <= order; n++ {
		fmt.Fprintf(&b, "\n\\%d-grams:\n", n)
		keys := make([]string, 0, len(counts[n]))
		for k := range counts[n] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			lp := -99.0
			if p := prob[k]; p > 0 {
				lp = math.Log10(p)
			}
			fmt.Fprintf(&b, "%.5f %s", lp, k)
			if n < order {
				bw, ok := bow[k]
				if !ok {
					bw = 1
				}
				fmt.Fprintf(&b, " %.5f", math.Log10(bw))
			}
			b.WriteByte('\n')
		}
	}
	b.WriteString("\n\\end\\\n")
	return b.Bytes()
}

// cutLast splits "a b c" into "a b" and "c".
func cutLast(ng string) (string, string, bool) {
	i := strings.LastIndexByte(ng, ' ')
	if i < 0 {
		return "", ng, false
	}
	return ng[:i], ng[i+1:], true
}

// writeFiles stores the model under a directory named by its content in the
// system's temporary directory, so processes and tests share one copy and
// nothing needs removing. Files are written whole and renamed into place.
func (m *commandModel) writeFiles() (lmPath, dictPath string, err error) {
	h := sha256.New()
	h.Write(m.arpa)
	h.Write(m.dict)
	dir := filepath.Join(os.TempDir(), "banli-voice-lm-"+hex.EncodeToString(h.Sum(nil))[:16])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", fmt.Errorf("voice: model directory: %w", err)
	}
	lmPath, dictPath = filepath.Join(dir, "commands.arpa"), filepath.Join(dir, "commands.dict")
	for _, f := range []struct {
		path string
		data []byte
	}{{lmPath, m.arpa}, {dictPath, m.dict}} {
		if old, err := os.ReadFile(f.path); err == nil && bytes.Equal(old, f.data) {
			continue
		}
		tmp, err := os.CreateTemp(dir, ".tmp-*")
		if err != nil {
			return "", "", fmt.Errorf("voice: model file: %w", err)
		}
		_, werr := tmp.Write(f.data)
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), f.path)
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return "", "", fmt.Errorf("voice: model file %s: %w", f.path, werr)
		}
	}
	return lmPath, dictPath, nil
}
