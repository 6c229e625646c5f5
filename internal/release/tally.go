package release

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/dualuse-transparency/portal/internal/qmv"
)

// tallier is the reference data a qualified-majority tally needs, kept from Read so
// the Release can count the objections to any of its notifications later.
type tallier struct {
	members    map[string]span // by ISO code
	population map[int]map[string]int64
	years      []int // the years with population figures, sorted
}

func newTallier(ref Reference) *tallier {
	t := &tallier{
		members:    make(map[string]span, len(ref.MemberStates)),
		population: ref.Population,
		years:      slices.Sorted(maps.Keys(ref.Population)),
	}
	for iso, m := range ref.MemberStates {
		t.members[iso] = newSpan(m.From, m.Until)
	}
	return t
}

// membersOn returns the Member States on date, sorted.
func (t *tallier) membersOn(date time.Time) []string {
	var members []string
	for _, iso := range slices.Sorted(maps.Keys(t.members)) {
		if t.members[iso].contains(date) {
			members = append(members, iso)
		}
	}
	return members
}

// tally counts the objections to n among objections: the states that count are the
// members on the deadline, weighed by the Council's figures for the deadline's year
// or the nearest earlier year that has figures.
func (t *tallier) tally(n Notification, objections []Objection) (qmv.Tally, error) {
	if t == nil {
		return qmv.Tally{}, errors.New("no reference data: the release was not read by release.Read")
	}
	year := qmv.PopulationYear(t.years, n.Deadline.Year())
	if year == 0 {
		return qmv.Tally{}, errors.New("the reference data has no Council population figures")
	}
	p := qmv.Procedure{
		Notifying:      n.NotifyingState,
		Deadline:       n.Deadline,
		Members:        t.membersOn(n.Deadline),
		Population:     t.population[year],
		PopulationYear: year,
	}
	for _, o := range objections {
		if o.NotificationID == n.ID {
			p.Objections = append(p.Objections, qmv.Objection{State: o.State, On: o.On})
		}
	}
	return qmv.Decide(p)
}

// Tally counts the objections of the release to n and says whether they formed a
// qualified majority of the other Member States, with the reference data the release
// was read against.
func (r *Release) Tally(n Notification) (qmv.Tally, error) {
	t, err := r.tallier.tally(n, r.Objections)
	if err != nil {
		return qmv.Tally{}, fmt.Errorf("release.Tally(%s): %w", n.ID, err)
	}
	return t, nil
}

// TallyOf counts the objections to n with the reference data ref: what Release.Tally
// does for a release as read, for notifications loaded from elsewhere, such as the
// database, so that the rule is applied by one piece of code.
func TallyOf(ref Reference, n Notification, objections []Objection) (qmv.Tally, error) {
	t, err := newTallier(ref).tally(n, objections)
	if err != nil {
		return qmv.Tally{}, fmt.Errorf("release.TallyOf(%s): %w", n.ID, err)
	}
	return t, nil
}
