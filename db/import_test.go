package db_test

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/apperr"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/release"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/ukdata"
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

// openWithConn opens a fresh test database through the data layer, and a plain
// connection to it.
func openWithConn(t *testing.T) (*db.DB, *pgx.Conn) {
	url := testdb.NewURL(t)
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d, sqlConn(t, url)
}

func TestImport(t *testing.T) {
	d, conn := openWithConn(t)
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

// TestImportStoresEveryLineAsRead: the lines of a hand-made release with every case
// of the binary COPY (a NULL value and entry, no, one and several denial grounds, a
// decision on several lines) and of the real UK fixture are stored as read.
func TestImportStoresEveryLineAsRead(t *testing.T) {
	d, conn := openWithConn(t)
	storedLinesMatch(t, conn, testdb.ImportFolder(t, d, "testdata/multi-entry"), true)

	uk := t.TempDir()
	if _, err := ukdata.Convert(ukdata.Options{Values: "../internal/ukdata/testdata/values.csv", Out: uk,
		ReleaseID: "uk-fixture", PublishedOn: time.Date(2015, 7, 29, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	storedLinesMatch(t, conn, testdb.ImportFolder(t, d, uk), false)
}

// storedLinesMatch compares the decisions stored for rel, line by line, with the lines
// read from its files: the columns of the release format, the unknown values and
// entries as NULL, the denial grounds in order. The lines are compared as multisets,
// since the import stores them in date order. It fails when the release lacks any of
// the cases the binary COPY encodes differently (a NULL, an empty or a multi-element
// array) when every case is asked for, so that it cannot pass vacuously.
func storedLinesMatch(t *testing.T, conn *pgx.Conn, rel *release.Release, everyCase bool) {
	t.Helper()
	want := map[string]int{}
	var nullValue, nullEntry, noGrounds, severalGrounds bool
	for _, d := range rel.Decisions {
		var value *int64
		if d.ValueKnown {
			v := int64(math.Round(d.ValueEUR * 100))
			value = &v
		}
		grounds := make([]string, len(d.DenialGrounds))
		for i, g := range d.DenialGrounds {
			grounds[i] = string(g)
		}
		nullValue, nullEntry = nullValue || value == nil, nullEntry || d.ControlEntry == ""
		noGrounds, severalGrounds = noGrounds || len(grounds) == 0, severalGrounds || len(grounds) > 1
		want[lineSignature(d.DecisionID, d.MemberState, d.Date, string(d.LicenceType), string(d.Outcome), d.Destination,
			string(d.EndUserType), d.ControlEntry, value, grounds, string(d.CatchAll), d.Date.Year(), (int(d.Date.Month())+2)/3)]++
	}
	if everyCase && (!nullValue || !nullEntry || !noGrounds || !severalGrounds) {
		t.Fatalf("the release lacks a case: unknown value %t, no entry %t, no grounds %t, several grounds %t",
			nullValue, nullEntry, noGrounds, severalGrounds)
	}
	rows, err := conn.Query(context.Background(), `
		SELECT decision_id, member_state, decision_date, licence_type, outcome, destination, end_user_type,
		       coalesce(control_entry, ''), value_cents, denial_grounds, catch_all, year, quarter
		FROM decisions WHERE release_id = $1`, rel.Meta.ID)
	if err != nil {
		t.Fatal(err)
	}
	var (
		id, state, licence, outcome, dest, endUser, entry, catchAll string
		date                                                        time.Time
		value                                                       *int64
		grounds                                                     []string
		year, quarter                                               int
	)
	n := 0
	_, err = pgx.ForEachRow(rows, []any{&id, &state, &date, &licence, &outcome, &dest, &endUser, &entry, &value, &grounds, &catchAll, &year, &quarter}, func() error {
		n++
		sig := lineSignature(id, state, date, licence, outcome, dest, endUser, entry, value, grounds, catchAll, year, quarter)
		if want[sig] == 0 {
			return fmt.Errorf("stored line %d is not a line of the release: %s", n, sig)
		}
		want[sig]--
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(rel.Decisions) {
		t.Errorf("%d lines stored, want %d", n, len(rel.Decisions))
	}
}

func lineSignature(id, state string, date time.Time, licence, outcome, dest, endUser, entry string, value *int64,
	grounds []string, catchAll string, year, quarter int) string {
	v := "unknown"
	if value != nil {
		v = strconv.FormatInt(*value, 10)
	}
	return strings.Join([]string{id, state, date.Format(time.DateOnly), licence, outcome, dest, endUser, entry, v,
		strings.Join(grounds, "+"), catchAll, strconv.Itoa(year), strconv.Itoa(quarter)}, "|")
}
