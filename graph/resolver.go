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
	DB        *db.DB
	Citations Citations
}

// dateOrToday returns the date asked for, or today's date in UTC.
func dateOrToday(d *time.Time) time.Time {
	if d != nil {
		return *d
	}
	return time.Now().UTC().Truncate(24 * time.Hour)
}

// derefOr returns *p, or the zero value for nil.
func derefOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// nonZero is nil for a zero value, such as the fields a control entry that the
// reference list lacks has no value for, else a pointer to v.
func nonZero[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}
