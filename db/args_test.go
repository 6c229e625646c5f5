package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// The data layer refuses arguments no caller can mean before they reach PostgreSQL,
// where a year past a small integer, a year past its dates or a NUL character in text
// is an error that would reach the user as INTERNAL. The API and the downloads both
// call it, so both answer INVALID_INPUT with a short message.
func TestArgumentsRefusedBeforeSQL(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 2021821})
	ctx := context.Background()
	rel, err := d.Release(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	ptr := func(s string) *string { return &s }
	year := 32768
	stats := func(f db.StatisticsFilter) error {
		_, err := d.LicenceStatistics(ctx, db.StatisticsQuery{Release: rel, Filter: f, GroupBy: []db.Dimension{db.DimYear}}, nil, nil, nil)
		return err
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"annual report of year 32768", func() error { _, err := d.AnnualReport(ctx, rel, 32768); return err }},
		{"annual report of year 1899", func() error { _, err := d.AnnualReport(ctx, rel, 1899); return err }},
		{"official figures of year 32768", func() error {
			_, err := d.OfficialFigures(ctx, rel.ID, db.OfficialFigureFilter{Year: &year})
			return err
		}},
		{"statistics of year 32768", func() error { return stats(db.StatisticsFilter{Years: []int{2022, 32768}}) }},
		{"statistics of year 2147483648", func() error { return stats(db.StatisticsFilter{Years: []int{2147483648}}) }},
		{"statistics of category 10", func() error { return stats(db.StatisticsFilter{ControlCategories: []int{10}}) }},
		{"denials of year 32768", func() error {
			_, err := d.DenialsByDestination(ctx, db.DenialsQuery{Release: rel, Filter: db.StatisticsFilter{Years: []int{32768}}, Level: db.LevelCountry}, db.DenialsOrder{By: db.ByDenials, Direction: db.Descending}, nil, nil)
			return err
		}},
		{"release id with NUL", func() error { _, err := d.Release(ctx, ptr("demo\x00")); return err }},
		{"release id of 666 KB", func() error { _, err := d.Release(ctx, ptr(strings.Repeat("A", 666_000))); return err }},
		{"statistics cursor of 666 KB", func() error {
			_, err := d.LicenceStatistics(ctx, db.StatisticsQuery{Release: rel, GroupBy: []db.Dimension{db.DimYear}}, nil, nil, ptr(strings.Repeat("A", 666_000)))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			code, msg := apperr.Public(err)
			if code != apperr.Invalid {
				t.Fatalf("error %v has code %s, want %s", err, code, apperr.Invalid)
			}
			if len(msg) > 300 {
				t.Errorf("a %d-byte message repeats the input whole: %.120s...", len(msg), msg)
			}
		})
	}
}
