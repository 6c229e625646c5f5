package main

import (
	"math"
	"testing"
	"time"
)

// dec makes a decision of one line per entry, with a known value of 1,000 EUR a line.
func dec(id, date, ms, dest, outcome string, exporter int, entries ...string) *decision {
	d := &decision{id: id, ms: ms, dest: dest, lt: "INDIVIDUAL", eut: "COMMERCIAL", outcome: outcome, exporter: exporter, entries: entries}
	d.date, _ = time.Parse(time.DateOnly, date)
	for range entries {
		d.cents = append(d.cents, 100_000)
	}
	return d
}

func newTruth(ds ...*decision) *truth {
	t := &truth{byID: map[string]*decision{}}
	for _, d := range ds {
		t.decisions = append(t.decisions, d)
		t.byID[d.id] = d
	}
	return t
}

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func attrs(ms, dest, entry, outcome string) map[string]string {
	return map[string]string{dimMS: ms, dimDest: dest, dimEntry: entry, dimLT: "INDIVIDUAL", dimEUT: "COMMERCIAL", dimOutcome: outcome}
}

func TestScoreMonth(t *testing.T) {
	truth := newTruth(
		dec("d1", "2022-03-01", "DE", "US", "ISSUED", 1, "5A002"),
		dec("d2", "2022-03-01", "DE", "US", "ISSUED", 2, "5A002"), // the same attributes as d1, the same day
		dec("d3", "2022-03-02", "FR", "CN", "DENIED", 3, "5A001.f", "5D001"),
		dec("d4", "2022-03-15", "IT", "EG", "ISSUED", 4, ""),
		dec("d5", "2022-04-01", "IT", "EG", "ISSUED", 4, ""),
	)
	tests := []struct {
		name   string
		claims []claim
		want   float64
	}{
		{name: "no claim", want: 0},
		{name: "a right claim of a day", claims: []claim{{day("2022-03-02"), day("2022-03-02"), attrs("FR", "CN", "5D001", "DENIED")}}, want: 0.25},
		{name: "two claims of one decision count once", claims: []claim{
			{day("2022-03-02"), day("2022-03-02"), attrs("FR", "CN", "5D001", "DENIED")},
			{day("2022-03-02"), day("2022-03-02"), attrs("FR", "CN", "5A001.f", "DENIED")}}, want: 0.25},
		{name: "a claim two decisions fit is wrong", claims: []claim{{day("2022-03-01"), day("2022-03-01"), attrs("DE", "US", "5A002", "ISSUED")}}, want: 0},
		{name: "a claim no decision fits is wrong", claims: []claim{{day("2022-03-03"), day("2022-03-03"), attrs("FR", "CN", "5D001", "DENIED")}}, want: 0},
		{name: "a month's claim of a non-listed item", claims: []claim{{day("2022-03-01"), day("2022-03-31"), attrs("IT", "EG", "", "ISSUED")}}, want: 0.25},
		{name: "a decision of the next month is not of this one", claims: []claim{{day("2022-04-01"), day("2022-04-30"), attrs("IT", "EG", "", "ISSUED")}}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := scoreMonth(&result{}, truth, day("2022-03-01"), tt.claims); got != tt.want {
				t.Fatalf("scoreMonth = %g, want %g", got, tt.want)
			}
		})
	}
}

func TestExactShares(t *testing.T) {
	tests := []struct {
		name           string
		outcomes       []avgOutcome
		base, attacker float64
	}{
		{name: "none"},
		{name: "the attacker beats the figure", outcomes: []avgOutcome{
			{truth: 1, direct: 2, directOK: true, estimate: 1, estimated: true},
			{truth: 3, direct: 3, directOK: true, estimate: 3, estimated: true}}, base: 0.5, attacker: 1},
		{name: "a withheld figure and no estimate are not exact", outcomes: []avgOutcome{
			{truth: 2, estimate: 2}, {truth: 2, direct: 2, estimate: 2, estimated: true}}, base: 0, attacker: 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, attacker := exactShares(tt.outcomes)
			if base != tt.base || attacker != tt.attacker {
				t.Fatalf("exactShares = %g, %g; want %g, %g", base, attacker, tt.base, tt.attacker)
			}
		})
	}
}

func TestGuessShared(t *testing.T) {
	note := func(s string) *string { return &s }
	tests := []struct {
		name string
		m    measure
		want bool
	}{
		{name: "published", m: measure{Value: new(float64), Status: "PERTURBED"}, want: false},
		{name: "threshold rule", m: measure{Status: "CONFIDENTIAL", Note: note("withheld: fewer than 3 exporters in this cell")}, want: true},
		{name: "dominance rule", m: measure{Status: "CONFIDENTIAL", Note: note("withheld: one exporter makes up more than 85 % of this cell")}, want: false},
		{name: "threshold rule explained by unknown values", m: measure{Status: "CONFIDENTIAL",
			Note: note("withheld: fewer than 3 exporters in this cell; sum of the known values only: 1 decisions in this cell (perturbed count) have no value, in whole or in part")}, want: false},
		{name: "one note for every rule", m: measure{Status: "CONFIDENTIAL",
			Note: note("withheld: fewer than 6 decisions or 3 exporters in this cell, or one exporter makes up more than 85 % of it")}, want: true},
		{name: "withheld without a note", m: measure{Status: "CONFIDENTIAL"}, want: true},
		{name: "not applicable", m: measure{Status: "NOT_APPLICABLE", Note: note("not applicable: no decision in this cell has a known value")}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := guessShared(tt.m); got != tt.want {
				t.Fatalf("guessShared(%+v) = %v, want %v", tt.m, got, tt.want)
			}
		})
	}
}

// triplesOf makes n triples: shared of them share an exporter, and the guesses are
// right for right of them (wrong ones first among the shared).
func triplesOf(n, shared, right int) []triple {
	ts := make([]triple, n)
	for i := range ts {
		ts[i].shared = i < shared
		ts[i].guessed = ts[i].shared
		if i < n-right {
			ts[i].guessed = !ts[i].shared
		}
	}
	return ts
}

func TestScoreLinkage(t *testing.T) {
	tests := []struct {
		name string
		ts   []triple
		want verdict
	}{
		{name: "no cell", want: verdictHolds},
		{name: "every guess right, many cells", ts: triplesOf(400, 80, 400), want: verdictBroken},
		{name: "the best constant guess", ts: triplesOf(400, 80, 320), want: verdictHolds},
		{name: "4 points above the constant", ts: triplesOf(1000, 200, 840), want: verdictHolds},
		{name: "10 points above, too few cells to tell from noise", ts: triplesOf(10, 2, 9), want: verdictHolds},
		{name: "10 points above, enough cells", ts: triplesOf(400, 80, 360), want: verdictBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &result{}
			if scoreLinkage(r, tt.ts); r.verdict != tt.want {
				t.Fatalf("verdict %s (%s), want %s", r.verdict, r.summary, tt.want)
			}
		})
	}
}

func TestScoreDenials(t *testing.T) {
	truth := newTruth(
		dec("d1", "2022-03-01", "DE", "IR", "DENIED", 1, "1C350"),
		dec("d2", "2022-03-01", "DE", "US", "ISSUED", 2, "5A002"),
		dec("d3", "2022-03-02", "FR", "SY", "DENIED", 3, "5A001.f"),
		dec("d4", "2022-03-02", "FR", "BR", "ISSUED", 4, "5A001.f"),
	)
	truth.byID["d1"].grounds = []string{"WMD"}
	truth.byID["d3"].grounds = []string{"CRITERION_2", "CRITERION_7"}
	cases := []denialCase{{day("2022-03-01"), "IR", "DE"}, {day("2022-03-01"), "US", "DE"}, {day("2022-03-02"), "SY", "FR"}, {day("2022-03-02"), "BR", "FR"}}
	right := map[time.Time]denialAnswer{day("2022-03-01"): {"IR": {"WMD"}}, day("2022-03-02"): {"SY": {"CRITERION_7", "CRITERION_2"}}}
	wrong := map[time.Time]denialAnswer{day("2022-03-01"): {"US": {}}, day("2022-03-02"): {"BR": {}}}
	tests := []struct {
		name    string
		answers map[time.Time]denialAnswer
		length  int
		want    verdict
	}{
		{name: "every day right, but four questions are too few", answers: right, length: 1, want: verdictHolds},
		{name: "every day wrong", answers: wrong, length: 1, want: verdictHolds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &result{}
			if scoreDenials(r, truth, cases, tt.answers, tt.length, "test"); r.verdict != tt.want {
				t.Fatalf("verdict %s (%s), want %s", r.verdict, r.summary, tt.want)
			}
		})
	}
	var many []denialCase
	answers := map[time.Time]denialAnswer{}
	for range 10 {
		many = append(many, cases...)
	}
	for k, v := range right {
		answers[k] = v
	}
	r := &result{}
	if scoreDenials(r, truth, many, answers, 1, "test"); r.verdict != verdictBroken {
		t.Fatalf("40 questions all right: verdict %s (%s), want BROKEN", r.verdict, r.summary)
	}
	r = &result{}
	if scoreDenials(r, truth, many, answers, 31, "test"); r.verdict != verdictHolds {
		t.Fatalf("answers of a whole month: verdict %s, want HOLDS: the threshold is about shorter periods", r.verdict)
	}
}

func TestScoreValues(t *testing.T) {
	tests := []struct {
		name string
		errs []float64
		want verdict
	}{
		{name: "no decision", want: verdictHolds},
		{name: "close estimates", errs: []float64{0.05, 0.1, 0.3}, want: verdictBroken},
		{name: "estimates a third off", errs: []float64{0.3, 0.35, 0.4, 0.1}, want: verdictHolds},
		{name: "no estimates", errs: []float64{1, 1, 1}, want: verdictHolds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &result{}
			if scoreValues(r, tt.errs, nil, 0); r.verdict != tt.want {
				t.Fatalf("verdict %s (%s), want %s", r.verdict, r.summary, tt.want)
			}
		})
	}
}

func TestScoreAveraging(t *testing.T) {
	exact := func(n int, base, attacker bool) []avgOutcome {
		out := make([]avgOutcome, n)
		for i := range out {
			out[i] = avgOutcome{truth: 2, direct: 3, directOK: true, estimate: 1, estimated: true}
			if base {
				out[i].direct = 2
			}
			if attacker {
				out[i].estimate = 2
			}
		}
		return out
	}
	tests := []struct {
		name     string
		outcomes []avgOutcome
		want     verdict
	}{
		{name: "the attacker does no better", outcomes: append(exact(4, true, true), exact(6, false, false)...), want: verdictHolds},
		{name: "the attacker 10 points better: at the threshold", outcomes: append(append(exact(4, true, true), exact(1, false, true)...), exact(5, false, false)...), want: verdictHolds},
		{name: "the attacker 20 points better", outcomes: append(append(exact(4, true, true), exact(2, false, true)...), exact(4, false, false)...), want: verdictBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &result{}
			if scoreAveraging(r, tt.outcomes); r.verdict != tt.want {
				t.Fatalf("verdict %s (%s), want %s", r.verdict, r.summary, tt.want)
			}
		})
	}
}

func TestDecisionValue(t *testing.T) {
	tests := []struct {
		name   string
		cents  []int64
		want   float64
		wantOK bool
	}{
		{name: "one line", cents: []int64{123_456}, want: 1234.56, wantOK: true},
		{name: "two lines", cents: []int64{100, 200}, want: 3, wantOK: true},
		{name: "a line unknown", cents: []int64{100, -1}, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := (&decision{cents: tt.cents}).value()
			if ok != tt.wantOK || ok && math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("value = %g, %v; want %g, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
