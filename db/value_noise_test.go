package db_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// Migration 0009 perturbs the values of releases loaded before it in SQL; it must
// give what the importer gives through disclosure.Protector.DecisionValue.
func TestMigratedValueNoiseIsTheImporters(t *testing.T) {
	ctx := context.Background()
	url := testdb.NewURL(t)
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		cents, key := rng.Int64N(1e15), rng.Uint32()
		var got int64
		err := conn.QueryRow(ctx, `
			SELECT CASE WHEN u.v % 2 = 0
			            THEN $1 - ($1 * (250 + (u.v / 2) % 201) + 500) / 1000
			            ELSE $1 + ($1 * (250 + (u.v / 2) % 201) + 500) / 1000 END
			FROM (SELECT (($2::bigint::numeric * 2654435769) % 4294967296)::bigint AS v) u`, cents, int64(key)).Scan(&got)
		if err != nil {
			t.Fatal(err)
		}
		if want := d.Disclosure().DecisionValue(cents, key); got != want {
			t.Fatalf("value %d, key %d: the migration gives %d, the importer %d", cents, key, got, want)
		}
	}
}
