package voice

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestExpandLine(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		bad  bool
	}{
		{in: "show my tasks", want: []string{"show my tasks"}},
		{in: "take {annual|sick} leave", want: []string{"take annual leave", "take sick leave"}},
		{in: "{a|b} and {c|d}", want: []string{"a and c", "a and d", "b and c", "b and d"}},
		{in: "x {a|} y", want: []string{"x a y", "x  y"}},
		{in: "unclosed {a|b", bad: true},
		{in: "stray a|b", bad: true},
	}
	for _, c := range cases {
		got, err := expandLine(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("expandLine(%q) = %q, want an error", c.in, got)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("expandLine(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// TestCorpusHoldsOutTestCommands keeps the accuracy figures honest: the
// commands they are measured on are not sentences of the model's corpus.
func TestCorpusHoldsOutTestCommands(t *testing.T) {
	sents, err := expandCorpus(commandsEN)
	if err != nil {
		t.Fatal(err)
	}
	if len(sents) < 500 {
		t.Fatalf("the corpus expands to only %d sentences", len(sents))
	}
	for _, c := range readLines(t, "testdata/commands_en.txt") {
		if slices.Contains(sents, c) {
			t.Errorf("held-out command %q is in commands_en.txt", c)
		}
	}
}

// TestArpaModel checks the estimated model is a proper distribution: for
// every history, the backed-off probabilities of all words sum to one.
func TestArpaModel(t *testing.T) {
	seqs := [][]string{
		strings.Fields("book a meeting room tomorrow"),
		strings.Fields("book a room"),
		strings.Fields("cancel the meeting"),
		strings.Fields("cancel my leave tomorrow"),
		strings.Fields("show my leave"),
	}
	for _, order := range []int{2, 3} {
		m := parseArpa(t, arpaModel(seqs, order, lmDiscount))
		vocab := []string{"</s>"}
		for w := range m.prob {
			if !strings.Contains(w, " ") && w != "<s>" && w != "</s>" {
				vocab = append(vocab, w)
			}
		}
		hists := []string{""}
		for ng := range m.prob {
			if strings.Count(ng, " ") < order-1 && !strings.HasSuffix(ng, "</s>") {
				hists = append(hists, ng)
			}
		}
		for _, h := range hists {
			sum := 0.0
			for _, w := range vocab {
				sum += m.p(strings.TrimSpace(h + " " + w))
			}
			if math.Abs(sum-1) > 1e-3 {
				t.Errorf("order %d: P(. | %q) sums to %.5f", order, h, sum)
			}
		}
		if m.p("book a room") <= m.p("book a tomorrow") {
			t.Errorf("order %d: a seen trigram is no likelier than an unseen one", order)
		}
	}
}

// TestCommandModel builds the real model and checks its vocabulary covers
// the commands and its files land where pocketsphinx is pointed.
func TestCommandModel(t *testing.T) {
	dict := filepath.Join(DefaultModelDir, "cmudict-en-us.dict")
	if _, err := os.Stat(dict); err != nil {
		t.Fatalf("%v: run `source scripts/deps.sh && banli_install_debs`", err)
	}
	m, err := buildCommandModel(commandsEN, dict)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"book", "meeting", "annual", "leave", "approve", "expense", "tomorrow", "friday", "three"} {
		if _, ok := slices.BinarySearch(m.words, w); !ok {
			t.Errorf("%q is not in the model", w)
		}
	}
	if !bytes.HasPrefix(m.dict, []byte("a AH\n")) {
		t.Errorf("dictionary starts %q", m.dict[:min(40, len(m.dict))])
	}
	lm, dp, err := m.writeFiles()
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string][]byte{lm: m.arpa, dp: m.dict} {
		got, err := os.ReadFile(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes, %v; want %d bytes", p, len(got), err, len(want))
		}
	}
	// Writing again finds the files in place.
	if lm2, _, err := m.writeFiles(); err != nil || lm2 != lm {
		t.Errorf("second write: %s %v", lm2, err)
	}
}

// arpa is a parsed ARPA model, for checking the one arpaModel writes.
type arpa struct{ prob, bow map[string]float64 }

func parseArpa(t *testing.T, data []byte) arpa {
	t.Helper()
	m := arpa{prob: map[string]float64{}, bow: map[string]float64{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	n := 0
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "\\") && strings.HasSuffix(line, "-grams:"):
			n, _ = strconv.Atoi(line[1:2])
			continue
		case n == 0 || line == "" || strings.HasPrefix(line, "\\"):
			continue
		}
		f := strings.Fields(line)
		if len(f) != n+1 && len(f) != n+2 {
			t.Fatalf("bad %d-gram line %q", n, line)
		}
		lp, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			t.Fatalf("bad line %q", line)
		}
		ng := strings.Join(f[1:n+1], " ")
		m.prob[ng] = math.Pow(10, lp)
		if len(f) == n+2 {
			b, _ := strconv.ParseFloat(f[n+1], 64)
			m.bow[ng] = math.Pow(10, b)
		}
	}
	return m
}

// p is the backed-off probability of the last word of ng given the rest.
func (m arpa) p(ng string) float64 {
	if p, ok := m.prob[ng]; ok {
		return p
	}
	i := strings.IndexByte(ng, ' ')
	if i < 0 {
		return 0
	}
	b := 1.0
	if v, ok := m.bow[ng[:strings.LastIndexByte(ng, ' ')]]; ok {
		b = v
	}
	return b * m.p(ng[i+1:])
}
