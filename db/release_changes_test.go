package db_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// A second release that revises one official figure shows that revision, and only
// that: the decisions did not change, so neither do the computed figures.
func TestReleaseChanges(t *testing.T) {
	d := testdb.New(t)
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := demodata.Write(dir, demodata.Options{Seed: 9, Decisions: 2000}); err != nil {
		t.Fatal(err)
	}
	testdb.ImportFolder(t, d, dir)
	revise(t, filepath.Join(dir, "release.json"), `"id": "demo-2015-2024"`, `"id": "demo-2015-2024-r2"`)
	revise(t, filepath.Join(dir, "official_figures.csv"), "2022,EU-27,denials,831,", "2022,EU-27,denials,835,")
	testdb.ImportFolder(t, d, dir)

	from, to := "demo-2015-2024", "demo-2015-2024-r2"
	older, err := d.Release(ctx, &from)
	if err != nil {
		t.Fatal(err)
	}
	newer, err := d.Release(ctx, &to)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := d.ReleaseChanges(ctx, older, newer)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 {
		t.Fatalf("%d changes %+v, want exactly the revised figure", len(changes), changes)
	}
	c := changes[0]
	if c.Section != db.OfficialFigureChange || c.Subject != "2022 EU-27 denials" || *c.Before.Value != 831 || *c.After.Value != 835 || !strings.Contains(c.Description, "831") {
		t.Errorf("change %+v (before %v, after %v), want 2022 EU-27 denials revised from 831 to 835", c, c.Before, c.After)
	}
	if same, err := d.ReleaseChanges(ctx, older, older); err != nil || len(same) != 0 {
		t.Errorf("a release against itself: %d changes, %v; want none", len(same), err)
	}
}

func revise(t *testing.T, path, old, revised string) {
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), old) {
		t.Fatalf("%s: %v, or no %q in it", path, err, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, revised, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A revision that adds a control entry to a decision changes values, never counts:
// the decision was counted once before and is counted once after. (Its record key is
// fresh in the revised release, so the published counts may move by their noise.)
func TestRevisionAddingAnEntryCountsTheDecisionOnce(t *testing.T) {
	d := testdb.New(t)
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"release.json", "licence_decisions.csv", "official_figures.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata/multi-entry", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	older := testdb.ImportFolder(t, d, dir)
	revise(t, filepath.Join(dir, "release.json"), `"id": "multi-entry"`, `"id": "multi-entry-r2"`)
	revise(t, filepath.Join(dir, "licence_decisions.csv"), "A,DE,2022-03-01,INDIVIDUAL,ISSUED,CN,COMMERCIAL,5D002,500,E1,,NONE\n",
		"A,DE,2022-03-01,INDIVIDUAL,ISSUED,CN,COMMERCIAL,5D002,500,E1,,NONE\nA,DE,2022-03-01,INDIVIDUAL,ISSUED,CN,COMMERCIAL,5E002,3000,E1,,NONE\n")
	newer := testdb.ImportFolder(t, d, dir)
	var cells [2]db.TrueCell
	for i, id := range []string{older.Meta.ID, newer.Meta.ID} {
		r, err := d.Release(ctx, &id)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d.TrueCells(ctx, db.StatisticsQuery{Release: r, Filter: db.StatisticsFilter{Years: []int{2022}}})
		if err != nil || len(got) != 1 {
			t.Fatalf("%s: %v, %v", id, got, err)
		}
		cells[i] = got[0]
	}
	before, after := cells[0], cells[1]
	if before.Applications != after.Applications || before.Issued != after.Issued || before.Applications != 8 {
		t.Errorf("2022 before %+v, after %+v: want 8 applications in both", before, after)
	}
	if after.ValueApplied != before.ValueApplied+3000 {
		t.Errorf("2022 value applied for %.0f, then %.0f: want 3,000 more", before.ValueApplied, after.ValueApplied)
	}
	from, err := d.Release(ctx, &older.Meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	to, err := d.Release(ctx, &newer.Meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := d.ReleaseChanges(ctx, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Year != nil && *c.Year != 2022 {
			t.Errorf("change %s: only 2022 was revised", c.Subject)
		}
	}
}
