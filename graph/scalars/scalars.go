// Package scalars implements the API's custom GraphQL scalars. It stands apart from the
// resolvers because the generated code imports it.
package scalars

import (
	"github.com/dualuse-transparency/portal/internal/apperr"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalDate writes a date as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		_, _ = io.WriteString(w, strconv.Quote(t.Format(time.DateOnly)))
	})
}

// UnmarshalDate reads a "YYYY-MM-DD" date, refusing anything else.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, apperr.Errorf(apperr.Invalid, "a Date must be a string in the form YYYY-MM-DD, not %T", v)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, apperr.Errorf(apperr.Invalid, "%s is not a date in the form YYYY-MM-DD", apperr.Quote(s))
	}
	return t, nil
}
