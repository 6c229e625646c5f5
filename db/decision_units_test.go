package db

import (
	"slices"
	"testing"
)

func TestMarkUnits(t *testing.T) {
	tests := []struct {
		name  string
		lines []unitLine
		want  []lineUnits
	}{
		{
			name:  "one line carries every unit",
			lines: []unitLine{{category: 5}},
			want:  []lineUnits{{decision: true, category: true, cyber: true}},
		},
		{
			name:  "two lines of one category: the first counts",
			lines: []unitLine{{category: 5}, {category: 5}},
			want:  []lineUnits{{decision: true, category: true, cyber: true}, {}},
		},
		{
			name:  "two categories: each counts in its own",
			lines: []unitLine{{category: 5}, {category: 3}, {category: 5}},
			want:  []lineUnits{{decision: true, category: true, cyber: true}, {category: true}, {}},
		},
		{
			name:  "cyber and not: each flag value counts once",
			lines: []unitLine{{category: 5}, {category: 5, cyber: true}, {category: 4, cyber: true}},
			want:  []lineUnits{{decision: true, category: true, cyber: true}, {cyber: true}, {category: true}},
		},
		{
			name:  "an unknown value marks the decision and its own category and flag only",
			lines: []unitLine{{category: 5}, {category: 3, unknown: true}},
			want: []lineUnits{
				{decision: true, category: true, cyber: true, unknownDecision: true, unknownCyber: true},
				{category: true, unknownDecision: true, unknownCategory: true, unknownCyber: true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := markUnits(tt.lines); !slices.Equal(got, tt.want) {
				t.Errorf("markUnits(%+v)\n got %+v\nwant %+v", tt.lines, got, tt.want)
			}
		})
	}
}
