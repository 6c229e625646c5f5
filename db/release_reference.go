package db

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/qmv"
	"github.com/dualuse-transparency/portal/internal/release"
)

// referenceCache keeps the reference data for a minute: it changes only with a
// migration, and the catch-all tallies of every list request need it.
type referenceCache struct {
	mu      sync.Mutex
	ref     release.Reference
	fetched time.Time
}

const referenceTTL = time.Minute

// ReleaseReference returns the reference data a release is validated against.
func (db *DB) ReleaseReference(ctx context.Context) (release.Reference, error) {
	c := &db.reference
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.fetched) < referenceTTL {
		return c.ref, nil
	}
	ref, err := db.readReference(ctx)
	if err != nil {
		return ref, err
	}
	c.ref, c.fetched = ref, time.Now()
	return ref, nil
}

// readReference reads the reference data from the database; Population is every
// figure of qmv_population (Populations).
func (db *DB) readReference(ctx context.Context) (_ release.Reference, err error) {
	defer apperr.Wrap(&err, "db.ReleaseReference")
	ref := release.Reference{}
	if ref.Countries, err = db.validities(ctx, `SELECT code, valid_from, valid_to FROM countries ORDER BY code`); err != nil {
		return ref, err
	}
	if ref.ControlEntries, err = db.validities(ctx, `SELECT code, valid_from, valid_to FROM control_entries ORDER BY code`); err != nil {
		return ref, err
	}
	if ref.MemberStates, err = db.memberships(ctx); err != nil {
		return ref, err
	}
	ref.Population, err = db.Populations(ctx)
	return ref, err
}

// validities runs a query of code, first day and last day (either NULL when open) and
// returns the validity of each code; a NULL first day is the zero time.
func (db *DB) validities(ctx context.Context, query string) (map[string]release.Validity, error) {
	rows, err := db.pool.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	byCode := map[string]release.Validity{}
	var code string
	var from, to *time.Time
	_, err = pgx.ForEachRow(rows, []any{&code, &from, &to}, func() error {
		byCode[code] = release.Validity{From: derefOr(from, time.Time{}), To: to}
		return nil
	})
	return byCode, err
}

// memberships returns when each state was a Member State, by ISO code.
func (db *DB) memberships(ctx context.Context) (map[string]release.Membership, error) {
	rows, err := db.pool.Query(ctx, `SELECT code, eu_code, member_from, member_until FROM member_states ORDER BY code`)
	if err != nil {
		return nil, err
	}
	byCode := map[string]release.Membership{}
	var code, euCode string
	var from time.Time
	var until *time.Time
	_, err = pgx.ForEachRow(rows, []any{&code, &euCode, &from, &until}, func() error {
		byCode[code] = release.Membership{EUCode: euCode, From: from, Until: until}
		return nil
	})
	return byCode, err
}

// Populations are the population figures for qualified-majority voting, from
// qmv_population: every row, by year, Member State and publisher (the Council's own
// figures where known, Eurostat's for every state). A gap of the source (a NULL
// population) is returned as a Figure with Population 0, so that it stays visible and
// qmv.Figures.For passes over that year for the state instead of estimating it.
func (db *DB) Populations(ctx context.Context) (_ qmv.Figures, err error) {
	defer apperr.Wrap(&err, "db.Populations")
	rows, err := db.pool.Query(ctx, `
		SELECT year, member_state, publisher, population, act
		FROM qmv_population
		ORDER BY year, member_state, publisher`)
	if err != nil {
		return nil, err
	}
	figures := qmv.Figures{}
	var year int
	var state, publisher, act string
	var population *int64
	_, err = pgx.ForEachRow(rows, []any{&year, &state, &publisher, &population, &act}, func() error {
		figures.Add(year, state, qmv.Figure{Population: derefOr(population, 0), Publisher: qmv.Publisher(publisher), Source: act})
		return nil
	})
	return figures, err
}
