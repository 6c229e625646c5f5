// Package graph implements the portal's GraphQL schema: the resolvers (a few lines
// each, calling the data layer or a per-request loader), the loaders they batch
// lookups through, and the citations and permalinks they answer with. The generated
// executor lives in graph/generated, the API's scalars in graph/scalars.
//
// Nothing here speaks HTTP beyond WithLoaders, the middleware that gives a request its
// loaders: the endpoint, its limits and error presenter, the downloads and the other
// routes are package internal/web, which builds the executable schema from Resolver.
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

// DateOrToday returns the date asked for, or today's date in UTC: what an asOf left
// out means, in the API and in the downloads that answer the same question.
func DateOrToday(d *time.Time) time.Time {
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
