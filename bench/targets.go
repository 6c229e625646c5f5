package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// label names a query in the tables.
func (q queryResult) label() string {
	l := q.spec.id + " " + q.spec.name
	if q.spec.standIn {
		l += " (stand-in)"
	}
	return l
}

// baseline is the SQL the server is compared with: the SQL without precomputation when
// the answer is precomputed, else the SQL the query runs.
func (q queryResult) baseline() sample {
	if q.source == precomputed {
		return q.aggSQL
	}
	return q.sql
}

// ratio is the server's uncached median over the baseline SQL's; zero when unmeasured.
func (q queryResult) ratio() float64 {
	if q.failure != "" || q.baseline().median() == 0 {
		return 0
	}
	return float64(q.uncached.median()) / float64(q.baseline().median())
}

func (q queryResult) ratioText() string {
	if q.ratio() == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", q.ratio())
}

// uncachedMisses says by how much the uncached targets are missed.
func (q queryResult) uncachedMisses() []string {
	if q.failure != "" {
		return nil
	}
	var m []string
	if r := q.ratio(); r > maxRatio {
		m = append(m, fmt.Sprintf("ratio %.2f, %.2f over %.1f (the server adds %s to %s of SQL)",
			r, r-maxRatio, maxRatio, ms(q.uncached.median()-q.baseline().median()), ms(q.baseline().median())))
	}
	if med := q.uncached.median(); med > q.spec.limit {
		m = append(m, fmt.Sprintf("median %s, %s over %s (%.1f ×)", ms(med), ms(med-q.spec.limit), ms(q.spec.limit), float64(med)/float64(q.spec.limit)))
	}
	return m
}

// misses says by how much a load phase misses the repeated-query targets.
func (l loadResult) misses() []string {
	if l.encoding == "" {
		return nil
	}
	var m []string
	if l.rate < minRate {
		m = append(m, fmt.Sprintf("%s req/s, %s short of %s (%.1f %% of it)",
			thousands(l.rate), thousands(minRate-l.rate), thousands(minRate), 100*l.rate/minRate))
	}
	if l.median >= maxCachedP50 {
		m = append(m, fmt.Sprintf("median %s, %s over %s", ms(l.median), ms(l.median-maxCachedP50), ms(maxCachedP50)))
	}
	if l.bare != nil && len(m) > 0 {
		m = append(m, fmt.Sprintf("a bare Go HTTP server sending the same %s under the same load, its runs alternated with as many more of the portal: %s req/s (runs: %s), median %s; the portal in those runs %s req/s (runs: %s), %.0f %% of the bare server's rate",
			kb(l.bytes), thousands(l.bare.rate), rateList(l.bare.runs), ms(l.bare.median),
			thousands(l.bare.portal), rateList(l.bare.portalRuns), 100*l.bare.portal/l.bare.rate))
		if ceiling := l.bare.misses(); ceiling != "" {
			m = append(m, ceiling)
		}
	}
	return m
}

// misses says what of the repeated-query targets the bare server missed too: then no
// server can meet it on this machine under this load, whatever the portal does.
func (b bareResult) misses() string {
	var what []string
	if b.rate < minRate {
		what = append(what, thousands(b.rate)+" req/s")
	}
	if b.median >= maxCachedP50 {
		what = append(what, "a median of "+ms(b.median))
	}
	if len(what) == 0 {
		return ""
	}
	return fmt.Sprintf("the bare server missed the target too (%s): this machine's ceiling for this answer under this load",
		strings.Join(what, ", "))
}

// importTarget is 30 s for 1,000,000 decisions, pro rata for another size (150 s for
// 5,000,000, the curve's target).
func (r sizeResult) importTarget() (time.Duration, string) {
	if r.decisions == importTargetN {
		return importTarget, "≤ " + seconds(importTarget)
	}
	t := time.Duration(float64(importTarget) * float64(r.decisions) / importTargetN)
	return t, fmt.Sprintf("≤ %s (%s per %s decisions, pro rata)", seconds(t), seconds(importTarget), thousands(importTargetN))
}

func (r sizeResult) importMisses(target time.Duration) []string {
	if r.data.imported <= target {
		return nil
	}
	return []string{fmt.Sprintf("%s, %s over %s (%.1f ×)", seconds(r.data.imported), seconds(r.data.imported-target),
		seconds(target), float64(r.data.imported)/float64(target))}
}

func (r sizeResult) memoryMisses() []string {
	if r.mem.err != nil {
		return []string{"not measured: " + r.mem.err.Error()}
	}
	if bytes := r.mem.hwm * 1024; bytes > maxRSSBytes {
		return []string{fmt.Sprintf("%s, %s over %s", mb(bytes), mb(bytes-maxRSSBytes), mb(maxRSSBytes))}
	}
	return nil
}

func (r sizeResult) memoryText(kb int64) string {
	if r.mem.err != nil || kb == 0 {
		return "–"
	}
	return mb(kb * 1024)
}

// allMisses lists every missed target, for the Why section: those of DESIGN section 7
// at the reference size, then those of the curve.
func (r *report) allMisses() []string {
	var all []string
	add := func(what string, misses []string) {
		if len(misses) > 0 {
			all = append(all, "**"+what+"**: "+strings.Join(misses, "; "))
		}
	}
	at := ""
	if r.curve != nil {
		at = " at " + thousands(float64(r.decisions))
	}
	for _, q := range r.results {
		if q.failure != "" {
			all = append(all, "**"+q.label()+at+"** failed: "+q.failure)
		}
		add(q.label()+at+", uncached", q.uncachedMisses())
		add(q.label()+at+", repeated", q.load.misses())
		add(q.label()+at+", repeated, gzip", q.loadGzip.misses())
	}
	target, _ := r.importTarget()
	add("import"+at, r.importMisses(target))
	add("memory"+at, r.memoryMisses())
	if r.curve == nil || r.top().decisions == r.decisions {
		return all
	}
	top := r.top()
	topAt := " at " + thousands(float64(top.decisions))
	for _, q := range top.results {
		if q.failure != "" {
			all = append(all, "**"+q.label()+topAt+"** failed: "+q.failure)
		}
		add(q.label()+topAt+", uncached", r.growthMisses(q))
	}
	target, _ = top.importTarget()
	add("import"+topAt, top.importMisses(target))
	for _, s := range r.curve {
		if s.decisions != r.decisions {
			add("memory at "+thousands(float64(s.decisions)), s.memoryMisses())
		}
	}
	return all
}

// growthMisses says by how much a query at the largest size misses twice its median at
// the reference size.
func (r *report) growthMisses(q queryResult) []string {
	ref, ok := r.resultOf(r.sizeResult, q.spec.id)
	if !ok || q.failure != "" || ref.uncached.median() == 0 {
		return nil
	}
	limit := time.Duration(maxGrowth * float64(ref.uncached.median()))
	if med := q.uncached.median(); med > limit {
		return []string{fmt.Sprintf("median %s, %.2f × its %s at %s, %s over %.0f × (%s)", ms(med),
			float64(med)/float64(ref.uncached.median()), ms(ref.uncached.median()), thousands(float64(r.decisions)),
			ms(med-limit), maxGrowth, ms(limit))}
	}
	return nil
}

// resultOf finds a query's result at a size.
func (r *report) resultOf(s sizeResult, id string) (queryResult, bool) {
	for _, q := range s.results {
		if q.spec.id == id {
			return q, true
		}
	}
	return queryResult{}, false
}

// verdict is the met? column: yes, or what is missed and by how much.
func verdict(misses []string, failure string) string {
	switch {
	case failure != "":
		return "**failed**"
	case len(misses) == 0:
		return "yes"
	}
	return "**no**: " + strings.Join(misses, "; ")
}

// ms prints a duration in milliseconds, with the digits that matter.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case d == 0:
		return "–"
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	}
	return thousands(v) + " ms"
}

// seconds prints a duration in seconds, two decimals under ten.
func seconds(d time.Duration) string {
	if d < 10*time.Second {
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// kb prints the size of an answer in kB (10^3 bytes).
func kb(bytes float64) string { return fmt.Sprintf("%.1f kB", bytes/1e3) }

// mb prints bytes in MB (10^6 bytes), the unit of the target.
func mb(bytes int64) string { return fmt.Sprintf("%.1f MB", float64(bytes)/1e6) }

// thousands prints a number rounded to a whole, with comma separators.
func thousands(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
