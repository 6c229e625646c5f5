package db

// unitLine is what decides the counts a line of a decision carries.
type unitLine struct {
	category int16
	cyber    bool
	unknown  bool // the line's value is unknown
}

// lineUnits are the counts one line carries (see migration 0007): whether it is the
// line that counts its decision overall, in its category and under its cyber flag,
// and whether the decision, or its lines of that category or flag, have an unknown
// value. A statistics cell counts the lines that carry the unit it needs, so a
// decision counts once in a cell however many of its lines the cell holds.
type lineUnits struct {
	decision, category, cyber                      bool
	unknownDecision, unknownCategory, unknownCyber bool
}

// markUnits marks the lines of one decision, in file order.
func markUnits(lines []unitLine) []lineUnits {
	out := make([]lineUnits, len(lines))
	anyUnknown := false
	for _, l := range lines {
		anyUnknown = anyUnknown || l.unknown
	}
	for i, l := range lines {
		u := &out[i]
		u.decision, u.unknownDecision = i == 0, anyUnknown
		u.category, u.cyber = true, true
		for j, m := range lines {
			if m.category == l.category {
				u.category = u.category && j >= i
				u.unknownCategory = u.unknownCategory || m.unknown
			}
			if m.cyber == l.cyber {
				u.cyber = u.cyber && j >= i
				u.unknownCyber = u.unknownCyber || m.unknown
			}
		}
	}
	return out
}
