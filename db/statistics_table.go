package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/i18n"
	"github.com/dualuse-transparency/portal/internal/page"
)

// Dimension is a way to break licence statistics down.
type Dimension string

// The dimensions of the table builder.
const (
	DimYear                 Dimension = "YEAR"
	DimQuarter              Dimension = "QUARTER"
	DimMemberState          Dimension = "MEMBER_STATE"
	DimDestination          Dimension = "DESTINATION"
	DimDestinationRegion    Dimension = "DESTINATION_REGION"
	DimDestinationSubRegion Dimension = "DESTINATION_SUB_REGION"
	DimControlCategory      Dimension = "CONTROL_CATEGORY"
	DimControlEntry         Dimension = "CONTROL_ENTRY"
	DimCyberSurveillance    Dimension = "CYBER_SURVEILLANCE"
	DimCatchAll             Dimension = "CATCH_ALL"
	DimLicenceType          Dimension = "LICENCE_TYPE"
	DimOutcome              Dimension = "OUTCOME"
	DimEndUserType          Dimension = "END_USER_TYPE"
	DimDenialGround         Dimension = "DENIAL_GROUND"
)

// dimensionSQL is the fixed SQL expression of each dimension over decisions d (and
// g, the unnested denial grounds).
var dimensionSQL = map[Dimension]string{
	DimYear:                 "d.year",
	DimQuarter:              "d.year * 10 + d.quarter",
	DimMemberState:          "d.member_state",
	DimDestination:          "d.destination",
	DimDestinationRegion:    "d.destination_region",
	DimDestinationSubRegion: "d.destination_sub_region",
	DimControlCategory:      "d.control_category",
	DimControlEntry:         "d.control_entry",
	DimCyberSurveillance:    "d.cyber_surveillance",
	DimCatchAll:             "d.catch_all",
	DimLicenceType:          "d.licence_type",
	DimOutcome:              "d.outcome",
	DimEndUserType:          "d.end_user_type",
	DimDenialGround:         "g.ground",
	// The period's whole years ($3 and $4 are the filter's from and to), else months.
	dimPeriodUnit: `CASE WHEN make_date(d.year, 1, 1) >= coalesce($3::date, '-infinity')
	                      AND make_date(d.year, 12, 31) <= coalesce($4::date, 'infinity')
	                     THEN d.year * 100 ELSE d.year * 100 + extract(month FROM d.decision_date)::int END`,
}

// StatisticsRow is one published cell of a statistics table: the values of the grouped
// dimensions (nil for a dimension not grouped, or for "none", such as the control entry
// of a non-listed item) and five protected measures. It holds no true count.
type StatisticsRow struct {
	Year                 *int
	Quarter              *string
	MemberStateCode      *string
	DestinationCode      *string
	DestinationRegion    *Region
	DestinationSubRegion *Region
	ControlCategory      *ControlCategory
	ControlEntryCode     *string
	CyberSurveillance    *bool
	CatchAll             *codes.CatchAll
	LicenceType          *codes.LicenceType
	Outcome              *codes.Outcome
	EndUserType          *codes.EndUserType
	DenialGround         *codes.DenialGround
	Applications         disclosure.Measure
	Issued               disclosure.Measure
	Denials              disclosure.Measure
	ValueApplied         disclosure.Measure
	ValueIssued          disclosure.Measure

	key    []*string // the dimension values as stored, for sorting
	values []string  // the dimension values as published, for CSV
}

// DimensionValues returns the row's dimension values as codes, in GroupBy order: what
// a CSV download prints and what the filters take; "" for none.
func (r *StatisticsRow) DimensionValues() []string { return r.values }

// StatisticsTable is one page of a statistics table.
type StatisticsTable struct {
	Release    *Release
	GroupBy    []Dimension
	Rows       []StatisticsRow
	PageInfo   PageInfo
	TotalCount int
	Query      StatisticsQuery // to compute the table's total on request
	Notes      []string        // in English
	NoteMsgs   []i18n.Msg      // the notes as messages, where one is kept: see NotesIn
}

// NotesIn returns the table's notes in language l.
func (t *StatisticsTable) NotesIn(l i18n.Lang) []string { return notesIn(l, t.Notes, t.NoteMsgs) }

// addNote adds a note kept as a message.
func (t *StatisticsTable) addNote(m i18n.Msg) {
	t.NoteMsgs = append(make([]i18n.Msg, len(t.Notes)), m)
	t.Notes = append(t.Notes, m.String(i18n.EN))
}

// splitNote is the note of a table whose rows can count a decision more than once.
const splitNote = "A decision counts once in each row it falls in: a decision on several control entries (or categories, or grounds) is in several rows, so the rows can add up to more than the total."

// StatisticsOrder is one sort key of a statistics table.
type StatisticsOrder struct {
	By        StatisticsOrderField
	Direction OrderDirection
}

// StatisticsOrderField is a dimension or a measure to sort a table by.
type StatisticsOrderField string

// OrderDirection is ascending or descending.
type OrderDirection string

// The measures a table can be ordered by; any dimension name orders by that dimension.
const (
	OrderApplications StatisticsOrderField = "APPLICATIONS"
	OrderIssued       StatisticsOrderField = "ISSUED"
	OrderDenials      StatisticsOrderField = "DENIALS"
	OrderValueApplied StatisticsOrderField = "VALUE_APPLIED"
	OrderValueIssued  StatisticsOrderField = "VALUE_ISSUED"

	Ascending  OrderDirection = "ASC"
	Descending OrderDirection = "DESC"
)

// measureOf returns the published measure a field names, for sorting by it.
var measureOf = map[StatisticsOrderField]func(*StatisticsRow) disclosure.Measure{
	OrderApplications: func(r *StatisticsRow) disclosure.Measure { return r.Applications },
	OrderIssued:       func(r *StatisticsRow) disclosure.Measure { return r.Issued },
	OrderDenials:      func(r *StatisticsRow) disclosure.Measure { return r.Denials },
	OrderValueApplied: func(r *StatisticsRow) disclosure.Measure { return r.ValueApplied },
	OrderValueIssued:  func(r *StatisticsRow) disclosure.Measure { return r.ValueIssued },
}

// The page sizes of statistics tables.
const (
	statisticsPageDefault = 100
	statisticsPageMax     = 1000
	statisticsCursor      = "statistics"
)

// LicenceStatistics builds a protected statistics table and returns one page of it.
func (db *DB) LicenceStatistics(ctx context.Context, q StatisticsQuery, orderBy []StatisticsOrder, first *int, after *string) (_ *StatisticsTable, err error) {
	defer apperr.Wrap(&err, "db.LicenceStatistics")
	size, offset, err := offsetPage(first, after, statisticsCursor)
	if err != nil {
		return nil, err
	}
	rows, err := db.LicenceStatisticsRows(ctx, q, orderBy)
	if err != nil {
		return nil, err
	}
	table := &StatisticsTable{Release: q.Release, GroupBy: q.GroupBy, TotalCount: len(rows), Query: q, Notes: []string{sparseNote}}
	if SplitsDecisions(q.GroupBy) {
		table.Notes = append(table.Notes, splitNote)
	}
	if len(rows) == 0 {
		table.addNote(emptyNote(q.Filter, q.Release))
	}
	table.Rows, table.PageInfo = pageOf(rows, size, offset, statisticsCursor)
	return table, nil
}

// LicenceStatisticsRows returns every row of a protected statistics table, in order.
// Rows are sorted on the published figures, never the true ones, so the order itself
// reveals nothing that the figures do not.
func (db *DB) LicenceStatisticsRows(ctx context.Context, q StatisticsQuery, orderBy []StatisticsOrder) ([]StatisticsRow, error) {
	if err := validateGrouping(q.GroupBy, orderBy); err != nil {
		return nil, err
	}
	if err := checkQueryModel(q.GroupBy, q.Filter); err != nil {
		return nil, err
	}
	rows, err := db.protectedRows(ctx, q)
	if err != nil {
		return nil, err
	}
	if rows, err = publishableRows(rows); err != nil {
		return nil, err
	}
	sortRows(rows, q.GroupBy, orderBy)
	return rows, nil
}

// Sparse tables. A row whose count of applications is withheld (below
// disclosure.Policy.MinCount) is not listed, so that the rows of a table are no list
// of single decisions, and a table most of whose rows would be left out is refused: it
// is a list of decisions in all but name. Both are decided on published counts, so
// they reveal nothing more.
const (
	maxHiddenRows    = 0.5 // the largest share of a table's rows that may be left out
	minRefusedHidden = 10  // tables with fewer rows left out are never refused
)

// sparseNote is the note of a table some of whose rows were left out.
const sparseNote = "Rows with a published count of applications below 3 are not listed; their decisions are in the total."

func publishableRows(rows []StatisticsRow) ([]StatisticsRow, error) {
	kept := slices.DeleteFunc(slices.Clone(rows), func(r StatisticsRow) bool { return r.Applications.Value == nil })
	hidden := len(rows) - len(kept)
	if hidden >= minRefusedHidden && float64(hidden) > maxHiddenRows*float64(len(rows)) {
		return nil, apperr.Errorf(apperr.Invalid, "the table is too sparse to publish: most of its rows count fewer than %d decisions. "+
			"Group by fewer or coarser dimensions (DESTINATION_REGION for DESTINATION, CONTROL_CATEGORY for CONTROL_ENTRY, YEAR for QUARTER), "+
			"or filter on a longer period", 3)
	}
	return kept, nil
}

// LicenceStatisticsTotal returns the table's total: the cell of every decision the
// filter selects. It is protected on its own, like any cell.
func (db *DB) LicenceStatisticsTotal(ctx context.Context, q StatisticsQuery) (_ *StatisticsRow, err error) {
	q.GroupBy = nil
	rows, err := db.protectedRows(ctx, q)
	if err != nil {
		return nil, err
	}
	return &rows[0], nil
}

// protectedRows aggregates and protects every cell of the table. Where a filter has
// several values or a period several units, the counts are sums of parts (additive.go).
func (db *DB) protectedRows(ctx context.Context, q StatisticsQuery) ([]StatisticsRow, error) {
	parts, err := additiveParts(q.GroupBy, q.Filter, q.Release)
	if err != nil {
		return nil, err
	}
	names, err := db.dimensionNames(ctx, q.GroupBy)
	if err != nil {
		return nil, err
	}
	if len(parts) > 0 {
		return db.summedRows(ctx, q, parts, names)
	}
	cells, err := db.statistics(ctx, q)
	if err != nil {
		return nil, err
	}
	rows := make([]StatisticsRow, len(cells))
	for i, c := range cells {
		rows[i] = protect(db.protector, c, q.countsOnly)
		rows[i].key = c.key
		setDimensions(&rows[i], q.GroupBy, c.key, names)
	}
	return rows, nil
}

// summedRows are the rows of a table whose counts are sums of parts.
func (db *DB) summedRows(ctx context.Context, q StatisticsQuery, parts []Dimension, names dimensionNames) ([]StatisticsRow, error) {
	whole, counts, err := db.additiveRows(ctx, q, parts)
	if err != nil {
		return nil, err
	}
	byKey := keyBy(whole, func(c cell) string { return joinKey(c.key) })
	rows := make([]StatisticsRow, 0, len(counts))
	for _, cr := range counts {
		p := db.protector
		row := StatisticsRow{Applications: p.SumCounts(cr.applications...), Issued: p.SumCounts(cr.issued...), Denials: p.SumCounts(cr.denials...), key: cr.key}
		protectValues(db.protector, byKey[joinKey(cr.key)], &row, q.countsOnly)
		setDimensions(&row, q.GroupBy, cr.key, names)
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(q.GroupBy) == 0 { // a total of nothing is a row of zeros
		rows = append(rows, protect(db.protector, cell{}, q.countsOnly))
	}
	return rows, nil
}

// pageOf is the page of rows from offset, with its cursor.
func pageOf[T any](rows []T, size, offset int, kind string) ([]T, PageInfo) {
	end := min(offset+size, len(rows))
	if end <= offset {
		return []T{}, PageInfo{}
	}
	cursor := page.Encode(kind, strconv.Itoa(end))
	return rows[offset:end], PageInfo{HasNextPage: end < len(rows), EndCursor: &cursor}
}

// offsetPage reads the page size and the offset a cursor of a table of kind holds.
// Tables are computed whole and their order is total, so an offset is a stable cursor.
func offsetPage(first *int, after *string, kind string) (size, offset int, err error) {
	if size, err = page.Size(first, statisticsPageDefault, statisticsPageMax); err != nil {
		return 0, 0, err
	}
	if after != nil {
		if err := checkText("after", *after); err != nil {
			return 0, 0, err
		}
	}
	cursor, err := page.Decode(kind, after)
	if err != nil || cursor == "" {
		return size, 0, err
	}
	if offset, err = strconv.Atoi(cursor); err != nil || offset < 0 {
		return 0, 0, apperr.Errorf(apperr.Invalid, "after: %s is not a cursor of this table", apperr.Quote(*after))
	}
	return size, offset, nil
}

// validateGrouping refuses a dimension grouped twice and ordering by a dimension that
// is not grouped.
func validateGrouping(groupBy []Dimension, orderBy []StatisticsOrder) error {
	for i, d := range groupBy {
		if slices.Contains(groupBy[:i], d) {
			return apperr.Errorf(apperr.Invalid, "groupBy: %s appears twice", d)
		}
	}
	for _, o := range orderBy {
		if _, isMeasure := measureOf[o.By]; !isMeasure && !slices.Contains(groupBy, Dimension(o.By)) {
			return apperr.Errorf(apperr.Invalid, "orderBy: %s is neither a measure nor a dimension of groupBy", o.By)
		}
	}
	return nil
}

// sortRows orders by the requested keys, then by every grouped dimension, so the order
// is total and pages are stable. Withheld values sort last in either direction.
func sortRows(rows []StatisticsRow, groupBy []Dimension, orderBy []StatisticsOrder) {
	slices.SortStableFunc(rows, func(a, b StatisticsRow) int {
		for _, o := range orderBy {
			c := compareBy(&a, &b, groupBy, o.By)
			if o.Direction == Descending && !oneWithheld(&a, &b, o.By) {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		for i := range groupBy {
			if c := compareKey(a.key[i], b.key[i]); c != 0 {
				return c
			}
		}
		return 0
	})
}

// oneWithheld reports whether a measure field is withheld in one of two rows: such a
// row sorts last in either direction.
func oneWithheld(a, b *StatisticsRow, field StatisticsOrderField) bool {
	measure, ok := measureOf[field]
	return ok && (measure(a).Value == nil) != (measure(b).Value == nil)
}

func compareBy(a, b *StatisticsRow, groupBy []Dimension, field StatisticsOrderField) int {
	if measure, ok := measureOf[field]; ok {
		return compareMeasure(measure(a), measure(b))
	}
	i := slices.Index(groupBy, Dimension(field))
	return compareKey(a.key[i], b.key[i])
}

// compareMeasure orders published values, a withheld value after any published one.
func compareMeasure(a, b disclosure.Measure) int {
	switch {
	case a.Value == nil && b.Value == nil:
		return 0
	case a.Value == nil:
		return 1
	case b.Value == nil:
		return -1
	}
	return cmp.Compare(*a.Value, *b.Value)
}

// compareMeasureDesc orders measures largest first, withheld ones still last.
func compareMeasureDesc(a, b disclosure.Measure) int {
	if a.Value == nil || b.Value == nil {
		return compareMeasure(a, b)
	}
	return -compareMeasure(a, b)
}

// compareKey orders dimension values; they are codes or numbers of one width, so text
// order is their natural order. NULL (none) comes last.
func compareKey(a, b *string) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

// dimensionNames are the names that a row's region and category dimensions need.
type dimensionNames struct {
	regions    map[string]Region
	categories map[string]ControlCategory
}

func (db *DB) dimensionNames(ctx context.Context, groupBy []Dimension) (dimensionNames, error) {
	var names dimensionNames
	if slices.Contains(groupBy, DimDestinationRegion) || slices.Contains(groupBy, DimDestinationSubRegion) {
		regions, err := db.Regions(ctx)
		if err != nil {
			return names, err
		}
		names.regions = keyBy(regions, func(r Region) string { return r.Code })
	}
	if slices.Contains(groupBy, DimControlCategory) {
		categories, err := db.ControlCategories(ctx)
		if err != nil {
			return names, err
		}
		names.categories = keyBy(categories, func(c ControlCategory) string { return strconv.Itoa(c.Code) })
	}
	return names, nil
}

// setDimensions fills a row's dimension fields from its cell key.
func setDimensions(r *StatisticsRow, groupBy []Dimension, key []*string, names dimensionNames) {
	r.values = make([]string, len(groupBy))
	for i, d := range groupBy {
		v := key[i]
		if v == nil {
			continue
		}
		r.values[i] = *v
		switch d {
		case DimYear:
			year, _ := strconv.Atoi(*v)
			r.Year = &year
		case DimQuarter:
			q := fmt.Sprintf("%s-Q%s", (*v)[:4], (*v)[4:])
			r.Quarter, r.values[i] = &q, q
		case DimMemberState:
			r.MemberStateCode = v
		case DimDestination:
			r.DestinationCode = v
		case DimDestinationRegion:
			r.DestinationRegion = ptrTo(names.regions[*v])
		case DimDestinationSubRegion:
			r.DestinationSubRegion = ptrTo(names.regions[*v])
		case DimControlCategory:
			r.ControlCategory = ptrTo(names.categories[*v])
		case DimControlEntry:
			r.ControlEntryCode = v
		case DimCyberSurveillance:
			r.CyberSurveillance = ptrTo(*v == "true")
		case DimCatchAll:
			r.CatchAll = ptrTo(codes.CatchAll(*v))
		case DimLicenceType:
			r.LicenceType = ptrTo(codes.LicenceType(*v))
		case DimOutcome:
			r.Outcome = ptrTo(codes.Outcome(*v))
		case DimEndUserType:
			r.EndUserType = ptrTo(codes.EndUserType(*v))
		case DimDenialGround:
			r.DenialGround = ptrTo(codes.DenialGround(*v))
		}
	}
}

func ptrTo[T any](v T) *T { return &v }
