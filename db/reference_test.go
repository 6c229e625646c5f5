package db_test

import (
	"context"
	"encoding/csv"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

func TestMigrateIsIdempotent(t *testing.T) {
	d := testdb.New(t)
	ctx := context.Background()
	before, err := d.Countries(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	applied, err := d.Migrate(ctx)
	if err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if applied != 0 {
		t.Errorf("second Migrate applied %d migrations, want 0", applied)
	}
	after, err := d.Countries(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("countries: %d after a second Migrate, %d before", len(after), len(before))
	}
}

func TestMemberStates(t *testing.T) {
	d := testdb.New(t)
	tests := []struct {
		name       string
		asOf       string
		want       int
		hasUK      bool
		hasCroatia bool
	}{
		{name: "today: the 27", asOf: time.Now().Format(time.DateOnly), want: 27, hasCroatia: true},
		{name: "last day of UK membership", asOf: "2020-01-31", want: 28, hasUK: true, hasCroatia: true},
		{name: "day after Brexit", asOf: "2020-02-01", want: 27, hasCroatia: true},
		{name: "before Croatia joined", asOf: "2010-01-01", want: 27, hasUK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			states, err := d.MemberStates(context.Background(), date(tt.asOf))
			if err != nil {
				t.Fatal(err)
			}
			codes := make([]string, len(states))
			for i, s := range states {
				codes[i] = s.Code
			}
			if len(states) != tt.want || slices.Contains(codes, "GB") != tt.hasUK || slices.Contains(codes, "HR") != tt.hasCroatia {
				t.Errorf("MemberStates(%s) = %d states %v; want %d, UK %t, Croatia %t", tt.asOf, len(states), codes, tt.want, tt.hasUK, tt.hasCroatia)
			}
		})
	}
}

func TestMemberStateCodes(t *testing.T) {
	d := testdb.New(t)
	tests := []struct {
		name string
		code string
		want string
		err  apperr.Code
	}{
		{name: "ISO code", code: "GR", want: "GR"},
		{name: "EU code for Greece", code: "EL", want: "GR"},
		{name: "lower case", code: "el", want: "GR"},
		{name: "EU code for the United Kingdom", code: "UK", want: "GB"},
		{name: "not a member", code: "NO", err: apperr.NotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := d.MemberState(context.Background(), tt.code)
			if tt.err != "" {
				if apperr.CodeOf(err) != tt.err {
					t.Fatalf("MemberState(%q) error = %v, want code %s", tt.code, err, tt.err)
				}
				return
			}
			if err != nil || ms.Code != tt.want {
				t.Fatalf("MemberState(%q) = %+v, %v; want %s", tt.code, ms, err, tt.want)
			}
		})
	}
}

func TestPopulationShares(t *testing.T) {
	d := testdb.New(t)
	shares, err := d.PopulationShares(context.Background(), []string{"DE", "GB"})
	if err != nil {
		t.Fatal(err)
	}
	de := shares["DE"]
	if len(de) != 2 || de[0].Year != 2025 || de[0].SharePercent != 18.49 || de[0].EUPopulation != 451028881 {
		t.Fatalf("DE shares = %+v, want 2025 first with 18.49 %% of 451028881", de)
	}
	if got := de[0].Population(); got < 83_000_000 || got > 84_000_000 {
		t.Errorf("DE 2025 population = %d, want about 83.4 million", got)
	}
	if gb := shares["GB"]; len(gb) != 1 || gb[0].Year != 2016 {
		t.Errorf("GB shares = %+v, want only 2016", gb)
	}
}

func TestCountries(t *testing.T) {
	d := testdb.New(t)
	ctx := context.Background()
	all, err := d.Countries(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 240 {
		t.Fatalf("Countries() = %d countries, want at least 240", len(all))
	}
	withRegion := 0
	for _, c := range all {
		if c.Region != nil && c.SubRegion != nil && c.SubRegion.Parent.Code == c.Region.Code {
			withRegion++
		}
	}
	if withRegion < len(all)-3 {
		t.Errorf("%d of %d countries have a region and a sub-region of it", withRegion, len(all))
	}
	tests := []struct {
		name     string
		region   string
		contains string
		excludes string
		err      apperr.Code
	}{
		{name: "region by name", region: "Africa", contains: "EG", excludes: "FR"},
		{name: "region by code", region: "002", contains: "EG", excludes: "FR"},
		{name: "sub-region, any case", region: "western asia", contains: "AE", excludes: "EG"},
		{name: "unknown region", region: "Atlantis", err: apperr.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := d.Countries(ctx, tt.region)
			if apperr.CodeOf(err) != tt.err && (err != nil || tt.err != "") {
				t.Fatalf("Countries(%q) error = %v, want %q", tt.region, err, tt.err)
			}
			codes := countryCodes(got)
			if tt.err == "" && (!slices.Contains(codes, tt.contains) || slices.Contains(codes, tt.excludes)) {
				t.Errorf("Countries(%q) = %v; want %s in it and %s not", tt.region, codes, tt.contains, tt.excludes)
			}
		})
	}
}

func countryCodes(cs []db.Country) []string {
	codes := make([]string, len(cs))
	for i, c := range cs {
		codes[i] = c.Code
	}
	return codes
}

func TestRegions(t *testing.T) {
	d := testdb.New(t)
	regions, err := d.Regions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, r := range regions {
		if r.Parent == nil {
			top = append(top, r.Name)
		}
	}
	if want := []string{"Oceania", "Africa", "Americas", "Asia", "Europe"}; len(top) != 5 || !sameSet(top, want) {
		t.Errorf("top regions = %v, want %v", top, want)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// The cyber-surveillance entries are the reference file's, with its wording.
func TestCyberSurveillanceEntries(t *testing.T) {
	d := testdb.New(t)
	f, err := os.Open("testdata/cyber-surveillance-entries.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	page, err := d.ControlEntries(context.Background(), db.ControlEntryFilter{CyberSurveillance: ptr(true)}, ptr(500), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range page.Nodes {
		got[e.Code] = e.Description
	}
	for _, rec := range records[1:] {
		if got[rec[0]] != rec[1] {
			t.Errorf("entry %s: description %q, want %q", rec[0], got[rec[0]], rec[1])
		}
	}
	if len(got) < len(records)-1 {
		t.Errorf("%d cyber-surveillance entries, want at least %d", len(got), len(records)-1)
	}
}
