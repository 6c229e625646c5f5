package main

import (
	"testing"
	"time"
)

func TestGrainSpan(t *testing.T) {
	tests := []struct {
		name     string
		g        grain
		day      string
		from, to string
	}{
		{name: "day", g: grainDay, day: "2022-03-15", from: "2022-03-15", to: "2022-03-15"},
		{name: "month", g: grainMonth, day: "2022-02-15", from: "2022-02-01", to: "2022-02-28"},
		{name: "leap month", g: grainMonth, day: "2024-02-29", from: "2024-02-01", to: "2024-02-29"},
		{name: "quarter", g: grainQuarter, day: "2022-08-15", from: "2022-07-01", to: "2022-09-30"},
		{name: "year", g: grainYear, day: "2022-08-15", from: "2022-01-01", to: "2022-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := tt.g.span(day(tt.day))
			if from != day(tt.from) || to != day(tt.to) {
				t.Fatalf("%s span of %s = %s..%s, want %s..%s", tt.g, tt.day, from.Format(time.DateOnly), to.Format(time.DateOnly), tt.from, tt.to)
			}
		})
	}
}

func TestGrainUnits(t *testing.T) {
	tests := []struct {
		name     string
		g        grain
		from, to string
		want     int
	}{
		{name: "days of March", g: grainDay, from: "2022-03-01", to: "2022-03-31", want: 31},
		{name: "months of a year", g: grainMonth, from: "2022-01-01", to: "2022-12-31", want: 12},
		{name: "months of a quarter", g: grainMonth, from: "2022-07-01", to: "2022-09-30", want: 3},
		{name: "one month", g: grainMonth, from: "2022-07-01", to: "2022-07-31", want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.g.units(day(tt.from), day(tt.to)); len(got) != tt.want {
				t.Fatalf("%s units of %s..%s: %d, want %d", tt.g, tt.from, tt.to, len(got), tt.want)
			}
		})
	}
}

func TestFinerThanMonth(t *testing.T) {
	tests := []struct {
		name     string
		from, to string
		want     bool
	}{
		{name: "a day", from: "2022-03-15", to: "2022-03-15", want: true},
		{name: "half a month", from: "2022-03-16", to: "2022-03-31", want: true},
		{name: "a whole month", from: "2022-03-01", to: "2022-03-31", want: false},
		{name: "February", from: "2022-02-01", to: "2022-02-28", want: false},
		{name: "a quarter", from: "2022-01-01", to: "2022-03-31", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := finerThanMonth(day(tt.from), day(tt.to)); got != tt.want {
				t.Fatalf("finerThanMonth(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestExtension(t *testing.T) {
	tests := []struct {
		name              string
		g                 grain
		side, k           int
		ext0, ext1, union string
	}{
		{name: "3 days before a month", g: grainDay, side: -1, k: 3, ext0: "2022-02-26", ext1: "2022-02-28", union: "2022-02-26"},
		{name: "3 days after a month", g: grainDay, side: 1, k: 3, ext0: "2022-04-01", ext1: "2022-04-03", union: "2022-04-03"},
		{name: "2 months before", g: grainMonth, side: -1, k: 2, ext0: "2022-01-01", ext1: "2022-02-28", union: "2022-01-01"},
		{name: "2 months after", g: grainMonth, side: 1, k: 2, ext0: "2022-04-01", ext1: "2022-05-31", union: "2022-05-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ext, union, ok := extension(tt.g, day("2022-03-01"), day("2022-03-31"), tt.side, tt.k)
			end := union[0]
			if tt.side > 0 {
				end = union[1]
			}
			if !ok || ext[0] != day(tt.ext0) || ext[1] != day(tt.ext1) || end != day(tt.union) {
				t.Fatalf("extension = %v, %v, %v", ext, union, ok)
			}
		})
	}
	if _, _, ok := extension(grainDay, day("2022-03-01"), day("2022-03-31"), 1, 0); ok {
		t.Fatal("an extension of 0 periods is none")
	}
}
