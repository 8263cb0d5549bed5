package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/banlihq/banli/agent/llm"
	"github.com/banlihq/banli/evals/agent"
	"github.com/banlihq/banli/evals/agentcases"
	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/pgcluster"
	"github.com/banlihq/banli/progress"
)

// evalAgent runs the agent suite (shared evals/FORMAT.md §2). The server is
// BANLI_EVAL_DATABASE_URL, else DATABASE_URL, else a private cluster.
func evalAgent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval agent")
	fxPath := fs.String("fixture", "", "tenant fixture YAML (FORMAT.md §1)")
	casesPath := fs.String("cases", "", "agent cases JSONL (FORMAT.md §2)")
	planner := fs.String("planner", "builtin", "planner: builtin, or llm (BANLI_LLM_BASE_URL, BANLI_LLM_MODEL)")
	jsonOut := fs.String("json", "", "write the JSON report here")
	minPass := fs.Float64("min-pass", -1, "fail below this pass rate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *fxPath == "" || *casesPath == "" {
		return errors.New("--fixture and --cases are required")
	}
	opts := agenteval.Options{Planner: *planner}
	var model *llm.Planner
	if *planner == "llm" {
		var err error
		if model, err = llmPlanner(os.Getenv, logger(stderr)); err != nil {
			return err
		}
		opts.LLM = model
		fmt.Fprintf(stderr, "planner: %s\n", model.Config())
	}
	fx, err := fixture.Load(*fxPath)
	if err != nil {
		return err
	}
	cases, err := agentcases.LoadFile(*casesPath)
	if err != nil {
		return err
	}
	admin := os.Getenv("BANLI_EVAL_DATABASE_URL")
	if admin == "" {
		admin = os.Getenv("DATABASE_URL")
	}
	if admin == "" {
		dir, err := os.MkdirTemp("", "banli-eval-pg-")
		if err != nil {
			return fmt.Errorf("cluster dir: %w", err)
		}
		defer os.RemoveAll(dir)
		cl, err := pgcluster.Start(ctx, filepath.Join(dir, "pg"), func(s string) { fmt.Fprintln(stderr, s) })
		if err != nil {
			return fmt.Errorf("start PostgreSQL (or set BANLI_EVAL_DATABASE_URL): %w", err)
		}
		defer cl.Stop()
		admin = cl.URL("postgres")
	}
	bar := progress.New(stderr, "agent cases", len(cases))
	opts.AdminURL, opts.Progress = admin, func(done, _ int) { bar.Set(done) }
	rep, err := agenteval.Run(ctx, fx, cases, opts)
	bar.Finish()
	if err != nil {
		return err
	}
	rep.Table(stdout)
	if model != nil && model.Fallbacks() > 0 {
		// Those turns measured the built-in planner, not the model.
		fmt.Fprintf(stdout, "the model failed on %d turn(s); the built-in planner answered them\n", model.Fallbacks())
	}
	if err := writeJSON(*jsonOut, rep); err != nil {
		return err
	}
	if rep.Unsafe > 0 {
		return exitError{fmt.Sprintf("%d unsafe execution(s): must be 0", rep.Unsafe)}
	}
	return floor("pass_rate", rep.PassRate, *minPass)
}
