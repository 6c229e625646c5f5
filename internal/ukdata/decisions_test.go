package ukdata

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// row is a source row for the tests: "rating,count,value" with the group's date,
// destination and refusal.
func rows(group, date, country string, refused bool, ratings ...string) []sourceRow {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	var out []sourceRow
	for i, r := range ratings {
		f := strings.Split(r, ",")
		var count int
		fmt.Sscan(f[1], &count)
		row := sourceRow{line: i + 2, group: group, date: d, rating: f[0], count: count, country: country, refused: refused}
		if f[2] != "" {
			row.valueKnown = true
			row.pence, _ = parsePence(f[2])
		}
		out = append(out, row)
	}
	return out
}

// show writes a decision on one line: id, type, outcome, destination, grounds,
// catch-all, then each entry as code=value ("?" for unknown).
func show(d Decision) string {
	var entries []string
	for _, e := range d.Entries {
		v := "?"
		if e.ValueKnown {
			v = formatCents(e.Cents)
		}
		entries = append(entries, e.Code+"="+v)
	}
	return fmt.Sprintf("%s %s %s %s [%s] %s %s", d.ID, d.LicenceType, d.Outcome, d.Destination,
		showGrounds(d.Grounds), d.CatchAll, strings.Join(entries, " "))
}

func TestLicences(t *testing.T) {
	tests := []struct {
		name     string
		rows     []sourceRow
		dest     string
		criteria []int
		want     []string
	}{
		{
			name: "one licence: military and national ratings left out",
			rows: rows("15", "2008-01-03", "Egypt", false, "5A002,1,293260", "5D002,1,41610", "ML10,1,500", "PL5017,1,0"),
			dest: "EG",
			want: []string{"uk-15-1 INDIVIDUAL ISSUED EG [] NONE 5A002=368287.54 5D002=52255.49"},
		},
		{
			name: "a value of zero is a value",
			rows: rows("25", "2008-01-03", "Russia", false, "5A002,1,19000", "5E002,1,0"),
			dest: "RU",
			want: []string{"uk-25-1 INDIVIDUAL ISSUED RU [] NONE 5A002=23860.95 5E002=0.00"},
		},
		{
			name: "no dual-use rating: no decision",
			rows: rows("13", "2008-01-03", "Indonesia", false, "ML4,1,390", "ML10,1,94050", "IRN,1,5"),
			dest: "ID",
			want: nil,
		},
		{
			name: "a rating counted twice: two licences, nested, values shared",
			rows: rows("96", "2008-01-10", "Israel", false, "5A002,2,7116", "5D002,1,4996", "ML10,3,100"),
			dest: "IL",
			want: []string{
				"uk-96-1 INDIVIDUAL ISSUED IL [] NONE 5A002=4468.28 5D002=6274.17",
				"uk-96-2 INDIVIDUAL ISSUED IL [] NONE 5A002=4468.27",
			},
		},
		{
			name: "refused: no value, grounds from the criteria",
			rows: rows("613", "2008-01-31", "Sri Lanka", true, "5A002,1,"),
			dest: "LK", criteria: []int{1, 2, 3},
			want: []string{"uk-613-1 INDIVIDUAL DENIED LK [CRITERION_1;CRITERION_2;CRITERION_3] NONE 5A002=?"},
		},
		{
			name: "WMD end-use control with a rated item: the licence is under the catch-all",
			rows: rows("408", "2008-01-23", "United Arab Emirates", false, "1C010,1,300000", "End Use,1,28730"),
			dest: "AE",
			want: []string{"uk-408-1 INDIVIDUAL ISSUED AE [] WMD =36080.27 1C010=376751.90"},
		},
		{
			name: "both end-use controls refused: one empty entry, WMD first",
			rows: rows("21233", "2009-11-02", "Iran", true, "End Use,2,", "IRN,1,", "MEND,1,"),
			dest: "IR", criteria: []int{1},
			want: []string{
				"uk-21233-1 INDIVIDUAL DENIED IR [WMD;MILITARY_END_USE;CRITERION_1] WMD =?",
				"uk-21233-2 INDIVIDUAL DENIED IR [WMD;CRITERION_1] WMD =?",
			},
		},
		{
			name: "military end-use control alone",
			rows: rows("32891", "2011-07-01", "United Arab Emirates", false, "6A003,1,5000", "MEND,1,1044"),
			dest: "AE",
			want: []string{"uk-32891-1 INDIVIDUAL ISSUED AE [] MILITARY_END_USE =1202.93 6A003=5761.17"},
		},
		{
			name: "two spellings of one code make one entry",
			rows: rows("7", "2012-03-01", "Japan", false, "5A002a1,1,100", "5A002.a.1,1,50"),
			dest: "JP",
			want: []string{"uk-7-1 INDIVIDUAL ISSUED JP [] NONE 5A002.a.1=184.98"},
		},
		{
			name: "a refusal without criterion has no ground",
			rows: rows("9", "2012-03-01", "Iraq", true, "2B350,1,"),
			dest: "IQ",
			want: []string{"uk-9-1 INDIVIDUAL DENIED IQ [] NONE 2B350=?"},
		},
		{
			name: "to a Member State: an intra-EU transfer",
			rows: rows("224", "2008-01-17", "France", false, "0C002,1,1"),
			dest: "FR",
			want: []string{"uk-224-1 INTRA_EU_TRANSFER ISSUED FR [] NONE 0C002=1.26"},
		},
		{
			name: "to Croatia before it joined",
			rows: rows("213", "2008-01-16", "Croatia", false, "2B352,1,20000"),
			dest: "HR",
			want: []string{"uk-213-1 INDIVIDUAL ISSUED HR [] NONE 2B352=25116.79"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := licences(group{id: tt.rows[0].group, rows: tt.rows}, tt.dest, tt.criteria)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range ds {
				got = append(got, show(d))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestGroupRows(t *testing.T) {
	tests := []struct {
		name    string
		rows    []sourceRow
		groups  int
		wantErr string
	}{
		{"groups in file order", append(rows("2", "2008-01-02", "Chile", false, "ML10,1,5"), rows("1", "2008-01-02", "Peru", false, "ML10,1,5")...), 2, ""},
		{"rows of a group agree", rows("1", "2008-01-02", "Peru", false, "ML10,1,5", "5A002,1,6"), 1, ""},
		{"another date", append(rows("1", "2008-01-02", "Peru", false, "ML10,1,5"), rows("1", "2008-01-03", "Peru", false, "5A002,1,6")...), 0, "date: 2008-01-03 differs"},
		{"another country", append(rows("1", "2008-01-02", "Peru", false, "ML10,1,5"), rows("1", "2008-01-02", "Chile", false, "5A002,1,6")...), 0, `country: "Chile" differs`},
		{"another outcome", append(rows("1", "2008-01-02", "Peru", false, "ML10,1,5"), rows("1", "2008-01-02", "Peru", true, "5A002,1,")...), 0, "refused: differs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gs, err := groupRows(tt.rows, "values.csv")
			switch {
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one with %q", err, tt.wantErr)
			case tt.wantErr == "" && (err != nil || len(gs) != tt.groups):
				t.Fatalf("%d groups, %v; want %d", len(gs), err, tt.groups)
			}
		})
	}
}

func TestBuild(t *testing.T) {
	all := func(parts ...[]sourceRow) []sourceRow {
		var out []sourceRow
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	source := all(
		rows("1", "2012-01-02", "Egypt", false, "5A002,2,100"),
		rows("2", "2012-01-03", "United Kingdom", false, "5A002,1,100"),
		rows("3", "2012-01-03", "Continental Shelf: United Kingdom sector", false, "6A001,1,100"),
		rows("4", "2012-01-04", "Channel Islands", false, "5A002,1,100"),
		rows("5", "2012-01-05", "Iraq", true, "2B350,1,"),
		rows("6", "2012-01-05", "Iraq", true, "End Use,1,"),
		rows("7", "2012-01-06", "Peru", false, "ML1,1,100"),
		rows("8", "2011-12-31", "Peru", false, "5A002,1,100"),
	)
	p := period{from: day(2012, 1, 1), to: day(2012, 12, 31)}
	ds, rep, err := build(source, map[string][]int{}, p, "values.csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want int
	}{
		{"rows outside the period", rep.RowsOutside, 1},
		{"groups", rep.Groups, 7},
		{"groups with no dual-use rating", rep.GroupsNoDualUse, 1},
		{"groups split", rep.GroupsSplit, 1},
		{"licences with a dual-use rating", rep.Licences, 7},
		{"dropped: to the UK", rep.Dropped[DropDestinationGB], 2},
		{"dropped: not one country", rep.Dropped[DropNotOneCountry], 1},
		{"dropped: Channel Islands", rep.DroppedPlaces["Channel Islands"], 1},
		{"dropped: denied without criterion", rep.Dropped[DropNoCriterion], 1},
		{"decisions", len(ds), 3},
		{"decisions counted", rep.Decisions, 3},
		{"decisions in 2012", rep.Years[2012].Decisions, 3},
		{"denied in 2012", rep.Years[2012].Denied, 1},
		{"military-list rows", rep.RowsByKind[militaryList.String()], 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("%s: %d, want %d", tt.name, tt.got, tt.want)
			}
		})
	}
}

func TestBuildRefusesUnknownNames(t *testing.T) {
	source := append(rows("1", "2012-01-02", "Atlantis", false, "ML1,1,100", "ML2,1,5"), rows("2", "2012-01-02", "Lilliput", false, "5A002,1,1")...)
	_, _, err := build(source, nil, period{from: day(2012, 1, 1), to: day(2012, 12, 31)}, "values.csv")
	want := `2 destination names are not in the country table, add them with their ISO codes: "Atlantis" (2 rows), "Lilliput" (1 rows)`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
