package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// valueErrorLimit is the median relative error below which the attack fails the portal.
const valueErrorLimit = 0.25

// knownDecision is what the attacker knows of a decision: everything but its value.
type knownDecision struct {
	date    time.Time
	attrs   map[string]string // the five attributes other than the control entry
	entries []string
}

// valueTarget is a decision whose value the attacker wants, with the true value kept apart.
type valueTarget struct {
	known knownDecision
	truth float64
}

// valueCells are the filters the attacker differences over: every combination of the
// five attributes, smallest first. The decision must be the only one of its filter in
// its period; each filter gives other cells, hence other noise, to average.
var valueCells = func() [][]string {
	attrs := []string{dimMS, dimDest, dimLT, dimEUT, dimOutcome}
	var out [][]string
	for _, size := range []int{2, 3, 1, 4, 5} {
		out = append(out, subsets(attrs, size)...)
	}
	return out
}()

// valueDifferencing (attack 4) estimates the value of single decisions whose own cell
// is withheld, from published values of larger cells that differ by that decision
// only: a period that starts (or ends) on the decision's day minus the same period
// without that day, and a list of destinations with and without the decision's.
func valueDifferencing(ctx context.Context, e *env, r *result) error {
	r.threshold = fmt.Sprintf("median relative error of the best estimate per decision below %.0f %%", valueErrorLimit*100)
	candidates := pickValueTargets(e.truth, 3*e.o.targets, e.rng(4), e.periodStart, e.periodEnd)
	var errs, estimates, estimatedErrs []float64
	direct, estimated := 0, 0
	var err error
	for _, c := range candidates {
		if len(errs) == e.o.targets {
			break
		}
		var own bool
		if own, err = ownValuePublished(ctx, e, r.cnt, c.known); err != nil {
			break
		} else if own {
			direct++
			continue
		}
		var est estimateResult
		if est, err = estimateValue(ctx, e, r.cnt, c.known); err != nil {
			break
		}
		errs = append(errs, relError(est.value, est.ok, c.truth))
		estimates = append(estimates, float64(est.n))
		if est.ok {
			estimated++
			estimatedErrs = append(estimatedErrs, errs[len(errs)-1])
		}
	}
	r.targets = len(errs)
	scoreValues(r, errs, estimates, direct)
	r.figuref("decisions with an estimate", "%d of %d (the others count as 100 %% off: every difference withheld or refused); median relative error among them %.1f %%",
		estimated, len(errs), median(estimatedErrs)*100)
	return err
}

// scoreValues reports the relative errors and judges.
func scoreValues(r *result, errs, estimates []float64, direct int) {
	within := func(limit float64) int {
		return len(slices.DeleteFunc(slices.Clone(errs), func(x float64) bool { return x > limit }))
	}
	r.figuref("decisions attacked", "%d (value known, own smallest cell withheld)", len(errs))
	if direct > 0 {
		r.figuref("decisions left out", "%d whose smallest cell the API publishes a value for with a count of 1", direct)
	}
	r.figuref("median relative error", "%.1f %%", median(errs)*100)
	r.figuref("within 10 % / 25 % of the value", "%d / %d of %d", within(0.10), within(0.25), len(errs))
	r.figuref("differences used per decision", "median %.0f", median(estimates))
	if len(errs) == 0 {
		r.judge(false, "no decision to attack")
		return
	}
	r.judge(median(errs) < valueErrorLimit, fmt.Sprintf("median relative error %.1f %%", median(errs)*100))
}

// pickValueTargets chooses decisions with a known, positive value, away from the
// edges of the release.
func pickValueTargets(t *truth, n int, rng *rand.Rand, start, end time.Time) []valueTarget {
	var pool []*decision
	for _, d := range t.decisions {
		v, ok := d.value()
		if ok && v > 0 && d.date.After(start.AddDate(0, 2, 0)) && d.date.Before(end.AddDate(0, -2, 0)) {
			pool = append(pool, d)
		}
	}
	var out []valueTarget
	for _, i := range rng.Perm(len(pool))[:min(n, len(pool))] {
		d := pool[i]
		v, _ := d.value()
		attrs := map[string]string{dimMS: d.ms, dimDest: d.dest, dimLT: d.lt, dimEUT: d.eut, dimOutcome: d.outcome}
		out = append(out, valueTarget{known: knownDecision{date: d.date, attrs: attrs, entries: slices.Clone(d.entries)}, truth: v})
	}
	return out
}

// ownValuePublished finds the decision's smallest cell the API answers (all its
// attributes, dropping the finest while refused) and reports whether it publishes a
// value for a cell it counts as one decision: then there is nothing to attack.
func ownValuePublished(ctx context.Context, e *env, cnt *counter, k knownDecision) (bool, error) {
	from, to := e.grain.span(k.date)
	f := filter{}.period(from, to)
	for _, d := range []string{dimMS, dimDest, dimLT, dimEUT, dimOutcome} {
		f = f.with(d, k.attrs[d])
	}
	if !slices.Contains(k.entries, "") {
		f = f.with(dimEntry, k.entries...)
	}
	for _, drop := range []string{dimEntry, dimEUT, dimOutcome, dimLT, dimMS, ""} {
		t, err := fetchTable(ctx, e.api, cnt, tableQuery{release: e.release, filter: f, measures: withValues})
		if err != nil || t.refusal == nil {
			if err != nil || len(t.rows) == 0 {
				return false, err
			}
			n, _ := t.rows[0].applications.num()
			_, published := t.rows[0].valueApplied.num()
			return published && n <= 1, nil
		}
		f = f.with(drop)
	}
	return false, nil
}

// estimateResult is the attacker's estimate of a decision's value.
type estimateResult struct {
	value float64
	ok    bool
	n     int
}

// estimateValue differences over each filter of valueCells in which the decision is
// alone in its period, until the estimate is steady or the target's queries run out.
func estimateValue(ctx context.Context, e *env, cnt *counter, k knownDecision) (estimateResult, error) {
	start := cnt.sent.Load()
	var es []estimate
	for i, dims := range valueCells {
		budget := int64(e.o.queries) - (cnt.sent.Load() - start)
		if budget <= 0 {
			break
		}
		alone, err := aloneIn(ctx, e, cnt, k, dims)
		if err != nil {
			return estimateResult{}, err
		}
		if !alone {
			continue
		}
		more, err := differences(ctx, e, cnt, k, dims, budget, e.rng(uint64(400+i)))
		if err != nil {
			return estimateResult{}, err
		}
		es = append(es, more...)
		if mean, se, n := combine(es); n >= 40 && se < 0.02*math.Abs(mean) {
			break
		}
	}
	v, ok := robustMean(es)
	return estimateResult{value: v, ok: ok, n: len(es)}, nil
}

// aloneIn reports whether the attacker believes the decision is the only one with
// its values of dims in its period: the period's table of the filter, grouped by the
// other attributes, has one row, counted as at most 2. Where that crossing is refused,
// or lists no row (an API that leaves out rows of small counts), the cell's own count
// must do: a count of at most 2, or withheld as small, is read as "maybe alone"; the
// robust mean drops the differences that were not.
func aloneIn(ctx context.Context, e *env, cnt *counter, k knownDecision, dims []string) (bool, error) {
	from, to := e.grain.span(k.date)
	var rest []string
	for _, d := range []string{dimMS, dimDest, dimLT, dimEUT, dimOutcome} {
		if !slices.Contains(dims, d) {
			rest = append(rest, d)
		}
	}
	f := cellFilter(k, dims).period(from, to)
	t, err := fetchTable(ctx, e.api, cnt, tableQuery{release: e.release, filter: f, groupBy: rest})
	if err != nil || t.refusal == nil && len(t.rows) > 0 {
		return err == nil && len(t.rows) == 1 && smallCount(t.rows[0].applications), err
	}
	t, err = fetchTable(ctx, e.api, cnt, tableQuery{release: e.release, filter: f})
	if err != nil || t.refusal != nil {
		return false, err
	}
	return len(t.rows) == 0 || smallCount(t.rows[0].applications), nil
}

// smallCount reports whether a published count is at most 2, or withheld.
func smallCount(m measure) bool {
	n, ok := m.num()
	return !ok || n <= 2
}

// cellFilter is the filter of the decision's values of dims.
func cellFilter(k knownDecision, dims []string) filter {
	f := filter{}
	for _, d := range dims {
		f = f.with(d, k.attrs[d])
	}
	return f
}
