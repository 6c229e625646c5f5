package main

import (
	"math"
	"slices"
)

// estimate is one of the attacker's estimates of a figure: a signed sum of published
// figures. Its weight is the inverse of its expected noise variance, up to a factor.
type estimate struct {
	family string // the kind of requests it came from
	value  float64
	weight float64
}

// combine is the weighted mean of the estimates and its standard error. Estimates of
// one family that are all equal are one estimate: the API answered the same cell (or
// the same sum of cells) however the request was put, so they are not independent. n
// is the number of estimates left; the error is infinite with fewer than two.
func combine(es []estimate) (mean, se float64, n int) {
	es = collapseFamilies(es)
	n = len(es)
	if n == 0 {
		return 0, math.Inf(1), 0
	}
	var sw, swx float64
	for _, e := range es {
		sw += e.weight
		swx += e.weight * e.value
	}
	mean = swx / sw
	if n < 2 {
		return mean, math.Inf(1), n
	}
	var s float64
	for _, e := range es {
		s += e.weight * e.weight * (e.value - mean) * (e.value - mean)
	}
	return mean, math.Sqrt(s*float64(n)/float64(n-1)) / sw, n
}

// collapseFamilies replaces each family whose estimates are all equal (two or more)
// by one estimate of the largest weight.
func collapseFamilies(es []estimate) []estimate {
	type family struct {
		first     estimate
		size      int
		allEqual  bool
		maxWeight float64
	}
	families := map[string]*family{}
	for _, e := range es {
		f := families[e.family]
		if f == nil {
			families[e.family] = &family{first: e, size: 1, allEqual: true, maxWeight: e.weight}
			continue
		}
		f.size++
		f.allEqual = f.allEqual && e.value == f.first.value
		f.maxWeight = max(f.maxWeight, e.weight)
	}
	out := make([]estimate, 0, len(es))
	for _, e := range es {
		f := families[e.family]
		switch {
		case f.size < 2 || !f.allEqual:
			out = append(out, e)
		case e == f.first:
			f.first.value = math.NaN() // taken: never equal again
			out = append(out, estimate{family: e.family, value: e.value, weight: f.maxWeight})
		}
	}
	return out
}

// settled reports whether the attacker can stop: at least minN estimates, and the
// mean is three standard errors inside the interval that rounds to its integer.
func settled(mean, se float64, n, minN int) bool {
	return n >= minN && 3*se < 0.5-math.Abs(mean-math.Round(mean))
}

// roundCount is the attacker's count from an estimate: the nearest integer, at least 0.
func roundCount(mean float64) int {
	if math.IsNaN(mean) {
		return 0
	}
	return max(0, int(math.Round(mean)))
}

// median of xs; 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// robustMean is the weighted mean of the estimates after dropping those more than
// three median absolute deviations from the median: a difference that was not the
// one decision the attacker thought (another decision on the same day) is an outlier.
func robustMean(es []estimate) (float64, bool) {
	if len(es) == 0 {
		return 0, false
	}
	values := make([]float64, len(es))
	for i, e := range es {
		values[i] = e.value
	}
	m := median(values)
	deviations := make([]float64, len(es))
	for i, v := range values {
		deviations[i] = math.Abs(v - m)
	}
	mad := median(deviations)
	var sw, swx float64
	for _, e := range es {
		if mad == 0 && e.value != m || mad > 0 && math.Abs(e.value-m) > 3*mad {
			continue
		}
		sw += e.weight
		swx += e.weight * e.value
	}
	if sw == 0 {
		return m, true
	}
	return swx / sw, true
}

// relError is |estimate - truth| / truth; 1 (all of it) for no estimate.
func relError(est float64, ok bool, truth float64) float64 {
	if !ok || truth == 0 {
		return 1
	}
	return math.Abs(est-truth) / truth
}

// wilson is the Wilson score interval of a proportion of k successes in n trials at
// the normal quantile z (1.96 for 95 %).
func wilson(k, n int, z float64) (lo, hi float64) {
	if n == 0 {
		return 0, 1
	}
	p, nf := float64(k)/float64(n), float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / (1 + z*z/nf)
	return max(0, centre-half), min(1, centre+half)
}

// pAbove is the one-sided p-value of k or more successes in n trials at the rate p0:
// the exact binomial tail, right for small samples too.
func pAbove(k, n int, p0 float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n || p0 <= 0:
		return 0
	case p0 >= 1:
		return 1
	}
	lp, lq := math.Log(p0), math.Log1p(-p0)
	sum := 0.0
	for i := k; i <= n; i++ {
		sum += math.Exp(logChoose(n, i) + float64(i)*lp + float64(n-i)*lq)
	}
	return min(1, sum)
}

func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}

// significance is the level at which an excess over chance counts: 5 %, one-sided.
const significance = 0.05

// bestConstant is the accuracy of the best constant guess of a yes/no answer whose
// share of yes is p.
func bestConstant(yes, n int) float64 {
	if n == 0 {
		return 0
	}
	p := float64(yes) / float64(n)
	return max(p, 1-p)
}
