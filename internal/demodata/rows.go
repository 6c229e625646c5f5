package demodata

import (
	"bufio"
	"math"
	"strconv"

	"github.com/dualuse-transparency/portal/internal/codes"
)

const decisionsHeader = "decision_id,member_state,decision_date,licence_type,outcome,destination," +
	"end_user_type,control_entry,value_eur,exporter_id,denial_grounds,catch_all\n"

// writeDecisions writes licence_decisions.csv year by year. Each year is drawn twice:
// once to measure its issued value, once to write it calibrated to the target, since
// a heavy-tailed sum would otherwise miss the official figure by a wide margin. Write
// errors are kept by the bufio.Writer and reported by its final Flush.
func writeDecisions(w *bufio.Writer, seed uint64, plans []yearPlan) (Summary, error) {
	sum := Summary{ByYear: map[int]YearSummary{}}
	world := newWorld(sizeScale(plans))
	if _, err := w.WriteString(decisionsHeader); err != nil {
		return sum, err
	}
	var rows rowWriter
	for _, p := range plans {
		days := world.days(seed, p.year, p.n)
		cal := calibrate(seed, p, days)
		var ys YearSummary
		generate(seed, p, days, true, func(d *decision) {
			d.cents = cal.cents(d)
			ys.add(d)
			rows.write(w, d)
			sum.Rows += d.nEntries
		})
		ys.ValueIssued = float64(cal.issued) / 100
		sum.ByYear[p.year] = ys
		sum.Decisions += ys.Decisions
	}
	return sum, nil
}

// sizeScale is the size of the release relative to the default one.
func sizeScale(plans []yearPlan) float64 {
	n, def := 0, 0
	for _, p := range plans {
		n += p.n
		def += p.def
	}
	return float64(n) / float64(def)
}

// calibration brings a year's issued value to its target to the cent: every value is
// scaled by one factor and rounded to the cent, and the last issued decision with a
// known value takes the cents that the roundings before it gained or lost (a few
// euros at most, on a value of thousands).
type calibration struct {
	scale  float64
	target int64 // cents
	last   int   // seq of the last issued decision with a known value
	issued int64 // cents of the issued decisions so far
}

func calibrate(seed uint64, p yearPlan, days []day) *calibration {
	c := &calibration{scale: 1, target: int64(math.Round(p.valueTarget * 100))}
	raw := 0.0
	generate(seed, p, days, false, func(d *decision) {
		if d.issuedWithValue() {
			raw += d.value
			c.last = d.seq
		}
	})
	if raw > 0 {
		c.scale = p.valueTarget / raw
	}
	return c
}

// cents is d's calibrated value in cents, at least a cent for each of its rows (a
// value is never 0).
func (c *calibration) cents(d *decision) int64 {
	v := int64(math.Round(d.value * c.scale * 100))
	issued := d.issuedWithValue()
	if issued && d.seq == c.last {
		v = c.target - c.issued
	}
	v = max(v, int64(d.nEntries))
	if issued {
		c.issued += v
	}
	return v
}

func (d *decision) issuedWithValue() bool { return d.outcome == codes.Issued && d.valueKnown }

func (ys *YearSummary) add(d *decision) {
	ys.Decisions++
	if d.outcome == codes.Denied {
		ys.Denied++
	}
	if d.cyber() {
		ys.CyberSurveillance++
	}
}

// entryValue is the part of a decision's value on its i-th of n control entries, in
// cents: the value is split between the rows, the last taking the cents left over, so
// the rows of a decision add up to its value.
func entryValue(cents int64, i, n int) int64 {
	share := cents / int64(n)
	if i < n-1 {
		return share
	}
	return cents - share*int64(n-1)
}

// appendCents appends an amount of cents as euros with two decimals.
func appendCents(b []byte, cents int64) []byte {
	b = strconv.AppendInt(b, cents/100, 10)
	c := cents % 100
	return append(b, '.', byte('0'+c/10), byte('0'+c%10))
}

// rowWriter writes the rows of a decision, one per control entry. The columns all rows
// share are formatted once per decision. No field can hold a comma, quote or newline
// (codes, dates, numbers), so none needs quoting.
type rowWriter struct {
	head, tail, row []byte
}

func (rw *rowWriter) write(w *bufio.Writer, d *decision) {
	rw.head = appendHead(rw.head[:0], d)
	rw.tail = appendTail(rw.tail[:0], d)
	for i, entry := range d.entries[:d.nEntries] {
		b := append(rw.row[:0], rw.head...)
		b = append(b, entry...)
		b = append(b, ',')
		if d.valueKnown {
			b = appendCents(b, entryValue(d.cents, i, d.nEntries))
		}
		b = append(b, rw.tail...)
		_, _ = w.Write(b)
		rw.row = b
	}
}

// appendHead appends the columns before control_entry, and the comma after them.
func appendHead(b []byte, d *decision) []byte {
	b = append(b, 'D')
	b = append(b, d.date[:4]...)
	b = append(b, '-')
	b = appendPadded(b, d.seq, 6)
	for _, s := range []string{d.state, d.date, string(d.licence), string(d.outcome), d.dest, string(d.endUser)} {
		b = append(b, ',')
		b = append(b, s...)
	}
	return append(b, ',')
}

// appendTail appends the columns after value_eur, from its comma to the line's end.
func appendTail(b []byte, d *decision) []byte {
	b = append(b, ',')
	b = append(b, d.exporter...)
	b = append(b, ',')
	b = append(b, d.grounds...)
	b = append(b, ',')
	b = append(b, d.clause...)
	return append(b, '\n')
}

// appendPadded appends n with leading zeros up to width digits.
func appendPadded(b []byte, n, width int) []byte {
	for p := int(math.Pow10(width - 1)); p > 1 && n < p; p /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}
