package disclosure

import (
	"math"
	"strconv"

	"github.com/dualuse-transparency/portal/internal/i18n"
)

// twoTo32 is the number of cell keys; a key k maps to the uniform k / twoTo32.
const twoTo32 = 1 << 32

// golden is the multiplier of Knuth's multiplicative hash (2^32 divided by the
// golden ratio). It turns a cell key into a second uniform, so a value's noise is
// not the same draw as its count's.
const golden = 0x9E3779B9

// Protector turns true cells into published measures under one policy. It is
// immutable after New and safe for concurrent use.
type Protector struct {
	policy       Policy
	rows         []PTableRow
	cums         [][]float64
	withheldNote i18n.Msg
	smallNote    i18n.Msg
}

// New returns a Protector for a valid policy, with its ptable built once.
func New(p Policy) (*Protector, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	rows := buildPTable(p.MaxNoise)
	cums := make([][]float64, len(rows))
	for i, r := range rows {
		cums[i] = cumulative(r.Noise)
	}
	return &Protector{
		policy: p,
		rows:   rows,
		cums:   cums,
		withheldNote: i18n.M("withheld: fewer than %d decisions or %d exporters in this cell, or one exporter makes up more than %s %% of it",
			p.MinValueDecisions, p.MinContributors, strconv.FormatFloat(p.DominanceShare*100, 'g', 4, 64)),
		smallNote: i18n.M("withheld: fewer than %d (perturbed count)", p.MinCount),
	}, nil
}

// Policy returns the policy the Protector applies.
func (p *Protector) Policy() Policy { return p.policy }

// PTable returns a copy of the perturbation table, for users to inspect: knowing it
// does not undo the noise, which depends on the secret record keys.
func (p *Protector) PTable() []PTableRow {
	rows := make([]PTableRow, len(p.rows))
	for i, r := range p.rows {
		rows[i] = r
		rows[i].Noise = append([]NoiseProbability(nil), r.Noise...)
	}
	return rows
}

// Count returns the published count of a cell: its true count plus the ptable's
// noise for the cell key. A perturbed count below Policy.MinCount is withheld, zero
// included: a small count is where a cell singles out decisions, and a published 0
// beside withheld small counts would tell an empty cell from a small one. Published
// counts carry no note, to keep answers small. A negative count, which SQL's count
// never gives, is treated as 0.
func (p *Protector) Count(trueCount int64, cellKey uint32) Measure {
	v := p.perturbedCount(trueCount, cellKey)
	if v < float64(p.policy.MinCount) {
		return withheldMsg(p.smallNote)
	}
	return perturbed(v)
}

// SumCounts adds up published counts, the parts of a count that is a sum (of the values
// of a filter, say): a withheld part is left out, and a sum below Policy.MinCount is
// withheld like a count.
func (p *Protector) SumCounts(parts ...Measure) Measure {
	sum := 0.0
	for _, m := range parts {
		if m.Value != nil {
			sum += *m.Value
		}
	}
	if sum < float64(p.policy.MinCount) {
		return withheldMsg(p.smallNote)
	}
	return perturbed(sum).WithNote(i18n.M("sum of protected parts; parts below %d are left out", p.policy.MinCount))
}

func (p *Protector) perturbedCount(trueCount int64, cellKey uint32) float64 {
	n := max(trueCount, 0)
	row := int(min(n, int64(p.policy.MaxNoise)))
	v := lookup(p.rows[row].Noise, p.cums[row], float64(cellKey)/twoTo32)
	return float64(n + int64(v))
}

// ValueCell is what the data layer knows of a cell of EUR values.
type ValueCell struct {
	Published    float64 // sum of the cell's perturbed decision values (DecisionValue)
	Count        Measure // the cell's published count of decisions
	Total        float64 // sum of the known values in the cell
	Contributors int     // distinct exporters with a positive value in the cell
	Largest      float64 // the largest single exporter's total in the cell
	Decisions    int64   // the decisions in the cell
	Unknown      int64   // of them, those with a value unknown in whole or in part
	UnknownKey   uint32  // the cell key of those decisions
}

// Value returns the published value of a cell: withheld under the threshold or the
// dominance rule, else the total with noise, rounded. A cell with no contributor
// publishes 0, since a true zero reveals no exporter. An inconsistent cell (a
// non-positive total with contributors) is withheld: the safe side of a bug. An
// unknown value is never read as 0: the published value is the sum of the known
// values, and its note says how many decisions lack one; a cell where none is known
// has no value at all.
func (p *Protector) Value(c ValueCell) Measure {
	if c.Count.Value == nil || *c.Count.Value < float64(p.policy.MinValueDecisions) {
		// First, so that an empty cell, a cell of unknown values and a small cell look alike.
		return withheldMsg(p.withheldNote)
	}
	if c.Unknown == 0 {
		return p.knownValue(c)
	}
	if c.Unknown >= c.Decisions && c.Contributors == 0 && c.Total == 0 {
		return NotApplicableMeasure(allUnknownNote)
	}
	m := p.knownValue(c)
	note := i18n.M(unknownNote, i18n.M("fewer than %d", p.policy.MinCount))
	if unknown := p.Count(c.Unknown, c.UnknownKey); unknown.Value != nil {
		note = i18n.M(unknownNote, strconv.FormatFloat(*unknown.Value, 'f', 0, 64))
	}
	if m.Note != nil {
		prev := m.NoteMsg
		if prev.IsZero() {
			prev = i18n.M(*m.Note)
		}
		note = i18n.Join(prev, note)
	}
	return m.WithNote(note)
}

// Notes of values with unknown parts. The count of decisions without a value is
// itself a count of the cell's decisions, so it is perturbed like any other.
const (
	allUnknownNote = "not applicable: no decision in this cell has a known value"
	unknownNote    = "sum of the known values only: %s decisions in this cell (perturbed count) have no value, in whole or in part"
)

// knownValue protects the sum of a cell's known values.
func (p *Protector) knownValue(c ValueCell) Measure {
	switch {
	case c.Contributors == 0 && c.Total == 0:
		return perturbed(0)
	case c.Contributors < p.policy.MinContributors,
		!(c.Total > 0) || c.Largest/c.Total > p.policy.DominanceShare:
		// One note for every rule, so that which rule withheld a value tells nothing.
		return withheldMsg(p.withheldNote)
	}
	return perturbed(p.round(c.Published))
}

// DecisionValue is a decision's value (of one of its lines), in cents, as every
// published sum counts it: perturbed by a share between ValueNoiseMin and
// ValueNoiseMax of itself, up or down, drawn from the decision's record key. The
// same decision is perturbed the same way in every cell, so differencing cells that
// differ by one decision yields its perturbed value, never the true one. Integer
// arithmetic, so that the database can compute the same (migration 0009).
func (p *Protector) DecisionValue(cents int64, recordKey uint32) int64 {
	u := recordKey * golden
	lo, hi := int64(math.Round(p.policy.ValueNoiseMin*1000)), int64(math.Round(p.policy.ValueNoiseMax*1000))
	permille := lo + int64(u>>1)%(hi-lo+1)
	delta := (cents*permille + 500) / 1000
	if u&1 == 0 {
		return cents - delta
	}
	return cents + delta
}

// round rounds x to the policy's significant figures and unit in one step (two
// steps could round twice), never below one unit for a positive x, never below 0.
func (p *Protector) round(x float64) float64 {
	if x <= 0 {
		return 0
	}
	step := max(p.policy.RoundingUnit, significantStep(x, p.policy.RoundingDigits))
	return max(math.Round(x/step)*step, p.policy.RoundingUnit)
}

// significantStep returns the power of ten that rounding x (> 0) to digits
// significant figures rounds to. It corrects Log10, which can miss by one at exact
// powers of ten.
func significantStep(x float64, digits int) float64 {
	e := int(math.Floor(math.Log10(x)))
	switch {
	case math.Pow10(e) > x:
		e--
	case math.Pow10(e+1) <= x:
		e++
	}
	return math.Pow10(e - digits + 1)
}

// Notes of rates, for users.
const (
	rateNote          = "computed from perturbed counts"
	zeroDenominator   = "not applicable: the denominator is 0"
	withheldNumerator = "withheld because the numerator is withheld"
	withheldDenom     = "withheld because the denominator is withheld"
	noFigureNote      = "not applicable: an input has no figure"
)

// Rate returns numerator/denominator as a share from 0 to 1, rounded to 4 decimals.
// It uses the protected figures only, so it reveals nothing they do not; noise can
// put the numerator above the denominator, so the share is capped at 1.
func (p *Protector) Rate(numerator, denominator Measure) Measure {
	switch {
	case numerator.Status == Confidential:
		return withheld(withheldNumerator)
	case denominator.Status == Confidential:
		return withheld(withheldDenom)
	case numerator.Value == nil || denominator.Value == nil:
		return NotApplicableMeasure(noFigureNote)
	case *denominator.Value == 0:
		return NotApplicableMeasure(zeroDenominator)
	}
	share := min(max(*numerator.Value / *denominator.Value, 0), 1)
	m := perturbed(math.Round(share*1e4) / 1e4)
	note := rateNote
	m.Note = &note
	return m
}

// Difference returns a - b from the protected figures only: a change against a previous
// period, say. It is withheld when either is withheld and not applicable when either
// has no figure; rounded to 4 decimals, so a difference of rates reads in shares.
func (p *Protector) Difference(a, b Measure) Measure {
	switch {
	case a.Status == Confidential || b.Status == Confidential:
		return withheld(withheldDifference)
	case a.Value == nil || b.Value == nil:
		return NotApplicableMeasure(noFigureNote)
	}
	m := perturbed(math.Round((*a.Value-*b.Value)*1e4) / 1e4)
	note := differenceNote
	m.Note = &note
	return m
}

// Notes of differences, for users.
const (
	differenceNote     = "difference of two protected figures"
	withheldDifference = "withheld because a figure it is computed from is withheld"
)
