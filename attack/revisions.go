package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"
)

// location is where the attacker says a revision is: a period and the values of the
// dimensions of the smallest cell whose published figures differ between releases.
type location struct {
	from, to time.Time
	vals     map[string]string
}

// maxDrill bounds the cells drilled into at each level.
const maxDrill = 16

// revisions (attack 6) compares the same tables of a release and of its revision,
// coarse to fine: by year and destination (and Member State), then each month of the
// years that differ, then the finest crossing the API allows within the months that
// differ, then, if the API allows periods shorter than a month, halves of the period
// down to a day. Each cell that differs says where a revised decision is.
func revisions(ctx context.Context, e *env, r *result) error {
	r.threshold = "any revised decision located to less than a month, or to a cell of a single decision"
	if e.revised == "" {
		r.verdict, r.summary = verdictNotRun, "no revised release to compare (give --revised-release)"
		return nil
	}
	revs := revisedDecisions(e.truth, e.revisedTruth)
	r.targets = len(revs)
	locs, err := locate(ctx, e, r)
	scoreRevisions(r, e, revs, locs)
	return err
}

// locate runs the comparison level by level and returns the locations found.
func locate(ctx context.Context, e *env, r *result) ([]location, error) {
	var coarse []location
	for _, groupBy := range coarseTables {
		found, refused, err := differingRows(ctx, e, r.cnt, tableQuery{groupBy: groupBy, measures: allMeasures})
		if err != nil {
			return nil, err
		}
		if refused {
			r.notef("the table by %v refused", groupBy)
		}
		for _, vals := range capped(found) {
			coarse = append(coarse, coarseLocation(vals))
		}
	}
	r.figuref("cells that differ, by quarter or year", "%d", len(coarse))
	months, err := differingPeriods(ctx, e, r.cnt, coarse)
	if err != nil {
		return nil, err
	}
	r.figuref("cells that differ, by month", "%d", len(months))
	var fine []location
	for _, m := range capped(months) {
		found, err := finerCells(ctx, e, r.cnt, m)
		if err != nil {
			return nil, err
		}
		fine = append(fine, found...)
	}
	if e.grain != grainDay {
		return fine, nil
	}
	return bisectAll(ctx, e, r.cnt, capped(fine))
}

func capped[T any](xs []T) []T { return xs[:min(len(xs), maxDrill)] }

// coarseTables are compared first, over the whole release: small enough cells for a
// changed value to show in a figure rounded to three significant digits.
var coarseTables = [][]string{{dimQuarter, dimDest}, {dimQuarter, dimMS}, {dimYear, dimMS, dimDest}}

// coarseLocation is the location of a row of a coarse table: its quarter or year and
// its other dimensions.
func coarseLocation(vals map[string]string) location {
	l := location{vals: map[string]string{}}
	for d, v := range vals {
		switch d {
		case dimYear:
			y, _ := time.Parse("2006", v)
			l.from, l.to = y, y.AddDate(1, 0, -1)
		case dimQuarter:
			var year, q int
			_, _ = fmt.Sscanf(v, "%d-Q%d", &year, &q)
			l.from, l.to = grainQuarter.span(month(year, time.Month(3*q-2)))
		default:
			l.vals[d] = v
		}
	}
	return l
}

// differingRows are the rows of a table whose published figures differ between the
// two releases (or that only one has); refused when the API refused either table.
func differingRows(ctx context.Context, e *env, cnt *counter, q tableQuery) (rows []map[string]string, refused bool, err error) {
	a, b := q, q
	a.release, b.release = e.release, e.revised
	tables, err := fetchTables(ctx, e.api, cnt, []tableQuery{a, b})
	if err != nil || tables[0].refusal != nil || tables[1].refusal != nil {
		return nil, err == nil, err
	}
	return diffRows(tables[0], tables[1]), false, nil
}

// diffRows are the dimension values of the rows that differ between two tables.
func diffRows(a, b table) []map[string]string {
	index := func(t table) map[string]row {
		m := map[string]row{}
		for _, r := range t.rows {
			m[project(r.dims, t.query.groupBy)] = r
		}
		return m
	}
	ia, ib := index(a), index(b)
	var out []map[string]string
	for _, k := range sortedKeys(mergeKeys(ia, ib)) {
		ra, okA := ia[k]
		rb, okB := ib[k]
		if okA != okB || !sameFigures(ra, rb) {
			out = append(out, cmpOr(ra, rb, okA).dims)
		}
	}
	return out
}

func mergeKeys(a, b map[string]row) map[string]bool {
	out := map[string]bool{}
	for k := range maps.Keys(a) {
		out[k] = true
	}
	for k := range maps.Keys(b) {
		out[k] = true
	}
	return out
}

func cmpOr(a, b row, useA bool) row {
	if useA {
		return a
	}
	return b
}

// sameFigures reports whether two rows publish the same five measures.
func sameFigures(a, b row) bool {
	same := func(x, y measure) bool {
		return x.Status == y.Status && x.note() == y.note() && (x.Value == nil) == (y.Value == nil) && (x.Value == nil || *x.Value == *y.Value)
	}
	return same(a.applications, b.applications) && same(a.issued, b.issued) && same(a.denials, b.denials) &&
		same(a.valueApplied, b.valueApplied) && same(a.valueIssued, b.valueIssued)
}

// locFilter is the filter of a location: its period and values (an entry of "none"
// cannot be filtered on, so it is left out).
func locFilter(l location) filter {
	f := filter{}.period(l.from, l.to)
	for d, v := range l.vals {
		if v != "" || d != dimEntry {
			f = f.with(d, v)
		}
	}
	return f
}

// differingPeriods splits each location into the months of its period (or the
// shortest period the API allows, if longer) and keeps those whose totals differ; a
// location none of whose months differs (its months' values withheld, say) stays whole.
func differingPeriods(ctx context.Context, e *env, cnt *counter, locs []location) ([]location, error) {
	g := max(e.grain, grainMonth)
	var out []location
	for _, l := range locs {
		var parts []location
		for _, p := range g.units(l.from, l.to) {
			from, to := g.span(p)
			parts = append(parts, location{from: from, to: to, vals: l.vals})
		}
		differ, err := differingTotals(ctx, e, cnt, parts)
		if err != nil {
			return nil, err
		}
		if len(differ) == 0 {
			differ = []location{l}
		}
		out = append(out, differ...)
	}
	return out, nil
}

// differingTotals keeps the locations whose totals differ between the releases.
func differingTotals(ctx context.Context, e *env, cnt *counter, locs []location) ([]location, error) {
	var qs []tableQuery
	for _, l := range locs {
		for _, rel := range []string{e.release, e.revised} {
			qs = append(qs, tableQuery{release: rel, filter: locFilter(l), measures: allMeasures})
		}
	}
	tables, err := fetchTables(ctx, e.api, cnt, qs)
	if err != nil {
		return nil, err
	}
	var out []location
	for i, l := range locs {
		a, b := tables[2*i], tables[2*i+1]
		if a.refusal == nil && b.refusal == nil && len(diffRows(a, b)) > 0 {
			out = append(out, l)
		}
	}
	return out, nil
}

// finerCells compares, within a location, the largest crossing of the other
// attributes the API allows; each row that differs is a finer location, and when no
// row differs the location stays as it is.
func finerCells(ctx context.Context, e *env, cnt *counter, l location) ([]location, error) {
	var rest []string
	for _, d := range fineDims {
		if _, ok := l.vals[d]; !ok {
			rest = append(rest, d)
		}
	}
	for size := len(rest); size >= 1; size-- {
		for _, dims := range subsets(rest, size) {
			found, refused, err := differingRows(ctx, e, cnt, tableQuery{filter: locFilter(l), groupBy: dims, measures: allMeasures})
			if err != nil {
				return nil, err
			}
			if !refused {
				return finerLocations(l, found), nil
			}
		}
	}
	return []location{l}, nil
}

func finerLocations(l location, rows []map[string]string) []location {
	if len(rows) == 0 {
		return []location{l}
	}
	var out []location
	for _, vals := range rows {
		v := maps.Clone(l.vals)
		maps.Copy(v, vals)
		out = append(out, location{from: l.from, to: l.to, vals: v})
	}
	return out
}

// bisectAll narrows each location's period by halves while one half differs.
func bisectAll(ctx context.Context, e *env, cnt *counter, locs []location) ([]location, error) {
	out := make([]location, len(locs))
	for i, l := range locs {
		for depth := 0; depth < 8 && l.from.Before(l.to); depth++ {
			mid := l.from.AddDate(0, 0, days(l.from, l.to)/2-1)
			halves := []location{{from: l.from, to: mid, vals: l.vals}, {from: mid.AddDate(0, 0, 1), to: l.to, vals: l.vals}}
			differ, err := differingTotals(ctx, e, cnt, halves)
			if err != nil {
				return nil, err
			}
			if len(differ) != 1 {
				break // neither half differs alone: the location stays
			}
			l = differ[0]
		}
		out[i] = l
	}
	return out, nil
}

// revision is a decision the revised release changed: its old and new versions
// (either may be missing).
type revision struct {
	id       string
	kind     string
	old, new *decision
}

// revisedDecisions compares the two releases decision by decision.
func revisedDecisions(old, new *truth) []revision {
	var out []revision
	for _, id := range sortedKeys(mergeDecisionIDs(old, new)) {
		a, b := old.byID[id], new.byID[id]
		if kind := revisionKind(a, b); kind != "" {
			out = append(out, revision{id: id, kind: kind, old: a, new: b})
		}
	}
	return out
}

func mergeDecisionIDs(a, b *truth) map[string]bool {
	out := map[string]bool{}
	for id := range a.byID {
		out[id] = true
	}
	for id := range b.byID {
		out[id] = true
	}
	return out
}

// revisionKind names what changed, "" for nothing.
func revisionKind(a, b *decision) string {
	switch {
	case a == nil:
		return "added"
	case b == nil:
		return "removed (" + a.outcome + ")"
	case a.dest != b.dest:
		return "destination changed"
	case !slices.Equal(a.cents, b.cents):
		return "value changed"
	case a.ms != b.ms || a.lt != b.lt || a.eut != b.eut || a.outcome != b.outcome || !a.date.Equal(b.date) || !slices.Equal(a.entries, b.entries):
		return "changed"
	}
	return ""
}

// scoreRevisions finds, for each revision, the finest location that holds one of its
// versions, and judges: located to less than a month or to a single decision fails.
func scoreRevisions(r *result, e *env, revs []revision, locs []location) {
	broken := false
	located, finest := 0, "none"
	for _, rev := range revs {
		best, single, ok := bestLocation(e, rev, locs)
		if !ok {
			r.figuref(rev.kind, "not located")
			continue
		}
		located++
		text := fmt.Sprintf("%s..%s (%s) in a cell of %s", best.from.Format(time.DateOnly), best.to.Format(time.DateOnly),
			plural(days(best.from, best.to), "day"), describeVals(best.vals))
		if single {
			text += ", a single decision"
		}
		if below := finerThanMonth(best.from, best.to) || single; below {
			broken, finest = true, text
		} else if finest == "none" {
			finest = text
		}
		r.figuref(rev.kind, "located to %s", text)
	}
	r.figuref("locations claimed", "%d, of which %d hold no revision", len(locs), wrongLocations(e, revs, locs))
	r.judge(broken, fmt.Sprintf("%d of %d revisions located; finest: %s", located, len(revs), finest))
}

// bestLocation is the finest location holding a version of the revision, and whether
// its cell is that version alone in its release.
func bestLocation(e *env, rev revision, locs []location) (location, bool, bool) {
	var best location
	bestSingle, found := false, false
	for _, l := range locs {
		inOld, inNew := holds(l, rev.old), holds(l, rev.new)
		if !inOld && !inNew {
			continue
		}
		single := inOld && cellCount(e.truth, l) == 1 || inNew && cellCount(e.revisedTruth, l) == 1
		if !found || days(l.from, l.to) < days(best.from, best.to) || single && !bestSingle {
			best, bestSingle, found = l, single, true
		}
	}
	return best, bestSingle, found
}

// holds reports whether a decision lies in a location.
func holds(l location, d *decision) bool {
	return d != nil && !d.date.Before(l.from) && !d.date.After(l.to) && matchesAttrs(d, l.vals)
}

func cellCount(t *truth, l location) int {
	return count(t.between(l.from, l.to), func(d *decision) bool { return matchesAttrs(d, l.vals) })
}

func wrongLocations(e *env, revs []revision, locs []location) int {
	n := 0
	for _, l := range locs {
		if !slices.ContainsFunc(revs, func(rev revision) bool { return holds(l, rev.old) || holds(l, rev.new) }) {
			n++
		}
	}
	return n
}

// plural is "1 day", "2 days".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func describeVals(vals map[string]string) string {
	var parts []string
	for _, d := range sortedKeys(vals) {
		parts = append(parts, d+"="+vals[d])
	}
	return fmt.Sprint(parts)
}
