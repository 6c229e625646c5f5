package release

import (
	"fmt"
	"time"

	"github.com/dualuse-transparency/portal/internal/agreement"
	"github.com/dualuse-transparency/portal/internal/codes"
)

// The columns of agreements.csv, in file order.
const (
	agrNotification = iota
	agrState
	agrOn
)

// agreementTable reads agreements.csv: under Article 5 of Regulation (EU) 2021/821,
// each Member State that notified the others and the Commission that the requirement
// should be imposed for essentially identical transactions, and when.
var agreementTable = table[Agreement]{
	file:   agreementsFile,
	newRow: func(line int) Agreement { return Agreement{Line: line} },
	columns: []column[Agreement]{
		agrNotification: {"notification_id", func(_ *procedureReader, a *Agreement, s string) error {
			a.NotificationID = s
			return required(s)
		}},
		agrState: {"member_state", func(r *procedureReader, a *Agreement, s string) (err error) {
			a.State, err = r.state(s)
			return err
		}},
		agrOn: {"agreed_on", func(r *procedureReader, a *Agreement, s string) (err error) {
			a.On, err = r.date(s)
			return err
		}},
	},
	rules: []rule[Agreement]{
		{agrNotification, []int{agrNotification}, func(r *procedureReader, a *Agreement) error { return r.known(a.NotificationID) }},
		{agrNotification, []int{agrNotification}, func(r *procedureReader, a *Agreement) error {
			return r.follows(a.NotificationID, codes.Article5, "an agreement", objectionsFile)
		}},
		{agrState, []int{agrNotification, agrState, agrOn}, (*procedureReader).agreerEligible},
		{agrOn, []int{agrNotification, agrOn}, (*procedureReader).agreedInTime},
	},
}

// agreerEligible requires another Member State than the notifying one (its
// requirement is its agreement), a member on the day it agreed.
func (r *procedureReader) agreerEligible(a *Agreement) error {
	n := r.notification(a.NotificationID, notifState)
	switch {
	case n == nil:
		return nil
	case a.State == n.NotifyingState:
		return fmt.Errorf("agreement by the notifying state %s, whose requirement it is", a.State)
	}
	if err := r.memberOn(a.State, a.On); err != nil {
		return fmt.Errorf("%w, the day it agreed", err)
	}
	return nil
}

// agreedInTime requires an agreement after the notification and not after its
// withdrawal. An agreement after the review period is accepted: Article 5 sets no
// end to agreeing, only to the review.
func (r *procedureReader) agreedInTime(a *Agreement) error {
	n := r.notification(a.NotificationID, notifOn, notifWithdrawn)
	switch {
	case n == nil:
		return nil
	case a.On.Before(n.NotifiedOn):
		return fmt.Errorf("agreement on %s, before the notification on %s", day(a.On), day(n.NotifiedOn))
	case n.WithdrawnOn != nil && a.On.After(*n.WithdrawnOn):
		return fmt.Errorf("agreement on %s, after the notification was withdrawn on %s", day(a.On), day(*n.WithdrawnOn))
	}
	return nil
}

// uniqueAgreements reports a state agreeing twice to one notification.
func (r *procedureReader) uniqueAgreements() {
	as := r.agreements
	firsts(len(as.list), func(i int) (string, bool) {
		return pair(as.list[i].NotificationID, as.list[i].State), !as.bad[i].has(agrNotification, agrState)
	}, func(i, first int) {
		a := as.list[i]
		agreementTable.problem(r.probs, a.Line, agrState, fmt.Sprintf("%s agreed to notification %q twice: first on line %d",
			a.State, a.NotificationID, as.list[first].Line))
	})
}

// agreedBy counts the agreements to notification i made by the day on; nil when they
// cannot be counted, which is reported on the notification.
func (r *procedureReader) agreedBy(i int, on time.Time) *agreement.Tally {
	n := r.notifications.list[i]
	var agreements []Agreement
	for j, a := range r.agreements.list {
		if !r.agreements.bad[j].has(agrNotification, agrState, agrOn) {
			agreements = append(agreements, a)
		}
	}
	t, err := r.tallier.agreed(n, agreements, on)
	if err != nil {
		notificationTable.problem(r.probs, n.Line, notifState, "cannot count the agreements: "+err.Error())
		return nil
	}
	return &t
}
