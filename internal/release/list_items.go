package release

import (
	"errors"
	"fmt"
	"time"
)

// The columns of list_items.csv, in file order.
const (
	itemID = iota
	itemNotification
	itemDescription
	itemDestinations
	itemListed
	itemAmended
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
		itemDescription: {"description", func(_ *procedureReader, it *ListItem, s string) error { it.Description = s; return required(s) }},
		itemDestinations: {"destinations", func(r *procedureReader, it *ListItem, s string) (err error) {
			it.Destinations, err = r.destinations(s)
			return err
		}},
		itemListed: {"listed_on", func(r *procedureReader, it *ListItem, s string) (err error) {
			it.ListedOn, err = r.date(s)
			return err
		}},
		itemAmended: {"amended_on", func(r *procedureReader, it *ListItem, s string) (err error) {
			it.AmendedOn, err = r.optionalDate(s)
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
		{itemNotification, []int{itemNotification}, (*procedureReader).notObjected},
		{itemListed, []int{itemNotification, itemListed}, (*procedureReader).listedAfterDeadline},
		{itemAmended, []int{itemListed, itemAmended}, func(_ *procedureReader, it *ListItem) error {
			return afterIfSet(it.AmendedOn, "the amendment on", it.ListedOn, "the listing on")
		}},
		{itemAmendment, []int{itemAmended}, func(_ *procedureReader, it *ListItem) error {
			return givenWith(it.Amendment, it.AmendedOn, "amended_on", "what the amendment changed")
		}},
		{itemRemoved, []int{itemListed, itemRemoved}, func(_ *procedureReader, it *ListItem) error {
			return afterIfSet(it.RemovedOn, "the removal on", it.ListedOn, "the listing on")
		}},
		{itemRemoved, []int{itemAmended, itemRemoved}, func(_ *procedureReader, it *ListItem) error {
			if it.AmendedOn == nil {
				return nil
			}
			return afterIfSet(it.RemovedOn, "the removal on", *it.AmendedOn, "the amendment on")
		}},
		{itemReason, []int{itemRemoved}, func(_ *procedureReader, it *ListItem) error {
			return givenWith(it.RemovalReason, it.RemovedOn, "removed_on", "why the item was removed")
		}},
	},
}

// notificationListable requires a notification that ran its course: not withdrawn,
// and its deadline passed when the release was published.
func (r *procedureReader) notificationListable(it *ListItem) error {
	n := r.notification(it.NotificationID, notifDeadline, notifWithdrawn)
	switch {
	case n == nil:
		return nil
	case n.WithdrawnOn != nil:
		return fmt.Errorf("notification %q was withdrawn on %s", n.ID, day(*n.WithdrawnOn))
	case !r.published.IsZero() && n.Deadline.After(r.published):
		return fmt.Errorf("the deadline %s of notification %q is after the release's publication date %s",
			day(n.Deadline), n.ID, day(r.published))
	}
	return nil
}

// notObjected refuses an item whose notification a qualified majority objected to.
func (r *procedureReader) notObjected(it *ListItem) error {
	if r.notification(it.NotificationID, notifState, notifDeadline) == nil {
		return nil
	}
	if t := r.tally(r.byID[it.NotificationID]); t != nil && t.QualifiedMajority {
		return fmt.Errorf("listed although a qualified majority objected (%s)", t.Explanation())
	}
	return nil
}

// listedAfterDeadline requires the listing on the day after the deadline at the
// earliest: until the deadline has passed, the objections are not all in.
func (r *procedureReader) listedAfterDeadline(it *ListItem) error {
	if n := r.notification(it.NotificationID, notifDeadline); n != nil {
		return after(it.ListedOn, "the listing on", n.Deadline, "the objection deadline")
	}
	return nil
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

// uniqueItems reports an item id given twice, and a notification that placed two
// items on the list: a notification concerns one item.
func (r *procedureReader) uniqueItems() {
	items := r.items
	firsts(len(items.list), func(i int) (string, bool) { return items.list[i].ID, !items.bad[i].has(itemID) },
		func(i, first int) {
			itemTable.problem(r.probs, items.list[i].Line, itemID,
				fmt.Sprintf("item %q given twice: first on line %d", items.list[i].ID, items.list[first].Line))
		})
	firsts(len(items.list), func(i int) (string, bool) {
		return items.list[i].NotificationID, !items.bad[i].has(itemNotification)
	}, func(i, first int) {
		it := items.list[i]
		itemTable.problem(r.probs, it.Line, itemNotification,
			fmt.Sprintf("notification %q placed a second item on the list: the first on line %d", it.NotificationID, items.list[first].Line))
	})
}
