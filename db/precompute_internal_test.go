package db

import (
	"context"
	"math"
	"reflect"
	"testing"
)

func TestCellsRoundTrip(t *testing.T) {
	s := func(v string) *string { return &v }
	tables := map[string][]cell{
		"no cells": {},
		"a total":  {{key: []*string{}, applications: 12, issued: 10, denials: 2, keyApplications: 7}},
		"every field, nil dimension values, extremes": {
			{
				key:          []*string{s("2024"), nil, s("")},
				applications: math.MaxInt64, issued: -1, denials: 0,
				keyApplications: math.MaxUint32, keyIssued: 1, keyDenied: 2,
				valueApplied: 1234567.89, valueIssued: -0.01,
				noisyApplied: math.Inf(1), noisyIssued: math.SmallestNonzeroFloat64,
				contributorsApplied: 3, contributorsIss: -4,
				largestApplied: 1e300, largestIssued: math.Copysign(0, -1),
				unknownApplied: 5, unknownIssued: math.MinInt64,
				keyUnknownApplied: 6, keyUnknownIssued: math.MaxUint32 - 1,
			},
			{key: []*string{nil, s("Ünïcode, \x00 and a long value of many bytes"), s("EG")}, applications: 1},
		},
	}
	for name, cells := range tables {
		t.Run(name, func(t *testing.T) {
			dims := 0
			if len(cells) > 0 {
				dims = len(cells[0].key)
			}
			data := encodeCells(cells)
			got, err := decodeCells(data, dims)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if len(cells) == 0 {
				if len(got) != 0 {
					t.Fatalf("got %d cells, want none", len(got))
				}
				return
			}
			for i := range cells {
				a, b := got[i], cells[i]
				if math.Signbit(a.largestIssued) != math.Signbit(b.largestIssued) {
					t.Errorf("cell %d: the sign of -0 is lost", i)
				}
				if !reflect.DeepEqual(a, b) {
					t.Errorf("cell %d:\n got %#v\nwant %#v", i, a, b)
				}
			}
			if cellCount(data) != len(cells) {
				t.Errorf("cellCount = %d, want %d", cellCount(data), len(cells))
			}
		})
	}
	t.Run("malformed or another table's cells are refused", func(t *testing.T) {
		data := encodeCells(tables["every field, nil dimension values, extremes"])
		for name, bad := range map[string][]byte{
			"empty":          nil,
			"other version":  append([]byte{cellsVersion + 1}, data[1:]...),
			"truncated":      data[:len(data)-1],
			"trailing bytes": append(append([]byte{}, data...), 0),
		} {
			if _, err := decodeCells(bad, 3); err == nil {
				t.Errorf("%s: decoded, want an error", name)
			}
		}
		if _, err := decodeCells(data, 2); err == nil {
			t.Error("decoded with 2 dimensions cells of 3, want an error")
		}
	})
	t.Run("the key names the SQL and every argument", func(t *testing.T) {
		args := statisticsArgs("r", StatisticsFilter{Years: []int{2024}})
		k := cellsKey("SELECT 1", args)
		if len(k) != 32 || !reflect.DeepEqual(k, cellsKey("SELECT 1", statisticsArgs("r", StatisticsFilter{Years: []int{2024}}))) {
			t.Fatalf("key %x: want 32 bytes, the same for the same query", k)
		}
		for name, other := range map[string][]byte{
			"other SQL":     cellsKey("SELECT 2", args),
			"other release": cellsKey("SELECT 1", statisticsArgs("s", StatisticsFilter{Years: []int{2024}})),
			"other year":    cellsKey("SELECT 1", statisticsArgs("r", StatisticsFilter{Years: []int{2023}})),
			"empty list":    cellsKey("SELECT 1", statisticsArgs("r", StatisticsFilter{Years: []int{2024}, MemberStates: []string{}})),
		} {
			if reflect.DeepEqual(k, other) {
				t.Errorf("%s: the same key", name)
			}
		}
	})
}

// QueryRowForTest runs one query on the pool and scans its row: for the tests of the
// package, to see what a connection of the pool is.
func (db *DB) QueryRowForTest(ctx context.Context, sql string, dest ...any) error {
	return db.pool.QueryRow(ctx, sql).Scan(dest...)
}
