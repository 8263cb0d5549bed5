// Command leaveload measures leave submissions over HTTP: it seeds a company
// with many employees into DATABASE_URL, serves the real API in-process on
// loopback (auth, authorization, routing, insert, audit, River job enqueue),
// and drives it with N concurrent clients, each submitting one-day leave
// requests on distinct dates. It prints throughput and latency percentiles.
//
//	DATABASE_URL=postgres://... go run ./bench/leaveload -clients 32 -duration 20s
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/api"
	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/seed"
)

func main() {
	clients := flag.Int("clients", 32, "concurrent clients")
	duration := flag.Duration("duration", 20*time.Second, "how long to load")
	employees := flag.Int("employees", 256, "employees in the load company")
	poolSize := flag.Int("pool", 16, "database connections")
	flag.Parse()
	if err := run(*clients, *duration, *employees, int32(*poolSize)); err != nil {
		fmt.Fprintln(os.Stderr, "leaveload:", err)
		os.Exit(1)
	}
}

func run(clients int, duration time.Duration, employees int, poolSize int32) error {
	ctx := context.Background()
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return fmt.Errorf("DATABASE_URL is not set")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.MaxConns = poolSize
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	st, err := postgres.New(pool, postgres.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
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
		return err
	}
	sys := domain.Actor{TenantID: tid, System: true, Via: domain.ViaCLI}
	tokens := make([]string, employees)
	for i := range tokens {
		if tokens[i], _, err = st.CreateToken(ctx, sys, fmt.Sprintf("e-%d", i), "load"); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: api.New(st, api.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})}
	go srv.Serve(ln) //nolint:errcheck
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	// Each employee walks forward over weekdays; clients share employees
	// through an atomic counter so no two requests overlap.
	next := make([]atomic.Int64, employees)
	var seq atomic.Int64
	var failures atomic.Int64
	lat := make([][]time.Duration, clients)
	start := time.Now()
	deadline := start.Add(duration)
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
				d := time.Since(t0)
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
				lat[c] = append(lat[c], d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) == 0 {
		return fmt.Errorf("no successful request (%d failures)", failures.Load())
	}
	pct := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	fmt.Printf("clients=%d duration=%s ok=%d failed=%d\n", clients, elapsed.Round(time.Millisecond), len(all), failures.Load())
	fmt.Printf("throughput=%.0f submissions/s p50=%s p95=%s p99=%s max=%s\n",
		float64(len(all))/elapsed.Seconds(), pct(0.50).Round(10*time.Microsecond), pct(0.95).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), all[len(all)-1].Round(10*time.Microsecond))
	return nil
}
