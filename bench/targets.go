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

// ratio is the server's uncached median over the bare SQL's; zero when unmeasured.
func (q queryResult) ratio() float64 {
	if q.failure != "" || q.sql.median() == 0 {
		return 0
	}
	return float64(q.uncached.median()) / float64(q.sql.median())
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
			r, r-maxRatio, maxRatio, ms(q.uncached.median()-q.sql.median()), ms(q.sql.median())))
	}
	if med := q.uncached.median(); med > q.spec.limit {
		m = append(m, fmt.Sprintf("median %s, %s over %s (%.1f ×)", ms(med), ms(med-q.spec.limit), ms(q.spec.limit), float64(med)/float64(q.spec.limit)))
	}
	return m
}

// repeatedMisses says by how much the repeated-query targets are missed.
func (q queryResult) repeatedMisses() []string {
	if q.failure != "" {
		return nil
	}
	var m []string
	if q.load.rate < minRate {
		m = append(m, fmt.Sprintf("%s req/s, %s short of %s (%.1f %% of it)",
			thousands(q.load.rate), thousands(minRate-q.load.rate), thousands(minRate), 100*q.load.rate/minRate))
	}
	if q.load.median >= maxCachedP50 {
		m = append(m, fmt.Sprintf("median %s, %s over %s", ms(q.load.median), ms(q.load.median-maxCachedP50), ms(maxCachedP50)))
	}
	return m
}

// importTarget is 30 s for 1,000,000 decisions, pro rata for another size.
func (r *report) importTarget() (time.Duration, string) {
	if r.o.decisions == importTargetN {
		return importTarget, "≤ " + seconds(importTarget)
	}
	t := time.Duration(float64(importTarget) * float64(r.o.decisions) / importTargetN)
	return t, fmt.Sprintf("≤ %s (%s per %s decisions, pro rata)", seconds(t), seconds(importTarget), thousands(importTargetN))
}

func (r *report) importMisses(target time.Duration) []string {
	if r.data.imported <= target {
		return nil
	}
	return []string{fmt.Sprintf("%s, %s over %s (%.1f ×)", seconds(r.data.imported), seconds(r.data.imported-target),
		seconds(target), float64(r.data.imported)/float64(target))}
}

func (r *report) memoryMisses() []string {
	if r.memErr != nil {
		return []string{"not measured: " + r.memErr.Error()}
	}
	if bytes := r.hwm * 1024; bytes > maxRSSBytes {
		return []string{fmt.Sprintf("%s, %s over %s", mb(bytes), mb(bytes-maxRSSBytes), mb(maxRSSBytes))}
	}
	return nil
}

func (r *report) memoryText(kb int64) string {
	if r.memErr != nil {
		return "–"
	}
	return mb(kb * 1024)
}

// allMisses lists every missed target, for the Why section.
func (r *report) allMisses() []string {
	var all []string
	add := func(what string, misses []string) {
		if len(misses) > 0 {
			all = append(all, "**"+what+"**: "+strings.Join(misses, "; "))
		}
	}
	for _, q := range r.results {
		if q.failure != "" {
			all = append(all, "**"+q.label()+"** failed: "+q.failure)
		}
		add(q.label()+", uncached", q.uncachedMisses())
		add(q.label()+", repeated", q.repeatedMisses())
	}
	target, _ := r.importTarget()
	add("import", r.importMisses(target))
	add("memory", r.memoryMisses())
	return all
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
