package release

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/qmv"
)

// epLegal and a5Legal are how the good fixture's notifications cite what they rest on.
const (
	epLegal = " under the European Parliament's position of 17 January 2018 (P8_TA(2018)0006)"
	a5Legal = " provided under Article 5(4) of Regulation (EU) 2021/821"
)

func TestReadGoodProcedure(t *testing.T) {
	rel, err := Read("testdata/good", testRef())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	wantNotifications := []Notification{
		{Line: 2, ID: "SYN-2022-01", Procedure: codes.EPPosition2018, NotifyingState: "DE", NotifiedOn: date("2022-03-01"),
			Deadline: date("2022-04-12"), ItemDescription: "IMSI catcher kit for a law-enforcement end user (synthetic)",
			ControlEntry: "5A001.f", Destinations: []string{"EG", "CN"}, LegalReference: "Synthetic notification SYN-2022-01" + epLegal},
		{Line: 3, ID: "SYN-2023-01", Procedure: codes.EPPosition2018, NotifyingState: "FR", NotifiedOn: date("2023-01-10"),
			Deadline: date("2023-02-21"), ItemDescription: "Deep packet inspection appliance for a national internet gateway (synthetic)",
			ControlEntry: "5A001.j", LegalReference: "Synthetic notification SYN-2023-01" + epLegal},
		{Line: 4, ID: "SYN-2023-02", Procedure: codes.EPPosition2018, NotifyingState: "GR", NotifiedOn: date("2023-06-01"),
			Deadline: date("2023-07-13"), ItemDescription: "Mobile forensic extraction kit (synthetic)", Destinations: []string{"RU"},
			WithdrawnOn: datePtr("2023-06-20"), LegalReference: "Synthetic notification SYN-2023-02" + epLegal},
		{Line: 5, ID: "SYN-2024-01", Procedure: codes.EPPosition2018, NotifyingState: "DE", NotifiedOn: date("2024-02-05"),
			Deadline: date("2024-03-18"), ItemDescription: "Facial-recognition analytics for public CCTV networks (synthetic)",
			LegalReference: "Synthetic notification SYN-2024-01" + epLegal},
		{Line: 6, ID: "SYN-2025-01", Procedure: codes.EPPosition2018, NotifyingState: "IT", NotifiedOn: date("2025-06-16"),
			Deadline: date("2025-07-28"), ItemDescription: "Social-media monitoring platform (synthetic)", Destinations: []string{"AE"},
			LegalReference: "Synthetic notification SYN-2025-01" + epLegal},
		{Line: 7, ID: "SYN-2019-01", Procedure: codes.EPPosition2018, NotifyingState: "FR", NotifiedOn: date("2019-12-16"),
			Deadline: date("2020-02-14"), ItemDescription: "Lawful interception management system (synthetic)", ControlEntry: "5A001.j",
			Destinations: []string{"CN"}, LegalReference: "Synthetic notification SYN-2019-01" + epLegal},
		{Line: 8, ID: "SYN-2024-03", Procedure: codes.EPPosition2018, NotifyingState: "SE", NotifiedOn: date("2024-09-02"),
			Deadline: date("2024-10-14"), ItemDescription: "Spyware delivery platform (synthetic)",
			LegalReference: "Synthetic notification SYN-2024-03" + epLegal},
		{Line: 9, ID: "SYN-2023-03", Procedure: codes.Article5, NotifyingState: "NL", NotifiedOn: date("2023-09-04"),
			Deadline: date("2023-10-16"), ItemDescription: "Remote intrusion software for a security service (synthetic)",
			ControlEntry: "4A005", Destinations: []string{"EG"}, LegalReference: "Synthetic information SYN-2023-03" + a5Legal},
		{Line: 10, ID: "SYN-2024-02", Procedure: codes.Article5, NotifyingState: "DE", NotifiedOn: date("2024-04-02"),
			Deadline: date("2024-05-14"), ItemDescription: "Voice-analytics suite for mass call monitoring (synthetic)",
			Destinations: []string{"RU"}, LegalReference: "Synthetic information SYN-2024-02" + a5Legal},
	}
	if !reflect.DeepEqual(rel.Notifications, wantNotifications) {
		t.Errorf("Notifications:\n got %+v\nwant %+v", rel.Notifications, wantNotifications)
	}
	const epListing = " under the European Parliament's position of 17 January 2018"
	imsi := "IMSI catchers for law-enforcement end users (synthetic)"
	wantItems := []ListItem{
		{Line: 2, ID: "EUL-2022-01", NotificationID: "SYN-2022-01", ValidFrom: date("2022-04-20"), Description: imsi,
			ControlEntry: "5A001.f", Destinations: []string{"EG", "CN"}, LegalReference: "Synthetic listing EUL-2022-01" + epListing},
		{Line: 3, ID: "EUL-2022-01", NotificationID: "SYN-2022-01", ValidFrom: date("2023-05-02"), Description: imsi,
			ControlEntry: "5A001.f", Destinations: []string{"EG", "CN", "AE"}, Amendment: "Scope widened to AE (synthetic)",
			LegalReference: "Synthetic amendment of EUL-2022-01" + epListing},
		{Line: 4, ID: "EUL-2024-01", NotificationID: "SYN-2024-01", ValidFrom: date("2024-03-25"),
			Description: "Facial-recognition analytics for public CCTV networks (synthetic)", RemovedOn: datePtr("2025-01-15"),
			RemovalReason: "Covered by Annex I entry 5A004.b (synthetic)", LegalReference: "Synthetic listing EUL-2024-01" + epListing},
		{Line: 5, ID: "EUL-2020-01", NotificationID: "SYN-2019-01", ValidFrom: date("2020-02-17"),
			Description: "Lawful interception management systems (synthetic)", ControlEntry: "5A001.j", Destinations: []string{"CN"},
			LegalReference: "Synthetic listing EUL-2020-01" + epListing},
		{Line: 6, ID: "EUL-2023-01", NotificationID: "SYN-2023-03", ValidFrom: date("2023-12-01"),
			Description: "Remote intrusion software for security services (synthetic)", ControlEntry: "4A005", Destinations: []string{"EG"},
			LegalReference: "Synthetic publication EUL-2023-01 in the C series of the Official Journal under Article 5 of Regulation (EU) 2021/821"},
	}
	if !reflect.DeepEqual(rel.ListItems, wantItems) {
		t.Errorf("ListItems:\n got %+v\nwant %+v", rel.ListItems, wantItems)
	}
	if len(rel.Objections) != 14 || rel.Objections[7] != (Objection{Line: 9, NotificationID: "SYN-2024-01", State: "GR", On: date("2024-03-18")}) ||
		rel.Objections[9] != (Objection{Line: 11, NotificationID: "SYN-2019-01", State: "GB", On: date("2020-01-20")}) {
		t.Errorf("Objections = %+v", rel.Objections)
	}
	wantAgreements := []Agreement{
		{Line: 2, NotificationID: "SYN-2023-03", State: "DE", On: date("2023-09-20")},
		{Line: 3, NotificationID: "SYN-2023-03", State: "FR", On: date("2023-10-02")},
		{Line: 4, NotificationID: "SYN-2023-03", State: "GR", On: date("2023-10-10")},
		{Line: 5, NotificationID: "SYN-2023-03", State: "SE", On: date("2023-10-16")},
		{Line: 6, NotificationID: "SYN-2023-03", State: "IT", On: date("2023-11-20")},
		{Line: 7, NotificationID: "SYN-2024-02", State: "FR", On: date("2024-04-30")},
		{Line: 8, NotificationID: "SYN-2024-02", State: "SE", On: date("2024-05-10")},
	}
	if !reflect.DeepEqual(rel.Agreements, wantAgreements) {
		t.Errorf("Agreements:\n got %+v\nwant %+v", rel.Agreements, wantAgreements)
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
		ignored   []qmv.Ignored
		year      int
		qualified bool
		deemed    bool
		explains  string
	}{
		{name: "one objection", n: 0, counted: []string{"SE"}, year: 2016, explains: "1 of 5 states objected (20.0 % < 55 %)"},
		{name: "qualified majority", n: 1, counted: []string{"DE", "IT", "NL"}, year: 2016, qualified: true,
			explains: "3 of 5 states objected (60.0 % ≥ 55 %), representing 88.6 %"},
		{name: "withdrawn, counted anyway", n: 2, counted: []string{"FR"}, year: 2016},
		{name: "enough states, too little population, a blocking minority", n: 3, counted: []string{"GR", "NL", "SE"}, year: 2016,
			explains: "3 of 5 states objected (60.0 % ≥ 55 %), representing 22.8 % of their population (< 65 %): no qualified majority"},
		{name: "pending, figures of its own year", n: 4, counted: []string{"DE"}, year: 2025,
			explains: "(Article 238(3)(a) TFEU; the Council's own figures for 2025 (synthetic Council decision))"},
		{name: "a state that left inside the window does not count", n: 5, counted: []string{"DE"}, year: 2016,
			ignored:  []qmv.Ignored{{State: "GB", Reason: "not a Member State on the deadline"}},
			explains: "Eurostat population on 1 January 2015; there are no population figures for 2020, so the figures for 2016 are used"},
		{name: "too little population, no blocking minority: deemed attained", n: 6, counted: []string{"FR", "GR", "NL"}, year: 2016,
			qualified: true, deemed: true,
			explains: "3 of 5 states objected (60.0 % ≥ 55 %), representing 39.8 % of their population (< 65 %), but the 2 that did not object " +
				"are fewer than the 3 members a blocking minority needs: a qualified majority is deemed attained"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rel.Tally(rel.Notifications[tt.n])
			if err != nil {
				t.Fatal(err)
			}
			if got.Eligible != 5 || !slices.Equal(got.Counted, tt.counted) || !slices.Equal(got.Ignored, tt.ignored) ||
				got.PopulationYear() != tt.year || got.Weights.Year != tt.year || got.QualifiedMajority != tt.qualified ||
				got.DeemedAttained != tt.deemed || !strings.Contains(got.Explanation(), tt.explains) {
				t.Errorf("Tally = %+v (%s), want %v counted, %v ignored, figures for %d, qualified majority %v (deemed %v), explaining %q",
					got, got.Explanation(), tt.counted, tt.ignored, tt.year, tt.qualified, tt.deemed, tt.explains)
			}
		})
	}
	for _, n := range rel.Notifications[7:] {
		if _, err := rel.Tally(n); err == nil || !strings.Contains(err.Error(), "REGULATION_2021_821_ARTICLE_5 has no objection vote") {
			t.Errorf("Tally(%s) error = %v, want no objection vote", n.ID, err)
		}
	}
}

// TestAgreementOf counts the agreements of the good release under Article 5: the item
// of SYN-2023-03 is published once the last other Member State agreed, SYN-2024-02
// never had every agreement.
func TestAgreementOf(t *testing.T) {
	rel, err := Read("testdata/good", testRef())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	tests := []struct {
		name      string
		n         int
		on        string
		agreed    []string
		missing   []string
		allAgreed bool
		explains  string
	}{
		{name: "before the first agreement", n: 7, on: "2023-09-19", missing: []string{"DE", "FR", "GR", "IT", "SE"},
			explains: "0 of the 5 other Member States agreed that the requirement should apply to essentially identical transactions; " +
				"not yet DE, FR, GR, IT, SE: publication needs every Member State (Article 5 of Regulation (EU) 2021/821)"},
		{name: "at the end of the review period, one missing", n: 7, on: "2023-10-16", agreed: []string{"DE", "FR", "GR", "SE"},
			missing: []string{"IT"}, explains: "4 of the 5 other Member States agreed"},
		{name: "the last agreement, after the review period", n: 7, on: "2023-11-20", agreed: []string{"DE", "FR", "GR", "IT", "SE"},
			allAgreed: true, explains: "5 of the 5 other Member States agreed that the requirement should apply to essentially identical " +
				"transactions: all Member States agree, so the Commission publishes the item (Article 5 of Regulation (EU) 2021/821)"},
		{name: "on the day of publication", n: 7, on: "2023-12-01", agreed: []string{"DE", "FR", "GR", "IT", "SE"}, allAgreed: true},
		{name: "not all agreed", n: 8, on: "2025-06-30", agreed: []string{"FR", "SE"}, missing: []string{"GR", "IT", "NL"},
			explains: "not yet GR, IT, NL: publication needs every Member State"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := rel.Notifications[tt.n]
			got, err := AgreementOf(testRef(), n, rel.Agreements, date(tt.on))
			if err != nil {
				t.Fatal(err)
			}
			if got.Eligible != 5 || !slices.Equal(got.Agreed, tt.agreed) || !slices.Equal(got.Missing, tt.missing) ||
				got.AllAgreed != tt.allAgreed || len(got.Ignored) != 0 || !strings.Contains(got.Explanation(), tt.explains) {
				t.Errorf("AgreementOf(%s, %s) = %+v (%s), want agreed %v, missing %v, all %v, explaining %q",
					n.ID, tt.on, got, got.Explanation(), tt.agreed, tt.missing, tt.allAgreed, tt.explains)
			}
		})
	}
	if _, err := AgreementOf(testRef(), rel.Notifications[0], rel.Agreements, date("2022-05-01")); err == nil ||
		!strings.Contains(err.Error(), "EP_POSITION_2018 does not publish on agreement") {
		t.Errorf("AgreementOf an EP 2018 notification: error = %v", err)
	}
}

func TestReadBadProcedure(t *testing.T) {
	want := []wantProblem{
		{"agreements.csv:3: member_state", `FR agreed to notification "N-5A" twice: first on line 2`},
		{"agreements.csv:4: notification_id", "required"},
		{"agreements.csv:5: notification_id", `no notification "N-XX" in catch_all_notifications.csv`},
		{"agreements.csv:6: notification_id", `an agreement to notification "N-A", which follows EP_POSITION_2018: its responses belong in objections.csv`},
		{"agreements.csv:7: member_state", "agreement by the notifying state DE, whose requirement it is"},
		{"agreements.csv:8: member_state", "GB was not a Member State on 2022-03-10, the day it agreed"},
		{"agreements.csv:9: member_state", `unknown Member State "XX"`},
		{"agreements.csv:10: agreed_on", "agreement on 2022-02-28, before the notification on 2022-03-01"},
		{"agreements.csv:11: agreed_on", "agreement on 2023-02-01, after the notification was withdrawn on 2023-01-31"},
		{"agreements.csv:12: agreed_on", `"2022-02-30" is not a date (YYYY-MM-DD)`},
		{"agreements.csv:13: agreed_on", "2025-07-01 is after the release's publication date 2025-06-30"},
		{"catch_all_notifications.csv:17: notification_id", "required"},
		{"catch_all_notifications.csv:18: notification_id", "65 characters, at most 64 allowed"},
		{"catch_all_notifications.csv:19: notification_id", `notification "N-A" given twice: first on line 2`},
		{"catch_all_notifications.csv:20: notifying_state", `unknown Member State "XX"`},
		{"catch_all_notifications.csv:21: notifying_state", "GB was not a Member State on 2025-06-02"},
		{"catch_all_notifications.csv:22: notified_on", "2021-09-08 is before 2021-09-09, when Article 5 of Regulation (EU) 2021/821 began to apply"},
		{"catch_all_notifications.csv:23: notified_on", `"2025-13-01" is not a date (YYYY-MM-DD)`},
		{"catch_all_notifications.csv:24: notified_on", "2025-07-01 is after the release's publication date 2025-06-30"},
		{"catch_all_notifications.csv:25: item_description", "required"},
		{"catch_all_notifications.csv:26: control_entry", `unknown control entry "9Z999"`},
		{"catch_all_notifications.csv:27: destinations", `unknown country "XX"`},
		{"catch_all_notifications.csv:28: destinations", "EG given twice"},
		{"catch_all_notifications.csv:29: deadline", `"2025-07-32" is not a date (YYYY-MM-DD)`},
		{"catch_all_notifications.csv:30: deadline", "the deadline 2025-06-02 is not after the notification on 2025-06-02"},
		{"catch_all_notifications.csv:31: withdrawn_on", "2025-07-01 is after the release's publication date 2025-06-30"},
		{"catch_all_notifications.csv:32: withdrawn_on", "2025-06-20 is not between the notification on 2025-05-02 and the deadline 2025-06-13"},
		{"catch_all_notifications.csv:33: legal_reference", "required"},
		{"catch_all_notifications.csv:34: notification_id", "the notification was not objected to by a qualified majority but placed no item on the list (0 of 5 states objected (0.0 % < 55 %), representing 0.0 % of their population (< 65 %): no qualified majority (Article 238(3)(a) TFEU; Eurostat population on 1 January 2015; there are no population figures for 2023, so the figures for 2016 are used))"},
		{"catch_all_notifications.csv:35: procedure", `unknown code "EP_2018" (allowed: [EP_POSITION_2018 REGULATION_2021_821_ARTICLE_5])`},
		{"catch_all_notifications.csv:36: legal_reference", "cites Article 5 of Regulation (EU) 2021/821, which has no objection vote, for a notification that follows EP_POSITION_2018: cite what the notification rests on"},
		{"list_items.csv:3: notification_id", `the versions of item "I-A" name different notifications: "N-A" on line 2`},
		{"list_items.csv:4: item_id", "required"},
		{"list_items.csv:5: item_id", "65 characters, at most 64 allowed"},
		{"list_items.csv:6: notification_id", `no notification "N-XX" in catch_all_notifications.csv`},
		{"list_items.csv:7: notification_id", `notification "N-W" was withdrawn on 2023-01-31`},
		{"list_items.csv:8: notification_id", `the deadline 2025-07-28 of notification "N-P" is after the release's publication date 2025-06-30`},
		{"list_items.csv:9: valid_from", "listed although a qualified majority objected (3 of 5 states objected (60.0 % ≥ 55 %), representing 88.6 % of their population (≥ 65 %): a qualified majority objected (Article 238(3)(a) TFEU; Eurostat population on 1 January 2015; there are no population figures for 2023, so the figures for 2016 are used))"},
		{"list_items.csv:11: notification_id", `notification "N-2" placed a second item on the list: the first on line 10`},
		{"list_items.csv:12: description", "required"},
		{"list_items.csv:12: destinations", `empty code in "EG;;CN"`},
		{"list_items.csv:12: legal_reference", "required"},
		{"list_items.csv:13: removal_reason", "given without removed_on"},
		{"list_items.csv:13: valid_from", "the listing on 2022-04-12 is not after the objection deadline 2022-04-12"},
		{"list_items.csv:13: amendment", `given on the first version of item "I-F", its listing: an amendment is a later version`},
		{"list_items.csv:14: valid_from", "2025-07-01 is after the release's publication date 2025-06-30"},
		{"list_items.csv:16: valid_from", `item "I-H" has two versions from 2022-04-20: the other on line 15`},
		{"list_items.csv:18: amendment", `required on a later version of item "I-J": what the amendment changed`},
		{"list_items.csv:19: destinations", `unknown country "XX"`},
		{"list_items.csv:19: removal_reason", "required with removed_on: why the item was removed"},
		{"list_items.csv:20: removed_on", "the removal on 2022-04-20 is not after the version from 2022-04-20"},
		{"list_items.csv:22: valid_from", `the version of item "I-L" from 2023-01-01 changes nothing in the scope of the version on line 21 (description, control entry, destinations)`},
		{"list_items.csv:24: valid_from", `item "I-R" was removed on 2022-12-01 (line 23): a removal ends the item, so it has no later version`},
		{"list_items.csv:26: removed_on", "the removal on 2023-01-05 is not after the version from 2023-01-10"},
		{"list_items.csv:27: valid_from", "published on 2022-05-02 although not all Member States had agreed by then (1 of the 5 other Member States agreed that the requirement should apply to essentially identical transactions; not yet GR, IT, NL, SE: publication needs every Member State (Article 5 of Regulation (EU) 2021/821))"},
		{"objections.csv:3: objecting_state", `FR objected to notification "N-A" twice: first on line 2`},
		{"objections.csv:4: notification_id", "required"},
		{"objections.csv:5: notification_id", `no notification "N-XX" in catch_all_notifications.csv`},
		{"objections.csv:6: objecting_state", `unknown Member State "XX"`},
		{"objections.csv:7: objecting_state", "objection by the notifying state DE"},
		{"objections.csv:8: objecting_state", "GB was not a Member State on 2022-03-10, the day it objected"},
		{"objections.csv:9: objected_on", `"2022-02-30" is not a date (YYYY-MM-DD)`},
		{"objections.csv:10: objected_on", "objection on 2022-02-28, before the notification on 2022-03-01"},
		{"objections.csv:11: objected_on", "objection on 2022-04-13, after the deadline 2022-04-12"},
		{"objections.csv:12: objected_on", "objection on 2023-02-01, after the notification was withdrawn on 2023-01-31"},
		{"objections.csv:13: objected_on", "2025-07-01 is after the release's publication date 2025-06-30"},
		{"objections.csv:17: notification_id", `an objection to notification "N-5A", which follows REGULATION_2021_821_ARTICLE_5: its responses belong in agreements.csv`},
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
				{"catch_all_notifications.csv:2: deadline", "cannot count the objections: no population figures at all"},
				{"catch_all_notifications.csv:3: deadline", "cannot count the objections: no population figures at all"},
				{"catch_all_notifications.csv:5: deadline", "cannot count the objections: no population figures at all"},
				{"catch_all_notifications.csv:7: deadline", "cannot count the objections: no population figures at all"},
				{"catch_all_notifications.csv:8: deadline", "cannot count the objections: no population figures at all"},
			},
		},
		{
			name: "agreements without the procedure's files",
			mutate: func(t testing.TB, dir string) {
				for _, name := range optionalFiles {
					_ = os.Remove(filepath.Join(dir, name))
				}
			},
			want: []wantProblem{{"agreements.csv:0: -", "agreements without catch_all_notifications.csv: each names a notification"}},
		},
		{
			name:   "agreements without notifications",
			mutate: func(t testing.TB, dir string) { _ = os.Remove(filepath.Join(dir, notificationsFile)) },
			want: []wantProblem{
				{"agreements.csv:0: -", "agreements without catch_all_notifications.csv: each names a notification"},
				{"catch_all_notifications.csv:0: -",
					"missing file: the catch-all procedure needs catch_all_notifications.csv, objections.csv, list_items.csv, all three or none"},
			},
		},
		{
			name:   "an Article 5 item without agreements.csv",
			mutate: func(t testing.TB, dir string) { _ = os.Remove(filepath.Join(dir, agreementsFile)) },
			want: []wantProblem{{"list_items.csv:6: valid_from", "published on 2023-12-01 although not all Member States had agreed by then " +
				"(0 of the 5 other Member States agreed that the requirement should apply to essentially identical transactions; " +
				"not yet DE, FR, GR, IT, SE: publication needs every Member State (Article 5 of Regulation (EU) 2021/821))"}},
		},
		{
			name: "an Article 5 item published the day before the last agreement",
			mutate: func(t testing.TB, dir string) {
				replaceIn(t, dir, agreementsFile, "SYN-2023-03,IT,2023-11-20", "SYN-2023-03,IT,2023-12-02")
			},
			want: []wantProblem{{"list_items.csv:6: valid_from", "published on 2023-12-01 although not all Member States had agreed by then " +
				"(4 of the 5 other Member States agreed that the requirement should apply to essentially identical transactions; " +
				"not yet IT: publication needs every Member State (Article 5 of Regulation (EU) 2021/821))"}},
		},
		{
			name: "an EP 2018 item listed although a qualified majority was deemed attained",
			mutate: func(t testing.TB, dir string) {
				appendTo(t, dir, listItemsFile, "EUL-2024-03,SYN-2024-03,2024-10-21,Spyware delivery platforms (synthetic),,,,,,Synthetic listing\n")
			},
			want: []wantProblem{{"list_items.csv:7: valid_from", "listed although a qualified majority objected (3 of 5 states objected " +
				"(60.0 % ≥ 55 %), representing 39.8 % of their population (< 65 %), but the 2 that did not object are fewer than the 3 members " +
				"a blocking minority needs: a qualified majority is deemed attained"}},
		},
		{
			// The file gives no agreement then, so the item that rests on agreements is
			// reported as well.
			name: "a bad agreements header",
			mutate: func(t testing.TB, dir string) {
				putFile(t, dir, agreementsFile, "notification_id,agreeing_state,agreed_on\n")
			},
			want: []wantProblem{
				{"agreements.csv:1: -", `header is "notification_id,agreeing_state,agreed_on", want "notification_id,member_state,agreed_on"`},
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
	for _, name := range append(optionalFiles, agreementsFile) {
		_ = os.Remove(filepath.Join(dir, name))
	}
	rel, err := Read(dir, testRef())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if rel.Notifications != nil || rel.Objections != nil || rel.Agreements != nil || rel.ListItems != nil {
		t.Errorf("procedure read from no files: %+v %+v %+v %+v", rel.Notifications, rel.Objections, rel.Agreements, rel.ListItems)
	}
}

// TestReadProcedureAccepts spoils nothing: each case is a release the rules allow.
func TestReadProcedureAccepts(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(testing.TB, string)
	}{
		{name: "no agreements.csv when no item rests on agreement", mutate: func(t testing.TB, dir string) {
			_ = os.Remove(filepath.Join(dir, agreementsFile))
			data, err := os.ReadFile(filepath.Join(dir, listItemsFile))
			if err != nil {
				t.Fatal(err)
			}
			rows := strings.SplitAfter(string(data), "\n")
			putFile(t, dir, listItemsFile, strings.Join(slices.DeleteFunc(rows, func(row string) bool {
				return strings.HasPrefix(row, "EUL-2023-01,")
			}), ""))
		}},
		{name: "an Article 5 item published on the day of the last agreement", mutate: func(t testing.TB, dir string) {
			replaceIn(t, dir, agreementsFile, "SYN-2023-03,IT,2023-11-20", "SYN-2023-03,IT,2023-12-01")
		}},
		{name: "an Article 5 notification agreed by every other Member State and not yet published", mutate: func(t testing.TB, dir string) {
			appendTo(t, dir, agreementsFile, "SYN-2024-02,EL,2024-05-14\nSYN-2024-02,IT,2024-06-03\nSYN-2024-02,NL,2024-07-01\n")
		}},
		{name: "an EP 2018 notification before Article 5 began to apply", mutate: func(t testing.TB, dir string) {
			replaceIn(t, dir, notificationsFile, "SYN-2019-01,EP_POSITION_2018,FR,2019-12-16", "SYN-2019-01,EP_POSITION_2018,FR,2019-11-04")
		}},
		{name: "an Article 5 notification citing its article", mutate: func(t testing.TB, dir string) {
			replaceIn(t, dir, notificationsFile, "provided under Article 5(4) of Regulation (EU) 2021/821", "Art. 5 of Regulation (EU) 2021/821")
		}},
		{name: "an objection by a state that left before the deadline", mutate: func(t testing.TB, dir string) {
			replaceIn(t, dir, objectionsFile, "SYN-2019-01,UK,2020-01-20", "SYN-2019-01,UK,2020-01-31")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyGood(t)
			tt.mutate(t, dir)
			if _, err := Read(dir, testRef()); err != nil {
				t.Fatalf("Read: %v", err)
			}
		})
	}
}

// replaceIn replaces old, which must be in the file, by new.
func replaceIn(t testing.TB, dir, name, old, new string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", name, old)
	}
	putFile(t, dir, name, strings.Replace(string(data), old, new, 1))
}

// appendTo adds rows at the end of a file.
func appendTo(t testing.TB, dir, name, rows string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	putFile(t, dir, name, string(data)+rows)
}
