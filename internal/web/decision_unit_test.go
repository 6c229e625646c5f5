package web_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/dualuse-transparency/portal/internal/testdb"
)

// What real releases hold, through the API: the hand-made release of the data layer's
// tests (db/testdata/multi-entry), with decisions on several entries, values unknown,
// a catch-all clause, an intra-EU transfer, Kosovo and a code the reference lacks,
// each decision made nine times over so that its rows are big enough to be published.
func TestRealReleaseShapesThroughTheAPI(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportFolder(t, d, timesOver(t, "../../db/testdata/multi-entry", 9))
	c := client.New(newHandler(t, d), client.Path("/graphql"))
	type entryRow struct {
		ControlEntry *struct {
			Code                string
			Description, Source *string
			ValidFrom           *string
			Category            struct{ Code int }
		}
		Applications measure
		ValueApplied measure
	}
	var resp struct {
		ByEntry struct {
			Notes []string
			Rows  []entryRow
		}
		ByYear    struct{ Notes []string }
		CatchAlls struct {
			Rows []struct {
				CatchAll     string
				ValueApplied measure
			}
		}
		Deprecated struct{ Rows []struct{ CatchAll string } }
		Transfers  struct {
			Rows []struct {
				Destination struct{ Code string }
				LicenceType string
			}
		}
		Kosovo struct {
			Code        string
			NumericCode *string
			Region      *struct{ Name string }
		}
	}
	c.MustPost(`{
		byEntry: licenceStatistics(groupBy: [CONTROL_ENTRY]) {
			notes
			rows { controlEntry { code description source validFrom category { code } } applications { value status } valueApplied { value status note } }
		}
		byYear: licenceStatistics(groupBy: [YEAR]) { notes }
		catchAlls: licenceStatistics(groupBy: [CATCH_ALL], filter: {catchAlls: [WMD]}) { rows { catchAll valueApplied { value status note } } }
		deprecated: licenceStatistics(groupBy: [CATCH_ALL], filter: {catchAll: false}) { rows { catchAll } }
		transfers: licenceStatistics(groupBy: [DESTINATION, LICENCE_TYPE], filter: {licenceTypes: [INTRA_EU_TRANSFER]}) { rows { destination { code } licenceType } }
		kosovo: country(code: "XK") { code numericCode region { name } }
	}`, &resp)

	if !slices.ContainsFunc(resp.ByEntry.Notes, func(n string) bool { return strings.Contains(n, "more than the total") }) {
		t.Errorf("notes of a table by control entry = %q, want one saying its rows can add up to more than the total", resp.ByEntry.Notes)
	}
	if slices.ContainsFunc(resp.ByYear.Notes, func(n string) bool { return strings.Contains(n, "more than the total") }) {
		t.Errorf("notes of a table by year = %q, want none saying so: a decision is in one year", resp.ByYear.Notes)
	}
	byCode := map[string]entryRow{}
	for _, r := range resp.ByEntry.Rows {
		code := ""
		if r.ControlEntry != nil {
			code = r.ControlEntry.Code
		}
		byCode[code] = r
	}
	unlisted := byCode["1C999"].ControlEntry
	if unlisted == nil || unlisted.Description != nil || unlisted.Source != nil || unlisted.ValidFrom != nil || unlisted.Category.Code != 1 {
		t.Errorf("a code the reference lacks: %+v, want its code and category, no description, source or date", unlisted)
	}
	if e := byCode["5A002"].ControlEntry; e == nil || e.Description == nil || e.ValidFrom == nil {
		t.Errorf("5A002: %+v, want its description and date", e)
	}
	if _, ok := byCode[""]; !ok {
		t.Errorf("no row for the non-listed item (controlEntry null): %v", slices.Collect(maps.Keys(byCode)))
	}
	if v := byCode["3A001"].ValueApplied; v.Status != "NOT_APPLICABLE" || v.Value != nil {
		t.Errorf("3A001, whose one decision has no value: %+v, want no value", v)
	}
	if v := byCode["5A002"].ValueApplied; v.Note == nil || !strings.Contains(*v.Note, "have no value") {
		t.Errorf("5A002, one decision of five without a value: %+v, want a note saying so", v)
	}
	if got := resp.CatchAlls.Rows; len(got) != 1 || got[0].CatchAll != "WMD" || got[0].ValueApplied.Status != "NOT_APPLICABLE" {
		t.Errorf("rows under the WMD catch-all: %+v, want the one, with no value", got)
	}
	if got := resp.Deprecated.Rows; len(got) != 2 || got[0].CatchAll != "NONE" || got[1].CatchAll != "WMD" {
		t.Errorf("catchAll: false gave %+v, want every clause but the cyber-surveillance one (NONE, WMD)", got)
	}
	if got := resp.Transfers.Rows; len(got) != 1 || got[0].Destination.Code != "FR" || got[0].LicenceType != "INTRA_EU_TRANSFER" {
		t.Errorf("intra-EU transfers: %+v, want the one to FR", got)
	}
	if k := resp.Kosovo; k.Code != "XK" || k.NumericCode != nil || k.Region == nil {
		t.Errorf("Kosovo: %+v, want XK with no numeric code, in a region", k)
	}
}

// timesOver copies a release folder with each decision made n times, under ids of
// their own and exporters of their own.
func timesOver(t *testing.T, dir string, n int) string {
	t.Helper()
	out := t.TempDir()
	for _, name := range []string{"release.json", "official_figures.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "licence_decisions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var w strings.Builder
	w.WriteString(lines[0] + "\n")
	for k := range n {
		for _, l := range lines[1:] {
			f := strings.Split(l, ",")
			f[0] = fmt.Sprintf("%s-%d", f[0], k) // decision_id
			f[9] = fmt.Sprintf("%s-%d", f[9], k) // exporter_id
			w.WriteString(strings.Join(f, ",") + "\n")
		}
	}
	if err := os.WriteFile(filepath.Join(out, "licence_decisions.csv"), []byte(w.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}
