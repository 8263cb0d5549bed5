package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// writes is a batch of statements whose only result is success or failure,
// each with what it does, to name a failure. A command queues them to send
// in one round trip with others instead of one round trip each.
type writes struct {
	b    pgx.Batch
	what []string
}

// queue adds a statement.
func (w *writes) queue(what, sql string, args ...any) {
	w.b.Queue(sql, args...)
	w.what = append(w.what, what)
}

func (w *writes) len() int { return len(w.what) }

// moveTo appends w's statements to dst and empties w.
func (w *writes) moveTo(dst *writes) {
	dst.b.QueuedQueries = append(dst.b.QueuedQueries, w.b.QueuedQueries...)
	dst.what = append(dst.what, w.what...)
	w.reset()
}

func (w *writes) reset() {
	w.b.QueuedQueries = nil
	w.what = nil
}

// read reads the results of w's statements, which lead br's batch, and
// returns their command tags.
func (w *writes) read(br pgx.BatchResults) ([]pgconn.CommandTag, error) {
	tags := make([]pgconn.CommandTag, 0, len(w.what))
	for _, what := range w.what {
		tag, err := br.Exec()
		if err != nil {
			return tags, fmt.Errorf("%s: %w", what, err)
		}
		tags = append(tags, tag)
	}
	return tags, nil
}

// send sends w in one round trip, empties it, and returns the statements'
// command tags.
func (w *writes) send(ctx context.Context, tx pgx.Tx) ([]pgconn.CommandTag, error) {
	if w.len() == 0 {
		return nil, nil
	}
	br := tx.SendBatch(ctx, &w.b)
	tags, err := w.read(br)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("%s: %w", w.what[len(w.what)-1], cerr)
	}
	w.reset()
	return tags, err
}
