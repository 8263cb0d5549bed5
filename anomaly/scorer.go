package anomaly

import (
	"math"
	"sort"
	"strings"
	"sync"
	"time"
)

// Scorer scores expense items against a tenant's history. It is safe for
// concurrent use: scoring takes a read lock, adding a write lock.
type Scorer struct {
	cfg      Config
	workCats map[string]bool
	kwWords  map[string][]string // English keyword -> categories
	kwZh     []zhKeyword
	compat   map[[2]string]bool

	mu sync.RWMutex
	h  history
}

type zhKeyword struct{ sub, cat string }

// record is the part of a history item that the checks read.
type record struct {
	id       string
	emp      string
	cat      string
	merchant string // normalised
	currency string
	invoice  string // normalised
	day      int32  // civil day number; noDay when unknown
	base     float64
	cents    int64
}

type dupKey struct {
	merchant string
	currency string
	cents    int64
	day      int32
}

type empDay struct {
	emp string
	day int32
}

type empState struct {
	byCat    map[string]*logHist
	nWork    int // items in working-day categories
	nOff     int // of which dated on non-working days
	nRound   int
	expRound float64 // round items expected from the categories' round rates
	digits   [10]int
	nDigits  int
}

type catState struct {
	hist   logHist
	nRound int
}

type merchantState struct {
	n    int
	cats map[string]int
	hist logHist // amounts in the tenant's currency
}

// history is the in-memory index of a tenant's items.
type history struct {
	recs      []record
	emps      map[string]*empState
	cats      map[string]*catState
	merchants map[string]*merchantState
	byHash    map[string][]int32
	byInvoice map[string][]int32
	byKey     map[dupKey][]int32
	byEmpDay  map[empDay][]int32
	bands     map[uint64][]int32
	sigOf     map[int32]int32 // record -> index in sigs
	sigs      []signature
	digits    [10]int // tenant-wide first digits
}

const noDay = math.MinInt32

// NewScorer returns a scorer with an empty history.
func NewScorer(cfg Config) *Scorer {
	s := &Scorer{
		cfg:      cfg,
		workCats: make(map[string]bool),
		kwWords:  make(map[string][]string),
		compat:   make(map[[2]string]bool),
	}
	for _, c := range cfg.WorkingDayCategories {
		s.workCats[c] = true
	}
	kw := cfg.CategoryKeywords
	if kw == nil {
		kw = defaultKeywords
	}
	cats := make([]string, 0, len(kw))
	for c := range kw {
		cats = append(cats, c)
	}
	sort.Strings(cats) // deterministic order of reasons
	for _, c := range cats {
		for _, w := range kw[c] {
			w = strings.ToLower(w)
			if isASCII(w) {
				s.kwWords[w] = append(s.kwWords[w], c)
			} else {
				s.kwZh = append(s.kwZh, zhKeyword{w, c})
			}
		}
	}
	pairs := cfg.CompatibleCategories
	if pairs == nil {
		pairs = defaultCompatible[:]
	}
	for _, p := range pairs {
		s.compat[p] = true
		s.compat[[2]string{p[1], p[0]}] = true
	}
	s.h = history{
		emps:      make(map[string]*empState),
		cats:      make(map[string]*catState),
		merchants: make(map[string]*merchantState),
		byHash:    make(map[string][]int32),
		byInvoice: make(map[string][]int32),
		byKey:     make(map[dupKey][]int32),
		byEmpDay:  make(map[empDay][]int32),
		bands:     make(map[uint64][]int32),
		sigOf:     make(map[int32]int32),
	}
	return s
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Config returns the scorer's configuration.
func (s *Scorer) Config() Config { return s.cfg }

// Len returns the number of items in the history.
func (s *Scorer) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.h.recs)
}

// Score scores an item against the history without adding it.
func (s *Scorer) Score(it Item) Result {
	p := s.prepare(&it)
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.score(&p)
}

// Add adds an item to the history.
func (s *Scorer) Add(it Item) {
	p := s.prepare(&it)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.add(&p)
}

// Observe scores an item against the history and then adds it, as an online
// scorer does with each new submission; it prepares the item only once.
func (s *Scorer) Observe(it Item) Result {
	p := s.prepare(&it)
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.score(&p)
	s.add(&p)
	return r
}

// Load adds a tenant's history in bulk, in submission order.
func (s *Scorer) Load(items []Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range items {
		p := s.prepare(&items[i])
		s.add(&p)
	}
}

// prepared is an item with the derived values every check needs.
type prepared struct {
	it       *Item
	merchant string
	invoice  string
	currency string
	day      int32
	subDay   int32
	base     float64
	logBase  float64
	cents    int64
	amount   float64
	round    bool
	digit    int
	sig      signature
	hasSig   bool
}

// civilDay numbers a calendar day, ignoring the time of day and zone.
func civilDay(t time.Time) int32 {
	if t.IsZero() {
		return noDay
	}
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (s *Scorer) prepare(it *Item) prepared {
	p := prepared{
		it:       it,
		merchant: normMerchant(it.Merchant),
		invoice:  normInvoice(it.InvoiceNo),
		currency: strings.ToUpper(strings.TrimSpace(it.Currency)),
		day:      civilDay(it.Date),
		subDay:   civilDay(it.SubmittedAt),
		amount:   it.Amount.InexactFloat64(),
		cents:    it.Amount.Shift(2).Round(0).IntPart(),
	}
	if p.currency == "" {
		p.currency = strings.ToUpper(s.cfg.Currency)
	}
	p.base = it.AmountBase
	if p.base == 0 {
		p.base = p.amount * s.cfg.rate(p.currency)
	}
	if p.base > 0 {
		p.logBase = math.Log(p.base)
	}
	// Round: a whole multiple of 50 in the receipt's own currency.
	p.round = p.cents >= 5000 && p.cents%5000 == 0
	p.digit = firstDigit(p.amount)
	if it.OCRText != "" {
		p.sig, p.hasSig = textSignature(it.OCRText)
	}
	return p
}

// add indexes a prepared item. The caller holds the write lock.
func (s *Scorer) add(p *prepared) {
	h := &s.h
	idx := int32(len(h.recs))
	it := p.it
	h.recs = append(h.recs, record{
		id: it.ID, emp: it.Employee, cat: it.Category, merchant: p.merchant, currency: p.currency,
		invoice: p.invoice, day: p.day, base: p.base, cents: p.cents,
	})
	if it.ReceiptHash != "" {
		h.byHash[it.ReceiptHash] = append(h.byHash[it.ReceiptHash], idx)
	}
	if len(p.invoice) >= minInvoiceLen {
		h.byInvoice[p.invoice] = append(h.byInvoice[p.invoice], idx)
	}
	if p.merchant != "" && p.day != noDay {
		k := dupKey{p.merchant, p.currency, p.cents, p.day}
		h.byKey[k] = append(h.byKey[k], idx)
	}
	if p.day != noDay {
		k := empDay{it.Employee, p.day}
		h.byEmpDay[k] = append(h.byEmpDay[k], idx)
	}
	if p.hasSig {
		h.sigOf[idx] = int32(len(h.sigs))
		h.sigs = append(h.sigs, p.sig)
		for b := range sigBands {
			k := p.sig.bandKey(b)
			h.bands[k] = append(h.bands[k], idx)
		}
	}

	cs := h.cats[it.Category]
	if cs == nil {
		cs = &catState{}
		h.cats[it.Category] = cs
	}
	es := h.emps[it.Employee]
	if es == nil {
		es = &empState{byCat: make(map[string]*logHist)}
		h.emps[it.Employee] = es
	}
	if p.base > 0 {
		eh := es.byCat[it.Category]
		if eh == nil {
			eh = &logHist{}
			es.byCat[it.Category] = eh
		}
		eh.add(p.logBase)
		es.expRound += roundRate(cs)
		cs.hist.add(p.logBase)
	}
	if p.round {
		es.nRound++
		cs.nRound++
	}
	if p.digit > 0 {
		es.digits[p.digit]++
		es.nDigits++
		h.digits[p.digit]++
	}
	if s.workCats[it.Category] && p.day != noDay {
		es.nWork++
		if !s.cfg.workingDay(it.Date) {
			es.nOff++
		}
	}
	if p.merchant != "" {
		ms := h.merchants[p.merchant]
		if ms == nil {
			ms = &merchantState{cats: make(map[string]int, 1)}
			h.merchants[p.merchant] = ms
		}
		ms.n++
		ms.cats[it.Category]++
		if p.base > 0 {
			ms.hist.add(p.logBase)
		}
	}
}

// roundRate is the smoothed share of round amounts in a category.
func roundRate(cs *catState) float64 {
	if cs == nil {
		return 0.05
	}
	return (float64(cs.nRound) + 0.5) / (float64(cs.hist.n) + 10)
}

// score runs the enabled checks and combines them. The caller holds a lock.
func (s *Scorer) score(p *prepared) Result {
	var rs []Reason
	if s.cfg.Enabled(CheckExactDuplicate) {
		rs = s.checkExactDuplicate(p, rs)
	}
	if s.cfg.Enabled(CheckNearDuplicate) {
		rs = s.checkNearDuplicate(p, rs)
	}
	if s.cfg.Enabled(CheckSplit) {
		rs = s.checkSplit(p, rs)
	}
	if s.cfg.Enabled(CheckOutlier) {
		rs = s.checkOutlier(p, rs)
	}
	if s.cfg.Enabled(CheckNonWorkingDay) {
		rs = s.checkNonWorkingDay(p, rs)
	}
	if s.cfg.Enabled(CheckRoundAmount) {
		rs = s.checkRound(p, rs)
	}
	if s.cfg.Enabled(CheckReceiptDate) {
		rs = s.checkReceiptDate(p, rs)
	}
	if s.cfg.Enabled(CheckOCRTotal) {
		rs = s.checkOCRTotal(p, rs)
	}
	if s.cfg.Enabled(CheckCategory) {
		rs = s.checkCategory(p, rs)
	}
	return combine(rs)
}

// combine merges per-check probabilities by noisy-OR: the item is normal only
// if every check's finding is innocent. Each reason's contribution is its
// share of the combined log-odds of innocence, so contributions sum to the score.
func combine(rs []Reason) Result {
	var logInnocent float64
	for i := range rs {
		rs[i].Probability = math.Min(math.Max(rs[i].Probability, 0), 0.999)
		logInnocent += math.Log1p(-rs[i].Probability)
	}
	score := -math.Expm1(logInnocent)
	for i := range rs {
		if logInnocent < 0 {
			rs[i].Contribution = score * math.Log1p(-rs[i].Probability) / logInnocent
		}
	}
	sort.SliceStable(rs, func(a, b int) bool { return rs[a].Contribution > rs[b].Contribution })
	if rs == nil {
		rs = []Reason{}
	}
	return Result{Score: score, Reasons: rs}
}
