package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
)

// averageGenerators are the families of estimates of a target.
func averageGenerators(e *env, t avgTarget, rng *rand.Rand) []*generator {
	cell := t.base.period(t.from, t.to)
	total := func(f filter) tableQuery { return tableQuery{release: e.release, filter: f} }
	return []*generator{
		once("direct", &recipe{terms: []term{{sign: 1, q: total(cell)}}}),
		listDifferences(e, cell, rng),
		periodDifferences(e, t, -1),
		periodDifferences(e, t, +1),
		yearLists(e, t, rng),
		partitions("partition by Member State", e, cell, dimMS, e.memberStates, rng),
		partitions("partition by licence type", e, cell, dimLT, licenceTypes, rng),
		partitions("partition by end-user type", e, cell, dimEUT, endUserTypes, rng),
		splits(e, cell),
	}
}

// once is a family of one recipe.
func once(family string, rc *recipe) *generator {
	used := false
	return &generator{family: family, next: func() (*recipe, bool) {
		if used {
			return nil, false
		}
		used = true
		return rc, true
	}}
}

// listDifferences: destinations [x]+L minus L, for random lists L of other
// destinations, drawn from the 40 with most decisions so that L is rarely empty. A
// list whose published count is 0 most likely has no decision: its difference would be
// the target's own cell again, so the attacker drops it.
func listDifferences(e *env, cell filter, rng *rand.Rand) *generator {
	x := cell.lists[dimDest]
	others := slices.DeleteFunc(slices.Clone(e.destinations[:min(40, len(e.destinations))]), func(d string) bool { return slices.Contains(x, d) })
	seen := map[string]bool{}
	next := func() (*recipe, bool) {
		for range 50 {
			l := sample(rng, others, 1+rng.IntN(6))
			if k := strings.Join(l, ","); len(l) > 0 && !seen[k] {
				seen[k] = true
				q := func(f filter) tableQuery { return tableQuery{release: e.release, filter: f} }
				return &recipe{terms: []term{{sign: 1, q: q(cell.with(dimDest, append(slices.Clone(x), l...)...))},
					{sign: -1, q: q(cell.with(dimDest, l...))}}}, true
			}
		}
		return nil, false
	}
	return &generator{family: "list differences", next: next, keep: func(_ *recipe, v []float64) bool { return v[1] != 0 }}
}

// yearLists: for a target of a whole year y, years [y]+Y minus Y, for random sets Y of
// other years of the release. Not for a target of a shorter period.
func yearLists(e *env, t avgTarget, rng *rand.Rand) *generator {
	y := t.from.Year()
	if t.from != month(y, 1) || t.to != monthEnd(month(y, 12)) {
		return &generator{family: "year lists", next: func() (*recipe, bool) { return nil, false }}
	}
	var others []string
	for year := e.periodStart.Year(); year <= e.periodEnd.Year(); year++ {
		if year != y {
			others = append(others, strconv.Itoa(year))
		}
	}
	seen := map[string]bool{}
	next := func() (*recipe, bool) {
		for range 50 {
			ys := sample(rng, others, 1+rng.IntN(4))
			if k := strings.Join(ys, ","); len(ys) > 0 && !seen[k] {
				seen[k] = true
				q := func(years []string) tableQuery {
					return tableQuery{release: e.release, filter: t.base.with(dimYear, years...)}
				}
				return &recipe{terms: []term{{sign: 1, q: q(append([]string{strconv.Itoa(y)}, ys...))}, {sign: -1, q: q(ys)}}}, true
			}
		}
		return nil, false
	}
	return &generator{family: "year lists", next: next, keep: func(_ *recipe, v []float64) bool { return v[1] != 0 }}
}

// periodDifferences: the period extended by k periods of the API's grain before
// (side -1) or after (+1), minus the extension. An extension that publishes 0, or the
// same two figures as the one before it, most likely adds no decision: dropped.
func periodDifferences(e *env, t avgTarget, side int) *generator {
	g, step := e.grain, 1
	if g == grainDay {
		step = max(1, days(t.from, t.to)/10)
	}
	k := 0
	next := func() (*recipe, bool) {
		k += step
		ext, union, ok := extension(g, t.from, t.to, side, k)
		if !ok || ext[0].Before(e.periodStart) || ext[1].After(e.periodEnd) {
			return nil, false
		}
		q := func(p [2]time.Time) tableQuery {
			return tableQuery{release: e.release, filter: t.base.period(p[0], p[1])}
		}
		return &recipe{terms: []term{{sign: 1, q: q(union)}, {sign: -1, q: q(ext)}}}, true
	}
	var last [2]float64
	keep := func(_ *recipe, v []float64) bool {
		fresh := v[1] != 0 && [2]float64{v[0], v[1]} != last
		last = [2]float64{v[0], v[1]}
		return fresh
	}
	name := map[int]string{-1: "period extended before", 1: "period extended after"}[side]
	return &generator{family: name, next: next, keep: keep}
}

// extension is the period of k grain periods just before (side -1) or after (+1)
// from..to, and the union of both; from..to must be whole periods of the grain.
func extension(g grain, from, to time.Time, side, k int) (ext, union [2]time.Time, ok bool) {
	if k <= 0 {
		return ext, union, false
	}
	if side < 0 {
		start, _ := g.span(from)
		ext = [2]time.Time{g.step(start, -k), from.AddDate(0, 0, -1)}
		return ext, [2]time.Time{ext[0], to}, true
	}
	last, _ := g.span(to)
	_, end := g.span(g.step(last, k))
	ext = [2]time.Time{to.AddDate(0, 0, 1), end}
	return ext, [2]time.Time{from, end}, true
}

// partitions: the cell cut by a dimension into a random set S of its values and the
// rest; both parts are counted. A part that publishes 0 (most likely empty) makes the
// other the target's cell again, and a pair of figures seen before most likely the
// same cut: both dropped.
func partitions(family string, e *env, cell filter, dim string, values []string, rng *rand.Rand) *generator {
	seen := map[[2]float64]bool{}
	tries := 0
	next := func() (*recipe, bool) {
		if tries++; tries > 2000 || len(values) < 2 {
			return nil, false
		}
		in, out := split(rng, values)
		q := func(vs []string) tableQuery { return tableQuery{release: e.release, filter: cell.with(dim, vs...)} }
		return &recipe{terms: []term{{sign: 1, q: q(in)}, {sign: 1, q: q(out)}}}, true
	}
	keep := func(_ *recipe, v []float64) bool {
		pair := [2]float64{min(v[0], v[1]), max(v[0], v[1])}
		fresh := v[0] != 0 && v[1] != 0 && !seen[pair]
		seen[pair] = true
		return fresh
	}
	return &generator{family: family, next: next, keep: keep}
}

// splits: the sum of the rows of the cell grouped by one more dimension that does not
// split a decision. A table of one row is the cell itself: dropped.
func splits(e *env, cell filter) *generator {
	dims := []string{dimMS, dimLT, dimEUT, dimOutcome, dimCatchAll}
	i := 0
	next := func() (*recipe, bool) {
		if i == len(dims) {
			return nil, false
		}
		i++
		return &recipe{terms: []term{{sign: 1, q: tableQuery{release: e.release, filter: cell, groupBy: []string{dims[i-1]}}}}}, true
	}
	return &generator{family: "splits", next: next, keep: func(rc *recipe, _ []float64) bool { return rc.terms[0].cells > 1 }}
}

// sample is n distinct values of vs, at random.
func sample(rng *rand.Rand, vs []string, n int) []string {
	n = min(n, len(vs))
	out := make([]string, 0, n)
	for _, i := range rng.Perm(len(vs))[:n] {
		out = append(out, vs[i])
	}
	slices.Sort(out)
	return out
}

// split cuts vs at random into two non-empty parts.
func split(rng *rand.Rand, vs []string) (in, out []string) {
	for len(in) == 0 || len(out) == 0 {
		in, out = nil, nil
		for _, v := range vs {
			if rng.IntN(2) == 0 {
				in = append(in, v)
			} else {
				out = append(out, v)
			}
		}
	}
	return in, out
}

// describe is a short text of a target, for notes.
func (t avgTarget) describe() string {
	return fmt.Sprintf("%s %s..%s %s", t.kind, t.from.Format(time.DateOnly), t.to.Format(time.DateOnly), t.base.gql())
}
