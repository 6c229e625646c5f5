package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// averagingMargin is how far the attacker's exact share may exceed the baseline's.
const averagingMargin = 0.10

// avgTarget is a small cell the attacker wants the exact count of: a period and a
// filter (a destination, and for some targets a control entry).
type avgTarget struct {
	kind     string
	from, to time.Time
	base     filter
}

// scoredTarget is a target with its true count, kept apart from the attack.
type scoredTarget struct {
	target avgTarget
	truth  int
}

// avgOutcome is what the attacker made of a target.
type avgOutcome struct {
	kind      string
	truth     int
	direct    float64 // the single published figure
	directOK  bool
	estimate  int // the attacker's count
	estimated bool
	n         int // independent estimates averaged
	queries   int64
	settled   bool
}

// averaging (attack 2) estimates small cells (true count 1 to 5) by averaging every
// independent estimate the API gives of them: the published figure; differences of
// lists (destinations [x]+L minus L); differences of periods (a period extended before
// or after, minus the extension); partitions of the cell by Member State, licence type
// or end-user type (S and its complement); splits of the cell by another dimension.
func averaging(ctx context.Context, e *env, r *result) error {
	r.threshold = fmt.Sprintf("attacker's exact share > baseline's (the published figure) + %.0f points", averagingMargin*100)
	targets := pickAverageTargets(e.truth, e.o.targets, e.rng(2), e.periodStart, e.periodEnd)
	r.targets = len(targets)
	var outcomes []avgOutcome
	var err error
	for i, t := range targets {
		var o avgOutcome
		o, err = averageTarget(ctx, e, r.cnt, t.target, e.rng(100+uint64(i)))
		if err != nil {
			break
		}
		o.truth = t.truth
		outcomes = append(outcomes, o)
	}
	scoreAveraging(r, outcomes)
	return err
}

// averageTarget runs the recipes of a target in rounds until the rounded mean is
// settled, the recipes run out, or the target's queries reach --queries.
func averageTarget(ctx context.Context, e *env, cnt *counter, t avgTarget, rng *rand.Rand) (avgOutcome, error) {
	gens := averageGenerators(e, t, rng)
	out := avgOutcome{kind: t.kind}
	start := cnt.sent.Load()
	var es []estimate
	for round := 0; round < 1000 && cnt.sent.Load()-start < int64(e.o.queries); round++ {
		batch := nextRecipes(gens, 12)
		if len(batch) == 0 {
			break
		}
		values, err := evaluate(ctx, e, cnt, batch)
		if err != nil {
			return out, err
		}
		for i, rc := range batch {
			es = takeEstimate(rc, values[i], es, &out)
		}
		mean, se, n := combine(es)
		if out.settled = settled(mean, se, n, 20); out.settled {
			break
		}
	}
	mean, _, n := combine(es)
	out.estimate, out.estimated, out.n = roundCount(mean), n > 0, n
	out.queries = cnt.sent.Load() - start
	return out, nil
}

// takeEstimate adds a recipe's estimate unless it was refused or the attacker judges
// it a repeat of a cell already used.
func takeEstimate(rc *recipe, values []float64, es []estimate, out *avgOutcome) []estimate {
	g := rc.gen
	if values == nil {
		g.refused++
		if g.refused >= 3 && g.accepted == 0 {
			g.done = true // this kind of request is refused: give it up
		}
		return es
	}
	g.accepted++
	if rc.gen.family == "direct" {
		out.direct, out.directOK = values[0], true
	}
	if g.keep != nil && !g.keep(rc, values) {
		g.dropped++
		g.done = g.done || g.dropped >= giveUpAfter && g.kept == 0
		return es
	}
	v := 0.0
	for i, x := range values {
		v += rc.terms[i].sign * x
	}
	g.kept++
	if g.kept == 1 {
		g.first = v
	}
	g.same = g.kept == 1 || g.same && v == g.first
	g.done = g.done || g.kept >= giveUpAfter && g.same
	return append(es, estimate{family: g.family, value: v, weight: rc.weight()})
}

// giveUpAfter is how many estimates of a family the attacker takes before it gives
// the family up when they all come out the same (the API answers one figure however
// the request is put) or none is usable.
const giveUpAfter = 8

// recipe is one estimate: a signed sum of published figures, each a table's total or
// the sum of a table's rows.
type recipe struct {
	gen   *generator
	terms []term
}

type term struct {
	sign  float64
	q     tableQuery
	cells int // the rows the published figure summed
}

// weight is the inverse of the number of published cells summed: each adds its noise.
func (rc *recipe) weight() float64 {
	cells := 0
	for _, t := range rc.terms {
		cells += max(1, t.cells)
	}
	return 1 / float64(max(1, cells))
}

// generator makes the recipes of one family.
type generator struct {
	family            string
	next              func() (*recipe, bool)                  // false: no more
	keep              func(rc *recipe, values []float64) bool // the attacker's test of a repeat
	refused, accepted int
	kept, dropped     int
	first             float64 // the first estimate kept
	same              bool    // every estimate kept equals the first
	done              bool
}

// nextRecipes takes up to n recipes from the generators in turn.
func nextRecipes(gens []*generator, n int) []*recipe {
	var out []*recipe
	for progress := true; progress && len(out) < n; {
		progress = false
		for _, g := range gens {
			if g.done || len(out) == n {
				continue
			}
			rc, ok := g.next()
			if !ok {
				g.done = true
				continue
			}
			rc.gen = g
			out, progress = append(out, rc), true
		}
	}
	return out
}

// evaluate asks for the tables of the recipes and returns each recipe's term values,
// nil for a recipe with a term refused or withheld.
func evaluate(ctx context.Context, e *env, cnt *counter, batch []*recipe) ([][]float64, error) {
	var qs []tableQuery
	for _, rc := range batch {
		for _, t := range rc.terms {
			qs = append(qs, t.q)
		}
	}
	tables, err := fetchTables(ctx, e.api, cnt, qs)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, len(batch))
	k := 0
	for i, rc := range batch {
		values := make([]float64, len(rc.terms))
		ok := true
		for j := range rc.terms {
			t := tables[k]
			k++
			v, answered := t.sumApplications()
			// A total always has its row; one missing is a count withheld (an API that
			// leaves out rows of small counts), not a 0.
			answered = answered && (len(t.rows) > 0 || len(t.query.groupBy) > 0)
			ok = ok && t.refusal == nil && answered
			values[j] = v
			rc.terms[j].cells = len(t.rows)
		}
		if ok {
			out[i] = values
		}
	}
	return out, nil
}
