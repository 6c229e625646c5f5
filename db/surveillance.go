package db

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/qmv"
	"github.com/dualuse-transparency/portal/internal/release"
)

// The EU-wide list of cyber-surveillance items is derived, for any date, from two
// sources of facts: the cyber-surveillance entries of the control list (Annex I, with
// their validity) and the items the human-rights catch-all procedure of a release
// placed on the list (with their listing, amendment and removal dates). Nothing here
// stores the list, a status or a tally: each is computed from the facts when asked.

// NotificationStatus is where a catch-all procedure stands on a date.
type NotificationStatus string

// The statuses of a notification.
const (
	Pending   NotificationStatus = "PENDING"
	Listed    NotificationStatus = "LISTED"
	Objected  NotificationStatus = "OBJECTED"
	Withdrawn NotificationStatus = "WITHDRAWN"
)

// ListOrigin is where an item of the EU-wide list comes from.
type ListOrigin string

// The origins of list items.
const (
	AnnexI   ListOrigin = "ANNEX_I"
	CatchAll ListOrigin = "CATCH_ALL"
)

// CatchAllNotification is one procedure of the human-rights catch-all, as it stands on
// the date it was asked about.
type CatchAllNotification struct {
	ID                 string
	NotifyingStateCode string
	NotifiedOn         time.Time
	ObjectionDeadline  time.Time
	ItemDescription    string
	ControlEntryCode   *string
	DestinationCodes   []string
	WithdrawnOn        *time.Time
	LegalReference     string
	Status             NotificationStatus
	Objections         []ObjectionRecord
	Tally              qmv.Tally
	ListedOn           *time.Time
	ListItem           *SurveillanceItem // the item the procedure placed on the list, if any

	awaiting bool // the deadline passed after the release was published: a later release will tell
}

// ObjectionRecord is a Member State's objection to a notification.
type ObjectionRecord struct {
	MemberStateCode string
	ObjectedOn      time.Time
}

// Explanation is the tally in one line, with what came of the procedure.
func (n *CatchAllNotification) Explanation() string {
	switch n.Status {
	case Withdrawn:
		return fmt.Sprintf("withdrawn by the notifying state on %s", n.WithdrawnOn.Format(time.DateOnly))
	case Pending:
		deadline := n.ObjectionDeadline.Format(time.DateOnly)
		if n.awaiting {
			return fmt.Sprintf("%s when this release was published; the deadline (%s) passed after that, so a later release will tell the outcome", n.Tally.Explanation(), deadline)
		}
		return fmt.Sprintf("%s so far; objections are possible until %s", n.Tally.Explanation(), deadline)
	case Listed:
		if n.ListedOn == nil {
			return n.Tally.Explanation() + "; the item is to be listed"
		}
		return fmt.Sprintf("%s; the item was listed on %s", n.Tally.Explanation(), n.ListedOn.Format(time.DateOnly))
	}
	return n.Tally.Explanation() + "; the item was not listed"
}

// SurveillanceItem is an item of the EU-wide list, present or past.
type SurveillanceItem struct {
	ID               string
	Origin           ListOrigin
	Description      string
	ControlEntryCode *string
	DestinationCodes []string // empty: every destination
	NotificationID   *string
	ListedOn         time.Time
	AmendedOn        *time.Time
	Amendment        *string
	RemovedOn        *time.Time
	RemovalReason    *string
	LegalReference   string
	Notification     *CatchAllNotification // the procedure that placed a catch-all item
}

// OnListOn reports whether the item is on the list on the date.
func (i SurveillanceItem) OnListOn(d time.Time) bool {
	return !i.ListedOn.After(d) && (i.RemovedOn == nil || i.RemovedOn.After(d))
}

// SurveillanceList is the EU-wide list on a date.
type SurveillanceList struct {
	Release *Release
	AsOf    time.Time
	Version *time.Time // the date of the last change on or before AsOf
	Items   []SurveillanceItem
}

// ListChangeKind is what happened to an item of the list.
type ListChangeKind string

// The kinds of list change.
const (
	Added   ListChangeKind = "ADDED"
	Amended ListChangeKind = "AMENDED"
	Removed ListChangeKind = "REMOVED"
)

// ListChange is one change to the list.
type ListChange struct {
	Date time.Time
	Kind ListChangeKind
	Item SurveillanceItem
	Note *string
}

// procedure returns every item the list has ever had, by id (the cyber-surveillance
// entries of Annex I and the release's catch-all items), and the release's
// notifications as they stand on asOf, each linked to the other.
func (db *DB) procedure(ctx context.Context, r *Release, asOf time.Time) (_ []SurveillanceItem, _ []CatchAllNotification, err error) {
	defer apperr.Wrap(&err, "db.procedure(%s, %s)", r.ID, asOf.Format(time.DateOnly))
	rows, err := db.pool.Query(ctx, `
		SELECT 'ANNEX_I:' || code, 'ANNEX_I', description, code, '{}'::text[], NULL::text,
		       valid_from, NULL::date, NULL::text, valid_to + 1, NULL::text, source
		FROM control_entries
		WHERE cyber_surveillance
		UNION ALL
		SELECT i.id, 'CATCH_ALL', i.description, n.control_entry, i.destinations, i.notification_id,
		       i.listed_on, i.amended_on, i.amendment, i.removed_on, i.removal_reason, i.legal_reference
		FROM list_items i
		JOIN catch_all_notifications n ON n.release_id = i.release_id AND n.id = i.notification_id
		WHERE i.release_id = $1
		ORDER BY 1`, r.ID)
	if err != nil {
		return nil, nil, err
	}
	items, err := pgx.CollectRows(rows, scanItem)
	if err != nil {
		return nil, nil, err
	}
	notifications, err := db.notifications(ctx, r, asOf)
	link(items, notifications)
	return items, notifications, err
}

func scanItem(row pgx.CollectableRow) (SurveillanceItem, error) {
	var i SurveillanceItem
	err := row.Scan(&i.ID, &i.Origin, &i.Description, &i.ControlEntryCode, &i.DestinationCodes, &i.NotificationID,
		&i.ListedOn, &i.AmendedOn, &i.Amendment, &i.RemovedOn, &i.RemovalReason, &i.LegalReference)
	return i, err
}

// link points each catch-all item and its notification at each other.
func link(items []SurveillanceItem, notifications []CatchAllNotification) {
	byID := map[string]*CatchAllNotification{}
	for i := range notifications {
		byID[notifications[i].ID] = &notifications[i]
	}
	for i := range items {
		if items[i].NotificationID == nil {
			continue
		}
		if n := byID[*items[i].NotificationID]; n != nil {
			items[i].Notification = n
			if n.ListedOn != nil {
				n.ListItem = &items[i]
			}
		}
	}
}

// SurveillanceListOn returns the list on a date: the items on it, and the date of the
// last change on or before it.
func (db *DB) SurveillanceListOn(ctx context.Context, r *Release, asOf time.Time) (*SurveillanceList, error) {
	items, _, err := db.procedure(ctx, r, asOf)
	if err != nil {
		return nil, err
	}
	list := &SurveillanceList{Release: r, AsOf: asOf, Items: []SurveillanceItem{}}
	for _, i := range items {
		if i.OnListOn(asOf) {
			list.Items = append(list.Items, i)
		}
		for _, c := range changesOf(i) {
			if !c.Date.After(asOf) && (list.Version == nil || c.Date.After(*list.Version)) {
				list.Version = &c.Date
			}
		}
	}
	return list, nil
}

// SurveillanceItem returns one item of the list, present or past, with its procedure
// as it stands on asOf, or a NotFound error.
func (db *DB) SurveillanceItem(ctx context.Context, r *Release, id string, asOf time.Time) (*SurveillanceItem, error) {
	items, _, err := db.procedure(ctx, r, asOf)
	if err != nil {
		return nil, err
	}
	for _, i := range items {
		if i.ID == id {
			return &i, nil
		}
	}
	return nil, apperr.Errorf(apperr.NotFound, "no item %q on the list, present or past", id)
}

// SurveillanceListChanges returns the changes to the list from one date to another,
// both included, by date.
func (db *DB) SurveillanceListChanges(ctx context.Context, r *Release, from, to time.Time) ([]ListChange, error) {
	if to.Before(from) {
		return nil, apperr.Errorf(apperr.Invalid, "from (%s) is after to (%s)", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	items, _, err := db.procedure(ctx, r, to)
	if err != nil {
		return nil, err
	}
	changes := []ListChange{}
	for _, i := range items {
		for _, c := range changesOf(i) {
			if !c.Date.Before(from) && !c.Date.After(to) {
				changes = append(changes, c)
			}
		}
	}
	slices.SortStableFunc(changes, func(a, b ListChange) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Item.ID, b.Item.ID))
	})
	return changes, nil
}

// changesOf are the changes an item went through.
func changesOf(i SurveillanceItem) []ListChange {
	changes := []ListChange{{Date: i.ListedOn, Kind: Added, Item: i}}
	if i.AmendedOn != nil {
		changes = append(changes, ListChange{Date: *i.AmendedOn, Kind: Amended, Item: i, Note: i.Amendment})
	}
	if i.RemovedOn != nil {
		changes = append(changes, ListChange{Date: *i.RemovedOn, Kind: Removed, Item: i, Note: i.RemovalReason})
	}
	return changes
}

// NotificationFilter selects catch-all notifications; zero fields do not filter.
type NotificationFilter struct {
	Status      *NotificationStatus
	MemberState string     // the notifying state, ISO or EU code
	From, To    *time.Time // notified between
}

// CatchAllNotifications returns a release's notifications as they stand on asOf,
// each with its objections and the qualified-majority tally, by notification date.
func (db *DB) CatchAllNotifications(ctx context.Context, r *Release, f NotificationFilter, asOf time.Time) (_ []CatchAllNotification, err error) {
	defer apperr.Wrap(&err, "db.CatchAllNotifications(%s)", r.ID)
	var states []string
	if f.MemberState != "" {
		if states, err = db.resolveCodes(ctx, "memberState", []string{f.MemberState}, memberStateAliases); err != nil {
			return nil, err
		}
	}
	_, notifications, err := db.procedure(ctx, r, asOf)
	if err != nil {
		return nil, err
	}
	out := []CatchAllNotification{}
	for _, n := range notifications {
		if (f.Status == nil || n.Status == *f.Status) && (states == nil || n.NotifyingStateCode == states[0]) &&
			(f.From == nil || !n.NotifiedOn.Before(*f.From)) && (f.To == nil || !n.NotifiedOn.After(*f.To)) {
			out = append(out, n)
		}
	}
	return out, nil
}

// notifications loads a release's notifications notified by asOf and works out where
// each stands on that date.
func (db *DB) notifications(ctx context.Context, r *Release, asOf time.Time) ([]CatchAllNotification, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT n.id, n.notifying_state, n.notified_on, n.objection_deadline, n.item_description, n.control_entry,
		       n.destinations, n.withdrawn_on, n.legal_reference, i.listed_on,
		       coalesce(array_agg(o.objecting_state ORDER BY o.objected_on, o.objecting_state) FILTER (WHERE o.objecting_state IS NOT NULL), '{}'),
		       coalesce(array_agg(o.objected_on ORDER BY o.objected_on, o.objecting_state) FILTER (WHERE o.objecting_state IS NOT NULL), '{}')
		FROM catch_all_notifications n
		LEFT JOIN objections o ON o.release_id = n.release_id AND o.notification_id = n.id AND o.objected_on <= $2
		LEFT JOIN list_items i ON i.release_id = n.release_id AND i.notification_id = n.id AND i.listed_on <= $2
		WHERE n.release_id = $1 AND n.notified_on <= $2
		GROUP BY n.id, n.notifying_state, n.notified_on, n.objection_deadline, n.item_description, n.control_entry,
		         n.destinations, n.withdrawn_on, n.legal_reference, i.listed_on
		ORDER BY n.notified_on, n.id`, r.ID, asOf)
	if err != nil {
		return nil, err
	}
	notifications, err := pgx.CollectRows(rows, scanNotification)
	if err != nil {
		return nil, err
	}
	ref, err := db.ReleaseReference(ctx)
	if err != nil {
		return nil, err
	}
	for i := range notifications {
		if err := decide(&notifications[i], ref, r, asOf); err != nil {
			return nil, err
		}
	}
	return notifications, nil
}

func scanNotification(row pgx.CollectableRow) (CatchAllNotification, error) {
	var n CatchAllNotification
	var states []string
	var dates []time.Time
	err := row.Scan(&n.ID, &n.NotifyingStateCode, &n.NotifiedOn, &n.ObjectionDeadline, &n.ItemDescription, &n.ControlEntryCode,
		&n.DestinationCodes, &n.WithdrawnOn, &n.LegalReference, &n.ListedOn, &states, &dates)
	for i := range states {
		n.Objections = append(n.Objections, ObjectionRecord{MemberStateCode: states[i], ObjectedOn: dates[i]})
	}
	return n, err
}

// decide tallies a notification's objections (by the one implementation of the rule,
// the importer's) and sets its status on asOf. A release knows the outcome of a
// procedure only when the deadline passed before the release was published.
func decide(n *CatchAllNotification, ref release.Reference, r *Release, asOf time.Time) error {
	rn := release.Notification{ID: n.ID, NotifyingState: strings.TrimSpace(n.NotifyingStateCode), Deadline: n.ObjectionDeadline}
	var objections []release.Objection
	for _, o := range n.Objections {
		objections = append(objections, release.Objection{NotificationID: n.ID, State: strings.TrimSpace(o.MemberStateCode), On: o.ObjectedOn})
	}
	tally, err := release.TallyOf(ref, rn, objections)
	if err != nil {
		return err
	}
	n.Tally = tally
	switch {
	case n.WithdrawnOn != nil && !n.WithdrawnOn.After(asOf):
		n.Status = Withdrawn
	case !n.ObjectionDeadline.Before(asOf):
		n.Status = Pending
	case !n.ObjectionDeadline.Before(r.PublishedOn):
		n.Status, n.awaiting = Pending, true
	case tally.QualifiedMajority:
		n.Status = Objected
	default:
		n.Status = Listed
	}
	return nil
}

// ListedEntriesOn are the control entries of the items on the list on a date: what
// the statistics filter onSurveillanceList selects.
func (db *DB) ListedEntriesOn(ctx context.Context, r *Release, asOf time.Time) ([]string, error) {
	list, err := db.SurveillanceListOn(ctx, r, asOf)
	if err != nil {
		return nil, err
	}
	entries := []string{}
	for _, i := range list.Items {
		if i.ControlEntryCode != nil && !slices.Contains(entries, *i.ControlEntryCode) {
			entries = append(entries, *i.ControlEntryCode)
		}
	}
	return entries, nil
}
