package db

import "github.com/dualuse-transparency/portal/internal/page"

// PageInfo says where a page ends and whether another follows.
type PageInfo struct {
	HasNextPage bool
	EndCursor   *string
}

// pageInfo describes a page read with LIMIT size+1: a row beyond size means another page.
func pageInfo[T any](rows []T, size int, kind string, key func(T) string) PageInfo {
	n := min(size, len(rows))
	if n == 0 {
		return PageInfo{}
	}
	cursor := page.Encode(kind, key(rows[n-1]))
	return PageInfo{HasNextPage: len(rows) > size, EndCursor: &cursor}
}
