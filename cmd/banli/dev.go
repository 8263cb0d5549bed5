package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/pgcluster"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/seed"
)

// demoUsers are the demo employees whose tokens `banli dev` prints: a staff
// member, their manager, HR, finance and an administrator.
var demoUsers = []struct{ id, who string }{
	{"e-107", "王家樂 sales officer"},
	{"e-105", "馮偉業 sales director (manager of e-106..e-108)"},
	{"e-111", "何慧敏 HR manager"},
	{"e-110", "蘇俊賢 accountant (finance)"},
	{"e-113", "林浩然 IT manager (admin)"},
}

func cmdDev(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("dev")
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	data := fs.String("data", ".banli/pg", "data folder of the private PostgreSQL cluster")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := logger(stderr)
	planner, desc, err := plannerFromEnv(os.Getenv, log)
	if err != nil {
		return err
	}
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		dir, err := filepath.Abs(*data)
		if err != nil {
			return err
		}
		c, err := pgcluster.Start(ctx, dir, func(s string) { log.Info(s) })
		if err != nil {
			return err
		}
		defer func() {
			if err := c.Stop(); err != nil {
				log.Error("stop PostgreSQL", "err", err)
			} else {
				log.Info("private PostgreSQL stopped")
			}
		}()
		if err := c.CreateDB(ctx, "banli"); err != nil {
			return err
		}
		url = c.URL("banli")
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	st, err := postgres.New(pool, postgres.Options{Logger: log})
	if err != nil {
		return err
	}
	f, err := fixture.Demo()
	if err != nil {
		return err
	}
	slug := seed.Slug(f.Tenant.Name)
	tid, err := st.TenantBySlug(ctx, slug)
	if domain.ErrorCode(err) == domain.ENotFound {
		log.Info("seeding the demo company", "name", f.Tenant.Name)
		tid, err = seed.Load(ctx, st, f, slug)
	}
	if err != nil {
		return err
	}
	sys := domain.Actor{TenantID: tid, System: true, Via: domain.ViaCLI}
	return serve(ctx, pool, *addr, log, planner, func(bound string) {
		fmt.Fprintf(stdout, "\nbanli is running at http://%s (API docs: http://%s/docs)\n", bound, bound)
		fmt.Fprintf(stdout, "database: %s\nplanner: %s\n\nDemo tokens (%s):\n", url, desc, f.Tenant.Name)
		var first string
		for _, u := range demoUsers {
			tok, _, err := st.CreateToken(ctx, sys, u.id, "banli dev")
			if err != nil {
				fmt.Fprintf(stdout, "  %s: %v\n", u.id, err)
				continue
			}
			if first == "" {
				first = tok
			}
			fmt.Fprintf(stdout, "  %-6s %-45s %s\n", u.id, u.who, tok)
		}
		fmt.Fprintf(stdout, "\nTry:\n  curl -s -H 'Authorization: Bearer %s' http://%s/v1/me\n", first, bound)
		fmt.Fprintf(stdout, "  curl -s -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\\n    -d '{\"leave_type\":\"annual\",\"start\":\"2026-12-21\",\"end\":\"2026-12-22\"}' http://%s/v1/leave-requests\n", first, bound)
		fmt.Fprintf(stdout, "  curl -s -H 'Authorization: Bearer %s' -F file=@receipt.jpg http://%s/v1/receipts\n", first, bound)
		fmt.Fprintf(stdout, "  banli chat --server http://%s --token %s\n", bound, first)
		fmt.Fprintln(stdout, "Press Ctrl-C to stop.")
	})
}
