package db_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/release"
)

func denialsQuery(f db.StatisticsFilter, level db.DenialsLevel) db.DenialsQuery {
	return db.DenialsQuery{Release: fixture.query.Release, Filter: f, Level: level}
}

func denialRows(t *testing.T, q db.DenialsQuery, order db.DenialsOrder) ([]db.DenialsRow, *db.DenialsTable) {
	t.Helper()
	rows, table, err := fixture.db.DenialsRows(context.Background(), q, order)
	if err != nil {
		t.Fatal(err)
	}
	return rows, table
}

// denialKey is a row's destination or region code.
func denialKey(r db.DenialsRow) string {
	if r.DestinationCode != nil {
		return *r.DestinationCode
	}
	return r.Region.Code
}

// trueDenials counts denials and applications per destination (or region) in Go.
func trueDenials(keep func(release.Decision) bool, key func(release.Decision) string) (denials, applications map[string]int64) {
	denials, applications = map[string]int64{}, map[string]int64{}
	counted := map[string]bool{}
	for _, d := range fixture.rel.Decisions {
		if !keep(d) || counted[key(d)+"|"+d.DecisionID] {
			continue
		}
		counted[key(d)+"|"+d.DecisionID] = true
		applications[key(d)]++
		if d.Outcome == codes.Denied {
			denials[key(d)]++
		}
	}
	return denials, applications
}

func inYear(y int) func(release.Decision) bool {
	return func(d release.Decision) bool { return d.Date.Year() == y }
}

func byDestination(d release.Decision) string { return d.Destination }

func TestDenialsByDestination(t *testing.T) {
	loadFixture(t)
	rows, table := denialRows(t, denialsQuery(db.StatisticsFilter{Years: []int{2022}}, db.LevelCountry), db.DenialsOrder{By: db.ByDenials, Direction: db.Descending})
	denials, applications := trueDenials(inYear(2022), byDestination)
	prevDenials, _ := trueDenials(inYear(2021), byDestination)

	if table.PreviousPeriod == nil || table.PreviousPeriod.Start.Year() != 2021 || table.PreviousPeriod.End.Year() != 2021 || table.Period.Start.Year() != 2022 {
		t.Fatalf("period %+v, previous %+v; want 2022 against 2021", table.Period, table.PreviousPeriod)
	}
	// One row per destination with a published count of denials: every destination with
	// 5 or more (published at least 3, the noise being at most 2), none without any.
	listed := map[string]bool{}
	for _, r := range rows {
		listed[denialKey(r)] = true
		if denials[denialKey(r)] == 0 {
			t.Errorf("%s is listed with no denial in 2022", denialKey(r))
		}
	}
	for k, n := range denials {
		if n >= 5 && !listed[k] {
			t.Errorf("%s (%d denials in 2022) is not listed", k, n)
		}
	}
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	p := fixture.db.Disclosure()
	for i, r := range rows {
		k := denialKey(r)
		checkCount(t, k+" denials", r.Denials, denials[k], 2)
		checkCount(t, k+" applications", r.Applications, applications[k], 2)
		checkCount(t, k+" previous denials", r.Previous.Denials, prevDenials[k], 2)
		if want := p.Rate(r.Denials, r.Applications); !reflect.DeepEqual(r.DenialRate, want) {
			t.Errorf("%s: rate %+v, want it computed from the published counts: %+v", k, r.DenialRate, want)
		}
		if want := p.Difference(r.Denials, r.Previous.Denials); !reflect.DeepEqual(r.Change.Denials, want) {
			t.Errorf("%s: change %+v, want %+v", k, r.Change.Denials, want)
		}
		if i > 0 && rows[i-1].Denials.Value == nil && r.Denials.Value != nil || i > 0 && r.Denials.Value != nil && *rows[i-1].Denials.Value < *r.Denials.Value {
			t.Errorf("row %d (%s) has more denials than the row before it", i, k)
		}
	}
}

// The same cell as the table builder: a row's denials are licenceStatistics' denials.
func TestDenialsAreTheTableBuildersCells(t *testing.T) {
	loadFixture(t)
	rows, _ := denialRows(t, denialsQuery(db.StatisticsFilter{Years: []int{2021}}, db.LevelCountry), db.DenialsOrder{By: db.ByName})
	q := fixture.query
	q.GroupBy, q.Filter = []db.Dimension{db.DimDestination}, db.StatisticsFilter{Years: []int{2021}}
	stats, err := fixture.db.LicenceStatisticsRows(context.Background(), q, nil)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]db.StatisticsRow{}
	for _, s := range stats {
		byCode[*s.DestinationCode] = s
	}
	for _, r := range rows {
		s, listed := byCode[denialKey(r)]
		if !listed && r.Applications.Value == nil {
			continue // left out of the table builder's rows, below 3 applications
		}
		if !reflect.DeepEqual(r.Denials, s.Denials) || !reflect.DeepEqual(r.Applications, s.Applications) {
			t.Errorf("%s: denials %s, applications %s; licenceStatistics says %s, %s", denialKey(r),
				show([]disclosure.Measure{r.Denials}), show([]disclosure.Measure{r.Applications}),
				show([]disclosure.Measure{s.Denials}), show([]disclosure.Measure{s.Applications}))
		}
	}
}

func TestDenialsPeriods(t *testing.T) {
	loadFixture(t)
	tests := []struct {
		name         string
		filter       db.StatisticsFilter
		wantPrevious []int // first and last year of the previous period; nil for none
		wantCode     apperr.Code
	}{
		{name: "one year", filter: db.StatisticsFilter{Years: []int{2020}}, wantPrevious: []int{2019, 2019}},
		{name: "two years", filter: db.StatisticsFilter{Years: []int{2023, 2024}}, wantPrevious: []int{2021, 2022}},
		{name: "six months", filter: db.StatisticsFilter{From: ptr(date("2022-07-01")), To: ptr(date("2022-12-31"))}, wantPrevious: []int{2022, 2022}},
		{name: "three months across a year", filter: db.StatisticsFilter{From: ptr(date("2022-02-01")), To: ptr(date("2022-04-30"))}, wantPrevious: []int{2021, 2022}},
		{name: "a day: finer than a month", filter: db.StatisticsFilter{From: ptr(date("2022-03-15")), To: ptr(date("2022-03-15"))}, wantCode: apperr.Invalid},
		{name: "a period ending mid-month", filter: db.StatisticsFilter{From: ptr(date("2022-03-01")), To: ptr(date("2022-03-30"))}, wantCode: apperr.Invalid},
		{name: "the first year has no previous period in the release", filter: db.StatisticsFilter{Years: []int{2015}}},
		{name: "no period: the whole release", filter: db.StatisticsFilter{}},
		{name: "years not consecutive", filter: db.StatisticsFilter{Years: []int{2016, 2018}}, wantCode: apperr.Invalid},
		{name: "years and dates", filter: db.StatisticsFilter{Years: []int{2016}, From: ptr(date("2016-01-01"))}, wantCode: apperr.Invalid},
		{name: "outcomes", filter: db.StatisticsFilter{Years: []int{2016}, Outcomes: []codes.Outcome{codes.Issued}}, wantCode: apperr.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, table, err := fixture.db.DenialsRows(context.Background(), denialsQuery(tt.filter, db.LevelRegion), db.DenialsOrder{By: db.ByDenials})
			if tt.wantCode != "" || err != nil {
				if apperr.CodeOf(err) != tt.wantCode {
					t.Fatalf("error %v, want code %q", err, tt.wantCode)
				}
				return
			}
			if tt.wantPrevious == nil {
				if table.PreviousPeriod != nil || rows[0].Change.Denials.Status != disclosure.NotApplicable {
					t.Errorf("previous %+v, change %+v; want none, NOT_APPLICABLE", table.PreviousPeriod, rows[0].Change.Denials)
				}
				return
			}
			prev := table.PreviousPeriod
			if prev == nil || prev.Start.Year() != tt.wantPrevious[0] || prev.End.Year() != tt.wantPrevious[1] || !prev.End.AddDate(0, 0, 1).Equal(table.Period.Start) {
				t.Errorf("previous period %+v, want %v just before %+v", prev, tt.wantPrevious, table.Period)
			}
			if prev.Start.Day() != 1 || prev.End.AddDate(0, 0, 1).Day() != 1 || months(*prev) != months(table.Period) {
				t.Errorf("previous period %+v is not as many whole months as %+v", prev, table.Period)
			}
		})
	}
}

func TestDenialsFiltersAndLevels(t *testing.T) {
	loadFixture(t)
	region := func(d release.Decision) string {
		if r := fixture.world[d.Destination].Region; r != nil {
			return r.Code
		}
		return ""
	}
	cyberByStates := func(d release.Decision) bool {
		return d.Date.Year() >= 2021 && d.Date.Year() <= 2023 && isCyber(d) && slices.Contains([]string{"DE", "FR"}, d.MemberState)
	}
	tests := []struct {
		name   string
		filter db.StatisticsFilter
		level  db.DenialsLevel
		keep   func(release.Decision) bool
		key    func(release.Decision) string
		parts  int // the counts are sums of this many protected parts (2 states, 3 years)
	}{
		{name: "cyber-surveillance, two states, three years", level: db.LevelCountry, keep: cyberByStates, key: byDestination, parts: 6,
			filter: db.StatisticsFilter{Years: []int{2021, 2022, 2023}, CyberSurveillance: ptr(true), MemberStates: []string{"DE", "FR"}}},
		{name: "regions", level: db.LevelRegion, keep: inYear(2022), key: region, filter: db.StatisticsFilter{Years: []int{2022}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, _ := denialRows(t, denialsQuery(tt.filter, tt.level), db.DenialsOrder{By: db.ByName})
			denials, applications := trueDenials(tt.keep, tt.key)
			if len(rows) == 0 {
				t.Fatal("no rows")
			}
			for _, r := range rows {
				if denials[denialKey(r)] == 0 {
					t.Errorf("%s is listed with no denial", denialKey(r))
				}
			}
			// Each part is within 2 of its truth, or left out below 3 (a truth of at most 4).
			maxError := 2.0
			if tt.parts > 1 {
				maxError = 4 * float64(tt.parts)
			}
			for _, r := range rows {
				checkCount(t, denialKey(r), r.Denials, denials[denialKey(r)], maxError)
				checkCount(t, denialKey(r), r.Applications, applications[denialKey(r)], maxError)
			}
		})
	}
}

func TestDenialsPagesAndOfficialFigure(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	q := denialsQuery(db.StatisticsFilter{Years: []int{2022}}, db.LevelCountry)
	order := db.DenialsOrder{By: db.ByRate, Direction: db.Descending}
	whole, _ := denialRows(t, q, order)
	var paged []db.DenialsRow
	var after *string
	for {
		table, err := fixture.db.DenialsByDestination(ctx, q, order, ptr(4), after)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, table.Rows...)
		if !table.PageInfo.HasNextPage {
			break
		}
		after = table.PageInfo.EndCursor
	}
	if len(paged) != len(whole) || !reflect.DeepEqual(mapRows(paged), mapRows(whole)) {
		t.Error("pages of 4 do not give the whole table in its order")
	}
	official, err := fixture.db.OfficialDenials(ctx, q)
	if err != nil || official == nil || *official.Value != 831 || official.Status != disclosure.Official || official.Note == nil {
		t.Errorf("official denials for 2022 = %+v, %v; want 831, OFFICIAL, with its source", official, err)
	}
	q.Filter.CyberSurveillance = ptr(true)
	if official, err := fixture.db.OfficialDenials(ctx, q); err != nil || official != nil {
		t.Errorf("official denials for cyber-surveillance items = %+v, %v; want none: no authority published that scope", official, err)
	}
}

func mapRows(rows []db.DenialsRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = denialKey(r)
	}
	return out
}

// months is the number of calendar months a period of whole months spans.
func months(p db.Period) int {
	return (p.End.Year()-p.Start.Year())*12 + int(p.End.Month()-p.Start.Month()) + 1
}

// A denials table lists no row, and no ground, that says "at least one denial": a
// destination whose published count of denials is withheld (fewer than 3, or a sum of
// parts that leaves them all out) is not a row, and a ground whose count is withheld is
// not listed, as a statistics table lists no row whose count is withheld. The queries
// are those where such rows exist: one Member State and one month, cyber-surveillance
// items in a year, two small Member States in a year (sums of parts).
func TestDenialsListNoRowOfFewDenials(t *testing.T) {
	loadFixture(t)
	tests := []struct {
		name   string
		filter db.StatisticsFilter
		keep   func(release.Decision) bool
	}{
		{name: "one state, one month", filter: db.StatisticsFilter{MemberStates: []string{"DE"}, From: ptr(date("2022-03-01")), To: ptr(date("2022-03-31"))},
			keep: func(d release.Decision) bool {
				return d.MemberState == "DE" && d.Date.Year() == 2022 && d.Date.Month() == 3
			}},
		{name: "cyber-surveillance, one year", filter: db.StatisticsFilter{Years: []int{2022}, CyberSurveillance: ptr(true)},
			keep: func(d release.Decision) bool { return d.Date.Year() == 2022 && isCyber(d) }},
		{name: "two states, one year (sums of parts)", filter: db.StatisticsFilter{Years: []int{2022}, MemberStates: []string{"MT", "CY"}},
			keep: func(d release.Decision) bool {
				return d.Date.Year() == 2022 && (d.MemberState == "MT" || d.MemberState == "CY")
			}},
	}
	few := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			denials, _ := trueDenials(tt.keep, byDestination)
			for _, n := range denials {
				if n > 0 && n < 3 {
					few++
				}
			}
			rows, _, err := fixture.db.DenialsRows(context.Background(), denialsQuery(tt.filter, db.LevelCountry), db.DenialsOrder{By: db.ByDenials, Direction: db.Descending})
			if apperr.CodeOf(err) == apperr.Invalid && strings.Contains(err.Error(), "too sparse") {
				return // refused whole: it lists nothing
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Denials.Value == nil {
					t.Errorf("%s is listed with its denials withheld (%s, truly %d): the row says at least one denial", denialKey(r), r.Denials.Status, denials[denialKey(r)])
				}
				for _, g := range r.Grounds {
					if g.Denials.Value == nil {
						t.Errorf("%s: ground %s is listed with its denials withheld (%s): it says at least one denial on that ground", denialKey(r), g.Ground, g.Denials.Status)
					}
				}
			}
		})
	}
	if few == 0 {
		t.Error("no destination has one or two denials in these tables: the test no longer tries the rule")
	}
}
