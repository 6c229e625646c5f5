package disclosure

import (
	"testing"
)

func TestRate(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	count := func(v float64) Measure { return perturbed(v) }
	tests := []struct {
		name       string
		num, den   Measure
		wantStatus Status
		wantValue  float64 // when a value is wanted
		wantNote   string
	}{
		{name: "withheld numerator", num: withheld("x"), den: count(10),
			wantStatus: Confidential, wantNote: "withheld because the numerator is withheld"},
		{name: "withheld denominator", num: count(3), den: withheld("x"),
			wantStatus: Confidential, wantNote: "withheld because the denominator is withheld"},
		{name: "both withheld", num: withheld("x"), den: withheld("y"),
			wantStatus: Confidential, wantNote: "withheld because the numerator is withheld"},
		{name: "zero denominator", num: count(0), den: count(0),
			wantStatus: NotApplicable, wantNote: "not applicable: the denominator is 0"},
		{name: "not applicable input", num: NotApplicableMeasure("n/a"), den: count(5),
			wantStatus: NotApplicable, wantNote: "not applicable: an input has no figure"},
		{name: "ordinary", num: count(3), den: count(7),
			wantStatus: Perturbed, wantValue: 0.4286, wantNote: "computed from perturbed counts"},
		{name: "zero numerator", num: count(0), den: count(7),
			wantStatus: Perturbed, wantValue: 0, wantNote: "computed from perturbed counts"},
		{name: "noise puts numerator above denominator", num: count(9), den: count(7),
			wantStatus: Perturbed, wantValue: 1, wantNote: "computed from perturbed counts"},
		{name: "official inputs", num: OfficialFigure(1, "BAFA"), den: OfficialFigure(3, "BAFA"),
			wantStatus: Perturbed, wantValue: 0.3333, wantNote: "computed from perturbed counts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := p.Rate(tt.num, tt.den)
			if m.Status != tt.wantStatus || m.Note == nil || *m.Note != tt.wantNote {
				t.Fatalf("Rate = %+v (note %v), want %s, %q", m, m.Note, tt.wantStatus, tt.wantNote)
			}
			if (m.Value != nil) != (tt.wantStatus == Perturbed) || m.Value != nil && *m.Value != tt.wantValue {
				t.Fatalf("Rate value = %v, want %g", m.Value, tt.wantValue)
			}
		})
	}
}
