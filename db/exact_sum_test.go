package db_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/testdb"
)

// exact_sum (migration 0013), which the statistics sum with, is sum(bigint) as a
// bigint: the same sums and the same NULLs, and an error, never a wrapped figure, where
// the sum leaves bigint.
func TestExactSum(t *testing.T) {
	ctx := context.Background()
	conn := sqlConn(t, testdb.NewURL(t)) // a copy of the migrated template: exact_sum is there
	show := func(p *int64) string {
		if p == nil {
			return "NULL"
		}
		return strconv.FormatInt(*p, 10)
	}

	rng := rand.New(rand.NewPCG(3, 4))
	values := make([]*int64, 20_000)
	for i := range values {
		if rng.IntN(10) > 0 { // a tenth NULL, as values of unknown lines are
			v := rng.Int64N(1e15) - 1e14
			values[i] = &v
		}
	}
	var exact *int64
	var builtin *string
	err := conn.QueryRow(ctx, `SELECT exact_sum(v), sum(v)::text FROM unnest($1::bigint[]) AS t(v)`, values).Scan(&exact, &builtin)
	if err != nil {
		t.Fatal(err)
	}
	if exact == nil || builtin == nil {
		t.Fatalf("sums of 20,000 values: exact_sum %s, sum NULL: %t", show(exact), builtin == nil)
	}
	if got := strconv.FormatInt(*exact, 10); got != *builtin {
		t.Errorf("exact_sum = %s, sum = %s", got, *builtin)
	}

	for _, tc := range []struct {
		name   string
		values []*int64
	}{
		{"no rows", nil},
		{"only NULLs", []*int64{nil, nil}},
	} {
		err := conn.QueryRow(ctx, `SELECT exact_sum(v) FROM unnest($1::bigint[]) AS t(v)`, tc.values).Scan(&exact)
		if err != nil || exact != nil {
			t.Errorf("%s: exact_sum = %v, %v; want NULL, as sum gives", tc.name, show(exact), err)
		}
	}

	big, one := int64(math.MaxInt64), int64(1)
	err = conn.QueryRow(ctx, `SELECT exact_sum(v) FROM unnest($1::bigint[]) AS t(v)`, []*int64{&big, &one}).Scan(&exact)
	if err == nil || !strings.Contains(err.Error(), "out of range") {
		t.Errorf("exact_sum past the largest bigint = %v, %v; want an out-of-range error", show(exact), err)
	}
}
