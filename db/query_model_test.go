package db

import (
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/codes"
)

func TestCheckQueryModel(t *testing.T) {
	day := func(s string) *time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return &d
	}
	tests := []struct {
		name    string
		groupBy []Dimension
		filter  StatisticsFilter
		wantErr bool
	}{
		{name: "whole months", filter: StatisticsFilter{From: day("2022-03-01"), To: day("2022-05-31")}},
		{name: "a leap February", filter: StatisticsFilter{From: day("2024-02-01"), To: day("2024-02-29")}},
		{name: "one day", filter: StatisticsFilter{From: day("2022-03-15"), To: day("2022-03-15")}, wantErr: true},
		{name: "from mid-month", filter: StatisticsFilter{From: day("2022-03-02")}, wantErr: true},
		{name: "to mid-month", filter: StatisticsFilter{To: day("2022-02-28"), From: day("2021-01-01")}},
		{name: "to a day before the month's end", filter: StatisticsFilter{To: day("2024-02-28")}, wantErr: true},
		{name: "three fine dimensions", groupBy: []Dimension{DimMemberState, DimDestination, DimControlEntry}},
		{name: "coarse ones do not count", groupBy: []Dimension{DimYear, DimQuarter, DimOutcome, DimMemberState, DimDestinationRegion,
			DimControlCategory, DimCyberSurveillance, DimCatchAll, DimDestination, DimLicenceType}},
		{name: "four fine dimensions", groupBy: []Dimension{DimMemberState, DimDestination, DimControlEntry, DimLicenceType}, wantErr: true},
		{name: "a filter fixes a fine dimension", groupBy: []Dimension{DimMemberState, DimDestination, DimControlEntry},
			filter: StatisticsFilter{EndUserTypes: []codes.EndUserType{"MILITARY"}}, wantErr: true},
		{name: "a filter on a grouped dimension counts once", groupBy: []Dimension{DimMemberState, DimDestination, DimControlEntry},
			filter: StatisticsFilter{Destinations: []string{"EG"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkQueryModel(tt.groupBy, tt.filter)
			if (err != nil) != tt.wantErr || err != nil && apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("checkQueryModel(%v, %+v) = %v, want an Invalid error: %v", tt.groupBy, tt.filter, err, tt.wantErr)
			}
		})
	}
}
