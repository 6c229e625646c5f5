package main

import (
	"encoding/json"
	"testing"
)

func TestFilterGQL(t *testing.T) {
	tests := []struct {
		name string
		f    filter
		want string
	}{
		{name: "empty", f: filter{}, want: "{}"},
		{name: "period", f: filter{}.period(day("2022-03-01"), day("2022-03-31")), want: `{from: "2022-03-01", to: "2022-03-31"}`},
		{name: "lists sorted, strings quoted, enums and years not",
			f:    filter{}.with(dimDest, "US", "EG").with(dimOutcome, "DENIED").with(dimYear, "2022", "2021"),
			want: `{destinations: ["EG", "US"], outcomes: [DENIED], years: [2021, 2022]}`},
		{name: "a condition removed", f: filter{}.with(dimDest, "US").with(dimDest), want: "{}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.gql(); got != tt.want {
				t.Fatalf("gql = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFilterWithCopies(t *testing.T) {
	a := filter{}.with(dimDest, "US")
	b := a.with(dimDest, "EG")
	if a.gql() == b.gql() {
		t.Fatalf("with changed the filter it was called on: %s", a.gql())
	}
}

func TestParseRow(t *testing.T) {
	raw := json.RawMessage(`{"year": 2022, "memberState": {"code": "DE"}, "controlEntry": null, "outcome": "DENIED",
		"applications": {"value": 3, "status": "PERTURBED"}, "valueApplied": {"value": null, "status": "CONFIDENTIAL", "note": "withheld"}}`)
	r, err := parseRow(raw, []string{dimYear, dimMS, dimEntry, dimOutcome})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, got, want string
	}{
		{name: "a number", got: r.dims[dimYear], want: "2022"},
		{name: "an object with a code", got: r.dims[dimMS], want: "DE"},
		{name: "null is none", got: r.dims[dimEntry], want: ""},
		{name: "an enum", got: r.dims[dimOutcome], want: "DENIED"},
		{name: "a withheld value's note", got: r.valueApplied.note(), want: "withheld"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	if v, ok := r.applications.num(); !ok || v != 3 {
		t.Fatalf("applications = %v, %v", v, ok)
	}
	if _, ok := r.valueApplied.num(); ok {
		t.Fatal("a withheld value has no number")
	}
}

func TestPageSize(t *testing.T) {
	tests := []struct {
		name    string
		groupBy []string
		want    int
	}{
		{name: "a total", want: 1},
		{name: "by a small dimension", groupBy: []string{dimMS}, want: 100},
		{name: "by destination", groupBy: []string{dimDest}, want: 1000},
		{name: "by two dimensions", groupBy: []string{dimMS, dimLT}, want: 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tableQuery{groupBy: tt.groupBy}
			if got := q.pageSize(); got != tt.want || q.request("").heavy != (tt.want > 100) {
				t.Fatalf("pageSize = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestFilterCodes(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
		want    []string
	}{
		{name: "an entry and its parents", entries: []string{"5A001.a.1"}, want: []string{"5A001.a.1", "5A001.a", "5A001"}},
		{name: "shared parents once", entries: []string{"5A001.a", "5A001.b"}, want: []string{"5A001.a", "5A001", "5A001.b"}},
		{name: "a non-listed item has none", entries: []string{""}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := filterCodes(tt.entries)
			if len(got) != len(tt.want) {
				t.Fatalf("filterCodes(%v) = %v, want %v", tt.entries, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("filterCodes(%v) = %v, want %v", tt.entries, got, tt.want)
				}
			}
		})
	}
}
