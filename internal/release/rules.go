package release

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// span is a run of days, both ends included; open when it has no end yet.
type span struct {
	from, to time.Time
	open     bool
}

func newSpan(from time.Time, to *time.Time) span {
	if to == nil {
		return span{from: dayOf(from), open: true}
	}
	return span{from: dayOf(from), to: dayOf(*to)}
}

func (s span) contains(t time.Time) bool {
	return !t.Before(s.from) && (s.open || !t.After(s.to))
}

func (s span) String() string {
	switch {
	case s.open && s.from.IsZero():
		return "at any date"
	case s.open:
		return "from " + day(s.from)
	case s.from.IsZero():
		return "until " + day(s.to)
	}
	return fmt.Sprintf("from %s to %s", day(s.from), day(s.to))
}

// memberState is a Member State under its ISO code, the code the portal publishes.
type memberState struct {
	iso string
	span
}

// country is a destination under its code, with the days it existed as one.
type country struct {
	code string
	span
}

// controlEntry is a control entry under the code the reference data spells.
type controlEntry struct {
	code string
	span
}

// rules is the reference data and release period a decision is checked against,
// prepared once so that a row costs a few map look-ups, and so that rows share the
// reference strings instead of each keeping its own copy of its line.
type rules struct {
	states    map[string]memberState // by ISO and by EU code
	countries map[string]country
	entries   map[string]controlEntry
	period    span
	hasPeriod bool
	published time.Time // the release's publication date; zero when release.json does not give one
}

func newRules(ref Reference, meta Meta) *rules {
	r := &rules{
		states:    make(map[string]memberState, 2*len(ref.MemberStates)),
		countries: make(map[string]country, len(ref.Countries)),
		entries:   make(map[string]controlEntry, len(ref.ControlEntries)),
		hasPeriod: hasPeriod(meta) && !meta.PeriodEnd.Before(meta.PeriodStart),
		period:    span{from: meta.PeriodStart, to: meta.PeriodEnd},
		published: meta.PublishedOn,
	}
	for iso, m := range ref.MemberStates {
		s := memberState{iso: iso, span: newSpan(m.From, m.Until)}
		r.states[iso] = s
		if m.EUCode != "" {
			r.states[m.EUCode] = s
		}
	}
	for code, v := range ref.Countries {
		r.countries[code] = country{code: code, span: newSpan(v.From, v.To)}
	}
	for code, v := range ref.ControlEntries {
		r.entries[code] = controlEntry{code: code, span: newSpan(v.From, v.To)}
	}
	return r
}

// state returns the ISO code of a Member State given by its ISO or EU code.
func (r *rules) state(s string) (string, error) {
	m, ok := r.states[s]
	if !ok {
		return "", fmt.Errorf("unknown Member State %q", s)
	}
	return m.iso, nil
}

// memberOn requires the state, by its ISO code, to have been a Member State on t.
func (r *rules) memberOn(iso string, t time.Time) error {
	if !r.isMemberOn(iso, t) {
		return fmt.Errorf("%s was not a Member State on %s", iso, day(t))
	}
	return nil
}

// isMemberOn is memberOn without the error: most destinations are not Member States,
// and formatting an error for each of a million decisions only to drop it was a
// twentieth of an import's reading.
func (r *rules) isMemberOn(iso string, t time.Time) bool {
	return r.states[iso].contains(t)
}

func (r *rules) country(s string) (string, error) {
	c, ok := r.countries[s]
	if !ok {
		return "", fmt.Errorf("unknown country %q", s)
	}
	return c.code, nil
}

// countryOn requires the country to have existed as a destination on t: the
// Netherlands Antilles, say, only until 2010.
func (r *rules) countryOn(code string, t time.Time) error {
	if c := r.countries[code]; !c.contains(t) {
		return fmt.Errorf("%s was not a country code in use on %s (in use %s)", code, day(t), c.span)
	}
	return nil
}

func (r *rules) entry(s string) (string, error) {
	e, ok := r.entries[s]
	if !ok {
		return "", fmt.Errorf("unknown control entry %q", s)
	}
	return e.code, nil
}

// parseList reads a ';'-separated list of codes, each once; empty is no code at all.
func parseList[T comparable](s string, parse func(string) (T, error)) ([]T, error) {
	if s == "" {
		return nil, nil
	}
	var list []T
	for part := range strings.SplitSeq(s, ";") {
		v, err := parse(part)
		switch {
		case part == "":
			return nil, fmt.Errorf("empty code in %q", s)
		case err != nil:
			return nil, err
		case slices.Contains(list, v):
			return nil, fmt.Errorf("%v given twice", v)
		}
		list = append(list, v)
	}
	return list, nil
}

// parseCode is codes.Parse returning the list's own string, so a row keeps no
// reference to the line it was read from.
func parseCode[T ~string](list []T, s string) (T, error) {
	if i := slices.Index(list, T(s)); i >= 0 {
		return list[i], nil
	}
	_, err := codes.Parse(list, s)
	return "", err
}
