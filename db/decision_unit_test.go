package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// The decision is the unit: testdata/multi-entry holds nine decisions, four of them on
// several control entries (A twice in category 5; B in categories 5 and 3; C on a
// cyber-surveillance entry and another), two without a value (B, E), one on a
// non-listed item under the WMD catch-all (E), an intra-EU transfer (F), two historical
// or non-ISO destinations (G to Kosovo, H to the Netherlands Antilles in 2009) and an
// entry the reference lacks (I). Each case pins the true cells of one table.
func TestTheDecisionIsTheUnit(t *testing.T) {
	d := testdb.New(t)
	rel := testdb.ImportFolder(t, d, "testdata/multi-entry")
	r, err := d.Release(context.Background(), ptr(rel.Meta.ID))
	if err != nil {
		t.Fatal(err)
	}
	// cell is "key: applications issued denials unknown valueApplied valueIssued".
	tests := []struct {
		name    string
		groupBy []db.Dimension
		filter  db.StatisticsFilter
		want    []string
	}{
		{name: "total: nine decisions, two without a value", want: []string{": 9 7 2 2 4035 4035"}},
		{name: "by year", groupBy: []db.Dimension{db.DimYear},
			want: []string{"2009: 1 1 0 0 70 70", "2022: 8 6 2 2 3965 3965"}},
		{name: "by Member State", groupBy: []db.Dimension{db.DimMemberState},
			want: []string{"DE: 5 4 1 1 1625 1625", "FR: 2 2 0 0 2400 2400", "IT: 1 0 1 1 0 0", "NL: 1 1 0 0 10 10"}},
		{name: "by destination, historical and intra-EU ones included", groupBy: []db.Dimension{db.DimDestination},
			want: []string{"AN: 1 1 0 0 70 70", "CN: 4 3 1 1 1605 1605", "FR: 1 1 0 0 50 50", "IR: 1 0 1 1 0 0",
				"US: 1 1 0 0 2300 2300", "XK: 1 1 0 0 10 10"}},
		{name: "by category: once per category, B in two", groupBy: []db.Dimension{db.DimControlCategory},
			want: []string{"1: 3 3 0 0 155 155", "3: 1 0 1 1 0 0", "4: 1 1 0 0 2000 2000", "5: 5 4 1 1 1880 1880", ": 1 0 1 1 0 0"}},
		{name: "by entry: once per entry", groupBy: []db.Dimension{db.DimControlEntry},
			want: []string{"1C350: 2 2 0 0 150 150", "1C999: 1 1 0 0 5 5", "3A001: 1 0 1 1 0 0", "4A005: 1 1 0 0 2000 2000",
				"5A002: 5 4 1 1 1380 1380", "5D002: 1 1 0 0 500 500", ": 1 0 1 1 0 0"}},
		{name: "by cyber-surveillance: C on both sides", groupBy: []db.Dimension{db.DimCyberSurveillance},
			want: []string{"false: 9 7 2 2 2035 2035", "true: 1 1 0 0 2000 2000"}},
		{name: "cyber-surveillance only", filter: db.StatisticsFilter{CyberSurveillance: ptr(true)},
			want: []string{": 1 1 0 0 2000 2000"}},
		{name: "two categories filtered: B counts once", filter: db.StatisticsFilter{ControlCategories: []int{5, 3}},
			want: []string{": 5 4 1 1 1880 1880"}},
		{name: "one category filtered", filter: db.StatisticsFilter{ControlCategories: []int{5}},
			want: []string{": 5 4 1 1 1880 1880"}},
		{name: "an entry filtered, by outcome: only that entry's values", groupBy: []db.Dimension{db.DimOutcome},
			filter: db.StatisticsFilter{ControlEntries: []string{"5A002"}},
			want:   []string{"DENIED: 1 0 1 1 0 0", "ISSUED: 4 4 0 0 1380 1380"}},
		{name: "by category and cyber-surveillance", groupBy: []db.Dimension{db.DimControlCategory, db.DimCyberSurveillance},
			want: []string{"1|false: 3 3 0 0 155 155", "3|false: 1 0 1 1 0 0", "4|true: 1 1 0 0 2000 2000",
				"5|false: 5 4 1 1 1880 1880", "|false: 1 0 1 1 0 0"}},
		{name: "by denial ground: B under both of its grounds", groupBy: []db.Dimension{db.DimDenialGround},
			want: []string{"CRITERION_7: 1 0 1 1 0 0", "WMD: 2 0 2 2 0 0"}},
		{name: "by catch-all", groupBy: []db.Dimension{db.DimCatchAll},
			want: []string{"NONE: 8 7 1 1 4035 4035", "WMD: 1 0 1 1 0 0"}},
		{name: "catch-all filter", filter: db.StatisticsFilter{CatchAlls: []codes.CatchAll{"WMD", codes.CyberSurveillanceCatchAll}},
			want: []string{": 1 0 1 1 0 0"}},
		{name: "the old flag: false is every clause but the cyber-surveillance one", filter: db.StatisticsFilter{CatchAll: ptr(false)},
			want: []string{": 9 7 2 2 4035 4035"}},
		{name: "intra-EU transfers", groupBy: []db.Dimension{db.DimLicenceType},
			filter: db.StatisticsFilter{LicenceTypes: []codes.LicenceType{codes.IntraEUTransfer}},
			want:   []string{"INTRA_EU_TRANSFER: 1 1 0 0 50 50"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cells, err := d.TrueCells(context.Background(), db.StatisticsQuery{Release: r, Filter: tt.filter, GroupBy: tt.groupBy})
			if err != nil {
				t.Fatal(err)
			}
			got := make([]string, len(cells))
			for i, c := range cells {
				got[i] = fmt.Sprintf("%s: %d %d %d %d %.0f %.0f", strings.Join(c.Key, "|"), c.Applications, c.Issued, c.Denials,
					c.UnknownApplied, c.ValueApplied, c.ValueIssued)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("cells\n got %q\nwant %q", got, want)
			}
		})
	}
}
