package api

import (
	"fmt"
	"io"

	"github.com/danielgtaylor/huma/v2"

	"github.com/banlihq/banli/domain"
)

// readUpload reads a multipart file field of at most limit bytes. what
// names the file for the user ("a receipt file"); field is the form field.
func readUpload(f huma.FormFile, field, what string, limit int64) ([]byte, error) {
	if !f.IsSet {
		return nil, domain.Invalid(field, "%s is required (multipart field %q)", what, field)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, domain.Errorf(domain.ETooLarge, "the file is larger than %d bytes", limit)
	}
	return data, nil
}
