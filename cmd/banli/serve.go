package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/banlihq/banli/agent"
	"github.com/banlihq/banli/api"
	"github.com/banlihq/banli/knowledge"
	"github.com/banlihq/banli/meeting"
	"github.com/banlihq/banli/postgres"
	"github.com/banlihq/banli/voice"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve")
	addr := fs.String("addr", ":8080", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := logger(stderr)
	// A model configuration that cannot work fails before the database.
	planner, desc, err := plannerFromEnv(os.Getenv, log)
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
	log.Info("assistant planner", "planner", desc)
	return serve(ctx, pool, *addr, log, planner, nil)
}

// serve runs the store's jobs and the HTTP API until ctx ends, then shuts
// down gracefully. The assistant plans with planner. ready, when set, is
// called once the listener is open.
func serve(ctx context.Context, pool *pgxpool.Pool, addr string, log *slog.Logger, planner agent.Planner, ready func(addr string)) error {
	opts := postgres.Options{Logger: log, Work: true}
	ko, kdesc, err := knowledgeFromEnv(ctx, os.Getenv, pool)
	if err != nil {
		return err
	}
	log.Info("knowledge search", "setup", kdesc)
	opts.Knowledge = ko
	summarizer, mdesc, err := meetingSummarizerFromEnv(os.Getenv, log)
	if err != nil {
		return err
	}
	log.Info("meeting summaries", "summariser", mdesc)
	speech, err := voice.FromEnv(os.Getenv)
	if err != nil {
		return err
	}
	log.Info("voice", "recogniser", speech.String())
	recs := &meeting.Recordings{Speech: speech}
	opts.Recordings = recs
	rd, closeReader := openReceiptReader(log)
	defer closeReader() // after the store stops: OCR jobs finish first
	if rd != nil {
		opts.Receipts = rd
	}
	st, err := postgres.New(pool, opts)
	if err != nil {
		return err
	}
	recs.Meetings = meeting.NewService(st, summarizer) // before jobs start
	if err := st.Start(ctx); err != nil {
		return fmt.Errorf("start jobs: %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = st.Stop(sctx)
	}()
	if n, err := st.QueueStaleEmbeddings(ctx); err != nil {
		log.Warn("knowledge: cannot queue passages waiting for embeddings", "err", err)
	} else if n > 0 {
		log.Info("knowledge: queued embedding jobs for sources waiting for the current model", "sources", n)
	}
	pdf := &pdfText{}
	defer pdf.close()
	assistant := agent.New(st, agent.Options{Planner: planner})
	srv := &http.Server{Handler: api.New(st, api.Options{Logger: log, Version: version, Agent: assistant, Voice: speech, Documents: knowledge.Reader{PDF: pdf.read}, MeetingSummarizer: summarizer}), ReadHeaderTimeout: 10 * time.Second}
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
