package qmv

import (
	"encoding/csv"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The project's reference data, read as the database serves it, so that the rule is
// also tested on the figures it will meet.
const (
	populationFile = "../../db/reference/qmv_population.csv"
	membersFile    = "../../db/reference/member_states.csv"
)

// readReference returns the records of a reference file with its header, by column name.
func readReference(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("%s: %d records, %v", path, len(records), err)
	}
	out := make([]map[string]string, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, col := range records[0] {
			row[col] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

// realFigures reads qmv_population.csv into Figures as db.Populations builds them: a
// gap (empty population) is a Figure with Population 0, its act the Source.
func realFigures(t *testing.T) Figures {
	t.Helper()
	figures := Figures{}
	for _, r := range readReference(t, populationFile) {
		year, err := strconv.Atoi(r["year"])
		if err != nil {
			t.Fatalf("bad year in %v", r)
		}
		var pop int64
		if r["population"] != "" {
			if pop, err = strconv.ParseInt(r["population"], 10, 64); err != nil || pop <= 0 {
				t.Fatalf("bad population in %v", r)
			}
		}
		publisher := Publisher(r["publisher"])
		if publisher != Council && publisher != Eurostat || r["act"] == "" || r["source"] == "" {
			t.Fatalf("bad publisher, act or source in %v", r)
		}
		figures.Add(year, r["iso2"], Figure{Population: pop, Publisher: publisher, Source: r["act"]})
	}
	return figures
}

// realMembership reads when each state was a Member State from member_states.csv:
// the 27 from their accession, the United Kingdom until 2020-01-31.
func realMembership(t *testing.T) map[string]Span {
	t.Helper()
	spans := map[string]Span{}
	for _, r := range readReference(t, membersFile) {
		from, err := time.Parse(time.DateOnly, r["member_from"])
		if err != nil {
			t.Fatalf("bad member_from in %v", r)
		}
		s := Span{From: from}
		if r["member_until"] != "" {
			until, err := time.Parse(time.DateOnly, r["member_until"])
			if err != nil {
				t.Fatalf("bad member_until in %v", r)
			}
			s.Until = &until
		}
		spans[r["iso2"]] = s
	}
	return spans
}

// membersOn returns the Member States on the day, sorted, less the excluded ones.
func membersOn(spans map[string]Span, on time.Time, except ...string) []string {
	var out []string
	for _, s := range slices.Sorted(maps.Keys(spans)) {
		if spans[s].Contains(on) && !slices.Contains(except, s) {
			out = append(out, s)
		}
	}
	return out
}

func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestRealFiguresYearUsed says, for every deadline year with figures and the years just
// outside them, which year's figures a tally of all the Member States on 30 June uses,
// and why.
func TestRealFiguresYearUsed(t *testing.T) {
	figures, spans := realFigures(t), realMembership(t)
	tests := []struct {
		deadline time.Time
		states   int
		wantYear int
		wantNote string
	}{
		{deadline: ymd(2014, 6, 30), states: 28, wantYear: 2015,
			wantNote: "there are no population figures before 2015, so the figures for 2015 are used"},
		{deadline: ymd(2015, 6, 30), states: 28, wantYear: 2015},
		{deadline: ymd(2016, 6, 30), states: 28, wantYear: 2016},
		{deadline: ymd(2017, 6, 30), states: 28, wantYear: 2017},
		{deadline: ymd(2018, 6, 30), states: 28, wantYear: 2018},
		{deadline: ymd(2019, 6, 30), states: 28, wantYear: 2019},
		// The United Kingdom is in the 2020 figures: a deadline before it left counts it.
		{deadline: ymd(2020, 1, 15), states: 28, wantYear: 2020},
		{deadline: ymd(2020, 6, 30), states: 27, wantYear: 2020},
		{deadline: ymd(2021, 6, 30), states: 27, wantYear: 2021},
		{deadline: ymd(2022, 6, 30), states: 27, wantYear: 2022},
		{deadline: ymd(2023, 6, 30), states: 27, wantYear: 2023},
		{deadline: ymd(2024, 6, 30), states: 27, wantYear: 2024},
		{deadline: ymd(2025, 6, 30), states: 27, wantYear: 2025},
		{deadline: ymd(2026, 6, 30), states: 27, wantYear: 2025,
			wantNote: "the figures for 2026 lack HU, IE, LU, so the figures for 2025 are used"},
		// 2026 is passed over as well: it lacks HU, IE and LU.
		{deadline: ymd(2027, 6, 30), states: 27, wantYear: 2025,
			wantNote: "there are no population figures after 2026, the figures for 2026 lack HU, IE, LU, so the figures for 2025 are used"},
	}
	for _, tt := range tests {
		t.Run(tt.deadline.Format(time.DateOnly), func(t *testing.T) {
			states := membersOn(spans, tt.deadline)
			if len(states) != tt.states {
				t.Fatalf("%d Member States on %s, want %d", len(states), tt.deadline.Format(time.DateOnly), tt.states)
			}
			w, err := figures.For(tt.deadline.Year(), states)
			if err != nil {
				t.Fatalf("For(%d): %v", tt.deadline.Year(), err)
			}
			if w.Year != tt.wantYear || w.Note != tt.wantNote {
				t.Errorf("For(%d) = year %d, note %q; want %d, %q", tt.deadline.Year(), w.Year, w.Note, tt.wantYear, tt.wantNote)
			}
			if len(w.Population) != len(states) {
				t.Errorf("For(%d) weighs %d states, want %d", tt.deadline.Year(), len(w.Population), len(states))
			}
			for s, p := range w.Population {
				if p <= 0 {
					t.Errorf("For(%d): %s has population %d", tt.deadline.Year(), s, p)
				}
			}
			wantSource := "Eurostat population on 1 January " + strconv.Itoa(tt.wantYear-1)
			if !strings.HasPrefix(w.Source, wantSource) {
				t.Errorf("For(%d).Source = %q, want it to start %q", tt.deadline.Year(), w.Source, wantSource)
			}
			t.Logf("%s: %s %s", tt.deadline.Format(time.DateOnly), w.Source, w.Note)
		})
	}
}

// TestRealFiguresCouncilPreferred checks that the Council's own figure of a state is
// the one weighed, with its act in the source, and Eurostat's for the others.
func TestRealFiguresCouncilPreferred(t *testing.T) {
	figures := realFigures(t)
	states := membersOn(realMembership(t), ymd(2022, 6, 30))
	w, err := figures.For(2022, states)
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Population["DE"]; got != 83120520 {
		t.Errorf("2022 DE = %d, want the Council's 83120520", got)
	}
	if got, eurostat := w.Population["IT"], figures[2022]["IT"][Eurostat].Population; got != 59862348 || eurostat == got {
		t.Errorf("2022 IT = %d (Eurostat %d), want the Council's 59862348", got, eurostat)
	}
	if got, want := w.Population["NL"], figures[2022]["NL"][Eurostat].Population; got != want || want == 0 {
		t.Errorf("2022 NL = %d, want Eurostat's %d", got, want)
	}
	want := "Eurostat population on 1 January 2021; the Council's own figures for 2022 for DE, ES, FR, IT, PL, RO (Council Decision (EU, Euratom) 2021/2320)"
	if w.Source != want {
		t.Errorf("Source = %q\nwant %q", w.Source, want)
	}
	// The gaps of 2026 are in the figures, as gaps.
	for _, s := range []string{"HU", "IE", "LU"} {
		fig, ok := figures[2026][s][Eurostat]
		if !ok || fig.Population != 0 {
			t.Errorf("2026 %s = %+v, %v; want a gap (population 0)", s, fig, ok)
		}
	}
}

func TestDecideRealFigures(t *testing.T) {
	figures, spans := realFigures(t), realMembership(t)
	tests := []struct {
		name           string
		deadline       time.Time
		notifying      string
		objectors      []string // nil: everyone else but notObjecting
		notObjecting   []string
		wantYear       int
		wantStates     bool
		wantPop        bool
		wantDeemed     bool
		wantQualified  bool
		wantBlockerMin int
	}{
		{
			name:     "the five largest alone hold the population but are 5 states of 26",
			deadline: ymd(2025, 6, 1), notifying: "NL",
			objectors: []string{"DE", "FR", "IT", "ES", "PL"}, wantYear: 2025, wantPop: true,
			// Without the Netherlands, Germany and France hold just over 35 % of the others.
			wantBlockerMin: 3,
		},
		{
			name:     "the 15 smallest are enough states but far from 65 % of the population, and the rest block",
			deadline: ymd(2025, 6, 1), notifying: "DE",
			objectors: []string{"MT", "LU", "CY", "EE", "LV", "SI", "LT", "HR", "IE", "SK", "FI", "DK", "BG", "AT", "HU"},
			wantYear:  2025, wantStates: true, wantBlockerMin: 4,
		},
		{
			name:     "all 26 others object, weighed with the 2025 figures as 2026 has gaps",
			deadline: ymd(2026, 6, 1), notifying: "DE",
			wantYear: 2025, wantStates: true, wantPop: true, wantQualified: true, wantBlockerMin: 4,
		},
		{
			name:     "2019 with the United Kingdom: the 15 largest after Germany",
			deadline: ymd(2019, 6, 1), notifying: "DE",
			objectors: []string{"FR", "GB", "IT", "ES", "PL", "RO", "NL", "BE", "GR", "CZ", "PT", "HU", "SE", "AT", "BG"},
			wantYear:  2019, wantStates: true, wantPop: true, wantQualified: true, wantBlockerMin: 4,
		},
		{
			name:     "blocking minority: Germany, France and Italy alone cannot block, the qualified majority is deemed attained",
			deadline: ymd(2025, 6, 1), notifying: "LU", notObjecting: []string{"DE", "FR", "IT"},
			wantYear: 2025, wantStates: true, wantDeemed: true, wantQualified: true, wantBlockerMin: 4,
		},
		{
			name:     "blocking minority: with Spain the four block",
			deadline: ymd(2025, 6, 1), notifying: "LU", notObjecting: []string{"DE", "FR", "IT", "ES"},
			wantYear: 2025, wantStates: true, wantBlockerMin: 4,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			others := membersOn(spans, tt.deadline, tt.notifying)
			w, err := figures.For(tt.deadline.Year(), others)
			if err != nil {
				t.Fatal(err)
			}
			objectors := tt.objectors
			if objectors == nil {
				objectors = membersOn(spans, tt.deadline, append([]string{tt.notifying}, tt.notObjecting...)...)
			}
			p := Procedure{Notifying: tt.notifying, Deadline: tt.deadline, Membership: spans, Weights: w}
			for _, s := range objectors {
				p.Objections = append(p.Objections, Objection{State: s, On: tt.deadline.AddDate(0, 0, -3)})
			}
			got, err := Decide(p)
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			if got.Weights.Year != tt.wantYear || got.Objecting != len(objectors) || got.Eligible != len(others) {
				t.Errorf("year %d, objecting %d of %d; want %d, %d of %d",
					got.Weights.Year, got.Objecting, got.Eligible, tt.wantYear, len(objectors), len(others))
			}
			if got.StatesMet() != tt.wantStates || got.PopulationMet() != tt.wantPop {
				t.Errorf("states met %v, population met %v; want %v, %v", got.StatesMet(), got.PopulationMet(), tt.wantStates, tt.wantPop)
			}
			if got.BlockingMinimum != tt.wantBlockerMin || got.DeemedAttained != tt.wantDeemed || got.QualifiedMajority != tt.wantQualified {
				t.Errorf("blocking minimum %d, deemed attained %v, qualified majority %v; want %d, %v, %v",
					got.BlockingMinimum, got.DeemedAttained, got.QualifiedMajority, tt.wantBlockerMin, tt.wantDeemed, tt.wantQualified)
			}
			t.Log(got.Explanation())
		})
	}
}
