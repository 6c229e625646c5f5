package main

import (
	"math/rand/v2"
	"testing"
)

func TestKeepRules(t *testing.T) {
	e := &env{release: "r", grain: grainDay, periodStart: day("2015-01-01"), periodEnd: day("2024-12-31"),
		destinations: []string{"US", "CN", "EG"}, memberStates: []string{"DE", "FR", "IT"}}
	target := avgTarget{from: day("2022-03-01"), to: day("2022-03-31"), base: filter{}.with(dimDest, "EG")}
	cell := target.base.period(target.from, target.to)
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name   string
		gen    *generator
		values [][]float64
		want   []bool
	}{
		{name: "list differences drop an empty list", gen: listDifferences(e, cell, rng),
			values: [][]float64{{12, 10}, {3, 0}, {20, 19}}, want: []bool{true, false, true}},
		{name: "period extensions drop an empty one and a repeat", gen: periodDifferences(e, target, -1),
			values: [][]float64{{5, 0}, {9, 7}, {9, 7}, {14, 11}}, want: []bool{false, true, false, true}},
		{name: "partitions drop an empty part and a pair seen", gen: partitions("p", e, cell, dimMS, e.memberStates, rng),
			values: [][]float64{{2, 3}, {3, 2}, {0, 4}, {1, 4}}, want: []bool{true, false, false, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, v := range tt.values {
				if got := tt.gen.keep(&recipe{}, v); got != tt.want[i] {
					t.Fatalf("keep(%v) = %v, want %v", v, got, tt.want[i])
				}
			}
		})
	}
}

func TestTakeEstimate(t *testing.T) {
	two := func(g *generator) *recipe {
		return &recipe{gen: g, terms: []term{{sign: 1, cells: 1}, {sign: -1, cells: 1}}}
	}
	tests := []struct {
		name     string
		keep     func(*recipe, []float64) bool
		values   [][]float64 // nil: refused
		wantN    int
		wantDone bool
	}{
		{name: "estimates that vary are kept", values: [][]float64{{5, 3}, {6, 3}, {7, 6}}, wantN: 3},
		{name: "refused three times: given up", values: [][]float64{nil, nil, nil}, wantN: 0, wantDone: true},
		{name: "eight estimates alike: given up", values: [][]float64{{5, 3}, {5, 3}, {5, 3}, {5, 3}, {5, 3}, {5, 3}, {5, 3}, {5, 3}}, wantN: 8, wantDone: true},
		{name: "eight dropped: given up", keep: func(*recipe, []float64) bool { return false },
			values: [][]float64{{5, 3}, {5, 3}, {5, 3}, {5, 3}, {5, 3}, {5, 3}, {5, 3}, {5, 3}}, wantN: 0, wantDone: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &generator{family: "f", keep: tt.keep}
			var es []estimate
			for _, v := range tt.values {
				es = takeEstimate(two(g), v, es, &avgOutcome{})
			}
			if len(es) != tt.wantN || g.done != tt.wantDone {
				t.Fatalf("%d estimates, done %v; want %d, %v", len(es), g.done, tt.wantN, tt.wantDone)
			}
			for _, e := range es {
				if e.value != 2 && e.value != 3 && e.value != 1 || e.weight != 0.5 {
					t.Fatalf("estimate %+v: want the difference of the two figures, weight 1/2", e)
				}
			}
		})
	}
}

func TestPickAverageTargets(t *testing.T) {
	var ds []*decision
	for i, dest := range []string{"AA", "AA", "BB", "BB", "BB", "CC"} {
		ds = append(ds, dec(string(rune('a'+i)), "2022-03-0"+string(rune('1'+i)), "DE", dest, "ISSUED", i, "5A002.a"))
	}
	truth := newTruth(ds...)
	targets := pickAverageTargets(truth, 6, rand.New(rand.NewPCG(1, 1)), day("2015-01-01"), day("2024-12-31"))
	if len(targets) == 0 {
		t.Fatal("no target")
	}
	for _, tt := range targets {
		want := 0
		for _, d := range ds {
			if d.dest == tt.target.base.lists[dimDest][0] && !d.date.Before(tt.target.from) && !d.date.After(tt.target.to) &&
				(tt.target.base.lists[dimEntry] == nil || d.matchesEntryFilter(tt.target.base.lists[dimEntry][0])) {
				want++
			}
		}
		if tt.truth != want || want < 1 || want > 5 {
			t.Fatalf("target %s: truth %d, counted %d", tt.target.describe(), tt.truth, want)
		}
	}
}
