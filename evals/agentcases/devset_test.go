package agentcases

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
	_ "time/tzdata" // the tenant time zone, whatever the host has installed

	"github.com/banlihq/banli/fixture"
)

const (
	devSetPath   = "../testdata/agent/cases.jsonl"
	exampleDir   = "../../../shared/evals/example"
	toolsMDPath  = "../../../shared/TOOLS.md"
	minDevCases  = 400
	minToolCalls = 3
)

// toolCounts counts expected calls per tool over all turns.
func toolCounts(cases []Case) map[string]int {
	n := map[string]int{}
	for _, c := range cases {
		for _, t := range c.Turns() {
			for _, call := range t.Expect.Calls {
				n[call.Tool]++
			}
		}
	}
	return n
}

func TestDevSetWellFormed(t *testing.T) {
	f, err := fixture.Demo()
	if err != nil {
		t.Fatalf("demo fixture: %v", err)
	}
	cases, err := LoadFile(devSetPath)
	if err != nil {
		t.Fatalf("load dev set: %v", err)
	}
	if len(cases) < minDevCases {
		t.Errorf("dev set has %d cases, want at least %d", len(cases), minDevCases)
	}
	if err := Validate(cases, f); err != nil {
		t.Errorf("dev set is not well-formed:\n%v", err)
	}
	langs := map[string]int{}
	kinds := map[string]int{}
	for _, c := range cases {
		langs[c.Lang]++
		for _, tn := range c.Turns() {
			kinds[tn.Expect.Kind()]++
		}
	}
	for _, l := range Langs() {
		if langs[l] == 0 {
			t.Errorf("no case in lang %s", l)
		}
	}
	for _, k := range []string{KindCalls, KindClarify, KindDenied, KindAnswer} {
		if kinds[k] == 0 {
			t.Errorf("no turn expecting %s", k)
		}
	}
	counts := toolCounts(cases)
	var tools []string
	for name := range Catalog() {
		tools = append(tools, name)
	}
	sort.Strings(tools)
	for _, name := range tools {
		if counts[name] < minToolCalls {
			t.Errorf("tool %s is expected in %d call(s), want at least %d", name, counts[name], minToolCalls)
		}
	}
	t.Logf("%d cases; langs %v; turn kinds %v; tools %v", len(cases), langs, kinds, counts)
}

func TestExampleSetWellFormed(t *testing.T) {
	org := filepath.Join(exampleDir, "org.yaml")
	if _, err := os.Stat(org); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s absent", org)
	}
	f, err := fixture.Load(org)
	if err != nil {
		t.Fatalf("example fixture: %v", err)
	}
	cases, err := LoadFile(filepath.Join(exampleDir, "cases.jsonl"))
	if err != nil {
		t.Fatalf("load example: %v", err)
	}
	if err := Validate(cases, f); err != nil {
		t.Errorf("example set is not well-formed:\n%v", err)
	}
}

// TestCatalogMatchesToolsMD checks that Catalog lists exactly the tools and
// arguments of the shared TOOLS.md, when it is present.
func TestCatalogMatchesToolsMD(t *testing.T) {
	fh, err := os.Open(toolsMDPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s absent", toolsMDPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	row := regexp.MustCompile("^\\| `([a-z_]+)` \\| (.*) \\| (yes|no) \\|$")
	arg := regexp.MustCompile("`([a-z_]+)`")
	cat := Catalog()
	seen := map[string]bool{}
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name := m[1]
		seen[name] = true
		spec, ok := cat[name]
		if !ok {
			t.Errorf("TOOLS.md tool %s missing from Catalog", name)
			continue
		}
		if spec.Mutating != (m[3] == "yes") {
			t.Errorf("%s: mutating = %v, TOOLS.md says %s", name, spec.Mutating, m[3])
		}
		for _, a := range arg.FindAllStringSubmatch(m[2], -1) {
			if _, ok := spec.Args[a[1]]; !ok && !isItemField(a[1]) && !isEnumValue(a[1]) {
				t.Errorf("%s: TOOLS.md argument %s missing from Catalog", name, a[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for name := range cat {
		if !seen[name] {
			t.Errorf("Catalog tool %s is not in TOOLS.md", name)
		}
	}
}

func isItemField(s string) bool {
	_, ok := itemFields()[s]
	return ok
}

func isEnumValue(s string) bool {
	for _, vals := range enums() {
		if contains(vals, s) {
			return true
		}
	}
	return false
}
