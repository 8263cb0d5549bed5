// Package people resolves how staff refer to colleagues, departments and
// bookable resources ("阿強", "陳生", "Ms Lee", "my boss", "我組", "Harbour
// room", "张伟" for 張偉) against a company directory. Ambiguous references
// are reported with every candidate, never guessed.
package people

import (
	"sort"
	"strings"
	"unicode"

	"github.com/banlihq/banli/nlu/zh"
)

// Employee is a directory entry.
type Employee struct {
	ID         string
	Name       string // primary name as written in the directory
	NameEn     string
	Aliases    []string
	Email      string
	Department string
	Manager    string
	Title      string
}

// Department is an organisational unit.
type Department struct {
	ID, Name, NameEn, Head string
}

// Resource is a bookable room or piece of equipment.
type Resource struct {
	ID, Name, NameEn, Kind string
	Capacity               int
}

// Kind is what a mention refers to.
type Kind int

// Kinds of mentions.
const (
	Person     Kind = iota
	Self            // 我, me, myself
	Manager         // 我老闆, my boss: the actor's manager
	Team            // 我組, my team: the actor's direct reports
	Dept            // a department
	Room            // a resource
	Everyone        // 全部人, everyone
	Unresolved      // a reference the directory cannot resolve (no manager)
)

// Mention is a reference found in a text.
type Mention struct {
	Kind       Kind
	IDs        []string // candidates; more than one for a Person means ambiguous
	Start, End int      // rune span in the text
	Text       string   // as written
}

// Ambiguous reports whether the mention has several candidates for one person.
func (m Mention) Ambiguous() bool { return m.Kind == Person && len(m.IDs) > 1 }

// Directory is an immutable, indexed company directory.
type Directory struct {
	Employees   []Employee
	Departments []Department
	Resources   []Resource

	byID   map[string]int
	keys   []key
	groups []group // keys by text, longest first
	seen   map[string]bool
}

// group holds the keys written the same way (several people called Wong).
type group struct {
	text []rune
	keys []key
}

// key is one way of writing a reference, folded.
type key struct {
	text  []rune
	kind  Kind
	id    string
	tier  int  // 0 exact (name, alias), 1 derived (given name, surname + title)
	latin bool // matched on word boundaries
	caps  bool // an English word too ("May"): only matched when capitalised
}

// New indexes a directory. The slices are kept, not copied: do not modify
// them afterwards.
func New(emps []Employee, depts []Department, res []Resource) *Directory {
	d := &Directory{Employees: emps, Departments: depts, Resources: res, byID: map[string]int{}, seen: map[string]bool{}}
	for i, e := range emps {
		d.byID[e.ID] = i
	}
	for _, e := range emps {
		d.addEmployee(e)
	}
	for _, dp := range depts {
		for _, n := range deptNames(dp) {
			d.add(n, Dept, dp.ID, 0)
		}
	}
	d.addResources()
	d.seen = nil // only needed while indexing
	idx := map[string]int{}
	for _, k := range d.keys {
		i, ok := idx[string(k.text)]
		if !ok {
			i = len(d.groups)
			idx[string(k.text)] = i
			d.groups = append(d.groups, group{text: k.text})
		}
		d.groups[i].keys = append(d.groups[i].keys, k)
	}
	sort.SliceStable(d.groups, func(i, j int) bool { return len(d.groups[i].text) > len(d.groups[j].text) })
	return d
}

// Employee returns the employee with id.
func (d *Directory) Employee(id string) (Employee, bool) {
	i, ok := d.byID[id]
	if !ok {
		return Employee{}, false
	}
	return d.Employees[i], true
}

// Reports returns the ids of id's direct reports.
func (d *Directory) Reports(id string) []string {
	var out []string
	for _, e := range d.Employees {
		if e.Manager == id && e.ID != "" {
			out = append(out, e.ID)
		}
	}
	return out
}

// Members returns the ids of a department's employees.
func (d *Directory) Members(dept string) []string {
	var out []string
	for _, e := range d.Employees {
		if e.Department == dept {
			out = append(out, e.ID)
		}
	}
	return out
}

// Department returns the department with id.
func (d *Directory) Department(id string) (Department, bool) {
	for _, dp := range d.Departments {
		if dp.ID == id {
			return dp, true
		}
	}
	return Department{}, false
}

// Resource returns the resource with id.
func (d *Directory) Resource(id string) (Resource, bool) {
	for _, r := range d.Resources {
		if r.ID == id {
			return r, true
		}
	}
	return Resource{}, false
}

func (d *Directory) add(text string, kind Kind, id string, tier int) {
	t := strings.TrimSpace(text)
	if t == "" {
		return
	}
	rs := zh.FoldRunes([]rune(t))
	latin := isLatin(rs)
	k := key{text: rs, kind: kind, id: id, tier: tier, latin: latin}
	if latin && (kind == Person || kind == Dept) && !strings.Contains(string(rs), " ") && englishWords[string(rs)] {
		k.caps = true
	}
	if !latin && len(rs) < 2 {
		return // one Chinese character is too easily part of another word
	}
	sig := string(rs) + "\x00" + id + "\x00" + string(rune('0'+kind))
	if d.seen[sig] {
		return
	}
	d.seen[sig] = true
	d.keys = append(d.keys, k)
}

// compoundSurnames are two-character Chinese surnames.
var compoundSurnames = []string{"歐陽", "司徒", "上官", "諸葛", "司馬", "東方", "皇甫", "尉遲", "公孫", "慕容", "夏侯", "令狐", "長孫", "宇文", "軒轅", "端木"}

// SplitChineseName splits a Chinese name into surname and given name.
func SplitChineseName(name string) (surname, given string) {
	rs := []rune(name)
	if len(rs) < 2 || !allHan(rs) {
		return "", ""
	}
	n := 1
	for _, c := range compoundSurnames {
		if len(rs) > 2 && zh.Fold(string(rs[:2])) == zh.Fold(c) {
			n = 2
		}
	}
	return string(rs[:n]), string(rs[n:])
}

func (d *Directory) addEmployee(e Employee) {
	d.add(e.Name, Person, e.ID, 0)
	d.add(e.NameEn, Person, e.ID, 0)
	for _, a := range e.Aliases {
		d.add(a, Person, e.ID, 0)
	}
	if e.Email != "" {
		d.add(e.Email, Person, e.ID, 0)
	}
	female, male := gender(e)
	if sur, given := SplitChineseName(e.Name); sur != "" {
		if len([]rune(given)) >= 2 {
			d.add(given, Person, e.ID, 1)
			d.add("阿"+string([]rune(given)[len([]rune(given))-1:]), Person, e.ID, 1)
		}
		if !female {
			for _, t := range []string{"生", "先生", "sir"} {
				d.add(sur+t, Person, e.ID, tierOf(male))
			}
		}
		if !male {
			for _, t := range []string{"小姐", "太", "太太", "女士"} {
				d.add(sur+t, Person, e.ID, tierOf(female))
			}
		}
		for _, t := range []string{"總", "經理", "老師", "sir", "主任"} {
			d.add(sur+t, Person, e.ID, 1)
		}
		d.add("小"+sur, Person, e.ID, 1)
		d.add("老"+sur, Person, e.ID, 1)
		if len([]rune(given)) >= 2 {
			d.add(sur+given, Person, e.ID, 0)
		}
	}
	if words := strings.Fields(e.NameEn); len(words) >= 2 {
		first, last := words[0], words[len(words)-1]
		d.add(first, Person, e.ID, 0)
		d.add(last, Person, e.ID, 1)
		d.add(last+" "+strings.Join(words[:len(words)-1], " "), Person, e.ID, 0)
		if !female {
			d.add("mr "+last, Person, e.ID, tierOf(male))
			d.add("mr. "+last, Person, e.ID, tierOf(male))
		}
		if !male {
			for _, t := range []string{"ms ", "ms. ", "miss ", "mrs "} {
				d.add(t+last, Person, e.ID, tierOf(female))
			}
		}
		d.add(last+"生", Person, e.ID, 1)
		d.add(last+"小姐", Person, e.ID, 1)
	}
}

// tierOf ranks a surname-and-title key: known to fit the person's gender
// (1) before merely not contradicting it (2).
func tierOf(known bool) int {
	if known {
		return 1
	}
	return 2
}

// gender reads hints from the aliases ("陳小姐", "Mr Chan") so that a
// derived "陳生" does not also match a colleague known as 陳小姐.
func gender(e Employee) (female, male bool) {
	for _, a := range e.Aliases {
		f := zh.Fold(a)
		switch {
		case strings.HasSuffix(f, zh.Fold("小姐")), strings.HasSuffix(f, "太"), strings.HasPrefix(f, "ms"), strings.HasPrefix(f, "miss"), strings.HasPrefix(f, "mrs"):
			female = true
		case strings.HasSuffix(f, "生"), strings.HasPrefix(f, "mr "), strings.HasPrefix(f, "mr."):
			male = true
		}
	}
	return female, male
}

// deptNames are the ways a department is named: "業務部", "業務", "Sales",
// "sales team", "sales department".
func deptNames(dp Department) []string {
	out := []string{dp.Name, dp.NameEn}
	rs := []rune(dp.Name)
	if len(rs) >= 3 && (rs[len(rs)-1] == '部' || rs[len(rs)-1] == '組' || rs[len(rs)-1] == '处' || rs[len(rs)-1] == '處') {
		core := string(rs[:len(rs)-1])
		out = append(out, core+"組", core+"團隊", core+"同事", core+"部門")
		if len([]rune(core)) >= 2 {
			out = append(out, core)
		}
	}
	if en := strings.TrimSpace(dp.NameEn); en != "" {
		out = append(out, en+" team", en+" department", en+" dept", "the "+en+" team")
	}
	return out
}

// roomWords are generic words for a room, stripped to find a room's core name.
var roomWords = []string{"會議室", "會議廳", "房", "室", "meeting room", "conference room", "room"}

func (d *Directory) addResources() {
	for _, r := range d.Resources {
		d.add(r.Name, Room, r.ID, 0)
		d.add(r.NameEn, Room, r.ID, 0)
		d.add(r.ID, Room, r.ID, 0)
		for _, n := range []string{r.Name, r.NameEn} {
			f := strings.ToLower(n)
			for _, w := range roomWords {
				if core := strings.TrimSpace(strings.Replace(f, w, "", 1)); core != f && core != "" {
					if isLatin([]rune(core)) && len(core) <= 2 {
						// "Meeting Room A": "room a", "a房", "會議室a".
						d.add("room "+core, Room, r.ID, 1)
						d.add(core+"房", Room, r.ID, 1)
						d.add("會議室"+core, Room, r.ID, 1)
						d.add(core+"室", Room, r.ID, 1)
						continue
					}
					if isLatin([]rune(core)) && len(core) < 4 {
						continue
					}
					d.add(core, Room, r.ID, 1)
					for _, w2 := range []string{"會議室", "房", " room", "室"} {
						d.add(core+w2, Room, r.ID, 1)
					}
				}
			}
		}
	}
}

// Find returns the references in text, longest match first, without
// overlaps, in text order. actor is the speaker's employee id, for "me",
// "my boss" and "my team".
func (d *Directory) Find(text, actor string) []Mention {
	orig := []rune(text)
	rs := zh.FoldRunes(orig)
	taken := make([]bool, len(rs))
	var out []Mention
	mark := func(s, e int) {
		for i := s; i < e; i++ {
			taken[i] = true
		}
	}
	free := func(s, e int) bool {
		for i := s; i < e; i++ {
			if taken[i] {
				return false
			}
		}
		return true
	}
	// Only a key whose first two runes occur together in the text can
	// match: a bit set of the text's rune pairs, checked first, keeps Find
	// fast on long texts and large directories (a false hit only costs the
	// full search).
	var pairs [32]uint64
	setPair := func(a, b rune) { h := pairHash(a, b); pairs[h>>6] |= 1 << (h & 63) }
	for i, r := range rs {
		setPair(r, 0)
		if i+1 < len(rs) {
			setPair(r, rs[i+1])
		}
	}
	// Relational references first: "我老闆" must not become "我" + "老闆".
	for _, rel := range relations {
		w := zh.Fold(rel.w)
		if r0, r1 := firstTwo(w); pairs[pairHash(r0, r1)>>6]&(1<<(pairHash(r0, r1)&63)) == 0 {
			continue
		}
		for _, s := range findAll(rs, w, isLatin([]rune(w))) {
			e := s + len([]rune(w))
			if !free(s, e) {
				continue
			}
			m := Mention{Kind: rel.kind, Start: s, End: e, Text: string(orig[s:e])}
			switch rel.kind {
			case Manager:
				if me, ok := d.Employee(actor); ok && me.Manager != "" {
					m.IDs = []string{me.Manager}
				} else {
					m.Kind = Unresolved
				}
			case Team:
				m.IDs = d.Reports(actor)
				if len(m.IDs) == 0 {
					if me, ok := d.Employee(actor); ok && me.Department != "" {
						m.IDs = without(d.Members(me.Department), actor)
					}
				}
			case Self:
				m.IDs = []string{actor}
			}
			mark(s, e)
			out = append(out, m)
		}
	}
	type hit struct {
		s, e int
		ks   []key
	}
	var hits []hit
	for _, g := range d.groups {
		var b rune
		if len(g.text) > 1 {
			b = g.text[1]
		}
		if h := pairHash(g.text[0], b); pairs[h>>6]&(1<<(h&63)) == 0 {
			continue
		}
		k := g.keys[0]
		for _, s := range findAll(rs, string(g.text), k.latin) {
			e := s + len(g.text)
			if k.caps && !anyCaps(orig[s:e]) {
				continue
			}
			hits = append(hits, hit{s, e, g.keys})
		}
	}
	// Longest first, then earliest.
	sort.SliceStable(hits, func(i, j int) bool {
		li, lj := hits[i].e-hits[i].s, hits[j].e-hits[j].s
		if li != lj {
			return li > lj
		}
		return hits[i].s < hits[j].s
	})
	var found []hit
	for _, h := range hits {
		if !free(h.s, h.e) {
			continue
		}
		mark(h.s, h.e)
		found = append(found, h)
	}
	for _, h := range found {
		m := Mention{Start: h.s, End: h.e, Text: string(orig[h.s:h.e])}
		best := 3
		for _, k := range h.ks {
			if k.tier < best {
				best = k.tier
			}
		}
		m.Kind = h.ks[0].kind
		for _, k := range h.ks {
			if k.tier == best && !contains(m.IDs, k.id) {
				m.IDs = append(m.IDs, k.id)
			}
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// firstTwo returns the first two runes of s (0 for a missing one).
func firstTwo(s string) (a, b rune) {
	for i, r := range s {
		if i == 0 {
			a = r
			continue
		}
		return a, r
	}
	return a, 0
}

// pairHash maps a pair of runes to one of 2048 bits.
func pairHash(a, b rune) uint32 { return (uint32(a)*2654435761 ^ uint32(b)*40503) >> 21 }

// relations are references relative to the speaker.
var relations = []struct {
	w    string
	kind Kind
}{
	{"我老闆", Manager}, {"我嘅老闆", Manager}, {"我的老闆", Manager}, {"我上司", Manager}, {"我嘅上司", Manager},
	{"我的上司", Manager}, {"我主管", Manager}, {"我的主管", Manager}, {"我經理", Manager}, {"我嘅經理", Manager},
	{"我老細", Manager}, {"老細", Manager}, {"my manager", Manager}, {"my boss", Manager}, {"my supervisor", Manager},
	{"我哋team", Team}, {"我地team", Team}, {"我team", Team}, {"我嘅team", Team}, {"我組", Team}, {"我個組", Team},
	{"我嘅組員", Team}, {"我組員", Team}, {"我的團隊", Team}, {"我團隊", Team}, {"我嘅團隊", Team}, {"我的組員", Team},
	{"我的下屬", Team}, {"我下屬", Team}, {"我嘅下屬", Team}, {"我們組", Team}, {"我們團隊", Team}, {"我哋組", Team},
	{"my team", Team}, {"my reports", Team}, {"my direct reports", Team}, {"my staff", Team},
	{"全組", Team}, {"成個組", Team}, {"成個team", Team}, {"whole team", Team}, {"the team", Team},
	{"我自己", Self}, {"myself", Self},
}

// englishWords are English words that are also given names: matched as a
// name only when capitalised ("May", "Will").
var englishWords = map[string]bool{
	"may": true, "will": true, "can": true, "grace": true, "hope": true, "joy": true, "mark": true,
	"bill": true, "rose": true, "jack": true, "sue": true, "pat": true, "ray": true, "april": true,
	"june": true, "summer": true, "art": true, "don": true, "faith": true, "sky": true, "ho": true,
	"so": true, "lam": true, "au": true, "ng": true, "ken": false, "kit": true, "lok": false, "wing": true,
	"long": true, "man": true, "sun": true, "chan": false, "ming": false, "young": true, "king": true,
	"hall": true, "bond": true, "ip": true, "yan": false, "fang": true, "wei": false, "best": true, "eve": true,
	"ivy": false, "jade": true, "amber": true, "angel": true, "crystal": true, "cherry": true, "echo": true,
	"win": true, "lee": false, "tin": true, "to": true, "yu": false, "on": true, "hung": true, "lau": false,
	"page": true, "it": true, "hr": false, "ops": true, "admin": true, "sales": false, "rich": true, "dick": true, "frank": true, "guy": true, "miles": true, "sandy": false,
}

// findAll returns the starts of w in rs; latin words match on word boundaries.
func findAll(rs []rune, w string, latin bool) []int {
	pat := []rune(w)
	var out []int
	for i := 0; i+len(pat) <= len(rs); i++ {
		ok := true
		for j, r := range pat {
			if rs[i+j] != r {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if latin {
			if i > 0 && isWordRune(rs[i-1]) || i+len(pat) < len(rs) && isWordRune(rs[i+len(pat)]) {
				continue
			}
		}
		out = append(out, i)
	}
	return out
}

func isWordRune(r rune) bool { return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

func isLatin(rs []rune) bool {
	for _, r := range rs {
		if r >= 0x80 {
			return false
		}
	}
	return true
}

func allHan(rs []rune) bool {
	for _, r := range rs {
		if !zh.IsHan(r) {
			return false
		}
	}
	return true
}

func anyCaps(rs []rune) bool {
	for _, r := range rs {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func without(ss []string, s string) []string {
	var out []string
	for _, x := range ss {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}
