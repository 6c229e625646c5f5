package disclosure

import "sort"

// NoiseProbability is one entry of a ptable row: a noise and its probability.
type NoiseProbability struct {
	Noise       int
	Probability float64
}

// PTableRow is the noise distribution for one true count. AndAbove is set on the
// last row only: it applies to every count >= Count.
type PTableRow struct {
	Count    int
	AndAbove bool
	Noise    []NoiseProbability
}

// buildPTable returns the rows for counts 0..d, as the package comment describes.
func buildPTable(d int) []PTableRow {
	rows := make([]PTableRow, d+1)
	for n := range rows {
		rows[n] = PTableRow{Count: n, AndAbove: n == d, Noise: buildRow(n, d)}
	}
	return rows
}

// buildRow returns the distribution of noise for true count n, leaving out noises
// of probability 0 (all but 0 itself when n = 0).
func buildRow(n, d int) []NoiseProbability {
	weight := func(v int) float64 { return float64(d + 1 - abs(v)) }
	lambda := balance(n, d, weight)
	var row []NoiseProbability
	var sum float64
	for v := max(-n, -d); v <= d; v++ {
		w := weight(v)
		if v > 0 {
			w *= lambda
		}
		if w > 0 {
			row = append(row, NoiseProbability{Noise: v, Probability: w})
			sum += w
		}
	}
	for i := range row {
		row[i].Probability /= sum
	}
	return row
}

// balance returns lambda, the factor on the weights of positive noise that makes
// the mean noise 0. Where the range is symmetric (n >= d) it is 1 exactly, rather
// than a ratio that rounding could put a hair off.
func balance(n, d int, weight func(int) float64) float64 {
	if n >= d {
		return 1
	}
	var neg, pos float64
	for v := max(-n, -d); v < 0; v++ {
		neg -= float64(v) * weight(v)
	}
	for v := 1; v <= d; v++ {
		pos += float64(v) * weight(v)
	}
	return neg / pos
}

// cumulative returns the running sums of a row's probabilities, the last set to 1
// exactly so that every u in [0, 1) finds a noise despite rounding.
func cumulative(row []NoiseProbability) []float64 {
	cum := make([]float64, len(row))
	var sum float64
	for i, np := range row {
		sum += np.Probability
		cum[i] = sum
	}
	cum[len(cum)-1] = 1
	return cum
}

// lookup returns the smallest noise of row whose cumulative probability exceeds u.
func lookup(row []NoiseProbability, cum []float64, u float64) int {
	i := sort.Search(len(cum), func(i int) bool { return cum[i] > u })
	return row[i].Noise
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
