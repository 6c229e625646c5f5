package db

import "slices"

// unit says which lines of the decisions table count a decision in a table's cells,
// as SQL over the line d (see statisticsSQL). A decision is stored as one line per
// control entry; the importer marks on each line the counts it carries (migration
// 0007), so most tables count decisions in one pass.
type unit struct {
	counts  string // the line counts its decision in its cell
	unknown string // that decision has a line of unknown value in the cell
	dedupe  bool   // no stored mark fits: fold each decision's lines per cell first
}

var (
	// unitDecision: the cells split no decision, so its first line counts it.
	unitDecision = unit{counts: "d.unit_decision", unknown: "d.unknown_decision"}
	// unitCategory: a decision counts once in each control category it covers.
	unitCategory = unit{counts: "d.unit_category", unknown: "d.unknown_category"}
	// unitCyber: once on each side of the cyber-surveillance flag.
	unitCyber = unit{counts: "d.unit_cyber", unknown: "d.unknown_cyber"}
	// unitEntry: cells split decisions by control entry, which a decision has once.
	unitEntry = unit{counts: "TRUE", unknown: "d.value_cents IS NULL"}
	// unitFolded: any other mix of per-entry dimensions and filters.
	unitFolded = unit{counts: "TRUE", unknown: "d.value_cents IS NULL", dedupe: true}
)

// countingUnit picks the unit for a table: the per-entry dimensions (control entry,
// category, cyber-surveillance flag) and filters (entries, categories, flag, the
// EU-wide list) decide how a decision's lines fall into its cells.
func countingUnit(groupBy []Dimension, f StatisticsFilter) unit {
	if slices.Contains(groupBy, DimControlEntry) {
		return unitEntry
	}
	byCategory := slices.Contains(groupBy, DimControlCategory)
	category := byCategory || f.ControlCategories != nil
	cyber := slices.Contains(groupBy, DimCyberSurveillance) || f.CyberSurveillance != nil
	entries := f.ControlEntries != nil || f.OnSurveillanceList != nil
	switch {
	case !category && !cyber && !entries:
		return unitDecision
	case category && !cyber && !entries && (byCategory || len(f.ControlCategories) == 1):
		return unitCategory
	case cyber && !category && !entries:
		return unitCyber
	}
	return unitFolded
}

// perEntryDimensions are the dimensions under which one decision can fall in several
// rows: one for each entry, category, flag value or ground it covers.
var perEntryDimensions = []Dimension{DimControlEntry, DimControlCategory, DimCyberSurveillance, DimDenialGround}

// SplitsDecisions reports whether a table grouped by groupBy can count a decision in
// more than one row, so that its rows can add up to more than its total.
func SplitsDecisions(groupBy []Dimension) bool {
	return slices.ContainsFunc(groupBy, func(d Dimension) bool { return slices.Contains(perEntryDimensions, d) })
}
