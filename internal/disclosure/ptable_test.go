package disclosure

import (
	"math"
	"testing"
)

func mustNew(t *testing.T, p Policy) *Protector {
	t.Helper()
	pr, err := New(p)
	if err != nil {
		t.Fatalf("New(%+v): %v", p, err)
	}
	return pr
}

// withNoise is the default policy with noise D and no counts withheld, to see the
// perturbation of every count.
func withNoise(d int) Policy {
	p := DefaultPolicy()
	p.MaxNoise, p.MinCount = d, 0
	return p
}

// evenKeys returns n cell keys spread evenly over the whole uint32 range.
func evenKeys(n int) []uint32 {
	keys := make([]uint32, n)
	for i := range keys {
		keys[i] = uint32(uint64(i) * twoTo32 / uint64(n))
	}
	return keys
}

func TestPTableProperties(t *testing.T) {
	tests := []struct {
		name string
		d    int
	}{
		{name: "D=1", d: 1},
		{name: "D=2", d: 2},
		{name: "D=3", d: 3},
		{name: "D=5", d: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := mustNew(t, withNoise(tt.d)).PTable()
			if len(rows) != tt.d+1 {
				t.Fatalf("%d rows, want %d", len(rows), tt.d+1)
			}
			if r := rows[0].Noise; len(r) != 1 || r[0] != (NoiseProbability{Noise: 0, Probability: 1}) {
				t.Fatalf("row 0 = %v, want exactly {0: 1}", r)
			}
			for n, row := range rows {
				checkRow(t, row, n, tt.d)
			}
		})
	}
}

func checkRow(t *testing.T, row PTableRow, n, d int) {
	t.Helper()
	if row.Count != n || row.AndAbove != (n == d) {
		t.Fatalf("row %d: Count %d, AndAbove %v", n, row.Count, row.AndAbove)
	}
	var sum, mean float64
	for _, np := range row.Noise {
		if np.Noise < -n || np.Noise > d || np.Probability <= 0 {
			t.Fatalf("row %d: entry %+v out of range", n, np)
		}
		sum += np.Probability
		mean += float64(np.Noise) * np.Probability
	}
	if math.Abs(sum-1) > 1e-12 || math.Abs(mean) > 1e-12 {
		t.Fatalf("row %d: probabilities sum to %g, mean noise %g", n, sum, mean)
	}
}

func TestPTableForDefault(t *testing.T) {
	want := [][]NoiseProbability{
		{{0, 1}},
		{{-1, 4.0 / 13}, {0, 6.0 / 13}, {1, 2.0 / 13}, {2, 1.0 / 13}},
		{{-2, 1.0 / 9}, {-1, 2.0 / 9}, {0, 3.0 / 9}, {1, 2.0 / 9}, {2, 1.0 / 9}},
	}
	rows := mustNew(t, DefaultPolicy()).PTable()
	for n, row := range rows {
		if len(row.Noise) != len(want[n]) {
			t.Fatalf("row %d = %v, want %v", n, row.Noise, want[n])
		}
		for i, np := range row.Noise {
			if np.Noise != want[n][i].Noise || math.Abs(np.Probability-want[n][i].Probability) > 1e-15 {
				t.Fatalf("row %d = %v, want %v", n, row.Noise, want[n])
			}
		}
	}
}

func TestLookupMatchesTable(t *testing.T) {
	tests := []struct {
		name string
		d    int
	}{
		{name: "D=1", d: 1},
		{name: "D=2", d: 2},
		{name: "D=3", d: 3},
		{name: "D=5", d: 5},
	}
	keys := evenKeys(100000)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustNew(t, withNoise(tt.d))
			for _, row := range p.PTable() {
				checkLookup(t, p, row, int64(row.Count), keys)
				if row.AndAbove {
					checkLookup(t, p, row, int64(row.Count)+1000, keys)
				}
			}
		})
	}
}

// checkLookup checks that the noise of count n over keys has the row's frequencies.
func checkLookup(t *testing.T, p *Protector, row PTableRow, n int64, keys []uint32) {
	t.Helper()
	freq := map[int]float64{}
	var mean float64
	for _, k := range keys {
		v := int(*p.Count(n, k).Value - float64(n))
		freq[v] += 1 / float64(len(keys))
		mean += float64(v) / float64(len(keys))
	}
	if math.Abs(mean) > 0.01 {
		t.Fatalf("count %d: empirical mean noise %g", n, mean)
	}
	for _, np := range row.Noise {
		if math.Abs(freq[np.Noise]-np.Probability) > 0.01 {
			t.Fatalf("count %d noise %d: frequency %g, table %g", n, np.Noise, freq[np.Noise], np.Probability)
		}
		delete(freq, np.Noise)
	}
	if len(freq) != 0 {
		t.Fatalf("count %d: noises not in the table: %v", n, freq)
	}
}

func TestPTableIsACopy(t *testing.T) {
	p := mustNew(t, DefaultPolicy())
	p.PTable()[1].Noise[0].Probability = 7
	if got := p.PTable()[1].Noise[0].Probability; got == 7 {
		t.Fatal("changing PTable's answer changed the Protector's table")
	}
}
