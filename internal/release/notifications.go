package release

import (
	"fmt"
	"regexp"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/qmv"
)

// The columns of catch_all_notifications.csv, in file order.
const (
	notifID = iota
	notifProcedure
	notifState
	notifOn
	notifItem
	notifEntry
	notifDestinations
	notifDeadline
	notifWithdrawn
	notifLegal
)

var notificationTable = table[Notification]{
	file:   notificationsFile,
	newRow: func(line int) Notification { return Notification{Line: line} },
	columns: []column[Notification]{
		notifID: {"notification_id", func(_ *procedureReader, n *Notification, s string) (err error) {
			n.ID, err = procedureID(s)
			return err
		}},
		notifProcedure: {"procedure", func(_ *procedureReader, n *Notification, s string) (err error) {
			n.Procedure, err = parseCode(codes.Procedures, s)
			return err
		}},
		notifState: {"notifying_state", func(r *procedureReader, n *Notification, s string) (err error) {
			n.NotifyingState, err = r.state(s)
			return err
		}},
		notifOn: {"notified_on", func(r *procedureReader, n *Notification, s string) (err error) {
			n.NotifiedOn, err = r.date(s)
			return err
		}},
		notifItem: {"item_description", func(_ *procedureReader, n *Notification, s string) error { n.ItemDescription = s; return required(s) }},
		notifEntry: {"control_entry", func(r *procedureReader, n *Notification, s string) (err error) {
			if s != "" {
				n.ControlEntry, err = r.entry(s)
			}
			return err
		}},
		notifDestinations: {"destinations", func(r *procedureReader, n *Notification, s string) (err error) {
			n.Destinations, err = r.destinations(s)
			return err
		}},
		notifDeadline: {"deadline", func(r *procedureReader, n *Notification, s string) (err error) {
			n.Deadline, err = parseDate(s) // a deadline may lie after the release: the notification is pending
			return err
		}},
		notifWithdrawn: {"withdrawn_on", func(r *procedureReader, n *Notification, s string) (err error) {
			n.WithdrawnOn, err = r.optionalDate(s)
			return err
		}},
		notifLegal: {"legal_reference", func(_ *procedureReader, n *Notification, s string) error { n.LegalReference = s; return required(s) }},
	},
	rules: []rule[Notification]{
		{notifState, []int{notifState, notifOn}, func(r *procedureReader, n *Notification) error {
			return r.memberOn(n.NotifyingState, n.NotifiedOn)
		}},
		{notifDeadline, []int{notifOn, notifDeadline}, func(_ *procedureReader, n *Notification) error {
			return after(n.Deadline, "the deadline", n.NotifiedOn, "the notification on")
		}},
		{notifWithdrawn, []int{notifProcedure, notifOn, notifDeadline, notifWithdrawn}, withdrawnInTime},
		{notifOn, []int{notifProcedure, notifOn}, func(_ *procedureReader, n *Notification) error {
			if n.Procedure == codes.Article5 && n.NotifiedOn.Before(article5Start) {
				return fmt.Errorf("%s is before %s, when Article 5 of Regulation (EU) 2021/821 began to apply", day(n.NotifiedOn), day(article5Start))
			}
			return nil
		}},
		{notifLegal, []int{notifProcedure, notifLegal}, func(_ *procedureReader, n *Notification) error {
			return citesArticle5(n.Procedure, n.LegalReference)
		}},
	},
}

// article5Citation finds a citation of Article 5 of Regulation (EU) 2021/821, in the
// ways it is written ("Article 5(2) of Regulation (EU) 2021/821", "Art. 5 ... 2021/821").
var article5Citation = regexp.MustCompile(`(?i)\bart(icle|\.)?\s*5\b[^;]*2021/821|2021/821[^;]*\bart(icle|\.)?\s*5\b`)

// citesArticle5 refuses a notification under the Parliament's 2018 procedure that
// names Article 5 of Regulation (EU) 2021/821 as its basis: that article has no
// objection vote, so the reference would cite a rule that was not applied.
func citesArticle5(p codes.Procedure, ref string) error {
	if p == codes.EPPosition2018 && article5Citation.MatchString(ref) {
		return fmt.Errorf("cites Article 5 of Regulation (EU) 2021/821, which has no objection vote, for a notification "+
			"that follows %s: cite what the notification rests on", codes.EPPosition2018)
	}
	return nil
}

// withdrawnInTime requires a withdrawal while the procedure was still open: under
// the Parliament's 2018 position, by the objection deadline; under Article 5, which
// has no end but publication, any time after the notification (an item published from
// a withdrawn notification is refused on the item).
func withdrawnInTime(_ *procedureReader, n *Notification) error {
	if n.WithdrawnOn == nil {
		return nil
	}
	w := *n.WithdrawnOn
	switch {
	case n.Procedure == codes.Article5 && w.Before(n.NotifiedOn):
		return fmt.Errorf("%s is before the notification on %s", day(w), day(n.NotifiedOn))
	case n.Procedure != codes.Article5 && (w.Before(n.NotifiedOn) || w.After(n.Deadline)):
		return fmt.Errorf("%s is not between the notification on %s and the deadline %s", day(w), day(n.NotifiedOn), day(n.Deadline))
	}
	return nil
}

// uniqueNotifications reports a notification id given twice and returns the first
// row of each id.
func (r *procedureReader) uniqueNotifications() map[string]int {
	ns := r.notifications
	return firsts(len(ns.list), func(i int) (string, bool) { return ns.list[i].ID, !ns.bad[i].has(notifID) },
		func(i, first int) {
			notificationTable.problem(r.probs, ns.list[i].Line, notifID,
				fmt.Sprintf("notification %q given twice: first on line %d", ns.list[i].ID, ns.list[first].Line))
		})
}

// requireItems reports each notification of the Parliament's 2018 procedure that was
// decided without a qualified majority against it yet placed no item on the list: the
// list would be incomplete. (Under Article 5 the Commission publishes in its own time.)
func (r *procedureReader) requireItems() {
	listed := map[string]bool{}
	for _, it := range r.items.list {
		listed[it.NotificationID] = true
	}
	for i, n := range r.notifications.list {
		if first, ok := r.byID[n.ID]; !ok || first != i || listed[n.ID] || n.Procedure != codes.EPPosition2018 ||
			r.notifications.bad[i].has(notifProcedure, notifState, notifDeadline, notifWithdrawn) || !r.decided(&n) {
			continue
		}
		if t := r.tally(i); t != nil && !t.QualifiedMajority {
			notificationTable.problem(r.probs, n.Line, notifID, fmt.Sprintf(
				"the notification was not objected to by a qualified majority but placed no item on the list (%s)", t.Explanation()))
		}
	}
}

// tally counts the objections to notification i once; nil when it cannot be counted,
// which is reported on the notification.
func (r *procedureReader) tally(i int) *qmv.Tally {
	if t, done := r.tallies[i]; done {
		return t
	}
	n := r.notifications.list[i]
	var objections []Objection
	for j, o := range r.objections.list {
		if !r.objections.bad[j].has(objNotification, objState, objOn) {
			objections = append(objections, o)
		}
	}
	t, err := r.tallier.tally(n, objections)
	if err != nil {
		notificationTable.problem(r.probs, n.Line, notifDeadline, "cannot count the objections: "+err.Error())
		r.tallies[i] = nil
		return nil
	}
	r.tallies[i] = &t
	return &t
}
