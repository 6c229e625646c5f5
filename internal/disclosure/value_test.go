package disclosure

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestValue(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	count := func(n int64) Measure { return p.Count(n, 12345) }
	withheld := "withheld: fewer than 6 decisions or 3 exporters in this cell, or one exporter makes up more than 85 % of it"
	tests := []struct {
		name       string
		cell       ValueCell
		wantStatus Status
		wantValue  float64 // checked when published and not -1
		wantNote   string  // a part of the note; "" wants no note
	}{
		{name: "two contributors withheld", cell: ValueCell{Published: 9e5, Count: count(20), Total: 1e6, Contributors: 2, Largest: 6e5, Decisions: 20},
			wantStatus: Confidential, wantNote: withheld},
		{name: "three contributors published, the perturbed sum rounded", cell: ValueCell{Published: 1234567, Count: count(20), Total: 1e6, Contributors: 3, Largest: 4e5, Decisions: 20},
			wantStatus: Perturbed, wantValue: 1230000},
		{name: "exactly 85 % published", cell: ValueCell{Published: 1e6, Count: count(20), Total: 1e6, Contributors: 3, Largest: 850000, Decisions: 20},
			wantStatus: Perturbed, wantValue: 1e6},
		{name: "85.01 % withheld, with the same note", cell: ValueCell{Published: 1e6, Count: count(20), Total: 1e6, Contributors: 3, Largest: 850100, Decisions: 20},
			wantStatus: Confidential, wantNote: withheld},
		{name: "few decisions withheld, with the same note", cell: ValueCell{Published: 1e6, Count: Measure{Value: ptr(5.0), Status: Perturbed}, Total: 1e6, Contributors: 5, Largest: 2e5, Decisions: 5},
			wantStatus: Confidential, wantNote: withheld},
		{name: "a withheld count withholds the value", cell: ValueCell{Published: 1e6, Count: Measure{Status: Confidential}, Total: 1e6, Contributors: 5, Largest: 2e5, Decisions: 9},
			wantStatus: Confidential, wantNote: withheld},
		{name: "zero total published as 0", cell: ValueCell{Count: count(20), Decisions: 20}, wantStatus: Perturbed, wantValue: 0},
		{name: "an empty cell withheld like a small one", cell: ValueCell{Count: count(0)}, wantStatus: Confidential, wantNote: withheld},
		{name: "a small cell of unknown values withheld like any small one", cell: ValueCell{Count: count(2), Decisions: 2, Unknown: 2},
			wantStatus: Confidential, wantNote: withheld},
		{name: "tiny positive total rounds up to one unit", cell: ValueCell{Published: 300, Count: count(20), Total: 300, Contributors: 3, Largest: 100, Decisions: 20},
			wantStatus: Perturbed, wantValue: 1000},
		{name: "contributors without a total withheld", cell: ValueCell{Count: count(20), Contributors: 3, Decisions: 20},
			wantStatus: Confidential, wantNote: withheld},
		{name: "no value known: none published", cell: ValueCell{Count: count(9), Decisions: 9, Unknown: 9, UnknownKey: 3},
			wantStatus: NotApplicable, wantNote: "no decision in this cell has a known value"},
		{name: "some values unknown: said in the note", cell: ValueCell{Published: 2e6, Count: count(20), Total: 2e6, Contributors: 4, Largest: 6e5, Decisions: 20, Unknown: 9, UnknownKey: 3},
			wantStatus: Perturbed, wantValue: 2e6, wantNote: "decisions in this cell (perturbed count) have no value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := p.Value(tt.cell)
			if m.Status != tt.wantStatus || (m.Value == nil) != (tt.wantStatus != Perturbed) {
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

// TestDecisionValue: every decision's value moves by 25 to 45 % of itself, up or down
// as its key says, the same on every call; so the best estimate of one decision's
// value from published sums is off by at least 25 %.
func TestDecisionValue(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	rng := rand.New(rand.NewPCG(5, 6))
	up, errs := 0, make([]float64, 0, 20000)
	for range 20000 {
		cents, key := 1+rng.Int64N(1e13), rng.Uint32()
		v := p.DecisionValue(cents, key)
		share := math.Abs(float64(v-cents)) / float64(cents)
		if share < 0.25-1e-9-1/float64(cents) || share > 0.45+1e-9+1/float64(cents) || v != p.DecisionValue(cents, key) {
			t.Fatalf("DecisionValue(%d, %d) = %d: moves by %.4f, want 0.25 to 0.45 and the same each time", cents, key, v, share)
		}
		if v > cents {
			up++
		}
		errs = append(errs, share)
	}
	if up < 9500 || up > 10500 {
		t.Errorf("%d of 20000 values moved up, want about half", up)
	}
	slices.Sort(errs)
	if median := errs[len(errs)/2]; median < 0.33 || median > 0.37 {
		t.Errorf("median relative change %.3f, want about 0.35", median)
	}
	if p.DecisionValue(0, 7) != 0 {
		t.Errorf("a value of 0 must stay 0")
	}
}

// significantDigits counts the digits of an integer v without its trailing zeros.
func significantDigits(v float64) int {
	return len(strings.TrimRight(strconv.FormatFloat(v, 'f', 0, 64), "0"))
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
