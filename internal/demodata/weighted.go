package demodata

import (
	"math/rand/v2"
)

// choice is an item of a weighted table. Weights are relative (often percentages).
type choice[T any] struct {
	v T
	w float64
}

// weighted picks items in proportion to their weights in constant time (Walker's alias
// method, built as Vose describes it): one uniform draw picks a slot and, by its
// fraction, the slot's item or its alias. Each pick consumes the same randomness
// whatever it picks, so the output depends only on the seed; and a pick from the
// thousands of exporters of a big release costs no more than one from a short table.
type weighted[T any] struct {
	slots []slot[T]
}

// slot holds all a pick reads, so a pick touches one place in memory.
type slot[T any] struct {
	prob        float64 // the chance of item rather than alias
	item, alias T
}

// newWeighted drops items of weight zero, so they can never be picked.
func newWeighted[T any](choices []choice[T]) weighted[T] {
	var items []T
	var ws []float64
	total := 0.0
	for _, c := range choices {
		if c.w > 0 {
			total += c.w
			items = append(items, c.v)
			ws = append(ws, c.w)
		}
	}
	n := len(ws)
	prob, alias := make([]float64, n), make([]int, n)
	var small, large []int
	for i, x := range ws {
		prob[i], alias[i] = float64(x*float64(n)/total), i
		if prob[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		alias[s] = l
		prob[l] = float64(prob[l] - float64(1-prob[s]))
		if prob[l] < 1 {
			large, small = large[:len(large)-1], append(small, l)
		}
	}
	for _, i := range append(small, large...) {
		prob[i] = 1 // full, up to rounding
	}
	w := weighted[T]{slots: make([]slot[T], n)}
	for i := range w.slots {
		w.slots[i] = slot[T]{prob: prob[i], item: items[i], alias: items[alias[i]]}
	}
	return w
}

// empty reports whether w has nothing to pick.
func (w weighted[T]) empty() bool { return len(w.slots) == 0 }

func (w weighted[T]) pick(r *rand.Rand) T {
	n := len(w.slots)
	u := float64(r.Float64() * float64(n))
	i := min(int(u), n-1)
	if s := &w.slots[i]; u-float64(i) < s.prob {
		return s.item
	}
	return w.slots[i].alias
}

// Purposes of the random streams derived from a seed. Separate streams keep one part of
// the output from shifting when another changes: the calendar of a year does not move
// when a table of destinations is edited.
const (
	purposeCalendar uint64 = iota + 1
	purposeDecisions
	purposeProcedure
	purposeDetails
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
