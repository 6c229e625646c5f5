package main

import (
	"math"
	"testing"
)

func TestCombine(t *testing.T) {
	tests := []struct {
		name     string
		es       []estimate
		wantMean float64
		wantSE   float64 // -1: infinite
		wantN    int
	}{
		{name: "none", wantMean: 0, wantSE: -1, wantN: 0},
		{name: "one", es: []estimate{{"a", 3, 1}}, wantMean: 3, wantSE: -1, wantN: 1},
		{name: "equal weights", es: []estimate{{"a", 1, 1}, {"b", 3, 1}}, wantMean: 2, wantSE: 1, wantN: 2},
		{name: "weighted", es: []estimate{{"a", 0, 3}, {"b", 4, 1}}, wantMean: 1, wantSE: math.Sqrt((9*1+1*9)*2.0) / 4, wantN: 2},
		{name: "a family of equal estimates counts once", es: []estimate{{"list", 2, 1}, {"list", 2, 1}, {"list", 2, 1}, {"direct", 4, 1}},
			wantMean: 3, wantSE: 1, wantN: 2},
		{name: "a family that varies counts in full", es: []estimate{{"list", 1, 1}, {"list", 3, 1}, {"list", 2, 1}},
			wantMean: 2, wantSE: math.Sqrt(2.0*3/2) / 3, wantN: 3},
		{name: "the collapsed family keeps its largest weight", es: []estimate{{"x", 5, 0.5}, {"x", 5, 2}, {"y", 0, 2}},
			wantMean: 2.5, wantSE: 2.5, wantN: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mean, se, n := combine(tt.es)
			if math.Abs(mean-tt.wantMean) > 1e-9 || n != tt.wantN {
				t.Fatalf("combine = %g, %g, %d; want %g, _, %d", mean, se, n, tt.wantMean, tt.wantN)
			}
			if tt.wantSE < 0 && !math.IsInf(se, 1) || tt.wantSE >= 0 && math.Abs(se-tt.wantSE) > 1e-9 {
				t.Fatalf("combine: se = %g, want %g", se, tt.wantSE)
			}
		})
	}
}

func TestSettled(t *testing.T) {
	tests := []struct {
		name     string
		mean, se float64
		n, minN  int
		want     bool
	}{
		{name: "near an integer, small error", mean: 2.05, se: 0.1, n: 30, minN: 20, want: true},
		{name: "too few estimates", mean: 2.05, se: 0.1, n: 10, minN: 20, want: false},
		{name: "near the boundary", mean: 2.45, se: 0.1, n: 30, minN: 20, want: false},
		{name: "error too large", mean: 2, se: 0.2, n: 30, minN: 20, want: false},
		{name: "infinite error", mean: 2, se: math.Inf(1), n: 30, minN: 20, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := settled(tt.mean, tt.se, tt.n, tt.minN); got != tt.want {
				t.Fatalf("settled(%g, %g, %d, %d) = %v, want %v", tt.mean, tt.se, tt.n, tt.minN, got, tt.want)
			}
		})
	}
}

func TestRoundCount(t *testing.T) {
	tests := []struct {
		name string
		in   float64
		want int
	}{
		{name: "rounds", in: 2.4, want: 2},
		{name: "half up", in: 2.5, want: 3},
		{name: "negative is 0", in: -0.7, want: 0},
		{name: "NaN is 0", in: math.NaN(), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := roundCount(tt.in); got != tt.want {
				t.Fatalf("roundCount(%g) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		xs   []float64
		want float64
	}{
		{name: "empty", want: 0},
		{name: "odd", xs: []float64{3, 1, 2}, want: 2},
		{name: "even", xs: []float64{4, 1, 3, 2}, want: 2.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(tt.xs); got != tt.want {
				t.Fatalf("median(%v) = %g, want %g", tt.xs, got, tt.want)
			}
		})
	}
}

func TestRobustMean(t *testing.T) {
	tests := []struct {
		name   string
		es     []estimate
		want   float64
		wantOK bool
	}{
		{name: "none", wantOK: false},
		{name: "weighted", es: []estimate{{"a", 10, 1}, {"a", 14, 1}, {"a", 12, 2}}, want: 12, wantOK: true},
		{name: "an outlier dropped", es: []estimate{{"a", 100, 1}, {"a", 102, 1}, {"a", 98, 1}, {"a", 101, 1}, {"a", 5000, 1}}, want: 100.25, wantOK: true},
		{name: "all equal", es: []estimate{{"a", 7, 1}, {"a", 7, 3}}, want: 7, wantOK: true},
		{name: "one of each", es: []estimate{{"a", 7, 1}, {"a", 7, 1}, {"a", 9, 1}}, want: 7, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := robustMean(tt.es)
			if ok != tt.wantOK || math.Abs(got-tt.want) > 1e-9 {
				t.Fatalf("robustMean = %g, %v; want %g, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestRelError(t *testing.T) {
	tests := []struct {
		name       string
		est, truth float64
		ok         bool
		want       float64
	}{
		{name: "exact", est: 100, truth: 100, ok: true, want: 0},
		{name: "over", est: 125, truth: 100, ok: true, want: 0.25},
		{name: "under", est: 80, truth: 100, ok: true, want: 0.2},
		{name: "no estimate", truth: 100, ok: false, want: 1},
		{name: "zero truth", est: 5, truth: 0, ok: true, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := relError(tt.est, tt.ok, tt.truth); math.Abs(got-tt.want) > 1e-12 {
				t.Fatalf("relError = %g, want %g", got, tt.want)
			}
		})
	}
}

func TestWilson(t *testing.T) {
	tests := []struct {
		name   string
		k, n   int
		lo, hi float64
	}{
		{name: "no trials", k: 0, n: 0, lo: 0, hi: 1},
		{name: "half of 100", k: 50, n: 100, lo: 0.4038, hi: 0.5962},
		{name: "all of 10", k: 10, n: 10, lo: 0.7225, hi: 1},
		{name: "none of 10", k: 0, n: 10, lo: 0, hi: 0.2775},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := wilson(tt.k, tt.n, 1.96)
			if math.Abs(lo-tt.lo) > 1e-3 || math.Abs(hi-tt.hi) > 1e-3 {
				t.Fatalf("wilson(%d, %d) = %.4f, %.4f; want %.4f, %.4f", tt.k, tt.n, lo, hi, tt.lo, tt.hi)
			}
		})
	}
}

func TestPAbove(t *testing.T) {
	tests := []struct {
		name string
		k, n int
		p0   float64
		want float64
	}{
		{name: "four of four at a half", k: 4, n: 4, p0: 0.5, want: 0.0625},
		{name: "nine of ten at 0.8", k: 9, n: 10, p0: 0.8, want: 0.3758},
		{name: "none needed", k: 0, n: 10, p0: 0.5, want: 1},
		{name: "more than the trials", k: 11, n: 10, p0: 0.5, want: 0},
		{name: "rate 1", k: 10, n: 10, p0: 1, want: 1},
		{name: "rate 0, one success", k: 1, n: 10, p0: 0, want: 0},
		{name: "60 of 100 at a half", k: 60, n: 100, p0: 0.5, want: 0.0284},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pAbove(tt.k, tt.n, tt.p0); math.Abs(got-tt.want) > 1e-4 {
				t.Fatalf("pAbove(%d, %d, %g) = %.5f, want %.4f", tt.k, tt.n, tt.p0, got, tt.want)
			}
		})
	}
}

func TestBestConstant(t *testing.T) {
	tests := []struct {
		name   string
		yes, n int
		want   float64
	}{
		{name: "mostly no", yes: 17, n: 100, want: 0.83},
		{name: "mostly yes", yes: 70, n: 100, want: 0.7},
		{name: "balanced", yes: 5, n: 10, want: 0.5},
		{name: "none", yes: 0, n: 0, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bestConstant(tt.yes, tt.n); math.Abs(got-tt.want) > 1e-12 {
				t.Fatalf("bestConstant(%d, %d) = %g, want %g", tt.yes, tt.n, got, tt.want)
			}
		})
	}
}
