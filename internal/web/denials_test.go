package web_test

import (
	"encoding/csv"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

func TestDenialsByDestination(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 5, Decisions: 40000})
	h := newHandler(t, d)
	var resp struct {
		Countries struct {
			Period          struct{ Start, End string }
			PreviousPeriod  struct{ Start, End string }
			OfficialDenials *measure
			TotalCount      int
			Rows            []struct {
				Destination struct{ Code, Name string }
				Denials     measure
				DenialRate  measure
				Grounds     []struct {
					Ground  string
					Denials measure
				}
				Previous          struct{ Denials measure }
				Change            struct{ Denials measure }
				CyberSurveillance struct{ Denials, Applications measure }
			}
		}
		Regions struct {
			Rows []struct {
				Region  struct{ Name string }
				Denials measure
			}
		}
	}
	client.New(h, client.Path("/graphql")).MustPost(`{
		countries: denialsByDestination(filter: {years: [2022]}, first: 1000) {
			period { start end } previousPeriod { start end } officialDenials { value status note } totalCount
			rows {
				destination { code name } denials { value status } denialRate { value status note }
				grounds { ground denials { value status } } previous { denials { value status } }
				change { denials { value status note } } cyberSurveillance { denials { value status } applications { value status } }
			}
		}
		regions: denialsByDestination(filter: {years: [2022]}, level: REGION) { rows { region { name } denials { value status } } }
	}`, &resp)
	got := resp.Countries
	if got.Period.Start != "2022-01-01" || got.PreviousPeriod.End != "2021-12-31" || got.TotalCount < 10 || len(got.Rows) != got.TotalCount {
		t.Fatalf("period %+v, previous %+v, %d rows of %d; want 2022 against 2021 and the whole table", got.Period, got.PreviousPeriod, len(got.Rows), got.TotalCount)
	}
	if o := got.OfficialDenials; o == nil || *o.Value != 831 || o.Status != "OFFICIAL" || o.Note == nil {
		t.Errorf("officialDenials %+v, want the Commission's 831 with its source", o)
	}
	countrySum, regionSum := 0.0, 0.0
	for i, r := range got.Rows {
		if r.Destination.Name == "" || r.Denials.Value == nil || r.Change.Denials.Status == "" || (r.DenialRate.Value == nil && r.DenialRate.Status == "PERTURBED") {
			t.Errorf("row %+v: want a named destination with published denials, a change and a rate", r)
		}
		for _, g := range r.Grounds {
			if g.Denials.Value == nil {
				t.Errorf("%s: ground %s listed with its denials withheld", r.Destination.Code, g.Ground)
			}
		}
		if i > 0 && r.Denials.Value != nil && (got.Rows[i-1].Denials.Value == nil || *got.Rows[i-1].Denials.Value < *r.Denials.Value) {
			t.Errorf("row %d out of order: withheld counts come last", i)
		}
		if r.Denials.Value != nil {
			countrySum += *r.Denials.Value
		}
	}
	for _, r := range resp.Regions.Rows {
		if r.Denials.Value != nil {
			regionSum += *r.Denials.Value
		}
	}
	// The region level tells the same story: the listed countries are part of their
	// regions, so the regions add up to at least the countries, within the noise (each
	// figure within 2 of its truth, a left-out region below 3).
	if diff := countrySum - regionSum; diff > 4*float64(len(got.Rows)+len(resp.Regions.Rows)) || len(resp.Regions.Rows) < 3 {
		t.Errorf("countries add up to %v denials, regions to %v over %d regions", countrySum, regionSum, len(resp.Regions.Rows))
	}

	// Over the whole release (a year has too few denials of cyber-surveillance items
	// for any destination to reach 3), the filter lists some destinations, fewer.
	var cyber struct {
		All, Cyber struct{ TotalCount int }
	}
	client.New(h, client.Path("/graphql")).MustPost(`{ all: denialsByDestination { totalCount }
		cyber: denialsByDestination(filter: {cyberSurveillance: true}) { totalCount } }`, &cyber)
	if n := cyber.Cyber.TotalCount; n == 0 || n >= cyber.All.TotalCount {
		t.Errorf("cyber-surveillance filter: %d destinations, want some but fewer than %d", n, cyber.All.TotalCount)
	}

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/download/denials-by-destination.csv?years=2022", nil))
	records, err := csv.NewReader(rec.Body).ReadAll()
	if err != nil || rec.Code != 200 || len(records) != len(got.Rows)+1 {
		t.Fatalf("CSV: status %d, %d records, %v; want the %d rows and a header", rec.Code, len(records), err, len(got.Rows))
	}
	for i, r := range got.Rows {
		want := []string{r.Destination.Code, r.Destination.Name, ""}
		if r.Denials.Value != nil {
			want[2] = fmt.Sprint(*r.Denials.Value)
		}
		if strings.Join(records[i+1][:3], ",") != strings.Join(want, ",") {
			t.Errorf("CSV row %d = %v, want %v", i+1, records[i+1][:3], want)
		}
	}
}
