package db

import (
	"context"
	"reflect"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/disclosure"
)

// OfficialFigure is a figure already published by an authority: exact, with its source.
type OfficialFigure struct {
	Year           int
	Scope          string
	Metric         string
	Value          float64
	Unit           string
	SourceDocument string
	SourceURL      *string
	Verified       string
}

// Measure is the figure as a published number: exact, status OFFICIAL, its source as note.
func (f OfficialFigure) Measure() disclosure.Measure {
	source := f.SourceDocument
	if f.SourceURL != nil {
		source += " " + *f.SourceURL
	}
	return disclosure.OfficialFigure(f.Value, source)
}

// OfficialFigureFilter selects official figures; nil fields do not filter.
type OfficialFigureFilter struct {
	Year   *int
	Metric *string
	Scope  *string
}

// OfficialFigures returns a release's official figures, by year, scope and metric.
func (db *DB) OfficialFigures(ctx context.Context, releaseID string, f OfficialFigureFilter) (_ []OfficialFigure, err error) {
	defer apperr.Wrap(&err, "db.OfficialFigures(%s, %+v)", releaseID, f)
	if f.Year != nil {
		if err := checkYears("year", *f.Year); err != nil {
			return nil, err
		}
	}
	rows, err := db.pool.Query(ctx, `
		SELECT year, scope, metric, value::float8, unit, source_document, source_url, verified
		FROM official_figures
		WHERE release_id = $1
		  AND ($2::int IS NULL OR year = $2)
		  AND ($3::text IS NULL OR metric = $3)
		  AND ($4::text IS NULL OR scope = $4)
		ORDER BY year, scope, metric`, releaseID, f.Year, f.Metric, f.Scope)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[OfficialFigure])
}

// OfficialDenials is the EU-wide number of denials an authority published for the
// table's scope, when the table is exactly one year with no other filter; else nil.
func (db *DB) OfficialDenials(ctx context.Context, q DenialsQuery) (*disclosure.Measure, error) {
	if len(q.Filter.Years) != 1 || !reflect.DeepEqual(q.Filter, StatisticsFilter{Years: q.Filter.Years}) {
		return nil, nil
	}
	metric := "denials"
	figures, err := db.OfficialFigures(ctx, q.Release.ID, OfficialFigureFilter{Year: &q.Filter.Years[0], Metric: &metric})
	if err != nil || len(figures) == 0 {
		return nil, err
	}
	m := figures[0].Measure()
	return &m, nil
}
