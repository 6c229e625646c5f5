// Package qmv decides whether the other Member States objected, by qualified
// majority, to an export denial notified under the human-rights catch-all for
// cyber-surveillance items. If they did not, the item goes on the EU-wide list and
// every export of it needs an authorisation in every Member State, so the verdict
// matters to everyone and the portal publishes the working, not just the answer:
// a Tally says who counted, who did not and why, and how close each threshold was.
//
// The rule is TFEU Art. 238(3)(a) applied to the states other than the notifying
// one: at least 55 % of them, rounded up, representing at least 65 % of their
// population in the Council's figures. Both thresholds are compared in integers:
// a float ceil(0.55*100) is 56, not 55, and a float share of a large population
// one person short of 65 % rounds to 0.65. The package is pure (no database, no
// clock) so every edge of the rule is a table test.
package qmv

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// The thresholds of TFEU Art. 238(3)(a), in percent.
const (
	statesPercent     = 55
	populationPercent = 65
)

// Objection is a Member State's objection to a notified denial.
type Objection struct {
	State string    // ISO 3166-1 alpha-2 code of the objecting state
	On    time.Time // when the objection was made
}

// Procedure is one notified denial as it stands on its objection deadline.
type Procedure struct {
	Notifying      string           // ISO code of the notifying state
	Deadline       time.Time        // objection deadline (an objection ON the deadline counts)
	Members        []string         // ISO codes of the Member States on the deadline (notifying one included)
	Population     map[string]int64 // population of each member for PopulationYear
	PopulationYear int              // the year of the Council figures used
	Objections     []Objection
}

// Ignored is an objection that did not count, with the reason shown to users.
type Ignored struct {
	State  string
	Reason string
}

// Tally is the outcome of a procedure with everything needed to check it by hand.
type Tally struct {
	Eligible            int       // other Member States
	Objecting           int       // objections counted
	Counted             []string  // the states counted, sorted
	Ignored             []Ignored // objections not counted, in the order they were made
	StatesShare         float64   // Objecting / Eligible
	StatesThreshold     int       // ceil(0.55 * Eligible)
	ObjectingPopulation int64     // population of the counted states
	EligiblePopulation  int64     // population of the other Member States
	PopulationShare     float64   // objecting population / eligible population
	PopulationThreshold float64   // 0.65
	PopulationYear      int       // the year of the Council figures used
	QualifiedMajority   bool      // both thresholds met
}

// maxPopulation keeps population*100 within int64 in the exact comparison.
const maxPopulation = math.MaxInt64 / 100

// Decide counts the objections of a procedure and says whether they form a
// qualified majority of the other Member States. It returns an error when the
// procedure cannot be counted: the notifying state is not a member, a member is
// listed twice or has no population, or there is no other member.
func Decide(p Procedure) (Tally, error) {
	eligible, total, err := others(p)
	if err != nil {
		return Tally{}, fmt.Errorf("qmv.Decide(notifying %q, deadline %s): %w",
			p.Notifying, p.Deadline.Format(time.DateOnly), err)
	}
	counted, ignored := sift(p)
	var pop int64
	for _, s := range counted {
		pop += p.Population[s]
	}
	t := Tally{
		Eligible:            eligible,
		Objecting:           len(counted),
		Counted:             counted,
		Ignored:             ignored,
		StatesShare:         float64(len(counted)) / float64(eligible),
		StatesThreshold:     (statesPercent*eligible + 99) / 100,
		ObjectingPopulation: pop,
		EligiblePopulation:  total,
		PopulationShare:     float64(pop) / float64(total),
		PopulationThreshold: populationPercent / 100.0,
		PopulationYear:      p.PopulationYear,
	}
	t.QualifiedMajority = t.StatesMet() && t.PopulationMet()
	return t, nil
}

// others returns how many other Member States there are and their population,
// refusing a procedure whose members would make the count meaningless.
func others(p Procedure) (int, int64, error) {
	if !slices.Contains(p.Members, p.Notifying) {
		return 0, 0, fmt.Errorf("notifying state %q is not among the members %v", p.Notifying, p.Members)
	}
	seen := make(map[string]bool, len(p.Members))
	var total int64
	for _, m := range p.Members {
		pop, ok := p.Population[m]
		switch {
		case seen[m]:
			return 0, 0, fmt.Errorf("member %q is listed twice", m)
		case !ok || pop <= 0:
			return 0, 0, fmt.Errorf("member %q has no population for %d", m, p.PopulationYear)
		case m == p.Notifying: // its population is never added
		case pop > maxPopulation-total:
			return 0, 0, fmt.Errorf("population of the other members exceeds %d", int64(maxPopulation))
		default:
			total += pop
		}
		seen[m] = true
	}
	if len(p.Members) < 2 {
		return 0, 0, errors.New("there are no other members to object")
	}
	return len(p.Members) - 1, total, nil
}

// sift splits the objections into the states counted (sorted) and the objections
// ignored. It goes through them in time order so that, of two objections by one
// state, the first that could count is the one that does.
func sift(p Procedure) ([]string, []Ignored) {
	objections := slices.Clone(p.Objections)
	slices.SortStableFunc(objections, func(a, b Objection) int { return a.On.Compare(b.On) })
	seen := make(map[string]bool)
	counted := []string{}
	var ignored []Ignored
	for _, o := range objections {
		if reason := whyIgnored(p, o, seen); reason != "" {
			ignored = append(ignored, Ignored{State: o.State, Reason: reason})
			continue
		}
		seen[o.State] = true
		counted = append(counted, o.State)
	}
	slices.Sort(counted)
	return counted, ignored
}

// whyIgnored returns why an objection does not count, or "" when it does.
func whyIgnored(p Procedure, o Objection, seen map[string]bool) string {
	switch {
	case o.State == p.Notifying:
		return "the notifying state"
	case !slices.Contains(p.Members, o.State):
		return "not a Member State on the deadline"
	case afterDeadline(o.On, p.Deadline):
		return "after the deadline (on " + o.On.In(p.Deadline.Location()).Format(time.DateOnly) + ")"
	case seen[o.State]:
		return "objected twice"
	}
	return ""
}

// afterDeadline compares calendar days where the deadline is set, because the
// deadline is a day: an objection at any hour of it is in time.
func afterDeadline(on, deadline time.Time) bool {
	return day(on.In(deadline.Location())).After(day(deadline))
}

// day returns the calendar day of t as a comparable instant.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// StatesMet reports whether enough states objected. Objecting >= the rounded-up
// threshold is the exact test; the float StatesShare is only for display.
func (t Tally) StatesMet() bool {
	return t.Eligible > 0 && t.Objecting >= t.StatesThreshold
}

// PopulationMet reports whether the objecting states hold enough of the population,
// in integers so that exactly 65 % passes.
func (t Tally) PopulationMet() bool {
	return t.EligiblePopulation > 0 && t.ObjectingPopulation*100 >= populationPercent*t.EligiblePopulation
}

// PopulationYear returns the year of the Council figures to use for a deadline in
// year: the latest available year not after it, else the earliest available year
// (figures before the first published ones are the best there are). It returns 0
// when no year is available.
func PopulationYear(available []int, year int) int {
	best, earliest := 0, 0
	found := false
	for i, y := range available {
		if i == 0 || y < earliest {
			earliest = y
		}
		if y <= year && (!found || y > best) {
			best, found = y, true
		}
	}
	if found {
		return best
	}
	return earliest
}

// Explanation returns the tally as one line for users, e.g. "14 of 26 states
// objected (53.8 % < 55 %), representing 71.2 % of their population (≥ 65 %): no
// qualified majority (Council figures for 2025)".
func (t Tally) Explanation() string {
	verdict := "no qualified majority"
	if t.QualifiedMajority {
		verdict = "a qualified majority objected"
	}
	states, statesSign := percent(t.StatesShare, t.StatesMet(), statesPercent)
	pop, popSign := percent(t.PopulationShare, t.PopulationMet(), populationPercent)
	return fmt.Sprintf("%d of %d states objected (%s %s %d %%), representing %s of their population (%s %d %%): %s (Council figures for %d)",
		t.Objecting, t.Eligible, states, statesSign, statesPercent, pop, popSign, populationPercent, verdict, t.PopulationYear)
}

// percent formats share with one decimal and the sign of its comparison with
// threshold. A share just short of the threshold is shown one tenth below it, so a
// user never reads "65.0 % < 65 %".
func percent(share float64, met bool, threshold int) (string, string) {
	shown := math.Round(share*1000) / 10
	if met {
		return fmt.Sprintf("%.1f %%", shown), "≥"
	}
	return fmt.Sprintf("%.1f %%", min(shown, float64(threshold)-0.1)), "<"
}
