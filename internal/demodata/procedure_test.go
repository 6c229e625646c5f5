package demodata

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/agreement"
	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/qmv"
	"github.com/dualuse-transparency/portal/internal/release"
)

// The headers of the procedure files, as the release format gives them.
var procedureHeaders = map[string]string{
	"catch_all_notifications.csv": "notification_id,procedure,notifying_state,notified_on,item_description,control_entry,destinations,deadline,withdrawn_on,legal_reference",
	"objections.csv":              "notification_id,objecting_state,objected_on",
	"agreements.csv":              "notification_id,member_state,agreed_on",
	"list_items.csv":              "item_id,notification_id,valid_from,description,control_entry,destinations,amendment,removed_on,removal_reason,legal_reference",
}

// readRelease reads dir the way the importer does, failing on any problem.
func readRelease(t *testing.T, dir string) *release.Release {
	t.Helper()
	rel, err := release.Read(dir, releaseReference(t))
	if err != nil {
		t.Fatalf("release.Read: %v", err)
	}
	return rel
}

// story is the procedure files of a release, read back: the rows by column name, the
// responses and the versions of the items by notification.
type story struct {
	published     time.Time
	notifications []map[string]string
	objections    map[string][]map[string]string
	agreements    map[string][]map[string]string
	versions      map[string][]map[string]string
}

func readStory(t *testing.T, dir string, published time.Time) story {
	t.Helper()
	s := story{published: published, objections: map[string][]map[string]string{},
		agreements: map[string][]map[string]string{}, versions: map[string][]map[string]string{}}
	for name, want := range procedureHeaders {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		header, err := csv.NewReader(f).Read()
		f.Close()
		if err != nil || strings.Join(header, ",") != want {
			t.Fatalf("%s: header %q, %v; want %q", name, header, err, want)
		}
	}
	s.notifications = readTable(t, filepath.Join(dir, "catch_all_notifications.csv"))
	for _, r := range readTable(t, filepath.Join(dir, "objections.csv")) {
		s.objections[r["notification_id"]] = append(s.objections[r["notification_id"]], r)
	}
	for _, r := range readTable(t, filepath.Join(dir, "agreements.csv")) {
		s.agreements[r["notification_id"]] = append(s.agreements[r["notification_id"]], r)
	}
	for _, r := range readTable(t, filepath.Join(dir, "list_items.csv")) {
		s.versions[r["notification_id"]] = append(s.versions[r["notification_id"]], r)
	}
	return s
}

// verdict is how a notification stood on the publication date, judged from the files
// by the rules of its procedure.
type verdict struct {
	outcome  string // LISTED, OBJECTED, NOT_AGREED, WITHDRAWN or PENDING
	tally    *qmv.Tally
	agreed   *agreement.Tally
	deadline time.Time
}

// procRules is the reference data the verdicts need.
type procRules struct {
	members map[string]qmv.Span
	figures qmv.Figures
}

func loadRules(t *testing.T) procRules {
	t.Helper()
	rs := procRules{members: map[string]qmv.Span{}, figures: qmvFigures(t)}
	for _, r := range readTable(t, "../../db/reference/member_states.csv") {
		rs.members[r["iso2"]] = qmv.Span{From: mustDate(r["member_from"]), Until: optionalDate(r["member_until"])}
	}
	return rs
}

// judge counts the outcomes of the story and checks each notification against the
// rule of its procedure, the history it comes from and the release format.
func judge(t *testing.T, rs procRules, s story) (Summary, map[string]verdict) {
	t.Helper()
	var sum Summary
	verdicts := map[string]verdict{}
	for _, n := range s.notifications {
		id := n["notification_id"]
		v, err := rs.verdict(n, s)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		verdicts[id] = v
		sum.Notifications++
		switch v.outcome {
		case "LISTED":
			sum.Listed++
		case "OBJECTED":
			sum.Objected++
		case "NOT_AGREED":
			sum.NotAgreed++
		case "WITHDRAWN":
			sum.Withdrawn++
		case "PENDING":
			sum.Pending++
		}
		if listed := len(s.versions[id]) > 0; listed != (v.outcome == "LISTED") {
			t.Errorf("%s: %s, yet %d versions of an item", id, v.outcome, len(s.versions[id]))
		}
		checkNotice(t, rs, n, s)
		checkVersions(t, n, v, s)
		checkHistory(t, n, v)
	}
	return sum, verdicts
}

func (rs procRules) verdict(n map[string]string, s story) (verdict, error) {
	v := verdict{deadline: mustDate(n["deadline"])}
	switch codes.Procedure(n["procedure"]) {
	case codes.EPPosition2018:
		p := qmv.Procedure{Notifying: n["notifying_state"], Deadline: v.deadline, Membership: rs.members}
		var others []string
		for iso, span := range rs.members {
			if iso != p.Notifying && span.Contains(v.deadline) {
				others = append(others, iso)
			}
		}
		w, err := rs.figures.For(v.deadline.Year(), others)
		if err != nil {
			return v, err
		}
		p.Weights = w
		for _, o := range s.objections[n["notification_id"]] {
			p.Objections = append(p.Objections, qmv.Objection{State: o["objecting_state"], On: mustDate(o["objected_on"])})
		}
		tally, err := qmv.Decide(p)
		if err != nil {
			return v, err
		}
		v.tally = &tally
	case codes.Article5:
		p := agreement.Procedure{Notifying: n["notifying_state"], On: v.deadline, Membership: rs.members}
		for _, a := range s.agreements[n["notification_id"]] {
			p.Agreements = append(p.Agreements, agreement.Agreement{State: a["member_state"], On: mustDate(a["agreed_on"])})
		}
		tally, err := agreement.Count(p)
		if err != nil {
			return v, err
		}
		v.agreed = &tally
	default:
		return v, fmt.Errorf("procedure %q", n["procedure"])
	}
	switch {
	case n["withdrawn_on"] != "":
		v.outcome = "WITHDRAWN"
	case !v.deadline.Before(s.published):
		v.outcome = "PENDING"
	case v.tally != nil && v.tally.QualifiedMajority:
		v.outcome = "OBJECTED"
	case v.agreed != nil && !v.agreed.AllAgreed:
		v.outcome = "NOT_AGREED"
	default:
		v.outcome = "LISTED"
	}
	return v, nil
}

// checkNotice checks a notification and its responses against the format's rules.
func checkNotice(t *testing.T, rs procRules, n map[string]string, s story) {
	t.Helper()
	id, state := n["notification_id"], n["notifying_state"]
	notified, deadline := mustDate(n["notified_on"]), mustDate(n["deadline"])
	checkSynthetic(t, id, n["item_description"], n["legal_reference"])
	if !rs.members[state].Contains(notified) {
		t.Errorf("%s: notified by %s, not a Member State on %s", id, state, n["notified_on"])
	}
	if !deadline.After(notified) || notified.After(s.published) {
		t.Errorf("%s: notified %s, deadline %s, published %s", id, n["notified_on"], n["deadline"], format(s.published))
	}
	refs2021 := strings.Contains(n["legal_reference"], "2021/821")
	var responses []map[string]string
	col := map[string]string{}
	switch codes.Procedure(n["procedure"]) {
	case codes.EPPosition2018:
		if refs2021 || !strings.Contains(n["legal_reference"], "P8_TA(2018)0006") {
			t.Errorf("%s: EP_POSITION_2018 notification with legal reference %q", id, n["legal_reference"])
		}
		if len(s.agreements[id]) > 0 {
			t.Errorf("%s: agreements to an EP_POSITION_2018 notification", id)
		}
		responses, col["state"], col["on"] = s.objections[id], "objecting_state", "objected_on"
	case codes.Article5:
		if !refs2021 {
			t.Errorf("%s: Article 5 notification with legal reference %q", id, n["legal_reference"])
		}
		if n["notified_on"] < cyberCatchAllFrom {
			t.Errorf("%s: Article 5 notification on %s, before Regulation (EU) 2021/821 applied", id, n["notified_on"])
		}
		if len(s.objections[id]) > 0 {
			t.Errorf("%s: objections to an Article 5 notification", id)
		}
		responses, col["state"], col["on"] = s.agreements[id], "member_state", "agreed_on"
	}
	last := ""
	seen := map[string]bool{}
	for _, r := range responses {
		who, on := r[col["state"]], r[col["on"]]
		day := mustDate(on)
		switch {
		case who == state || seen[who]:
			t.Errorf("%s: response by %s, the notifying state or twice", id, who)
		case !rs.members[who].Contains(day):
			t.Errorf("%s: response by %s on %s, not then a Member State", id, who, on)
		case day.Before(notified) || day.After(deadline) || day.After(s.published) ||
			n["withdrawn_on"] != "" && on > n["withdrawn_on"]:
			t.Errorf("%s: response by %s on %s, outside the window %s to %s", id, who, on, n["notified_on"], n["deadline"])
		case !isWorkingDay(day) || on < last:
			t.Errorf("%s: response by %s on %s, not a working day or out of order", id, who, on)
		}
		seen[who], last = true, on
	}
}

// checkVersions checks the versions of the item a notification listed: in order, each
// an amendment that changes the scope, the removal on the latest only.
func checkVersions(t *testing.T, n map[string]string, v verdict, s story) {
	t.Helper()
	versions := s.versions[n["notification_id"]]
	if len(versions) == 0 {
		return
	}
	id := versions[0]["item_id"]
	first := versions[0]["valid_from"]
	switch {
	case first <= n["deadline"] || first > format(s.published):
		t.Errorf("%s: listed on %s, not after the deadline %s and by publication", id, first, n["deadline"])
	case v.agreed != nil && len(s.agreements[n["notification_id"]]) > 0 &&
		first < s.agreements[n["notification_id"]][len(s.agreements[n["notification_id"]])-1]["agreed_on"]:
		t.Errorf("%s: published on %s, before the last agreement", id, first)
	}
	scopeOf := func(r map[string]string) string {
		return r["description"] + "|" + r["control_entry"] + "|" + r["destinations"]
	}
	for i, r := range versions {
		checkSynthetic(t, id, r["description"], r["amendment"], r["removal_reason"], r["legal_reference"])
		switch {
		case r["item_id"] != id:
			t.Errorf("%s: notification %s has items %s and %s", id, n["notification_id"], id, r["item_id"])
		case i == 0 && r["amendment"] != "":
			t.Errorf("%s: the listing has amendment %q", id, r["amendment"])
		case i > 0 && (r["amendment"] == "" || r["valid_from"] <= versions[i-1]["valid_from"] || scopeOf(r) == scopeOf(versions[i-1])):
			t.Errorf("%s: version %d from %s, amendment %q: not a later change of the scope", id, i+1, r["valid_from"], r["amendment"])
		case r["removed_on"] != "" && (i < len(versions)-1 || r["removed_on"] <= r["valid_from"] || r["removal_reason"] == ""):
			t.Errorf("%s: removed on %s on version %d of %d from %s", id, r["removed_on"], i+1, len(versions), r["valid_from"])
		case r["removed_on"] == "" && r["removal_reason"] != "":
			t.Errorf("%s: removal reason without a removal", id)
		}
	}
}

// checkHistory checks the verdict of a decided notification against what the history
// says it is.
func checkHistory(t *testing.T, row map[string]string, v verdict) {
	t.Helper()
	i := slices.IndexFunc(history, func(n notice) bool { return n.id == row["notification_id"] })
	if i < 0 {
		t.Errorf("%s: not in the history", row["notification_id"])
		return
	}
	n := history[i]
	if string(n.procedure) != row["procedure"] {
		t.Errorf("%s: procedure %s, history %s", n.id, row["procedure"], n.procedure)
	}
	switch {
	case v.outcome == "WITHDRAWN" || v.outcome == "PENDING":
	case v.tally != nil && v.tally.QualifiedMajority != n.objected:
		t.Errorf("%s: history says objected = %v, but %s", n.id, n.objected, v.tally.Explanation())
	case v.agreed != nil && v.agreed.AllAgreed != (len(n.withheld) == 0):
		t.Errorf("%s: history says %v withheld agreement, but %s", n.id, n.withheld, v.agreed.Explanation())
	}
}

// checkSynthetic requires each text that is given to say it is synthetic.
func checkSynthetic(t *testing.T, id string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if s != "" && !strings.Contains(strings.ToLower(s), "synthetic") {
			t.Errorf("%s: %q does not say it is synthetic", id, s)
		}
	}
}

func sameCounts(a, b Summary) bool {
	return a.Notifications == b.Notifications && a.Listed == b.Listed && a.Objected == b.Objected &&
		a.NotAgreed == b.NotAgreed && a.Withdrawn == b.Withdrawn && a.Pending == b.Pending
}

func counts(s Summary) string {
	return fmt.Sprintf("%d notifications: %d listed, %d objected, %d not agreed, %d withdrawn, %d pending",
		s.Notifications, s.Listed, s.Objected, s.NotAgreed, s.Withdrawn, s.Pending)
}

// TestDefaultProcedure reads the default release back with the importer's checks and
// judges the story its catch-all history tells.
func TestDefaultProcedure(t *testing.T) {
	sum, _, _ := defaultRelease(t)
	dir := filepath.Join(testDir, "default")
	readRelease(t, dir)
	got, _ := judge(t, loadRules(t), readStory(t, dir, mustDate("2025-06-30")))
	want := Summary{Notifications: 24, Listed: 13, Objected: 5, NotAgreed: 2, Withdrawn: 1, Pending: 3}
	if !sameCounts(sum, want) || !sameCounts(got, want) {
		t.Errorf("Summary %s\nfiles   %s\nwant    %s", counts(sum), counts(got), counts(want))
	}
}

// TestProcedureStory judges the whole history, every notification decided, for the
// cases it is there to show.
func TestProcedureStory(t *testing.T) {
	dir := t.TempDir()
	published := mustDate("2026-03-01")
	if _, err := Write(dir, Options{Seed: 5, Decisions: 1000, PublishedOn: published}); err != nil {
		t.Fatal(err)
	}
	rs := loadRules(t)
	s := readStory(t, dir, published)
	_, verdicts := judge(t, rs, s)
	var (
		procedures                             = map[codes.Procedure]int{}
		epBefore2021, epAfter2021              int
		allAgreed, notAgreed                   int
		statesOnly, populationOnly, deemed     int
		leftInWindow                           []string
		twoVersions, threeVersions, removedOne int
	)
	for _, n := range s.notifications {
		id, p := n["notification_id"], codes.Procedure(n["procedure"])
		v := verdicts[id]
		procedures[p]++
		if p == codes.EPPosition2018 && n["deadline"] < cyberCatchAllFrom {
			epBefore2021++
		} else if p == codes.EPPosition2018 {
			epAfter2021++
		}
		if v.agreed != nil && v.outcome != "WITHDRAWN" {
			if v.agreed.AllAgreed {
				allAgreed++
			} else {
				notAgreed++
			}
		}
		if tally := v.tally; tally != nil && v.outcome != "WITHDRAWN" {
			switch {
			case !tally.QualifiedMajority && tally.StatesMet():
				statesOnly++
			case !tally.QualifiedMajority && tally.PopulationMet():
				populationOnly++
			case tally.DeemedAttained && n["notifying_state"] == "LU" && tally.NotObjecting == 3 && tally.BlockingMinimum == 4:
				deemed++
			}
			for _, ig := range tally.Ignored {
				if ig.Reason == "not a Member State on the deadline" && rs.members[ig.State].Contains(mustDate(n["notified_on"])) {
					leftInWindow = append(leftInWindow, id+" "+ig.State)
				}
			}
		}
		switch vs := s.versions[id]; {
		case len(vs) == 2:
			twoVersions++
		case len(vs) == 3:
			threeVersions++
		}
		if vs := s.versions[id]; len(vs) > 0 && vs[len(vs)-1]["removed_on"] != "" {
			removedOne++
		}
	}
	tests := []struct {
		name string
		ok   bool
	}{
		{fmt.Sprintf("both procedures: %v", procedures), procedures[codes.EPPosition2018] > 0 && procedures[codes.Article5] > 0},
		{fmt.Sprintf("EP_POSITION_2018 before (%d) and after (%d) 2021/821 applied", epBefore2021, epAfter2021), epBefore2021 > 0 && epAfter2021 > 0},
		{fmt.Sprintf("Article 5: %d all agreed, %d not", allAgreed, notAgreed), allAgreed >= 2 && notAgreed >= 2},
		{fmt.Sprintf("close calls: %d with enough states only, %d with enough population only", statesOnly, populationOnly), statesOnly > 0 && populationOnly > 0},
		{fmt.Sprintf("%d qualified majorities deemed attained for want of a blocking minority", deemed), deemed == 1},
		{fmt.Sprintf("objections by a state that left in the window: %v", leftInWindow), len(leftInWindow) == 1},
		{fmt.Sprintf("items with two versions: %d, three: %d", twoVersions, threeVersions), twoVersions >= 1 && threeVersions >= 1},
		{fmt.Sprintf("items removed: %d", removedOne), removedOne == 1},
	}
	for _, tt := range tests {
		if !tt.ok {
			t.Error(tt.name)
		}
	}
}

// TestProcedureAtOtherDates tells the history as of other publication dates: before
// the first notification, in the middle of it, and after every notification closed.
func TestProcedureAtOtherDates(t *testing.T) {
	tests := []struct {
		name      string
		published string
		want      Summary
	}{
		{name: "before the first notification", published: "2018-06-11", want: Summary{}},
		{name: "before the United Kingdom left", published: "2020-01-30", want: Summary{Notifications: 4, Listed: 2, Objected: 1, Pending: 1}},
		{name: "before 2021/821 applied", published: "2021-06-30", want: Summary{Notifications: 4, Listed: 3, Objected: 1}},
		{name: "deadline day of SYN-2022-01 is pending", published: "2022-03-01", want: Summary{Notifications: 6, Listed: 4, Objected: 1, Pending: 1}},
		{name: "mid-2023", published: "2023-06-30", want: Summary{Notifications: 14, Listed: 10, Objected: 2, Withdrawn: 1, Pending: 1}},
		{name: "all closed", published: "2026-03-01", want: Summary{Notifications: 24, Listed: 16, Objected: 5, NotAgreed: 2, Withdrawn: 1}},
	}
	rs := loadRules(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			published := mustDate(tt.published)
			sum, err := Write(dir, Options{Seed: 5, Decisions: 1000, PublishedOn: published})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := judge(t, rs, readStory(t, dir, published))
			if !sameCounts(sum, tt.want) || !sameCounts(got, tt.want) {
				t.Errorf("Summary %s\nfiles   %s\nwant    %s", counts(sum), counts(got), counts(tt.want))
			}
			readRelease(t, dir)
		})
	}
}
