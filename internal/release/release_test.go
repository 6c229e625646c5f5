package release

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
	"github.com/dualuse-transparency/portal/internal/qmv"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func datePtr(s string) *time.Time {
	t := date(s)
	return &t
}

// testRef is a small slice of the reference data that ships with the project.
func testRef() Reference {
	countries := map[string]Validity{"AN": {To: datePtr("2010-10-09")}, "XK": {}}
	for _, c := range []string{"AE", "CN", "DE", "EG", "FR", "GB", "GR", "RU", "SE", "US"} {
		countries[c] = Validity{}
	}
	return Reference{
		Countries: countries,
		MemberStates: map[string]Membership{
			"DE": {EUCode: "DE", From: date("1958-01-01")},
			"FR": {EUCode: "FR", From: date("1958-01-01")},
			"IT": {EUCode: "IT", From: date("1958-01-01")},
			"NL": {EUCode: "NL", From: date("1958-01-01")},
			"GR": {EUCode: "EL", From: date("1981-01-01")},
			"SE": {EUCode: "SE", From: date("1995-01-01")},
			"GB": {EUCode: "UK", From: date("1973-01-01"), Until: datePtr("2020-01-31")},
		},
		ControlEntries: map[string]Validity{
			"4A005":   {From: date("2014-12-31")},
			"5A001.f": {From: date("2009-08-27")},
			"5A001.j": {From: date("2014-12-31")},
			"5D001.e": {From: date("2020-12-15")},
			"1C011":   {From: date("2009-08-27"), To: datePtr("2018-12-31")},
		},
		Population: testPopulation(),
	}
}

// testPopulation gives the figures of 2016 as Eurostat's and those of 2025 as the
// Council's own: a deadline in a year between them falls back to 2016.
func testPopulation() qmv.Figures {
	figures := qmv.Figures{}
	for state, pop := range map[string]int64{"DE": 81_070_000, "FR": 66_370_000, "GB": 64_790_000, "IT": 61_430_000,
		"NL": 17_160_000, "GR": 10_820_000, "SE": 9_790_000} {
		figures.Add(2016, state, qmv.Figure{Population: pop, Publisher: qmv.Eurostat, Source: "synthetic Eurostat figures"})
	}
	for state, pop := range map[string]int64{"DE": 83_400_000, "FR": 68_420_000, "IT": 59_670_000, "NL": 18_090_000,
		"GR": 10_420_000, "SE": 10_550_000} {
		figures.Add(2025, state, qmv.Figure{Population: pop, Publisher: qmv.Council, Source: "synthetic Council decision"})
	}
	return figures
}

func TestReadGood(t *testing.T) {
	rel, err := Read("testdata/good", testRef())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	want := []Decision{
		{Line: 2, DecisionID: "D-001", MemberState: "DE", Date: date("2021-03-15"), LicenceType: "INDIVIDUAL",
			Outcome: codes.Issued, Destination: "EG", EndUserType: "LAW_ENFORCEMENT", ControlEntry: "5A001.j",
			ValueEUR: 1250000.50, ValueKnown: true, ExporterID: "EXP-1", CatchAll: codes.NoCatchAll},
		{Line: 3, DecisionID: "D-001", MemberState: "DE", Date: date("2021-03-15"), LicenceType: "INDIVIDUAL",
			Outcome: codes.Issued, Destination: "EG", EndUserType: "LAW_ENFORCEMENT", ControlEntry: "5D001.e",
			ValueEUR: 200000, ValueKnown: true, ExporterID: "EXP-1", CatchAll: codes.NoCatchAll},
		{Line: 4, DecisionID: "D-002", MemberState: "FR", Date: date("2022-07-01"), LicenceType: "INDIVIDUAL",
			Outcome: codes.Denied, Destination: "CN", EndUserType: "INTELLIGENCE", ExporterID: "EXP-2",
			DenialGrounds: []codes.DenialGround{codes.CyberSurveillance, "CRITERION_2"}, CatchAll: codes.CyberSurveillanceCatchAll},
		{Line: 5, DecisionID: "D-003", MemberState: "GB", Date: date("2019-05-20"), LicenceType: "GLOBAL",
			Outcome: codes.Issued, Destination: "US", EndUserType: "COMMERCIAL", ControlEntry: "5A001.f",
			ValueEUR: 3000000, ValueKnown: true, ExporterID: "Acme Surveillance, Ltd", CatchAll: codes.NoCatchAll},
		{Line: 6, DecisionID: "D-004", MemberState: "GR", Date: date("2023-11-30"), LicenceType: "EU001",
			Outcome: "WITHDRAWN", Destination: "AE", EndUserType: "TELECOM_OPERATOR", ControlEntry: "5A001.f",
			ValueEUR: 45000.5, ValueKnown: true, ExporterID: "EXP-2", CatchAll: codes.NoCatchAll},
		{Line: 7, DecisionID: "D-005", MemberState: "SE", Date: date("2024-12-31"), LicenceType: "INDIVIDUAL",
			Outcome: codes.Denied, Destination: "RU", EndUserType: "MILITARY", ControlEntry: "4A005",
			ValueEUR: 980000, ValueKnown: true, ExporterID: "EXP-1", DenialGrounds: []codes.DenialGround{"WMD", "SANCTIONS"},
			CatchAll: codes.NoCatchAll},
		{Line: 8, DecisionID: "D-006", MemberState: "DE", Date: date("2016-02-01"), LicenceType: "INDIVIDUAL",
			Outcome: codes.Issued, Destination: "XK", EndUserType: "GOVERNMENT", ControlEntry: "1C240",
			ValueEUR: 5000, ValueKnown: true, ExporterID: "EXP-3", CatchAll: "WMD"},
		{Line: 9, DecisionID: "D-007", MemberState: "FR", Date: date("2017-03-01"), LicenceType: codes.IntraEUTransfer,
			Outcome: codes.Issued, Destination: "DE", EndUserType: "RESEARCH", ControlEntry: "1C240",
			ExporterID: "EXP-3", CatchAll: codes.NoCatchAll},
		{Line: 10, DecisionID: "D-008", MemberState: "FR", Date: date("2020-05-01"), LicenceType: "INDIVIDUAL",
			Outcome: codes.Denied, Destination: "CN", EndUserType: "LAW_ENFORCEMENT", ExporterID: "EXP-2",
			DenialGrounds: []codes.DenialGround{codes.CyberSurveillance}, CatchAll: codes.CyberSurveillanceCatchAll},
	}
	if !reflect.DeepEqual(rel.Decisions, want) {
		t.Errorf("Decisions:\n got %+v\nwant %+v", rel.Decisions, want)
	}
	wantWarnings := []string{
		"licence_decisions.csv:8: control_entry: 1C240 is not in the portal's reference list of Annex I: imported with its code, its category and no description (2 rows; the first is this line)",
		"licence_decisions.csv:10: catch_all: CYBER_SURVEILLANCE before 2021-09-09, when the cyber-surveillance catch-all (Article 5 of Regulation (EU) 2021/821) began to apply: check whether NATIONAL_MEASURE is meant",
	}
	var got []string
	for _, w := range rel.Warnings {
		got = append(got, w.String())
	}
	if !slices.Equal(got, wantWarnings) {
		t.Errorf("Warnings:\n got %q\nwant %q", got, wantWarnings)
	}
	wantFiles := []string{"agreements.csv", "catch_all_notifications.csv", "licence_decisions.csv", "list_items.csv", "objections.csv",
		"official_figures.csv", "release.json"}
	if !slices.Equal(rel.Files, wantFiles) {
		t.Errorf("Files = %v, want %v", rel.Files, wantFiles)
	}
	if len(rel.OfficialFigures) != 3 || rel.OfficialFigures[2].Value != 1.9 || rel.OfficialFigures[2].Unit != "percent" {
		t.Errorf("OfficialFigures = %+v", rel.OfficialFigures)
	}
	if m := rel.Meta; m.ID != "test-2015-2024" || m.Licence != "CC-BY-4.0" || !m.Synthetic || !m.PeriodEnd.Equal(date("2024-12-31")) {
		t.Errorf("Meta = %+v", m)
	}
	if len(rel.Checksum) != 64 {
		t.Errorf("Checksum = %q, want 64 hex digits", rel.Checksum)
	}
}

// wantProblem is a problem expected at a file:line: column, with a phrase of its message.
type wantProblem struct{ at, says string }

func TestReadBad(t *testing.T) {
	want := []wantProblem{
		{"licence_decisions.csv:3: decision_id", `decision "D-100" has control entry "5A001.j" twice: first on line 2`},
		{"licence_decisions.csv:4: member_state", `"FR" here but "DE" on line 2`},
		{"licence_decisions.csv:5: decision_id", "required"},
		{"licence_decisions.csv:6: decision_id", "65 characters, at most 64 allowed"},
		{"licence_decisions.csv:7: member_state", `unknown Member State "XX"`},
		{"licence_decisions.csv:8: member_state", "GB was not a Member State on 2021-03-01"},
		{"licence_decisions.csv:9: decision_date", `"2021-02-30" is not a date`},
		{"licence_decisions.csv:10: decision_date", "outside the release period from 2015-01-01 to 2024-12-31"},
		{"licence_decisions.csv:11: licence_type", `unknown code "INDIVIDUEL" (allowed: [INDIVIDUAL`},
		{"licence_decisions.csv:12: outcome", `unknown code "REFUSED"`},
		{"licence_decisions.csv:13: end_user_type", `unknown code "POLICE"`},
		{"licence_decisions.csv:14: destination", `unknown country "XX"`},
		{"licence_decisions.csv:15: control_entry", `"9Z999" is not an Annex I code`},
		{"licence_decisions.csv:16: destination", "DE is the exporting Member State itself"},
		{"licence_decisions.csv:17: control_entry", "required unless the decision was made under a catch-all"},
		{"licence_decisions.csv:18: value_eur", `"-5" is not an amount`},
		{"licence_decisions.csv:19: value_eur", `"12.345" is not an amount`},
		{"licence_decisions.csv:20: value_eur", "too large"},
		{"licence_decisions.csv:21: exporter_id", "required"},
		{"licence_decisions.csv:22: exporter_id", "129 characters, at most 128 allowed"},
		{"licence_decisions.csv:23: denial_grounds", `unknown code "FOO"`},
		{"licence_decisions.csv:24: denial_grounds", "WMD given twice"},
		{"licence_decisions.csv:25: denial_grounds", "required when the outcome is DENIED"},
		{"licence_decisions.csv:26: denial_grounds", "denial grounds on a non-denial"},
		{"licence_decisions.csv:27: catch_all", `unknown code "yes"`},
		{"licence_decisions.csv:28: -", "11 fields, want 12"},
		{"licence_decisions.csv:29: -", `unreadable CSV: bare " in non-quoted-field`},
		{"licence_decisions.csv:31: destination", "FR was a Member State on 2021-03-15: a decision inside the Union must have licence_type INTRA_EU_TRANSFER"},
		{"licence_decisions.csv:32: destination", "licence_type INTRA_EU_TRANSFER needs a Member State as destination; EG was not one on 2021-03-15"},
		{"licence_decisions.csv:33: destination", "AN was not a country code in use on 2015-03-15 (in use until 2010-10-09)"},
		{"notes.txt:0: -", "unexpected file"},
		{"official_figures.csv:3: year", "2022 EU-27 denials given twice: first on line 2"},
		{"official_figures.csv:4: year", `"22" is not a year`},
		{"official_figures.csv:5: scope", "required"},
		{"official_figures.csv:6: metric", "required"},
		{"official_figures.csv:7: value", `"-1" is not a number >= 0`},
		{"official_figures.csv:8: unit", `unknown value "USD"`},
		{"official_figures.csv:9: source_document", "required"},
		{"official_figures.csv:10: source_url", `"ftp://example.org/report.pdf" is not an http(s) URL`},
		{"official_figures.csv:11: verified", `unknown value "primary"`},
		{"official_figures.csv:12: value", "a count must be a whole number"},
	}
	_, err := Read("testdata/bad", testRef())
	checkProblems(t, err, want)
}

// checkProblems checks that err is a Problems value with exactly the problems wanted, in order.
func checkProblems(t *testing.T, err error, want []wantProblem) {
	t.Helper()
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Read error = %v, want Problems", err)
	}
	for i := range max(len(probs), len(want)) {
		switch {
		case i >= len(want):
			t.Errorf("unexpected problem %s", probs[i])
		case i >= len(probs):
			t.Errorf("missing problem %s: ...%s", want[i].at, want[i].says)
		case !strings.HasPrefix(probs[i].String(), want[i].at+": ") || !strings.Contains(probs[i].Message, want[i].says):
			t.Errorf("problem %d = %s\n want %s: ...%s", i, probs[i], want[i].at, want[i].says)
		}
	}
}

// copyGood copies the good fixture to a temporary folder for a test to spoil.
func copyGood(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata/good", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		putFile(t, dir, e.Name(), string(data))
	}
	return dir
}

func putFile(t testing.TB, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// withMeta returns a mutation that replaces release.json.
// replaceInFile replaces the first old in the file name of dir with new, which must be there.
func replaceInFile(t testing.TB, dir, name, old, new string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil || !strings.Contains(string(data), old) {
		t.Fatalf("%s: %q not found (%v)", name, old, err)
	}
	putFile(t, dir, name, strings.Replace(string(data), old, new, 1))
}

func withMeta(json string) func(testing.TB, string) {
	return func(t testing.TB, dir string) { putFile(t, dir, metaFile, json) }
}

const metaTail = `"periodStart": "2015-01-01", "periodEnd": "2024-12-31", "publishedOn": "2025-06-30",
	"publisher": "P", "source": "S", "methodologyVersion": "1.0"`

func TestReadProblems(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(testing.TB, string)
		want   []wantProblem
	}{
		{
			name:   "missing field",
			mutate: withMeta(`{"id": "r1", ` + metaTail + `}`),
			want:   []wantProblem{{"release.json:0: title", "required"}},
		},
		{
			name:   "bad id",
			mutate: withMeta(`{"id": "Release 1", "title": "T", ` + metaTail + `}`),
			want:   []wantProblem{{"release.json:0: id", `"Release 1" is not a release id`}},
		},
		{
			name:   "unknown fields, all of them",
			mutate: withMeta(`{"id": "r1", "title": "T", "colour": "red", "Size": 3, ` + metaTail + `}`),
			want:   []wantProblem{{"release.json:0: Size", "unknown field"}, {"release.json:0: colour", "unknown field"}},
		},
		{
			name:   "wrong type is not also missing",
			mutate: withMeta(`{"id": "r1", "title": 7, "synthetic": "yes", ` + metaTail + `}`),
			want:   []wantProblem{{"release.json:0: synthetic", "want a bool, got a string"}, {"release.json:0: title", "want a string, got a number"}},
		},
		{
			name:   "synthetic without the word in the title",
			mutate: withMeta(`{"id": "r1", "title": "Synthesised test data", "synthetic": true, ` + metaTail + `}`),
			want:   []wantProblem{{"release.json:0: title", `must say "synthetic"`}},
		},
		{
			name:   "synthetic without the word in the citation",
			mutate: withMeta(`{"id": "r1", "title": "SYNTHETIC data", "citation": "P (2025). Data.", "synthetic": true, ` + metaTail + `}`),
			want:   []wantProblem{{"release.json:0: citation", `must say "synthetic"`}},
		},
		{
			name: "bad dates and url",
			mutate: withMeta(`{"id": "r1", "title": "T", "periodStart": "2015-01-01", "periodEnd": "2014-12-31",
				"publishedOn": "2025-13-01", "publisher": "P", "source": "S", "methodologyVersion": "1.0", "url": "ftp://x"}`),
			want: []wantProblem{
				{"release.json:0: publishedOn", `"2025-13-01" is not a date`},
				{"release.json:0: periodEnd", "2014-12-31 is before periodStart 2015-01-01"},
				{"release.json:0: url", `"ftp://x" is not an http(s) URL`},
			},
		},
		{
			name:   "not JSON",
			mutate: withMeta(`{"id": "r1",`),
			want:   []wantProblem{{"release.json:0: -", "not valid JSON"}},
		},
		{
			name:   "empty release.json",
			mutate: withMeta(""),
			want:   []wantProblem{{"release.json:0: -", "empty file"}},
		},
		{
			name:   "more after the object",
			mutate: withMeta(`{"id": "r1", "title": "T", ` + metaTail + `} {}`),
			want:   []wantProblem{{"release.json:0: -", "more data after the JSON object"}},
		},
		{
			name:   "not an object",
			mutate: withMeta(`["id"]`),
			want:   []wantProblem{{"release.json:0: -", "want a JSON object"}},
		},
		{
			name:   "missing licence_decisions.csv",
			mutate: func(t testing.TB, dir string) { _ = os.Remove(filepath.Join(dir, decisionsFile)) },
			want:   []wantProblem{{"licence_decisions.csv:0: -", "missing file"}},
		},
		{
			name:   "unexpected file",
			mutate: func(t testing.TB, dir string) { putFile(t, dir, "README.txt", "hello") },
			want:   []wantProblem{{"README.txt:0: -", "unexpected file"}},
		},
		{
			name:   "unexpected folder",
			mutate: func(t testing.TB, dir string) { _ = os.Mkdir(filepath.Join(dir, "extra"), 0o755) },
			want:   []wantProblem{{"extra:0: -", "unexpected file"}},
		},
		{
			name: "no decisions",
			mutate: func(t testing.TB, dir string) {
				putFile(t, dir, decisionsFile, strings.Join(decisionHeader(), ",")+"\n")
			},
			want: []wantProblem{{"licence_decisions.csv:0: -", "no decisions"}},
		},
		{
			name:   "wrong header",
			mutate: func(t testing.TB, dir string) { putFile(t, dir, figuresFile, "year,scope,metric,value\n") },
			want:   []wantProblem{{"official_figures.csv:1: -", `header is "year,scope,metric,value", want "year,scope,`}},
		},
		{
			name:   "empty file",
			mutate: func(t testing.TB, dir string) { putFile(t, dir, decisionsFile, "") },
			want:   []wantProblem{{"licence_decisions.csv:1: -", "empty file"}},
		},
		{
			// Saved as Latin-1 by a spreadsheet program: "ü" is the single byte 0xFC. The
			// database would refuse it with no line to point at.
			name: "text that is not UTF-8",
			mutate: func(t testing.TB, dir string) {
				replaceInFile(t, dir, decisionsFile, "\nD-001,DE,2021-03-15,INDIVIDUAL,ISSUED,EG,LAW_ENFORCEMENT,5D001.e", "\nD-001\xfc,DE,2021-03-15,INDIVIDUAL,ISSUED,EG,LAW_ENFORCEMENT,5D001.e")
				replaceInFile(t, dir, figuresFile, "DG TRADE news", "DG TRADE n\xfcws")
			},
			want: []wantProblem{
				{"licence_decisions.csv:3: decision_id", "not UTF-8 text"},
				{"official_figures.csv:2: source_document", "not UTF-8 text"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyGood(t)
			tt.mutate(t, dir)
			_, err := Read(dir, testRef())
			checkProblems(t, err, tt.want)
		})
	}
}

func TestReadAccepts(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(testing.TB, string)
	}{
		{name: "no official figures, header only", mutate: func(t testing.TB, dir string) {
			putFile(t, dir, figuresFile, "year,scope,metric,value,unit,source_document,source_url,verified\n")
		}},
		{name: "byte order mark and CRLF", mutate: func(t testing.TB, dir string) {
			data, _ := os.ReadFile(filepath.Join(dir, decisionsFile))
			putFile(t, dir, decisionsFile, "\ufeff"+strings.ReplaceAll(string(data), "\n", "\r\n"))
		}},
		{name: "grounds in another order on another row", mutate: func(t testing.TB, dir string) {
			f, _ := os.OpenFile(filepath.Join(dir, decisionsFile), os.O_APPEND|os.O_WRONLY, 0)
			defer f.Close()
			_, _ = f.WriteString("D-002,FR,2022-07-01,INDIVIDUAL,DENIED,CN,INTELLIGENCE,5A001.j,10,EXP-2,CRITERION_2;CYBER_SURVEILLANCE,true\n")
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

func TestReadUnreadableFolder(t *testing.T) {
	_, err := Read(filepath.Join(t.TempDir(), "nowhere"), testRef())
	if err == nil || errors.As(err, new(Problems)) {
		t.Fatalf("Read of a missing folder = %v, want an error that is not Problems", err)
	}
}
