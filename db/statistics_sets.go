package db

import (
	"context"
	"slices"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// TableSpec is one table of a set read in one scan: its dimensions and, when
// CyberOnly, only the cells of cyber-surveillance items.
type TableSpec struct {
	Dims      []Dimension
	CyberOnly bool
}

// statisticsSets builds several tables of one release and filter in one scan of the
// decisions (GROUPING SETS). Every cell is the cell LicenceStatisticsRows publishes
// for it: the same decisions, so the same counts, keys and exporter figures. The
// tables take no denial-ground dimension (it multiplies the rows).
func (db *DB) statisticsSets(ctx context.Context, r *Release, f StatisticsFilter, tables []TableSpec) (_ [][]StatisticsRow, err error) {
	defer apperr.Wrap(&err, "db.statisticsSets(%s)", r.ID)
	union, sets := unionOf(tables)
	filter, err := db.normaliseFilter(ctx, r, f)
	if err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, aggregationSQL(union, false, sets), statisticsArgs(r.ID, filter)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byGrouping := map[int][]cell{}
	var g int
	for rows.Next() {
		c, err := scanCell(rows, len(union), &g)
		if err != nil {
			return nil, err
		}
		byGrouping[g] = append(byGrouping[g], c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	names, err := db.dimensionNames(ctx, union)
	if err != nil {
		return nil, err
	}
	out := make([][]StatisticsRow, len(tables))
	for t, spec := range tables {
		out[t] = db.tableOf(spec, byGrouping[grouping(len(union), sets[t])], union, sets[t], names)
	}
	return out, nil
}

// unionOf lists the dimensions of all the tables, and each table's set of indexes
// into that list (a cyber-only table's set includes the cyber-surveillance flag).
func unionOf(tables []TableSpec) ([]Dimension, [][]int) {
	var union []Dimension
	sets := make([][]int, len(tables))
	add := func(t int, d Dimension) {
		i := slices.Index(union, d)
		if i < 0 {
			union, i = append(union, d), len(union)
		}
		sets[t] = append(sets[t], i)
	}
	for t, spec := range tables {
		for _, d := range spec.Dims {
			add(t, d)
		}
		if spec.CyberOnly {
			add(t, DimCyberSurveillance)
		}
	}
	return union, sets
}

// tableOf makes the protected rows of one table from its cells, in dimension order.
func (db *DB) tableOf(spec TableSpec, cells []cell, union []Dimension, set []int, names dimensionNames) []StatisticsRow {
	rows := []StatisticsRow{}
	for _, c := range cells {
		if spec.CyberOnly && keyOf(c.key[slices.Index(union, DimCyberSurveillance)]) != "true" {
			continue
		}
		key := make([]*string, len(spec.Dims))
		for j := range spec.Dims {
			key[j] = c.key[set[j]]
		}
		row := protect(db.protector, c, false)
		row.key = key
		setDimensions(&row, spec.Dims, key, names)
		rows = append(rows, row)
	}
	if len(spec.Dims) == 0 && len(rows) == 0 { // a total of nothing is a zero, as a total query gives
		row := protect(db.protector, cell{}, false)
		rows = append(rows, row)
	}
	sortRows(rows, spec.Dims, nil)
	return rows
}
