package db

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/internal/agreement"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/i18n"
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
	Objected  NotificationStatus = "OBJECTED"   // the Parliament's 2018 procedure only
	NotAgreed NotificationStatus = "NOT_AGREED" // Article 5 only
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
	Procedure          codes.Procedure
	NotifyingStateCode string
	NotifiedOn         time.Time
	Deadline           time.Time // the objection deadline, or the end of the review period
	ItemDescription    string
	ControlEntryCode   *string
	DestinationCodes   []string
	WithdrawnOn        *time.Time
	LegalReference     string
	Status             NotificationStatus
	Objections         []ObjectionRecord
	Agreements         []ObjectionRecord // under Article 5: the states that agreed, and when
	Tally              *qmv.Tally        // the Parliament's 2018 procedure
	Agreement          *agreement.Tally  // Article 5
	ListedOn           *time.Time
	ListItem           *SurveillanceItem // the item the procedure placed on the list, if any

	awaiting bool // the deadline passed after the release was published: a later release will tell
}

// ObjectionRecord is a Member State's objection to a notification (or, under
// Article 5, its agreement).
type ObjectionRecord struct {
	MemberStateCode string
	ObjectedOn      time.Time
}

// Rule is the rule the notification's procedure applies, with its legal source.
func (n *CatchAllNotification) Rule() codes.ProcedureRule { return codes.Rules[n.Procedure] }

// TallyExplanation is the tally of the notification's procedure in one line.
func (n *CatchAllNotification) TallyExplanation() string { return n.TallyExplanationIn(i18n.EN) }

// TallyExplanationIn is TallyExplanation in language l.
func (n *CatchAllNotification) TallyExplanationIn(l i18n.Lang) string {
	if n.Agreement != nil {
		return n.Agreement.ExplanationIn(l)
	}
	return n.Tally.ExplanationIn(l)
}

// Explanation is the tally in one line, with what came of the procedure.
func (n *CatchAllNotification) Explanation() string { return n.ExplanationIn(i18n.EN) }

// ExplanationIn is Explanation in language l.
func (n *CatchAllNotification) ExplanationIn(l i18n.Lang) string {
	tally := n.TallyExplanationIn(l)
	deadline := n.Deadline.Format(time.DateOnly)
	switch n.Status {
	case Withdrawn:
		return i18n.Sprintf(l, "withdrawn by the notifying state on %s", n.WithdrawnOn.Format(time.DateOnly))
	case Pending:
		switch {
		case n.Agreement != nil && n.Agreement.AllAgreed:
			return i18n.Sprintf(l, "%s; not yet published when this release was", tally)
		case n.awaiting:
			return i18n.Sprintf(l, "%s when this release was published; the deadline (%s) passed after that, so a later release will tell the outcome", tally, deadline)
		case n.Procedure == codes.Article5:
			return i18n.Sprintf(l, "%s so far; the review period ends on %s", tally, deadline)
		}
		return i18n.Sprintf(l, "%s so far; objections are possible until %s", tally, deadline)
	case Listed:
		if n.ListedOn == nil {
			return i18n.Sprintf(l, "%s; the item is to be listed", tally)
		}
		return i18n.Sprintf(l, "%s; the item was listed on %s", tally, n.ListedOn.Format(time.DateOnly))
	case NotAgreed:
		return i18n.Sprintf(l, "%s; the review period ended on %s and nothing was published", tally, deadline)
	}
	return i18n.Sprintf(l, "%s; the item was not listed", tally)
}

// ItemVersion is the scope of a list item from a date to the next version.
type ItemVersion struct {
	ValidFrom        time.Time
	Description      string
	ControlEntryCode *string
	DestinationCodes []string // empty: every destination
	Amendment        *string  // what this version changed; nil for the listing
	LegalReference   string
	Note             *string
}

// SurveillanceItem is an item of the EU-wide list, present or past, as it stood on
// AsOf: the version of its scope in force then, and nothing that happened later.
type SurveillanceItem struct {
	ID             string
	Origin         ListOrigin
	NotificationID *string
	ListedOn       time.Time
	RemovedOn      *time.Time // nil when not removed by AsOf
	RemovalReason  *string
	AsOf           time.Time
	ItemVersion                          // the scope in force on AsOf (the listing when AsOf is before it)
	Versions       []ItemVersion         // the versions from the listing to AsOf
	Notification   *CatchAllNotification // the procedure that placed a catch-all item

	history []ItemVersion // every version, and the removal, as the release has them
	removed *time.Time
	reason  *string
}

// AmendedOn is the day the version in force began, when it is an amendment.
func (i SurveillanceItem) AmendedOn() *time.Time {
	if i.Amendment == nil {
		return nil
	}
	return &i.ValidFrom
}

// OnListOn reports whether the item is on the list on the date.
func (i SurveillanceItem) OnListOn(d time.Time) bool {
	return !i.ListedOn.After(d) && (i.removed == nil || i.removed.After(d))
}

// on returns the item as it stood on day d.
func (i SurveillanceItem) on(d time.Time) SurveillanceItem {
	i.AsOf, i.Versions = d, nil
	i.ItemVersion = i.history[0]
	for _, v := range i.history {
		if v.ValidFrom.After(d) {
			break
		}
		i.ItemVersion = v
		i.Versions = append(i.Versions, v)
	}
	i.RemovedOn, i.RemovalReason = nil, nil
	if i.removed != nil && !i.removed.After(d) {
		i.RemovedOn, i.RemovalReason = i.removed, i.reason
	}
	return i
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

// ListChange is one change to the list: the item as it stood on the day, and for an
// amendment the scope before and after.
type ListChange struct {
	Date          time.Time
	Kind          ListChangeKind
	Item          SurveillanceItem
	Note          *string
	Before, After *ItemVersion
}

// procedure returns every item the list has ever had, by id (the cyber-surveillance
// entries of Annex I and the release's catch-all items), and the release's
// notifications as they stand on asOf, each linked to the other.
func (db *DB) procedure(ctx context.Context, r *Release, asOf time.Time) (_ []SurveillanceItem, _ []CatchAllNotification, err error) {
	day := asOf.UTC().Truncate(24 * time.Hour)
	if storedCellsModeOf(ctx).bypass {
		return db.workOutProcedure(ctx, r, day)
	}
	if s, ok := db.procedures.get(r, day); ok {
		return s.items, s.notifications, nil
	}
	items, notifications, err := db.workOutProcedure(ctx, r, day)
	if err == nil {
		db.procedures.put(r, day, procedureState{items, notifications})
	}
	return items, notifications, err
}

// workOutProcedure reads the items and notifications of a release and works out where
// each stood on asOf.
func (db *DB) workOutProcedure(ctx context.Context, r *Release, asOf time.Time) (_ []SurveillanceItem, _ []CatchAllNotification, err error) {
	defer apperr.Wrap(&err, "db.procedure(%s, %s)", r.ID, asOf.Format(time.DateOnly))
	rows, err := db.pool.Query(ctx, `
		SELECT 'ANNEX_I:' || code, 'ANNEX_I', NULL::text, valid_from, valid_to + 1, NULL::text,
		       valid_from, description, code, '{}'::text[], NULL::text, source, NULL::text
		FROM control_entries
		WHERE cyber_surveillance
		UNION ALL
		SELECT i.id, 'CATCH_ALL', i.notification_id, i.listed_on, i.removed_on, i.removal_reason,
		       v.valid_from, v.description, v.control_entry, v.destinations, v.amendment, v.legal_reference, v.note
		FROM list_items i
		JOIN list_item_versions v ON v.release_id = i.release_id AND v.item_id = i.id
		WHERE i.release_id = $1
		ORDER BY 1, 7`, r.ID)
	if err != nil {
		return nil, nil, err
	}
	var items []SurveillanceItem
	var it SurveillanceItem
	var v ItemVersion
	_, err = pgx.ForEachRow(rows, []any{&it.ID, &it.Origin, &it.NotificationID, &it.ListedOn, &it.removed, &it.reason,
		&v.ValidFrom, &v.Description, &v.ControlEntryCode, &v.DestinationCodes, &v.Amendment, &v.LegalReference, &v.Note}, func() error {
		if n := len(items); n > 0 && items[n-1].ID == it.ID {
			items[n-1].history = append(items[n-1].history, v)
			return nil
		}
		next := it
		next.history = []ItemVersion{v}
		items = append(items, next)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for k := range items {
		items[k] = items[k].on(asOf)
	}
	notifications, err := db.notifications(ctx, r, asOf)
	link(items, notifications)
	return items, notifications, err
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

// SurveillanceListOn returns the list on a date: the items on it, each with the scope
// in force on that date, and the date of the last change on or before it.
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

// SurveillanceItem returns one item of the list, present or past, as it stood on asOf,
// with its procedure as it stood then, or a NotFound error.
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

// changesOf are the changes an item went through up to its AsOf, each with the item
// as it stood on the day of the change.
func changesOf(i SurveillanceItem) []ListChange {
	changes := []ListChange{{Date: i.ListedOn, Kind: Added, Item: i.on(i.ListedOn), After: &i.history[0]}}
	for k, v := range i.history[1:] {
		if v.ValidFrom.After(i.AsOf) {
			break
		}
		changes = append(changes, ListChange{Date: v.ValidFrom, Kind: Amended, Item: i.on(v.ValidFrom), Note: v.Amendment,
			Before: &i.history[k], After: &i.history[k+1]})
	}
	if i.RemovedOn != nil {
		changes = append(changes, ListChange{Date: *i.RemovedOn, Kind: Removed, Item: i.on(*i.RemovedOn), Note: i.RemovalReason,
			Before: &i.ItemVersion})
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
		SELECT n.id, n.procedure, n.notifying_state, n.notified_on, n.deadline, n.item_description, n.control_entry,
		       n.destinations, n.withdrawn_on, n.legal_reference, i.listed_on,
		       o.states, o.dates, a.states, a.dates
		FROM catch_all_notifications n
		LEFT JOIN list_items i ON i.release_id = n.release_id AND i.notification_id = n.id AND i.listed_on <= $2
		CROSS JOIN LATERAL (
		    SELECT coalesce(array_agg(objecting_state ORDER BY objected_on, objecting_state), '{}') AS states,
		           coalesce(array_agg(objected_on ORDER BY objected_on, objecting_state), '{}') AS dates
		    FROM objections
		    WHERE release_id = n.release_id AND notification_id = n.id AND objected_on <= $2) o
		CROSS JOIN LATERAL (
		    SELECT coalesce(array_agg(member_state ORDER BY agreed_on, member_state), '{}') AS states,
		           coalesce(array_agg(agreed_on ORDER BY agreed_on, member_state), '{}') AS dates
		    FROM agreements
		    WHERE release_id = n.release_id AND notification_id = n.id AND agreed_on <= $2) a
		WHERE n.release_id = $1 AND n.notified_on <= $2
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
	var objectors, agreers []string
	var objected, agreed []time.Time
	err := row.Scan(&n.ID, &n.Procedure, &n.NotifyingStateCode, &n.NotifiedOn, &n.Deadline, &n.ItemDescription, &n.ControlEntryCode,
		&n.DestinationCodes, &n.WithdrawnOn, &n.LegalReference, &n.ListedOn, &objectors, &objected, &agreers, &agreed)
	n.NotifyingStateCode = strings.TrimSpace(n.NotifyingStateCode)
	for i := range objectors {
		n.Objections = append(n.Objections, ObjectionRecord{MemberStateCode: strings.TrimSpace(objectors[i]), ObjectedOn: objected[i]})
	}
	for i := range agreers {
		n.Agreements = append(n.Agreements, ObjectionRecord{MemberStateCode: strings.TrimSpace(agreers[i]), ObjectedOn: agreed[i]})
	}
	return n, err
}

// decide counts a notification's responses by its procedure's rule (the one
// implementation of each rule, the importer's) and sets its status on asOf. A release
// knows the outcome of a procedure only as far as its publication date.
func decide(n *CatchAllNotification, ref release.Reference, r *Release, asOf time.Time) error {
	rn := release.Notification{ID: n.ID, Procedure: n.Procedure, NotifyingState: n.NotifyingStateCode, Deadline: n.Deadline}
	withdrawn := n.WithdrawnOn != nil && !n.WithdrawnOn.After(asOf)
	if n.Procedure == codes.Article5 {
		var agreements []release.Agreement
		for _, a := range n.Agreements {
			agreements = append(agreements, release.Agreement{NotificationID: n.ID, State: a.MemberStateCode, On: a.ObjectedOn})
		}
		day := asOf
		if r.PublishedOn.Before(day) {
			day = r.PublishedOn // what the release knows
		}
		t, err := release.AgreementOf(ref, rn, agreements, day)
		if err != nil {
			return err
		}
		n.Agreement = &t
		switch {
		case withdrawn:
			n.Status = Withdrawn
		case n.ListedOn != nil:
			n.Status = Listed
		case t.AllAgreed || !n.Deadline.Before(asOf):
			n.Status = Pending
		case !n.Deadline.Before(r.PublishedOn):
			n.Status, n.awaiting = Pending, true
		default:
			n.Status = NotAgreed
		}
		return nil
	}
	var objections []release.Objection
	for _, o := range n.Objections {
		objections = append(objections, release.Objection{NotificationID: n.ID, State: o.MemberStateCode, On: o.ObjectedOn})
	}
	tally, err := release.TallyOf(ref, rn, objections)
	if err != nil {
		return err
	}
	n.Tally = &tally
	switch {
	case withdrawn:
		n.Status = Withdrawn
	case !n.Deadline.Before(asOf):
		n.Status = Pending
	case !n.Deadline.Before(r.PublishedOn):
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
