package main

import (
	"slices"
	"strings"
)

// singletonMax is the largest published count the attacker reads as one decision. A
// row exists only where the true count is at least 1, and in a table this fine almost
// every cell holds one decision, so a published 0 to 3 (1 with noise of -1 to +2) is
// most likely a 1 (a count of 2 publishes 3 less often than a 1 does, given how rare it is).
const singletonMax = 3

// crossTable is a published table of one period: its dimensions and rows.
type crossTable struct {
	dims []string
	rows []cellRow
}

// cellRow is a row: its dimension values and its published count (known: a number).
type cellRow struct {
	vals  map[string]string
	count float64
	known bool
}

func (c cellRow) single() bool { return c.known && c.count <= singletonMax }

// record is what the attacker knows of the decisions of one cell: the values of the
// dimensions it learnt, and whether the cell is (it believes) one decision.
type record struct {
	vals   map[string]string
	single bool
}

// link joins tables of the same decisions grouped by different dimensions into
// records. It starts from the rows of the table with most dimensions and, for each
// other table, gives a record the values of a row of it when the two are the only
// ones to agree on their shared dimensions and both are single decisions: then they
// are the same decision. Two passes let a value learnt from one table link another.
func link(ts []crossTable) []*record {
	if len(ts) == 0 {
		return nil
	}
	ts = slices.Clone(ts)
	slices.SortStableFunc(ts, func(a, b crossTable) int { return len(b.dims) - len(a.dims) })
	base := ts[0]
	recs := make([]*record, len(base.rows))
	for i, row := range base.rows {
		recs[i] = &record{vals: cloneMap(row.vals), single: row.single()}
	}
	for range 2 {
		for _, b := range ts[1:] {
			joinTable(recs, base.dims, b)
		}
	}
	return recs
}

// joinTable gives records the dimensions of table b where a record and a row of b are
// each the only one matching the other on the dimensions they share.
func joinTable(recs []*record, base []string, b crossTable) {
	shared := intersect(base, b.dims)
	byBase := map[string][]*record{}
	for _, r := range recs {
		k := project(r.vals, shared)
		byBase[k] = append(byBase[k], r)
	}
	for _, r := range recs {
		k := knownDims(r, b.dims)
		if !r.single || len(k) == 0 || len(k) == len(b.dims) {
			continue
		}
		if compatible(byBase[project(r.vals, shared)], r, k) != 1 {
			continue
		}
		match, ok := onlyMatch(b.rows, r, k)
		if ok && match.single() {
			for d, v := range match.vals {
				r.vals[d] = v
			}
		}
	}
}

// knownDims are the dimensions of dims the record has a value for.
func knownDims(r *record, dims []string) []string {
	var out []string
	for _, d := range dims {
		if _, ok := r.vals[d]; ok {
			out = append(out, d)
		}
	}
	return out
}

// compatible counts the records that could be the same cell as r on dims: those that
// agree with it on every dimension of dims they know.
func compatible(candidates []*record, r *record, dims []string) int {
	n := 0
	for _, c := range candidates {
		agree := true
		for _, d := range dims {
			if v, ok := c.vals[d]; ok && v != r.vals[d] {
				agree = false
				break
			}
		}
		if agree {
			n++
		}
	}
	return n
}

// onlyMatch is the one row of rows that agrees with r on dims, if exactly one does.
func onlyMatch(rows []cellRow, r *record, dims []string) (cellRow, bool) {
	var found cellRow
	n := 0
	for _, row := range rows {
		if project(row.vals, dims) == project(r.vals, dims) {
			found, n = row, n+1
		}
	}
	return found, n == 1
}

// complete are the records that know every dimension and are single decisions: the
// attacker's claims.
func complete(recs []*record, dims []string) []map[string]string {
	var out []map[string]string
	for _, r := range recs {
		if r.single && len(knownDims(r, dims)) == len(dims) {
			out = append(out, r.vals)
		}
	}
	return out
}

func project(vals map[string]string, dims []string) string {
	parts := make([]string, len(dims))
	for i, d := range dims {
		parts[i] = vals[d]
	}
	return strings.Join(parts, "\x00")
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
