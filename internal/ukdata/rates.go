package ukdata

import (
	"fmt"
	"strconv"
)

// gbpPerEUR is the ECB's annual average euro reference rate for the pound sterling
// (series EXR.A.GBP.EUR.SP00.A: pounds per euro, the mean of the year's daily
// reference rates), in units of 0.00001 GBP. Each figure was checked by recomputing
// the mean of the daily rates in the ECB's published history file (eurofxref-hist.csv,
// GBP column) for the year. The table covers every year in which the United Kingdom
// was a Member State and the source has data; 2020 is the whole year's average, used
// for January 2020 only.
var gbpPerEUR = map[int]int64{
	2008: 79628,
	2009: 89094,
	2010: 85784,
	2011: 86788,
	2012: 81087,
	2013: 84926,
	2014: 80612,
	2015: 72584,
	2016: 81948,
	2017: 87667,
	2018: 88471,
	2019: 87777,
	2020: 88970,
}

// maxPence keeps the conversion inside int64 arithmetic: a licence of more than
// £10bn is beyond any in the source (its largest value is £7.8bn).
const maxPence = 1e12

// eurCents converts an amount in pence to euro cents at the year's rate, rounding
// half up: euros = pounds / (pounds per euro).
func eurCents(pence int64, year int) (int64, error) {
	rate, ok := gbpPerEUR[year]
	switch {
	case !ok:
		return 0, fmt.Errorf("no EUR/GBP rate for %d", year)
	case pence < 0 || pence > maxPence:
		return 0, fmt.Errorf("amount of %d pence out of range", pence)
	}
	// cents = pence * 100000 / rate, rounded half up.
	return (2*pence*100000 + rate) / (2 * rate), nil
}

// shares splits an amount of cents between n licences as evenly as cents allow, the
// first ones taking a cent more, so the shares add up to the amount.
func shares(cents int64, n int) []int64 {
	out := make([]int64, n)
	for i := range out {
		out[i] = cents / int64(n)
		if int64(i) < cents%int64(n) {
			out[i]++
		}
	}
	return out
}

// formatCents writes cents as euros with two decimals, as value_eur wants them.
func formatCents(c int64) string {
	return strconv.FormatInt(c/100, 10) + "." + fmt.Sprintf("%02d", c%100)
}
