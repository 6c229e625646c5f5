// Package graph serves the portal's GraphQL API over HTTP: the resolvers (a few lines
// each, calling the data layer or a per-request loader), the loaders, the error
// presenter and the HTTP routes. The generated executor lives in graph/generated.
package graph

import (
	"time"

	"github.com/dualuse-transparency/portal/db"
)

// Resolver is the root of the resolvers; it holds what they share.
type Resolver struct {
	DB *db.DB
}

// dateOrToday returns the date asked for, or today's date in UTC.
func dateOrToday(d *time.Time) time.Time {
	if d != nil {
		return *d
	}
	return time.Now().UTC().Truncate(24 * time.Hour)
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
