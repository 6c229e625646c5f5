package db

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/disclosure"
)

// Counts are additive over the values of a filter and over the units of a period.
// A filter with several values (destinations EG and SA, say) or a period of several
// units (whole years, then whole months) is the sum of the protected counts of each
// value or unit, never a cell of its own: a cell of its own would draw fresh noise for
// every list, and averaging many lists that differ by one value recovers that value's
// exact count. A sum leaves out the parts whose count is withheld (below
// disclosure.Policy.MinCount), so that no way of adding parts up converges on the
// count of a small cell either.

// dimPeriodUnit is the unit of a period a decision falls in: its year, where the period
// covers the whole year, else its month (see dimensionSQL). Not a dimension users can
// ask for.
const dimPeriodUnit Dimension = "PERIOD_UNIT"

// additiveParts are the dimensions a table's counts are split by and then added up
// over, besides its own. It refuses several values for the per-entry filters, whose
// parts would count a decision on two of the values twice.
func additiveParts(groupBy []Dimension, f StatisticsFilter, r *Release) ([]Dimension, error) {
	switch {
	case len(f.ControlEntries) > 1:
		return nil, apperr.Errorf(apperr.Invalid, "filter.controlEntries: give one entry (it includes its sub-items), or group by CONTROL_ENTRY")
	case len(f.ControlCategories) > 1:
		return nil, apperr.Errorf(apperr.Invalid, "filter.controlCategories: give one category, or group by CONTROL_CATEGORY")
	case len(f.DenialGrounds) > 1:
		return nil, apperr.Errorf(apperr.Invalid, "filter.denialGrounds: give one ground, or group by DENIAL_GROUND")
	case len(f.DestinationRegions) > 1:
		return nil, apperr.Errorf(apperr.Invalid, "filter.destinationRegions: give one region or sub-region, or group by DESTINATION_REGION or DESTINATION_SUB_REGION")
	}
	lists := []struct {
		n   int
		dim Dimension
	}{
		{len(f.Years), DimYear}, {len(f.MemberStates), DimMemberState}, {len(f.Destinations), DimDestination},
		{len(f.LicenceTypes), DimLicenceType}, {len(f.Outcomes), DimOutcome}, {len(f.EndUserTypes), DimEndUserType},
		{len(f.CatchAlls), DimCatchAll}, {PeriodUnits(f, r), dimPeriodUnit},
	}
	var parts []Dimension
	for _, l := range lists {
		if l.n > 1 && !slices.Contains(groupBy, l.dim) {
			parts = append(parts, l.dim)
		}
	}
	return parts, nil
}

// PeriodUnits is how many units (whole years, then whole months) the filter's period
// falls into within the release; 0 without a period.
func PeriodUnits(f StatisticsFilter, r *Release) int {
	if f.From == nil && f.To == nil {
		return 0
	}
	from, to := derefOr(f.From, r.PeriodStart), derefOr(f.To, r.PeriodEnd)
	from, to = latest(from, r.PeriodStart), earliest(to, r.PeriodEnd)
	n := 0
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(to); {
		yearEnd := time.Date(m.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		if m.Month() == time.January && !yearEnd.After(to) && (f.From == nil || !m.Before(*f.From)) {
			m = yearEnd.AddDate(0, 0, 1)
		} else {
			m = m.AddDate(0, 1, 0)
		}
		n++
	}
	return n
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// additiveRows are the rows of a table whose counts are sums of parts: the counts of
// each part protected on its own and added up, parts below minPart left out, and the
// values of each row computed over the row as a whole.
func (db *DB) additiveRows(ctx context.Context, q StatisticsQuery, parts []Dimension) ([]cell, []countRow, error) {
	split := q
	split.GroupBy, split.countsOnly = append(slices.Clone(q.GroupBy), parts...), true
	partCells, err := db.statistics(ctx, split)
	if err != nil {
		return nil, nil, err
	}
	counts := map[string]*countRow{}
	var order []string
	n := len(q.GroupBy)
	for _, c := range partCells {
		k := joinKey(c.key[:n])
		row, ok := counts[k]
		if !ok {
			row = &countRow{key: c.key[:n]}
			counts[k] = row
			order = append(order, k)
		}
		row.applications = append(row.applications, db.protector.Count(c.applications, c.keyApplications))
		row.issued = append(row.issued, db.protector.Count(c.issued, c.keyIssued))
		row.denials = append(row.denials, db.protector.Count(c.denials, c.keyDenied))
	}
	out := make([]countRow, 0, len(order))
	for _, k := range order {
		out = append(out, *counts[k])
	}
	if q.countsOnly {
		return nil, out, nil
	}
	whole, err := db.statistics(ctx, q)
	return whole, out, err
}

// countRow is a row's counts: the protected counts of its parts.
type countRow struct {
	key                           []*string
	applications, issued, denials []disclosure.Measure
}

func joinKey(key []*string) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = derefOr(k, "\x00")
	}
	return strings.Join(parts, "\x1f")
}
