package release

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// The columns of list_items.csv, in file order: one row per version of an item.
const (
	itemID = iota
	itemNotification
	itemValidFrom
	itemDescription
	itemEntry
	itemDestinations
	itemAmendment
	itemRemoved
	itemReason
	itemLegal
)

var itemTable = table[ListItem]{
	file:   listItemsFile,
	newRow: func(line int) ListItem { return ListItem{Line: line} },
	columns: []column[ListItem]{
		itemID: {"item_id", func(_ *procedureReader, it *ListItem, s string) (err error) {
			it.ID, err = procedureID(s)
			return err
		}},
		itemNotification: {"notification_id", func(_ *procedureReader, it *ListItem, s string) error {
			it.NotificationID = s
			return required(s)
		}},
		itemValidFrom: {"valid_from", func(r *procedureReader, it *ListItem, s string) (err error) {
			it.ValidFrom, err = r.date(s)
			return err
		}},
		itemDescription: {"description", func(_ *procedureReader, it *ListItem, s string) error { it.Description = s; return required(s) }},
		itemEntry: {"control_entry", func(r *procedureReader, it *ListItem, s string) (err error) {
			if s != "" {
				it.ControlEntry, err = r.entry(s)
			}
			return err
		}},
		itemDestinations: {"destinations", func(r *procedureReader, it *ListItem, s string) (err error) {
			it.Destinations, err = r.destinations(s)
			return err
		}},
		itemAmendment: {"amendment", func(_ *procedureReader, it *ListItem, s string) error { it.Amendment = s; return nil }},
		itemRemoved: {"removed_on", func(r *procedureReader, it *ListItem, s string) (err error) {
			it.RemovedOn, err = r.optionalDate(s)
			return err
		}},
		itemReason: {"removal_reason", func(_ *procedureReader, it *ListItem, s string) error { it.RemovalReason = s; return nil }},
		itemLegal:  {"legal_reference", func(_ *procedureReader, it *ListItem, s string) error { it.LegalReference = s; return required(s) }},
	},
	rules: []rule[ListItem]{
		{itemNotification, []int{itemNotification}, func(r *procedureReader, it *ListItem) error { return r.known(it.NotificationID) }},
		{itemNotification, []int{itemNotification}, (*procedureReader).notificationListable},
		{itemRemoved, []int{itemValidFrom, itemRemoved}, func(_ *procedureReader, it *ListItem) error {
			return afterIfSet(it.RemovedOn, "the removal on", it.ValidFrom, "the version from")
		}},
		{itemReason, []int{itemRemoved}, func(_ *procedureReader, it *ListItem) error {
			return givenWith(it.RemovalReason, it.RemovedOn, "removed_on", "why the item was removed")
		}},
	},
}

// notificationListable requires a notification that was not withdrawn and, under the
// Parliament's 2018 procedure, whose deadline passed when the release was published.
func (r *procedureReader) notificationListable(it *ListItem) error {
	n := r.notification(it.NotificationID, notifProcedure, notifDeadline, notifWithdrawn)
	switch {
	case n == nil:
		return nil
	case n.WithdrawnOn != nil:
		return fmt.Errorf("notification %q was withdrawn on %s", n.ID, day(*n.WithdrawnOn))
	case n.Procedure == codes.EPPosition2018 && !r.published.IsZero() && n.Deadline.After(r.published):
		return fmt.Errorf("the deadline %s of notification %q is after the release's publication date %s",
			day(n.Deadline), n.ID, day(r.published))
	}
	return nil
}

// checkVersions checks the versions of each item together: in the order of their
// dates, the first is the listing and has no amendment, each later one says what it
// changed and changes the scope, only the last may end in a removal, and all name the
// same notification, which places no other item.
func (r *procedureReader) checkVersions() {
	items := r.items
	byItem := map[string][]int{}
	var order []string
	for i, it := range items.list {
		if items.bad[i].has(itemID, itemValidFrom) {
			continue
		}
		if _, seen := byItem[it.ID]; !seen {
			order = append(order, it.ID)
		}
		byItem[it.ID] = append(byItem[it.ID], i)
	}
	itemOf := map[string]int{} // notification id to the first row of the item it placed
	for _, id := range order {
		rows := byItem[id]
		slices.SortStableFunc(rows, func(a, b int) int { return items.list[a].ValidFrom.Compare(items.list[b].ValidFrom) })
		r.checkListing(rows[0])
		for k, i := range rows {
			r.checkVersion(rows, k)
			if items.bad[i].has(itemNotification) {
				continue
			}
			nid := items.list[i].NotificationID
			if first, ok := itemOf[nid]; ok && items.list[first].ID != id {
				itemTable.problem(r.probs, items.list[i].Line, itemNotification, fmt.Sprintf(
					"notification %q placed a second item on the list: the first on line %d", nid, items.list[first].Line))
			} else if !ok {
				itemOf[nid] = i
			}
		}
	}
}

// checkVersion checks version k of an item's versions (sorted by date) against the
// one before it.
func (r *procedureReader) checkVersion(rows []int, k int) {
	items := r.items
	it := items.list[rows[k]]
	problem := func(col int, format string, args ...any) {
		itemTable.problem(r.probs, it.Line, col, fmt.Sprintf(format, args...))
	}
	if k == 0 {
		if it.Amendment != "" {
			problem(itemAmendment, "given on the first version of item %q, its listing: an amendment is a later version", it.ID)
		}
	} else {
		prev := items.list[rows[k-1]]
		switch {
		case prev.ValidFrom.Equal(it.ValidFrom):
			problem(itemValidFrom, "item %q has two versions from %s: the other on line %d", it.ID, day(it.ValidFrom), prev.Line)
		case required(it.Amendment) != nil:
			problem(itemAmendment, "required on a later version of item %q: what the amendment changed", it.ID)
		case items.bad[rows[k-1]].has(itemDescription, itemEntry, itemDestinations) ||
			items.bad[rows[k]].has(itemDescription, itemEntry, itemDestinations):
			// a scope that could not be read is reported on its own line
		case sameScope(prev, it):
			problem(itemValidFrom, "the version of item %q from %s changes nothing in the scope of the version on line %d (description, control entry, destinations)",
				it.ID, day(it.ValidFrom), prev.Line)
		}
		if !items.bad[rows[k-1]].has(itemRemoved) && prev.RemovedOn != nil {
			problem(itemValidFrom, "item %q was removed on %s (line %d): a removal ends the item, so it has no later version",
				it.ID, day(*prev.RemovedOn), prev.Line)
		}
		if !items.bad[rows[0]].has(itemNotification) && !items.bad[rows[k]].has(itemNotification) &&
			items.list[rows[0]].NotificationID != it.NotificationID {
			problem(itemNotification, "the versions of item %q name different notifications: %q on line %d",
				it.ID, items.list[rows[0]].NotificationID, items.list[rows[0]].Line)
		}
	}
}

// sameScope reports whether two versions have the same scope.
func sameScope(a, b ListItem) bool {
	return a.Description == b.Description && a.ControlEntry == b.ControlEntry &&
		slices.Equal(slices.Sorted(slices.Values(a.Destinations)), slices.Sorted(slices.Values(b.Destinations)))
}

// checkListing checks the first version of an item, its listing, against the rule of
// its notification's procedure.
func (r *procedureReader) checkListing(row int) {
	it := r.items.list[row]
	if r.items.bad[row].has(itemNotification) {
		return
	}
	n := r.notification(it.NotificationID, notifProcedure, notifState, notifOn, notifDeadline)
	if n == nil {
		return
	}
	var err error
	switch n.Procedure {
	case codes.EPPosition2018:
		if err = after(it.ValidFrom, "the listing on", n.Deadline, "the objection deadline"); err == nil {
			if t := r.tally(r.byID[n.ID]); t != nil && t.QualifiedMajority {
				err = fmt.Errorf("listed although a qualified majority objected (%s)", t.Explanation())
			}
		}
	case codes.Article5:
		if !r.agreementsRead {
			return // agreements.csv could not be read: its problem is reported there
		}
		if t := r.agreedBy(r.byID[n.ID], it.ValidFrom); t != nil && !t.AllAgreed {
			err = fmt.Errorf("published on %s although not all Member States had agreed by then (%s)", day(it.ValidFrom), t.Explanation())
		}
	}
	if err != nil {
		itemTable.problem(r.probs, it.Line, itemValidFrom, err.Error())
	}
}

// afterIfSet requires an optional date, when given, to come after an earlier one.
func afterIfSet(t *time.Time, what string, earlier time.Time, earlierWhat string) error {
	if t == nil {
		return nil
	}
	return after(*t, what, earlier, earlierWhat)
}

// givenWith requires a text exactly when its date is given: a dated change says what
// it was, and an undated text belongs to no change.
func givenWith(text string, date *time.Time, dateColumn, what string) error {
	switch {
	case date != nil && required(text) != nil:
		return fmt.Errorf("required with %s: %s", dateColumn, what)
	case date == nil && text != "":
		return errors.New("given without " + dateColumn)
	}
	return nil
}
