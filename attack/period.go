package main

import (
	"context"
	"time"
)

// grain is the shortest period the API accepts in a filter.
type grain int

const (
	grainDay grain = iota
	grainMonth
	grainQuarter
	grainYear
)

func (g grain) String() string {
	return [...]string{"day", "month", "quarter", "year"}[g]
}

// span is the period of the grain that holds day t.
func (g grain) span(t time.Time) (from, to time.Time) {
	t = dateOf(t)
	switch g {
	case grainDay:
		return t, t
	case grainMonth:
		from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 1, -1)
	case grainQuarter:
		from = time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
		return from, from.AddDate(0, 3, -1)
	}
	from = time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	return from, from.AddDate(1, 0, -1)
}

// step moves the start of a grain's period by k periods (k may be negative).
func (g grain) step(from time.Time, k int) time.Time {
	switch g {
	case grainDay:
		return from.AddDate(0, 0, k)
	case grainMonth:
		return from.AddDate(0, k, 0)
	case grainQuarter:
		return from.AddDate(0, 3*k, 0)
	}
	return from.AddDate(k, 0, 0)
}

// units are the periods of the grain from..to, as their first days.
func (g grain) units(from, to time.Time) []time.Time {
	var out []time.Time
	for start, _ := g.span(from); !start.After(to) && len(out) < 5000; start = g.step(start, 1) {
		out = append(out, start)
	}
	return out
}

func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func month(year int, m time.Month) time.Time { return time.Date(year, m, 1, 0, 0, 0, 0, time.UTC) }

// monthEnd is the last day of the month that starts on from.
func monthEnd(from time.Time) time.Time { return from.AddDate(0, 1, -1) }

// days is the number of days from..to, both included.
func days(from, to time.Time) int { return int(to.Sub(from).Hours()/24) + 1 }

// finerThanMonth reports whether from..to is shorter than the calendar month from starts in.
func finerThanMonth(from, to time.Time) bool {
	start, end := grainMonth.span(from)
	return days(from, to) < days(start, end)
}

// probeGrain finds the shortest period the API accepts: a day, else a whole month, a
// quarter or a year, asking for one total of the middle of the release for each.
func probeGrain(ctx context.Context, e *env) (grain, error) {
	mid := e.periodStart.Add(e.periodEnd.Sub(e.periodStart) / 2)
	for g := grainDay; g <= grainYear; g++ {
		from, to := g.span(mid)
		t, err := fetchTable(ctx, e.api, e.probes, tableQuery{release: e.release, filter: filter{}.period(from, to)})
		if err != nil {
			return 0, err
		}
		if t.refusal == nil {
			return g, nil
		}
		e.notef("reconnaissance: a %s period refused (%s)", g, t.refusal)
	}
	return grainYear, nil
}
