package main

import (
	"testing"
)

func published(v float64) measure { return measure{Value: &v, Status: "PERTURBED"} }

func TestDiffRows(t *testing.T) {
	dims := []string{dimQuarter, dimDest}
	r := func(q, dest string, n float64) row {
		return row{dims: map[string]string{dimQuarter: q, dimDest: dest}, applications: published(n)}
	}
	tab := func(rs ...row) table { return table{query: tableQuery{groupBy: dims}, rows: rs} }
	tests := []struct {
		name string
		a, b table
		want []string // destinations of the rows that differ
	}{
		{name: "the same", a: tab(r("2023-Q1", "US", 10)), b: tab(r("2023-Q1", "US", 10))},
		{name: "a figure differs", a: tab(r("2023-Q1", "US", 10), r("2023-Q1", "CN", 4)), b: tab(r("2023-Q1", "US", 10), r("2023-Q1", "CN", 5)), want: []string{"CN"}},
		{name: "a row only in the first", a: tab(r("2023-Q1", "US", 10), r("2023-Q1", "EG", 1)), b: tab(r("2023-Q1", "US", 10)), want: []string{"EG"}},
		{name: "a row only in the second", a: tab(), b: tab(r("2023-Q2", "IR", 3)), want: []string{"IR"}},
		{name: "a status differs", a: tab(r("2023-Q1", "US", 10)), b: tab(row{dims: map[string]string{dimQuarter: "2023-Q1", dimDest: "US"},
			applications: published(10), valueApplied: measure{Status: "CONFIDENTIAL"}}), want: []string{"US"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diffRows(tt.a, tt.b)
			if len(got) != len(tt.want) {
				t.Fatalf("diffRows = %v, want %v", got, tt.want)
			}
			for i, vals := range got {
				if vals[dimDest] != tt.want[i] {
					t.Fatalf("diffRows = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestCoarseLocation(t *testing.T) {
	tests := []struct {
		name     string
		vals     map[string]string
		from, to string
		rest     int
	}{
		{name: "a quarter", vals: map[string]string{dimQuarter: "2023-Q3", dimDest: "US"}, from: "2023-07-01", to: "2023-09-30", rest: 1},
		{name: "a year", vals: map[string]string{dimYear: "2021", dimMS: "DE", dimDest: "CN"}, from: "2021-01-01", to: "2021-12-31", rest: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := coarseLocation(tt.vals)
			if l.from != day(tt.from) || l.to != day(tt.to) || len(l.vals) != tt.rest {
				t.Fatalf("coarseLocation(%v) = %+v", tt.vals, l)
			}
		})
	}
}

func TestRevisionKind(t *testing.T) {
	base := func() *decision { return dec("d", "2023-05-02", "PL", "CN", "ISSUED", 1, "5A002") }
	moved, valued, other := base(), base(), base()
	moved.dest = "US"
	valued.cents = []int64{110_000}
	other.lt = "GLOBAL"
	tests := []struct {
		name string
		a, b *decision
		want string
	}{
		{name: "unchanged", a: base(), b: base(), want: ""},
		{name: "removed", a: base(), want: "removed (ISSUED)"},
		{name: "added", b: base(), want: "added"},
		{name: "destination", a: base(), b: moved, want: "destination changed"},
		{name: "value", a: base(), b: valued, want: "value changed"},
		{name: "another attribute", a: base(), b: other, want: "changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := revisionKind(tt.a, tt.b); got != tt.want {
				t.Fatalf("revisionKind = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestBestLocation(t *testing.T) {
	old := newTruth(dec("d1", "2023-05-26", "PL", "CN", "DENIED", 1, "5A002"), dec("d2", "2023-05-03", "PL", "CN", "ISSUED", 2, "5A002"))
	revised := newTruth(dec("d2", "2023-05-03", "PL", "CN", "ISSUED", 2, "5A002"))
	e := &env{truth: old, revisedTruth: revised}
	rev := revisedDecisions(old, revised)
	if len(rev) != 1 || rev[0].id != "d1" {
		t.Fatalf("revisedDecisions = %+v, want d1 removed", rev)
	}
	month := location{from: day("2023-05-01"), to: day("2023-05-31"), vals: map[string]string{dimDest: "CN"}}
	dayCell := location{from: day("2023-05-26"), to: day("2023-05-26"), vals: map[string]string{dimDest: "CN", dimOutcome: "DENIED"}}
	elsewhere := location{from: day("2023-06-01"), to: day("2023-06-30"), vals: map[string]string{dimDest: "CN"}}
	tests := []struct {
		name       string
		locs       []location
		wantDays   int
		wantSingle bool
		wantOK     bool
	}{
		{name: "none", wantOK: false},
		{name: "not there", locs: []location{elsewhere}, wantOK: false},
		{name: "the month, two decisions", locs: []location{month}, wantDays: 31, wantOK: true},
		{name: "the finest wins", locs: []location{month, dayCell, elsewhere}, wantDays: 1, wantSingle: true, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			best, single, ok := bestLocation(e, rev[0], tt.locs)
			if ok != tt.wantOK || ok && (days(best.from, best.to) != tt.wantDays || single != tt.wantSingle) {
				t.Fatalf("bestLocation = %+v, %v, %v", best, single, ok)
			}
		})
	}
}

func TestReviseRecord(t *testing.T) {
	plan := revisionPlan{removed: "D1", revalued: "D2", moved: "D3", newDest: "US"}
	const id, value, dest = 0, 1, 2
	tests := []struct {
		name     string
		rec      []string
		wantKeep bool
		want     []string
	}{
		{name: "removed", rec: []string{"D1", "10.00", "IR"}, wantKeep: false},
		{name: "revalued", rec: []string{"D2", "100.00", "CN"}, wantKeep: true, want: []string{"D2", "110.00", "CN"}},
		{name: "revalued, value unknown", rec: []string{"D2", "", "CN"}, wantKeep: true, want: []string{"D2", "", "CN"}},
		{name: "moved", rec: []string{"D3", "5.00", "CN"}, wantKeep: true, want: []string{"D3", "5.00", "US"}},
		{name: "untouched", rec: []string{"D4", "5.00", "CN"}, wantKeep: true, want: []string{"D4", "5.00", "CN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep := reviseRecord(tt.rec, id, value, dest, plan)
			if keep != tt.wantKeep || keep && (tt.rec[1] != tt.want[1] || tt.rec[2] != tt.want[2]) {
				t.Fatalf("reviseRecord = %v, %v; want %v, %v", keep, tt.rec, tt.wantKeep, tt.want)
			}
		})
	}
}
