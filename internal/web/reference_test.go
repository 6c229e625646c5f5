package web_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"
	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

func TestMemberStates(t *testing.T) {
	c := newClient(t)
	var resp struct {
		Today []struct {
			Code, EuCode, Name string
			Country            struct{ Region struct{ Name string } }
			PopulationShares   []struct {
				Year       int
				Population int
			}
		}
		Before []struct{ Code string }
		Greece struct{ Code, EuCode string }
	}
	c.MustPost(`{
		today: memberStates { code euCode name country { region { name } } populationShares { year population } }
		before: memberStates(asOf: "2019-06-30") { code }
		greece: memberState(code: "EL") { code euCode }
	}`, &resp)
	if len(resp.Today) != 27 {
		t.Fatalf("memberStates = %d states, want 27", len(resp.Today))
	}
	for _, ms := range resp.Today {
		// Cyprus is in Western Asia for the UN M49 standard.
		if wantRegion := map[bool]string{true: "Asia", false: "Europe"}[ms.Code == "CY"]; ms.Country.Region.Name != wantRegion || len(ms.PopulationShares) == 0 {
			t.Errorf("%s: region %q, %d population shares; want %s and some", ms.Code, ms.Country.Region.Name, len(ms.PopulationShares), wantRegion)
		}
	}
	if len(resp.Before) != 28 || !slices.ContainsFunc(resp.Before, func(s struct{ Code string }) bool { return s.Code == "GB" }) {
		t.Errorf("memberStates(asOf: 2019-06-30) = %v, want 28 with GB", resp.Before)
	}
	if resp.Greece.Code != "GR" || resp.Greece.EuCode != "EL" {
		t.Errorf("memberState(EL) = %+v, want code GR, euCode EL", resp.Greece)
	}
}

func TestCountriesAndRegions(t *testing.T) {
	c := newClient(t)
	var resp struct {
		Countries []struct {
			Code      string
			Region    *struct{ Name string }
			SubRegion *struct {
				Name   string
				Parent struct{ Name string }
			}
		}
		Asia    []struct{ Code string }
		Regions []struct{ Code, Name string }
	}
	c.MustPost(`{
		countries { code region { name } subRegion { name parent { name } } }
		asia: countries(region: "Asia") { code }
		regions { code name }
	}`, &resp)
	if len(resp.Countries) < 240 {
		t.Fatalf("countries = %d, want at least 240", len(resp.Countries))
	}
	for _, c := range resp.Countries {
		if c.Region != nil && (c.SubRegion == nil || c.SubRegion.Parent.Name != c.Region.Name) {
			t.Errorf("%s: sub-region %+v does not belong to region %+v", c.Code, c.SubRegion, c.Region)
		}
	}
	if len(resp.Asia) < 45 || len(resp.Asia) > 55 {
		t.Errorf("countries(region: Asia) = %d, want about 50", len(resp.Asia))
	}
	if len(resp.Regions) < 20 {
		t.Errorf("regions = %d, want the 5 regions and their sub-regions", len(resp.Regions))
	}
}

func TestControlEntries(t *testing.T) {
	c := newClient(t)
	type entry struct {
		Code              string
		CyberSurveillance bool
		Parent            *struct{ Code string }
		Children          []struct{ Code string }
		Category          struct{ Code int }
		ProductGroup      struct{ Code string }
	}
	var resp struct {
		ControlEntries struct {
			Nodes      []entry
			TotalCount int
			PageInfo   struct{ HasNextPage bool }
		}
		ControlEntry entry
	}
	c.MustPost(`query {
		controlEntries(cyberSurveillance: true, first: 100) {
			nodes { code cyberSurveillance parent { code } children { code } category { code } productGroup { code } }
			totalCount pageInfo { hasNextPage }
		}
		controlEntry(code: "5A001") { code children { code } parent { code } category { code } productGroup { code } }
	}`, &resp)
	got := resp.ControlEntries
	if got.TotalCount != 8 || len(got.Nodes) != 8 || got.PageInfo.HasNextPage {
		t.Fatalf("cyber-surveillance entries: %d of %d (next page %t), want the 8 of the reference file", len(got.Nodes), got.TotalCount, got.PageInfo.HasNextPage)
	}
	for _, e := range got.Nodes {
		if !e.CyberSurveillance || (strings.Contains(e.Code, ".") && (e.Parent == nil || !strings.HasPrefix(e.Code, e.Parent.Code+"."))) {
			t.Errorf("entry %+v: want cyber-surveillance with its parent", e)
		}
	}
	fam := resp.ControlEntry
	if fam.Parent != nil || fam.Category.Code != 5 || fam.ProductGroup.Code != "A" || !slices.ContainsFunc(fam.Children, func(c struct{ Code string }) bool { return c.Code == "5A001.j" }) {
		t.Errorf("controlEntry(5A001) = %+v, want a top-level entry of 5/A with 5A001.j among its children", fam)
	}
}

// A field that fails is null with a coded error; the other fields still answer.
func TestErrorsAreCodedAndLocal(t *testing.T) {
	c := newClient(t)
	tests := []struct {
		name  string
		query string
		code  string
		field string
	}{
		{name: "unknown entry", query: `{ controlEntry(code: "9Z999") { code } regions { code } }`, code: "NOT_FOUND", field: "controlEntry"},
		{name: "unknown member state", query: `{ memberState(code: "NO") { code } regions { code } }`, code: "NOT_FOUND", field: "memberState"},
		{name: "unknown region", query: `{ countries(region: "Atlantis") { code } regions { code } }`, code: "INVALID_INPUT", field: "countries"},
		{name: "page too large", query: `{ controlEntries(first: 501) { totalCount } regions { code } }`, code: "INVALID_INPUT", field: "controlEntries"},
		{name: "bad cursor", query: `{ controlEntries(after: "xyz") { totalCount } regions { code } }`, code: "INVALID_INPUT", field: "controlEntries"},
		{name: "bad date", query: `{ memberStates(asOf: "31/01/2020") { code } regions { code } }`, code: "INVALID_INPUT", field: "memberStates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.RawPost(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			var errs []gqlError
			if err := json.Unmarshal(resp.Errors, &errs); err != nil || len(errs) != 1 {
				t.Fatalf("errors = %s, want exactly one", resp.Errors)
			}
			data, _ := resp.Data.(map[string]any)
			if errs[0].Extensions.Code != tt.code || data[tt.field] != nil || data["regions"] == nil {
				t.Errorf("got error %+v and data %v; want code %s, %s null and regions answered", errs[0], data, tt.code, tt.field)
			}
		})
	}
}

// A database error reaches the log, never the client.
func TestDatabaseErrorsStayInside(t *testing.T) {
	url := testdb.NewURL(t)
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `ALTER TABLE control_categories RENAME TO control_categories_gone`); err != nil {
		t.Fatal(err)
	}
	c := client.New(newHandler(t, d), client.Path("/graphql"))
	resp, err := c.RawPost(`{ controlCategories { code } }`)
	if err != nil {
		t.Fatal(err)
	}
	var errs []gqlError
	if err := json.Unmarshal(resp.Errors, &errs); err != nil || len(errs) != 1 {
		t.Fatalf("errors = %s, want exactly one", resp.Errors)
	}
	if errs[0].Message != "internal error" || errs[0].Extensions.Code != "INTERNAL" {
		t.Errorf("error = %+v, want \"internal error\" with code INTERNAL", errs[0])
	}
	for _, leak := range []string{"control_categories", "relation", "db.", "SQLSTATE"} {
		if strings.Contains(string(resp.Errors), leak) {
			t.Errorf("response %s reveals %q", resp.Errors, leak)
		}
	}
}
