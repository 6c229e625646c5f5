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
// once to measure its issued value, once to write it scaled to the target, since a
// heavy-tailed sum would otherwise miss the official figure by a wide margin. Write
// errors are kept by the bufio.Writer and reported by its final Flush.
func writeDecisions(w *bufio.Writer, seed uint64, plans []yearPlan) (Summary, error) {
	sum := Summary{ByYear: map[int]YearSummary{}}
	world := newWorld(sizeScale(plans))
	if _, err := w.WriteString(decisionsHeader); err != nil {
		return sum, err
	}
	buf := make([]byte, 0, 256)
	for _, p := range plans {
		days := world.days(seed, p.year, p.n)
		scale := valueScale(seed, p, days)
		var ys YearSummary
		generate(seed, p, days, func(d *decision) {
			d.value = math.Round(d.value*scale*100) / 100
			ys.add(d)
			for i, entry := range d.entries[:d.nEntries] {
				buf = appendRow(buf[:0], d, entry, entryValue(d.value, i, d.nEntries))
				_, _ = w.Write(buf)
			}
			sum.Rows += d.nEntries
		})
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

// valueScale is the factor that brings the year's issued value to its target.
func valueScale(seed uint64, p yearPlan, days []day) float64 {
	raw := 0.0
	generate(seed, p, days, func(d *decision) {
		if d.outcome == codes.Issued {
			raw += d.value
		}
	})
	if raw == 0 {
		return 1
	}
	return p.valueTarget / raw
}

func (ys *YearSummary) add(d *decision) {
	ys.Decisions++
	if d.outcome == codes.Denied {
		ys.Denied++
	}
	if d.stream != ordinary {
		ys.CyberSurveillance++
	}
	if d.outcome == codes.Issued {
		ys.ValueIssued += d.value
	}
}

// entryValue is the part of a decision's value on its i-th of n control entries: the
// value is split between the rows, the last taking the cents left over, so the rows of
// a decision add up to its value.
func entryValue(value float64, i, n int) float64 {
	share := math.Floor(value/float64(n)*100) / 100
	if i < n-1 {
		return share
	}
	return math.Round((value-share*float64(n-1))*100) / 100
}

// appendRow appends the CSV row of d on one control entry. No field can hold a comma,
// quote or newline (codes, dates, numbers), so none needs quoting.
func appendRow(b []byte, d *decision, entry string, value float64) []byte {
	b = append(b, 'D')
	b = append(b, d.date[:4]...)
	b = append(b, '-')
	b = appendPadded(b, d.seq, 6)
	for _, s := range []string{d.state, d.date, string(d.licence), string(d.outcome), d.dest, string(d.endUser), entry} {
		b = append(b, ',')
		b = append(b, s...)
	}
	b = append(b, ',')
	b = strconv.AppendFloat(b, value, 'f', 2, 64)
	b = append(b, ',')
	b = append(b, d.exporter...)
	b = append(b, ',')
	b = append(b, d.grounds...)
	b = append(b, ',')
	b = strconv.AppendBool(b, d.stream == catchAll)
	return append(b, '\n')
}

// appendPadded appends n with leading zeros up to width digits.
func appendPadded(b []byte, n, width int) []byte {
	for p := int(math.Pow10(width - 1)); p > 1 && n < p; p /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}
