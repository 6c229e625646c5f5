// Package disclosure protects every number the portal publishes about licence
// decisions, which are confidential records. Threshold suppression alone cannot
// protect a table builder with free group-by: a suppressed cell falls out of its
// total minus the published cells. So the portal uses the cell key method of the
// ESSnet Handbook on Statistical Disclosure Control and ONS's Cantabular, plus the
// threshold and dominance rules for money values. The package is pure (no database,
// no HTTP) so the data layer can apply it before a resolver sees any cell.
//
// # Cell keys
//
// Each decision carries a uniform random uint32 record key set at import. A cell's
// key k is the sum of its decisions' record keys modulo 2^32, computed in SQL
// beside the count, so the same cell gets the same key, and hence the same noise,
// in every query: asking again, or asking for it through another grouping, gives
// nothing new. The key maps to u = k / 2^32 in [0, 1).
//
// # Counts
//
// Counts get noise from a perturbation table (ptable) looked up by (true count n, u).
// With D = Policy.MaxNoise, the row of n = 0 is noise 0 with probability 1, so a true
// zero stays zero. For n >= 1 the noise v ranges over max(-n, -D) .. D, so the
// published count n+v is never negative, with weights w(v) = D+1-|v|. The weights of
// positive v are multiplied by
//
//	lambda = -sum_{v<0} v*w(v) / sum_{v>0} v*w(v)
//
// so that the expected noise is exactly 0 for every n (lambda = 1 when n >= D, where
// the range is symmetric), then normalised. There are rows for n = 0..D; the row of
// n = D applies to every larger n. The noise for u is the smallest v whose cumulative
// probability exceeds u. The noise is bounded by D, unbiased, and deterministic.
//
// # Values
//
// Money values are withheld when the cell's published count of decisions is below
// Policy.MinValueDecisions, when it has fewer than Policy.MinContributors exporters
// with a positive value, or when its largest exporter makes up more than
// Policy.DominanceShare of it, always with the same note, so that which rule withheld
// a value says nothing of the exporters. Otherwise the published value is the sum of
// the cell's decision values, each perturbed once and for good by a share between
// Policy.ValueNoiseMin and Policy.ValueNoiseMax of itself, up or down, drawn from the
// decision's record key (DecisionValue): cells that differ by one decision differ by
// its perturbed value, so no amount of differencing converges on the true one. The sum
// is rounded to Policy.RoundingDigits significant figures and to a multiple of
// Policy.RoundingUnit. A positive value never rounds below one unit, so a published 0
// always means a true 0. An unknown value is never read as 0: the sum is of the known
// values, its note says how many decisions lack one (a perturbed count), and a cell
// with none known publishes none.
//
// Totals and margins are cells like any other, perturbed on their own: published
// tables need not add up, and that is the point.
package disclosure
