package db

import "context"

// TrueCell is a cell's confidential truth: for the tests of the package only, which
// check that the engine counts what the schema says it counts.
type TrueCell struct {
	Key                                           []string // the dimension values, "" for none
	Applications, Issued, Denials, UnknownApplied int64
	ValueApplied, ValueIssued                     float64
}

// TrueCells runs the statistics engine and returns its cells before protection.
func (db *DB) TrueCells(ctx context.Context, q StatisticsQuery) ([]TrueCell, error) {
	cells, err := db.statistics(ctx, q)
	out := make([]TrueCell, len(cells))
	for i, c := range cells {
		key := make([]string, len(c.key))
		for j, k := range c.key {
			key[j] = derefOr(k, "")
		}
		out[i] = TrueCell{Key: key, Applications: c.applications, Issued: c.issued, Denials: c.denials,
			UnknownApplied: c.unknownApplied, ValueApplied: c.valueApplied, ValueIssued: c.valueIssued}
	}
	return out, err
}
