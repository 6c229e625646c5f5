package db_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/release"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/ukdata"
)

// Real data: the UK fixture (306 rows of the UK's published licensing data, 2008 to
// 2015, many licences on several ratings) converted and imported loads whole, and
// licenceStatistics by year publishes the number of decisions in the file, within
// the noise.
func TestUKFixtureCountsDecisions(t *testing.T) {
	d, rel := importUKFixture(t)
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

// importUKFixture converts the UK fixture and imports it into a fresh database.
func importUKFixture(t *testing.T) (*db.DB, *release.Release) {
	t.Helper()
	out := t.TempDir()
	if _, err := ukdata.Convert(ukdata.Options{Values: "../internal/ukdata/testdata/values.csv", Out: out,
		ReleaseID: "uk-fixture", PublishedOn: time.Date(2015, 7, 29, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	d := testdb.New(t)
	return d, testdb.ImportFolder(t, d, out)
}

// Real data: the UK fixture's refusals (a few a year, most destinations refused once
// or twice) make denials tables with rows and grounds of one or two denials; each
// year's table lists none of them, and lists every destination refused 5 times or more
// (published at least 3).
func TestUKFixtureDenialsListNoFewRows(t *testing.T) {
	d, rel := importUKFixture(t)
	r, err := d.Release(context.Background(), &rel.Meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	few := 0
	for year := rel.Meta.PeriodStart.Year(); year <= rel.Meta.PeriodEnd.Year(); year++ {
		denials := map[string]int{}
		seen := map[string]bool{}
		for _, l := range rel.Decisions {
			if l.Date.Year() == year && l.Outcome == codes.Denied && !seen[l.DecisionID] {
				seen[l.DecisionID] = true
				denials[l.Destination]++
			}
		}
		rows, _, err := d.DenialsRows(context.Background(), db.DenialsQuery{Release: r, Filter: db.StatisticsFilter{Years: []int{year}}, Level: db.LevelCountry},
			db.DenialsOrder{By: db.ByDenials, Direction: db.Descending})
		if err != nil {
			t.Fatal(err)
		}
		listed := map[string]bool{}
		for _, row := range rows {
			listed[*row.DestinationCode] = true
			if row.Denials.Value == nil {
				t.Errorf("%d: %s listed with its denials withheld (truly %d)", year, *row.DestinationCode, denials[*row.DestinationCode])
			}
			for _, g := range row.Grounds {
				if g.Denials.Value == nil {
					t.Errorf("%d: %s: ground %s listed with its count withheld", year, *row.DestinationCode, g.Ground)
				}
			}
		}
		for dest, n := range denials {
			if n < 3 {
				few++
			}
			if n >= 5 && !listed[dest] {
				t.Errorf("%d: %s (%d refusals) not listed", year, dest, n)
			}
		}
	}
	if few == 0 {
		t.Error("no destination of the fixture was refused once or twice in a year: the test no longer tries the rule")
	}
}
