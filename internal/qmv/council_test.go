package qmv

import (
	"encoding/csv"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// council reads the Council's population shares the callers pass, as populations
// per year, so the rule is also tested on the figures it will meet.
func council(t *testing.T) map[int]map[string]int64 {
	t.Helper()
	f, err := os.Open("../../db/reference/population_shares.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	byYear := make(map[int]map[string]int64)
	for _, r := range rows[1:] { // year,iso2,share_percent,eu_population,source
		year, err1 := strconv.Atoi(r[0])
		share, err2 := strconv.ParseFloat(r[2], 64)
		total, err3 := strconv.ParseFloat(r[3], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("bad row %v", r)
		}
		if byYear[year] == nil {
			byYear[year] = make(map[string]int64)
		}
		byYear[year][r[1]] = int64(math.Round(share / 100 * total))
	}
	return byYear
}

func TestDecideCouncilFigures(t *testing.T) {
	figures := council(t)
	years := slices.Sorted(func(yield func(int) bool) {
		for y := range figures {
			if !yield(y) {
				return
			}
		}
	})
	// The 15 smallest states of 2025, smallest first (CSV order is largest first).
	smallest := slices.Clone(eu27[12:])
	slices.Reverse(smallest)
	tests := []struct {
		name       string
		deadline   time.Time
		members    []string
		notifying  string
		objectors  []string
		wantYear   int
		wantStates bool
		wantPop    bool
	}{
		{
			name:     "the five largest alone hold the population but are 5 states of 26",
			deadline: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), members: eu27, notifying: "NL",
			objectors: []string{"DE", "FR", "IT", "ES", "PL"}, wantYear: 2025, wantPop: true,
		},
		{
			name:     "the 15 smallest are enough states but far from 65 % of the population",
			deadline: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), members: eu27, notifying: "DE",
			objectors: smallest, wantYear: 2025, wantStates: true,
		},
		{
			name:     "all 26 others object",
			deadline: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), members: eu27, notifying: "DE",
			objectors: eu27[1:], wantYear: 2025, wantStates: true, wantPop: true,
		},
		{
			name:     "2019 with the United Kingdom: the 15 largest after Germany",
			deadline: time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC), members: eu28, notifying: "DE",
			objectors: []string{"FR", "GB", "IT", "ES", "PL", "RO", "NL", "BE", "GR", "CZ", "PT", "HU", "SE", "AT", "BG"},
			wantYear:  2016, wantStates: true, wantPop: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			year := PopulationYear(years, tt.deadline.Year())
			p := Procedure{
				Notifying: tt.notifying, Deadline: tt.deadline, Members: tt.members,
				Population: figures[year], PopulationYear: year,
			}
			for _, s := range tt.objectors {
				p.Objections = append(p.Objections, Objection{State: s, On: tt.deadline})
			}
			got, err := Decide(p)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if got.PopulationYear != tt.wantYear || got.Objecting != len(tt.objectors) {
				t.Errorf("year %d, objecting %d; want %d, %d", got.PopulationYear, got.Objecting, tt.wantYear, len(tt.objectors))
			}
			if got.StatesMet() != tt.wantStates || got.PopulationMet() != tt.wantPop {
				t.Errorf("states met %v, population met %v; want %v, %v", got.StatesMet(), got.PopulationMet(), tt.wantStates, tt.wantPop)
			}
			if want := tt.wantStates && tt.wantPop; got.QualifiedMajority != want {
				t.Errorf("qualified majority %v, want %v", got.QualifiedMajority, want)
			}
			t.Log(got.Explanation())
		})
	}
}
