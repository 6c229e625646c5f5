package db

import (
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

//go:embed reference/*.csv
var referenceFiles embed.FS

// A referenceTable says how one reference CSV file becomes rows: the upsert to run for
// each record, and which CSV columns (by header name) fill its parameters, in order.
type referenceTable struct {
	file    string
	columns []string
	upsert  string
}

// referenceTables are loaded in this order, so that foreign keys find their rows.
var referenceTables = []referenceTable{
	{
		file:    "countries.csv",
		columns: []string{"alpha2", "alpha3", "numeric", "name", "region_code", "region_name", "sub_region_code", "sub_region_name", "valid_from", "valid_to", "note"},
		upsert: `
			INSERT INTO countries (code, alpha3, numeric_code, name, region_code, region_name, sub_region_code, sub_region_name,
			                       valid_from, valid_to, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10::date, $11)
			ON CONFLICT (code) DO UPDATE SET
			    alpha3 = excluded.alpha3, numeric_code = excluded.numeric_code, name = excluded.name,
			    region_code = excluded.region_code, region_name = excluded.region_name,
			    sub_region_code = excluded.sub_region_code, sub_region_name = excluded.sub_region_name,
			    valid_from = excluded.valid_from, valid_to = excluded.valid_to, note = excluded.note`,
	},
	{
		file:    "member_states.csv",
		columns: []string{"iso2", "eu_code", "name", "member_from", "member_until", "competent_authority"},
		upsert: `
			INSERT INTO member_states (code, eu_code, name, member_from, member_until, competent_authority)
			VALUES ($1, $2, $3, $4::date, $5::date, $6)
			ON CONFLICT (code) DO UPDATE SET
			    eu_code = excluded.eu_code, name = excluded.name, member_from = excluded.member_from,
			    member_until = excluded.member_until, competent_authority = excluded.competent_authority`,
	},
	{
		file:    "population_shares.csv",
		columns: []string{"year", "iso2", "share_percent", "eu_population", "source"},
		upsert: `
			INSERT INTO population_shares (year, member_state, share_percent, eu_population, source)
			VALUES ($1::smallint, $2, $3::numeric, $4::bigint, $5)
			ON CONFLICT (year, member_state) DO UPDATE SET
			    share_percent = excluded.share_percent, eu_population = excluded.eu_population,
			    source = excluded.source`,
	},
	{
		// An empty population is a gap of the source: NULL, never estimated. (An empty
		// field is already NULL; NULLIF keeps it so should the reader change.)
		file:    "qmv_population.csv",
		columns: []string{"year", "iso2", "population", "publisher", "act", "source"},
		upsert: `
			INSERT INTO qmv_population (year, member_state, population, publisher, act, source)
			VALUES ($1::smallint, $2, NULLIF($3::text, '')::bigint, $4, $5, $6)
			ON CONFLICT (year, member_state, publisher) DO UPDATE SET
			    population = excluded.population, act = excluded.act, source = excluded.source`,
	},
	{
		file:    "control_entries.csv",
		columns: []string{"code", "parent_code", "description", "cyber_surveillance", "valid_from", "valid_to", "source", "valid_from_basis"},
		upsert: `
			INSERT INTO control_entries (code, parent_code, description, cyber_surveillance, valid_from, valid_to, source, valid_from_basis)
			VALUES ($1, $2, $3, $4::boolean, $5::date, $6::date, $7, $8)
			ON CONFLICT (code) DO UPDATE SET
			    parent_code = excluded.parent_code, description = excluded.description,
			    cyber_surveillance = excluded.cyber_surveillance, valid_from = excluded.valid_from,
			    valid_to = excluded.valid_to, source = excluded.source, valid_from_basis = excluded.valid_from_basis`,
	},
}

// seedReference loads the reference files shipped with the binary, in one transaction:
// all of them or, on any error, none.
func (db *DB) seedReference(ctx context.Context) (err error) {
	defer apperr.Wrap(&err, "loading reference data")
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for _, t := range referenceTables {
			rows, err := t.read()
			if err != nil {
				return err
			}
			batch := &pgx.Batch{}
			for _, row := range rows {
				batch.Queue(t.upsert, row...)
			}
			if err := tx.SendBatch(ctx, batch).Close(); err != nil {
				return fmt.Errorf("%s: %w", t.file, err)
			}
		}
		return nil
	})
}

// read returns the file's records as query parameters, an empty field as NULL.
func (t referenceTable) read() ([][]any, error) {
	f, err := referenceFiles.Open("reference/" + t.file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil || len(records) == 0 {
		return nil, fmt.Errorf("%s: %v", t.file, err)
	}
	index := make([]int, len(t.columns))
	for i, col := range t.columns {
		if index[i] = slices.Index(records[0], col); index[i] < 0 {
			return nil, fmt.Errorf("%s: no column %q", t.file, col)
		}
	}
	rows := make([][]any, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := make([]any, len(index))
		for i, j := range index {
			if rec[j] != "" {
				row[i] = rec[j]
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
