package main

import (
	"regexp"
	"slices"
)

// A release is immutable, so the import may compute the answers that depend on it
// alone (the protected cells, the annual reports, the denials tables) and keep them in
// PostgreSQL. A query so answered runs a lookup, and the server's time over that
// lookup's SQL says little: the target of DESIGN section 7 (the server within 1.3 × the
// bare SQL of the same work) is then taken against the SQL a user would have to run
// without the precomputed answers, the aggregation of the decisions.
//
// That SQL is captured from the same API with precomputation bypassed: the in-process
// API answers the query a second time under db.WithoutStoredCells, under which the
// statistics ignore release_cells and aggregate the decisions, as for a release
// imported before precomputation. When the statements of figures are the same both
// ways, the query was not precomputed (or, if it reads a precomputed table anyway, the
// bypass did not reach it, and the report says that no comparison could be made).

// answerSource says where a query's answer comes from.
type answerSource int

const (
	aggregated  answerSource = iota // the statements aggregate the decisions
	precomputed                     // lookups of precomputed answers; the aggregation captured beside them
	noBypass                        // lookups of precomputed answers, and db offered no way around them
	inMemory                        // no SQL of figures either way: the process keeps what it worked out
)

// precomputedTables are the names a table of precomputed answers may have.
const precomputedTables = `\brelease_(cells|answers|reports|tables)\b`

// precomputedTable matches SQL that reads a table of precomputed answers.
var precomputedTable = regexp.MustCompile(`(?i)` + precomputedTables)

// figures matches SQL that computes or reads figures: it reads the decisions, the
// catch-all procedure (the list, its notifications and objections) or a table of
// precomputed answers. Other statements (the release, reference data) come and go with
// the db package's caches and say nothing about precomputation.
var figures = regexp.MustCompile(`(?i)\b(decisions|catch_all_notifications|objections|list_items|list_item_versions|agreements)\b|` + precomputedTables)

// sourceOf compares the statements of a query with those it runs with precomputation
// bypassed: different statements of figures mean the first are lookups; the same are
// the aggregation itself, unless they read a precomputed table. They are compared as
// sets, since concurrent resolvers may run them in another order and loaders may
// batch them otherwise.
func sourceOf(normal, bypassed []statement) answerSource {
	n, b := figureSQL(normal), figureSQL(bypassed)
	switch {
	case !slices.Equal(n, b):
		return precomputed
	case len(n) == 0:
		return inMemory
	}
	if slices.ContainsFunc(normal, func(s statement) bool { return precomputedTable.MatchString(s.sql) }) {
		return noBypass
	}
	return aggregated
}

// figureSQL is the distinct texts of the statements of figures, sorted.
func figureSQL(statements []statement) []string {
	var out []string
	for _, s := range statements {
		if figures.MatchString(s.sql) {
			out = append(out, s.sql)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
