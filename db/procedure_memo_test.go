package db_test

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

type statementCounter struct{ n atomic.Int64 }

func (c *statementCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

func (c *statementCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// The list of a day is worked out once per process: asking again runs no statement
// and gives the same answer; another day, or the release imported again, is worked
// out afresh.
func TestProcedureWorkedOutOncePerDay(t *testing.T) {
	ctx := context.Background()
	counter := &statementCounter{}
	d := testdb.New(t, db.WithTracer(counter))
	testdb.ImportDemo(t, d, demodata.Options{Seed: 5, Decisions: 300})
	r, err := d.Release(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := d.SurveillanceListOn(ctx, r, date("2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	before := counter.n.Load()
	again, err := d.SurveillanceListOn(ctx, r, date("2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if n := counter.n.Load() - before; n != 0 || !reflect.DeepEqual(first.Items, again.Items) {
		t.Errorf("asking again ran %d statements (want 0), same items: %t", n, reflect.DeepEqual(first.Items, again.Items))
	}
	before = counter.n.Load()
	if _, err := d.SurveillanceListOn(ctx, r, date("2023-06-30")); err != nil {
		t.Fatal(err)
	}
	if counter.n.Load() == before {
		t.Error("another day was served from the memo of 2024-06-30")
	}
	replaced := *r
	replaced.ImportedAt = r.ImportedAt.Add(1) // the same id imported again is another release
	before = counter.n.Load()
	if _, err := d.SurveillanceListOn(ctx, &replaced, date("2024-06-30")); err != nil {
		t.Fatal(err)
	}
	if counter.n.Load() == before {
		t.Error("a release imported again was served from the memo of the earlier import")
	}
}
