package db

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// Release is one immutable import of a data set, with what a user needs to cite it.
type Release struct {
	ID                 string
	Title              string
	Description        string
	PeriodStart        time.Time
	PeriodEnd          time.Time
	PublishedOn        time.Time
	Publisher          string
	Source             string
	Licence            string
	MethodologyVersion string
	Citation           string
	Synthetic          bool
	URL                *string
	Checksum           string
	ImportedAt         time.Time
}

// Releases returns every release, the latest first: the one statistics answer from by default.
func (db *DB) Releases(ctx context.Context) (_ []Release, err error) {
	defer apperr.Wrap(&err, "db.Releases")
	rows, err := db.pool.Query(ctx, `
		SELECT id, title, description, period_start, period_end, published_on, publisher, source,
		       licence, methodology_version, citation, synthetic, url, checksum, imported_at
		FROM releases
		ORDER BY published_on DESC, imported_at DESC, id`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanRelease)
}

// Release returns the release with the id, or the latest when id is nil. It fails with
// NotFound for an unknown id or when no release has been imported yet.
func (db *DB) Release(ctx context.Context, id *string) (_ *Release, err error) {
	defer apperr.Wrap(&err, "db.Release(%.80q)", derefOr(id, "latest"))
	if id != nil {
		if err := checkText("release", *id); err != nil {
			return nil, err
		}
	}
	rows, err := db.pool.Query(ctx, `
		SELECT id, title, description, period_start, period_end, published_on, publisher, source,
		       licence, methodology_version, citation, synthetic, url, checksum, imported_at
		FROM releases
		WHERE $1::text IS NULL OR id = $1
		ORDER BY published_on DESC, imported_at DESC, id
		LIMIT 1`, id)
	if err != nil {
		return nil, err
	}
	r, err := pgx.CollectExactlyOneRow(rows, scanRelease)
	switch {
	case err == pgx.ErrNoRows && id != nil:
		return nil, apperr.Errorf(apperr.NotFound, "no release with id %s (see the releases query)", apperr.Quote(*id))
	case err == pgx.ErrNoRows:
		return nil, apperr.Errorf(apperr.NotFound, "no release has been imported yet")
	}
	return &r, err
}

func scanRelease(row pgx.CollectableRow) (Release, error) {
	var r Release
	err := row.Scan(&r.ID, &r.Title, &r.Description, &r.PeriodStart, &r.PeriodEnd, &r.PublishedOn,
		&r.Publisher, &r.Source, &r.Licence, &r.MethodologyVersion, &r.Citation, &r.Synthetic,
		&r.URL, &r.Checksum, &r.ImportedAt)
	return r, err
}

// DataVersion changes whenever a release is imported or replaced: responses computed
// before a change may be served from a cache until then.
func (db *DB) DataVersion(ctx context.Context) (string, error) {
	var v string
	err := db.pool.QueryRow(ctx, `SELECT count(*)::text || '/' || coalesce(max(imported_at)::text, '') FROM releases`).Scan(&v)
	return v, err
}
