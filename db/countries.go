package db

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// Country is an ISO 3166-1 country or territory with its UN M49 region and sub-region,
// or a code the EU institutions use beside them (Kosovo, XK), or a former one a release
// can still hold (the Netherlands Antilles, AN, until 2010).
type Country struct {
	Code        string
	Alpha3      string
	NumericCode string // "" for Kosovo, which has none
	Name        string
	Region      *Region
	SubRegion   *Region
	ValidFrom   *time.Time // first day the code could be a destination; nil: open
	ValidTo     *time.Time // last day; nil while it is in use
	Note        string     // where the portal departs from ISO 3166-1 or UN M49, or why the code ended
}

// Region is a UN M49 region, or a sub-region with its region as Parent.
type Region struct {
	Code   string
	Name   string
	Parent *Region
}

// Countries returns every country, or those of one M49 region or sub-region given by
// code or name (case-insensitive), ordered by code.
func (db *DB) Countries(ctx context.Context, region string) (_ []Country, err error) {
	defer apperr.Wrap(&err, "db.Countries(%q)", region)
	rows, err := db.pool.Query(ctx, `
		SELECT code, alpha3, coalesce(numeric_code, ''), name, region_code, region_name, sub_region_code, sub_region_name,
		       valid_from, valid_to, coalesce(note, '')
		FROM countries
		WHERE $1 = ''
		   OR region_code = $1 OR lower(region_name) = lower($1)
		   OR sub_region_code = $1 OR lower(sub_region_name) = lower($1)
		ORDER BY code`, strings.TrimSpace(region))
	if err != nil {
		return nil, err
	}
	countries, err := pgx.CollectRows(rows, scanCountry)
	if err == nil && len(countries) == 0 && region != "" {
		return nil, apperr.Errorf(apperr.Invalid, "region: %q is not a UN M49 region or sub-region code or name (see the regions query)", region)
	}
	return countries, err
}

// CountriesByCode returns the countries with the given alpha-2 codes, by code.
// Codes that are not countries are left out of the map.
func (db *DB) CountriesByCode(ctx context.Context, codes []string) (_ map[string]Country, err error) {
	defer apperr.Wrap(&err, "db.CountriesByCode(%d codes)", len(codes))
	rows, err := db.pool.Query(ctx, `
		SELECT code, alpha3, coalesce(numeric_code, ''), name, region_code, region_name, sub_region_code, sub_region_name,
		       valid_from, valid_to, coalesce(note, '')
		FROM countries
		WHERE code = ANY($1)
		ORDER BY code`, codes)
	if err != nil {
		return nil, err
	}
	countries, err := pgx.CollectRows(rows, scanCountry)
	return keyBy(countries, func(c Country) string { return c.Code }), err
}

// Country returns the country with the alpha-2 code, or a NotFound error.
func (db *DB) Country(ctx context.Context, code string) (_ *Country, err error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	byCode, err := db.CountriesByCode(ctx, []string{code})
	if err != nil {
		return nil, err
	}
	c, ok := byCode[code]
	if !ok {
		return nil, apperr.Errorf(apperr.NotFound, "no country with ISO 3166-1 alpha-2 code %q", code)
	}
	return &c, nil
}

// Regions returns the M49 regions and sub-regions that countries belong to, by code.
func (db *DB) Regions(ctx context.Context) (_ []Region, err error) {
	defer apperr.Wrap(&err, "db.Regions")
	rows, err := db.pool.Query(ctx, `
		SELECT DISTINCT region_code, region_name, NULL, NULL
		FROM countries WHERE region_code IS NOT NULL
		UNION
		SELECT DISTINCT sub_region_code, sub_region_name, region_code, region_name
		FROM countries WHERE sub_region_code IS NOT NULL
		ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Region, error) {
		var r Region
		var parentCode, parentName *string
		err := row.Scan(&r.Code, &r.Name, &parentCode, &parentName)
		r.Parent = region(parentCode, parentName, nil)
		return r, err
	})
}

func scanCountry(row pgx.CollectableRow) (Country, error) {
	var c Country
	var regionCode, regionName, subCode, subName *string
	err := row.Scan(&c.Code, &c.Alpha3, &c.NumericCode, &c.Name, &regionCode, &regionName, &subCode, &subName,
		&c.ValidFrom, &c.ValidTo, &c.Note)
	c.Region = region(regionCode, regionName, nil)
	c.SubRegion = region(subCode, subName, c.Region)
	return c, err
}

// region makes a *Region from nullable columns: nil when the code is NULL.
func region(code, name *string, parent *Region) *Region {
	if code == nil || name == nil {
		return nil
	}
	return &Region{Code: *code, Name: *name, Parent: parent}
}
