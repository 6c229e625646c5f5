package demodata

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
)

const dateLayout = "2006-01-02"

// A stream is a kind of decision with its own yearly quota of decisions and denials.
// Drawing each decision's stream and outcome from what is left of the quotas (sampling
// without replacement) makes the calibrated counts come out exactly, not just on
// average, while their order in the year stays random.
type stream int

const (
	ordinary    stream = iota
	cyberListed        // on a cyber-surveillance entry of Annex I
	catchAll           // under a catch-all clause: the human-rights stream (catchall.go)
	nStreams
)

type quota struct{ n, denied int }

// yearPlan is what one year must add up to.
type yearPlan struct {
	year        int
	n           int
	def         int // decisions of the year at the default size
	quotas      [nStreams]quota
	valueTarget float64 // EUR, value of the issued decisions
}

// Calibration constants. The Commission reports about 1 denial in 40 applications;
// cyber-surveillance items are denied far more often, and the catch-all is mostly
// applied to deny.
const (
	denialShare         = 1.0 / 40
	cyberDenialShare    = 0.15
	catchAllDenialShare = 0.75
)

// Yearly defaults from 2015 on; a year outside the table takes the nearest one.
// Decisions rise gently and dip in 2020, and the denial share wanders around 1 in 40.
// A year with an official denial count uses that count instead, at 1 in 40 exactly.
var (
	trendDecisions = []int{26500, 26800, 27600, 28500, 29500, 29000, 30000, 31000, 32500, 32000}
	denialShares   = []float64{0.024, 0.023, 0.024, 0.026, 0.025, 0.024, 0.025, 0.025, 0.027, 0.026}
	cyberDecisions = []int{250, 260, 270, 290, 300, 290, 320, 360, 380, 390}
	catchAllUses   = []int{20, 22, 24, 25, 26, 25, 30, 35, 38, 40}
)

// assumedValue anchors the issued value at the ends of the default period, where no
// official figure exists (an assumption: a rise towards the 2019 figure, a plateau after
// 2022). Official figures take precedence; years between anchors are interpolated.
var assumedValue = map[int]float64{2015: 27.0e9, 2024: 55.0e9}

// targets are the official figures the calibration aims at, by year.
type targets struct {
	denials map[int]float64
	value   map[int]float64
}

// readTargets reads the EU denial counts and values of authorised exports from the
// official figures.
func readTargets(b []byte) (targets, error) {
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return targets{}, fmt.Errorf("official figures: %w", err)
	}
	t := targets{denials: map[int]float64{}, value: map[int]float64{}}
	for i, row := range rows[1:] {
		year, err1 := strconv.Atoi(row[0])
		v, err2 := strconv.ParseFloat(row[3], 64)
		if err1 != nil || err2 != nil {
			return targets{}, fmt.Errorf("official figures: line %d: bad year or value", i+2)
		}
		switch row[2] {
		case "denials":
			t.denials[year] = v
		case "value_authorised_exports":
			t.value[year] = v
		}
	}
	return t, nil
}

// planYears sets each year's quotas. With opts.Decisions set, the default year shape is
// scaled to that total, and so are the cyber counts and the value targets, so every
// size has the same per-decision profile as the calibrated default.
func planYears(opts Options) ([]yearPlan, error) {
	t, err := readTargets(officialFigures)
	if err != nil {
		return nil, err
	}
	var defaults []int
	for y := opts.FromYear; y <= opts.ToYear; y++ {
		defaults = append(defaults, t.defaultDecisions(y))
	}
	counts := defaults
	if opts.Decisions > 0 {
		counts = apportion(opts.Decisions, defaults)
	}
	plans := make([]yearPlan, len(counts))
	for i := range counts {
		plans[i] = t.plan(opts.FromYear+i, counts[i], defaults[i])
	}
	return plans, nil
}

func (t targets) defaultDecisions(year int) int {
	if d, ok := t.denials[year]; ok {
		return round(d / denialShare)
	}
	return atYear(trendDecisions, year)
}

// denialsAt is the number of denials of a default-size year.
func (t targets) denialsAt(year int) float64 {
	if d, ok := t.denials[year]; ok {
		return d
	}
	return float64(t.defaultDecisions(year)) * atYear(denialShares, year)
}

// plan splits n decisions of a year whose default size is def into the streams.
func (t targets) plan(year, n, def int) yearPlan {
	scale := float64(n) / float64(def)
	c := min(n, round(float64(atYear(cyberDecisions, year))*scale))
	k := min(n-c, round(float64(atYear(catchAllUses, year))*scale))
	dc, dk := round(float64(c)*cyberDenialShare), round(float64(k)*catchAllDenialShare)
	do := max(0, min(round(t.denialsAt(year)*scale)-dc-dk, n-c-k))
	return yearPlan{
		year:        year,
		n:           n,
		def:         def,
		quotas:      [nStreams]quota{{n - c - k, do}, {c, dc}, {k, dk}},
		valueTarget: t.valueAt(year) * scale,
	}
}

// valueAt is the issued value of a default-size year: the official figure, or a
// straight line between the nearest anchors around the year.
func (t targets) valueAt(year int) float64 {
	anchors := map[int]float64{}
	maps.Copy(anchors, assumedValue)
	maps.Copy(anchors, t.value)
	years := slices.Sorted(maps.Keys(anchors))
	i, found := slices.BinarySearch(years, year)
	switch {
	case found:
		return anchors[year]
	case i == 0:
		return anchors[years[0]]
	case i == len(years):
		return anchors[years[i-1]]
	}
	lo, hi := years[i-1], years[i]
	f := float64(year-lo) / float64(hi-lo)
	return anchors[lo] + f*(anchors[hi]-anchors[lo])
}

// apportion splits total in proportion to weights, by largest remainder, so the parts
// add up to total exactly.
func apportion(total int, weights []int) []int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	parts := make([]int, len(weights))
	rest := make([]float64, len(weights))
	given := 0
	for i, w := range weights {
		exact := float64(total) * float64(w) / float64(sum)
		parts[i] = int(exact)
		rest[i] = exact - float64(parts[i])
		given += parts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rest[b], rest[a]) })
	for _, i := range order[:total-given] {
		parts[i]++
	}
	return parts
}

// atYear reads a table that starts in 2015, taking the nearest year outside it.
func atYear[T any](table []T, year int) T {
	return table[max(0, min(len(table)-1, year-2015))]
}

func round(x float64) int { return int(math.Round(x)) }
