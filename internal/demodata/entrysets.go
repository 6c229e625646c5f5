package demodata

import (
	"math/rand/v2"
	"slices"

	"github.com/dualuse-transparency/portal/internal/codes"
)

// A licence application often covers several items: in the licensing data the United
// Kingdom publishes decision by decision, about a third of decisions name two or more
// control entries, most of them two, some three to five. The entries of one decision
// go together: the equipment, its software and its technology (5A002 with 5D002,
// 3A001 with 3E001), other entries of the same category, and now and then a
// neighbouring category (a chemical with the plant that handles it, 1C350 with 2B350;
// a sensor with navigation equipment).

// entryNode is a control entry valid in a period, with the entries that go with it.
type entryNode struct {
	code     string
	category int
	// siblings: the entries of the same category and number in another product group
	// (5A002 with 5B002, 5D002, 5E002), weighted as usual. Empty for many entries.
	siblings weighted[*entryNode]
}

// entrySet is the weighted table of the entries of a list valid in a period, and the
// same by category (an empty table for a category the list lacks).
type entrySet struct {
	all        weighted[*entryNode]
	byCategory [10]weighted[*entryNode]
}

// newEntrySets builds the tables of the ordinary and the cyber-surveillance entries
// valid on date. An ordinary entry's siblings are ordinary entries, so that an ordinary
// decision never covers a cyber-surveillance item (those decisions have their own
// calibrated stream); a cyber-surveillance entry's siblings come from both lists.
func newEntrySets(date string) (ordinary, cyber *entrySet) {
	ord, cyb := entriesValidOn(ordinaryEntries, date), entriesValidOn(cyberEntries, date)
	return newEntrySet(ord, ord), newEntrySet(cyb, slices.Concat(cyb, ord))
}

func entriesValidOn(list []controlEntry, date string) (out []controlEntry) {
	for _, e := range list {
		if e.from <= date {
			out = append(out, e)
		}
	}
	return out
}

func newEntrySet(list, siblingPool []controlEntry) *entrySet {
	s := &entrySet{}
	var all []choice[*entryNode]
	var byCategory [10][]choice[*entryNode]
	for _, e := range list {
		n := &entryNode{code: e.code, category: int(e.code[0] - '0'), siblings: siblingsOf(e.code, siblingPool)}
		all = append(all, choice[*entryNode]{n, e.weight})
		byCategory[n.category] = append(byCategory[n.category], choice[*entryNode]{n, e.weight})
	}
	s.all = newWeighted(all)
	for c := range byCategory {
		s.byCategory[c] = newWeighted(byCategory[c])
	}
	return s
}

// siblingsOf is the entries of pool with code's category and number but another
// product group. They are leaves: a sibling's own siblings are never asked for.
func siblingsOf(code string, pool []controlEntry) weighted[*entryNode] {
	var cs []choice[*entryNode]
	for _, e := range pool {
		if e.code[0] == code[0] && e.code[1] != code[1] && e.code[2:5] == code[2:5] {
			cs = append(cs, choice[*entryNode]{&entryNode{code: e.code, category: int(e.code[0] - '0')}, e.weight})
		}
	}
	return newWeighted(cs)
}

// How the entries after the first are chosen: a sibling of the first entry, another
// entry of its category, or an entry of a related category. About one multi-entry
// decision in four or five spans two categories.
const (
	siblingShare      = 0.5
	sameCategoryShare = 0.38
)

// relatedCategories: the categories whose items travel with a category's.
var relatedCategories = [10]weighted[int]{
	newWeighted([]choice[int]{{2, 5}, {1, 3}, {3, 2}}),         // nuclear: machine tools, materials, triggering electronics
	newWeighted([]choice[int]{{2, 5}, {9, 3}, {0, 1}}),         // materials and chemicals: plant, aerospace composites
	newWeighted([]choice[int]{{1, 5}, {0, 2}, {3, 2}}),         // processing equipment
	newWeighted([]choice[int]{{5, 4}, {6, 3}, {4, 3}}),         // electronics
	newWeighted([]choice[int]{{5, 6}, {3, 4}}),                 // computers
	newWeighted([]choice[int]{{4, 5}, {3, 4}, {6, 1}}),         // telecommunications and information security
	newWeighted([]choice[int]{{7, 4}, {3, 3}, {9, 2}, {8, 1}}), // sensors and lasers
	newWeighted([]choice[int]{{9, 5}, {6, 4}}),                 // navigation and avionics
	newWeighted([]choice[int]{{6, 5}, {7, 3}}),                 // marine
	newWeighted([]choice[int]{{7, 5}, {1, 3}, {6, 2}}),         // aerospace and propulsion
}

// entryCounts: how many entries a multi-entry decision covers.
var entryCounts = newWeighted([]choice[int]{{2, 62}, {3, 22}, {4, 10}, {5, 6}})

const maxEntries = 5

// entryCount draws the number of entries of a decision. A global licence covers a range
// of items more often than an individual one does.
func entryCount(r *rand.Rand, l codes.LicenceType) int {
	share := 0.30
	switch l {
	case "GLOBAL":
		share = 0.55
	case "LARGE_PROJECT":
		share = 0.65
	}
	if r.Float64() >= share {
		return 1
	}
	return entryCounts.pick(r)
}

// drawItems fills d's entries, as many as d.nEntries asks for: the first from own, the
// others chosen to go with it, from own (its category) or from others (siblings
// aside). A decision ends up with fewer entries than asked for when no fitting one is
// found in a few tries (a short table).
func (d *decision) drawItems(r *rand.Rand, own, others *entrySet) {
	want := d.nEntries
	first := own.all.pick(r)
	d.entries[0], d.nEntries = first.code, 1
	for d.nEntries < want {
		e, ok := companion(r, first, own, others, d.entries[:d.nEntries])
		if !ok {
			return
		}
		d.entries[d.nEntries] = e
		d.nEntries++
	}
}

// companion draws an entry to go with first on a decision that already has taken.
func companion(r *rand.Rand, first *entryNode, own, others *entrySet, taken []string) (string, bool) {
	for range 20 {
		var table weighted[*entryNode]
		switch u := r.Float64(); {
		case u < siblingShare && !first.siblings.empty():
			table = first.siblings
		case u < siblingShare+sameCategoryShare:
			table = own.byCategory[first.category]
		default:
			table = others.byCategory[relatedCategories[first.category].pick(r)]
		}
		if table.empty() {
			continue
		}
		if e := table.pick(r).code; !overlaps(e, taken) {
			return e, true
		}
	}
	return "", false
}

// overlaps reports whether e is one of taken, or an entry or sub-item of one of them
// (5A001 and 5A001.f do not go on one decision: the sub-item is the precise entry).
func overlaps(e string, taken []string) bool {
	for _, t := range taken {
		if e == t || isSubItem(e, t) || isSubItem(t, e) {
			return true
		}
	}
	return false
}

// isSubItem reports whether a is a sub-item of b (5A001.f.1 of 5A001 or 5A001.f).
func isSubItem(a, b string) bool {
	return len(a) > len(b) && a[len(b)] == '.' && a[:len(b)] == b
}
