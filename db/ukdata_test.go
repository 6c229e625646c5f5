package db_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/ukdata"
)

// Real data: the UK fixture (306 rows of the UK's published licensing data, 2008 to
// 2015, many licences on several ratings) converted and imported loads whole, and
// licenceStatistics by year publishes the number of decisions in the file, within
// the noise.
func TestUKFixtureCountsDecisions(t *testing.T) {
	out := t.TempDir()
	if _, err := ukdata.Convert(ukdata.Options{Values: "../internal/ukdata/testdata/values.csv", Out: out,
		ReleaseID: "uk-fixture", PublishedOn: time.Date(2015, 7, 29, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	d := testdb.New(t)
	rel := testdb.ImportFolder(t, d, out)
	want := map[string]int64{}
	seen := map[string]bool{}
	lines := 0
	for _, l := range rel.Decisions {
		lines++
		if !seen[l.DecisionID] {
			seen[l.DecisionID] = true
			want[strconv.Itoa(l.Date.Year())]++
		}
	}
	if len(seen) == lines {
		t.Fatalf("no decision of the fixture has several lines: it cannot tell decisions from lines")
	}
	r, err := d.Release(context.Background(), &rel.Meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := d.LicenceStatisticsRows(context.Background(), db.StatisticsQuery{Release: r, GroupBy: []db.Dimension{db.DimYear}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) {
		t.Errorf("%d years published, want %d", len(rows), len(want))
	}
	maxNoise := float64(d.Disclosure().Policy().MaxNoise)
	for _, row := range rows {
		year := strconv.Itoa(*row.Year)
		checkCount(t, year, row.Applications, want[year], maxNoise)
	}
}
