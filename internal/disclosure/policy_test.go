package disclosure

import (
	"math"
	"testing"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Policy)
		wantErr bool
	}{
		{name: "default", change: func(*Policy) {}},
		{name: "noise 10", change: func(p *Policy) { p.MaxNoise = 10 }},
		{name: "noise 0", change: func(p *Policy) { p.MaxNoise = 0 }, wantErr: true},
		{name: "noise 11", change: func(p *Policy) { p.MaxNoise = 11 }, wantErr: true},
		{name: "no contributors", change: func(p *Policy) { p.MinContributors = 0 }, wantErr: true},
		{name: "dominance 1", change: func(p *Policy) { p.DominanceShare = 1 }},
		{name: "dominance 0", change: func(p *Policy) { p.DominanceShare = 0 }, wantErr: true},
		{name: "dominance above 1", change: func(p *Policy) { p.DominanceShare = 1.01 }, wantErr: true},
		{name: "dominance NaN", change: func(p *Policy) { p.DominanceShare = math.NaN() }, wantErr: true},
		{name: "no value noise", change: func(p *Policy) { p.ValueNoiseMin, p.ValueNoiseMax = 0, 0 }},
		{name: "value noise negative", change: func(p *Policy) { p.ValueNoiseMin = -0.1 }, wantErr: true},
		{name: "value noise min above max", change: func(p *Policy) { p.ValueNoiseMin = 0.5 }, wantErr: true},
		{name: "value noise of the whole value", change: func(p *Policy) { p.ValueNoiseMax = 1 }, wantErr: true},
		{name: "no decisions needed", change: func(p *Policy) { p.MinValueDecisions = 0 }, wantErr: true},
		{name: "digits 0", change: func(p *Policy) { p.RoundingDigits = 0 }, wantErr: true},
		{name: "unit 0", change: func(p *Policy) { p.RoundingUnit = 0 }, wantErr: true},
		{name: "unit negative", change: func(p *Policy) { p.RoundingUnit = -1000 }, wantErr: true},
		{name: "unit infinite", change: func(p *Policy) { p.RoundingUnit = math.Inf(1) }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			tt.change(&p)
			if err := p.Validate(); (err != nil) != tt.wantErr {
				t.Fatalf("Validate(%+v) = %v, want error %v", p, err, tt.wantErr)
			}
			if pr, err := New(p); (err != nil) != tt.wantErr || (pr == nil) != tt.wantErr {
				t.Fatalf("New(%+v) = %v, %v; want error %v", p, pr, err, tt.wantErr)
			}
		})
	}
}
