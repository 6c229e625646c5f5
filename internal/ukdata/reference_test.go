package ukdata

import (
	"encoding/csv"
	"os"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/release"
)

// loadReference reads the portal's reference data from its files, as the database
// loads them, for the importer's checks.
func loadReference(t testing.TB) release.Reference {
	t.Helper()
	ref := release.Reference{Countries: map[string]release.Validity{}, MemberStates: map[string]release.Membership{},
		ControlEntries: map[string]release.Validity{}}
	for _, r := range readTable(t, "../../db/reference/countries.csv") {
		ref.Countries[r["alpha2"]] = release.Validity{From: optionalDay(t, r["valid_from"]), To: endDay(t, r["valid_to"])}
	}
	for _, r := range readTable(t, "../../db/reference/member_states.csv") {
		ref.MemberStates[r["iso2"]] = release.Membership{EUCode: r["eu_code"], From: optionalDay(t, r["member_from"]),
			Until: endDay(t, r["member_until"])}
	}
	for _, r := range readTable(t, "../../db/reference/control_entries.csv") {
		ref.ControlEntries[r["code"]] = release.Validity{From: optionalDay(t, r["valid_from"]), To: endDay(t, r["valid_to"])}
	}
	return ref
}

func readTable(t testing.TB, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, col := range recs[0] {
			row[col] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func optionalDay(t testing.TB, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func endDay(t testing.TB, s string) *time.Time {
	t.Helper()
	if s == "" {
		return nil
	}
	d := optionalDay(t, s)
	return &d
}
