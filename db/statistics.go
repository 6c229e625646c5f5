package db

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/disclosure"
)

// StatisticsFilter restricts the decisions a statistics table counts. Nil fields do not
// filter; the fields combine with AND, the values of one field with OR.
type StatisticsFilter struct {
	Years              []int
	From               *time.Time
	To                 *time.Time
	MemberStates       []string
	Destinations       []string
	DestinationRegions []string
	ControlCategories  []int
	ControlEntries     []string
	CyberSurveillance  *bool
	CatchAlls          []codes.CatchAll
	CatchAll           *bool // deprecated: true is CatchAlls [CYBER_SURVEILLANCE], false every other
	LicenceTypes       []codes.LicenceType
	Outcomes           []codes.Outcome
	EndUserTypes       []codes.EndUserType
	DenialGrounds      []codes.DenialGround
	OnSurveillanceList *time.Time // only items on the EU-wide list on this date

	listedEntries []string // the control entries OnSurveillanceList selects, once resolved
}

// StatisticsQuery is one statistics table: which release, which decisions, broken down how.
type StatisticsQuery struct {
	Release *Release
	Filter  StatisticsFilter
	GroupBy []Dimension

	countsOnly bool // the values are not wanted: skip the per-exporter aggregation they need
}

// A cell is one combination of the grouped dimensions with its true, confidential
// totals. It never leaves this package: protect turns it into a StatisticsRow.
type cell struct {
	key                                   []*string // the dimension values, in GroupBy order
	applications, issued, denials         int64
	keyApplications, keyIssued, keyDenied uint32
	valueApplied, valueIssued             float64
	noisyApplied, noisyIssued             float64 // the sums of the decisions' perturbed values
	contributorsApplied, contributorsIss  int
	largestApplied, largestIssued         float64
	unknownApplied, unknownIssued         int64 // decisions with a line of unknown value
	keyUnknownApplied, keyUnknownIssued   uint32
}

// maxCells bounds the size of one table, so one request cannot make the server build
// millions of cells.
const maxCells = 100_000

// statistics aggregates the decisions of q into cells, in PostgreSQL: counts, cell keys
// (sums of record keys mod 2^32), values, and per cell the number of exporters with a
// value and the largest exporter's share, from a first aggregation by exporter.
func (db *DB) statistics(ctx context.Context, q StatisticsQuery) (_ []cell, err error) {
	defer apperr.Wrap(&err, "db.statistics(%s, %v)", q.Release.ID, q.GroupBy)
	filter, err := db.normaliseFilter(ctx, q.Release, q.Filter)
	if err != nil {
		return nil, err
	}
	sql, args := statisticsSQL(q.GroupBy, countingUnit(q.GroupBy, filter), q.countsOnly), statisticsArgs(q.Release.ID, filter)
	// A release is immutable: the import may have computed this very query (precompute.go).
	key, mode := cellsKey(sql, args), storedCellsModeOf(ctx)
	if key != nil && !mode.bypass {
		cells, found := []cell(nil), false
		if mode.recorder != nil {
			var done func()
			cells, found, done = mode.recorder.claim(q.Release.ID, key, len(q.GroupBy))
			defer done()
		} else if cells, found, err = db.storedCells(ctx, q.Release.ID, key, len(q.GroupBy)); err != nil {
			return nil, err
		}
		if found {
			if len(cells) > maxCells {
				return nil, tooManyCells()
			}
			return cells, nil
		}
	}
	var cells []cell
	if mode.recorder != nil && mode.recorder.release == q.Release.ID && splitsByYear(q.GroupBy, filter) {
		cells, err = db.cellsByYear(ctx, q, mode.recorder.years)
	} else {
		cells, err = db.queryCells(ctx, sql, args, len(q.GroupBy), []cell{})
	}
	if err != nil {
		return nil, err
	}
	if mode.recorder != nil {
		mode.recorder.add(q.Release.ID, key, cells)
	}
	return cells, nil
}

// queryCells runs a statistics query and appends its cells to cells.
func (db *DB) queryCells(ctx context.Context, sql string, args []any, dims int, cells []cell) ([]cell, error) {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		if len(cells) == maxCells {
			return nil, tooManyCells()
		}
		c, err := scanCell(rows, dims)
		if err != nil {
			return nil, err
		}
		cells = append(cells, c)
	}
	return cells, rows.Err()
}

// splitsByYear says whether the import computes a table one year at a time (see
// cellsByYear): grouped by year, over every year of the release.
func splitsByYear(groupBy []Dimension, f StatisticsFilter) bool {
	return slices.Contains(groupBy, DimYear) && f.Years == nil && f.From == nil && f.To == nil
}

// cellsByYear computes, for the import's precomputation, a table grouped by year over
// the whole release one year at a time: for each of the release's years, the same
// table without its year dimension and with its filter narrowed to that year, the
// year then put back in each cell. A year's decisions lie together (the import stores
// them in date order) and their aggregation by exporter fits in work_mem, where the
// whole period's sorts on disk from a few million decisions on (BENCHMARKS.md). The
// cells are the very cells of the whole query: each cell, and each decision and
// exporter counted in it, lies within one year, since a decision has one date, and the
// year splits no decision, so the counting unit is the same. Each year's table goes
// through the recorder like any other: where a year's annual report has the same
// table (the destination regions of the year, of its cyber-surveillance items), it is
// computed once for both.
func (db *DB) cellsByYear(ctx context.Context, q StatisticsQuery, years []int) ([]cell, error) {
	at := slices.Index(q.GroupBy, DimYear)
	cells := []cell{}
	for _, y := range years {
		year := q
		year.GroupBy = slices.Delete(slices.Clone(q.GroupBy), at, at+1)
		year.Filter.Years = []int{y}
		part, err := db.statistics(ctx, year)
		if err != nil {
			return nil, err
		}
		label := strconv.Itoa(y)
		for _, c := range part {
			c.key = slices.Insert(slices.Clone(c.key), at, &label)
			cells = append(cells, c)
		}
		if len(cells) > maxCells {
			return nil, tooManyCells()
		}
	}
	return cells, nil
}

func tooManyCells() error {
	return apperr.Errorf(apperr.Limit, "the table has more than %d cells: add a filter or group by fewer dimensions", maxCells)
}

func scanCell(rows pgx.Rows, dims int) (cell, error) {
	c := cell{key: make([]*string, dims)}
	var keyApplications, keyIssued, keyDenied, keyUnknownApplied, keyUnknownIssued int64
	dest := make([]any, 0, dims+18)
	for i := range c.key {
		dest = append(dest, &c.key[i])
	}
	dest = append(dest, &c.applications, &keyApplications, &c.issued, &keyIssued, &c.denials, &keyDenied,
		&c.valueApplied, &c.contributorsApplied, &c.largestApplied,
		&c.valueIssued, &c.contributorsIss, &c.largestIssued,
		&c.unknownApplied, &keyUnknownApplied, &c.unknownIssued, &keyUnknownIssued,
		&c.noisyApplied, &c.noisyIssued)
	err := rows.Scan(dest...)
	c.keyApplications, c.keyIssued, c.keyDenied = uint32(keyApplications), uint32(keyIssued), uint32(keyDenied)
	c.keyUnknownApplied, c.keyUnknownIssued = uint32(keyUnknownApplied), uint32(keyUnknownIssued)
	return c, err
}

// statisticsSQL is the aggregation for a list of dimensions. Each dimension maps to a
// fixed SQL expression (dimensionSQL); no value from a request is ever part of the text.
//
// The unit is the decision, stored as lines (one per control entry): lines selects the
// lines the filter keeps, each with whether it is the line that counts its decision in
// the table's cells (unit.counts) and whether that decision has a line of unknown value
// there (unit.unknown). Counts and cell keys are taken over counting lines only, so a
// decision counts once in a cell; values sum every line. Where no stored unit fits
// (unit.dedupe), units first folds the lines of each decision in each cell into one.
// per_exporter then groups by cell and exporter, for the exporters' shares that the
// value rules need; with countsOnly it groups by cell alone (counts and cell keys are
// the same, the exporter figures are not needed). Sums are exact_sum (migration 0013):
// bigint arithmetic, where sum(bigint) would be numeric at both levels.
func statisticsSQL(groupBy []Dimension, u unit, countsOnly bool) string {
	var keys, outer, casts []string
	lateral := ""
	for i, d := range groupBy {
		keys = append(keys, fmt.Sprintf("%s AS k%d", dimensionSQL[d], i))
		outer = append(outer, fmt.Sprintf("k%d", i))
		casts = append(casts, fmt.Sprintf("k%d::text", i))
		if d == DimDenialGround {
			lateral = "CROSS JOIN LATERAL unnest(d.denial_grounds) AS g(ground)"
		}
	}
	inner := slices.Clone(outer)
	if !countsOnly {
		inner = append(inner, "exporter_no")
	}
	groupClause := func(cols []string) string {
		if len(cols) == 0 {
			return ""
		}
		return "GROUP BY " + strings.Join(cols, ", ")
	}
	selectKeys, selectOuter := "", ""
	if len(keys) > 0 {
		selectKeys = strings.Join(keys, ", ") + ","
		selectOuter = strings.Join(outer, ", ") + ","
		casts = append(casts, "")
	}
	groundFilter := "TRUE"
	if lateral != "" {
		groundFilter = "($14::text[] IS NULL OR g.ground = ANY($14))"
	}
	source := "lines"
	units := ""
	if u.dedupe {
		source = "units"
		units = `,
		units AS (
		    SELECT ` + selectOuter + ` exporter_no, TRUE AS counts, bool_or(unknown) AS unknown,
		           min(record_key) AS record_key, min(outcome) AS outcome, exact_sum(value_cents) AS value_cents,
		           exact_sum(noisy_value_cents) AS noisy_value_cents
		    FROM lines
		    ` + groupClause(append(slices.Clone(outer), "exporter_no", "decision_no")) + `
		)`
	}
	return `
		WITH lines AS (
		    SELECT ` + selectKeys + `
		           d.exporter_no, d.decision_no, d.record_key, d.outcome, d.value_cents, d.noisy_value_cents,
		           ` + u.counts + ` AS counts, ` + u.unknown + ` AS unknown
		    FROM decisions d ` + lateral + `
		    WHERE d.release_id = $1
		      AND ($2::int[] IS NULL OR d.year = ANY($2))
		      AND ($3::date IS NULL OR d.decision_date >= $3)
		      AND ($4::date IS NULL OR d.decision_date <= $4)
		      AND ($5::text[] IS NULL OR d.member_state = ANY($5))
		      AND ($6::text[] IS NULL OR d.destination = ANY($6))
		      AND ($7::text[] IS NULL OR d.destination_region = ANY($7) OR d.destination_sub_region = ANY($7))
		      AND ($8::int[] IS NULL OR d.control_category = ANY($8))
		      AND ($9::text[] IS NULL OR d.control_entry = ANY($9) OR d.control_entry LIKE ANY($10))
		      AND ($11::boolean IS NULL OR d.cyber_surveillance = $11)
		      AND ($12::text[] IS NULL OR d.licence_type = ANY($12))
		      AND ($13::text[] IS NULL OR d.outcome = ANY($13))
		      AND ($14::text[] IS NULL OR d.denial_grounds && $14)
		      AND ($15::text[] IS NULL OR d.end_user_type = ANY($15))
		      AND ($16::text[] IS NULL OR d.catch_all = ANY($16))
		      AND ($17::text[] IS NULL OR d.control_entry = ANY($17))
		      AND ` + groundFilter + `
		)` + units + `,
		per_exporter AS (
		    SELECT ` + selectOuter + `
		           count(*) FILTER (WHERE counts) AS n,
		           coalesce(exact_sum(record_key) FILTER (WHERE counts), 0) AS k,
		           count(*) FILTER (WHERE counts AND outcome = 'ISSUED') AS n_issued,
		           coalesce(exact_sum(record_key) FILTER (WHERE counts AND outcome = 'ISSUED'), 0) AS k_issued,
		           count(*) FILTER (WHERE counts AND outcome = 'DENIED') AS n_denied,
		           coalesce(exact_sum(record_key) FILTER (WHERE counts AND outcome = 'DENIED'), 0) AS k_denied,
		           ` + valueAggregates(countsOnly) + `
		    FROM ` + source + `
		    ` + groupClause(inner) + `
		)
		SELECT ` + strings.Join(casts, ", ") + `
		       coalesce(exact_sum(n), 0)::bigint,
		       (coalesce(exact_sum(k), 0) % 4294967296)::bigint,
		       coalesce(exact_sum(n_issued), 0)::bigint,
		       (coalesce(exact_sum(k_issued), 0) % 4294967296)::bigint,
		       coalesce(exact_sum(n_denied), 0)::bigint,
		       (coalesce(exact_sum(k_denied), 0) % 4294967296)::bigint,
		       coalesce(exact_sum(v), 0)::float8 / 100,
		       count(*) FILTER (WHERE v > 0),
		       coalesce(max(v), 0)::float8 / 100,
		       coalesce(exact_sum(v_issued), 0)::float8 / 100,
		       count(*) FILTER (WHERE v_issued > 0),
		       coalesce(max(v_issued), 0)::float8 / 100,
		       coalesce(exact_sum(n_unknown), 0)::bigint,
		       (coalesce(exact_sum(k_unknown), 0) % 4294967296)::bigint,
		       coalesce(exact_sum(n_unknown_issued), 0)::bigint,
		       (coalesce(exact_sum(k_unknown_issued), 0) % 4294967296)::bigint,
		       coalesce(exact_sum(pv), 0)::float8 / 100,
		       coalesce(exact_sum(pv_issued), 0)::float8 / 100
		FROM per_exporter
		` + groupClause(outer)
}

// valueAggregates are the per-exporter figures the value rules need; a counts-only
// table skips them, and their columns are zeros.
func valueAggregates(countsOnly bool) string {
	if countsOnly {
		return `0::bigint AS v, 0::bigint AS v_issued, 0::bigint AS pv, 0::bigint AS pv_issued,
		        0::bigint AS n_unknown, 0::bigint AS k_unknown, 0::bigint AS n_unknown_issued, 0::bigint AS k_unknown_issued`
	}
	return `exact_sum(value_cents) AS v,
		           exact_sum(value_cents) FILTER (WHERE outcome = 'ISSUED') AS v_issued,
		           exact_sum(noisy_value_cents) AS pv,
		           exact_sum(noisy_value_cents) FILTER (WHERE outcome = 'ISSUED') AS pv_issued,
		           count(*) FILTER (WHERE counts AND unknown) AS n_unknown,
		           coalesce(exact_sum(record_key) FILTER (WHERE counts AND unknown), 0) AS k_unknown,
		           count(*) FILTER (WHERE counts AND unknown AND outcome = 'ISSUED') AS n_unknown_issued,
		           coalesce(exact_sum(record_key) FILTER (WHERE counts AND unknown AND outcome = 'ISSUED'), 0) AS k_unknown_issued`
}

// statisticsArgs are the query parameters $1 to $17 of statisticsSQL.
func statisticsArgs(releaseID string, f StatisticsFilter) []any {
	var subItems []string
	for _, e := range f.ControlEntries {
		subItems = append(subItems, escapeLike(e)+".%")
	}
	if f.ControlEntries == nil {
		subItems = nil
	}
	return []any{releaseID, f.Years, f.From, f.To, f.MemberStates, f.Destinations, f.DestinationRegions,
		f.ControlCategories, f.ControlEntries, subItems, f.CyberSurveillance, f.LicenceTypes, f.Outcomes,
		f.DenialGrounds, f.EndUserTypes, f.CatchAlls, f.listedEntries}
}

// protect turns a confidential cell into a row of published measures.
func protect(p *disclosure.Protector, c cell, countsOnly bool) StatisticsRow {
	row := StatisticsRow{
		Applications: p.Count(c.applications, c.keyApplications),
		Issued:       p.Count(c.issued, c.keyIssued),
		Denials:      p.Count(c.denials, c.keyDenied),
	}
	protectValues(p, c, &row, countsOnly)
	return row
}

// protectValues sets the row's values from the cell, given the row's published counts.
func protectValues(p *disclosure.Protector, c cell, row *StatisticsRow, countsOnly bool) {
	if countsOnly {
		na := disclosure.NotApplicableMeasure("not computed for this view")
		row.ValueApplied, row.ValueIssued = na, na
		return
	}
	row.ValueApplied = p.Value(disclosure.ValueCell{
		Published: c.noisyApplied, Count: row.Applications, Total: c.valueApplied, Contributors: c.contributorsApplied,
		Largest: c.largestApplied, Decisions: c.applications, Unknown: c.unknownApplied, UnknownKey: c.keyUnknownApplied,
	})
	row.ValueIssued = p.Value(disclosure.ValueCell{
		Published: c.noisyIssued, Count: row.Issued, Total: c.valueIssued, Contributors: c.contributorsIss,
		Largest: c.largestIssued, Decisions: c.issued, Unknown: c.unknownIssued, UnknownKey: c.keyUnknownIssued,
	})
}
