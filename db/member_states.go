package db

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// MemberState is an EU Member State, now or in the past, and its licensing authority.
type MemberState struct {
	Code               string // ISO 3166-1 alpha-2, as published
	EUCode             string // EU usage, where it differs from ISO: EL, UK
	Name               string
	MemberFrom         time.Time
	MemberUntil        *time.Time
	CompetentAuthority string
}

// PopulationShare is a Member State's share of the EU population in the Council's
// figures for one year, as used for qualified-majority voting.
type PopulationShare struct {
	MemberState  string
	Year         int
	SharePercent float64
	EUPopulation int
	Source       string
}

// Population is the state's population: the published share times the EU total.
func (p PopulationShare) Population() int {
	return int(float64(p.EUPopulation)*p.SharePercent/100 + 0.5)
}

// MemberStates returns the states that were members on the date, by name.
func (db *DB) MemberStates(ctx context.Context, asOf time.Time) (_ []MemberState, err error) {
	defer apperr.Wrap(&err, "db.MemberStates(%s)", asOf.Format(time.DateOnly))
	rows, err := db.pool.Query(ctx, `
		SELECT code, eu_code, name, member_from, member_until, competent_authority
		FROM member_states
		WHERE member_from <= $1 AND (member_until IS NULL OR member_until >= $1)
		ORDER BY name`, asOf)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanMemberState)
}

// MemberState returns the state with the ISO or EU code (GR or EL, GB or UK), or a
// NotFound error.
func (db *DB) MemberState(ctx context.Context, code string) (_ *MemberState, err error) {
	defer apperr.Wrap(&err, "db.MemberState(%q)", code)
	rows, err := db.pool.Query(ctx, `
		SELECT code, eu_code, name, member_from, member_until, competent_authority
		FROM member_states
		WHERE code = $1 OR eu_code = $1`, strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return nil, err
	}
	ms, err := pgx.CollectExactlyOneRow(rows, scanMemberState)
	if err == pgx.ErrNoRows {
		return nil, apperr.Errorf(apperr.NotFound, "no Member State or former Member State with code %q", code)
	}
	return &ms, err
}

// PopulationShares returns the population shares of the given states, newest year first.
func (db *DB) PopulationShares(ctx context.Context, states []string) (_ map[string][]PopulationShare, err error) {
	defer apperr.Wrap(&err, "db.PopulationShares(%d states)", len(states))
	rows, err := db.pool.Query(ctx, `
		SELECT member_state, year, share_percent, eu_population, source
		FROM population_shares
		WHERE member_state = ANY($1)
		ORDER BY member_state, year DESC`, states)
	if err != nil {
		return nil, err
	}
	shares, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PopulationShare, error) {
		var p PopulationShare
		return p, row.Scan(&p.MemberState, &p.Year, &p.SharePercent, &p.EUPopulation, &p.Source)
	})
	byState := make(map[string][]PopulationShare, len(states))
	for _, p := range shares {
		byState[p.MemberState] = append(byState[p.MemberState], p)
	}
	return byState, err
}

func scanMemberState(row pgx.CollectableRow) (MemberState, error) {
	var m MemberState
	err := row.Scan(&m.Code, &m.EUCode, &m.Name, &m.MemberFrom, &m.MemberUntil, &m.CompetentAuthority)
	return m, err
}

// MemberStatesByCode returns the Member States (present or past) with the ISO codes, by code.
func (db *DB) MemberStatesByCode(ctx context.Context, codes []string) (_ map[string]MemberState, err error) {
	defer apperr.Wrap(&err, "db.MemberStatesByCode(%d codes)", len(codes))
	rows, err := db.pool.Query(ctx, `
		SELECT code, eu_code, name, member_from, member_until, competent_authority
		FROM member_states
		WHERE code = ANY($1)
		ORDER BY code`, codes)
	if err != nil {
		return nil, err
	}
	states, err := pgx.CollectRows(rows, scanMemberState)
	return keyBy(states, func(s MemberState) string { return s.Code }), err
}
