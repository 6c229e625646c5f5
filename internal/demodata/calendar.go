package demodata

import "time"

// day is a business day of decisions: its date, how many decisions fall on it and the
// rules in force.
type day struct {
	date  string
	n     int
	rules *rules
}

// monthWeights shape the licensing year: a slow January and August, busy months before
// the summer break and the year end.
var monthWeights = [12]float64{0.9, 1.0, 1.1, 1.0, 1.0, 1.1, 0.95, 0.6, 1.0, 1.05, 1.1, 0.95}

// days spreads the n decisions of a year over its business days. Each quarter of each
// year gets its own random level (plus or minus 10 %), so quarters differ from year to
// year as they do in real statistics. The counts are cumulative roundings, so they add
// up to n exactly and the decisions come out in date order.
func (w *world) days(seed uint64, year, n int) []day {
	r := newRand(seed, year, purposeCalendar)
	var quarter [4]float64
	for i := range quarter {
		quarter[i] = 0.9 + 0.2*r.Float64()
	}
	dates := businessDays(year)
	weights := make([]float64, len(dates))
	total := 0.0
	for i, d := range dates {
		m := d.Month() - 1
		weights[i] = monthWeights[m] * quarter[m/3]
		total += weights[i]
	}
	out := make([]day, len(dates))
	cum, given := 0.0, 0
	for i, d := range dates {
		cum += weights[i]
		upto := round(float64(n) * cum / total)
		date := d.Format(dateLayout)
		out[i] = day{date: date, n: upto - given, rules: w.on(date)}
		given = upto
	}
	return out
}

// businessDays are the weekdays of year but the public holidays most Member States share.
func businessDays(year int) []time.Time {
	var out []time.Time
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if isWorkingDay(d) {
			out = append(out, d)
		}
	}
	return out
}

func isWorkingDay(d time.Time) bool {
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !isHoliday(d)
}

func isHoliday(d time.Time) bool {
	switch d.Format("01-02") {
	case "01-01", "05-01", "12-25", "12-26":
		return true
	}
	return false
}
