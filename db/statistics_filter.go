package db

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
)

// normaliseFilter checks the codes a filter names against the reference data and puts
// them in the form decisions are stored in: ISO codes for Member States (EL is GR, UK
// is GB), M49 codes for regions named by name, control entries for a date of the
// EU-wide list. An unknown code is an Invalid error that names it, never a silently
// empty table.
func (db *DB) normaliseFilter(ctx context.Context, r *Release, f StatisticsFilter) (StatisticsFilter, error) {
	if err := checkYears("filter.years", f.Years...); err != nil {
		return f, err
	}
	if err := checkCategories("filter.controlCategories", f.ControlCategories...); err != nil {
		return f, err
	}
	if f.From != nil && f.To != nil && f.From.After(*f.To) {
		return f, apperr.Errorf(apperr.Invalid, "filter: from (%s) is after to (%s)", f.From.Format("2006-01-02"), f.To.Format("2006-01-02"))
	}
	lookups := []struct {
		field  string
		values *[]string
		sql    string
	}{
		{"memberStates", &f.MemberStates, memberStateAliases},
		{"destinations", &f.Destinations, `SELECT code, code FROM countries`},
		{"destinationRegions", &f.DestinationRegions, `
			SELECT region_code, region_code FROM countries WHERE region_code IS NOT NULL
			UNION SELECT upper(region_name), region_code FROM countries WHERE region_code IS NOT NULL
			UNION SELECT sub_region_code, sub_region_code FROM countries WHERE sub_region_code IS NOT NULL
			UNION SELECT upper(sub_region_name), sub_region_code FROM countries WHERE sub_region_code IS NOT NULL`},
		{"controlEntries", &f.ControlEntries, `SELECT upper(code), code FROM control_entries`},
	}
	narrowToYears(&f)
	if err := resolveCatchAll(&f); err != nil {
		return f, err
	}
	if f.OnSurveillanceList != nil {
		entries, err := db.ListedEntriesOn(ctx, r, *f.OnSurveillanceList)
		if err != nil {
			return f, err
		}
		f.listedEntries = entries
	}
	for _, l := range lookups {
		if *l.values == nil {
			continue
		}
		resolved, err := db.resolveCodes(ctx, l.field, *l.values, l.sql)
		if err != nil {
			return f, err
		}
		*l.values = resolved
	}
	return f, nil
}

// memberStateAliases maps the ISO and the EU code of each Member State to its ISO code.
const memberStateAliases = `SELECT code, code FROM member_states UNION ALL SELECT eu_code, code FROM member_states`

// resolveCodes maps each value (case-insensitive) through the (alias, code) pairs that
// sql selects, refusing values that are not aliases.
func (db *DB) resolveCodes(ctx context.Context, field string, values []string, sql string) ([]string, error) {
	rows, err := db.pool.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	pairs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Alias, Code string }])
	if err != nil {
		return nil, err
	}
	known := make(map[string]string, len(pairs))
	for _, p := range pairs {
		known[strings.TrimSpace(p.Alias)] = strings.TrimSpace(p.Code)
	}
	resolved := make([]string, 0, len(values))
	var unknown []string
	for _, v := range values {
		code, ok := known[strings.ToUpper(strings.TrimSpace(v))]
		if !ok {
			unknown = append(unknown, v)
		} else if !slices.Contains(resolved, code) {
			resolved = append(resolved, code)
		}
	}
	if len(unknown) > 0 {
		return nil, apperr.Errorf(apperr.Invalid, "filter.%s: unknown code(s) %s", field, apperr.Quote(strings.Join(unknown, ", ")))
	}
	return resolved, nil
}

// narrowToYears adds the date range the years span to the filter, so the query can
// read the decisions of those years by the date index; year = ANY(...) still selects.
func narrowToYears(f *StatisticsFilter) {
	if len(f.Years) == 0 {
		return
	}
	first, last := slices.Min(f.Years), slices.Max(f.Years)
	from, to := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(last, 12, 31, 0, 0, 0, 0, time.UTC)
	if f.From == nil || f.From.Before(from) {
		f.From = &from
	}
	if f.To == nil || f.To.After(to) {
		f.To = &to
	}
}

// resolveCatchAll puts the deprecated catchAll flag in the form of the catchAlls list.
func resolveCatchAll(f *StatisticsFilter) error {
	switch {
	case f.CatchAll == nil:
		return nil
	case f.CatchAlls != nil:
		return apperr.Errorf(apperr.Invalid, "filter: give catchAlls or catchAll, not both")
	case *f.CatchAll:
		f.CatchAlls = []codes.CatchAll{codes.CyberSurveillanceCatchAll}
	default:
		f.CatchAlls = slices.DeleteFunc(slices.Clone(codes.CatchAlls), func(c codes.CatchAll) bool { return c == codes.CyberSurveillanceCatchAll })
	}
	f.CatchAll = nil
	return nil
}
