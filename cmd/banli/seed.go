package main

import (
	"context"
	"fmt"
	"io"

	"github.com/banlihq/banli/fixture"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/seed"
)

func cmdSeed(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("seed")
	path := fs.String("fixture", "", "fixture YAML (shared evals/FORMAT.md §1); empty: the demo company")
	slug := fs.String("slug", "", "company slug (default: from the name)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var f *fixture.Fixture
	var err error
	if *path == "" {
		f, err = fixture.Demo()
	} else {
		f, err = fixture.Load(*path)
	}
	if err != nil {
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
	st, err := postgres.New(pool, postgres.Options{})
	if err != nil {
		return err
	}
	id, err := seed.Load(ctx, st, f, *slug)
	if err != nil {
		return err
	}
	s := *slug
	if s == "" {
		s = seed.Slug(f.Tenant.Name)
	}
	fmt.Fprintf(stdout, "loaded %s (slug %s, id %s): %d employees\n", f.Tenant.Name, s, id, len(f.Employees))
	return nil
}
