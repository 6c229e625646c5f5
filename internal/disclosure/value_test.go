package disclosure

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestValue(t *testing.T) {
	tests := []struct {
		name       string
		cell       ValueCell
		wantStatus Status
		wantValue  float64 // checked when published and not -1
		wantNote   string  // a part of the note; "" wants no note
	}{
		{name: "two contributors withheld", cell: ValueCell{Total: 1e6, Contributors: 2, Largest: 6e5, CellKey: 9},
			wantStatus: Confidential, wantNote: "fewer than 3 exporters"},
		{name: "three contributors published", cell: ValueCell{Total: 1e6, Contributors: 3, Largest: 4e5, CellKey: 9},
			wantStatus: Perturbed, wantValue: -1},
		{name: "exactly 85 % published", cell: ValueCell{Total: 1e6, Contributors: 3, Largest: 850000, CellKey: 9},
			wantStatus: Perturbed, wantValue: -1},
		{name: "exactly 85 % of a small total published", cell: ValueCell{Total: 200, Contributors: 3, Largest: 170},
			wantStatus: Perturbed, wantValue: 1000},
		{name: "85.01 % withheld", cell: ValueCell{Total: 1e6, Contributors: 3, Largest: 850100, CellKey: 9},
			wantStatus: Confidential, wantNote: "more than 85 % of this cell"},
		{name: "one exporter withheld", cell: ValueCell{Total: 5e6, Contributors: 1, Largest: 5e6},
			wantStatus: Confidential, wantNote: "fewer than 3 exporters"},
		{name: "zero total published as 0", cell: ValueCell{CellKey: 77},
			wantStatus: Perturbed, wantValue: 0},
		{name: "key 0 gives the lowest noise", cell: ValueCell{Total: 1e6, Contributors: 4, Largest: 4e5},
			wantStatus: Perturbed, wantValue: 960000},
		{name: "tiny positive total rounds up to one unit", cell: ValueCell{Total: 300, Contributors: 3, Largest: 100},
			wantStatus: Perturbed, wantValue: 1000},
		{name: "contributors without a total withheld", cell: ValueCell{Contributors: 3},
			wantStatus: Confidential, wantNote: "more than 85 %"},
	}
	p := mustNew(t, DefaultPolicy())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := p.Value(tt.cell)
			if m.Status != tt.wantStatus || (m.Value == nil) != (tt.wantStatus == Confidential) {
				t.Fatalf("Value(%+v) = %+v, want status %s", tt.cell, m, tt.wantStatus)
			}
			if m.Value != nil && tt.wantValue != -1 && *m.Value != tt.wantValue {
				t.Fatalf("Value(%+v) = %g, want %g", tt.cell, *m.Value, tt.wantValue)
			}
			if (m.Note == nil) != (tt.wantNote == "") || m.Note != nil && !strings.Contains(*m.Note, tt.wantNote) {
				t.Fatalf("Value(%+v) note = %v, want one containing %q", tt.cell, m.Note, tt.wantNote)
			}
		})
	}
}

// TestValueNoiseAndRounding checks published values of random cells: near the true
// total, rounded as the policy says, and the same on every call.
func TestValueNoiseAndRounding(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		c := randomCell(rng)
		m := p.Value(c)
		if m.Value == nil || m.Status != Perturbed {
			t.Fatalf("Value(%+v) = %+v, want published", c, m)
		}
		v := *m.Value
		noiseBound := 0.10 * c.Largest
		roundingBound := max(1000, 0.005*(c.Total+noiseBound))
		switch {
		case math.Abs(v-c.Total) > noiseBound+roundingBound:
			t.Fatalf("Value(%+v) = %g, too far from the total", c, v)
		case math.Mod(v, 1000) != 0 || significantDigits(v) > 3 || v < 1000:
			t.Fatalf("Value(%+v) = %g, not rounded to 3 figures and a positive multiple of 1000", c, v)
		case *p.Value(c).Value != v:
			t.Fatalf("Value(%+v) is not deterministic", c)
		}
	}
}

// randomCell returns a publishable cell with a total from 1 EUR to 10^10 EUR.
func randomCell(rng *rand.Rand) ValueCell {
	total := math.Pow(10, 10*rng.Float64())
	return ValueCell{
		Total:        total,
		Contributors: 3 + rng.IntN(20),
		Largest:      total * (1.0/3 + rng.Float64()*(0.85-1.0/3)),
		CellKey:      rng.Uint32(),
	}
}

// significantDigits counts the digits of an integer v without its trailing zeros.
func significantDigits(v float64) int {
	return len(strings.TrimRight(strconv.FormatFloat(v, 'f', 0, 64), "0"))
}

func TestValueNoiseIsNotTheCountDraw(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	cell := ValueCell{Total: 1e8, Contributors: 5, Largest: 3e7}
	var lowCountHighValue bool
	for _, k := range evenKeys(1000)[:100] { // u < 0.1: the keys whose count noise is -2
		cell.CellKey = k
		lowCountHighValue = lowCountHighValue || *p.Value(cell).Value > 1e8
	}
	if !lowCountHighValue {
		t.Fatal("the lowest count draws all give value noise below 0: the draws are the same")
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		name   string
		digits int
		unit   float64
		in     float64
		want   float64
	}{
		{name: "three figures", digits: 3, unit: 1000, in: 12345678, want: 12300000},
		{name: "unit coarser than three figures", digits: 3, unit: 1000, in: 45678, want: 46000},
		{name: "no double rounding", digits: 3, unit: 1000, in: 45499, want: 45000},
		{name: "carry to the next power", digits: 3, unit: 1000, in: 99950, want: 100000},
		{name: "just under a unit", digits: 3, unit: 1000, in: 999.6, want: 1000},
		{name: "positive never below a unit", digits: 3, unit: 1000, in: 1, want: 1000},
		{name: "zero", digits: 3, unit: 1000, in: 0, want: 0},
		{name: "negative is 0", digits: 3, unit: 1000, in: -5000, want: 0},
		{name: "exact power of ten", digits: 1, unit: 1, in: 1000, want: 1000},
		{name: "one figure", digits: 1, unit: 1, in: 1049, want: 1000},
		{name: "one figure below a power", digits: 1, unit: 1, in: 999.99, want: 1000},
		{name: "a large power of ten", digits: 1, unit: 1, in: 1e15, want: 1e15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := DefaultPolicy()
			pol.RoundingDigits, pol.RoundingUnit = tt.digits, tt.unit
			if got := mustNew(t, pol).round(tt.in); got != tt.want {
				t.Fatalf("round(%g) = %g, want %g", tt.in, got, tt.want)
			}
		})
	}
}

func TestSignificantStepAtPowersOfTen(t *testing.T) {
	for e := -5; e <= 20; e++ {
		x := math.Pow10(e)
		if got := significantStep(x, 1); got != x {
			t.Fatalf("significantStep(1e%d, 1) = %g, want %g", e, got, x)
		}
	}
}
