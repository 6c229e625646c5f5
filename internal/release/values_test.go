package release

import (
	"testing"
	"time"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		decimals int
		want     float64
		ok       bool
	}{
		{name: "whole", in: "1250000", decimals: 2, want: 1250000, ok: true},
		{name: "two decimals", in: "1250000.50", decimals: 2, want: 1250000.5, ok: true},
		{name: "one decimal", in: "0.5", decimals: 2, want: 0.5, ok: true},
		{name: "zero", in: "0", decimals: 2, want: 0, ok: true},
		{name: "three decimals", in: "1.005", decimals: 2},
		{name: "any decimals", in: "1.005", decimals: -1, want: 1.005, ok: true},
		{name: "negative", in: "-1", decimals: 2},
		{name: "plus sign", in: "+1", decimals: 2},
		{name: "exponent", in: "1e6", decimals: 2},
		{name: "no digits before the point", in: ".5", decimals: 2},
		{name: "no digits after the point", in: "5.", decimals: 2},
		{name: "thousands separator", in: "1,000", decimals: 2},
		{name: "empty", in: "", decimals: 2},
		{name: "NaN", in: "NaN", decimals: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseAmount(tt.in, tt.decimals)
			if ok != tt.ok || got != tt.want {
				t.Fatalf("parseAmount(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestHasWord(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "word", in: "Synthetic demo release", want: true},
		{name: "upper case at the end", in: "Demo release (SYNTHETIC)", want: true},
		{name: "hyphenated", in: "synthetic-data demo", want: true},
		{name: "inside a longer word", in: "Synthetically made"},
		{name: "later occurrence counts", in: "Synthetically made synthetic data", want: true},
		{name: "absent", in: "Demo release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hasWord(tt.in, "synthetic"); got != tt.want {
				t.Fatalf("hasWord(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{name: "date", in: "2024-02-29", ok: true},
		{name: "not a leap year", in: "2023-02-29"},
		{name: "no zero padding", in: "2024-2-9"},
		{name: "day first", in: "29-02-2024"},
		{name: "with a time", in: "2024-02-29T00:00:00Z"},
		{name: "empty", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDate(tt.in)
			if (err == nil) != tt.ok || tt.ok && got.Location() != time.UTC {
				t.Fatalf("parseDate(%q) = %v, %v; want ok %v", tt.in, got, err, tt.ok)
			}
		})
	}
}

func TestSpanOfDatabaseDates(t *testing.T) {
	// A date read from the database may come as midnight in another zone; its day counts.
	cet := time.FixedZone("CET", 3600)
	until := time.Date(2020, 1, 31, 0, 0, 0, 0, cet)
	s := newSpan(time.Date(1973, 1, 1, 0, 0, 0, 0, cet), &until)
	tests := []struct {
		name string
		day  string
		want bool
	}{
		{name: "last day", day: "2020-01-31", want: true},
		{name: "first day", day: "1973-01-01", want: true},
		{name: "day after", day: "2020-02-01"},
		{name: "day before", day: "1972-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.contains(date(tt.day)); got != tt.want {
				t.Fatalf("contains(%s) = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
}
