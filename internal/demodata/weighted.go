package demodata

import (
	"math/rand/v2"
	"slices"
)

// choice is an item of a weighted table. Weights are relative (often percentages).
type choice[T any] struct {
	v T
	w float64
}

// weighted picks items in proportion to their weights with one uniform draw and a
// binary search, so each pick consumes the same randomness whatever it picks: the
// output depends only on the seed.
type weighted[T any] struct {
	items []T
	cum   []float64 // cumulative weights, ending at 1
}

// newWeighted drops items of weight zero, so they can never be picked.
func newWeighted[T any](choices []choice[T]) weighted[T] {
	var w weighted[T]
	total := 0.0
	for _, c := range choices {
		if c.w > 0 {
			total += c.w
			w.items = append(w.items, c.v)
			w.cum = append(w.cum, total)
		}
	}
	for i := range w.cum {
		w.cum[i] /= total
	}
	return w
}

func (w weighted[T]) pick(r *rand.Rand) T {
	i, _ := slices.BinarySearch(w.cum, r.Float64())
	return w.items[min(i, len(w.items)-1)]
}

// Purposes of the random streams derived from a seed. Separate streams keep one part of
// the output from shifting when another changes: the calendar of a year does not move
// when a table of destinations is edited.
const (
	purposeCalendar uint64 = iota + 1
	purposeDecisions
	purposeProcedure
)

// newRand returns the random stream of one purpose in one year of a seed.
func newRand(seed uint64, year int, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, splitmix(seed^uint64(year)<<8^purpose)))
}

// splitmix spreads nearby inputs (years, purposes) over the whole seed space.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
