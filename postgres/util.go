package postgres

import (
	"encoding/json"
	"errors"

	"fmt"
	"github.com/jackc/pgx/v5/pgconn"
	"io/fs"

	"github.com/banlihq/banli/domain"
)

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}

func unmarshalSettings(b []byte, s *domain.Settings) error {
	*s = domain.DefaultSettings()
	if err := json.Unmarshal(b, s); err != nil {
		return fmt.Errorf("tenant settings: %w", err)
	}
	return nil
}

func jsonb(v any) []byte {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("marshal audit value: %v", err)) // domain values always marshal
	}
	return b
}

func isUnique(err error) bool { return pgCode(err) == "23505" }

func isExclusion(err error) bool { return pgCode(err) == "23P01" }

func pgCode(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	return ""
}
