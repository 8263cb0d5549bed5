// Command banli is the office assistant service: one binary to run it
// (dev, serve), manage it (migrate, seed, token, audit) and measure it (eval).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/domain"
	"github.com/banlihq/banli/postgres"
)

const usage = `banli — office assistant service

Usage:
  banli dev     [--addr 127.0.0.1:8080] [--data DIR]   run on embedded defaults (private PostgreSQL, demo company)
  banli serve   [--addr :8080]                        run against DATABASE_URL
  banli migrate                                       apply database migrations (DATABASE_URL)
  banli seed    --fixture FILE.yaml [--slug SLUG]     load a company from a fixture
  banli token   create --employee ID [--tenant SLUG] [--name NAME]
  banli audit   verify [--tenant SLUG]                check the audit hash chain
  banli receipts scan [--json] FILE...                read receipts with OCR (no database)
  banli docs    add|search|list [--tenant SLUG] ...   add documents (txt, md, pdf) and search the knowledge base
  banli chat    [--server URL --token T | --employee ID]  talk to the assistant in the terminal
  banli meetings summarize FILE [--date D] [--fixture F] [--lang L] [--json]  summarise a transcript or a recording (no database)
  banli eval    anomaly|receipts|agent|meetings ...   run an offline evaluation
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "banli: "+message(err))
		os.Exit(1)
	}
}

// message turns an error into a plain sentence for the terminal.
func message(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Message
	}
	return err.Error()
}

// exitError carries a non-zero exit status without an error message (e.g. a
// failed threshold whose report was already printed).
type exitError struct{ msg string }

func (e exitError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "dev":
		return cmdDev(ctx, rest, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout)
	case "seed":
		return cmdSeed(ctx, rest, stdout)
	case "token":
		return cmdToken(ctx, rest, stdout)
	case "audit":
		return cmdAudit(ctx, rest, stdout, stderr)
	case "eval":
		return cmdEval(ctx, rest, stdout, stderr)
	case "meetings":
		return cmdMeetings(ctx, rest, stdout, stderr)
	case "chat":
		return cmdChat(ctx, rest, os.Stdin, stdout, stderr)
	case "receipts":
		return cmdReceipts(ctx, rest, stdout, stderr)
	case "docs":
		return cmdDocs(ctx, rest, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("banli "+name, flag.ContinueOnError)
	return fs
}

// connect opens DATABASE_URL.
func connect(ctx context.Context) (*pgxpool.Pool, error) {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return nil, errors.New("DATABASE_URL is not set (or use `banli dev`, which runs its own PostgreSQL)")
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database does not answer: %w", err)
	}
	return pool, nil
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func cmdMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pool, err := connect(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "migrations applied")
	return nil
}

// operator opens DATABASE_URL with a store and the system actor of the
// company named by slug, for operator commands run from the CLI.
func operator(ctx context.Context, slug string) (*pgxpool.Pool, *postgres.Store, domain.Actor, error) {
	pool, err := connect(ctx)
	if err != nil {
		return nil, nil, domain.Actor{}, err
	}
	st, err := postgres.New(pool, postgres.Options{})
	if err == nil {
		var actor domain.Actor
		if actor, err = tenantActor(ctx, pool, slug); err == nil {
			return pool, st, actor, nil
		}
	}
	pool.Close()
	return nil, nil, domain.Actor{}, err
}

// tenantActor resolves --tenant (a slug; the only tenant when empty) to a
// system actor for operator commands.
func tenantActor(ctx context.Context, pool *pgxpool.Pool, slug string) (domain.Actor, error) {
	var id string
	var err error
	if slug == "" {
		rows, qerr := pool.Query(ctx, `SELECT id::text, slug FROM tenants ORDER BY created_at`)
		if qerr != nil {
			return domain.Actor{}, fmt.Errorf("list tenants: %w", qerr)
		}
		var ids, slugs []string
		for rows.Next() {
			var i, s string
			if err := rows.Scan(&i, &s); err != nil {
				return domain.Actor{}, err
			}
			ids, slugs = append(ids, i), append(slugs, s)
		}
		rows.Close()
		switch len(ids) {
		case 0:
			return domain.Actor{}, errors.New("no company in this database: run `banli seed --fixture FILE` first")
		case 1:
			id = ids[0]
		default:
			return domain.Actor{}, fmt.Errorf("several companies here (%v): choose one with --tenant", slugs)
		}
	} else {
		err = pool.QueryRow(ctx, `SELECT id::text FROM tenants WHERE slug = $1`, slug).Scan(&id)
		if err != nil {
			return domain.Actor{}, fmt.Errorf("no company with slug %q", slug)
		}
	}
	return domain.Actor{TenantID: id, System: true, Via: domain.ViaCLI}, nil
}

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return errors.New("usage: banli audit verify [--tenant SLUG]")
	}
	fs := newFlags("audit verify")
	slug := fs.String("tenant", "", "company slug (default: the only one)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	pool, st, actor, err := operator(ctx, *slug)
	if err != nil {
		return err
	}
	defer pool.Close()
	res, err := st.VerifyAudit(ctx, actor, func(done int64) { fmt.Fprintf(stderr, "\rverified %d entries", done) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d entries, head #%d %s\n", res.Entries, res.HeadSeq, res.HeadHash)
	if res.OK() {
		fmt.Fprintln(stdout, "audit chain intact")
		return nil
	}
	for _, p := range res.Problems {
		fmt.Fprintln(stdout, "PROBLEM: "+p)
	}
	return exitError{fmt.Sprintf("audit chain broken: %d problems", len(res.Problems))}
}
