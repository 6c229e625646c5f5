package disclosure

import "testing"

func TestDifference(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	v := func(x float64) Measure { return perturbed(x) }
	tests := []struct {
		name   string
		a, b   Measure
		want   *float64
		status Status
	}{
		{name: "counts", a: v(12), b: v(9), want: ptr(3.0), status: Perturbed},
		{name: "a fall", a: v(4), b: v(10), want: ptr(-6.0), status: Perturbed},
		{name: "rates, rounded", a: v(0.1234), b: v(0.1), want: ptr(0.0234), status: Perturbed},
		{name: "withheld first", a: withheld("x"), b: v(3), status: Confidential},
		{name: "withheld second", a: v(3), b: withheld("x"), status: Confidential},
		{name: "no previous figure", a: v(3), b: NotApplicableMeasure("outside the release"), status: NotApplicable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Difference(tt.a, tt.b)
			if got.Status != tt.status || (tt.want == nil) != (got.Value == nil) || (tt.want != nil && *got.Value != *tt.want) || got.Note == nil {
				t.Errorf("Difference = %+v (value %v), want %v %s with a note", got, got.Value, tt.want, tt.status)
			}
		})
	}
}
