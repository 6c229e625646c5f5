package release

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const legal = "Article 5(2) of Regulation (EU) 2021/821; synthetic "

func TestReadGoodProcedure(t *testing.T) {
	rel, err := Read("testdata/good", testRef())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	wantNotifications := []Notification{
		{Line: 2, ID: "SYN-2022-01", NotifyingState: "DE", NotifiedOn: date("2022-03-01"), Deadline: date("2022-04-12"),
			ItemDescription: "IMSI catcher kit for a law-enforcement end user (synthetic)", ControlEntry: "5A001.f",
			Destinations: []string{"EG", "CN"}, LegalReference: legal + "notification SYN-2022-01"},
		{Line: 3, ID: "SYN-2023-01", NotifyingState: "FR", NotifiedOn: date("2023-01-10"), Deadline: date("2023-02-21"),
			ItemDescription: "Deep packet inspection appliance for a national internet gateway (synthetic)",
			ControlEntry:    "5A001.j", LegalReference: legal + "notification SYN-2023-01"},
		{Line: 4, ID: "SYN-2023-02", NotifyingState: "GR", NotifiedOn: date("2023-06-01"), Deadline: date("2023-07-13"),
			ItemDescription: "Mobile forensic extraction kit (synthetic)", Destinations: []string{"RU"},
			WithdrawnOn: datePtr("2023-06-20"), LegalReference: legal + "notification SYN-2023-02"},
		{Line: 5, ID: "SYN-2024-01", NotifyingState: "SE", NotifiedOn: date("2024-02-05"), Deadline: date("2024-03-18"),
			ItemDescription: "Facial-recognition analytics for public CCTV networks (synthetic)",
			LegalReference:  legal + "notification SYN-2024-01"},
		{Line: 6, ID: "SYN-2025-01", NotifyingState: "IT", NotifiedOn: date("2025-06-16"), Deadline: date("2025-07-28"),
			ItemDescription: "Social-media monitoring platform (synthetic)", Destinations: []string{"AE"},
			LegalReference: legal + "notification SYN-2025-01"},
	}
	if !reflect.DeepEqual(rel.Notifications, wantNotifications) {
		t.Errorf("Notifications:\n got %+v\nwant %+v", rel.Notifications, wantNotifications)
	}
	wantItems := []ListItem{
		{Line: 2, ID: "EUL-2022-01", NotificationID: "SYN-2022-01", Description: "IMSI catchers for law-enforcement end users (synthetic)",
			Destinations: []string{"EG", "CN", "AE"}, ListedOn: date("2022-04-20"), AmendedOn: datePtr("2023-05-02"),
			Amendment: "Scope widened to AE (synthetic)", LegalReference: legal + "listing EUL-2022-01"},
		{Line: 3, ID: "EUL-2024-01", NotificationID: "SYN-2024-01", Description: "Facial-recognition analytics for public CCTV networks (synthetic)",
			ListedOn: date("2024-03-25"), RemovedOn: datePtr("2025-01-15"), RemovalReason: "Covered by Annex I entry 5A004.b (synthetic)",
			LegalReference: legal + "listing EUL-2024-01"},
	}
	if !reflect.DeepEqual(rel.ListItems, wantItems) {
		t.Errorf("ListItems:\n got %+v\nwant %+v", rel.ListItems, wantItems)
	}
	if len(rel.Objections) != 9 || rel.Objections[7] != (Objection{Line: 9, NotificationID: "SYN-2024-01", State: "GR", On: date("2024-03-18")}) {
		t.Errorf("Objections = %+v", rel.Objections)
	}
}

func TestTally(t *testing.T) {
	rel, err := Read("testdata/good", testRef())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	tests := []struct {
		name      string
		n         int
		counted   []string
		year      int
		qualified bool
		explains  string
	}{
		{name: "one objection", n: 0, counted: []string{"SE"}, year: 2016, explains: "1 of 5 states objected (20.0 % < 55 %)"},
		{name: "qualified majority", n: 1, counted: []string{"DE", "IT", "NL"}, year: 2016, qualified: true,
			explains: "3 of 5 states objected (60.0 % ≥ 55 %), representing 88.6 %"},
		{name: "withdrawn, counted anyway", n: 2, counted: []string{"FR"}, year: 2016},
		{name: "enough states, too little population", n: 3, counted: []string{"FR", "GR", "NL"}, year: 2016,
			explains: "representing 39.8 % of their population (< 65 %): no qualified majority"},
		{name: "pending, figures of its own year", n: 4, counted: []string{"DE"}, year: 2025},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rel.Tally(rel.Notifications[tt.n])
			if err != nil {
				t.Fatal(err)
			}
			if got.Eligible != 5 || !slices.Equal(got.Counted, tt.counted) || got.PopulationYear != tt.year ||
				got.QualifiedMajority != tt.qualified || !strings.Contains(got.Explanation(), tt.explains) {
				t.Errorf("Tally = %+v (%s), want %v counted, figures for %d, qualified majority %v, explaining %q",
					got, got.Explanation(), tt.counted, tt.year, tt.qualified, tt.explains)
			}
		})
	}
}

func TestReadBadProcedure(t *testing.T) {
	want := []wantProblem{
		{"catch_all_notifications.csv:17: notification_id", "required"},
		{"catch_all_notifications.csv:18: notification_id", "65 characters, at most 64 allowed"},
		{"catch_all_notifications.csv:19: notification_id", `notification "N-A" given twice: first on line 2`},
		{"catch_all_notifications.csv:20: notifying_state", `unknown Member State "XX"`},
		{"catch_all_notifications.csv:21: notifying_state", "GB was not a Member State on 2025-06-02"},
		{"catch_all_notifications.csv:22: notified_on", "2021-09-08 is before 2021-09-09, when Regulation (EU) 2021/821 introduced the procedure"},
		{"catch_all_notifications.csv:23: notified_on", `"2025-13-01" is not a date`},
		{"catch_all_notifications.csv:24: notified_on", "2025-07-01 is after the release's publication date 2025-06-30"},
		{"catch_all_notifications.csv:25: item_description", "required"},
		{"catch_all_notifications.csv:26: control_entry", `unknown control entry "9Z999"`},
		{"catch_all_notifications.csv:27: destinations", `unknown country "XX"`},
		{"catch_all_notifications.csv:28: destinations", "EG given twice"},
		{"catch_all_notifications.csv:29: objection_deadline", `"2025-07-32" is not a date`},
		{"catch_all_notifications.csv:30: objection_deadline", "the deadline 2025-06-02 is not after the notification on 2025-06-02"},
		{"catch_all_notifications.csv:31: withdrawn_on", "2025-07-01 is after the release's publication date"},
		{"catch_all_notifications.csv:32: withdrawn_on", "2025-06-20 is not between the notification on 2025-05-02 and the deadline 2025-06-13"},
		{"catch_all_notifications.csv:33: legal_reference", "required"},
		{"catch_all_notifications.csv:34: notification_id", "not objected to by a qualified majority but placed no item on the list (0 of 5 states objected"},
		{"list_items.csv:3: item_id", `item "I-A" given twice: first on line 2`},
		{"list_items.csv:4: item_id", "required"},
		{"list_items.csv:5: item_id", "65 characters, at most 64 allowed"},
		{"list_items.csv:6: notification_id", `no notification "N-XX" in catch_all_notifications.csv`},
		{"list_items.csv:7: notification_id", `notification "N-W" was withdrawn on 2023-01-31`},
		{"list_items.csv:8: notification_id", `the deadline 2025-07-28 of notification "N-P" is after the release's publication date 2025-06-30`},
		{"list_items.csv:9: notification_id", "listed although a qualified majority objected (3 of 5 states objected (60.0 % ≥ 55 %), representing 88.6 %"},
		{"list_items.csv:11: notification_id", `notification "N-2" placed a second item on the list: the first on line 10`},
		{"list_items.csv:12: description", "required"},
		{"list_items.csv:12: destinations", `empty code in "EG;;CN"`},
		{"list_items.csv:12: legal_reference", "required"},
		{"list_items.csv:13: listed_on", "the listing on 2022-04-12 is not after the objection deadline 2022-04-12"},
		{"list_items.csv:13: amendment", "given without amended_on"},
		{"list_items.csv:13: removal_reason", "given without removed_on"},
		{"list_items.csv:14: listed_on", "2025-07-01 is after the release's publication date 2025-06-30"},
		{"list_items.csv:15: amended_on", "the amendment on 2022-04-19 is not after the listing on 2022-04-20"},
		{"list_items.csv:15: removed_on", "the removal on 2022-04-20 is not after the listing on 2022-04-20"},
		{"list_items.csv:16: amendment", "required with amended_on: what the amendment changed"},
		{"list_items.csv:16: removed_on", "the removal on 2023-01-01 is not after the amendment on 2023-02-01"},
		{"list_items.csv:17: destinations", `unknown country "XX"`},
		{"list_items.csv:17: removal_reason", "required with removed_on: why the item was removed"},
		{"objections.csv:3: objecting_state", `FR objected to notification "N-A" twice: first on line 2`},
		{"objections.csv:4: notification_id", "required"},
		{"objections.csv:5: notification_id", `no notification "N-XX" in catch_all_notifications.csv`},
		{"objections.csv:6: objecting_state", `unknown Member State "XX"`},
		{"objections.csv:7: objecting_state", "objection by the notifying state DE"},
		{"objections.csv:8: objecting_state", "GB was not a Member State on 2022-04-12, the objection deadline"},
		{"objections.csv:9: objected_on", `"2022-02-30" is not a date`},
		{"objections.csv:10: objected_on", "objection on 2022-02-28, before the notification on 2022-03-01"},
		{"objections.csv:11: objected_on", "objection on 2022-04-13, after the deadline 2022-04-12"},
		{"objections.csv:12: objected_on", "objection on 2023-02-01, after the notification was withdrawn on 2023-01-31"},
		{"objections.csv:13: objected_on", "2025-07-01 is after the release's publication date 2025-06-30"},
	}
	_, err := Read("testdata/bad-procedure", testRef())
	checkProblems(t, err, want)
}

func TestReadProcedureProblems(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(testing.TB, string)
		ref    func(*Reference)
		want   []wantProblem
	}{
		{
			name:   "all three or none",
			mutate: func(t testing.TB, dir string) { _ = os.Remove(filepath.Join(dir, objectionsFile)) },
			want: []wantProblem{{"objections.csv:0: -",
				"missing file: the catch-all procedure needs catch_all_notifications.csv, objections.csv, list_items.csv, all three or none"}},
		},
		{
			name: "a bad notifications header stops the checks against it",
			mutate: func(t testing.TB, dir string) {
				putFile(t, dir, notificationsFile, "notification_id,member_state,notified_on,deadline,item_description\n")
			},
			want: []wantProblem{{"catch_all_notifications.csv:1: -", `header is "notification_id,member_state,`}},
		},
		{
			name: "no population figures to count with",
			ref:  func(ref *Reference) { ref.Population = nil },
			want: []wantProblem{
				{"catch_all_notifications.csv:2: objection_deadline", "cannot count the objections: the reference data has no Council population figures"},
				{"catch_all_notifications.csv:3: objection_deadline", "cannot count the objections"},
				{"catch_all_notifications.csv:5: objection_deadline", "cannot count the objections"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyGood(t)
			ref := testRef()
			if tt.mutate != nil {
				tt.mutate(t, dir)
			}
			if tt.ref != nil {
				tt.ref(&ref)
			}
			_, err := Read(dir, ref)
			checkProblems(t, err, tt.want)
		})
	}
}

func TestReadWithoutProcedure(t *testing.T) {
	dir := copyGood(t)
	for _, name := range optionalFiles {
		_ = os.Remove(filepath.Join(dir, name))
	}
	rel, err := Read(dir, testRef())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if rel.Notifications != nil || rel.Objections != nil || rel.ListItems != nil {
		t.Errorf("procedure read from no files: %+v %+v %+v", rel.Notifications, rel.Objections, rel.ListItems)
	}
}
