package main

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// The kinds of small cells the averaging attack targets.
const (
	kindMonthDest      = "month × destination"
	kindYearDestEntry  = "year × destination × control entry"
	maxAverageTarget   = 5
	firstAverageTarget = 1
)

// pickAverageTargets chooses n cells with true counts 1 to 5 from the truth, half of
// each kind, the counts in turn, at random among the cells of a kind and count. The
// months at the edges of the release are left out, so periods can be extended.
func pickAverageTargets(t *truth, n int, rng *rand.Rand, start, end time.Time) []scoredTarget {
	pools := map[string]map[int][]scoredTarget{
		kindMonthDest:     monthDestCells(t, start, end),
		kindYearDestEntry: yearDestEntryCells(t),
	}
	var out []scoredTarget
	kinds := []string{kindMonthDest, kindYearDestEntry}
	for i := 0; len(out) < n && i < 20*n; i++ {
		kind := kinds[i%2]
		c := firstAverageTarget + (i/2)%(maxAverageTarget-firstAverageTarget+1)
		pool := pools[kind][c]
		if len(pool) == 0 {
			continue
		}
		j := rng.IntN(len(pool))
		out = append(out, pool[j])
		pools[kind][c] = slices.Delete(pool, j, j+1)
	}
	return out
}

// monthDestCells are the (month, destination) cells by true count, in a fixed order.
func monthDestCells(t *truth, start, end time.Time) map[int][]scoredTarget {
	counts := map[string]int{}
	for _, d := range t.decisions {
		counts[d.date.Format("2006-01")+"|"+d.dest]++
	}
	out := map[int][]scoredTarget{}
	for _, k := range sortedKeys(counts) {
		n := counts[k]
		m, _ := time.Parse("2006-01", k[:7])
		if n > maxAverageTarget || !m.After(start) || !monthEnd(m).Before(end.AddDate(0, -1, 0)) {
			continue
		}
		target := avgTarget{kind: kindMonthDest, from: m, to: monthEnd(m), base: filter{}.with(dimDest, k[8:])}
		out[n] = append(out[n], scoredTarget{target: target, truth: n})
	}
	return out
}

// yearDestEntryCells are the (year, destination, control entry) cells by true count,
// where the entry is a filter: it takes the entry's sub-items too, as the API does.
// Only codes some line has are used, so every code is one the reference data knows.
func yearDestEntryCells(t *truth) map[int][]scoredTarget {
	lineCodes := map[string]bool{}
	for _, d := range t.decisions {
		for _, e := range d.entries {
			lineCodes[e] = true
		}
	}
	counts := map[string]int{}
	for _, d := range t.decisions {
		for _, code := range filterCodes(d.entries) {
			if lineCodes[code] {
				counts[fmt.Sprintf("%d|%s|%s", d.date.Year(), d.dest, code)]++
			}
		}
	}
	out := map[int][]scoredTarget{}
	for _, k := range sortedKeys(counts) {
		n := counts[k]
		if n > maxAverageTarget {
			continue
		}
		parts := strings.SplitN(k, "|", 3)
		y, _ := time.Parse("2006", parts[0])
		target := avgTarget{kind: kindYearDestEntry, from: y, to: y.AddDate(1, 0, -1),
			base: filter{}.with(dimDest, parts[1]).with(dimEntry, parts[2])}
		out[n] = append(out[n], scoredTarget{target: target, truth: n})
	}
	return out
}

// filterCodes are the codes whose filter selects a decision with these entries: each
// entry and the entries it is a sub-item of (5A001.a.1, 5A001.a, 5A001), once each.
func filterCodes(entries []string) []string {
	var out []string
	for _, e := range entries {
		for code := e; code != ""; {
			if !slices.Contains(out, code) {
				out = append(out, code)
			}
			i := strings.LastIndex(code, ".")
			if i < 0 {
				break
			}
			code = code[:i]
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// scoreAveraging compares the attacker's counts and the published figures with the truth.
func scoreAveraging(r *result, outcomes []avgOutcome) {
	base, attacker := exactShares(outcomes)
	var queries, ns []float64
	settledN := 0
	for _, o := range outcomes {
		queries = append(queries, float64(o.queries))
		ns = append(ns, float64(o.n))
		if o.settled {
			settledN++
		}
	}
	r.figuref("targets attacked", "%d (true counts 1 to 5; kinds: %s, %s)", len(outcomes), kindMonthDest, kindYearDestEntry)
	r.figuref("exact: the published figure (baseline)", "%.1f %%", base*100)
	r.figuref("exact: the attacker's estimate", "%.1f %%", attacker*100)
	for _, kind := range []string{kindMonthDest, kindYearDestEntry} {
		b, a := exactShares(slices.DeleteFunc(slices.Clone(outcomes), func(o avgOutcome) bool { return o.kind != kind }))
		r.figuref("exact, "+kind, "baseline %.1f %%, attacker %.1f %%", b*100, a*100)
	}
	r.figuref("independent estimates per target", "median %.0f", median(ns))
	r.figuref("queries per target", "median %.0f, at most %.0f", median(queries), slices.MaxFunc(append(queries, 0), cmp.Compare[float64]))
	r.figuref("targets settled before the cap", "%d of %d", settledN, len(outcomes))
	r.judge(attacker > base+averagingMargin, fmt.Sprintf("attacker exact %.1f %% vs baseline %.1f %%", attacker*100, base*100))
}

// exactShares are the shares of targets where the published figure, and the
// attacker's estimate, equal the true count.
func exactShares(outcomes []avgOutcome) (base, attacker float64) {
	if len(outcomes) == 0 {
		return 0, 0
	}
	nb, na := 0, 0
	for _, o := range outcomes {
		if o.directOK && int(o.direct) == o.truth {
			nb++
		}
		if o.estimated && o.estimate == o.truth {
			na++
		}
	}
	return float64(nb) / float64(len(outcomes)), float64(na) / float64(len(outcomes))
}
