package qmv

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/dualuse-transparency/portal/internal/i18n"
)

// Publisher says who published a population figure.
type Publisher string

// The publishers of population figures, in the order they are preferred: the
// Council's own figures (Annex III of its Rules of Procedure, set each year by a
// Council Decision) where known, else Eurostat's population on 1 January of the year
// before, which the Council's figures are based on but do not always equal.
const (
	Council  Publisher = "COUNCIL"
	Eurostat Publisher = "EUROSTAT"
)

// Figure is one Member State's population for one year of qualified-majority voting.
// Population 0 is a gap: the source has no figure, and none is ever estimated.
type Figure struct {
	Population int64
	Publisher  Publisher
	Source     string
}

// Figures are the population figures known for qualified-majority voting: by year
// (the year the Council applies them), by ISO code, by publisher.
type Figures map[int]map[string]map[Publisher]Figure

// Add records a figure; it is how the caller builds Figures from its reference data.
func (f Figures) Add(year int, state string, fig Figure) {
	if f[year] == nil {
		f[year] = map[string]map[Publisher]Figure{}
	}
	if f[year][state] == nil {
		f[year][state] = map[Publisher]Figure{}
	}
	f[year][state][fig.Publisher] = fig
}

// Weights are the populations a tally weighs the states with, and where they come from.
type Weights struct {
	Year       int              // the year of the figures used
	Population map[string]int64 // by ISO code
	Source     string           // who published them, for users
	Note       string           // why Year is not the year asked for, or "" when it is
	SourceMsg  i18n.Msg         // Source, to be written in any language
	NoteMsg    i18n.Msg         // Note, to be written in any language
}

// For returns the figures for a deadline in year for the given states: that year's,
// each state's figure from the Council where known, else Eurostat's. When that year
// has no figure for one of the states, it takes the latest earlier year that has them
// all (the earliest later one when no earlier one does) and says why in Note: a gap
// is never filled by an estimate.
func (f Figures) For(year int, states []string) (Weights, error) {
	years := slices.Sorted(maps.Keys(f))
	if len(years) == 0 {
		return Weights{}, fmt.Errorf("no population figures at all")
	}
	if w, missing := f.weights(year, states); len(missing) == 0 {
		return w, nil
	}
	why := f.gap(year, states, years)
	candidates := slices.Clone(years)
	slices.Reverse(candidates) // the latest earlier year first
	candidates = append(filter(candidates, func(y int) bool { return y < year }), filter(years, func(y int) bool { return y > year })...)
	for _, y := range candidates {
		w, missing := f.weights(y, states)
		if len(missing) == 0 {
			w.NoteMsg = i18n.M("%s, so the figures for %d are used", why, y)
			w.Note = w.NoteMsg.String(i18n.EN)
			return w, nil
		}
		why = i18n.M("%s%s", why, i18n.M(", the figures for %d lack %s", y, strings.Join(missing, ", ")))
	}
	return Weights{}, fmt.Errorf("%s, and no year has figures for all of %s", why.String(i18n.EN), strings.Join(states, ", "))
}

// gap says why year cannot be used.
func (f Figures) gap(year int, states []string, years []int) i18n.Msg {
	switch {
	case f[year] == nil && year < years[0]:
		return i18n.M("there are no population figures before %d", years[0])
	case f[year] == nil && year > years[len(years)-1]:
		return i18n.M("there are no population figures after %d", years[len(years)-1])
	case f[year] == nil:
		return i18n.M("there are no population figures for %d", year)
	}
	_, missing := f.weights(year, states)
	return i18n.M("the figures for %d lack %s", year, strings.Join(missing, ", "))
}

// weights picks each state's figure for year, and lists the states without one.
func (f Figures) weights(year int, states []string) (Weights, []string) {
	w := Weights{Year: year, Population: make(map[string]int64, len(states))}
	var missing []string
	byPublisher := map[Publisher][]string{}
	sources := map[Publisher]map[string]bool{}
	for _, s := range states {
		fig, ok := f.pick(year, s)
		if !ok {
			missing = append(missing, s)
			continue
		}
		w.Population[s] = fig.Population
		byPublisher[fig.Publisher] = append(byPublisher[fig.Publisher], s)
		if sources[fig.Publisher] == nil {
			sources[fig.Publisher] = map[string]bool{}
		}
		sources[fig.Publisher][fig.Source] = true
	}
	w.SourceMsg = describe(year, byPublisher, sources)
	w.Source = w.SourceMsg.String(i18n.EN)
	return w, missing
}

// pick returns a state's figure for year from the preferred publisher that has one.
func (f Figures) pick(year int, state string) (Figure, bool) {
	for _, p := range []Publisher{Council, Eurostat} {
		if fig, ok := f[year][state][p]; ok && fig.Population > 0 {
			return fig, true
		}
	}
	return Figure{}, false
}

// describe says in one line whose figures a tally used, for example "Eurostat's
// population on 1 January 2022 (the Council's own figures for 2023 for DE, FR)".
func describe(year int, by map[Publisher][]string, sources map[Publisher]map[string]bool) i18n.Msg {
	var parts []i18n.Msg
	if states := by[Eurostat]; len(states) > 0 {
		parts = append(parts, i18n.M("Eurostat population on 1 January %d", year-1))
	}
	if states := by[Council]; len(states) > 0 {
		acts := slices.Sorted(maps.Keys(sources[Council]))
		what := i18n.M("the Council's own figures for %d", year)
		if len(by[Eurostat]) > 0 {
			what = i18n.M("the Council's own figures for %d for %s", year, strings.Join(states, ", "))
		}
		parts = append(parts, i18n.M("%s (%s)", what, strings.Join(acts, "; ")))
	}
	switch len(parts) {
	case 0:
		return i18n.Msg{}
	case 1:
		return parts[0]
	}
	return i18n.Join(parts[0], parts[1])
}

func filter(ys []int, keep func(int) bool) []int {
	var out []int
	for _, y := range ys {
		if keep(y) {
			out = append(out, y)
		}
	}
	return out
}
