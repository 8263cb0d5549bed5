package pgcluster

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStartStop(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL server")
	}
	if _, err := FindBin(); err != nil {
		t.Skip(err)
	}
	ctx := context.Background()
	dir := t.TempDir() + "/pg"
	c, err := Start(ctx, dir, func(s string) { t.Log(s) })
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := c.Stop(); err != nil {
			t.Error(err)
		}
	}()
	if err := c.CreateDB(ctx, "banli"); err != nil {
		t.Fatal(err)
	}
	if err := c.CreateDB(ctx, "banli"); err != nil { // idempotent
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, c.URL("banli"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("query: %v %d", err, one)
	}
}
