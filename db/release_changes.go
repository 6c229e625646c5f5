package db

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/disclosure"
	"github.com/dualuse-transparency/portal/internal/i18n"
)

// ChangeSection is what a revision between two releases touched.
type ChangeSection string

// The sections of a release comparison.
const (
	OfficialFigureChange ChangeSection = "OFFICIAL_FIGURE"
	HeadlineChange       ChangeSection = "HEADLINE_FIGURE"
	ListItemChange       ChangeSection = "LIST_ITEM"
)

// ReleaseChange is one thing a newer release revised.
type ReleaseChange struct {
	Section     ChangeSection
	Year        *int
	Subject     string
	Before      *disclosure.Measure
	After       *disclosure.Measure
	Description string   // in English
	Msg         i18n.Msg // Description as a message: see DescriptionIn
}

// DescriptionIn returns the description in language l.
func (c ReleaseChange) DescriptionIn(l i18n.Lang) string {
	if c.Msg.IsZero() {
		return i18n.Translate(l, c.Description)
	}
	return c.Msg.String(l)
}

// described sets the description from a message.
func (c ReleaseChange) described(m i18n.Msg) ReleaseChange {
	c.Description, c.Msg = m.String(i18n.EN), m
	return c
}

// ReleaseChanges lists what release to changed against release from: official figures,
// the yearly headline figures of the years both cover, and the catch-all list items.
// Record keys are stable across releases, so a figure whose decisions did not change
// is published the same and does not show up here.
func (db *DB) ReleaseChanges(ctx context.Context, from, to *Release) (_ []ReleaseChange, err error) {
	defer apperr.Wrap(&err, "db.ReleaseChanges(%s, %s)", from.ID, to.ID)
	changes, err := db.officialChanges(ctx, from, to)
	if err != nil {
		return nil, err
	}
	headline, err := db.headlineChanges(ctx, from, to)
	if err != nil {
		return nil, err
	}
	items, err := db.itemChanges(ctx, from, to)
	return append(append(changes, headline...), items...), err
}

func (db *DB) officialChanges(ctx context.Context, from, to *Release) ([]ReleaseChange, error) {
	before, err := db.OfficialFigures(ctx, from.ID, OfficialFigureFilter{})
	if err != nil {
		return nil, err
	}
	after, err := db.OfficialFigures(ctx, to.ID, OfficialFigureFilter{})
	if err != nil {
		return nil, err
	}
	key := func(f OfficialFigure) string { return fmt.Sprintf("%d %s %s", f.Year, f.Scope, f.Metric) }
	old, revised := keyBy(before, key), keyBy(after, key)
	changes := []ReleaseChange{}
	for _, f := range after {
		o, had := old[key(f)]
		if had && o.Value == f.Value && o.SourceDocument == f.SourceDocument {
			continue
		}
		c := ReleaseChange{Section: OfficialFigureChange, Year: ptrTo(f.Year), Subject: key(f), After: ptrTo(f.Measure()), Description: "published"}
		if had {
			c.Before = ptrTo(o.Measure())
			c = c.described(i18n.M("revised from %v to %v %s", o.Value, f.Value, f.Unit))
		}
		changes = append(changes, c)
	}
	for _, o := range before {
		if _, kept := revised[key(o)]; !kept {
			changes = append(changes, ReleaseChange{Section: OfficialFigureChange, Year: ptrTo(o.Year), Subject: key(o), Before: ptrTo(o.Measure()), Description: "withdrawn"})
		}
	}
	return changes, nil
}

// headlineChanges compares the computed totals of each year both releases cover.
func (db *DB) headlineChanges(ctx context.Context, from, to *Release) ([]ReleaseChange, error) {
	changes := []ReleaseChange{}
	first, last := max(from.PeriodStart.Year(), to.PeriodStart.Year()), min(from.PeriodEnd.Year(), to.PeriodEnd.Year())
	for year := first; year <= last; year++ {
		f := StatisticsFilter{Years: []int{year}}
		before, err := db.LicenceStatisticsTotal(ctx, StatisticsQuery{Release: from, Filter: f})
		if err != nil {
			return nil, err
		}
		after, err := db.LicenceStatisticsTotal(ctx, StatisticsQuery{Release: to, Filter: f})
		if err != nil {
			return nil, err
		}
		for _, h := range computedHeadline {
			b, a := h.measure(before), h.measure(after)
			if !reflect.DeepEqual(a, b) {
				changes = append(changes, ReleaseChange{Section: HeadlineChange, Year: ptrTo(year), Subject: fmt.Sprintf("%d %s", year, h.metric),
					Before: &b, After: &a}.described(i18n.M("revised: %s", i18n.M(h.label))))
			}
		}
	}
	return changes, nil
}

// itemChanges compares the catch-all items of the two releases.
func (db *DB) itemChanges(ctx context.Context, from, to *Release) ([]ReleaseChange, error) {
	before, _, err := db.procedure(ctx, from, from.PublishedOn)
	if err != nil {
		return nil, err
	}
	after, _, err := db.procedure(ctx, to, to.PublishedOn)
	if err != nil {
		return nil, err
	}
	old := keyBy(before, func(i SurveillanceItem) string { return i.ID })
	changes := []ReleaseChange{}
	for _, i := range after {
		o, had := old[i.ID]
		switch {
		case i.Origin != CatchAll:
		case !had:
			changes = append(changes, ReleaseChange{Section: ListItemChange, Subject: i.ID}.described(i18n.M("new item, listed on %s", i.ListedOn.Format(time.DateOnly))))
		case !sameFacts(o, i):
			changes = append(changes, ReleaseChange{Section: ListItemChange, Subject: i.ID}.described(describeItemRevision(o, i)))
		}
	}
	return changes, nil
}

// sameFacts compares what the releases say of an item (its versions, listing and
// removal), not the day each was read on or the links between records.
func sameFacts(a, b SurveillanceItem) bool {
	return a.ListedOn.Equal(b.ListedOn) && reflect.DeepEqual(a.history, b.history) &&
		reflect.DeepEqual(a.removed, b.removed) && reflect.DeepEqual(a.reason, b.reason)
}

func describeItemRevision(before, after SurveillanceItem) i18n.Msg {
	last := func(i SurveillanceItem) ItemVersion { return i.history[len(i.history)-1] }
	switch {
	case after.removed != nil && before.removed == nil:
		return i18n.M("removed on %s: %s", after.removed.Format(time.DateOnly), derefOr(after.reason, ""))
	case len(after.history) > len(before.history):
		v := last(after)
		return i18n.M("amended on %s: %s", v.ValidFrom.Format(time.DateOnly), derefOr(v.Amendment, ""))
	}
	return i18n.M("the item's record was revised")
}
