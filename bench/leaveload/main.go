// Command leaveload measures leave submissions over HTTP: it seeds a company
// with many employees into DATABASE_URL, serves the real API on loopback
// (auth, authorization, routing, insert, audit, River job enqueue), and
// drives it with N concurrent clients, each submitting one-day leave requests
// on distinct dates. It prints throughput, latency percentiles, database
// round trips per submission, CPU per submission (this process, the API's
// when apart, and the PostgreSQL backends, read from /proc) and the
// PostgreSQL wait events sampled during the run.
//
//	DATABASE_URL=postgres://... go run ./bench/leaveload -clients 32 -duration 20s
//
// By default the server runs in this process beside the clients, so the
// figure includes the load generator's own CPU on the same cores. With
// -split the API runs in a child process (this binary with -serve) and the
// profile flags apply to that child, so the server's profile is not mixed
// with the clients'. -tenants spreads the employees over several companies
// (each with its own audit chain), and -commit-before-flush serves with
// postgres.Options.CommitBeforeFlush.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/api"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/seed"
)

type config struct {
	clients      int
	duration     time.Duration
	employees    int
	tenants      int
	pool         int32
	split        bool
	commitEarly  bool
	serve        bool // internal: the child of -split
	cpuProfile   string
	mutexProfile string
	blockProfile string
}

func main() {
	var c config
	var pool int
	flag.IntVar(&c.clients, "clients", 32, "concurrent clients")
	flag.DurationVar(&c.duration, "duration", 20*time.Second, "how long to load")
	flag.IntVar(&c.employees, "employees", 256, "employees in the load company")
	flag.IntVar(&c.tenants, "tenants", 1, "companies the employees are spread over (each has its own audit chain)")
	flag.IntVar(&pool, "pool", 16, "database connections of the server")
	flag.BoolVar(&c.split, "split", false, "run the API in a child process, apart from the clients")
	flag.BoolVar(&c.commitEarly, "commit-before-flush", false, "serve with postgres.Options.CommitBeforeFlush (audit chain released before the WAL flush)")
	flag.BoolVar(&c.serve, "serve", false, "internal: serve the API for a -split parent (reads DATABASE_URL, prints the address)")
	flag.StringVar(&c.cpuProfile, "cpuprofile", "", "write the server's CPU profile over the load to this file")
	flag.StringVar(&c.mutexProfile, "mutexprofile", "", "write the server's mutex contention profile to this file")
	flag.StringVar(&c.blockProfile, "blockprofile", "", "write the server's blocking profile to this file")
	flag.Parse()
	c.pool = int32(pool)
	var err error
	if c.serve {
		err = serveChild(c)
	} else {
		err = run(c)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "leaveload:", err)
		os.Exit(1)
	}
}

// counter counts database round trips: each query outside a batch and each
// batch (sent in one exchange) is one.
type counter struct {
	queries, batches atomic.Int64
}

func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.queries.Add(1)
	return ctx
}
func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *counter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.batches.Add(1)
	return ctx
}
func (c *counter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}
func (c *counter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData)     {}

func (c *counter) roundTrips() int64 { return c.queries.Load() + c.batches.Load() }

// server is the API under load with its store and round-trip counter.
type server struct {
	pool  *pgxpool.Pool
	st    *postgres.Store
	count *counter
	srv   *http.Server
	addr  string
}

func openServer(ctx context.Context, poolSize int32, commitEarly bool) (*server, error) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return nil, fmt.Errorf("DATABASE_URL is not set")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = poolSize
	cfg.MinConns = poolSize
	s := &server{count: &counter{}}
	cfg.ConnConfig.Tracer = s.count
	if s.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, err
	}
	if err := postgres.Migrate(ctx, s.pool); err != nil {
		s.pool.Close()
		return nil, err
	}
	quiet := slog.New(slog.DiscardHandler)
	if s.st, err = postgres.New(s.pool, postgres.Options{Logger: quiet, CommitBeforeFlush: commitEarly}); err != nil {
		s.pool.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.pool.Close()
		return nil, err
	}
	s.addr = ln.Addr().String()
	s.srv = &http.Server{Handler: api.New(s.st, api.Options{Logger: quiet})}
	go s.srv.Serve(ln) //nolint:errcheck // ends with Close
	return s, nil
}

func (s *server) close() {
	s.srv.Close()
	s.pool.Close()
}

// profiles starts the requested profiles; the returned func writes them.
func profiles(c config) (func() error, error) {
	var cpu *os.File
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		cpu = f
	}
	if c.mutexProfile != "" {
		runtime.SetMutexProfileFraction(5)
	}
	if c.blockProfile != "" {
		runtime.SetBlockProfileRate(int(100 * time.Microsecond))
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return err
			}
		}
		for name, path := range map[string]string{"mutex": c.mutexProfile, "block": c.blockProfile} {
			if path == "" {
				continue
			}
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			if err := pprof.Lookup(name).WriteTo(f, 0); err != nil {
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// seedCompanies loads the load-test companies, employees spread evenly over
// them, and issues one token per employee.
func seedCompanies(ctx context.Context, st *postgres.Store, employees, tenants int) ([]string, error) {
	var tokens []string
	for t := 0; t < tenants; t++ {
		n := employees / tenants
		if t < employees%tenants {
			n++
		}
		tok, err := seedCompany(ctx, st, n)
		if err != nil {
			return nil, err
		}
		tokens = append(tokens, tok...)
	}
	return tokens, nil
}

// seedCompany loads one load-test company and issues one token per employee.
func seedCompany(ctx context.Context, st *postgres.Store, employees int) ([]string, error) {
	f := &fixture.Fixture{Tenant: fixture.Tenant{Name: fmt.Sprintf("Load Test %d", time.Now().UnixNano())}}
	f.Departments = []fixture.Department{{ID: "ops", Name: "Ops", Head: "m-0"}}
	f.Employees = []fixture.Employee{{ID: "m-0", Name: "Boss", Department: "ops", Roles: []string{"employee"}}}
	for i := 1; i <= 16; i++ {
		f.Employees = append(f.Employees, fixture.Employee{ID: fmt.Sprintf("m-%d", i), Name: fmt.Sprintf("Manager %d", i), Department: "ops", Manager: "m-0"})
	}
	for i := 0; i < employees; i++ {
		f.Employees = append(f.Employees, fixture.Employee{ID: fmt.Sprintf("e-%d", i), Name: fmt.Sprintf("Staff %d", i), Department: "ops", Manager: fmt.Sprintf("m-%d", 1+i%16)})
	}
	tid, err := seed.Load(ctx, st, f, "")
	if err != nil {
		return nil, err
	}
	sys := domain.Actor{TenantID: tid, System: true, Via: domain.ViaCLI}
	tokens := make([]string, employees)
	for i := range tokens {
		if tokens[i], _, err = st.CreateToken(ctx, sys, fmt.Sprintf("e-%d", i), "load"); err != nil {
			return nil, err
		}
	}
	return tokens, nil
}

// child is the API server of a -split run, driven over its stdin/stdout:
// it prints its address and the tokens as one JSON line, runs the load
// window between "start" and "stop" lines on stdin (profiling it), and then
// prints the round trips it made in the window.
type childHello struct {
	Addr   string   `json:"addr"`
	Tokens []string `json:"tokens"`
}

func serveChild(c config) error {
	ctx := context.Background()
	s, err := openServer(ctx, c.pool, c.commitEarly)
	if err != nil {
		return err
	}
	defer s.close()
	tokens, err := seedCompanies(ctx, s.st, c.employees, c.tenants)
	if err != nil {
		return err
	}
	signal.Ignore(os.Interrupt) // the parent decides when to stop
	if err := json.NewEncoder(os.Stdout).Encode(childHello{Addr: s.addr, Tokens: tokens}); err != nil {
		return err
	}
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() || in.Text() != "start" {
		return fmt.Errorf("expected start from the parent")
	}
	rt0, cpu0 := s.count.roundTrips(), processCPU()
	stop, err := profiles(c)
	if err != nil {
		return err
	}
	if !in.Scan() || in.Text() != "stop" {
		return fmt.Errorf("expected stop from the parent")
	}
	if err := stop(); err != nil {
		return err
	}
	fmt.Println(s.count.roundTrips()-rt0, (processCPU() - cpu0).Nanoseconds())
	return nil
}

func run(c config) error {
	ctx := context.Background()
	var (
		base       string
		tokens     []string
		roundTrips func() int64
		serverCPU  func() time.Duration // of the API's process over the load
		startLoad  func() error
		endLoad    func() error
	)
	if c.split {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		args := []string{"-serve", "-pool", fmt.Sprint(c.pool), "-employees", fmt.Sprint(c.employees), "-tenants", fmt.Sprint(c.tenants), fmt.Sprintf("-commit-before-flush=%v", c.commitEarly),
			"-cpuprofile", c.cpuProfile, "-mutexprofile", c.mutexProfile, "-blockprofile", c.blockProfile}
		cmd := exec.Command(exe, args...)
		cmd.Stderr = os.Stderr
		stdin, err := cmd.StdinPipe()
		if err != nil {
			return err
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		defer func() { stdin.Close(); _ = cmd.Wait() }()
		out := bufio.NewScanner(stdout)
		out.Buffer(nil, 1<<24)
		if !out.Scan() {
			return fmt.Errorf("server process ended before it was ready")
		}
		var hello childHello
		if err := json.Unmarshal(out.Bytes(), &hello); err != nil {
			return fmt.Errorf("server hello: %w", err)
		}
		base, tokens = "http://"+hello.Addr, hello.Tokens
		var rt, cpuNS int64
		roundTrips = func() int64 { return rt }
		serverCPU = func() time.Duration { return time.Duration(cpuNS) }
		startLoad = func() error { _, err := io.WriteString(stdin, "start\n"); return err }
		endLoad = func() error {
			if _, err := io.WriteString(stdin, "stop\n"); err != nil {
				return err
			}
			if !out.Scan() {
				return fmt.Errorf("server process ended before reporting")
			}
			_, err := fmt.Sscan(out.Text(), &rt, &cpuNS)
			return err
		}
	} else {
		s, err := openServer(ctx, c.pool, c.commitEarly)
		if err != nil {
			return err
		}
		defer s.close()
		if tokens, err = seedCompanies(ctx, s.st, c.employees, c.tenants); err != nil {
			return err
		}
		base = "http://" + s.addr
		var rt0, rt1 int64
		var cpu0, cpu1 time.Duration
		var stop func() error
		roundTrips = func() int64 { return rt1 - rt0 }
		serverCPU = func() time.Duration { return cpu1 - cpu0 }
		startLoad = func() error {
			rt0, cpu0 = s.count.roundTrips(), processCPU()
			stop, err = profiles(c)
			return err
		}
		endLoad = func() error {
			rt1, cpu1 = s.count.roundTrips(), processCPU()
			return stop()
		}
	}

	waits := newWaitSampler(ctx)
	if err := startLoad(); err != nil {
		return err
	}
	pg0 := waits.backendCPU()
	waits.start()
	self0 := processCPU()
	res := drive(base, tokens, c.clients, c.duration)
	self1 := processCPU()
	waits.stop()
	pg1 := waits.backendCPU()
	if err := endLoad(); err != nil {
		return err
	}
	if len(res.lat) == 0 {
		return fmt.Errorf("no successful request (%d failures)", res.failed)
	}
	all := res.lat
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		return all[min(len(all)-1, int(p*float64(len(all))))].Round(10 * time.Microsecond)
	}
	mode := "in-process (clients and API in one process)"
	if c.split {
		mode = "split (API in a child process)"
	}
	fmt.Printf("mode=%s clients=%d pool=%d employees=%d tenants=%d commit-before-flush=%v duration=%s ok=%d failed=%d\n",
		mode, c.clients, c.pool, c.employees, c.tenants, c.commitEarly, res.elapsed.Round(time.Millisecond), len(all), res.failed)
	fmt.Printf("throughput=%.0f submissions/s p50=%s p95=%s p99=%s max=%s\n",
		float64(len(all))/res.elapsed.Seconds(), pct(0.50), pct(0.95), pct(0.99), all[len(all)-1].Round(10*time.Microsecond))
	n := float64(len(all) + int(res.failed))
	fmt.Printf("db round trips per submission=%.1f (token lookup, queries, batches, begin and commit)\n", float64(roundTrips())/n)
	perSub := func(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)/n) }
	if c.split {
		fmt.Printf("cpu per submission: api process=%s load generator=%s postgres backends=%s (machine: %d cores, load average %s)\n",
			perSub(serverCPU()), perSub(self1-self0), perSub(pg1-pg0), runtime.NumCPU(), loadAverage())
	} else {
		fmt.Printf("cpu per submission: api and load generator process=%s postgres backends=%s (machine: %d cores, load average %s)\n",
			perSub(serverCPU()), perSub(pg1-pg0), runtime.NumCPU(), loadAverage())
	}
	waits.print()
	waits.close()
	return nil
}

type result struct {
	lat     []time.Duration
	failed  int64
	elapsed time.Duration
}

// drive runs the clients for d against base and collects latencies of
// successful (201) submissions.
func drive(base string, tokens []string, clients int, d time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	defer tr.CloseIdleConnections()
	employees := len(tokens)
	// Each employee walks forward over weekdays; clients share employees
	// through an atomic counter so no two requests overlap.
	next := make([]atomic.Int64, employees)
	var seq atomic.Int64
	var failures atomic.Int64
	lat := make([][]time.Duration, clients)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				n := seq.Add(1)
				emp := int(n % int64(employees))
				k := next[emp].Add(1)
				day := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(k/5)*7+int(k%5))
				body := fmt.Sprintf(`{"leave_type":"personal","start":"%s","end":"%s"}`, day.Format("2006-01-02"), day.Format("2006-01-02"))
				req, _ := http.NewRequest(http.MethodPost, base+"/v1/leave-requests", bytes.NewBufferString(body))
				req.Header.Set("Authorization", "Bearer "+tokens[emp])
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := hc.Do(req)
				el := time.Since(t0)
				if err != nil {
					failures.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					failures.Add(1)
					continue
				}
				lat[c] = append(lat[c], el)
			}
		}()
	}
	wg.Wait()
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	return result{lat: all, failed: failures.Load(), elapsed: time.Since(start)}
}

// waitSampler samples what the database's active backends wait on, every
// 50 ms on a connection of its own, to show where the server side waits:
// CPU (active, no wait event), lock waits, WAL flushes, or idle in a
// transaction (waiting for the application's next statement).
type waitSampler struct {
	conn    *pgx.Conn
	counts  map[string]int
	samples int
	done    chan struct{}
	wg      sync.WaitGroup
}

func newWaitSampler(ctx context.Context) *waitSampler {
	w := &waitSampler{counts: map[string]int{}, done: make(chan struct{})}
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err == nil {
		w.conn = conn
	}
	return w
}

func (w *waitSampler) start() {
	if w.conn == nil {
		return
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
			}
			rows, err := w.conn.Query(context.Background(), `SELECT CASE WHEN state <> 'active' THEN replace(state, ' ', '_')
				  ELSE coalesce(wait_event_type || ':' || wait_event, 'CPU') END, count(*)
				FROM pg_stat_activity WHERE datname = current_database() AND state IN ('active', 'idle in transaction') AND pid <> pg_backend_pid() GROUP BY 1`)
			if err != nil {
				return
			}
			for rows.Next() {
				var ev string
				var n int
				if rows.Scan(&ev, &n) == nil {
					w.counts[ev] += n
				}
			}
			rows.Close()
			w.samples++
		}
	}()
}

func (w *waitSampler) stop() {
	close(w.done)
	w.wg.Wait()
}

// backendCPU is the CPU time used so far by the PostgreSQL backends
// connected to this database (from /proc, so only on the same machine; the
// pool keeps its connections open over the run). It is zero when unknown.
func (w *waitSampler) backendCPU() time.Duration {
	if w.conn == nil {
		return 0
	}
	rows, err := w.conn.Query(context.Background(), `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		return 0
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return 0
	}
	var total time.Duration
	for _, pid := range pids {
		total += procCPU(fmt.Sprintf("/proc/%d/stat", pid))
	}
	return total
}

// procCPU reads utime+stime from a /proc stat file (clock ticks of 10 ms on
// Linux's usual USER_HZ of 100).
func procCPU(path string) time.Duration {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// processCPU is this process's CPU time so far.
func processCPU() time.Duration { return procCPU("/proc/self/stat") }

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func (w *waitSampler) close() {
	if w.conn != nil {
		w.conn.Close(context.Background())
	}
}

func (w *waitSampler) print() {
	if w.samples == 0 {
		return
	}
	type ev struct {
		name string
		n    int
	}
	var evs []ev
	for k, n := range w.counts {
		evs = append(evs, ev{k, n})
	}
	sort.Slice(evs, func(i, j int) bool { return evs[i].n > evs[j].n })
	var parts []string
	for i, e := range evs {
		if i == 8 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s=%.2f", e.name, float64(e.n)/float64(w.samples)))
	}
	fmt.Printf("postgres backends busy in a transaction, by wait event (mean over %d samples): %s\n", w.samples, strings.Join(parts, " "))
}
