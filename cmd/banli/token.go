package main

import (
	"context"
	"errors"
	"fmt"
	"io"
)

func cmdToken(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: banli token create --employee ID [--tenant SLUG] [--name NAME]")
	}
	fs := newFlags("token create")
	emp := fs.String("employee", "", "employee id, e.g. e-107")
	slug := fs.String("tenant", "", "company slug (default: the only one)")
	name := fs.String("name", "cli", "a name to recognise the token by")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *emp == "" {
		return errors.New("--employee is required")
	}
	pool, st, actor, err := operator(ctx, *slug)
	if err != nil {
		return err
	}
	defer pool.Close()
	tok, id, err := st.CreateToken(ctx, actor, *emp, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "token %s for %s (shown once; store it safely):\n%s\n", id, *emp, tok)
	return nil
}
