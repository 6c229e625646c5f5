package db

import (
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// The query model: what a table may ask, so that no set of requests can single out a
// decision (docs/threat-model.md). Time is never finer than a month, and a table
// crosses a bounded number of fine dimensions, counting those a filter fixes.

// maxFineDimensions is how many fine dimensions one table may cross.
const maxFineDimensions = 3

// fineDimensions are the dimensions with many values, whose crossing singles out
// decisions: a combination of four of them in a month is nearly always one decision.
var fineDimensions = []Dimension{DimMemberState, DimDestination, DimControlEntry, DimLicenceType, DimEndUserType, DimDenialGround}

// checkQueryModel refuses a table the query model does not allow, saying what to change.
func checkQueryModel(groupBy []Dimension, f StatisticsFilter) error {
	if err := checkWholeMonths(f.From, f.To); err != nil {
		return err
	}
	fine := crossedFine(groupBy, f)
	if len(fine) > maxFineDimensions {
		names := make([]string, len(fine))
		for i, d := range fine {
			names[i] = string(d)
		}
		return apperr.Errorf(apperr.Invalid, "the table crosses %d fine dimensions (%s), at most %d: group by fewer, or by coarser ones "+
			"(DESTINATION_REGION for DESTINATION, CONTROL_CATEGORY for CONTROL_ENTRY); a filter on a fine dimension counts as one",
			len(fine), strings.Join(names, ", "), maxFineDimensions)
	}
	return nil
}

// crossedFine are the fine dimensions a table groups by or filters on, each once.
func crossedFine(groupBy []Dimension, f StatisticsFilter) []Dimension {
	filtered := map[Dimension]bool{
		DimMemberState:  f.MemberStates != nil,
		DimDestination:  f.Destinations != nil,
		DimControlEntry: f.ControlEntries != nil,
		DimLicenceType:  f.LicenceTypes != nil,
		DimEndUserType:  f.EndUserTypes != nil,
		DimDenialGround: f.DenialGrounds != nil,
	}
	var out []Dimension
	for _, d := range fineDimensions {
		if filtered[d] || slices.Contains(groupBy, d) {
			out = append(out, d)
		}
	}
	return out
}

// checkWholeMonths refuses a period that does not start on the first day of a month
// or end on the last: the portal publishes nothing finer than a month.
func checkWholeMonths(from, to *time.Time) error {
	if from != nil && from.Day() != 1 {
		first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		return apperr.Errorf(apperr.Invalid, "filter.from: %s is not the first day of a month; the portal publishes whole months only (use %s)",
			from.Format(time.DateOnly), first.Format(time.DateOnly))
	}
	if to != nil && !isLastOfMonth(*to) {
		last := time.Date(to.Year(), to.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		return apperr.Errorf(apperr.Invalid, "filter.to: %s is not the last day of a month; the portal publishes whole months only (use %s)",
			to.Format(time.DateOnly), last.Format(time.DateOnly))
	}
	return nil
}

func isLastOfMonth(t time.Time) bool { return t.AddDate(0, 0, 1).Day() == 1 }

// monthsBetween is the number of whole months from the first day of one month to the
// last day of another, both included.
func monthsBetween(start, end time.Time) int {
	return (end.Year()-start.Year())*12 + int(end.Month()-start.Month()) + 1
}
