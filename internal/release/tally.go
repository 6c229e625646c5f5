package release

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/dualuse-transparency/portal/internal/agreement"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/qmv"
)

// tallier is the reference data a tally needs, kept from Read so the Release can
// count the responses to any of its notifications later.
type tallier struct {
	membership map[string]qmv.Span // by ISO code
	figures    qmv.Figures
}

func newTallier(ref Reference) *tallier {
	t := &tallier{membership: make(map[string]qmv.Span, len(ref.MemberStates)), figures: ref.Population}
	for iso, m := range ref.MemberStates {
		t.membership[iso] = qmv.Span{From: m.From, Until: m.Until}
	}
	return t
}

// others returns the Member States on date except the notifying one, sorted.
func (t *tallier) others(notifying string, date time.Time) []string {
	var states []string
	for _, iso := range slices.Sorted(maps.Keys(t.membership)) {
		if iso != notifying && t.membership[iso].Contains(date) {
			states = append(states, iso)
		}
	}
	return states
}

// tally counts the objections to n among objections by the rule of the Parliament's
// 2018 position: the states that count are the other members on the deadline, weighed
// by the population figures of the deadline's year (qmv.Figures.For says which when
// that year has a gap).
func (t *tallier) tally(n Notification, objections []Objection) (qmv.Tally, error) {
	if t == nil {
		return qmv.Tally{}, errors.New("no reference data: the release was not read by release.Read")
	}
	if n.Procedure != codes.EPPosition2018 {
		return qmv.Tally{}, fmt.Errorf("%s has no objection vote", n.Procedure)
	}
	weights, err := t.figures.For(n.Deadline.Year(), t.others(n.NotifyingState, n.Deadline))
	if err != nil {
		return qmv.Tally{}, err
	}
	p := qmv.Procedure{Notifying: n.NotifyingState, Deadline: n.Deadline, Membership: t.membership, Weights: weights}
	for _, o := range objections {
		if o.NotificationID == n.ID {
			p.Objections = append(p.Objections, qmv.Objection{State: o.State, On: o.On})
		}
	}
	return qmv.Decide(p)
}

// agreed counts the agreements to n made by the day on, by the rule of Article 5 of
// Regulation (EU) 2021/821.
func (t *tallier) agreed(n Notification, agreements []Agreement, on time.Time) (agreement.Tally, error) {
	if t == nil {
		return agreement.Tally{}, errors.New("no reference data: the release was not read by release.Read")
	}
	if n.Procedure != codes.Article5 {
		return agreement.Tally{}, fmt.Errorf("%s does not publish on agreement", n.Procedure)
	}
	p := agreement.Procedure{Notifying: n.NotifyingState, On: on, Membership: t.membership}
	for _, a := range agreements {
		if a.NotificationID == n.ID {
			p.Agreements = append(p.Agreements, agreement.Agreement{State: a.State, On: a.On})
		}
	}
	return agreement.Count(p)
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

// AgreementOf counts the agreements to an Article 5 notification made by the day on,
// with the reference data ref.
func AgreementOf(ref Reference, n Notification, agreements []Agreement, on time.Time) (agreement.Tally, error) {
	t, err := newTallier(ref).agreed(n, agreements, on)
	if err != nil {
		return agreement.Tally{}, fmt.Errorf("release.AgreementOf(%s): %w", n.ID, err)
	}
	return t, nil
}
