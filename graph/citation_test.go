package graph_test

import (
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/graph"
)

// Permalinks pin the release, escaped, under the base URL however it is written.
func TestCitationsPermalinks(t *testing.T) {
	rel := &db.Release{ID: "2022 r/1"}
	for _, base := range []string{"https://portal.example", "https://portal.example/"} {
		c := graph.Citations{BaseURL: base}
		if got, want := c.Base(), "https://portal.example"; got != want {
			t.Errorf("Base() of %q = %q, want %q", base, got, want)
		}
		if got, want := c.ReleasePermalink(rel), "https://portal.example/releases/2022%20r%2F1"; got != want {
			t.Errorf("ReleasePermalink = %q, want %q", got, want)
		}
		if got, want := c.ReportPermalink(rel, 2022), "https://portal.example/download/annual-report/2022.json?release=2022+r%2F1"; got != want {
			t.Errorf("ReportPermalink = %q, want %q", got, want)
		}
	}
}

// A date left out is today's, in UTC, at midnight; a date given is kept.
func TestDateOrToday(t *testing.T) {
	d := time.Date(2021, 3, 4, 0, 0, 0, 0, time.UTC)
	if got := graph.DateOrToday(&d); !got.Equal(d) {
		t.Errorf("DateOrToday(%v) = %v", d, got)
	}
	before := time.Now().UTC()
	got := graph.DateOrToday(nil)
	after := time.Now().UTC()
	if got.Location() != time.UTC || !got.Equal(got.Truncate(24*time.Hour)) {
		t.Errorf("DateOrToday(nil) = %v, want midnight UTC", got)
	}
	if got.Format(time.DateOnly) != before.Format(time.DateOnly) && got.Format(time.DateOnly) != after.Format(time.DateOnly) {
		t.Errorf("DateOrToday(nil) = %v, want today (%v)", got, before)
	}
}
