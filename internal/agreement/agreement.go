// Package agreement counts the procedure of Article 5 of Regulation (EU) 2021/821 as
// adopted, which has no vote: a Member State that imposes an authorisation requirement
// for a non-listed cyber-surveillance item provides the other Member States and the
// Commission with the relevant information (Art. 5(4)); the others consider it and
// review it; and only where all Member States notify each other and the Commission
// that a requirement should be imposed for essentially identical transactions does the
// Commission publish the items, and where appropriate the destinations, in the C
// series of the Official Journal. So an item is published when every Member State
// agrees; one state that does not agree is enough for nothing to be published.
// (docs/catch-all-procedures.md quotes the texts and says which paragraph numbers
// were read in the primary text.)
//
// Who counts: the Member States on the day of the count other than the notifying one
// (its requirement is its agreement). An agreement counts when its state was a Member
// State both on the day it agreed and on the day of the count. The package is pure,
// like package qmv, so every edge is a table test.
package agreement

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/i18n"
	"github.com/dualuse-transparency/portal/internal/qmv"
)

// Rule names the rule this package applies and where it is written, for every tally.
const Rule = "publication when all Member States agree, by Article 5 of Regulation (EU) 2021/821"

// Agreement is a Member State's notice that an authorisation requirement should be
// imposed for essentially identical transactions.
type Agreement struct {
	State string
	On    time.Time
}

// Procedure is one notified requirement as it stands on a day.
type Procedure struct {
	Notifying  string
	On         time.Time // the day of the count
	Membership map[string]qmv.Span
	Agreements []Agreement
}

// Tally says who agreed by the day of the count and who did not.
type Tally struct {
	Eligible  int           // the other Member States on the day
	Agreed    []string      // the states whose agreement counts, sorted
	Missing   []string      // the other Member States that had not agreed, sorted
	Ignored   []qmv.Ignored // agreements that do not count, and why
	AllAgreed bool
}

// Count counts the agreements made by the day of the count.
func Count(p Procedure) (Tally, error) {
	var eligible []string
	for _, s := range slices.Sorted(maps.Keys(p.Membership)) {
		if s != p.Notifying && p.Membership[s].Contains(p.On) {
			eligible = append(eligible, s)
		}
	}
	if len(eligible) == 0 {
		return Tally{}, errors.New("agreement.Count: there are no other Member States")
	}
	agreed := map[string]bool{}
	t := Tally{Eligible: len(eligible)}
	ordered := slices.Clone(p.Agreements)
	slices.SortStableFunc(ordered, func(a, b Agreement) int { return a.On.Compare(b.On) })
	for _, a := range ordered {
		reason := ""
		switch {
		case a.State == p.Notifying:
			reason = "the notifying state"
		case dayOf(a.On.In(p.On.Location())).After(dayOf(p.On)):
			continue // not made yet on the day of the count (any hour of it counts)
		case !slices.Contains(eligible, a.State):
			reason = "not a Member State on " + p.On.Format(time.DateOnly)
		case !p.Membership[a.State].Contains(a.On):
			reason = "not a Member State on the day it agreed (" + a.On.Format(time.DateOnly) + ")"
		case agreed[a.State]:
			reason = "agreed twice"
		}
		if reason != "" {
			t.Ignored = append(t.Ignored, qmv.Ignored{State: a.State, Reason: reason})
			continue
		}
		agreed[a.State] = true
	}
	for _, s := range eligible {
		if agreed[s] {
			t.Agreed = append(t.Agreed, s)
		} else {
			t.Missing = append(t.Missing, s)
		}
	}
	t.AllAgreed = len(t.Missing) == 0
	return t, nil
}

// Explanation returns the tally in one line, naming the rule.
func (t Tally) Explanation() string { return t.ExplanationIn(i18n.EN) }

// ExplanationIn is Explanation in language l.
func (t Tally) ExplanationIn(l i18n.Lang) string {
	line := i18n.Sprintf(l, "%d of the %d other Member States agreed that the requirement should apply to essentially identical transactions", len(t.Agreed), t.Eligible)
	switch {
	case t.AllAgreed:
		line += i18n.Translate(l, ": all Member States agree, so the Commission publishes the item")
	case len(t.Missing) <= 5:
		line += i18n.Sprintf(l, "; not yet %s: publication needs every Member State", strings.Join(t.Missing, ", "))
	default:
		line += i18n.Translate(l, ": publication needs every Member State")
	}
	return line + i18n.Translate(l, " (Article 5 of Regulation (EU) 2021/821)")
}

// Rule names the rule the tally applied, with its legal source.
func (t Tally) Rule() string { return Rule }

// dayOf returns the calendar day of t as a comparable instant.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
