package db

import (
	"cmp"
	"context"
	"slices"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// DenialsLevel is the geography a denials table is broken down by.
type DenialsLevel string

// The levels of a denials table, each a dimension of the statistics engine.
const (
	LevelCountry   DenialsLevel = "COUNTRY"
	LevelRegion    DenialsLevel = "REGION"
	LevelSubRegion DenialsLevel = "SUB_REGION"
)

var levelDimension = map[DenialsLevel]Dimension{
	LevelCountry:   DimDestination,
	LevelRegion:    DimDestinationRegion,
	LevelSubRegion: DimDestinationSubRegion,
}

// Period is a span of days, both ends included.
type Period struct {
	Start time.Time
	End   time.Time
}

// DenialFigures are a destination's denials, applications and denial rate.
type DenialFigures struct {
	Denials      disclosure.Measure
	Applications disclosure.Measure
	DenialRate   disclosure.Measure
}

// DenialsChange is the change against the previous period.
type DenialsChange struct {
	Denials    disclosure.Measure
	DenialRate disclosure.Measure
}

// GroundCount is how many denials cited a ground.
type GroundCount struct {
	Ground  codes.DenialGround
	Denials disclosure.Measure
}

// DenialsRow is one destination (or region) of a denials table. Every figure is a
// cell of the statistics engine, protected like any other: the denials here are the
// denials that licenceStatistics publishes for the same destination and filter.
type DenialsRow struct {
	DestinationCode   *string
	Region            *Region
	DenialFigures     // of the period
	Grounds           []GroundCount
	Previous          DenialFigures
	Change            DenialsChange
	CyberSurveillance DenialFigures

	key, name string
}

// Key is the row's destination or region code.
func (r *DenialsRow) Key() string { return r.key }

// DenialsQuery is a denials table: which release, which decisions, at what level.
type DenialsQuery struct {
	Release *Release
	Filter  StatisticsFilter
	Level   DenialsLevel
}

// DenialsTable is one page of a denials table, with the periods it compares.
type DenialsTable struct {
	Release        *Release
	Level          DenialsLevel
	Period         Period
	PreviousPeriod *Period
	Rows           []DenialsRow
	PageInfo       PageInfo
	TotalCount     int
	Query          DenialsQuery
	Notes          []string   // in English: why the table is empty, when it is
	NoteMsgs       []i18n.Msg // the notes as messages: see NotesIn
}

// NotesIn returns the table's notes in language l.
func (t *DenialsTable) NotesIn(l i18n.Lang) []string { return notesIn(l, t.Notes, t.NoteMsgs) }

// DenialsOrder is the sort key of a denials table.
type DenialsOrder struct {
	By        DenialsOrderField
	Direction OrderDirection
}

// DenialsOrderField is what a denials table can be sorted by.
type DenialsOrderField string

// The sort keys of a denials table.
const (
	ByDenials      DenialsOrderField = "DENIALS"
	ByApplications DenialsOrderField = "APPLICATIONS"
	ByRate         DenialsOrderField = "RATE"
	ByChange       DenialsOrderField = "CHANGE"
	ByName         DenialsOrderField = "NAME"
)

const denialsCursor = "denials"

// DenialsByDestination builds a denials table: one row per destination (or region)
// with a published count of denials in the period (3 or more), and one page of it.
func (db *DB) DenialsByDestination(ctx context.Context, q DenialsQuery, order DenialsOrder, first *int, after *string) (_ *DenialsTable, err error) {
	defer apperr.Wrap(&err, "db.DenialsByDestination")
	size, offset, err := offsetPage(first, after, denialsCursor)
	if err != nil {
		return nil, err
	}
	rows, table, err := db.DenialsRows(ctx, q, order)
	if err != nil {
		return nil, err
	}
	table.TotalCount = len(rows)
	table.Rows, table.PageInfo = pageOf(rows, size, offset, denialsCursor)
	return table, nil
}

// DenialsRows returns every row of a denials table, in order, and the table without rows.
// Like a statistics table (publishableRows), it lists no row whose published count of
// denials is withheld, and no such ground, so that neither says "at least one denial".
// Unlike a statistics table it is never refused as too sparse: what it lists are
// destinations with a published count of at least 3 denials, never a list of single
// decisions, however many destinations it leaves out.
func (db *DB) DenialsRows(ctx context.Context, q DenialsQuery, order DenialsOrder) ([]DenialsRow, *DenialsTable, error) {
	if len(q.Filter.Outcomes) > 0 {
		return nil, nil, apperr.Errorf(apperr.Invalid, "filter.outcomes: a denials table counts every outcome as an application and DENIED as a denial; leave outcomes out")
	}
	dim, ok := levelDimension[q.Level]
	if !ok {
		return nil, nil, apperr.Errorf(apperr.Invalid, "level: %q is not COUNTRY, REGION or SUB_REGION", q.Level)
	}
	if err := checkQueryModel([]Dimension{dim, DimDenialGround}, q.Filter); err != nil {
		return nil, nil, err
	}
	current, previous, err := periods(q.Filter, q.Release)
	if err != nil {
		return nil, nil, err
	}
	cells, err := db.denialCells(ctx, q, dim, current, previous)
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.joinDenials(ctx, cells, q.Level)
	if err != nil {
		return nil, nil, err
	}
	rows = publishableDenials(rows)
	sortDenials(rows, order)
	table := &DenialsTable{Release: q.Release, Level: q.Level, Period: current, PreviousPeriod: previous, Query: q,
		Notes: []string{denialsSparseNote}, NoteMsgs: []i18n.Msg{{}}}
	if len(rows) == 0 {
		m := emptyNote(q.Filter, q.Release)
		table.Notes, table.NoteMsgs = append(table.Notes, m.String(i18n.EN)), append(table.NoteMsgs, m)
	}
	return rows, table, nil
}

// denialsSparseNote is the note of every denials table.
const denialsSparseNote = "Destinations (or regions) with a published count of denials below 3 are not listed, nor grounds cited by a published count below 3."

// publishableDenials are the rows whose published count of denials is not withheld,
// each with the grounds whose count is not withheld.
func publishableDenials(rows []DenialsRow) []DenialsRow {
	kept := slices.DeleteFunc(rows, func(r DenialsRow) bool { return r.Denials.Value == nil })
	for i := range kept {
		kept[i].Grounds = slices.DeleteFunc(kept[i].Grounds, func(g GroundCount) bool { return g.Denials.Value == nil })
	}
	return kept
}

// periods is the period the filter asks for and the one of equal length before it,
// nil when that one is not covered by the release.
func periods(f StatisticsFilter, r *Release) (current Period, previous *Period, err error) {
	if err := checkYears("filter.years", f.Years...); err != nil {
		return current, nil, err
	}
	switch {
	case len(f.Years) > 0 && (f.From != nil || f.To != nil):
		return current, nil, apperr.Errorf(apperr.Invalid, "filter: give years or from/to, not both")
	case len(f.Years) > 0:
		years := slices.Sorted(slices.Values(f.Years))
		if years[len(years)-1]-years[0] != len(years)-1 {
			return current, nil, apperr.Errorf(apperr.Invalid, "filter.years: %v are not consecutive, so there is no previous period to compare with", f.Years)
		}
		current = Period{time.Date(years[0], 1, 1, 0, 0, 0, 0, time.UTC), time.Date(years[len(years)-1], 12, 31, 0, 0, 0, 0, time.UTC)}
		previous = &Period{current.Start.AddDate(-len(years), 0, 0), current.End.AddDate(-len(years), 0, 0)}
	case f.From != nil || f.To != nil:
		current = Period{derefOr(f.From, r.PeriodStart), derefOr(f.To, r.PeriodEnd)}
		months := monthsBetween(current.Start, current.End)
		previous = &Period{current.Start.AddDate(0, -months, 0), current.Start.AddDate(0, 0, -1)}
	default:
		return Period{r.PeriodStart, r.PeriodEnd}, nil, nil
	}
	if current.End.Before(current.Start) {
		return current, nil, apperr.Errorf(apperr.Invalid, "filter: from is after to")
	}
	if previous.Start.Before(r.PeriodStart) {
		previous = nil
	}
	return current, previous, nil
}

// denialCells are the statistics cells a denials table is made of, by row key.
type denialCells struct {
	denied, applied, cyberDenied, cyberApplied, prevDenied, prevApplied map[string]StatisticsRow
	grounds                                                             map[string][]GroundCount
	deniedOrder                                                         []StatisticsRow
}

// denialCells runs the engine's queries for the table, concurrently.
func (db *DB) denialCells(ctx context.Context, q DenialsQuery, dim Dimension, current Period, previous *Period) (denialCells, error) {
	var c denialCells
	denied, applied := denialFilters(q.Filter, current)
	cyber := true
	deniedCyber, appliedCyber := denied, applied
	deniedCyber.CyberSurveillance, appliedCyber.CyberSurveillance = &cyber, &cyber
	g, ctx := errgroup.WithContext(ctx)
	fetch := func(dst *map[string]StatisticsRow, f StatisticsFilter) {
		g.Go(func() error {
			rows, err := db.protectedRows(ctx, StatisticsQuery{Release: q.Release, Filter: f, GroupBy: []Dimension{dim}, countsOnly: true})
			*dst = keyBy(rows, func(r StatisticsRow) string { return derefOr(r.key[0], "") })
			if dst == &c.denied {
				c.deniedOrder = rows
			}
			return err
		})
	}
	fetch(&c.denied, denied)
	fetch(&c.applied, applied)
	if q.Filter.CyberSurveillance == nil || *q.Filter.CyberSurveillance {
		fetch(&c.cyberDenied, deniedCyber)
		fetch(&c.cyberApplied, appliedCyber)
	}
	if previous != nil {
		prevDenied, prevApplied := denialFilters(q.Filter, *previous)
		fetch(&c.prevDenied, prevDenied)
		fetch(&c.prevApplied, prevApplied)
	}
	g.Go(func() (err error) {
		c.grounds, err = db.groundCounts(ctx, q.Release, denied, dim)
		return err
	})
	return c, g.Wait()
}

// denialFilters are the filters of the denials and of the applications of a period:
// the same decisions, all outcomes for applications, and the grounds asked for only
// restricting the denials.
func denialFilters(f StatisticsFilter, p Period) (denied, applied StatisticsFilter) {
	f.Years, f.From, f.To = nil, &p.Start, &p.End
	applied = f
	applied.DenialGrounds = nil
	denied = f
	denied.Outcomes = []codes.Outcome{codes.Denied}
	return denied, applied
}

// groundCounts are the denials citing each ground, per row key, most cited first.
func (db *DB) groundCounts(ctx context.Context, r *Release, denied StatisticsFilter, dim Dimension) (map[string][]GroundCount, error) {
	rows, err := db.protectedRows(ctx, StatisticsQuery{Release: r, Filter: denied, GroupBy: []Dimension{dim, DimDenialGround}, countsOnly: true})
	grounds := map[string][]GroundCount{}
	for _, row := range rows {
		k := derefOr(row.key[0], "")
		grounds[k] = append(grounds[k], GroundCount{Ground: *row.DenialGround, Denials: row.Applications})
	}
	for _, list := range grounds {
		slices.SortStableFunc(list, func(a, b GroundCount) int {
			return cmp.Or(compareMeasureDesc(a.Denials, b.Denials), cmp.Compare(a.Ground, b.Ground))
		})
	}
	return grounds, err
}

// joinDenials makes the rows: one per cell with denials.
func (db *DB) joinDenials(ctx context.Context, c denialCells, level DenialsLevel) ([]DenialsRow, error) {
	names, err := db.DestinationNames(ctx, level)
	if err != nil {
		return nil, err
	}
	rows := make([]DenialsRow, 0, len(c.deniedOrder))
	for _, d := range c.deniedOrder {
		k := derefOr(d.key[0], "")
		row := DenialsRow{DestinationCode: d.DestinationCode, Region: cmp.Or(d.DestinationRegion, d.DestinationSubRegion), key: k, name: names[k]}
		row.DenialFigures = db.figures(d.Applications, c.applied[k].Applications)
		row.CyberSurveillance = db.figures(c.cyberDenied[k].Applications, c.cyberApplied[k].Applications)
		row.Grounds = c.grounds[k]
		if c.prevDenied != nil {
			row.Previous = db.figures(c.prevDenied[k].Applications, c.prevApplied[k].Applications)
			row.Change = DenialsChange{
				Denials:    db.protector.Difference(row.DenialFigures.Denials, row.Previous.Denials),
				DenialRate: db.protector.Difference(row.DenialFigures.DenialRate, row.Previous.DenialRate),
			}
		} else {
			row.Previous, row.Change = noPreviousPeriod()
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// figures are denials, applications and their rate; a cell missing from a query's
// answer had no decisions, a true zero.
func (db *DB) figures(denials, applications disclosure.Measure) DenialFigures {
	zero := db.protector.Count(0, 0)
	if denials.Status == "" {
		denials = zero
	}
	if applications.Status == "" {
		applications = zero
	}
	return DenialFigures{Denials: denials, Applications: applications, DenialRate: db.protector.Rate(denials, applications)}
}

func noPreviousPeriod() (DenialFigures, DenialsChange) {
	na := disclosure.NotApplicableMeasure("no previous period in this release to compare with")
	return DenialFigures{na, na, na}, DenialsChange{na, na}
}

// DestinationNames are the names of the rows of a level, by code.
func (db *DB) DestinationNames(ctx context.Context, level DenialsLevel) (map[string]string, error) {
	names := map[string]string{}
	if level == LevelCountry {
		countries, err := db.Countries(ctx, "")
		for _, c := range countries {
			names[c.Code] = c.Name
		}
		return names, err
	}
	regions, err := db.Regions(ctx)
	for _, r := range regions {
		names[r.Code] = r.Name
	}
	return names, err
}

// sortDenials orders by the key asked for, then by name, so the order is total.
func sortDenials(rows []DenialsRow, order DenialsOrder) {
	by := map[DenialsOrderField]func(r *DenialsRow) disclosure.Measure{
		ByDenials:      func(r *DenialsRow) disclosure.Measure { return r.DenialFigures.Denials },
		ByApplications: func(r *DenialsRow) disclosure.Measure { return r.DenialFigures.Applications },
		ByRate:         func(r *DenialsRow) disclosure.Measure { return r.DenialFigures.DenialRate },
		ByChange:       func(r *DenialsRow) disclosure.Measure { return r.Change.Denials },
	}[order.By]
	slices.SortStableFunc(rows, func(a, b DenialsRow) int {
		c := 0
		if by != nil && order.Direction == Descending {
			c = compareMeasureDesc(by(&a), by(&b))
		} else if by != nil {
			c = compareMeasure(by(&a), by(&b))
		} else if order.Direction == Descending {
			c = cmp.Compare(b.name, a.name)
		}
		return cmp.Or(c, cmp.Compare(a.name, b.name), cmp.Compare(a.key, b.key))
	})
}
