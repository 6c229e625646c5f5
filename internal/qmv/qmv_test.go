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

// date is midnight UTC on a day.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// ptr returns a pointer to t, for Span.Until.
func ptr(t time.Time) *time.Time { return &t }

// unionOf returns the membership of states: the United Kingdom from 1973 to 31
// January 2020, Croatia from 1 July 2013, every other state since 1958 (the real
// dates of the others do not matter to these tests).
func unionOf(states ...string) map[string]Span {
	m := make(map[string]Span, len(states))
	for _, s := range states {
		switch s {
		case "GB":
			m[s] = Span{From: date(1973, 1, 1), Until: ptr(date(2020, 1, 31))}
		case "HR":
			m[s] = Span{From: date(2013, 7, 1)}
		default:
			m[s] = Span{From: date(1958, 1, 1)}
		}
	}
	return m
}

// syntheticSource is the Source of the synthetic weights.
const syntheticSource = "synthetic figures for 2025"

// synthetic returns a procedure, notified by members[0] with its deadline on
// `deadline`, in which the objectors (who object the day before) hold objPop
// people in all and the other eligible states otherPop. The notifying state gets
// more people than everyone else together, so counting it by mistake would show.
// Spread evenly, the states that did not object are the largest, so they are the
// would-be blocking minority the clause of Article 238(3)(a) looks at.
func synthetic(members, objectors []string, objPop, otherPop int64) Procedure {
	p := Procedure{
		Notifying:  members[0],
		Deadline:   deadline,
		Membership: unionOf(members...),
		Weights: Weights{
			Year:       2025,
			Population: map[string]int64{members[0]: 10 * (objPop + otherPop)},
			Source:     syntheticSource,
		},
	}
	var others []string
	for _, m := range members[1:] {
		if !slices.Contains(objectors, m) {
			others = append(others, m)
		}
	}
	spread(p.Weights.Population, objectors, objPop)
	spread(p.Weights.Population, others, otherPop)
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

// reweigh returns p with some populations replaced.
func reweigh(p Procedure, pop map[string]int64) Procedure {
	p.Weights.Population = maps.Clone(p.Weights.Population)
	maps.Copy(p.Weights.Population, pop)
	return p
}

// movedTo returns p with its deadline on d and every objection the day before.
func movedTo(p Procedure, d time.Time) Procedure {
	p.Deadline = d
	p.Objections = slices.Clone(p.Objections)
	for i := range p.Objections {
		p.Objections[i].On = d.AddDate(0, 0, -1)
	}
	return p
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

func TestDecide(t *testing.T) {
	lateDeadline := synthetic(eu27, eu27[1:20], 900, 100)
	lateDeadline.Deadline = time.Date(2025, 3, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	gb2019 := synthetic(eu28, append(slices.Clone(eu27[1:15]), "GB"), 900, 100)
	gb2019.Deadline = time.Date(2019, 6, 30, 0, 0, 0, 0, time.UTC)
	for i := range gb2019.Objections {
		gb2019.Objections[i].On = gb2019.Deadline
	}
	// GB and a state that never was a member object to a procedure of 2025; GB is in the
	// membership (it left in 2020) but has no population for 2025, which is not needed.
	formerMember := with(synthetic(eu27, eu27[1:15], 9900, 100),
		Objection{State: "GB", On: deadline}, Objection{State: "US", On: deadline})
	formerMember.Membership = unionOf(eu28...)
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
		wantBlocking  int  // BlockingMinimum
		wantDeemed    bool // DeemedAttained
		wantQM        bool
	}{
		{
			name: "enough states but too little population, and eleven others can block",
			proc: synthetic(eu27, eu27[1:16], 577, 423), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:16], wantStates: true, wantBlocking: 10, // 45+43+7*38 = 354 > 350
		},
		{
			name: "enough states but too little population, and the three left cannot block alone",
			proc: synthetic(eu27, eu27[1:24], 600, 400), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:24], wantStates: true, wantBlocking: 4, // 134+133+133 = 400 > 350
			wantDeemed: true, wantQM: true,
		},
		{
			name: "enough population but too few states",
			proc: synthetic(eu27, eu27[1:15], 9900, 100), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:15], wantPop: true, wantBlocking: 6, // 709+707*4 = 3537 > 3500
		},
		{
			name: "exactly 15 of 26 states",
			proc: synthetic(eu27, eu27[1:16], 9900, 100), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:16], wantStates: true, wantPop: true, wantBlocking: 7, wantQM: true,
		},
		{
			// The six who did not object hold exactly 35 %: not MORE than 35 %, so the
			// fewest states holding more than 35 % are seven, and a blocking minority needs eight.
			name: "exactly 65 % of the population",
			proc: synthetic(eu27, eu27[1:21], 780, 420), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:21], wantStates: true, wantPop: true, wantBlocking: 8, wantQM: true,
		},
		{
			// The six who did not object hold 35 % and one person (71+5*70 = 421 > 420) and
			// are the six largest, so a blocking minority needs seven: deemed attained.
			name: "one person short of 65 %, but six cannot block",
			proc: synthetic(eu27, eu27[1:21], 779, 421), wantEligible: 26, wantThreshold: 15,
			wantCounted: eu27[1:21], wantStates: true, wantBlocking: 7, wantDeemed: true, wantQM: true,
		},
		{
			// The same six hold the same 421 people, but one of them 400 of them: two states
			// hold more than 35 % (400+57), so three can block and six do.
			name: "one person short of 65 %, and the six that did not object block",
			proc: reweigh(synthetic(eu27, eu27[1:21], 779, 421),
				map[string]int64{"SI": 400, "LV": 5, "EE": 4, "CY": 4, "LU": 4, "MT": 4}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:21], wantStates: true, wantBlocking: 3,
		},
		{
			name:         "the notifying state's objection does not count",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "DE", On: deadline}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true, wantBlocking: 6,
			wantIgnored: []Ignored{{State: "DE", Reason: "the notifying state"}},
		},
		{
			name:         "a late 15th objection does not count",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "DK", On: deadline.AddDate(0, 0, 1)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true, wantBlocking: 6,
			wantIgnored: []Ignored{{State: "DK", Reason: "after the deadline (on 2025-03-02)"}},
		},
		{
			name:         "a 15th objection late on the deadline day counts",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "DK", On: deadline.Add(23*time.Hour + 59*time.Minute)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: sorted(append(slices.Clone(eu27[1:15]), "DK")),
			wantStates: true, wantPop: true, wantBlocking: 6, wantQM: true,
		},
		{
			name:         "a 15th objection in the first second of the day after does not count",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "DK", On: deadline.Add(24 * time.Hour)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true, wantBlocking: 6,
			wantIgnored: []Ignored{{State: "DK", Reason: "after the deadline (on 2025-03-02)"}},
		},
		{
			name:         "the deadline day is the deadline's, not UTC's",
			proc:         with(lateDeadline, Objection{State: "MT", On: time.Date(2025, 3, 1, 23, 30, 0, 0, time.UTC)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:20], wantStates: true, wantPop: true,
			wantBlocking: 9, wantQM: true, // 54+6*47 = 336, +47 = 383 > 350
			wantIgnored: []Ignored{{State: "MT", Reason: "after the deadline (on 2025-03-02)"}},
		},
		{
			name:         "an objection in the deadline's zone on the deadline day counts though it is the day before in UTC",
			proc:         with(lateDeadline, Objection{State: "MT", On: time.Date(2025, 2, 28, 23, 30, 0, 0, time.UTC)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: append(slices.Clone(eu27[1:20]), "MT"),
			wantStates: true, wantPop: true, wantBlocking: 9, wantQM: true,
		},
		{
			name:         "two objections by one state count once",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "FR", On: deadline}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true, wantBlocking: 6,
			wantIgnored: []Ignored{{State: "FR", Reason: "objected twice"}},
		},
		{
			name:         "of two objections by one state the later is the one ignored, whatever their order",
			proc:         with(synthetic(eu27, eu27[1:15], 9900, 100), Objection{State: "DK", On: deadline}, Objection{State: "DK", On: deadline.AddDate(0, 0, -3)}),
			wantEligible: 26, wantThreshold: 15, wantCounted: sorted(append(slices.Clone(eu27[1:15]), "DK")),
			wantStates: true, wantPop: true, wantBlocking: 6, wantQM: true,
			wantIgnored: []Ignored{{State: "DK", Reason: "objected twice"}},
		},
		{
			name:         "an objection by a state that has left, or never was a member, does not count",
			proc:         formerMember,
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:15], wantPop: true, wantBlocking: 6,
			wantIgnored: []Ignored{
				{State: "GB", Reason: "not a Member State on the deadline"},
				{State: "US", Reason: "not a Member State on the deadline"},
			},
		},
		{
			name: "no objections",
			proc: synthetic(eu27, nil, 0, 1000), wantEligible: 26, wantThreshold: 15, wantCounted: []string{},
			wantBlocking: 10, // 50+8*38 = 354 > 350
		},
		{
			name: "28 members in 2019: 15 of 27 with the United Kingdom",
			proc: gb2019, wantEligible: 27, wantThreshold: 15,
			wantCounted: sorted(append(slices.Clone(eu27[1:15]), "GB")), wantStates: true, wantPop: true,
			wantBlocking: 7, wantQM: true,
		},
		{
			name: "28 members in 2019: 14 of 27 is short",
			proc: movedTo(synthetic(eu28, eu27[1:15], 9900, 100), date(2019, 6, 30)), wantEligible: 27, wantThreshold: 15,
			wantCounted: eu27[1:15], wantPop: true, wantBlocking: 6,
		},
		{
			name: "6 members: 3 of 5",
			proc: synthetic(six, six[1:4], 700, 300), wantEligible: 5, wantThreshold: 3,
			wantCounted: six[1:4], wantStates: true, wantPop: true, wantBlocking: 3, wantQM: true,
		},
		{
			// The two objectors hold 350 of 1000 each: one of them is not MORE than 35 %.
			name: "6 members: 2 of 5",
			proc: synthetic(six, six[1:3], 700, 300), wantEligible: 5, wantThreshold: 3,
			wantCounted: six[1:3], wantPop: true, wantBlocking: 3,
		},
		{
			name: "21 members: exactly 55 % is 11 of 20",
			proc: synthetic(eu27[:21], eu27[1:12], 700, 300), wantEligible: 20, wantThreshold: 11,
			wantCounted: eu27[1:12], wantStates: true, wantPop: true, wantBlocking: 7, wantQM: true,
		},
		{
			name: "101 members: 55 of 100, where a float ceil(0.55*100) would say 56",
			proc: synthetic(hundredAndOne, hundredAndOne[1:56], 700, 300), wantEligible: 100, wantThreshold: 55,
			wantCounted: hundredAndOne[1:56], wantStates: true, wantPop: true, wantBlocking: 25, wantQM: true,
		},
		{
			name: "101 members: 54 of 100 is short",
			proc: synthetic(hundredAndOne, hundredAndOne[1:55], 700, 300), wantEligible: 100, wantThreshold: 55,
			wantCounted: hundredAndOne[1:55], wantPop: true, wantBlocking: 25, // 64+30+22*12 = 358
		},
		{
			// The six that did not object are the six largest and hold 35 % and one person.
			name:         "one person short of 65 % of a population so large a float share rounds to 0.65",
			proc:         synthetic(eu27, eu27[1:21], 58_500_000_000_000_000-1, 31_500_000_000_000_001),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:21], wantStates: true,
			wantBlocking: 7, wantDeemed: true, wantQM: true,
		},
		{
			name: "one person short of 65 % of a huge population, and a blocking minority",
			proc: reweigh(synthetic(eu27, eu27[1:21], 58_500_000_000_000_000-1, 31_500_000_000_000_001),
				map[string]int64{"SI": 31_500_000_000_000_001 - 5, "LV": 1, "EE": 1, "CY": 1, "LU": 1, "MT": 1}),
			wantEligible: 26, wantThreshold: 15, wantCounted: eu27[1:21], wantStates: true, wantBlocking: 3,
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
			if got.BlockingMinimum != tt.wantBlocking || got.NotObjecting != tt.wantEligible-len(tt.wantCounted) {
				t.Errorf("blocking minimum %d, not objecting %d; want %d, %d",
					got.BlockingMinimum, got.NotObjecting, tt.wantBlocking, tt.wantEligible-len(tt.wantCounted))
			}
			if got.DeemedAttained != tt.wantDeemed || got.QualifiedMajority != tt.wantQM {
				t.Errorf("deemed attained %v, qualified majority %v; want %v, %v (%s)",
					got.DeemedAttained, got.QualifiedMajority, tt.wantDeemed, tt.wantQM, got.Explanation())
			}
			// The rule as data: QM = states and (population or no blocking minority).
			if want := got.StatesMet() && (got.PopulationMet() || got.NotObjecting < got.BlockingMinimum); got.QualifiedMajority != want {
				t.Errorf("qualified majority %v disagrees with the rule (%v)", got.QualifiedMajority, want)
			}
			var total, objecting int64
			for s, pop := range tt.proc.Weights.Population {
				if s != tt.proc.Notifying && tt.proc.Membership[s].Contains(tt.proc.Deadline) {
					total += pop
				}
			}
			for _, s := range tt.wantCounted {
				objecting += tt.proc.Weights.Population[s]
			}
			if got.EligiblePopulation != total || got.ObjectingPopulation != objecting {
				t.Errorf("population %d of %d, want %d of %d", got.ObjectingPopulation, got.EligiblePopulation, objecting, total)
			}
			if got.Weights.Year != tt.proc.Weights.Year || got.Weights.Source != tt.proc.Weights.Source || got.PopulationThreshold != 0.65 {
				t.Errorf("weights %d %q, threshold %v", got.Weights.Year, got.Weights.Source, got.PopulationThreshold)
			}
		})
	}
}

// eurostat2025 is the population of each Member State on 1 January 2024 (Eurostat
// demo_pjan, 1 January 2024), the figures for qualified-majority voting in 2025.
var eurostat2025 = map[string]int64{
	"AT": 9158750, "BE": 11817096, "BG": 6445481, "CY": 966365, "CZ": 10900555,
	"DE": 83456045, "DK": 5961249, "EE": 1374687, "ES": 48619695, "FI": 5603851,
	"FR": 68669303, "GR": 10375764, "HR": 3861967, "HU": 9584627, "IE": 5351681,
	"IT": 58971230, "LT": 2885891, "LU": 672050, "LV": 1871882, "MT": 563443,
	"NL": 17942942, "PL": 36620970, "PT": 10639726, "RO": 19067576, "SE": 10551707,
	"SI": 2123949, "SK": 5424687,
}

// weighed returns a procedure in which every member but the notifying state and
// notObjecting objects the day before the deadline.
func weighed(pop map[string]int64, notifying string, notObjecting ...string) Procedure {
	p := Procedure{
		Notifying:  notifying,
		Deadline:   deadline,
		Membership: unionOf(slices.Collect(maps.Keys(pop))...),
		Weights:    Weights{Year: 2025, Population: pop, Source: syntheticSource},
	}
	for _, s := range slices.Sorted(maps.Keys(pop)) {
		if s != notifying && !slices.Contains(notObjecting, s) {
			p.Objections = append(p.Objections, Objection{State: s, On: deadline.AddDate(0, 0, -1)})
		}
	}
	return p
}

// hundredMillion builds the populations of 26 others of a notifying LU holding
// 100,000,000 people in all: the named states get their figure, the rest share what
// is left, each far fewer than any named one.
func hundredMillion(named map[string]int64) map[string]int64 {
	pop := map[string]int64{"LU": 1}
	var rest []string
	left := int64(100_000_000)
	for _, s := range eu27 {
		switch n, ok := named[s]; {
		case s == "LU":
		case ok:
			pop[s] = n
			left -= n
		default:
			rest = append(rest, s)
		}
	}
	spread(pop, rest, left)
	return pop
}

// TestBlockingMinority is the clause of Article 238(3)(a) TFEU: a blocking minority
// must include at least the fewest of the others holding MORE than 35 % of their
// population, plus one, failing which the qualified majority is deemed attained.
func TestBlockingMinority(t *testing.T) {
	eu2025 := func(notifying string, notObjecting ...string) Procedure {
		p := weighed(eurostat2025, notifying, notObjecting...)
		p.Weights.Source = "Eurostat population on 1 January 2024"
		return p
	}
	// Three largest with 36 % and four others with 35 % + d people, who do not object.
	fourAt := func(d int64) Procedure {
		return weighed(hundredMillion(map[string]int64{
			"DE": 12_000_000, "FR": 12_000_000, "IT": 12_000_000,
			"ES": 8_750_000 + d, "PL": 8_750_000, "RO": 8_750_000, "NL": 8_750_000,
		}), "LU", "ES", "PL", "RO", "NL")
	}
	// The three largest hold 35 % + d people.
	threeAt := func(d int64, notObjecting ...string) Procedure {
		return weighed(hundredMillion(map[string]int64{
			"DE": 11_666_667 + d, "FR": 11_666_667, "IT": 11_666_666,
		}), "LU", notObjecting...)
	}
	tests := []struct {
		name             string
		proc             Procedure
		wantEligible     int
		wantObjecting    int
		wantObjectingPop int64
		wantEligiblePop  int64
		wantBlocking     int
		wantStates       bool
		wantPop          bool
		wantDeemed       bool
		wantQM           bool
	}{
		{
			// The example: DE, FR and IT hold 47.0 % of the others; the 23
			// objectors 53.0 %. DE and FR hold 33.9 %, so it takes three states to hold more
			// than 35 % and four to block: three cannot.
			name: "EU-27 2025: all object but DE, FR and IT; deemed attained",
			proc: eu2025("LU", "DE", "FR", "IT"), wantEligible: 26, wantObjecting: 23,
			wantObjectingPop: 237_714_541, wantEligiblePop: 448_811_119, wantBlocking: 4,
			wantStates: true, wantDeemed: true, wantQM: true,
		},
		{
			name: "EU-27 2025: all object but DE, FR, IT and ES, who block",
			proc: eu2025("LU", "DE", "FR", "IT", "ES"), wantEligible: 26, wantObjecting: 22,
			wantObjectingPop: 189_094_846, wantEligiblePop: 448_811_119, wantBlocking: 4, wantStates: true,
		},
		{
			name: "EU-27 2025: DE, FR and IT object alone",
			proc: eu2025("LU", slices.DeleteFunc(slices.Clone(eu27), func(s string) bool {
				return s == "DE" || s == "FR" || s == "IT"
			})...),
			wantEligible: 26, wantObjecting: 3, wantObjectingPop: 211_096_578, wantEligiblePop: 448_811_119, wantBlocking: 4,
		},
		{
			name: "EU-27 2025: the population threshold is met whatever four smallest do",
			proc: eu2025("LU", "MT", "CY", "EE", "LV"), wantEligible: 26, wantObjecting: 22,
			wantObjectingPop: 444_034_742, wantEligiblePop: 448_811_119, wantBlocking: 4,
			wantStates: true, wantPop: true, wantQM: true,
		},
		{
			// Without France, Germany and Italy hold 37.4 % of the others.
			name: "EU-27 2025, FR notifying: DE and IT hold more than 35 %, so three block",
			proc: eu2025("FR", "DE", "IT", "MT"), wantEligible: 26, wantObjecting: 23,
			wantObjectingPop: 237_823_148, wantEligiblePop: 380_813_866, wantBlocking: 3, wantStates: true,
		},
		{
			name: "EU-27 2025, FR notifying: DE and IT alone cannot block",
			proc: eu2025("FR", "DE", "IT"), wantEligible: 26, wantObjecting: 24,
			wantObjectingPop: 238_386_591, wantEligiblePop: 380_813_866, wantBlocking: 3,
			wantStates: true, wantDeemed: true, wantQM: true,
		},
		{
			// Without Germany, France and Italy hold 34.87 % of the others: not more than 35 %.
			name: "EU-27 2025, DE notifying: FR, IT and MT hold 35.03 % but are three, and it takes four",
			proc: eu2025("DE", "FR", "IT", "MT"), wantEligible: 26, wantObjecting: 23,
			wantObjectingPop: 237_823_148, wantEligiblePop: 366_027_124, wantBlocking: 4,
			wantStates: true, wantDeemed: true, wantQM: true,
		},
		{
			name: "four that do not object hold 35 % + 1 and three others more than 35 %: blocked",
			proc: fourAt(1), wantEligible: 26, wantObjecting: 22,
			wantObjectingPop: 64_999_999, wantEligiblePop: 100_000_000, wantBlocking: 4, wantStates: true,
		},
		{
			// Not MORE than 35 %: that is the same as the objectors holding 65 %.
			name: "four that do not object hold exactly 35 %: the population threshold is met",
			proc: fourAt(0), wantEligible: 26, wantObjecting: 22,
			wantObjectingPop: 65_000_000, wantEligiblePop: 100_000_000, wantBlocking: 4,
			wantStates: true, wantPop: true, wantQM: true,
		},
		{
			name: "four that do not object hold 35 % - 1: the population threshold is met",
			proc: fourAt(-1), wantEligible: 26, wantObjecting: 22,
			wantObjectingPop: 65_000_001, wantEligiblePop: 100_000_000, wantBlocking: 4,
			wantStates: true, wantPop: true, wantQM: true,
		},
		{
			// The four largest hold 35 % + 1, the three largest 26.25 %: the fewest
			// holding more than 35 % are four, so a blocking minority needs five.
			name: "the four largest hold 35 % + 1 and do not object: four cannot block",
			proc: weighed(hundredMillion(map[string]int64{
				"DE": 8_750_001, "FR": 8_750_000, "IT": 8_750_000, "ES": 8_750_000,
			}), "LU", "DE", "FR", "IT", "ES"),
			wantEligible: 26, wantObjecting: 22, wantObjectingPop: 64_999_999, wantEligiblePop: 100_000_000,
			wantBlocking: 5, wantStates: true, wantDeemed: true, wantQM: true,
		},
		{
			name: "the three largest hold exactly 35 %: a blocking minority needs five",
			proc: threeAt(0, "DE", "FR", "IT", "MT"), wantEligible: 26, wantObjecting: 22,
			wantObjectingPop: 65_000_000 - 2_826_086, wantEligiblePop: 100_000_000, wantBlocking: 5,
			wantStates: true, wantDeemed: true, wantQM: true,
		},
		{
			name: "the three largest hold 35 % + 1: four block",
			proc: threeAt(1, "DE", "FR", "IT", "MT"), wantEligible: 26, wantObjecting: 22,
			wantObjectingPop: 64_999_999 - 2_826_086, wantEligiblePop: 100_000_000, wantBlocking: 4, wantStates: true,
		},
		{
			name: "the three largest hold 35 % + 1 and do not object: three cannot block",
			proc: threeAt(1, "DE", "FR", "IT"), wantEligible: 26, wantObjecting: 23,
			wantObjectingPop: 64_999_999, wantEligiblePop: 100_000_000, wantBlocking: 4,
			wantStates: true, wantDeemed: true, wantQM: true,
		},
		{
			// One other: it holds everything, so a blocking minority needs two.
			name: "one other, which objects",
			proc: weighed(map[string]int64{"AA": 10, "BB": 90}, "AA"), wantEligible: 1, wantObjecting: 1,
			wantObjectingPop: 90, wantEligiblePop: 90, wantBlocking: 2, wantStates: true, wantPop: true, wantQM: true,
		},
		{
			// The one that does not object is fewer than BlockingMinimum, but the clause
			// only relaxes the population threshold, never the states threshold.
			name: "one other, which does not object",
			proc: weighed(map[string]int64{"AA": 10, "BB": 90}, "AA", "BB"), wantEligible: 1,
			wantEligiblePop: 90, wantBlocking: 2,
		},
		{
			name: "two others: one objecting is not enough states, though one cannot block",
			proc: weighed(map[string]int64{"AA": 10, "BB": 60, "CC": 40}, "AA", "BB"), wantEligible: 2, wantObjecting: 1,
			wantObjectingPop: 40, wantEligiblePop: 100, wantBlocking: 2,
		},
		{
			name: "two others: both object",
			proc: weighed(map[string]int64{"AA": 10, "BB": 60, "CC": 40}, "AA"), wantEligible: 2, wantObjecting: 2,
			wantObjectingPop: 100, wantEligiblePop: 100, wantBlocking: 2, wantStates: true, wantPop: true, wantQM: true,
		},
		{
			// With three others any two are a qualified majority: either they hold 65 %, or
			// the one left holds more than 35 % and so alone is fewer than the two it takes.
			name: "three others: the two smallest object and the largest alone cannot block",
			proc: weighed(map[string]int64{"AA": 10, "BB": 50, "CC": 30, "DD": 20}, "AA", "BB"), wantEligible: 3, wantObjecting: 2,
			wantObjectingPop: 50, wantEligiblePop: 100, wantBlocking: 2, wantStates: true, wantDeemed: true, wantQM: true,
		},
		{
			name: "three others: the largest objects alone",
			proc: weighed(map[string]int64{"AA": 10, "BB": 50, "CC": 30, "DD": 20}, "AA", "CC", "DD"), wantEligible: 3, wantObjecting: 1,
			wantObjectingPop: 50, wantEligiblePop: 100, wantBlocking: 2,
		},
		{
			// No state holds more than 35 %: it takes two, so a blocking minority is three.
			name: "three others of 35 %, 35 % and 30 %: two objecting hold 65 %",
			proc: weighed(map[string]int64{"AA": 10, "BB": 35, "CC": 35, "DD": 30}, "AA", "BB"), wantEligible: 3, wantObjecting: 2,
			wantObjectingPop: 65, wantEligiblePop: 100, wantBlocking: 3, wantStates: true, wantPop: true, wantQM: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decide(tt.proc)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if got.Eligible != tt.wantEligible || got.Objecting != tt.wantObjecting || got.NotObjecting != tt.wantEligible-tt.wantObjecting {
				t.Errorf("%d of %d objected, %d did not; want %d of %d", got.Objecting, got.Eligible, got.NotObjecting, tt.wantObjecting, tt.wantEligible)
			}
			if got.ObjectingPopulation != tt.wantObjectingPop || got.EligiblePopulation != tt.wantEligiblePop {
				t.Errorf("population %d of %d, want %d of %d", got.ObjectingPopulation, got.EligiblePopulation, tt.wantObjectingPop, tt.wantEligiblePop)
			}
			if got.BlockingMinimum != tt.wantBlocking {
				t.Errorf("blocking minimum %d, want %d", got.BlockingMinimum, tt.wantBlocking)
			}
			if got.StatesMet() != tt.wantStates || got.PopulationMet() != tt.wantPop {
				t.Errorf("states met %v, population met %v; want %v, %v", got.StatesMet(), got.PopulationMet(), tt.wantStates, tt.wantPop)
			}
			if got.DeemedAttained != tt.wantDeemed || got.QualifiedMajority != tt.wantQM {
				t.Errorf("deemed attained %v, qualified majority %v; want %v, %v (%s)",
					got.DeemedAttained, got.QualifiedMajority, tt.wantDeemed, tt.wantQM, got.Explanation())
			}
		})
	}
}

// TestDecideMembership is who may object when the membership changes inside the window.
func TestDecideMembership(t *testing.T) {
	// Croatia joined on 1 July 2013; the others of 2013 are the 27 before it.
	union2013 := slices.DeleteFunc(slices.Clone(eu28), func(s string) bool { return s == "HR" })
	hr := func(objections ...Objection) Procedure {
		p := synthetic(append(slices.Clone(union2013), "HR"), union2013[1:15], 900, 100)
		return with(movedTo(p, date(2013, 7, 15)), objections...)
	}
	// The United Kingdom left on 31 January 2020 and has no figure for 2020.
	gb := func(notifying string, objections ...Objection) Procedure {
		p := movedTo(synthetic(eu27, eu27[1:15], 900, 100), date(2020, 2, 15))
		p.Notifying = notifying
		p.Membership = unionOf(eu28...)
		return with(p, objections...)
	}
	hrAt := func(y int, m time.Month, d int) Objection { return Objection{State: "HR", On: date(y, m, d)} }
	tests := []struct {
		name         string
		proc         Procedure
		wantEligible int
		wantCounted  []string
		wantIgnored  []Ignored
		wantPop      int64 // EligiblePopulation
		wantQM       bool
	}{
		{
			name: "a state that joined in the window objects on the day it joined",
			proc: hr(hrAt(2013, 7, 1)), wantEligible: 27, wantCounted: append(slices.Clone(union2013[1:15]), "HR"),
			wantPop: 1000, wantQM: true,
		},
		{
			name: "a state that joined in the window objects the day before it joined",
			proc: hr(hrAt(2013, 6, 30)), wantEligible: 27, wantCounted: union2013[1:15], wantPop: 1000,
			wantIgnored: []Ignored{{State: "HR", Reason: "not yet a Member State on the day it objected (2013-06-30)"}},
		},
		{
			name:         "a state that objected before joining objects again after: the second counts",
			proc:         hr(hrAt(2013, 7, 2), hrAt(2013, 6, 20)),
			wantEligible: 27, wantCounted: append(slices.Clone(union2013[1:15]), "HR"), wantPop: 1000, wantQM: true,
			wantIgnored: []Ignored{{State: "HR", Reason: "not yet a Member State on the day it objected (2013-06-20)"}},
		},
		{
			name:         "a state that joined in the window objects twice after joining",
			proc:         hr(hrAt(2013, 7, 1), hrAt(2013, 7, 2)),
			wantEligible: 27, wantCounted: append(slices.Clone(union2013[1:15]), "HR"), wantPop: 1000, wantQM: true,
			wantIgnored: []Ignored{{State: "HR", Reason: "objected twice"}},
		},
		{
			name: "a state that left in the window is not one of the others, and its objection does not count",
			proc: gb("DE", Objection{State: "GB", On: date(2020, 1, 20)}), wantEligible: 26,
			wantCounted: eu27[1:15], wantPop: 1000,
			wantIgnored: []Ignored{{State: "GB", Reason: "not a Member State on the deadline"}},
		},
		{
			// GB's population is not among the weights: it is not needed, the others decide.
			name:         "a notifying state that left before the deadline: the others still decide",
			proc:         reweigh(gb("GB", Objection{State: "GB", On: date(2020, 1, 20)}), map[string]int64{"DE": 50}),
			wantEligible: 27, wantCounted: eu27[1:15], wantPop: 1050,
			wantIgnored: []Ignored{{State: "GB", Reason: "the notifying state"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decide(tt.proc)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if got.Eligible != tt.wantEligible || got.EligiblePopulation != tt.wantPop {
				t.Errorf("eligible %d with %d people, want %d with %d", got.Eligible, got.EligiblePopulation, tt.wantEligible, tt.wantPop)
			}
			if got.StatesThreshold != (55*tt.wantEligible+99)/100 {
				t.Errorf("states threshold %d for %d", got.StatesThreshold, tt.wantEligible)
			}
			if !slices.Equal(got.Counted, sorted(tt.wantCounted)) {
				t.Errorf("counted %v, want %v", got.Counted, sorted(tt.wantCounted))
			}
			if !slices.Equal(got.Ignored, tt.wantIgnored) {
				t.Errorf("ignored %v, want %v", got.Ignored, tt.wantIgnored)
			}
			if got.QualifiedMajority != tt.wantQM {
				t.Errorf("qualified majority %v, want %v (%s)", got.QualifiedMajority, tt.wantQM, got.Explanation())
			}
		})
	}
}

func TestSpanContains(t *testing.T) {
	hr := Span{From: date(2013, 7, 1)}
	gb := Span{From: date(1973, 1, 1), Until: ptr(date(2020, 1, 31))}
	cet := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		span Span
		t    time.Time
		want bool
	}{
		{name: "the day before the first", span: hr, t: time.Date(2013, 6, 30, 23, 59, 59, 0, time.UTC), want: false},
		{name: "the first day at midnight", span: hr, t: date(2013, 7, 1), want: true},
		{name: "the first day in the evening", span: hr, t: time.Date(2013, 7, 1, 22, 0, 0, 0, time.UTC), want: true},
		{name: "long after the first, with no last day", span: hr, t: date(2099, 1, 1), want: true},
		{name: "the last day in its last second", span: gb, t: time.Date(2020, 1, 31, 23, 59, 59, 0, time.UTC), want: true},
		{name: "the day after the last", span: gb, t: date(2020, 2, 1), want: false},
		{name: "the first day of a closed span", span: gb, t: date(1973, 1, 1), want: true},
		{name: "the day before the first of a closed span", span: gb, t: date(1972, 12, 31), want: false},
		{name: "the day is the time's own: 1 February 00:30 CET is after the last day", span: gb, t: time.Date(2020, 2, 1, 0, 30, 0, 0, cet), want: false},
		{name: "the day is the time's own: 31 January 23:30 CET is the last day", span: gb, t: time.Date(2020, 1, 31, 23, 30, 0, 0, cet), want: true},
		{name: "a one-day span", span: Span{From: date(2020, 5, 5), Until: ptr(date(2020, 5, 5))}, t: time.Date(2020, 5, 5, 12, 0, 0, 0, time.UTC), want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.span.Contains(tt.t); got != tt.want {
				t.Fatalf("%+v.Contains(%v) = %v, want %v", tt.span, tt.t, got, tt.want)
			}
		})
	}
}

func TestDecideRefuses(t *testing.T) {
	base := synthetic(eu27, eu27[1:5], 500, 500)
	tests := []struct {
		name   string
		change func(*Procedure)
		want   string
	}{
		{name: "member without population", change: func(p *Procedure) { delete(p.Weights.Population, "MT") }, want: `"MT" has no population for 2025`},
		{name: "member with zero population", change: func(p *Procedure) { p.Weights.Population["MT"] = 0 }, want: `"MT" has no population`},
		{name: "member with negative population", change: func(p *Procedure) { p.Weights.Population["MT"] = -5 }, want: `"MT" has no population`},
		{name: "no population at all", change: func(p *Procedure) { p.Weights.Population = nil }, want: "has no population"},
		{name: "no other members", change: func(p *Procedure) { p.Membership = unionOf("DE") }, want: "no other members"},
		{name: "no members at all", change: func(p *Procedure) { p.Membership = nil }, want: "no other members"},
		{
			name:   "every other member left before the deadline",
			change: func(p *Procedure) { p.Membership = unionOf("DE", "GB") },
			want:   "no other members",
		},
		{name: "population too large to count exactly", change: func(p *Procedure) { p.Weights.Population["MT"] = 1 << 60 }, want: "exceeds"},
		{
			name: "populations that together are too large to count exactly",
			change: func(p *Procedure) {
				for _, s := range eu27[1:] {
					p.Weights.Population[s] = 1 << 52 // each fits, but 26 * 2^52 > MaxInt64/100
				}
			},
			want: "exceeds",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			p.Weights.Population = maps.Clone(base.Weights.Population)
			tt.change(&p)
			got, err := Decide(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Decide = %+v, %v; want an error containing %q", got, err, tt.want)
			}
			if !strings.Contains(err.Error(), `notifying "DE", deadline 2025-03-01`) {
				t.Errorf("error %q does not say which procedure", err)
			}
		})
	}
}

func TestExplanation(t *testing.T) {
	const tfeu = " (Article 238(3)(a) TFEU; " + syntheticSource + ")"
	gb := movedTo(synthetic(eu28, eu27[1:16], 900, 100), date(2019, 6, 30))
	gb.Weights = Weights{
		Year: 2016, Population: gb.Weights.Population, Source: "Eurostat population on 1 January 2015",
		Note: "there are no population figures for 2019, so the figures for 2016 are used",
	}
	luxembourg := weighed(eurostat2025, "LU", "DE", "FR", "IT")
	luxembourg.Weights.Source = "Eurostat population on 1 January 2024"
	tests := []struct {
		name string
		proc Procedure
		want string
	}{
		{
			name: "too few states",
			proc: synthetic(eu27, eu27[1:15], 712, 288),
			want: "14 of 26 states objected (53.8 % < 55 %), representing 71.2 % of their population (≥ 65 %): no qualified majority" + tfeu,
		},
		{
			name: "qualified majority",
			proc: synthetic(eu27, eu27[1:16], 680, 320),
			want: "15 of 26 states objected (57.7 % ≥ 55 %), representing 68.0 % of their population (≥ 65 %): a qualified majority objected" + tfeu,
		},
		{
			name: "exactly 65 %",
			proc: synthetic(eu27, eu27[1:21], 780, 420),
			want: "20 of 26 states objected (76.9 % ≥ 55 %), representing 65.0 % of their population (≥ 65 %): a qualified majority objected" + tfeu,
		},
		{
			// The six that did not object hold 35.001 %, but are the six largest: deemed attained.
			name: "a hair short of 65 % is not shown as 65.0 %, and is deemed attained",
			proc: synthetic(eu27, eu27[1:21], 64999, 35001),
			want: "20 of 26 states objected (76.9 % ≥ 55 %), representing 64.9 % of their population (< 65 %), but the 6 that did not object are fewer than the 7 members a blocking minority needs: a qualified majority is deemed attained" + tfeu,
		},
		{
			name: "a hair short of 65 % is not shown as 65.0 %, with a blocking minority",
			proc: reweigh(synthetic(eu27, eu27[1:21], 64999, 35001),
				map[string]int64{"SI": 30001, "LV": 1000, "EE": 1000, "CY": 1000, "LU": 1000, "MT": 1000}),
			want: "20 of 26 states objected (76.9 % ≥ 55 %), representing 64.9 % of their population (< 65 %): no qualified majority" + tfeu,
		},
		{
			name: "54 of 100 states are short of 55 %",
			proc: synthetic(hundredAndOne, hundredAndOne[1:55], 700, 300),
			want: "54 of 100 states objected (54.0 % < 55 %), representing 70.0 % of their population (≥ 65 %): no qualified majority" + tfeu,
		},
		{
			name: "no objections",
			proc: synthetic(eu27, nil, 0, 1000),
			want: "0 of 26 states objected (0.0 % < 55 %), representing 0.0 % of their population (< 65 %): no qualified majority" + tfeu,
		},
		{
			name: "27 eligible with the United Kingdom, and a note on the figures",
			proc: gb,
			want: "15 of 27 states objected (55.6 % ≥ 55 %), representing 90.0 % of their population (≥ 65 %): a qualified majority objected" +
				" (Article 238(3)(a) TFEU; Eurostat population on 1 January 2015; there are no population figures for 2019, so the figures for 2016 are used)",
		},
		{
			name: "EU-27 2025: all object but DE, FR and IT",
			proc: luxembourg,
			want: "23 of 26 states objected (88.5 % ≥ 55 %), representing 53.0 % of their population (< 65 %), but the 3 that did not object are fewer than the 4 members a blocking minority needs: a qualified majority is deemed attained (Article 238(3)(a) TFEU; Eurostat population on 1 January 2024)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tally, err := Decide(tt.proc)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			got := tally.Explanation()
			if got != tt.want {
				t.Fatalf("Explanation() =\n%s\nwant\n%s", got, tt.want)
			}
			for _, never := range []string{"65.0 % (< 65 %)", "55.0 % < 55 %"} {
				if strings.Contains(got, never) {
					t.Errorf("Explanation() shows %q", never)
				}
			}
		})
	}
}
