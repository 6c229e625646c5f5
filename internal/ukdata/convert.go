package ukdata

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// Options are what to convert and where to write it.
type Options struct {
	Values    string // the source's values.csv
	Criteria  string // its refusal-criteria.csv; default: the file of that name beside Values
	Out       string // the release folder to write
	ReleaseID string // default "uk-dual-use-<first year>-<last year>"
	// From and To bound the period converted, YYYY-MM-DD, both included. Default:
	// from 1 January of the first year in the data to its last day. To may not be
	// after 31 January 2020, the United Kingdom's last day as a Member State.
	From, To    string
	PublishedOn time.Time // default: today
}

// Convert reads the source files, turns their licences into decisions and writes the
// release folder. When the input has a problem (a bad row, a destination name not in
// the table, a licence after the UK left the Union) it writes nothing and the error
// lists the problems; the report says what was read up to there.
func Convert(opts Options) (Report, error) {
	rep, err := convert(opts)
	if err != nil {
		return rep, fmt.Errorf("ukdata.Convert(%q): %w", opts.Values, err)
	}
	return rep, nil
}

func convert(opts Options) (Report, error) {
	var rep Report
	if opts.Values == "" || opts.Out == "" {
		return rep, fmt.Errorf("both the input (values.csv) and the output folder are needed")
	}
	data, err := os.ReadFile(opts.Values)
	if err != nil {
		return rep, err
	}
	sum := sha256.Sum256(data)
	rep.Input = fmt.Sprintf("%s (SHA-256 %s)", filepath.Base(opts.Values), hex.EncodeToString(sum[:]))
	rows, err := readValues(bytes.NewReader(data), filepath.Base(opts.Values))
	if err != nil {
		return rep, err
	}
	criteria, err := readCriteriaFile(cmp.Or(opts.Criteria, filepath.Join(filepath.Dir(opts.Values), "refusal-criteria.csv")))
	if err != nil {
		return rep, err
	}
	p, err := periodOf(opts, rows)
	if err != nil {
		return rep, err
	}
	decisions, built, err := build(rows, criteria, p, filepath.Base(opts.Values))
	built.Input = rep.Input
	if err != nil {
		return built, err
	}
	meta := releaseMeta(opts, p, built)
	if err := writeRelease(opts.Out, meta, decisions); err != nil {
		return built, err
	}
	built.Out, built.ReleaseID = opts.Out, meta.ID
	return built, nil
}

func readCriteriaFile(path string) (map[string][]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("the refusal criteria are needed for the denials: %w", err)
	}
	defer f.Close()
	return readCriteria(f, filepath.Base(path))
}

// period is the span of days converted, both ends included.
type period struct{ from, to time.Time }

func (p period) contains(t time.Time) bool { return !t.Before(p.from) && !t.After(p.to) }

// periodOf is the period the options ask for, or the one the data cover. The source
// goes on after 31 January 2020, when the UK stopped being a Member State: a period
// past that day is refused rather than cut, so that leaving those licences out is
// the user's explicit choice (--to), never a silent one.
func periodOf(opts Options, rows []sourceRow) (period, error) {
	var p period
	if len(rows) == 0 {
		return p, fmt.Errorf("no rows in the input")
	}
	first := slices.MinFunc(rows, func(a, b sourceRow) int { return a.date.Compare(b.date) }).date
	last := slices.MaxFunc(rows, func(a, b sourceRow) int { return a.date.Compare(b.date) }).date
	p = period{from: day(first.Year(), 1, 1), to: last}
	var err error
	if opts.From != "" {
		if p.from, err = time.Parse(time.DateOnly, opts.From); err != nil {
			return p, fmt.Errorf("--from %q is not a date YYYY-MM-DD", opts.From)
		}
	}
	if opts.To != "" {
		if p.to, err = time.Parse(time.DateOnly, opts.To); err != nil {
			return p, fmt.Errorf("--to %q is not a date YYYY-MM-DD", opts.To)
		}
	}
	switch {
	case p.to.After(leftEU) && opts.To == "":
		return p, fmt.Errorf("the data run to %s, after the United Kingdom left the Union on 31 January 2020, "+
			"when its licences stopped being decisions of a Member State: give --to 2020-01-31 or earlier",
			last.Format(time.DateOnly))
	case p.to.After(leftEU):
		return p, fmt.Errorf("--to %s is after 31 January 2020, when the United Kingdom left the Union", opts.To)
	case p.to.Before(p.from):
		return p, fmt.Errorf("--to %s is before --from %s", p.to.Format(time.DateOnly), p.from.Format(time.DateOnly))
	}
	return p, nil
}

// Drop reasons: why a licence with a dual-use rating is not written.
const (
	DropDestinationGB = "destination is the United Kingdom itself"
	DropNotOneCountry = "destination is not one country"
	DropNoCriterion   = "denied, with no refusal criterion in the source"
)

// build turns the rows of the period into decisions and counts what it does.
func build(rows []sourceRow, criteria map[string][]int, p period, name string) ([]Decision, Report, error) {
	rep := newReport(p)
	rep.RowsRead = len(rows)
	var inPeriod []sourceRow
	unknown := map[string]int{}
	for _, r := range rows {
		if !p.contains(r.date) {
			rep.RowsOutside++
			continue
		}
		inPeriod = append(inPeriod, r)
		k, _ := classify(r.rating)
		rep.RowsByKind[k.String()]++
		if k == otherRating || k == malformedDualUse {
			rep.OtherRatings[r.rating]++
		}
		if _, place := lookUpDestination(r.country, r.date); place == unknownPlace {
			unknown[r.country]++
		}
	}
	if len(unknown) > 0 {
		return nil, rep, unknownNames(unknown)
	}
	groups, err := groupRows(inPeriod, name)
	if err != nil {
		return nil, rep, err
	}
	var decisions []Decision
	for _, g := range groups {
		ds, err := rep.addGroup(g, criteria[g.id])
		if err != nil {
			return nil, rep, fmt.Errorf("licence group %s: %w", g.id, err)
		}
		decisions = append(decisions, ds...)
	}
	sortDecisions(decisions)
	return decisions, rep, nil
}

// addGroup turns one licence group into the decisions to write, counting the ones
// left out by reason.
func (rep *Report) addGroup(g group, criteria []int) ([]Decision, error) {
	first := g.rows[0]
	rep.Groups++
	if len(criteria) > 0 && !first.refused {
		rep.CriteriaIgnored++
	}
	dest, place := lookUpDestination(first.country, first.date)
	ds, err := licences(g, dest, criteria)
	switch {
	case err != nil:
		return nil, err
	case len(ds) == 0:
		rep.GroupsNoDualUse++
		return nil, nil
	case len(ds) > 1:
		rep.GroupsSplit++
	}
	rep.Licences += len(ds)
	switch {
	case place == notOne:
		rep.Dropped[DropNotOneCountry] += len(ds)
		rep.DroppedPlaces[first.country] += len(ds)
		return nil, nil
	case dest == memberState:
		rep.Dropped[DropDestinationGB] += len(ds)
		return nil, nil
	}
	var kept []Decision
	for _, d := range ds {
		if d.Outcome == codes.Denied && len(d.Grounds) == 0 {
			rep.Dropped[DropNoCriterion]++
			continue
		}
		rep.count(d)
		kept = append(kept, d)
	}
	return kept, nil
}

func unknownNames(names map[string]int) error {
	var parts []string
	for _, n := range slices.Sorted(maps.Keys(names)) {
		parts = append(parts, fmt.Sprintf("%q (%d rows)", n, names[n]))
	}
	return fmt.Errorf("%d destination names are not in the country table, add them with their ISO codes: %s",
		len(names), strings.Join(parts, ", "))
}
