package db_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/release"
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
		{name: "Kosovo placed in Southern Europe", region: "039", contains: "XK", excludes: "EG"},
		{name: "a former code keeps its region", region: "Latin America and the Caribbean", contains: "AN", excludes: "FR"},
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

// The cyber-surveillance entries are the reference file's eight, with its wording, and
// no other entry is flagged.
func TestControlEntriesCyberSurveillanceFlags(t *testing.T) {
	d := testdb.New(t)
	records := readCSV(t, "testdata/cyber-surveillance-entries.csv")
	page, err := d.ControlEntries(context.Background(), db.ControlEntryFilter{CyberSurveillance: ptr(true)}, ptr(500), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range page.Nodes {
		got[e.Code] = e.Description
	}
	want := map[string]string{}
	for _, rec := range records[1:] {
		want[rec[0]] = rec[1]
	}
	if len(want) != 8 {
		t.Fatalf("testdata lists %d cyber-surveillance entries, want 8", len(want))
	}
	for code, description := range want {
		if got[code] != description {
			t.Errorf("entry %s: description %q, want %q", code, got[code], description)
		}
	}
	for code := range got {
		if _, ok := want[code]; !ok {
			t.Errorf("entry %s is flagged cyber-surveillance but is not one of the 8", code)
		}
	}
}

// Destinations as authorities record them: Kosovo under the code the EU institutions
// use, and the former codes a release from 2000 on can hold, each with its last day.
func TestCountryCodesAsAuthoritiesRecordThem(t *testing.T) {
	d := testdb.New(t)
	tests := []struct {
		name      string
		code      string
		alpha3    string
		numeric   string
		subRegion string
		validTo   string // "" while in use
		note      string // a word the note must hold; "" for no note
	}{
		{name: "Kosovo, no ISO numeric code", code: "XK", alpha3: "XKX", numeric: "", subRegion: "039", note: "user-assigned"},
		{name: "Netherlands Antilles until its dissolution", code: "AN", alpha3: "ANT", numeric: "530", subRegion: "419", validTo: "2010-10-09", note: "Curaçao"},
		{name: "Serbia and Montenegro until Montenegro's independence", code: "CS", alpha3: "SCG", numeric: "891", subRegion: "039", validTo: "2006-06-02", note: "Montenegro"},
		{name: "Taiwan placed by the portal", code: "TW", alpha3: "TWN", numeric: "158", subRegion: "030", note: "M49"},
		{name: "an ordinary country", code: "EG", alpha3: "EGY", numeric: "818", subRegion: "015"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := d.Country(context.Background(), tt.code)
			if err != nil {
				t.Fatal(err)
			}
			if c.Alpha3 != tt.alpha3 || c.NumericCode != tt.numeric || c.SubRegion == nil || c.SubRegion.Code != tt.subRegion {
				t.Errorf("%s = %s/%q in %+v; want %s/%q in sub-region %s", tt.code, c.Alpha3, c.NumericCode, c.SubRegion, tt.alpha3, tt.numeric, tt.subRegion)
			}
			if c.ValidFrom != nil || !sameDay(c.ValidTo, tt.validTo) {
				t.Errorf("%s valid %v to %v, want open to %q", tt.code, c.ValidFrom, c.ValidTo, tt.validTo)
			}
			if (tt.note == "") != (c.Note == "") || !strings.Contains(c.Note, tt.note) {
				t.Errorf("%s note %q, want one with %q", tt.code, c.Note, tt.note)
			}
		})
	}
}

// sameDay reports whether the optional day is the one given, "" for none.
func sameDay(got *time.Time, want string) bool {
	if got == nil || want == "" {
		return got == nil && want == ""
	}
	return got.Equal(date(want))
}

// The importer checks a release against what ReleaseReference returns: every code with
// the days it could be used.
func TestReleaseReferenceValidity(t *testing.T) {
	d := testdb.New(t)
	ref, err := d.ReleaseReference(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.ControlEntries) != 3443 {
		t.Errorf("%d control entries, want the 3443 of the Annex", len(ref.ControlEntries))
	}
	if len(ref.MemberStates) < 28 || len(ref.Population) == 0 {
		t.Errorf("%d Member States and %d population years, want the 28 with the United Kingdom and some", len(ref.MemberStates), len(ref.Population))
	}
	tests := []struct {
		name    string
		v       release.Validity
		known   bool
		from    string // "" for no start
		validTo string // "" while in use
	}{
		{name: "Kosovo", v: ref.Countries["XK"], known: has(ref.Countries, "XK")},
		{name: "Netherlands Antilles", v: ref.Countries["AN"], known: has(ref.Countries, "AN"), validTo: "2010-10-09"},
		{name: "Serbia and Montenegro", v: ref.Countries["CS"], known: has(ref.Countries, "CS"), validTo: "2006-06-02"},
		{name: "France", v: ref.Countries["FR"], known: has(ref.Countries, "FR")},
		{name: "5A002 from the regime start", v: ref.ControlEntries["5A002"], known: has(ref.ControlEntries, "5A002"), from: "2000-09-28"},
		{name: "4A005 from the 2014 update", v: ref.ControlEntries["4A005"], known: has(ref.ControlEntries, "4A005"), from: "2014-12-31"},
		{name: "5D001.e from the 2020 update", v: ref.ControlEntries["5D001.e"], known: has(ref.ControlEntries, "5D001.e"), from: "2020-12-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.known {
				t.Fatal("not in the reference data")
			}
			wantFrom := time.Time{}
			if tt.from != "" {
				wantFrom = date(tt.from)
			}
			if !tt.v.From.Equal(wantFrom) || !sameDay(tt.v.To, tt.validTo) {
				t.Errorf("validity %v to %v, want %q to %q", tt.v.From, tt.v.To, tt.from, tt.validTo)
			}
		})
	}
}

func has[V any](m map[string]V, key string) bool {
	_, ok := m[key]
	return ok
}

// Every migrate upserts the shipped files over what an older version loaded: a database
// seeded with the earlier hand-written list gets the Annex text and the new columns.
func TestSeedOverwritesOlderReferenceRows(t *testing.T) {
	ctx := context.Background()
	url := testdb.NewURL(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `
		UPDATE control_entries SET description = 'an older wording', valid_from = '2009-08-27', valid_from_basis = NULL
		WHERE code = '0A001';
		UPDATE countries SET valid_to = NULL, note = NULL WHERE code = 'AN'`); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e, err := d.ControlEntry(ctx, "0A001")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(e.Description, "Nuclear reactors") || !e.ValidFrom.Equal(date("2000-09-28")) || e.ValidFromBasis == "" {
		t.Errorf("0A001 after migrate = %q from %v (%q); want the Annex heading from 2000-09-28 with its basis", e.Description, e.ValidFrom, e.ValidFromBasis)
	}
	an, err := d.Country(ctx, "AN")
	if err != nil {
		t.Fatal(err)
	}
	if !sameDay(an.ValidTo, "2010-10-09") || an.Note == "" {
		t.Errorf("AN after migrate valid to %v with note %q; want 2010-10-09 and a note", an.ValidTo, an.Note)
	}
}
