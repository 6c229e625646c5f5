package db

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
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

// readReference reads the reference data from the database.
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

// Populations are the Council's population figures for qualified-majority voting:
// by year, each Member State's population (its share times the EU total).
func (db *DB) Populations(ctx context.Context) (map[int]map[string]int64, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT year, member_state, share_percent, eu_population
		FROM population_shares
		ORDER BY year, member_state`)
	if err != nil {
		return nil, err
	}
	shares, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PopulationShare, error) {
		var p PopulationShare
		return p, row.Scan(&p.Year, &p.MemberState, &p.SharePercent, &p.EUPopulation)
	})
	byYear := map[int]map[string]int64{}
	for _, p := range shares {
		if byYear[p.Year] == nil {
			byYear[p.Year] = map[string]int64{}
		}
		byYear[p.Year][p.MemberState] = int64(p.Population())
	}
	return byYear, err
}
