package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// decision is one licence decision as the database holds it: the truth the attacks
// are scored against. Nothing of it is ever given to an attack.
type decision struct {
	id       string
	ms       string
	date     time.Time
	lt       string // licence type
	outcome  string
	dest     string
	eut      string   // end-user type
	entries  []string // one per line, "" for a non-listed item
	cents    []int64  // the value of each line in cents, -1 when unknown
	exporter int
	grounds  []string
}

// value is the decision's value in EUR, and whether every line of it is known.
func (d *decision) value() (float64, bool) {
	var sum int64
	for _, c := range d.cents {
		if c < 0 {
			return 0, false
		}
		sum += c
	}
	return float64(sum) / 100, true
}

// hasEntry reports whether the decision has a line of exactly this entry.
func (d *decision) hasEntry(entry string) bool { return slices.Contains(d.entries, entry) }

// matchesEntryFilter reports whether a filter on entry selects the decision: the API's
// filter takes an entry with its sub-items (5A001 includes 5A001.j).
func (d *decision) matchesEntryFilter(entry string) bool {
	return slices.ContainsFunc(d.entries, func(e string) bool { return e == entry || strings.HasPrefix(e, entry+".") })
}

// attr is the value of one of the six attributes of a decision; the control entry
// has several values, so it is checked with hasEntry instead.
func (d *decision) attr(dim string) string {
	switch dim {
	case dimMS:
		return d.ms
	case dimDest:
		return d.dest
	case dimLT:
		return d.lt
	case dimEUT:
		return d.eut
	case dimOutcome:
		return d.outcome
	}
	return ""
}

// truth is every decision of a release.
type truth struct {
	release   string
	decisions []*decision
	byID      map[string]*decision
}

// readTruth reads the decisions of a release, one line per decision and control entry.
func readTruth(ctx context.Context, dbURL, release string) (_ *truth, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("read the truth of release %s: %w", release, err)
		}
	}()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `
		SELECT decision_id, member_state, decision_date, licence_type, outcome, destination,
		       end_user_type, coalesce(control_entry, ''), coalesce(value_cents, -1), exporter_no,
		       denial_grounds
		FROM decisions
		WHERE release_id = $1
		ORDER BY decision_id, control_entry`, release)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	t := &truth{release: release, byID: map[string]*decision{}}
	for rows.Next() {
		if err := t.scanLine(rows); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(t.decisions) == 0 {
		return nil, fmt.Errorf("no decisions")
	}
	return t, nil
}

// scanLine adds one line to its decision.
func (t *truth) scanLine(rows pgx.Rows) error {
	var l decision
	var entry string
	var cents int64
	if err := rows.Scan(&l.id, &l.ms, &l.date, &l.lt, &l.outcome, &l.dest, &l.eut, &entry, &cents, &l.exporter, &l.grounds); err != nil {
		return err
	}
	d := t.byID[l.id]
	if d == nil {
		d = &l
		d.ms, d.dest = strings.TrimSpace(d.ms), strings.TrimSpace(d.dest)
		t.byID[l.id] = d
		t.decisions = append(t.decisions, d)
	}
	d.entries = append(d.entries, entry)
	d.cents = append(d.cents, cents)
	return nil
}

// between returns the decisions dated from..to, both included.
func (t *truth) between(from, to time.Time) []*decision {
	var out []*decision
	for _, d := range t.decisions {
		if !d.date.Before(from) && !d.date.After(to) {
			out = append(out, d)
		}
	}
	return out
}

// count is the number of decisions of the period that match.
func count(ds []*decision, match func(*decision) bool) int {
	n := 0
	for _, d := range ds {
		if match(d) {
			n++
		}
	}
	return n
}
