// Package qmv decides whether the other Member States objected, by qualified
// majority, to an export denial notified under the human-rights catch-all for
// cyber-surveillance items. If they did not, the item goes on the EU-wide list and
// every export of it needs an authorisation in every Member State, so the verdict
// matters to everyone and the portal publishes the working, not just the answer:
// a Tally says who counted, who did not and why, and how close each threshold was.
//
// This is the procedure of the European Parliament's position at first reading of
// 17 January 2018 on the recast of the dual-use regulation; the Regulation as adopted,
// (EU) 2021/821, has no objection vote (package agreement counts its procedure).
//
// The rule is TFEU Art. 238(3)(a) in full, the "participating" Member States being
// the states other than the notifying one: a qualified majority is at least 55 % of
// them, rounded up, representing at least 65 % of their population; and a blocking
// minority must include at least the minimum number of them representing more than
// 35 % of their population, plus one, failing which the qualified majority is deemed
// attained. Every threshold is compared in integers: a float ceil(0.55*100) is 56,
// not 55, and a float share of a large population one person short of 65 % rounds to
// 0.65. The package is pure (no database, no clock) so every edge of the rule is a
// table test.
//
// Who counts: the other Member States are the members on the deadline except the
// notifying state (which need not be a member on the deadline itself: had it left in
// the window, the others would still decide). An objection counts when its state was
// a Member State both on the day it objected and on the deadline; a state that joins
// inside the window is one of the others and may object from the day it joined, and a
// state that leaves inside the window is not, whatever it did before it left.
package qmv

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/dualuse-transparency/portal/internal/i18n"
)

// The thresholds of TFEU Art. 238(3)(a), in percent.
const (
	statesPercent     = 55
	populationPercent = 65
	blockingPercent   = 35 // a blocking minority's population must be MORE than this
)

// Rule names the rule this package applies and where it is written, for every tally.
const Rule = "qualified majority of the other Member States by Article 238(3)(a) TFEU, blocking-minority clause included"

// Objection is a Member State's objection to a notified denial.
type Objection struct {
	State string    // ISO 3166-1 alpha-2 code of the objecting state
	On    time.Time // when the objection was made
}

// Span is when a state was a Member State: from its first day to its last (Until
// nil while it is one).
type Span struct {
	From  time.Time
	Until *time.Time
}

// Contains reports whether the state was a member on the day of t.
func (s Span) Contains(t time.Time) bool {
	d := day(t)
	return !d.Before(day(s.From)) && (s.Until == nil || !d.After(day(*s.Until)))
}

// Procedure is one notified denial as it stands on its objection deadline.
type Procedure struct {
	Notifying  string          // ISO code of the notifying state
	Deadline   time.Time       // objection deadline (an objection ON the deadline counts)
	Membership map[string]Span // every state that was ever a member, by ISO code
	Weights    Weights         // the population of each other member, and whose figures
	Objections []Objection
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
	// BlockingMinimum is the number of members a blocking minority needs: the fewest
	// of the others that hold more than 35 % of their population, plus one.
	BlockingMinimum int
	// NotObjecting are the others that did not object: the would-be blocking minority.
	NotObjecting int
	// DeemedAttained: the population threshold was missed, but the states that did not
	// object are fewer than BlockingMinimum, so the qualified majority is deemed attained.
	DeemedAttained    bool
	QualifiedMajority bool // at least 55 % of the states and (65 % of the population or no blocking minority)
	Weights           Weights
}

// maxPopulation keeps population*100 within int64 in the exact comparison.
const maxPopulation = math.MaxInt64 / 100

// Decide counts the objections of a procedure and says whether they form a
// qualified majority of the other Member States. It returns an error when the
// procedure cannot be counted: there is no other member, or one has no population.
func Decide(p Procedure) (Tally, error) {
	eligible, err := others(p)
	if err != nil {
		return Tally{}, fmt.Errorf("qmv.Decide(notifying %q, deadline %s): %w",
			p.Notifying, p.Deadline.Format(time.DateOnly), err)
	}
	var total, pop int64
	for _, s := range eligible {
		total += p.Weights.Population[s]
	}
	counted, ignored := sift(p, eligible)
	for _, s := range counted {
		pop += p.Weights.Population[s]
	}
	t := Tally{
		Eligible:            len(eligible),
		Objecting:           len(counted),
		Counted:             counted,
		Ignored:             ignored,
		StatesShare:         float64(len(counted)) / float64(len(eligible)),
		StatesThreshold:     (statesPercent*len(eligible) + 99) / 100,
		ObjectingPopulation: pop,
		EligiblePopulation:  total,
		PopulationShare:     float64(pop) / float64(total),
		PopulationThreshold: populationPercent / 100.0,
		BlockingMinimum:     blockingMinimum(eligible, p.Weights.Population, total),
		NotObjecting:        len(eligible) - len(counted),
		Weights:             p.Weights,
	}
	blocked := t.NotObjecting >= t.BlockingMinimum
	t.DeemedAttained = t.StatesMet() && !t.PopulationMet() && !blocked
	t.QualifiedMajority = t.StatesMet() && (t.PopulationMet() || !blocked)
	return t, nil
}

// blockingMinimum is the fewest of the states holding more than 35 % of their total
// population (the largest first), plus one member.
func blockingMinimum(states []string, population map[string]int64, total int64) int {
	pops := make([]int64, len(states))
	for i, s := range states {
		pops[i] = population[s]
	}
	slices.SortFunc(pops, func(a, b int64) int { return cmp.Compare(b, a) })
	var sum int64
	for i, p := range pops {
		sum += p
		if sum*100 > blockingPercent*total {
			return i + 2
		}
	}
	return len(states) + 1 // unreachable with a positive total
}

// others returns the other Member States on the deadline, sorted, refusing a
// procedure whose members would make the count meaningless.
func others(p Procedure) ([]string, error) {
	var eligible []string
	var total int64
	for _, s := range slices.Sorted(maps.Keys(p.Membership)) {
		if s == p.Notifying || !p.Membership[s].Contains(p.Deadline) {
			continue
		}
		pop, ok := p.Weights.Population[s]
		switch {
		case !ok || pop <= 0:
			return nil, fmt.Errorf("member %q has no population for %d", s, p.Weights.Year)
		case pop > maxPopulation-total:
			return nil, fmt.Errorf("population of the other members exceeds %d", int64(maxPopulation))
		}
		total += pop
		eligible = append(eligible, s)
	}
	if len(eligible) == 0 {
		return nil, errors.New("there are no other members to object")
	}
	return eligible, nil
}

// sift splits the objections into the states counted (sorted) and the objections
// ignored. It goes through them in time order so that, of two objections by one
// state, the first that could count is the one that does.
func sift(p Procedure, eligible []string) ([]string, []Ignored) {
	objections := slices.Clone(p.Objections)
	slices.SortStableFunc(objections, func(a, b Objection) int { return a.On.Compare(b.On) })
	seen := make(map[string]bool)
	counted := []string{}
	var ignored []Ignored
	for _, o := range objections {
		if reason := whyIgnored(p, eligible, o, seen); reason != "" {
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
func whyIgnored(p Procedure, eligible []string, o Objection, seen map[string]bool) string {
	on := o.On.In(p.Deadline.Location()).Format(time.DateOnly)
	switch {
	case o.State == p.Notifying:
		return "the notifying state"
	case !slices.Contains(eligible, o.State):
		return "not a Member State on the deadline"
	case !p.Membership[o.State].Contains(o.On.In(p.Deadline.Location())):
		return "not yet a Member State on the day it objected (" + on + ")"
	case afterDeadline(o.On, p.Deadline):
		return "after the deadline (on " + on + ")"
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

// Explanation returns the tally as one line for users, e.g. "14 of 26 states
// objected (53.8 % < 55 %), representing 71.2 % of their population (≥ 65 %): no
// qualified majority (Article 238(3)(a) TFEU; Eurostat population on 1 January 2024)".
func (t Tally) Explanation() string { return t.ExplanationIn(i18n.EN) }

// ExplanationIn is Explanation in language l (numbers keep the decimal point).
func (t Tally) ExplanationIn(l i18n.Lang) string {
	states, statesSign := percent(t.StatesShare, t.StatesMet(), statesPercent)
	pop, popSign := percent(t.PopulationShare, t.PopulationMet(), populationPercent)
	line := i18n.Sprintf(l, "%d of %d states objected (%s %s %d %%), representing %s of their population (%s %d %%)",
		t.Objecting, t.Eligible, states, statesSign, statesPercent, pop, popSign, populationPercent)
	switch {
	case t.DeemedAttained:
		line += i18n.Sprintf(l, ", but the %d that did not object are fewer than the %d members a blocking minority needs: a qualified majority is deemed attained",
			t.NotObjecting, t.BlockingMinimum)
	case t.QualifiedMajority:
		line += i18n.Translate(l, ": a qualified majority objected")
	default:
		line += i18n.Translate(l, ": no qualified majority")
	}
	if t.Weights.Note != "" {
		return line + i18n.Sprintf(l, " (Article 238(3)(a) TFEU; %s; %s)", t.PopulationSourceIn(l), *t.PopulationNoteIn(l))
	}
	return line + i18n.Sprintf(l, " (Article 238(3)(a) TFEU; %s)", t.PopulationSourceIn(l))
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

// Rule names the rule the tally applied, with its legal source.
func (t Tally) Rule() string { return Rule }

// PopulationYear is the year of the population figures the tally used.
func (t Tally) PopulationYear() int { return t.Weights.Year }

// PopulationSource says whose population figures the tally used.
func (t Tally) PopulationSource() string { return t.Weights.Source }

// PopulationNote says why the figures are not the deadline year's; nil when they are.
func (t Tally) PopulationNote() *string { return t.PopulationNoteIn(i18n.EN) }

// PopulationSourceIn is PopulationSource in language l (the acts named stay as cited).
func (t Tally) PopulationSourceIn(l i18n.Lang) string {
	if t.Weights.SourceMsg.IsZero() {
		return i18n.Translate(l, t.Weights.Source)
	}
	return t.Weights.SourceMsg.String(l)
}

// PopulationNoteIn is PopulationNote in language l.
func (t Tally) PopulationNoteIn(l i18n.Lang) *string {
	if t.Weights.Note == "" {
		return nil
	}
	s := i18n.Translate(l, t.Weights.Note)
	if !t.Weights.NoteMsg.IsZero() {
		s = t.Weights.NoteMsg.String(l)
	}
	return &s
}
