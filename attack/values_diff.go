package main

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// valuePair is one difference: the value of a cell with the decision minus the value
// of the same cell without it.
type valuePair struct {
	family        string
	with, without tableQuery
}

// valueOffsets are how many periods of the grain a differenced period reaches beyond
// the decision's: every one near it (small cells, small noise), then sparser.
var valueOffsets = func() []int {
	var out []int
	for k := 1; k <= 10; k++ {
		out = append(out, k)
	}
	for k := 12; k <= 90; k += 3 {
		out = append(out, k)
	}
	return out
}()

// differences evaluates the pairs of a filter in which the decision is alone, within
// a budget of queries. Each estimate is weighted by the inverse square of the larger
// value: the noise of a value grows with its cell.
func differences(ctx context.Context, e *env, cnt *counter, k knownDecision, dims []string, budget int64, rng *rand.Rand) ([]estimate, error) {
	pairs := append(periodPairs(e, k, dims), listPairs(e, k, dims, rng)...)
	start := cnt.sent.Load()
	last := map[string][2]float64{}
	var es []estimate
	for i := 0; i < len(pairs) && cnt.sent.Load()-start < budget; i += 12 {
		batch := pairs[i:min(i+12, len(pairs))]
		var qs []tableQuery
		for _, p := range batch {
			qs = append(qs, p.with, p.without)
		}
		tables, err := fetchTables(ctx, e.api, cnt, qs)
		if err != nil {
			return es, err
		}
		for j, p := range batch {
			applied := pairEstimate(p.family, tables[2*j], tables[2*j+1], appliedValue, last)
			es = append(es, applied...)
			if k.attrs[dimOutcome] == "ISSUED" {
				issued := pairEstimate(p.family+" issued", tables[2*j], tables[2*j+1], issuedValue, last)
				if len(issued) == 1 && (len(applied) == 0 || issued[0] != applied[0]) {
					es = append(es, issued...) // the issued value of a cell: another noise draw
				}
			}
		}
	}
	return es, nil
}

// pairEstimate is the difference of a measure between the cell with the decision and
// the cell without, weighted by the inverse square of the larger (the noise of a value
// grows with its cell); none when either is withheld, when they are equal (rounding hid
// the decision, whose value is never 0) or equal to the family's pair before (most
// likely the same two cells).
func pairEstimate(family string, with, without table, value func(row) measure, last map[string][2]float64) []estimate {
	a, ok1 := totalValue(with, value)
	b, ok2 := totalValue(without, value)
	if !ok1 || !ok2 || a == b || last[family] == [2]float64{a, b} {
		return nil
	}
	last[family] = [2]float64{a, b}
	scale := max(a, b, 1000)
	return []estimate{{family: family, value: a - b, weight: 1 / (scale * scale)}}
}

func appliedValue(r row) measure { return r.valueApplied }
func issuedValue(r row) measure  { return r.valueIssued }

// totalValue is a published value of a table's one row.
func totalValue(t table, value func(row) measure) (float64, bool) {
	if t.refusal != nil || len(t.rows) == 0 || value(t.rows[0]).Status != "PERTURBED" {
		return 0, false
	}
	return value(t.rows[0]).num()
}

// periodPairs: periods that start on the decision's period and end later, or end on
// it and start earlier, with and without the decision's period.
func periodPairs(e *env, k knownDecision, dims []string) []valuePair {
	g := e.grain
	p0, p1 := g.span(k.date)
	f := cellFilter(k, dims)
	q := func(from, to time.Time) tableQuery {
		return tableQuery{release: e.release, filter: f.period(from, to), measures: withValues}
	}
	name := strings.Join(dims, "+")
	var out []valuePair
	for _, s := range valueOffsets {
		if _, end := g.span(g.step(p0, s)); !end.After(e.periodEnd) {
			out = append(out, valuePair{family: name + " after", with: q(p0, end), without: q(p1.AddDate(0, 0, 1), end)})
		}
		if begin := g.step(p0, -s); !begin.Before(e.periodStart) {
			out = append(out, valuePair{family: name + " before", with: q(begin, p1), without: q(begin, p0.AddDate(0, 0, -1))})
		}
	}
	return out
}

// listPairs: for a filter with the destination, the other dimensions with the
// destinations [x]+L and L, for random lists L of other destinations.
func listPairs(e *env, k knownDecision, dims []string, rng *rand.Rand) []valuePair {
	if !slices.Contains(dims, dimDest) {
		return nil
	}
	from, to := e.grain.span(k.date)
	rest := slices.DeleteFunc(slices.Clone(dims), func(d string) bool { return d == dimDest })
	f := cellFilter(k, rest).period(from, to)
	x := k.attrs[dimDest]
	others := slices.DeleteFunc(slices.Clone(e.destinations), func(d string) bool { return d == x })
	var out []valuePair
	for range 20 {
		l := sample(rng, others, 10+rng.IntN(20))
		q := func(dests []string) tableQuery {
			return tableQuery{release: e.release, filter: f.with(dimDest, dests...), measures: withValues}
		}
		out = append(out, valuePair{family: strings.Join(dims, "+") + " lists", with: q(append([]string{x}, l...)), without: q(l)})
	}
	return out
}
