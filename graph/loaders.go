package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/dualuse-transparency/portal/db"
)

// Loaders batch the lookups by key that resolvers make inside lists, so a page costs a
// fixed number of queries whatever its length. They live for one request.
type Loaders struct {
	Country          *dataloadgen.Loader[string, db.Country]
	MemberState      *dataloadgen.Loader[string, db.MemberState]
	ControlEntry     *dataloadgen.Loader[string, db.ControlEntry]
	DecisionEntry    *dataloadgen.Loader[string, db.ControlEntry] // also answers codes the reference lacks
	Children         *dataloadgen.Loader[string, []db.ControlEntry]
	PopulationShares *dataloadgen.Loader[string, []db.PopulationShare]
}

type loadersKey struct{}

// loaderWait is how long a loader gathers keys before it queries.
const loaderWait = time.Millisecond

func newLoaders(d *db.DB) *Loaders {
	wait := dataloadgen.WithWait(loaderWait)
	return &Loaders{
		Country:          dataloadgen.NewMappedLoader(d.CountriesByCode, wait),
		MemberState:      dataloadgen.NewMappedLoader(d.MemberStatesByCode, wait),
		ControlEntry:     dataloadgen.NewMappedLoader(d.ControlEntriesByCode, wait),
		DecisionEntry:    dataloadgen.NewMappedLoader(d.ControlEntriesOrUnlisted, wait),
		Children:         dataloadgen.NewMappedLoader(everyKey(d.ControlEntryChildren), wait),
		PopulationShares: dataloadgen.NewMappedLoader(everyKey(d.PopulationShares), wait),
	}
}

// everyKey makes a fetch of lists answer every key, with an empty list for a key the
// database had nothing for: no children is an answer, not a missing row.
func everyKey[V any](fetch func(context.Context, []string) (map[string][]V, error)) func(context.Context, []string) (map[string][]V, error) {
	return func(ctx context.Context, keys []string) (map[string][]V, error) {
		m, err := fetch(ctx, keys)
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				m[k] = []V{}
			}
		}
		return m, nil
	}
}

// WithLoaders gives each request its own loaders; the resolvers find them in the
// request's context, so every request to the GraphQL endpoint must pass through it.
func WithLoaders(d *db.DB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, newLoaders(d))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loaders returns the request's loaders.
func loaders(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}

// load runs a loader and returns a pointer to its value, for nullable fields.
func load[V any](ctx context.Context, l *dataloadgen.Loader[string, V], key string) (*V, error) {
	v, err := l.Load(ctx, key)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// loadOptional loads the value of a nullable key: nil for a nil key.
func loadOptional[V any](ctx context.Context, l *dataloadgen.Loader[string, V], key *string) (*V, error) {
	if key == nil {
		return nil, nil
	}
	return load(ctx, l, *key)
}

// prefetchRows loads, one batch per kind, the objects that a page of statistics rows
// refers to, so that resolving them row by row hits the loaders' caches. Left to
// batching alone, hundreds of rows resolved concurrently outrun the loaders' wait and
// split into several batches.
func prefetchRows(ctx context.Context, rows []db.StatisticsRow) {
	l := loaders(ctx)
	var states, countries, entries []string
	for _, r := range rows {
		states = appendKey(states, r.MemberStateCode)
		countries = appendKey(countries, r.DestinationCode)
		entries = appendKey(entries, r.ControlEntryCode)
	}
	// Errors surface again, per row, when the fields resolve.
	_, _ = l.MemberState.LoadAll(ctx, states)
	_, _ = l.Country.LoadAll(ctx, countries)
	_, _ = l.DecisionEntry.LoadAll(ctx, entries)
}

// appendKey appends a row's key, if any; the loaders take each key once, however often.
func appendKey(keys []string, key *string) []string {
	if key == nil {
		return keys
	}
	return append(keys, *key)
}

// prefetchDestinations does for a page of denials rows what prefetchRows does for
// statistics rows.
func prefetchDestinations(ctx context.Context, rows []db.DenialsRow) {
	var countries []string
	for _, r := range rows {
		countries = appendKey(countries, r.DestinationCode)
	}
	_, _ = loaders(ctx).Country.LoadAll(ctx, countries)
}
