package db_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// sqlConn is a plain connection to the test database, to look behind the data layer.
func sqlConn(t *testing.T, url string) *pgx.Conn {
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func count(t *testing.T, conn *pgx.Conn, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func TestImport(t *testing.T) {
	url := testdb.NewURL(t)
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	conn := sqlConn(t, url)
	ctx := context.Background()
	rel := testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 1500})

	got, err := d.Release(ctx, nil)
	if err != nil || got.ID != rel.Meta.ID || !got.Synthetic || got.Checksum != rel.Checksum || got.Citation == "" {
		t.Fatalf("latest release = %+v, %v; want %s, synthetic, with checksum and citation", got, err, rel.Meta.ID)
	}
	if n := count(t, conn, `SELECT count(*) FROM decisions WHERE release_id = $1`, rel.Meta.ID); n != len(rel.Decisions) {
		t.Errorf("%d decision rows stored, want %d", n, len(rel.Decisions))
	}
	if n := count(t, conn, `SELECT count(*) FROM official_figures WHERE release_id = $1`, rel.Meta.ID); n != len(rel.OfficialFigures) {
		t.Errorf("%d official figures stored, want %d", n, len(rel.OfficialFigures))
	}
	// Exporters are stored as 32-byte pseudonyms only; one record key per decision.
	if n := count(t, conn, `SELECT count(*) FROM decisions WHERE length(exporter) <> 32 OR position(convert_to($1, 'UTF8') IN exporter) > 0`, rel.Decisions[0].ExporterID); n != 0 {
		t.Errorf("%d rows whose exporter is not a 32-byte pseudonym or holds the raw id", n)
	}
	if n := count(t, conn, `SELECT count(*) FROM (SELECT decision_id FROM decisions GROUP BY decision_id HAVING count(DISTINCT record_key) > 1) x`); n != 0 {
		t.Errorf("%d decisions with more than one record key", n)
	}

	t.Run("the same id again is refused", func(t *testing.T) {
		_, err := d.Import(ctx, rel, db.ImportOptions{PseudonymKey: []byte("k")})
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("error %v, want INVALID_INPUT asking for --replace", err)
		}
	})
	t.Run("unchanged is skipped when asked", func(t *testing.T) {
		skipped, err := d.Import(ctx, rel, db.ImportOptions{Replace: true, Unchanged: db.Skip, PseudonymKey: []byte("k")})
		if err != nil || !skipped {
			t.Errorf("skipped %t, %v; want true, nil", skipped, err)
		}
	})
	t.Run("--replace replaces", func(t *testing.T) {
		skipped, err := d.Import(ctx, rel, db.ImportOptions{Replace: true, PseudonymKey: []byte("k")})
		if err != nil || skipped {
			t.Fatalf("skipped %t, %v; want a fresh load", skipped, err)
		}
		if n := count(t, conn, `SELECT count(*) FROM decisions`); n != len(rel.Decisions) {
			t.Errorf("%d rows after replace, want %d: the old rows must go", n, len(rel.Decisions))
		}
	})
	t.Run("a failing import leaves nothing", func(t *testing.T) {
		partitions := count(t, conn, `SELECT count(*) FROM pg_inherits WHERE inhparent = 'decisions'::regclass`)
		bad := *rel
		bad.Meta.ID = "broken"
		bad.OfficialFigures = append(bad.OfficialFigures[:1:1], bad.OfficialFigures[0]) // a duplicate key, caught by the database
		if _, err := d.Import(ctx, &bad, db.ImportOptions{PseudonymKey: []byte("k")}); err == nil {
			t.Fatal("import succeeded, want the duplicate official figure to fail it")
		}
		id := "broken"
		if _, err := d.Release(ctx, &id); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("release after a failed import: %v, want NOT_FOUND", err)
		}
		if n := count(t, conn, `SELECT count(*) FROM pg_inherits WHERE inhparent = 'decisions'::regclass`); n != partitions {
			t.Errorf("%d decision partitions after a failed import, want %d", n, partitions)
		}
	})
	t.Run("no key, no import", func(t *testing.T) {
		other := *rel
		other.Meta.ID = "other"
		if _, err := d.Import(ctx, &other, db.ImportOptions{}); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("error %v, want INVALID_INPUT for a missing pseudonym key", err)
		}
	})
}
