package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

// readCSV checks a download is a CSV named after its release, with X-Release and a
// byte order mark, and returns its records.
func readCSV(t *testing.T, srvURL, path string, header ...string) ([][]string, reply) {
	t.Helper()
	r := mustFetch(t, "GET", srvURL+path, "", header...)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET %s: %d %s: %.300s", path, r.status, r.header.Get("Content-Type"), r.body)
	}
	if !strings.HasPrefix(r.body, "\ufeff") {
		t.Errorf("GET %s: no UTF-8 byte order mark", path)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, `_demo-2015-2024.csv"`) || r.header.Get("X-Release") != "demo-2015-2024" {
		t.Errorf("GET %s: Content-Disposition %q, X-Release %q; want the release in both", path, cd, r.header.Get("X-Release"))
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff"))).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("GET %s: %v", path, err)
	}
	return records, r
}

// column returns the index of a header, failing when it is absent.
func column(t *testing.T, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, header)
	}
	return i
}

// The downloads open cleanly in a spreadsheet: a byte order mark, a name beside every
// code, one attribute per column, headers and names in the language asked for, the
// release in the file name and in X-Release, and the report's list changes and
// notifications in files of their own.
func TestDownloadsForSpreadsheets(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 2021821})
	srv := httpServer(t, d, web.Options{})

	// Region codes keep their zeros and have their names beside them, in the language
	// of lang= or Accept-Language; a cached answer in one language is never served in
	// another.
	const regions = "/download/licence-statistics.csv?groupBy=DESTINATION_REGION,OUTCOME&years=2022"
	for _, tt := range []struct {
		query, acceptLanguage       string
		regionHeader, africa, label string
	}{
		{"", "", "destination_region", "Africa", "Denied"},
		{"&lang=de", "", "Region des Bestimmungslandes", "Afrika", "Verweigert"},
		{"", "fr-BE, en;q=0.5", "Région de destination", "Afrique", "Refusée"},
		{"", "", "destination_region", "Africa", "Denied"}, // after the French answer was cached
		{"&lang=en", "de", "destination_region", "Africa", "Denied"},
	} {
		records, r := readCSV(t, srv.URL, regions+tt.query, "Accept-Language", tt.acceptLanguage)
		if !strings.Contains(r.body, `"002",`) {
			t.Errorf("%s%s: the code 002 is not written as quoted text", regions, tt.query)
		}
		h := records[0]
		want := []string{tt.regionHeader}
		if h[0] != want[0] || len(h) != 4+5*3 {
			t.Errorf("%s%s (Accept-Language %q): header %q; want %s first and 19 columns", regions, tt.query, tt.acceptLanguage, h, want[0])
		}
		found := false
		for _, rec := range records[1:] {
			if rec[0] == "002" && rec[2] == "DENIED" {
				found = rec[1] == tt.africa && rec[3] == tt.label
				if !found {
					t.Errorf("%s%s: the row of 002 DENIED is %q; want %s and %s", regions, tt.query, rec, tt.africa, tt.label)
				}
			}
		}
		if !found {
			t.Errorf("%s%s: no row 002 DENIED", regions, tt.query)
		}
		if tt.query == "" && !slices.Contains(r.header.Values("Vary"), "Accept-Language") {
			t.Errorf("%s: Vary %q, want Accept-Language", regions, r.header.Values("Vary"))
		}
	}

	// Türkiye in English, Türkei in German; the Member State beside its name.
	records, _ := readCSV(t, srv.URL, "/download/licence-statistics.csv?groupBy=MEMBER_STATE,DESTINATION&destinations=TR")
	if h := strings.Join(records[0][:4], ","); h != "member_state,member_state_name,destination,destination_name" || len(records) < 2 {
		t.Fatalf("header %s, %d rows", h, len(records)-1)
	}
	for _, rec := range records[1:] {
		if rec[3] != "Türkiye" || rec[0] == "FR" && rec[1] != "France" {
			t.Errorf("row %q: want Türkiye, and France for FR", rec[:4])
		}
	}
	records, _ = readCSV(t, srv.URL, "/download/denials-by-destination.csv?destinations=TR&lang=de")
	if len(records) != 2 || records[1][0] != "TR" || records[1][1] != "Türkei" || records[0][1] != "Bestimmungsziel: Name" {
		t.Errorf("denials to TR in German: %q", records)
	}
	// The grounds are one column each, not GROUND:n pairs.
	records, _ = readCSV(t, srv.URL, "/download/denials-by-destination.csv?years=2022")
	i := column(t, records[0], "denials_citing_criterion_2")
	column(t, records[0], "denials_citing_criterion_2_status")
	for _, rec := range records[1:] {
		if v := rec[i]; v != "" {
			if _, err := strconv.Atoi(v); err != nil {
				t.Errorf("denials citing criterion 2: %q is not a count", v)
			}
		}
		for _, v := range rec {
			if strings.Contains(v, "CRITERION_") {
				t.Errorf("a cell %q packs grounds", v)
			}
		}
	}

	// The annual report: one figure a row, one attribute a column; official figures
	// labelled for people.
	records, _ = readCSV(t, srv.URL, "/download/annual-report/2022.csv")
	h := records[0]
	wantHeader := "section,section_label,year,member_state,member_state_name,licence_type,licence_type_label,destination_region,destination_region_name," +
		"destination,destination_name,end_user_type,end_user_type_label,denial_ground,denial_ground_label,metric,metric_label,kind,scope,measure,measure_label,unit,value,status,note"
	if strings.Join(h, ",") != wantHeader {
		t.Fatalf("report header %s\nwant %s", strings.Join(h, ","), wantHeader)
	}
	col := func(name string) int { return column(t, h, name) }
	var share, africa, memberStates int
	for _, rec := range records[1:] {
		if len(rec) != len(h) {
			t.Fatalf("row %q has %d fields", rec, len(rec))
		}
		if rec[col("year")] != "2022" || rec[col("status")] == "" {
			t.Errorf("row %q: want year 2022 and a status", rec)
		}
		switch {
		case rec[col("metric")] == "share_of_extra_eu_exports_authorised" && rec[col("measure")] == "value":
			share++
			if rec[col("metric_label")] != "Share of extra-EU exports authorised (%)" || rec[col("value")] != "2" || rec[col("status")] != "OFFICIAL" || rec[col("unit")] != "percent" {
				t.Errorf("the official share: %q", rec)
			}
		case rec[col("section")] == "by_destination_region" && rec[col("destination_region")] == "002":
			africa++
			if rec[col("destination_region_name")] != "Africa" {
				t.Errorf("region 002: %q", rec)
			}
		case rec[col("section")] == "by_member_state" && rec[col("measure")] == "applications":
			memberStates++
			if rec[col("member_state")] == "" || rec[col("member_state_name")] == "" || rec[col("unit")] != "count" {
				t.Errorf("by Member State: %q", rec)
			}
		}
	}
	if share != 1 || africa != 5 || memberStates < 20 {
		t.Errorf("%d official shares (want 1), %d figures of Africa (want 5), %d Member States (want 20 or more)", share, africa, memberStates)
	}
	de, _ := readCSV(t, srv.URL, "/download/annual-report/2022.csv?lang=de")
	if len(de) != len(records) || de[0][0] != "Abschnitt" {
		t.Errorf("the German report: %d rows (want %d), header %q", len(de), len(records), de[0][:3])
	}
	for _, rec := range de[1:] {
		if rec[15] == "share_of_extra_eu_exports_authorised" && !strings.HasPrefix(rec[16], "Anteil genehmigter Ausfuhren") {
			t.Errorf("the German label of the share: %q", rec[16])
		}
	}

	// The list's changes and the year's notifications, as the JSON report has them.
	rep := mustFetch(t, "GET", srv.URL+"/download/annual-report/2022.json", "")
	var doc struct {
		ListChanges   []struct{ Kind string }
		Notifications []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(rep.body), &doc); err != nil || rep.header.Get("X-Release") != "demo-2015-2024" ||
		!strings.Contains(rep.header.Get("Content-Disposition"), `annual-report-2022_demo-2015-2024.json`) {
		t.Fatalf("the JSON report: %v, X-Release %q, Content-Disposition %q", err, rep.header.Get("X-Release"), rep.header.Get("Content-Disposition"))
	}
	changes, _ := readCSV(t, srv.URL, "/download/annual-report/2022-list-changes.csv?lang=fr")
	if len(changes)-1 != len(doc.ListChanges) || len(doc.ListChanges) == 0 || changes[0][3] != "Modification : libellé" {
		t.Errorf("list changes: %d rows, the report has %d; header %q", len(changes)-1, len(doc.ListChanges), changes[0])
	}
	for _, rec := range changes[1:] {
		if rec[4] == "EUL-2019-02" && (rec[2] != "AMENDED" || rec[3] != "Modifié" || rec[12] != "ET;SD;SS;ER" || rec[13] != "Éthiopie;Soudan;Soudan du Sud;Érythrée") {
			t.Errorf("the amendment of EUL-2019-02: %q", rec)
		}
	}
	notes, _ := readCSV(t, srv.URL, "/download/annual-report/2022-notifications.csv")
	if len(notes)-1 != len(doc.Notifications) || len(doc.Notifications) == 0 {
		t.Fatalf("notifications: %d rows, the report has %d", len(notes)-1, len(doc.Notifications))
	}
	for i, n := range doc.Notifications {
		rec := notes[i+1]
		if rec[column(t, notes[0], "id")] != n.ID || rec[column(t, notes[0], "status")] != n.Status || rec[column(t, notes[0], "status_label")] == "" {
			t.Errorf("notification %s %s: row %q", n.ID, n.Status, rec[:11])
		}
	}

	// The list, in German, named after its date and release; its JSON too.
	list, r := readCSV(t, srv.URL, "/download/surveillance-list.csv?asOf=2023-01-01", "Accept-Language", "de-DE")
	if !strings.Contains(r.header.Get("Content-Disposition"), "surveillance-list-2023-01-01_demo-2015-2024.csv") || list[0][2] != "Herkunft: Bezeichnung" {
		t.Errorf("the list: %q, header %q", r.header.Get("Content-Disposition"), list[0])
	}
	js := mustFetch(t, "GET", srv.URL+"/download/surveillance-list.json?asOf=2023-01-01", "")
	if js.header.Get("X-Release") != "demo-2015-2024" || !strings.Contains(js.header.Get("Content-Disposition"), "surveillance-list-2023-01-01_demo-2015-2024.json") {
		t.Errorf("the list as JSON: X-Release %q, Content-Disposition %q", js.header.Get("X-Release"), js.header.Get("Content-Disposition"))
	}

	// lang is checked like every other parameter; JSON takes none.
	for path, want := range map[string]string{
		"/download/licence-statistics.csv?groupBy=YEAR&lang=es":        `lang: "es" is not en, de or fr`,
		"/download/annual-report/2022.csv?lang=xx-":                    `lang: "xx-" is not en, de or fr`,
		"/download/annual-report/2022.json?lang=de":                    `unknown parameter "lang"; the parameters are: release`,
		"/download/surveillance-list.json?lang=de":                     `unknown parameter "lang"`,
		"/download/annual-report/2022-tally.csv":                       "no such file",
		"/download/datapackage.json?groupBy=YEAR&groupBy=MEMBER_STATE": "groupBy is given 2 times",
	} {
		r := mustFetch(t, "GET", srv.URL+path, "")
		if errs := r.errors(); r.status/100 != 4 || len(errs) != 1 || !strings.Contains(errs[0].Message, want) {
			t.Errorf("GET %s: %d %s; want 4xx saying %q", path, r.status, r.body, want)
		}
	}
}

// datapackage.json describes every CSV download: its path works, its header is the
// schema's field names in order, in each language, and every value is of its field's
// type and in its field's list of codes.
func TestDataPackage(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 2021821})
	srv := httpServer(t, d, web.Options{})
	types := map[string]func(string) bool{
		"string":  func(string) bool { return true },
		"integer": func(s string) bool { _, err := strconv.Atoi(s); return err == nil },
		"number":  func(s string) bool { _, err := strconv.ParseFloat(s, 64); return err == nil },
		"boolean": func(s string) bool { return s == "true" || s == "false" },
		"date":    func(s string) bool { _, err := time.Parse(time.DateOnly, s); return err == nil },
	}
	for _, query := range []string{"?year=2022", "?lang=de&year=2022&groupBy=MEMBER_STATE,DESTINATION_REGION,LICENCE_TYPE", "?lang=fr&groupBy=YEAR,CONTROL_CATEGORY,CYBER_SURVEILLANCE"} {
		r := mustFetch(t, "GET", srv.URL+"/download/datapackage.json"+query, "")
		var pkg struct {
			Profile, Name, Version string
			Resources              []struct {
				Name, Path, Format, Encoding string
				Schema                       struct {
					Fields []struct {
						Name, Type, Title, Description string
						Constraints                    struct{ Enum []string }
						Categories                     []struct{ Value, Label string }
					}
					MissingValues []string
				}
			}
		}
		if err := json.Unmarshal([]byte(r.body), &pkg); err != nil || r.status != 200 {
			t.Fatalf("datapackage.json%s: %d %v: %.300s", query, r.status, err, r.body)
		}
		if pkg.Profile != "tabular-data-package" || pkg.Version != "demo-2015-2024" || len(pkg.Resources) != 6 || r.header.Get("X-Release") != "demo-2015-2024" {
			t.Errorf("datapackage.json%s: profile %q, version %q, %d resources", query, pkg.Profile, pkg.Version, len(pkg.Resources))
		}
		statuses := 0
		for _, res := range pkg.Resources {
			if res.Format != "csv" || res.Encoding != "utf-8" || !slices.Equal(res.Schema.MissingValues, []string{""}) {
				t.Errorf("%s: format %q, encoding %q, missingValues %q", res.Name, res.Format, res.Encoding, res.Schema.MissingValues)
			}
			u, err := url.Parse(res.Path)
			if err != nil || u.IsAbs() || strings.HasPrefix(res.Path, "/") {
				t.Fatalf("%s: path %q is not relative to the descriptor", res.Name, res.Path)
			}
			records, _ := readCSV(t, srv.URL, "/download/"+res.Path)
			var names []string
			for _, f := range res.Schema.Fields {
				names = append(names, f.Name)
				if types[f.Type] == nil || f.Title == "" || f.Description == "" {
					t.Errorf("%s.%s: type %q, title %q, description %q", res.Name, f.Name, f.Type, f.Title, f.Description)
				}
				if slices.Contains(f.Constraints.Enum, "CONFIDENTIAL") && len(f.Categories) == 4 && strings.HasPrefix(f.Categories[1].Label, "withheld") {
					statuses++
				}
			}
			if !slices.Equal(records[0], names) {
				t.Errorf("%s (%s): header %q\nfields %q", res.Name, res.Path, records[0], names)
				continue
			}
			seen := map[string]bool{}
			for _, n := range names {
				if seen[n] {
					t.Errorf("%s: the field name %q is not unique", res.Name, n)
				}
				seen[n] = true
			}
			if len(records) < 2 {
				t.Errorf("%s (%s): no rows to check", res.Name, res.Path)
			}
			for _, rec := range records[1:] {
				for i, f := range res.Schema.Fields {
					v := rec[i]
					if v == "" {
						continue
					}
					if !types[f.Type](v) || len(f.Constraints.Enum) > 0 && !slices.Contains(f.Constraints.Enum, v) {
						t.Errorf("%s.%s: %q is not a %s in %q", res.Name, f.Name, v, f.Type, f.Constraints.Enum)
					}
				}
			}
		}
		if statuses < 6 {
			t.Errorf("datapackage.json%s: %d status fields with their four values and meanings", query, statuses)
		}
	}
}
