package demodata

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/qmv"
	"github.com/dualuse-transparency/portal/internal/release"
)

// readRelease reads dir the way the importer does, failing on any problem.
func readRelease(t *testing.T, dir string) *release.Release {
	t.Helper()
	rel, err := release.Read(dir, releaseReference(t))
	if err != nil {
		t.Fatalf("release.Read: %v", err)
	}
	return rel
}

// outcomes counts the notifications of rel by outcome, as the release tells it.
func outcomes(t *testing.T, rel *release.Release) (sum Summary, tallies map[string]qmv.Tally) {
	t.Helper()
	tallies = map[string]qmv.Tally{}
	published := rel.Meta.PublishedOn
	for _, n := range rel.Notifications {
		tally, err := rel.Tally(n)
		if err != nil {
			t.Fatal(err)
		}
		tallies[n.ID] = tally
		sum.Notifications++
		switch {
		case n.WithdrawnOn != nil:
			sum.Withdrawn++
		case !n.Deadline.Before(published):
			sum.Pending++
		case tally.QualifiedMajority:
			sum.Objected++
		}
	}
	sum.Listed = len(rel.ListItems)
	return sum, tallies
}

func sameCounts(a, b Summary) bool {
	return a.Notifications == b.Notifications && a.Listed == b.Listed && a.Objected == b.Objected &&
		a.Withdrawn == b.Withdrawn && a.Pending == b.Pending
}

// TestDefaultProcedure reads the default release back with the importer's checks and
// judges the story its catch-all history tells.
func TestDefaultProcedure(t *testing.T) {
	sum, _, _ := defaultRelease(t)
	rel := readRelease(t, filepath.Join(testDir, "default"))
	got, tallies := outcomes(t, rel)
	want := Summary{Notifications: 14, Listed: 8, Objected: 3, Withdrawn: 1, Pending: 2}
	if !sameCounts(sum, want) || !sameCounts(got, want) {
		t.Errorf("Summary %+v, release %+v; want %+v", sum, got, want)
	}
	var statesOnly, populationOnly int
	for _, n := range rel.Notifications {
		tally := tallies[n.ID]
		wantYear := 2016 // the nearest earlier figures: none between 2016 and 2025
		if n.Deadline.Year() >= 2025 {
			wantYear = 2025
		}
		if tally.PopulationYear != wantYear {
			t.Errorf("%s: deadline %s counted with the %d figures, want %d", n.ID, n.Deadline.Format(dateLayout), tally.PopulationYear, wantYear)
		}
		if !tally.QualifiedMajority && tally.StatesMet() {
			statesOnly++
		}
		if !tally.QualifiedMajority && tally.PopulationMet() {
			populationOnly++
		}
		checkSynthetic(t, n.ID, n.ItemDescription, n.LegalReference)
	}
	if statesOnly == 0 || populationOnly == 0 {
		t.Errorf("close calls: %d with enough states only, %d with enough population only; want one of each", statesOnly, populationOnly)
	}
	checkItems(t, rel.ListItems)
}

func checkItems(t *testing.T, items []release.ListItem) {
	t.Helper()
	var amended, removed int
	for _, it := range items {
		checkSynthetic(t, it.ID, it.Description, it.LegalReference, it.Amendment, it.RemovalReason)
		if it.AmendedOn != nil {
			amended++
		}
		if it.RemovedOn != nil {
			removed++
		}
	}
	if amended != 1 || removed != 1 {
		t.Errorf("%d items amended, %d removed; want 1 and 1", amended, removed)
	}
}

// checkSynthetic requires each text that is given to say it is synthetic.
func checkSynthetic(t *testing.T, id string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if s != "" && !strings.Contains(strings.ToLower(s), "synthetic") {
			t.Errorf("%s: %q does not say it is synthetic", id, s)
		}
	}
}

// TestProcedureAtOtherDates tells the history as of other publication dates: before
// the procedure existed, in the middle of it, and after the default's open
// notifications closed.
func TestProcedureAtOtherDates(t *testing.T) {
	tests := []struct {
		name      string
		published string
		want      Summary
	}{
		{name: "before the procedure", published: "2021-06-30", want: Summary{}},
		{name: "mid-2023", published: "2023-06-30", want: Summary{Notifications: 9, Listed: 6, Objected: 1, Withdrawn: 1, Pending: 1}},
		{name: "deadline day of SYN-2022-01 is pending", published: "2022-03-01", want: Summary{Notifications: 2, Listed: 1, Pending: 1}},
		{name: "all closed", published: "2026-03-01", want: Summary{Notifications: 14, Listed: 10, Objected: 3, Withdrawn: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			published, _ := time.Parse(dateLayout, tt.published)
			sum, err := Write(dir, Options{Seed: 5, Decisions: 1000, PublishedOn: published})
			if err != nil {
				t.Fatal(err)
			}
			got, _ := outcomes(t, readRelease(t, dir))
			if !sameCounts(sum, tt.want) || !sameCounts(got, tt.want) {
				t.Errorf("Summary %+v, release %+v; want %+v", sum, got, tt.want)
			}
		})
	}
}
