package disclosure

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCount(t *testing.T) {
	tests := []struct {
		name string
		d    int
	}{
		{name: "D=1", d: 1},
		{name: "D=2", d: 2},
		{name: "D=3", d: 3},
		{name: "D=5", d: 5},
		{name: "D=10", d: 10},
	}
	keys := append(evenKeys(10007), 0, 1, math.MaxUint32)
	counts := []int64{0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 25, 1e9}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustNew(t, withNoise(tt.d))
			for _, n := range counts {
				seen := map[float64]bool{}
				for _, k := range keys {
					seen[checkCount(t, p, n, k)] = true
				}
				want := min(n, int64(tt.d)) + int64(tt.d) + 1 // every noise of the row occurs
				if n == 0 {
					want = 1
				}
				if len(seen) != int(want) {
					t.Fatalf("count %d: %d distinct published counts, want %d", n, len(seen), want)
				}
			}
		})
	}
}

// checkCount checks one published count and returns its value.
func checkCount(t *testing.T, p *Protector, n int64, k uint32) float64 {
	t.Helper()
	m := p.Count(n, k)
	if m.Value == nil || m.Status != Perturbed || m.Note != nil {
		t.Fatalf("Count(%d, %d) = %+v, want a perturbed value without note", n, k, m)
	}
	v := *m.Value
	switch {
	case n == 0 && v != 0:
		t.Fatalf("Count(0, %d) = %g, want 0", k, v)
	case v < 0 || math.Abs(v-float64(n)) > float64(p.Policy().MaxNoise):
		t.Fatalf("Count(%d, %d) = %g, out of bounds", n, k, v)
	case *p.Count(n, k).Value != v:
		t.Fatalf("Count(%d, %d) is not deterministic", n, k)
	}
	return v
}

// Counts below 3 are withheld, empty cells included, so that a published figure never
// tells an empty cell from a small one; every count of 5 or more is published.
func TestSmallCountsWithheld(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	for _, k := range evenKeys(1000) {
		for n := int64(0); n <= 6; n++ {
			m := p.Count(n, k)
			raw := *mustNew(t, withNoise(2)).Count(n, k).Value
			switch {
			case raw < 3 && (m.Value != nil || m.Status != Confidential || m.Note == nil || *m.Note != "withheld: fewer than 3 (perturbed count)"):
				t.Fatalf("Count(%d, %d) = %+v: the perturbed count %g is below 3, want it withheld with its note", n, k, m, raw)
			case raw >= 3 && (m.Value == nil || *m.Value != raw):
				t.Fatalf("Count(%d, %d) = %+v, want the perturbed count %g", n, k, m, raw)
			case n >= 5 && m.Value == nil:
				t.Fatalf("Count(%d, %d) withheld: a count of 5 or more is always published", n, k)
			}
		}
	}
	sum := p.SumCounts(p.Count(100, 1), p.Count(1, 2), Measure{Status: Confidential})
	if sum.Value == nil || *sum.Value < 98 || *sum.Value > 102 || sum.Note == nil {
		t.Errorf("SumCounts = %+v: want the published part only, with a note", sum)
	}
	if s := p.SumCounts(Measure{Status: Confidential}, Measure{Status: Confidential}); s.Value != nil {
		t.Errorf("a sum of withheld parts is %+v, want it withheld", s)
	}
}

func TestCountNegativeIsZero(t *testing.T) {
	p := mustNew(t, withNoise(2))
	for _, k := range []uint32{0, 12345, math.MaxUint32} {
		if got := *p.Count(-4, k).Value; got != 0 {
			t.Fatalf("Count(-4, %d) = %g, want 0", k, got)
		}
	}
}

// TestDifferencing plays the attack that defeats plain suppression: a group whose
// one cell is a single exporter's decisions, where the attacker takes the group's
// published total minus the other published cells to recover that cell.
func TestDifferencing(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	rng := rand.New(rand.NewPCG(1, 2))
	const trials = 1000
	missed := 0
	for range trials {
		target := 1 + rng.Int64N(4)
		others := make([]int64, 2+rng.IntN(5))
		for i := range others {
			others[i] = rng.Int64N(31)
		}
		if differenced(p, rng, target, others) != target {
			missed++
		}
	}
	if missed <= trials/2 {
		t.Fatalf("differencing recovered the single-exporter cell in %d of %d trials", trials-missed, trials)
	}
	t.Logf("differencing missed the single-exporter cell in %d of %d trials", missed, trials)
}

// differenced publishes a group of cells (target first) the way the portal would and
// returns the attacker's estimate of the target: published total minus published others.
func differenced(p *Protector, rng *rand.Rand, target int64, others []int64) int64 {
	cellKey := func(n int64) uint32 {
		var k uint32
		for range n {
			k += rng.Uint32()
		}
		return k
	}
	total, totalKey := target, cellKey(target)
	var othersPublished float64
	for _, n := range others {
		k := cellKey(n)
		total, totalKey = total+n, totalKey+k
		othersPublished += orZero(p.Count(n, k))
	}
	return int64(orZero(p.Count(total, totalKey)) - othersPublished)
}

// orZero is the attacker's reading of a published count: a withheld one as 0.
func orZero(m Measure) float64 {
	if m.Value == nil {
		return 0
	}
	return *m.Value
}
