package db

import (
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/dualuse-transparency/portal/internal/apperr"
)

// The data layer's enums are GraphQL enums too, bound by gqlgen; these methods read
// and write them, refusing any value that is not one of theirs.

func writeEnum(w io.Writer, s string) { _, _ = io.WriteString(w, strconv.Quote(s)) }

func readEnum[T ~string](v any, dst *T, allowed []T) error {
	s, _ := v.(string)
	if !slices.Contains(allowed, T(s)) {
		return apperr.Errorf(apperr.Invalid, "%s is not one of %v", apperr.Quote(v), allowed)
	}
	*dst = T(s)
	return nil
}

var (
	dimensions      = slices.Sorted(maps.Keys(dimensionSQL))
	orderFields     = append(slices.Sorted(maps.Keys(measureOf)), toOrderFields(dimensions)...)
	directions      = []OrderDirection{Ascending, Descending}
	levels          = []DenialsLevel{LevelCountry, LevelRegion, LevelSubRegion}
	denialsOrderBys = []DenialsOrderField{ByDenials, ByApplications, ByRate, ByChange, ByName}
)

func toOrderFields(ds []Dimension) []StatisticsOrderField {
	out := make([]StatisticsOrderField, len(ds))
	for i, d := range ds {
		out[i] = StatisticsOrderField(d)
	}
	return out
}

// MarshalGQL writes the enum value.
func (d Dimension) MarshalGQL(w io.Writer) { writeEnum(w, string(d)) }

// UnmarshalGQL reads the enum value.
func (d *Dimension) UnmarshalGQL(v any) error { return readEnum(v, d, dimensions) }

// MarshalGQL writes the enum value.
func (f StatisticsOrderField) MarshalGQL(w io.Writer) { writeEnum(w, string(f)) }

// UnmarshalGQL reads the enum value: a dimension or a measure.
func (f *StatisticsOrderField) UnmarshalGQL(v any) error { return readEnum(v, f, orderFields) }

// MarshalGQL writes the enum value.
func (d OrderDirection) MarshalGQL(w io.Writer) { writeEnum(w, string(d)) }

// UnmarshalGQL reads the enum value.
func (d *OrderDirection) UnmarshalGQL(v any) error { return readEnum(v, d, directions) }

// MarshalGQL writes the enum value.
func (l DenialsLevel) MarshalGQL(w io.Writer) { writeEnum(w, string(l)) }

// UnmarshalGQL reads the enum value.
func (l *DenialsLevel) UnmarshalGQL(v any) error { return readEnum(v, l, levels) }

// MarshalGQL writes the enum value.
func (f DenialsOrderField) MarshalGQL(w io.Writer) { writeEnum(w, string(f)) }

// UnmarshalGQL reads the enum value.
func (f *DenialsOrderField) UnmarshalGQL(v any) error { return readEnum(v, f, denialsOrderBys) }

var (
	statuses    = []NotificationStatus{Pending, Listed, Objected, Withdrawn}
	origins     = []ListOrigin{AnnexI, CatchAll}
	changeKinds = []ListChangeKind{Added, Amended, Removed}
)

// MarshalGQL writes the enum value.
func (s NotificationStatus) MarshalGQL(w io.Writer) { writeEnum(w, string(s)) }

// UnmarshalGQL reads the enum value.
func (s *NotificationStatus) UnmarshalGQL(v any) error { return readEnum(v, s, statuses) }

// MarshalGQL writes the enum value.
func (o ListOrigin) MarshalGQL(w io.Writer) { writeEnum(w, string(o)) }

// UnmarshalGQL reads the enum value.
func (o *ListOrigin) UnmarshalGQL(v any) error { return readEnum(v, o, origins) }

// MarshalGQL writes the enum value.
func (k ListChangeKind) MarshalGQL(w io.Writer) { writeEnum(w, string(k)) }

// UnmarshalGQL reads the enum value.
func (k *ListChangeKind) UnmarshalGQL(v any) error { return readEnum(v, k, changeKinds) }

var (
	headlineKinds  = []HeadlineKind{Computed, OfficialFig}
	changeSections = []ChangeSection{OfficialFigureChange, HeadlineChange, ListItemChange}
)

// MarshalGQL writes the enum value.
func (k HeadlineKind) MarshalGQL(w io.Writer) { writeEnum(w, string(k)) }

// UnmarshalGQL reads the enum value.
func (k *HeadlineKind) UnmarshalGQL(v any) error { return readEnum(v, k, headlineKinds) }

// MarshalGQL writes the enum value.
func (s ChangeSection) MarshalGQL(w io.Writer) { writeEnum(w, string(s)) }

// UnmarshalGQL reads the enum value.
func (s *ChangeSection) UnmarshalGQL(v any) error { return readEnum(v, s, changeSections) }
