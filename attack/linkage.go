package main

import (
	"context"
	"fmt"
	"strings"
)

// linkageMargin is how far above the best constant guess the attacker's accuracy may be.
const linkageMargin = 0.05

// linkageKind is a kind of cell the attacker reads value statuses from.
type linkageKind struct {
	name string
	g    grain
	dims []string
}

// linkageKinds are the cells read: every kind the API answers is used.
var linkageKinds = []linkageKind{
	{"month × Member State × destination", grainMonth, []string{dimMS, dimDest}},
	{"month × destination × licence type", grainMonth, []string{dimDest, dimLT}},
	{"month × Member State × licence type", grainMonth, []string{dimMS, dimLT}},
	{"month × destination", grainMonth, []string{dimDest}},
	{"quarter × Member State × destination", grainQuarter, []string{dimMS, dimDest}},
	{"quarter × destination", grainQuarter, []string{dimDest}},
	{"year × Member State × destination", grainYear, []string{dimMS, dimDest}},
	{"year × destination", grainYear, []string{dimDest}},
	{"year × destination × end-user type", grainYear, []string{dimDest, dimEUT}},
}

// triple is a published cell of three decisions, and what the attacker guessed of it.
type triple struct {
	shared  bool // truth: two of the three decisions share an exporter
	guessed bool
}

// exporterLinkage (attack 5) reads the value status and note of cells that hold three
// decisions and guesses "two of them share an exporter" when the value is withheld by
// the rule of too few exporters (or withheld with a note that names no other rule).
func exporterLinkage(ctx context.Context, e *env, r *result) error {
	r.threshold = fmt.Sprintf("accuracy > best constant guess + %.0f points, the excess over it significant at 5 %% (exact binomial test, one-sided)", linkageMargin*100)
	var all []triple
	for _, kind := range linkageKinds {
		if kind.g < e.grain {
			continue
		}
		tables, err := fetchTables(ctx, e.api, r.cnt, linkageQueries(e, kind))
		if err != nil {
			scoreLinkage(r, all)
			return err
		}
		if tables[0].refusal != nil {
			r.notef("%s refused (%s)", kind.name, tables[0].refusal)
			continue
		}
		ts := triples(e.truth, tables, kind, notesNameRules(tables))
		right, shared, _ := tally(ts)
		r.figuref(kind.name, "%d cells of three decisions, %d with a shared exporter, %d guessed right", len(ts), shared, right)
		all = append(all, ts...)
	}
	scoreLinkage(r, all)
	return nil
}

// linkageQueries are the tables of a kind over consecutive periods of a year inside
// the release: as many periods as a year has, at most 12.
func linkageQueries(e *env, kind linkageKind) []tableQuery {
	year := e.periodEnd.Year() - 1
	var qs []tableQuery
	for _, p := range kind.g.units(month(year, 1), month(year, 12)) {
		from, to := kind.g.span(p)
		qs = append(qs, tableQuery{release: e.release, filter: filter{}.period(from, to), groupBy: kind.dims, measures: withValues})
		if len(qs) == max(3, min(12, 4*e.o.months)) {
			break
		}
	}
	return qs
}

// triples are the rows of the tables that hold exactly three decisions, with the
// truth and the attacker's guess.
func triples(t *truth, tables []table, kind linkageKind, rules bool) []triple {
	var out []triple
	for _, tb := range tables {
		if tb.refusal != nil {
			continue
		}
		ds := t.between(tb.query.filter.from, tb.query.filter.to)
		byCell := map[string][]*decision{}
		for _, d := range ds {
			k := cellKey(d, kind.dims)
			byCell[k] = append(byCell[k], d)
		}
		for _, row := range tb.rows {
			cell := byCell[project(row.dims, kind.dims)]
			if len(cell) == 3 {
				out = append(out, triple{shared: exporters(cell) < 3, guessed: rules && guessShared(row.valueApplied)})
			}
		}
	}
	return out
}

func cellKey(d *decision, dims []string) string {
	vals := map[string]string{}
	for _, dim := range dims {
		vals[dim] = d.attr(dim)
	}
	return project(vals, dims)
}

func exporters(ds []*decision) int {
	seen := map[int]bool{}
	for _, d := range ds {
		seen[d.exporter] = true
	}
	return len(seen)
}

// notesNameRules reports whether the notes of withheld values tell rules apart: two
// different notes at least (leaving out what they say of unknown values). When every
// withheld value has the same note, the note says nothing, and a small cell's value is
// withheld whoever its exporters are: the attacker guesses "not shared", its prior.
func notesNameRules(tables []table) bool {
	notes := map[string]bool{}
	for _, t := range tables {
		for _, r := range t.rows {
			if r.valueApplied.Status == "CONFIDENTIAL" {
				rule, _, _ := strings.Cut(r.valueApplied.note(), ";")
				notes[rule] = true
			}
		}
	}
	return len(notes) > 1
}

// guessShared is the attacker's reading of a value's status and note. Withheld means
// two decisions share an exporter (the threshold rule), unless the note says that
// decisions lack a value (which also makes too few exporters) or names the dominance
// rule alone (which applies only once the exporters are enough). A note that names
// every rule says nothing more than the status.
func guessShared(m measure) bool {
	note := strings.ToLower(m.note())
	dominance := strings.Contains(note, "makes up more than")
	threshold := strings.Contains(note, "exporters")
	switch {
	case m.Status != "CONFIDENTIAL":
		return false
	case strings.Contains(note, "no value"):
		return false
	case dominance && !threshold:
		return false
	}
	return true
}

// tally counts the right guesses, the shared exporters and the guesses of sharing.
func tally(ts []triple) (right, shared, guessed int) {
	for _, t := range ts {
		if t.shared == t.guessed {
			right++
		}
		if t.shared {
			shared++
		}
		if t.guessed {
			guessed++
		}
	}
	return right, shared, guessed
}

// scoreLinkage compares the guesses with the truth and with the best constant guess.
func scoreLinkage(r *result, ts []triple) {
	right, shared, guessed := tally(ts)
	n := len(ts)
	r.targets = n
	if n == 0 {
		r.judge(false, "no cell of three decisions published")
		return
	}
	acc, base := float64(right)/float64(n), bestConstant(shared, n)
	lo, hi := wilson(right, n, 1.96)
	pValue := pAbove(right, n, base)
	r.figuref("cells of three decisions", "%d, %d with a shared exporter (base rate %.1f %%), %d guessed shared", n, shared, 100*float64(shared)/float64(n), guessed)
	r.figuref("accuracy", "%.1f %% (95 %% CI %.1f to %.1f %%) against the best constant guess, %.1f %%", acc*100, lo*100, hi*100, base*100)
	r.figuref("excess", "%+.1f points (95 %% CI %+.1f to %+.1f); one-sided p = %.2g that chance does as well", (acc-base)*100, (lo-base)*100, (hi-base)*100, pValue)
	r.judge(acc-base > linkageMargin && pValue < significance, fmt.Sprintf("accuracy %.1f %% vs best constant %.1f %% (n = %d)", acc*100, base*100, n))
}
