// Package demodata writes the synthetic demo release: a release folder in the format
// the importer reads, filled with made-up licence decisions and a made-up history of
// the human-rights catch-all procedures (notifications, objections, agreements, list
// items).
//
// Real decision-level data are confidential, yet the portal has to be shown, tested and
// benchmarked on data that look like them: the right volumes, the skew between Member
// States and destinations, the long tail of small exporters that disclosure control has
// to protect, and totals a reader can check against what the Commission has published.
// So the generator is calibrated to the official figures (embedded here, and copied
// into the release as its official_figures.csv), labels its output synthetic
// everywhere, and is deterministic: the same seed and options give the same bytes, so
// a demo, a test failure or a benchmark can be reproduced anywhere. Rows are streamed,
// so a release of millions of decisions costs no more memory than a small one.
package demodata

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/dualuse-transparency/portal/internal/release"
)

// Options say what to generate. The zero value asks for the calibrated default release.
type Options struct {
	Seed        uint64    // same seed and options, same bytes
	Decisions   int       // total decisions over all years; 0 = calibrated default (about 290,000 over 2015-2024)
	FromYear    int       // default 2015
	ToYear      int       // default 2024
	ReleaseID   string    // default "demo-2015-2024" (with FromYear-ToYear)
	PublishedOn time.Time // default: 30 June of the year after ToYear
}

// Summary is what Write wrote, for logs and tests.
type Summary struct {
	Decisions int // licence decisions
	Rows      int // rows of licence_decisions.csv: one per decision and control entry
	ByYear    map[int]YearSummary

	// The catch-all notifications of both procedures as they stood on the publication
	// date, by outcome: Notifications = Listed + Objected + NotAgreed + Withdrawn + Pending.
	Notifications int
	Listed        int // placed an item on the EU-wide list (amended or removed later or not)
	Objected      int // EP_POSITION_2018: a qualified majority of the other Member States objected
	NotAgreed     int // Article 5: the review period ended without every other Member State agreeing
	Withdrawn     int
	Pending       int // deadline (objection deadline or end of the review period) not yet passed
}

// YearSummary counts the decisions of one year. A decision counts once, however many
// control entries (rows) it has: the decision is the statistical unit.
type YearSummary struct {
	Decisions         int
	Denied            int
	CyberSurveillance int     // decisions on a cyber-surveillance entry or under the CYBER_SURVEILLANCE catch-all
	ValueIssued       float64 // EUR, sum of value_eur over issued decisions whose value is known
}

// The years the tables of this package describe (control list, membership, sanctions).
const (
	minYear = 2010
	maxYear = 2100
)

// Write creates dir if needed and writes the release into it: release.json,
// licence_decisions.csv, official_figures.csv and the catch-all procedures'
// catch_all_notifications.csv, objections.csv, agreements.csv and list_items.csv.
func Write(dir string, opts Options) (Summary, error) {
	sum, err := write(dir, opts)
	if err != nil {
		return Summary{}, fmt.Errorf("demodata.Write(%q, seed %d): %w", dir, opts.Seed, err)
	}
	return sum, nil
}

func write(dir string, opts Options) (Summary, error) {
	opts, err := withDefaults(opts)
	if err != nil {
		return Summary{}, err
	}
	plans, err := planYears(opts)
	if err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, err
	}
	if err := release.WriteFile(filepath.Join(dir, "official_figures.csv"), writeBytes(officialFigures)); err != nil {
		return Summary{}, err
	}
	if err := release.WriteFile(filepath.Join(dir, "release.json"), writeRelease(opts, plans)); err != nil {
		return Summary{}, err
	}
	var sum Summary
	err = release.WriteFile(filepath.Join(dir, "licence_decisions.csv"), func(w *bufio.Writer) error {
		sum, err = writeDecisions(w, opts.Seed, plans)
		return err
	})
	if err != nil {
		return Summary{}, err
	}
	return sum, writeProcedure(dir, planProcedure(opts.Seed, opts.PublishedOn, &sum))
}

// withDefaults fills in the zero fields of opts and refuses what cannot be generated.
func withDefaults(opts Options) (Options, error) {
	if opts.FromYear == 0 {
		opts.FromYear = 2015
	}
	if opts.ToYear == 0 {
		opts.ToYear = 2024
	}
	if opts.ReleaseID == "" {
		opts.ReleaseID = fmt.Sprintf("demo-%d-%d", opts.FromYear, opts.ToYear)
	}
	if opts.PublishedOn.IsZero() {
		opts.PublishedOn = time.Date(opts.ToYear+1, time.June, 30, 0, 0, 0, 0, time.UTC)
	}
	switch {
	case opts.Decisions < 0:
		return opts, fmt.Errorf("decisions must not be negative, got %d", opts.Decisions)
	case opts.FromYear < minYear || opts.ToYear > maxYear:
		return opts, fmt.Errorf("years must lie in %d-%d, got %d-%d", minYear, maxYear, opts.FromYear, opts.ToYear)
	case opts.FromYear > opts.ToYear:
		return opts, fmt.Errorf("from year %d is after to year %d", opts.FromYear, opts.ToYear)
	}
	return opts, nil
}

func writeBytes(b []byte) func(*bufio.Writer) error {
	return func(w *bufio.Writer) error {
		_, err := w.Write(b)
		return err
	}
}
