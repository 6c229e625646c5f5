package db_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// moveYears rewrites the decisions of the release in dir: the lines of a year in drop
// are removed, and those of a year in onto are all moved to the date given.
func moveYears(t *testing.T, dir string, drop []string, onto map[string]string) {
	t.Helper()
	path := filepath.Join(dir, "licence_decisions.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	header := rows[0]
	dateCol := slices.Index(header, "decision_date")
	if dateCol < 0 {
		t.Fatalf("no column decision_date in %v", header)
	}
	kept := [][]string{header}
	for _, row := range rows[1:] {
		year := row[dateCol][:4]
		if slices.Contains(drop, year) {
			continue
		}
		if date, ok := onto[year]; ok {
			row[dateCol] = date
		}
		kept = append(kept, row)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	if err := w.WriteAll(kept); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// smallRelease opens a fresh database and writes a small synthetic release of five
// years (2020 to 2024, 3,000 decisions) into a folder, to be changed before its import.
func smallRelease(t *testing.T) (*db.DB, string) {
	t.Helper()
	d, err := db.Open(context.Background(), testdb.NewURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	dir := t.TempDir()
	if _, err := demodata.Write(dir, demodata.Options{Seed: 5, Decisions: 3000, FromYear: 2020, ToYear: 2024}); err != nil {
		t.Fatal(err)
	}
	return d, dir
}

// The years a release has decisions in are found through the date index: a year with
// none between two that have some, and years whose decisions all lie on their last or
// first day, must come out as they are, or the whole period's cubes, assembled from
// the years' cells, would lose a year.
func TestPrecomputeFindsEveryYear(t *testing.T) {
	ctx := context.Background()
	d, dir := smallRelease(t)
	moveYears(t, dir, []string{"2021"}, map[string]string{"2022": "2022-12-31", "2023": "2023-01-01"})
	rel, log := importWithLog(t, d, dir, db.ImportOptions{})
	if !strings.Contains(log, "years=4 ") {
		t.Errorf("import log %q: want years=4 (2020, 2022, 2023, 2024)", log)
	}
	id := rel.Meta.ID
	r, err := d.Release(ctx, &id)
	if err != nil {
		t.Fatal(err)
	}

	for _, year := range []int{2022, 2023} {
		if _, err := d.AnnualReport(ctx, r, year); err != nil {
			t.Errorf("AnnualReport(%d), every decision on the year's edge: %v, want the report", year, err)
		}
	}
	if _, err := d.AnnualReport(ctx, r, 2021); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("AnnualReport(2021), no decision that year: %v, want NOT_FOUND", err)
	}

	cube := func(ctx context.Context) any {
		rows, err := d.LicenceStatisticsRows(ctx, db.StatisticsQuery{Release: r, GroupBy: []db.Dimension{db.DimYear, db.DimMemberState, db.DimControlCategory}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if got, want := cube(ctx), cube(db.WithoutStoredCells(ctx)); !reflect.DeepEqual(got, want) {
		t.Errorf("the B5 cube from release_cells differs from the cube computed afresh:\n%+v\n%+v", got, want)
	}
}

// A standard table the release refuses (too sparse to publish: in this small release
// the applications by destination of some years) is refused on request, with or without
// precomputation; that must not cost the release the precomputation of every other
// table.
func TestPrecomputeSkipsARefusedTable(t *testing.T) {
	ctx := context.Background()
	d, dir := smallRelease(t)
	rel, log := importWithLog(t, d, dir, db.ImportOptions{})
	if !strings.Contains(log, "msg=precomputed") || !strings.Contains(log, "years=5 ") {
		t.Errorf("import log %q: want the tables of 5 years precomputed", log)
	}
	id := rel.Meta.ID
	r, err := d.Release(ctx, &id)
	if err != nil {
		t.Fatal(err)
	}
	byDestination := func(ctx context.Context, year int) (any, error) {
		return d.LicenceStatisticsRows(ctx, db.StatisticsQuery{Release: r, Filter: db.StatisticsFilter{Years: []int{year}},
			GroupBy: []db.Dimension{db.DimDestination}}, []db.StatisticsOrder{{By: db.OrderApplications}})
	}
	refused := 0
	for year := 2020; year <= 2024; year++ {
		got, gotErr := byDestination(ctx, year)
		want, wantErr := byDestination(db.WithoutStoredCells(ctx), year)
		if apperr.CodeOf(wantErr) == apperr.Invalid {
			refused++
		}
		if apperr.CodeOf(gotErr) != apperr.CodeOf(wantErr) || !reflect.DeepEqual(got, want) {
			t.Errorf("applications by destination in %d: served %v (%v), computed afresh %v (%v)", year, got, gotErr, want, wantErr)
		}
		rep, err := d.AnnualReport(ctx, r, year)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := d.AnnualReport(db.WithoutStoredCells(ctx), r, year)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(rep, fresh) {
			t.Errorf("the report of %d from release_cells differs from the report computed afresh:\n%+v\n%+v", year, rep, fresh)
		}
	}
	if refused == 0 {
		t.Fatal("no year's applications by destination is too sparse to publish: the release no longer tests a refused table")
	}
}
