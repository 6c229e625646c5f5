package release

import (
	"fmt"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// The columns of objections.csv, in file order.
const (
	objNotification = iota
	objState
	objOn
)

var objectionTable = table[Objection]{
	file:   objectionsFile,
	newRow: func(line int) Objection { return Objection{Line: line} },
	columns: []column[Objection]{
		objNotification: {"notification_id", func(_ *procedureReader, o *Objection, s string) error {
			o.NotificationID = s
			return required(s)
		}},
		objState: {"objecting_state", func(r *procedureReader, o *Objection, s string) (err error) {
			o.State, err = r.state(s)
			return err
		}},
		objOn: {"objected_on", func(r *procedureReader, o *Objection, s string) (err error) {
			o.On, err = r.date(s)
			return err
		}},
	},
	rules: []rule[Objection]{
		{objNotification, []int{objNotification}, func(r *procedureReader, o *Objection) error { return r.known(o.NotificationID) }},
		{objNotification, []int{objNotification}, func(r *procedureReader, o *Objection) error {
			return r.follows(o.NotificationID, codes.EPPosition2018, "an objection", agreementsFile)
		}},
		{objState, []int{objNotification, objState, objOn}, (*procedureReader).objectorEligible},
		{objOn, []int{objNotification, objOn}, (*procedureReader).objectedInTime},
		{objOn, []int{objNotification, objOn}, (*procedureReader).objectedBeforeWithdrawal},
	},
}

// objectorEligible requires another Member State than the notifying one, a member on
// the day it objected. Whether the objection counts (the state must still be a member
// on the deadline) is the tally's to say, so that an objection made by a state that
// left inside the window is published, with why it did not count.
func (r *procedureReader) objectorEligible(o *Objection) error {
	n := r.notification(o.NotificationID, notifState)
	switch {
	case n == nil:
		return nil
	case o.State == n.NotifyingState:
		return fmt.Errorf("objection by the notifying state %s", o.State)
	}
	if err := r.memberOn(o.State, o.On); err != nil {
		return fmt.Errorf("%w, the day it objected", err)
	}
	return nil
}

// follows requires the notification id names to follow procedure p: a response of
// the other procedure belongs in the file named instead.
func (r *procedureReader) follows(id string, p codes.Procedure, what, instead string) error {
	n := r.notification(id, notifProcedure)
	if n == nil || n.Procedure == p {
		return nil
	}
	return fmt.Errorf("%s to notification %q, which follows %s: its responses belong in %s", what, id, n.Procedure, instead)
}

// objectedInTime requires an objection from the notification to the deadline, both
// days included.
func (r *procedureReader) objectedInTime(o *Objection) error {
	n := r.notification(o.NotificationID, notifOn, notifDeadline)
	switch {
	case n == nil:
		return nil
	case o.On.Before(n.NotifiedOn):
		return fmt.Errorf("objection on %s, before the notification on %s", day(o.On), day(n.NotifiedOn))
	case o.On.After(n.Deadline):
		return fmt.Errorf("objection on %s, after the deadline %s", day(o.On), day(n.Deadline))
	}
	return nil
}

// objectedBeforeWithdrawal refuses an objection to a notification already withdrawn:
// there was nothing left to object to.
func (r *procedureReader) objectedBeforeWithdrawal(o *Objection) error {
	n := r.notification(o.NotificationID, notifWithdrawn)
	if n != nil && n.WithdrawnOn != nil && o.On.After(*n.WithdrawnOn) {
		return fmt.Errorf("objection on %s, after the notification was withdrawn on %s", day(o.On), day(*n.WithdrawnOn))
	}
	return nil
}

// uniqueObjections reports a state objecting twice to one notification.
func (r *procedureReader) uniqueObjections() {
	objs := r.objections
	firsts(len(objs.list), func(i int) (string, bool) {
		return pair(objs.list[i].NotificationID, objs.list[i].State), !objs.bad[i].has(objNotification, objState)
	}, func(i, first int) {
		o := objs.list[i]
		objectionTable.problem(r.probs, o.Line, objState, fmt.Sprintf("%s objected to notification %q twice: first on line %d",
			o.State, o.NotificationID, objs.list[first].Line))
	})
}
