package api

import (
	"strconv"

	"github.com/banlihq/banli/domain"
)

// PageParams are the cursor parameters every list takes.
type PageParams struct {
	After string `query:"after" maxLength:"200" doc:"Cursor: the next value of the previous page; empty for the first page."`
	Limit int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Page size."`
}

func (p PageParams) limit() int {
	if p.Limit <= 0 {
		return 50
	}
	return p.Limit
}

// Page is one page of a list.
type Page[T any] struct {
	Items []T    `json:"items" nullable:"false"`
	Next  string `json:"next" doc:"Cursor for the next page (pass as after); empty on the last page."`
}

// pageOf makes a page from up to limit+1 fetched items: the extra item only
// says that another page exists.
func pageOf[T any](items []T, limit int, cursor func(T) string) Page[T] {
	p := Page[T]{Items: items}
	if len(items) > limit {
		p.Items = items[:limit]
		p.Next = cursor(items[limit-1])
	}
	if p.Items == nil {
		p.Items = []T{}
	}
	return p
}

// sortedPage pages a list held in memory and sorted by key ascending.
func sortedPage[T any](items []T, pp PageParams, key func(T) string) Page[T] {
	var rest []T
	for _, it := range items {
		if pp.After == "" || key(it) > pp.After {
			rest = append(rest, it)
		}
	}
	if len(rest) > pp.limit()+1 {
		rest = rest[:pp.limit()+1]
	}
	return pageOf(rest, pp.limit(), key)
}

// positionalPage pages a list held in memory in a fixed order that is not
// by key: the page starts after the item whose key is the cursor.
func positionalPage[T any](items []T, pp PageParams, key func(T) string) Page[T] {
	start := 0
	if pp.After != "" {
		start = len(items)
		for i, it := range items {
			if key(it) == pp.After {
				start = i + 1
				break
			}
		}
	}
	rest := items[start:]
	if len(rest) > pp.limit()+1 {
		rest = rest[:pp.limit()+1]
	}
	return pageOf(rest, pp.limit(), key)
}

// intCursor parses a numeric cursor (0 when empty).
func intCursor(after string) (int64, error) {
	if after == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(after, 10, 64)
	if err != nil || n <= 0 {
		return 0, &domain.Error{Code: domain.EInvalid, Message: "after: is not a cursor from this list",
			Fields: []domain.FieldError{{Field: "query.after", Message: "is not a cursor from this list", Value: after}}}
	}
	return n, nil
}
