package web_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// The whole annual report of one year of the demo release, pinned by a golden file:
// the demo is generated from a seed and record keys are derived from decision ids,
// so the same release publishes the same report, number for number.
func TestAnnualReportGolden(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 2021821})
	h := newHandler(t, d)
	query, err := os.ReadFile("annual_report.graphql")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.New(h, client.Path("/graphql")).RawPost(string(query), client.Var("year", 2022))
	if err != nil || len(resp.Errors) > 0 {
		t.Fatalf("annualReport: %v %s", err, resp.Errors)
	}
	got, err := json.MarshalIndent(resp.Data, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/annual-report-2022.golden.json"
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/web -run AnnualReportGolden -update to write it)", err)
	}
	if !bytes.Equal(append(got, '\n'), want) {
		t.Errorf("the report differs from %s (if the change is intended, rerun with -update and review the diff)", golden)
	}
	checkReport(t, resp.Data)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/download/annual-report/2022.json?release=demo-2015-2024", nil))
	var download, api map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &download)
	_ = json.Unmarshal(got, &api)
	if rec.Code != 200 || !jsonEqual(download, api["annualReport"]) {
		t.Errorf("the JSON download (status %d) is not the API's report", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/download/annual-report/2022.csv", nil))
	if lines := strings.Count(rec.Body.String(), "\n"); rec.Code != 200 || lines < 100 || !strings.HasPrefix(rec.Body.String(), "\ufeffsection,section_label,year,member_state,member_state_name,") {
		t.Errorf("CSV download: status %d, %d lines", rec.Code, lines)
	}
}

// checkReport checks what the issue asks of the report of 2022: the real official
// figures with their sources beside the computed ones, every number with a status,
// and the change against 2021.
func checkReport(t *testing.T, data any) {
	b, _ := json.Marshal(data)
	var r struct {
		AnnualReport struct {
			Citation string
			Headline []struct {
				Kind, Metric                string
				Value, PreviousYear, Change measureNote
			}
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	official := map[string]measureNote{}
	computed := 0
	for _, h := range r.AnnualReport.Headline {
		if h.Kind == "OFFICIAL" {
			official[h.Metric] = h.Value
		} else if h.PreviousYear.Status == "PERTURBED" && h.Change.Status == "PERTURBED" {
			computed++
		}
	}
	if o := official["denials"]; o.Value == nil || *o.Value != 831 || o.Status != "OFFICIAL" || !strings.Contains(o.Note, "Commission") {
		t.Errorf("official denials %+v, want 831 OFFICIAL with its source", o)
	}
	if o := official["value_authorised_exports"]; o.Value == nil || *o.Value != 57.3e9 || o.Status != "OFFICIAL" {
		t.Errorf("official value authorised %+v, want 57.3 bn OFFICIAL", o)
	}
	if computed != 5 {
		t.Errorf("%d computed headline figures compared with 2021, want 5", computed)
	}
	if !strings.Contains(r.AnnualReport.Citation, "demo-2015-2024") || !strings.Contains(strings.ToLower(r.AnnualReport.Citation), "synthetic") {
		t.Errorf("citation %q: want the release id and the word synthetic", r.AnnualReport.Citation)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, isNumber := v["value"].(float64); isNumber && v["status"] == nil {
				t.Errorf("a number without a status: %v", v)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(data)
}

type measureNote struct {
	Value  *float64
	Status string
	Note   string
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func TestAnnualReportOfAYearWithoutData(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 300})
	resp, err := client.New(newHandler(t, d), client.Path("/graphql")).RawPost(`{ annualReport(year: 2031) { year } }`)
	if err != nil {
		t.Fatal(err)
	}
	var errs []gqlError
	if err := json.Unmarshal(resp.Errors, &errs); err != nil || len(errs) != 1 || errs[0].Extensions.Code != "NOT_FOUND" || !strings.Contains(errs[0].Message, "2031") {
		t.Errorf("errors %s, want one NOT_FOUND naming 2031", resp.Errors)
	}
}
