package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/api"
	"github.com/banlihq/banli/postgres"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve")
	addr := fs.String("addr", ":8080", "listen address")
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
	return serve(ctx, pool, *addr, logger(stderr), nil)
}

// serve runs the store's jobs and the HTTP API until ctx ends, then shuts
// down gracefully. ready, when set, is called once the listener is open.
func serve(ctx context.Context, pool *pgxpool.Pool, addr string, log *slog.Logger, ready func(addr string)) error {
	st, err := postgres.New(pool, postgres.Options{Logger: log, Work: true})
	if err != nil {
		return err
	}
	if err := st.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = st.Stop(sctx)
	}()
	srv := &http.Server{Handler: api.New(st, api.Options{Logger: log, Version: version}), ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	log.Info("serving", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
