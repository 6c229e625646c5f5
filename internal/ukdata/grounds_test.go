package ukdata

import (
	"slices"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/codes"
)

func TestGrounds(t *testing.T) {
	tests := []struct {
		name      string
		criteria  []int
		catchAlls []codes.CatchAll
		want      string
	}{
		{"one criterion", []int{1}, nil, "CRITERION_1"},
		{"several criteria", []int{2, 3, 7}, nil, "CRITERION_2;CRITERION_3;CRITERION_7"},
		{"WMD end-use control", []int{1}, []codes.CatchAll{"WMD"}, "WMD;CRITERION_1"},
		{"end-use control without a criterion", nil, []codes.CatchAll{"WMD"}, "WMD"},
		{"both end-use controls", []int{5}, []codes.CatchAll{"MILITARY_END_USE", "WMD", "WMD"}, "WMD;MILITARY_END_USE;CRITERION_5"},
		{"nothing", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := showGrounds(grounds(tt.criteria, tt.catchAlls)); got != tt.want {
				t.Errorf("grounds(%v, %v) = %q, want %q", tt.criteria, tt.catchAlls, got, tt.want)
			}
		})
	}
}

func TestCriterionGroundsAreCodes(t *testing.T) {
	for n, g := range criterionGrounds {
		if !slices.Contains(codes.DenialGrounds, g) {
			t.Errorf("criterion %d maps to %s, not a denial ground", n, g)
		}
	}
}

func TestReadCriteria(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string][]int
		wantErr  string
	}{
		{"header of 2008-2023", "licence_group,criteria,description\n53,1,x\n418,7,x\n418,2,x\n", map[string][]int{"53": {1}, "418": {2, 7}}, ""},
		{"header from 2023", "licence_cohort_id,criterion,description\n59,1,x\n", map[string][]int{"59": {1}}, ""},
		{"a criterion given twice", "licence_group,criteria,description\n597,1,x\n597,1,x\n", map[string][]int{"597": {1}}, ""},
		{"no criterion 9", "licence_group,criteria,description\n1,9,x\n", nil, `criteria.csv:2: criteria: "9" is not a criterion 1 to 8`},
		{"a column missing", "licence_group,description\n1,x\n", nil, `no column "criteria"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readCriteria(strings.NewReader(tt.in), "criteria.csv")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || len(got) != len(tt.want) {
				t.Fatalf("readCriteria = %v, %v; want %v", got, err, tt.want)
			}
			for g, cs := range tt.want {
				if !slices.Equal(got[g], cs) {
					t.Errorf("group %s: %v, want %v", g, got[g], cs)
				}
			}
		})
	}
}

func showGrounds(gs []codes.DenialGround) string {
	s := make([]string, len(gs))
	for i, g := range gs {
		s[i] = string(g)
	}
	return strings.Join(s, ";")
}
