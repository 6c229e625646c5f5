package main

import (
	"context"
	"fmt"
	"time"
)

// reconstructionShare is the share of a month's decisions whose recovery fails the portal.
const reconstructionShare = 0.05

// claim is the attacker's statement that exactly one decision of the period has
// these six attributes.
type claim struct {
	from, to time.Time
	vals     map[string]string
}

// reconstruction (attack 1) lists the decisions of a few months: the finest table the
// API allows over the six attributes and the shortest period it allows, or, when that
// is refused, the largest crossings it allows, linked on their shared dimensions.
func reconstruction(ctx context.Context, e *env, r *result) error {
	r.threshold = fmt.Sprintf("at least %.0f %% of any attacked month's decisions recovered", reconstructionShare*100)
	months := reconMonths(e)
	r.targets = len(months)
	var crossings [][]string
	worst := 0.0
	var err error
	for _, m := range months {
		var claims []claim
		claims, crossings, err = reconstructMonth(ctx, e, r.cnt, m, crossings)
		if err != nil {
			break
		}
		share := scoreMonth(r, e.truth, m, claims)
		worst = max(worst, share)
	}
	if len(crossings) > 0 {
		r.figuref("tables used", "%s over each %s", describeCrossings(crossings), e.grain)
	} else {
		r.notef("every crossing of two or more of the six attributes was refused: nothing to link")
	}
	r.judge(worst >= reconstructionShare, fmt.Sprintf("%.1f %% of a month's decisions recovered (worst month)", worst*100))
	return err
}

// reconMonths are the months attacked: spread over the release, none at its edges.
func reconMonths(e *env) []time.Time {
	var out []time.Time
	last := e.periodEnd.Year()
	if e.periodEnd.Month() < 12 {
		last--
	}
	for i := 0; len(out) < e.o.months && i < 10*e.o.months; i++ {
		m := month(last-(3*i)%max(1, last-e.periodStart.Year()+1), time.Month((2+4*i)%12+1))
		if !m.Before(e.periodStart) && !monthEnd(m).After(e.periodEnd) && !containsTime(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func containsTime(ts []time.Time, t time.Time) bool {
	for _, x := range ts {
		if x.Equal(t) {
			return true
		}
	}
	return false
}

// reconstructMonth asks for the month's tables, period by period, and returns the
// attacker's claims and the crossings the API allows.
func reconstructMonth(ctx context.Context, e *env, cnt *counter, m time.Time, crossings [][]string) ([]claim, [][]string, error) {
	periods := e.grain.units(m, monthEnd(m))
	var err error
	if crossings == nil {
		if crossings, err = allowedCrossings(ctx, e, cnt, periods); err != nil || len(crossings) == 0 {
			return nil, crossings, err
		}
	}
	// A month is one target: at most --queries tables for it.
	use := crossings[:max(1, min(len(crossings), e.o.queries/len(periods)))]
	var qs []tableQuery
	for _, p := range periods {
		from, to := e.grain.span(p)
		for _, dims := range use {
			qs = append(qs, tableQuery{release: e.release, filter: filter{}.period(from, to), groupBy: dims})
		}
	}
	tables, err := fetchTables(ctx, e.api, cnt, qs)
	if err != nil {
		return nil, crossings, err
	}
	var claims []claim
	for i, p := range periods {
		from, to := e.grain.span(p)
		for _, vals := range complete(link(crossTables(tables[i*len(use):(i+1)*len(use)])), fineDims) {
			claims = append(claims, claim{from: from, to: to, vals: vals})
		}
	}
	return claims, crossings, nil
}

// crossTables turns the answered tables into the linker's form.
func crossTables(ts []table) []crossTable {
	var out []crossTable
	for _, t := range ts {
		if t.refusal != nil {
			continue
		}
		c := crossTable{dims: t.query.groupBy}
		for _, row := range t.rows {
			v, ok := row.applications.num()
			c.rows = append(c.rows, cellRow{vals: row.dims, count: v, known: ok})
		}
		out = append(out, c)
	}
	return out
}

// allowedCrossings finds the crossings of the six attributes the API answers over one
// period: all six if it can; else every subset of five it accepts, and so on down, and
// with the largest accepted also the smaller ones (down to two), so that linking has
// tables that share dimensions. At most maxCrossings tables.
func allowedCrossings(ctx context.Context, e *env, cnt *counter, periods []time.Time) ([][]string, error) {
	const maxCrossings = 40
	from, to := e.grain.span(periods[len(periods)/2])
	var allowed [][]string
	for size := len(fineDims); size >= 2 && len(allowed) < maxCrossings; size-- {
		var qs []tableQuery
		for _, dims := range subsets(fineDims, size) {
			qs = append(qs, tableQuery{release: e.release, filter: filter{}.period(from, to), groupBy: dims})
		}
		tables, err := fetchTables(ctx, e.api, cnt, qs)
		if err != nil {
			return nil, err
		}
		for _, t := range tables {
			if t.refusal == nil && len(allowed) < maxCrossings {
				allowed = append(allowed, t.query.groupBy)
			} else if t.refusal != nil && size == len(fineDims) {
				e.notef("reconstruction: the table of all six attributes over a %s refused (%s)", e.grain, t.refusal)
			}
		}
		if size == len(fineDims) && len(allowed) > 0 {
			break // one table has it all
		}
	}
	return allowed, nil
}

// subsets are the subsets of dims of a size, in order.
func subsets(dims []string, size int) [][]string {
	if size == 0 {
		return [][]string{nil}
	}
	var out [][]string
	for i := 0; i+size <= len(dims); i++ {
		for _, rest := range subsets(dims[i+1:], size-1) {
			out = append(out, append([]string{dims[i]}, rest...))
		}
	}
	return out
}

func describeCrossings(cs [][]string) string {
	if len(cs) == 1 {
		return fmt.Sprint(cs[0])
	}
	return fmt.Sprintf("%d crossings of %d to %d attributes (the largest: %v)", len(cs), len(cs[len(cs)-1]), len(cs[0]), cs[0])
}

// scoreMonth checks the claims against the truth: a claim is right when exactly one
// decision of its period has its attributes; that decision is then recovered. It
// returns the share of the month's decisions recovered.
func scoreMonth(r *result, t *truth, m time.Time, claims []claim) float64 {
	inMonth := t.between(m, monthEnd(m))
	byPeriod := map[[2]time.Time][]*decision{}
	recovered := map[*decision]bool{}
	right := 0
	for _, c := range claims {
		k := [2]time.Time{c.from, c.to}
		if _, ok := byPeriod[k]; !ok {
			byPeriod[k] = t.between(c.from, c.to)
		}
		if d, ok := onlyDecision(byPeriod[k], c.vals); ok {
			right++
			if !d.date.Before(m) && !d.date.After(monthEnd(m)) {
				recovered[d] = true
			}
		}
	}
	share := float64(len(recovered)) / float64(max(1, len(inMonth)))
	r.figuref(m.Format("2006-01"), "%d decisions; %d claims of a single decision, %d right; %d decisions recovered (%.1f %%)",
		len(inMonth), len(claims), right, len(recovered), share*100)
	return share
}

// onlyDecision is the decision with the attributes, if exactly one has them.
func onlyDecision(ds []*decision, vals map[string]string) (*decision, bool) {
	var found *decision
	n := 0
	for _, d := range ds {
		if matchesAttrs(d, vals) {
			found, n = d, n+1
		}
	}
	return found, n == 1
}

// matchesAttrs reports whether a decision has the attribute values (a decision has
// an entry when one of its lines does).
func matchesAttrs(d *decision, vals map[string]string) bool {
	for dim, v := range vals {
		if dim == dimEntry {
			if !d.hasEntry(v) {
				return false
			}
		} else if d.attr(dim) != v {
			return false
		}
	}
	return true
}
