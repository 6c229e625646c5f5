package db_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/dualuse-transparency/portal/db"
)

// The averaging attack: requests that differ by one destination (or one month) give
// the attacker a fresh noise draw each time, so that averaging many differences
// recovers the target's exact count. With counts additive over the values of a
// filter and the units of a period, every difference is the same figure.
func TestDifferencesDrawNoFreshNoise(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	total := func(f db.StatisticsFilter) float64 {
		t.Helper()
		row, err := fixture.db.LicenceStatisticsTotal(ctx, db.StatisticsQuery{Release: fixture.query.Release, Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		return *row.Applications.Value
	}
	others := []string{"US", "CN", "RU", "AE", "SA", "IN", "TR", "JP", "KR", "BR", "IL", "SG"}
	t.Run("destination lists", func(t *testing.T) {
		seen := map[float64]bool{}
		for i := range 8 {
			list := others[i : i+3]
			with := append([]string{"EG"}, list...)
			seen[total(db.StatisticsFilter{Years: []int{2022}, Destinations: with})-total(db.StatisticsFilter{Years: []int{2022}, Destinations: list})] = true
		}
		if len(seen) != 1 {
			t.Errorf("differences %v: want one figure, the same whatever the other destinations", seen)
		}
	})
	t.Run("periods", func(t *testing.T) {
		seen := map[float64]bool{}
		for start := 1; start <= 5; start++ {
			from, to := date(fmt.Sprintf("2022-%02d-01", start)), date("2022-06-30")
			before := date("2022-05-31")
			a := total(db.StatisticsFilter{From: &from, To: &to, Destinations: []string{"EG"}})
			if start == 6 {
				continue
			}
			b := total(db.StatisticsFilter{From: &from, To: &before, Destinations: []string{"EG"}})
			seen[a-b] = true
		}
		if len(seen) != 1 {
			t.Errorf("June by differences of periods: %v, want one figure", seen)
		}
	})
}
