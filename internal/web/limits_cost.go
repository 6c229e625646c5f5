package web

import (
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph/generated"
)

// The cost model. An operation's cost (its complexity, checked against
// Limits.MaxComplexity before any resolver runs, and reported in extensions.cost) is
// what its fields will make the server do:
//
//   - a field costs 1, plus its selections;
//   - a list costs its selections times its length: the page size asked for (or the
//     default page), or a typical length;
//   - a statistics field costs the aggregations it runs over a release's decisions
//     (costAggregation each) plus the cells it may build, protect and sort
//     (cellsPerCost of them cost 1). A table is built whole before it is paged, so
//     `first: 1` makes it no cheaper: only its rows' selections are weighed by the page.
//
// The cells a table may build are bounded from the query alone, before any SQL runs:
// the product of the number of values of each grouped dimension (fewer where a filter
// names them), times the parts that a filter with several values is added up over
// (additive.go), never more than the 100,000 cells a table may have.
const (
	costAggregation = 1_000   // one aggregation over a release's decisions
	cellsPerCost    = 10      // cells built, protected and sorted for a cost of 1
	maxTableCells   = 100_000 // the most cells one table may have (db.maxCells)
)

// dimensionValues is, for each dimension, about how many values it takes: an upper
// bound for the dimensions of a fixed code list, a generous one for years and entries.
var dimensionValues = map[db.Dimension]int{
	db.DimYear:                 30,
	db.DimQuarter:              120,
	db.DimMemberState:          28,
	db.DimDestination:          250,
	db.DimDestinationRegion:    6,
	db.DimDestinationSubRegion: 25,
	db.DimControlCategory:      10,
	db.DimControlEntry:         2_000,
	db.DimCyberSurveillance:    2,
	db.DimCatchAll:             6,
	db.DimLicenceType:          13,
	db.DimOutcome:              6,
	db.DimEndUserType:          9,
	db.DimDenialGround:         13,
}

// tableCells bounds the cells of a statistics table grouped by groupBy under f.
func tableCells(groupBy []db.Dimension, f *db.StatisticsFilter) int {
	var filter db.StatisticsFilter
	if f != nil {
		filter = *f
	}
	named := map[db.Dimension]int{ // the values a filter names, per dimension
		db.DimYear:              len(filter.Years),
		db.DimMemberState:       len(filter.MemberStates),
		db.DimDestination:       len(filter.Destinations),
		db.DimDestinationRegion: len(filter.DestinationRegions),
		db.DimControlCategory:   len(filter.ControlCategories),
		db.DimCatchAll:          len(filter.CatchAlls),
		db.DimLicenceType:       len(filter.LicenceTypes),
		db.DimOutcome:           len(filter.Outcomes),
		db.DimEndUserType:       len(filter.EndUserTypes),
		db.DimDenialGround:      len(filter.DenialGrounds),
	}
	if filter.CyberSurveillance != nil {
		named[db.DimCyberSurveillance] = 1
	}
	cells := 1
	grouped := map[db.Dimension]bool{}
	for _, d := range groupBy {
		if grouped[d] { // refused later; counted once here
			continue
		}
		grouped[d] = true
		n := max(1, dimensionValues[d])
		if k := named[d]; k > 0 {
			n = min(n, k)
		}
		cells = min(cells*n, maxTableCells)
	}
	// A filter with several values on a dimension not grouped is added up over its values.
	for _, d := range []db.Dimension{db.DimYear, db.DimMemberState, db.DimDestination, db.DimLicenceType, db.DimOutcome, db.DimEndUserType, db.DimCatchAll} {
		if k := named[d]; k > 1 && !grouped[d] {
			cells = min(cells*min(k, max(1, dimensionValues[d])), maxTableCells)
		}
	}
	// A period from/to is added up over its whole years and the months at its edges.
	if filter.From != nil || filter.To != nil {
		cells = min(cells*periodParts(filter.From, filter.To), maxTableCells)
	}
	return cells
}

// periodParts bounds the units (whole years, then months) a period is added up over:
// with both ends given, the data layer's own count for a release that covers the whole
// period (a release's shorter period only cuts it), else the years of a release and
// the months at both ends.
func periodParts(from, to *time.Time) int {
	if from == nil || to == nil || to.Before(*from) || to.Year()-from.Year() >= dimensionValues[db.DimYear] {
		return dimensionValues[db.DimYear] + 24
	}
	f := db.StatisticsFilter{From: from, To: to}
	return max(1, db.PeriodUnits(f, &db.Release{PeriodStart: *from, PeriodEnd: *to}))
}

// pageOrDefault is the number of items a list field returns at most.
func pageOrDefault(first *int, def int) int {
	if first != nil {
		return max(1, *first)
	}
	return def
}

// complexity is the cost model (see above) in gqlgen's terms: for each field with a
// cost of its own, its cost given the cost of its selections (child) and its arguments.
func complexity() generated.ComplexityRoot {
	var c generated.ComplexityRoot
	c.Query.LicenceStatistics = func(child int, _ *string, filter *db.StatisticsFilter, groupBy []db.Dimension, _ []db.StatisticsOrder, first *int, _ *string) int {
		// The table and its total, then the rows of one page.
		cells := tableCells(groupBy, filter)
		return 2*costAggregation + cells/cellsPerCost + child*min(pageOrDefault(first, 100), cells)
	}
	c.Query.DenialsByDestination = func(child int, _ *string, filter *db.StatisticsFilter, level *db.DenialsLevel, _ *db.DenialsOrder, first *int, _ *string) int {
		// Seven aggregations (denials and applications, their cyber-surveillance subsets,
		// the previous period's, the grounds), each by destination and ground.
		dim := db.DimDestination
		if level != nil && *level == db.LevelRegion {
			dim = db.DimDestinationRegion
		} else if level != nil && *level == db.LevelSubRegion {
			dim = db.DimDestinationSubRegion
		}
		cells := tableCells([]db.Dimension{dim, db.DimDenialGround}, filter)
		return 7*costAggregation + 7*cells/cellsPerCost + child*min(pageOrDefault(first, 100), dimensionValues[dim])
	}
	c.Query.AnnualReport = func(child int, _ int, _ *string) int {
		// Five tables, four totals (headline, cyber-surveillance), a denials table.
		return 16*costAggregation + child
	}
	c.Query.ReleaseChanges = func(child int, _ string, _ string) int {
		// Two totals for each year both releases cover.
		return 2*dimensionValues[db.DimYear]*costAggregation/4 + child*20
	}
	c.Query.ControlEntries = func(child int, _ *string, _ *int, _ *bool, _ *time.Time, first *int, _ *string) int {
		return child * pageOrDefault(first, 50)
	}
	c.Query.Countries = func(child int, _ *string) int { return child * 250 }
	return c
}
