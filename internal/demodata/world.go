package demodata

import (
	"fmt"
	"math"
	"slices"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// licenceType weights the licence types of decisions that are not denied. Large-project
// authorisations and EU007/EU008 came with Regulation 2021/821 (in force 9 September
// 2021); before it, their share goes to the other types.
type licenceType struct {
	code   codes.LicenceType
	weight float64
	from   string
}

const recastInForce = "2021-09-09"

var licenceTypes = []licenceType{
	{"INDIVIDUAL", 70, ""}, {"GLOBAL", 15, ""}, {"NATIONAL_GENERAL", 4, ""},
	{"LARGE_PROJECT", 0.6, recastInForce}, {"EU001", 5, ""}, {"EU002", 1.2, ""}, {"EU003", 1, ""},
	{"EU004", 0.5, ""}, {"EU005", 1.2, ""}, {"EU006", 0.5, ""}, {"EU007", 0.6, recastInForce},
	{"EU008", 0.4, recastInForce}, {codes.IntraEUTransfer, transferShare, ""},
}

// rules are the tables in force during a period in which nothing changes: membership,
// valid control entries, licence types, destinations, catch-all clauses.
type rules struct {
	states          weighted[*exporterPool]
	dest            [nDestKinds]weighted[string]
	licences        weighted[codes.LicenceType]
	entries         *entrySet
	cyberEntries    *entrySet
	annexIVEntries  *entrySet // for transfers inside the Union
	catchAllEntries weighted[string]
	transferDest    map[string]weighted[string] // by transferring Member State, the others
	clauses         [2]weighted[codes.CatchAll] // catch-all clauses, by whether the destination is under an arms embargo
}

// exporterPool holds a Member State's exporters. Their activity follows a Zipf law, as
// export activity does: a few big exporters make most applications and many small ones
// appear now and then, which is what makes disclosure control bite (cells with fewer
// than three exporters, or one that dominates).
type exporterPool struct {
	state string
	ids   weighted[string]
}

// exportersAtDefault is the number of exporters over all Member States at the default
// size; zipfExponent sets how much the biggest exporters dominate.
const (
	exportersAtDefault = 4000
	zipfExponent       = 1.1
)

// world maps each date to the rules in force.
type world struct {
	starts  []string // first day of each period but the first
	periods []*rules
}

// newWorld builds the rules of every period. scale is the size of the release relative
// to the default one: the number of exporters grows with its square root, so a bigger
// release has more exporters, each also more active.
func newWorld(scale float64) *world {
	pools := newPools(scale)
	w := &world{starts: changeDates()}
	w.periods = append(w.periods, newRules(fmt.Sprintf("%d-01-01", minYear), pools))
	for _, d := range w.starts {
		w.periods = append(w.periods, newRules(d, pools))
	}
	return w
}

func (w *world) on(date string) *rules {
	i, found := slices.BinarySearch(w.starts, date)
	if found {
		i++
	}
	return w.periods[i]
}

// changeDates are the dates on which any table changes, sorted.
func changeDates() []string {
	dates := []string{gbDestinationFrom, sanctionsFrom, recastInForce}
	for _, m := range memberStates {
		dates = append(dates, m.from, m.left)
	}
	for _, list := range [][]controlEntry{ordinaryEntries, cyberEntries, catchAllEntries, annexIVEntries} {
		for _, e := range list {
			dates = append(dates, e.from)
		}
	}
	for _, l := range licenceTypes {
		dates = append(dates, l.from)
	}
	slices.Sort(dates)
	dates = slices.Compact(dates)
	return slices.DeleteFunc(dates, func(d string) bool { return d == "" })
}

func newRules(date string, pools map[string]*exporterPool) *rules {
	rs := &rules{catchAllEntries: entriesOn(catchAllEntries, date), clauses: clausesOn(date)}
	rs.entries, rs.cyberEntries = newEntrySets(date)
	annexIV := entriesValidOn(annexIVEntries, date)
	rs.annexIVEntries = newEntrySet(annexIV, annexIV)
	rs.transferDest = transferDestinations(date)
	var states []choice[*exporterPool]
	for _, m := range memberStates {
		if m.memberOn(date) {
			states = append(states, choice[*exporterPool]{pools[m.code], m.weight})
		}
	}
	rs.states = newWeighted(states)
	var licences []choice[codes.LicenceType]
	for _, l := range licenceTypes {
		if l.from <= date {
			licences = append(licences, choice[codes.LicenceType]{l.code, l.weight})
		}
	}
	rs.licences = newWeighted(licences)
	for k := range nDestKinds {
		rs.dest[k] = destinationsOn(k, date)
	}
	return rs
}

func destinationsOn(k destKind, date string) weighted[string] {
	cs := make([]choice[string], len(destinations))
	for i, d := range destinations {
		cs[i] = choice[string]{d.code, d.weight(k, date)}
	}
	return newWeighted(cs)
}

// newPools gives each Member State (former ones included) exporters in proportion to
// its weight, at least three.
func newPools(scale float64) map[string]*exporterPool {
	total := 0.0
	for _, m := range memberStates {
		total += m.weight
	}
	pools := map[string]*exporterPool{}
	for _, m := range memberStates {
		n := max(3, round(exportersAtDefault*math.Sqrt(scale)*m.weight/total))
		ids := make([]choice[string], n)
		for i := range ids {
			ids[i] = choice[string]{fmt.Sprintf("%s-%04d", m.code, i+1), math.Pow(float64(i+1), -zipfExponent)}
		}
		pools[m.code] = &exporterPool{state: m.code, ids: newWeighted(ids)}
	}
	return pools
}
