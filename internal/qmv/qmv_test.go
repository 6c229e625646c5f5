package qmv

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// eu27 is the Union since 1 February 2020; eu28 adds the United Kingdom.
var (
	eu27 = []string{
		"DE", "FR", "IT", "ES", "PL", "RO", "NL", "BE", "CZ", "PT", "SE", "GR", "HU", "AT",
		"BG", "DK", "FI", "SK", "IE", "HR", "LT", "SI", "LV", "EE", "CY", "LU", "MT",
	}
	eu28 = append(slices.Clone(eu27), "GB")
)

// hundredAndOne is a hypothetical Union of 101 members, M000 to M100.
var hundredAndOne = func() []string {
	var m []string
	for i := range 101 {
		m = append(m, fmt.Sprintf("M%03d", i))
	}
	return m
}()

var deadline = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// synthetic returns a procedure, notified by members[0] with its deadline on
// `deadline`, in which the objectors (who object the day before) hold objPop
// people in all and the other eligible states otherPop. The notifying state gets
// more people than everyone else together, so counting it by mistake would show.
func synthetic(members, objectors []string, objPop, otherPop int64) Procedure {
	p := Procedure{
		Notifying:      members[0],
		Deadline:       deadline,
		Members:        members,
		Population:     map[string]int64{members[0]: 10 * (objPop + otherPop)},
		PopulationYear: 2025,
	}
	var others []string
	for _, m := range members[1:] {
		if !slices.Contains(objectors, m) {
			others = append(others, m)
		}
	}
	spread(p.Population, objectors, objPop)
	spread(p.Population, others, otherPop)
	for _, s := range objectors {
		p.Objections = append(p.Objections, Objection{State: s, On: deadline.AddDate(0, 0, -1)})
	}
	return p
}

// spread shares total among states, the remainder to the first.
func spread(pop map[string]int64, states []string, total int64) {
	for i, s := range states {
		pop[s] = total / int64(len(states))
		if i == 0 {
			pop[s] += total % int64(len(states))
		}
	}
}

// with returns p with more objections.
func with(p Procedure, extra ...Objection) Procedure {
	p.Objections = append(slices.Clone(p.Objections), extra...)
	return p
}

func TestDecide(t *testing.T) {
	lateDeadline := synthetic(eu27, eu27[1:20], 900, 100)
	lateDeadline.Deadline = time.Date(2025, 3, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	gb2019 := synthetic(eu28, append(slices.Clone(eu27[1:15]), "GB"), 900, 100)
	gb2019.Deadline, gb2019.PopulationYear = time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC), 2016
	for i := range gb2019.Objections {
		gb2019.Objections[i].On = gb2019.Deadline
	}
	six := []string{"DE", "FR", "IT", "ES", "PL", "NL"}
	tests := []struct {
		name          string
		proc          Procedure
		wantEligible  int
		wantThreshold int
		wantCounted   []string
		wantIgnored   []Ignored
		wantStates    bool
		wantPop       bool
	}{
		{
			name: "enough states but too little population",
			proc: synthetic(eu27, eu27[1:16], 577, 423), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:16], wantStates: true,
		},
		{
			name: "enough population but too few states",
			proc: synthetic(eu27, eu27[1:15], 9900, 100), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:15], wantPop: true,
		},
		{
			name: "exactly 15 of 26 states",
			proc: synthetic(eu27, eu27[1:16], 9900, 100), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:16], wantStates: true, wantPop: true,
		},
		{
			name: "exactly 65 % of the population",
			proc: synthetic(eu27, eu27[1:21], 780, 420), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:21], wantStates: true, wantPop: true,
		},
		{
			name: "one person short of 65 %",
			proc: synthetic(eu27, eu27[1:21], 779, 421), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:21], wantStates: true,
		},
		{
			name:         "the notifying state's objection does not count",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "DE", On: deadline}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true,
			wantIgnored: []Ignored{{State: "DE", Reason: "the notifying state"}},
		},
		{
			name:         "a late 15th objection does not count",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "DK", On: deadline.AddDate(0, 0, 1)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true,
			wantIgnored: []Ignored{{State: "DK", Reason: "after the deadline (on 2025-03-02)"}},
		},
		{
			name:         "a 15th objection late on the deadline day counts",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "DK", On: deadline.Add(23*time.Hour + 59*time.Minute)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: sorted(append(slices.Clone(eu27[1:15]), "DK")),
			wantStates: true, wantPop: true,
		},
		{
			name:         "the deadline day is the deadline's, not UTC's",
			proc:         with(lateDeadline, Objection{State: "MT", On: time.Date(2025, 3, 1, 23, 30, 0, 0, time.UTC)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:20], wantStates: true, wantPop: true,
			wantIgnored: []Ignored{{State: "MT", Reason: "after the deadline (on 2025-03-02)"}},
		},
		{
			name:         "two objections by one state count once",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "FR", On: deadline}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true,
			wantIgnored: []Ignored{{State: "FR", Reason: "objected twice"}},
		},
		{
			name: "an objection by a state that has left does not count",
			proc: with(synthetic(eu27, eu27[1:15], 9900, 100),
				Objection{State: "GB", On: deadline}, Objection{State: "US", On: deadline}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true,
			wantIgnored: []Ignored{
				{State: "GB", Reason: "not a Member State on the deadline"},
				{State: "US", Reason: "not a Member State on the deadline"},
			},
		},
		{
			name: "no objections",
			proc: synthetic(eu27, nil, 0, 1000), wantEligible: 26, wantThreshold: 15, wantCounted: []string{},
		},
		{
			name: "28 members in 2019: 15 of 27 with the United Kingdom",
			proc: gb2019, wantEligible: 27, wantThreshold: 15,
			wantCounted: sorted(append(slices.Clone(eu27[1:15]), "GB")), wantStates: true, wantPop: true,
		},
		{
			name: "28 members in 2019: 14 of 27 is short",
			proc: synthetic(eu28, eu27[1:15], 9900, 100), wantEligible: 27, wantThreshold: 15,
			wantCounted: eu27[1:15], wantPop: true,
		},
		{
			name: "6 members: 3 of 5",
			proc: synthetic(six, six[1:4], 700, 300), wantEligible: 5, wantThreshold: 3,
			wantCounted: six[1:4], wantStates: true, wantPop: true,
		},
		{
			name: "6 members: 2 of 5",
			proc: synthetic(six, six[1:3], 700, 300), wantEligible: 5, wantThreshold: 3,
			wantCounted: six[1:3], wantPop: true,
		},
		{
			name: "21 members: exactly 55 % is 11 of 20",
			proc: synthetic(eu27[:21], eu27[1:12], 700, 300), wantEligible: 20, wantThreshold: 11,
			wantCounted: eu27[1:12], wantStates: true, wantPop: true,
		},
		{
			name: "101 members: 55 of 100, where a float ceil(0.55*100) would say 56",
			proc: synthetic(hundredAndOne, hundredAndOne[1:56], 700, 300), wantEligible: 100, wantThreshold: 55,
			wantCounted: hundredAndOne[1:56], wantStates: true, wantPop: true,
		},
		{
			name:         "one person short of 65 % of a population so large a float share rounds to 0.65",
			proc:         synthetic(eu27, eu27[1:21], 58_500_000_000_000_000-1, 31_500_000_000_000_001),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:21], wantStates: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decide(tt.proc)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if got.Eligible != tt.wantEligible || got.StatesThreshold != tt.wantThreshold {
				t.Errorf("eligible %d, threshold %d; want %d, %d", got.Eligible, got.StatesThreshold, tt.wantEligible, tt.wantThreshold)
			}
			if !slices.Equal(got.Counted, sorted(tt.wantCounted)) || got.Objecting != len(tt.wantCounted) {
				t.Errorf("counted %d %v, want %v", got.Objecting, got.Counted, sorted(tt.wantCounted))
			}
			if !slices.Equal(got.Ignored, tt.wantIgnored) {
				t.Errorf("ignored %v, want %v", got.Ignored, tt.wantIgnored)
			}
			if got.StatesMet() != tt.wantStates || got.PopulationMet() != tt.wantPop {
				t.Errorf("states met %v, population met %v; want %v, %v", got.StatesMet(), got.PopulationMet(), tt.wantStates, tt.wantPop)
			}
			if want := tt.wantStates && tt.wantPop; got.QualifiedMajority != want {
				t.Errorf("qualified majority %v, want %v (%s)", got.QualifiedMajority, want, got.Explanation())
			}
			if got.PopulationYear != tt.proc.PopulationYear || got.PopulationThreshold != 0.65 {
				t.Errorf("population year %d, threshold %v", got.PopulationYear, got.PopulationThreshold)
			}
		})
	}
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func TestDecideRefuses(t *testing.T) {
	base := synthetic(eu27, eu27[1:5], 500, 500)
	tests := []struct {
		name   string
		change func(*Procedure)
		want   string
	}{
		{name: "notifying state not a member", change: func(p *Procedure) { p.Notifying = "GB" }, want: "not among the members"},
		{name: "member without population", change: func(p *Procedure) { delete(p.Population, "MT") }, want: `"MT" has no population`},
		{name: "member with zero population", change: func(p *Procedure) { p.Population["MT"] = 0 }, want: `"MT" has no population`},
		{name: "member listed twice", change: func(p *Procedure) { p.Members = append(slices.Clone(eu27), "FR") }, want: `"FR" is listed twice`},
		{name: "no other members", change: func(p *Procedure) { p.Members = []string{"DE"} }, want: "no other members"},
		{name: "population too large to count exactly", change: func(p *Procedure) { p.Population["MT"] = 1 << 60 }, want: "exceeds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			p.Population = maps.Clone(base.Population)
			tt.change(&p)
			got, err := Decide(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Decide = %+v, %v; want an error containing %q", got, err, tt.want)
			}
		})
	}
}

func TestPopulationYear(t *testing.T) {
	tests := []struct {
		name      string
		available []int
		year      int
		want      int
	}{
		{name: "exact year", available: []int{2016, 2025}, year: 2025, want: 2025},
		{name: "later year uses the latest earlier one", available: []int{2016, 2025}, year: 2019, want: 2016},
		{name: "after the last year", available: []int{2016, 2025}, year: 2030, want: 2025},
		{name: "earlier year uses the earliest", available: []int{2016, 2025}, year: 2012, want: 2016},
		{name: "unsorted", available: []int{2025, 2016, 2020}, year: 2023, want: 2020},
		{name: "unsorted, before all", available: []int{2025, 2020, 2016}, year: 2010, want: 2016},
		{name: "none available", available: nil, year: 2025, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PopulationYear(tt.available, tt.year); got != tt.want {
				t.Fatalf("PopulationYear(%v, %d) = %d, want %d", tt.available, tt.year, got, tt.want)
			}
		})
	}
}

func TestExplanation(t *testing.T) {
	gb := synthetic(eu28, eu27[1:16], 900, 100)
	gb.PopulationYear = 2016
	tests := []struct {
		name string
		proc Procedure
		want string
	}{
		{
			name: "too few states",
			proc: synthetic(eu27, eu27[1:15], 712, 288),
			want: "14 of 26 states objected (53.8 % < 55 %), representing 71.2 % of their population (≥ 65 %): no qualified majority (Council figures for 2025)",
		},
		{
			name: "qualified majority",
			proc: synthetic(eu27, eu27[1:16], 680, 320),
			want: "15 of 26 states objected (57.7 % ≥ 55 %), representing 68.0 % of their population (≥ 65 %): a qualified majority objected (Council figures for 2025)",
		},
		{
			name: "exactly 65 %",
			proc: synthetic(eu27, eu27[1:21], 780, 420),
			want: "20 of 26 states objected (76.9 % ≥ 55 %), representing 65.0 % of their population (≥ 65 %): a qualified majority objected (Council figures for 2025)",
		},
		{
			name: "a hair short of 65 % is not shown as 65.0 %",
			proc: synthetic(eu27, eu27[1:21], 64999, 35001),
			want: "20 of 26 states objected (76.9 % ≥ 55 %), representing 64.9 % of their population (< 65 %): no qualified majority (Council figures for 2025)",
		},
		{
			name: "no objections",
			proc: synthetic(eu27, nil, 0, 1000),
			want: "0 of 26 states objected (0.0 % < 55 %), representing 0.0 % of their population (< 65 %): no qualified majority (Council figures for 2025)",
		},
		{
			name: "27 eligible with the United Kingdom",
			proc: gb,
			want: "15 of 27 states objected (55.6 % ≥ 55 %), representing 90.0 % of their population (≥ 65 %): a qualified majority objected (Council figures for 2016)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally, err := Decide(tt.proc)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if got := tally.Explanation(); got != tt.want {
				t.Fatalf("Explanation() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
