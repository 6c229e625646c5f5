package db_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/release"
)

func itemIDs(items []db.SurveillanceItem) map[string]bool {
	ids := map[string]bool{}
	for _, i := range items {
		ids[i.ID] = true
	}
	return ids
}

// The list on a later date is the list on an earlier date plus what was added and
// minus what was removed in between.
func TestSurveillanceListAndChangesAgree(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	r := fixture.query.Release
	dates := []string{"2014-06-01", "2021-01-01", "2022-06-30", "2023-12-31", "2024-12-31", "2025-06-30", "2026-11-26"}
	for i := 1; i < len(dates); i++ {
		from, to := date(dates[i-1]), date(dates[i])
		before, err := fixture.db.SurveillanceListOn(ctx, r, from)
		if err != nil {
			t.Fatal(err)
		}
		after, err := fixture.db.SurveillanceListOn(ctx, r, to)
		if err != nil {
			t.Fatal(err)
		}
		changes, err := fixture.db.SurveillanceListChanges(ctx, r, from.AddDate(0, 0, 1), to)
		if err != nil {
			t.Fatal(err)
		}
		want := itemIDs(before.Items)
		var last *time.Time
		for _, c := range changes {
			switch c.Kind {
			case db.Added:
				want[c.Item.ID] = true
			case db.Removed:
				delete(want, c.Item.ID)
			}
			last = &c.Date
		}
		got := itemIDs(after.Items)
		if !maps.Equal(got, want) {
			t.Errorf("%s: list %v, but %s plus the changes gives %v", dates[i], slices.Sorted(maps.Keys(got)), dates[i-1], slices.Sorted(maps.Keys(want)))
		}
		if last != nil && (after.Version == nil || !after.Version.Equal(*last)) {
			t.Errorf("%s: version %v, want the last change %v", dates[i], after.Version, last)
		}
	}
}

func TestSurveillanceListOnADate(t *testing.T) {
	loadFixture(t)
	list, err := fixture.db.SurveillanceListOn(context.Background(), fixture.query.Release, date("2022-01-15"))
	if err != nil {
		t.Fatal(err)
	}
	ids := itemIDs(list.Items)
	for _, want := range []string{"ANNEX_I:5A001.j", "ANNEX_I:5D001.e", "EUL-2021-01"} {
		if !ids[want] {
			t.Errorf("list on 2022-01-15 lacks %s: %v", want, ids)
		}
	}
	if ids["EUL-2022-01"] {
		t.Error("list on 2022-01-15 has EUL-2022-01, listed in March 2022")
	}
	for _, i := range list.Items {
		if (i.Origin == db.CatchAll) != (i.Notification != nil) {
			t.Errorf("item %s (%s): notification %v; want one exactly for catch-all items", i.ID, i.Origin, i.Notification)
		}
	}
}

// Each procedure's status agrees with the list: a listed one's item is on it (until
// removed), the others have none.
func TestNotificationsAgreeWithTheList(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	r := fixture.query.Release
	for _, asOf := range []string{"2022-12-31", "2024-06-30", "2026-11-26"} {
		notifications, err := fixture.db.CatchAllNotifications(ctx, r, db.NotificationFilter{}, date(asOf))
		if err != nil {
			t.Fatal(err)
		}
		list, err := fixture.db.SurveillanceListOn(ctx, r, date(asOf))
		if err != nil {
			t.Fatal(err)
		}
		onList := map[string]bool{}
		for _, i := range list.Items {
			if i.NotificationID != nil {
				onList[*i.NotificationID] = true
			}
		}
		for _, n := range notifications {
			removed := n.ListItem != nil && n.ListItem.RemovedOn != nil && !n.ListItem.RemovedOn.After(date(asOf))
			listed := n.Status == db.Listed && n.ListedOn != nil && !removed
			if onList[n.ID] != listed {
				t.Errorf("%s on %s: status %s, listed %v, removed %t, but on the list: %t", n.ID, asOf, n.Status, n.ListedOn, removed, onList[n.ID])
			}
			tally := map[codes.Procedure]string{codes.EPPosition2018: "Article 238(3)(a) TFEU", codes.Article5: "Article 5 of Regulation (EU) 2021/821"}[n.Procedure]
			if !strings.Contains(n.Explanation(), tally) && n.Status != db.Withdrawn {
				t.Errorf("%s: explanation %q does not name its rule %q", n.ID, n.Explanation(), tally)
			}
		}
	}
}

// Every procedure's verdict, worked out here from the raw facts by plain counting,
// matches the one the API publishes.
func TestNotificationVerdictsFromTheFacts(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	asOf := date("2026-11-26")
	notifications, err := fixture.db.CatchAllNotifications(ctx, fixture.query.Release, db.NotificationFilter{}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(notifications) < 10 {
		t.Fatalf("%d notifications in the demo, want 10 to 20", len(notifications))
	}
	seen := map[db.NotificationStatus]int{}
	for _, n := range notifications {
		seen[n.Status]++
		want := verdict(t, fixture.rel, n.ID, fixture.query.Release.PublishedOn)
		if n.Status != want {
			t.Errorf("%s: status %s, but counting the objections gives %s (%s)", n.ID, n.Status, want, n.Explanation())
		}
	}
	for _, s := range []db.NotificationStatus{db.Listed, db.Objected, db.NotAgreed, db.Withdrawn, db.Pending} {
		if seen[s] == 0 {
			t.Errorf("no %s notification in the demo: %v", s, seen)
		}
	}
}

// verdict works the outcome out from the release's facts by plain counting. Under the
// Parliament's 2018 position, TFEU 238(3)(a): at least 55 % of the other members on the
// deadline, rounded up, and 65 % of their population (the deadline year's figures, the
// Council's where known, else Eurostat's), unless the states that did not object are
// fewer than the fewest holding more than 35 % plus one; an objection counts when its
// state was a member on that day and on the deadline. Under Article 5: published only
// when every other member agreed.
func verdict(t *testing.T, rel *release.Release, id string, published time.Time) db.NotificationStatus {
	var n release.Notification
	for _, x := range rel.Notifications {
		if x.ID == id {
			n = x
		}
	}
	listed := false
	for _, it := range rel.ListItems {
		listed = listed || it.NotificationID == id
	}
	if n.WithdrawnOn != nil {
		return db.Withdrawn
	}
	if n.Procedure == codes.Article5 {
		return article5Verdict(t, rel, n, listed, published)
	}
	if !n.Deadline.Before(published) {
		return db.Pending
	}
	pop := populations(t, n.Deadline.Year())
	var eligible, objecting []string
	for code := range pop {
		if code != n.NotifyingState && memberOn(t, code, n.Deadline) {
			eligible = append(eligible, code)
		}
	}
	for _, o := range rel.Objections {
		if o.NotificationID == id && slices.Contains(eligible, o.State) && memberOn(t, o.State, o.On) &&
			!o.On.After(n.Deadline) && !slices.Contains(objecting, o.State) {
			objecting = append(objecting, o.State)
		}
	}
	var popAll, popObj int64
	var sizes []int64
	for _, c := range eligible {
		popAll += pop[c]
		sizes = append(sizes, pop[c])
	}
	for _, c := range objecting {
		popObj += pop[c]
	}
	slices.Sort(sizes)
	slices.Reverse(sizes)
	blocking, held := 1, int64(0)
	for _, p := range sizes {
		held += p
		blocking++
		if held*100 > 35*popAll {
			break
		}
	}
	statesMet := len(objecting) >= (55*len(eligible)+99)/100
	if statesMet && (popObj*100 >= 65*popAll || len(eligible)-len(objecting) < blocking) {
		return db.Objected
	}
	return db.Listed
}

// article5Verdict: listed when published; else pending during the review period, or
// when every other member agreed by the release; else not agreed.
func article5Verdict(t *testing.T, rel *release.Release, n release.Notification, listed bool, published time.Time) db.NotificationStatus {
	agreed := 0
	var others int
	for _, m := range []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU",
		"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"} {
		if m == n.NotifyingState || !memberOn(t, m, published) {
			continue
		}
		others++
		for _, a := range rel.Agreements {
			if a.NotificationID == n.ID && a.State == m && !a.On.After(published) {
				agreed++
				break
			}
		}
	}
	switch {
	case listed:
		return db.Listed
	case !n.Deadline.Before(published) || agreed == others:
		return db.Pending
	}
	return db.NotAgreed
}

// populations are the figures of the year, the Council's where it has one, else
// Eurostat's; a year with a gap falls back to the latest earlier complete one.
func populations(t *testing.T, year int) map[string]int64 {
	conn := sqlConn(t, fixture.url)
	rows, err := conn.Query(context.Background(), `
		SELECT DISTINCT ON (member_state) member_state, population
		FROM qmv_population
		WHERE year = (SELECT max(year) FROM qmv_population y WHERE year <= greatest($1, 2015)
		              AND NOT EXISTS (SELECT FROM qmv_population g WHERE g.year = y.year AND g.population IS NULL))
		ORDER BY member_state, publisher = 'COUNCIL' DESC`, year)
	if err != nil {
		t.Fatal(err)
	}
	pop := map[string]int64{}
	var code string
	var p int64
	if _, err := pgx.ForEachRow(rows, []any{&code, &p}, func() error { pop[code] = p; return nil }); err != nil {
		t.Fatal(err)
	}
	return pop
}

func memberOn(t *testing.T, code string, d time.Time) bool {
	m, err := fixture.db.MemberState(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return !m.MemberFrom.After(d) && (m.MemberUntil == nil || !m.MemberUntil.Before(d))
}

func TestCatchAllNotificationFilters(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	r := fixture.query.Release
	asOf := date("2026-11-26")
	all, err := fixture.db.CatchAllNotifications(ctx, r, db.NotificationFilter{}, asOf)
	if err != nil {
		t.Fatal(err)
	}
	objected := db.Objected
	tests := []struct {
		name   string
		filter db.NotificationFilter
		keep   func(db.CatchAllNotification) bool
	}{
		{name: "status", filter: db.NotificationFilter{Status: &objected}, keep: func(n db.CatchAllNotification) bool { return n.Status == db.Objected }},
		{name: "notifying state by EU code", filter: db.NotificationFilter{MemberState: "de"}, keep: func(n db.CatchAllNotification) bool { return n.NotifyingStateCode == "DE" }},
		{name: "notified in 2022", filter: db.NotificationFilter{From: ptr(date("2022-01-01")), To: ptr(date("2022-12-31"))},
			keep: func(n db.CatchAllNotification) bool { return n.NotifiedOn.Year() == 2022 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fixture.db.CatchAllNotifications(ctx, r, tt.filter, asOf)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range all {
				if tt.keep(n) {
					want = append(want, n.ID)
				}
			}
			var ids []string
			for _, n := range got {
				ids = append(ids, n.ID)
			}
			if len(want) == 0 || !slices.Equal(ids, want) {
				t.Errorf("got %v, want %v (and some)", ids, want)
			}
		})
	}
	if _, err := fixture.db.CatchAllNotifications(ctx, r, db.NotificationFilter{MemberState: "XX"}, asOf); apperr.CodeOf(err) != apperr.Invalid {
		t.Errorf("unknown state: %v, want INVALID_INPUT", err)
	}
}

// The statistics can be restricted to the items on the list on a date.
func TestStatisticsOnTheList(t *testing.T) {
	loadFixture(t)
	ctx := context.Background()
	list, err := fixture.db.SurveillanceListOn(ctx, fixture.query.Release, date("2019-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	entries := map[string]bool{}
	for _, i := range list.Items {
		if i.ControlEntryCode != nil {
			entries[*i.ControlEntryCode] = true
		}
	}
	q := fixture.query
	q.GroupBy, q.Filter = []db.Dimension{db.DimYear}, db.StatisticsFilter{OnSurveillanceList: ptr(date("2019-06-30"))}
	rows, err := fixture.db.LicenceStatisticsRows(ctx, q, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := truth(q.GroupBy, func(d release.Decision) bool { return entries[d.ControlEntry] })
	checkRowsListed(t, rows, want)
	if len(rows) == 0 {
		t.Fatalf("no rows: the case tests nothing")
	}
	for _, r := range rows {
		checkCount(t, rowKey(r), r.Applications, want[rowKey(r)].applications, 2)
	}
	if entries["5A004.b"] {
		t.Error("5A004.b came on the list in December 2020, not by June 2019")
	}
}
