package disclosure

import (
	"fmt"
	"math"
)

// Policy is the configuration of disclosure control. The API shows it to users
// (disclosurePolicy), because the protection of a cell key method rests on the
// secrecy of the record keys, not of the method.
type Policy struct {
	// MaxNoise is D, the largest absolute noise added to a count.
	MaxNoise int
	// MinCount is the smallest perturbed count published; below it a count is withheld.
	MinCount int
	// MinContributors is the fewest exporters a published value may have (threshold rule).
	MinContributors int
	// DominanceShare is the largest share of a value one exporter may make up (dominance rule).
	DominanceShare float64
	// MinValueDecisions is the smallest published count of decisions a cell's value
	// is published for: below it, which rule withholds a value would tell whether
	// the few decisions share an exporter.
	MinValueDecisions int
	// ValueNoiseMin and ValueNoiseMax bound the persistent perturbation of each
	// decision's value, a share of it (its sign and size drawn from the record key):
	// differencing published values converges on a perturbed figure, never the value.
	ValueNoiseMin, ValueNoiseMax float64
	// RoundingDigits is the number of significant figures a published value keeps.
	RoundingDigits int
	// RoundingUnit is the smallest unit of a published value, in EUR.
	RoundingUnit float64
}

// DefaultPolicy returns the policy the portal runs with unless configured otherwise.
func DefaultPolicy() Policy {
	return Policy{
		MaxNoise:          2,
		MinCount:          3,
		MinContributors:   3,
		DominanceShare:    0.85,
		MinValueDecisions: 6,
		ValueNoiseMin:     0.25,
		ValueNoiseMax:     0.45,
		RoundingDigits:    3,
		RoundingUnit:      1000,
	}
}

// Validate returns an error naming the first setting out of range. The ranges keep
// the ptable small and meaningful and the value rules able to withhold something.
func (p Policy) Validate() error {
	checks := []struct {
		ok   bool
		name string
		want string
	}{
		{p.MaxNoise >= 1 && p.MaxNoise <= 10, "MaxNoise", "from 1 to 10"},
		{p.MinContributors >= 1, "MinContributors", "at least 1"},
		{p.MinCount >= 0, "MinCount", "at least 0"},
		{p.DominanceShare > 0 && p.DominanceShare <= 1, "DominanceShare", "in (0, 1]"},
		{p.MinValueDecisions >= 1, "MinValueDecisions", "at least 1"},
		{p.ValueNoiseMin >= 0 && p.ValueNoiseMin <= p.ValueNoiseMax && p.ValueNoiseMax < 1, "ValueNoiseMin and ValueNoiseMax", "0 <= min <= max < 1"},
		{p.RoundingDigits >= 1, "RoundingDigits", "at least 1"},
		{p.RoundingUnit > 0 && !math.IsInf(p.RoundingUnit, 1), "RoundingUnit", "positive"},
	}
	for _, c := range checks {
		if !c.ok {
			return fmt.Errorf("disclosure policy: %s must be %s (policy %+v)", c.name, c.want, p)
		}
	}
	return nil
}
