package db_test

import (
	"bytes"
	"context"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/release"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// aggregations counts the statements that aggregate decisions into cells (the
// statistics engine's SQL) and those that read precomputed cells.
type aggregations struct{ engine, stored atomic.Int64 }

func (a *aggregations) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	switch {
	case strings.Contains(data.SQL, "per_exporter"):
		a.engine.Add(1)
	case strings.Contains(data.SQL, "FROM release_cells"):
		a.stored.Add(1)
	}
	return ctx
}

func (a *aggregations) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (a *aggregations) reset() { a.engine.Store(0); a.stored.Store(0) }

// logBuffer is a logger whose lines a test can read.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

func importWithLog(t *testing.T, d *db.DB, dir string, opts db.ImportOptions) (*release.Release, string) {
	t.Helper()
	ctx := context.Background()
	ref, err := d.ReleaseReference(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := release.Read(dir, ref)
	if err != nil {
		t.Fatal(err)
	}
	var log logBuffer
	opts.PseudonymKey, opts.Log = []byte("test key"), slog.New(slog.NewTextHandler(&log, nil))
	if _, err := d.Import(ctx, rel, opts); err != nil {
		t.Fatal(err)
	}
	return rel, log.String()
}

func TestPrecompute(t *testing.T) {
	ctx := context.Background()
	url := testdb.NewURL(t)
	trace := &aggregations{}
	d, err := db.Open(ctx, url, db.WithTracer(trace))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	conn := sqlConn(t, url)
	dir := t.TempDir()
	if _, err := demodata.Write(dir, demodata.Options{Seed: 16, Decisions: 20000, FromYear: 2021, ToYear: 2024}); err != nil {
		t.Fatal(err)
	}
	rel, log := importWithLog(t, d, dir, db.ImportOptions{})
	id := rel.Meta.ID
	stored := func() int { return count(t, conn, `SELECT count(*) FROM release_cells WHERE release_id = $1`, id) }

	t.Run("the import reports what it precomputed", func(t *testing.T) {
		if !strings.Contains(log, "msg=precomputed") || !strings.Contains(log, "release="+id) || !strings.Contains(log, "years=4") ||
			!strings.Contains(log, "bytes=") || !strings.Contains(log, "seconds=") {
			t.Errorf("import log %q: want a line saying what was precomputed, its size and time", log)
		}
		// Per year: the report's 5 tables and its 2 totals (the year before's is the total of
		// the year before), the 5 queries of its denials table and grounds that the year
		// before does not share, and the applications by destination; the first year's year
		// before; the 3 cubes of the whole period.
		if n := stored(); n < 4*13+1+3 {
			t.Errorf("%d tables stored, want the standard tables of 4 years and 3 cubes", n)
		}
	})

	r, err := d.Release(ctx, &id)
	if err != nil {
		t.Fatal(err)
	}
	fresh := db.WithoutStoredCells(ctx)
	// served computes a table from release_cells, then afresh, and checks the two are the
	// same and the first ran none of the engine's aggregations.
	served := func(t *testing.T, d *db.DB, trace *aggregations, build func(context.Context) (any, error)) {
		t.Helper()
		trace.reset()
		got, err := build(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n, s := trace.engine.Load(), trace.stored.Load(); n != 0 || s == 0 {
			t.Errorf("%d aggregations and %d reads of release_cells, want none and some: the table is precomputed", n, s)
		}
		trace.reset()
		want, err := build(fresh)
		if err != nil {
			t.Fatal(err)
		}
		if trace.engine.Load() == 0 || trace.stored.Load() != 0 {
			t.Errorf("WithoutStoredCells: %d aggregations, %d reads of release_cells; want the engine only", trace.engine.Load(), trace.stored.Load())
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("served from release_cells:\n%+v\ncomputed afresh:\n%+v", got, want)
		}
	}
	standard := map[string]func(context.Context) (any, error){
		"the annual report of a year":         func(ctx context.Context) (any, error) { return d.AnnualReport(ctx, r, 2023) },
		"the annual report of the first year": func(ctx context.Context) (any, error) { return d.AnnualReport(ctx, r, 2021) },
		"the explore page's denials by destination (B1)": func(ctx context.Context) (any, error) {
			first := 50
			return d.DenialsByDestination(ctx, db.DenialsQuery{Release: r, Filter: db.StatisticsFilter{Years: []int{2024}}, Level: db.LevelCountry},
				db.DenialsOrder{By: db.ByDenials, Direction: db.Descending}, &first, nil)
		},
		"the explore page's time series": func(ctx context.Context) (any, error) {
			return d.LicenceStatisticsRows(ctx, db.StatisticsQuery{Release: r, GroupBy: []db.Dimension{db.DimYear, db.DimDestinationRegion}}, nil)
		},
		"cyber-surveillance by year and region (B2)": func(ctx context.Context) (any, error) {
			cyber := true
			return d.LicenceStatisticsRows(ctx, db.StatisticsQuery{Release: r, Filter: db.StatisticsFilter{CyberSurveillance: &cyber},
				GroupBy: []db.Dimension{db.DimYear, db.DimDestinationRegion}}, nil)
		},
		"year, Member State and category (B5)": func(ctx context.Context) (any, error) {
			first := 1000
			return d.LicenceStatistics(ctx, db.StatisticsQuery{Release: r, GroupBy: []db.Dimension{db.DimYear, db.DimMemberState, db.DimControlCategory}},
				nil, &first, nil)
		},
	}
	for name, build := range standard {
		t.Run(name+" is served from release_cells, the same", func(t *testing.T) { served(t, d, trace, build) })
	}

	t.Run("another table is computed as before", func(t *testing.T) {
		trace.reset()
		if _, err := d.LicenceStatisticsRows(ctx, db.StatisticsQuery{Release: r, GroupBy: []db.Dimension{db.DimLicenceType, db.DimOutcome}}, nil); err != nil {
			t.Fatal(err)
		}
		if trace.engine.Load() != 1 || trace.stored.Load() != 1 {
			t.Errorf("%d aggregations, %d lookups; want one of each", trace.engine.Load(), trace.stored.Load())
		}
	})

	t.Run("the serving connection reads them", func(t *testing.T) {
		readerTrace := &aggregations{}
		reader, err := db.Open(ctx, url, db.ReadOnly(), db.WithTracer(readerTrace))
		if err != nil {
			t.Fatal(err)
		}
		defer reader.Close()
		var role string
		if err := reader.QueryRowForTest(ctx, `SELECT current_user`, &role); err != nil || role != "portal_reader" {
			t.Fatalf("the read-only connection acts as %q (%v), want portal_reader", role, err)
		}
		served(t, reader, readerTrace, func(ctx context.Context) (any, error) { return reader.AnnualReport(ctx, r, 2024) })
	})

	t.Run("an unchanged release loaded without them gets them", func(t *testing.T) {
		want := stored()
		if _, err := conn.Exec(ctx, `DELETE FROM release_cells WHERE release_id = $1`, id); err != nil {
			t.Fatal(err)
		}
		importWithLog(t, d, dir, db.ImportOptions{Replace: true, Unchanged: db.Skip})
		if n := stored(); n != want {
			t.Errorf("%d tables stored after loading the unchanged release, want %d", n, want)
		}
	})

	t.Run("a replaced release drops its old cells", func(t *testing.T) {
		want := stored()
		stale := bytes.Repeat([]byte{0xAB}, 32)
		if _, err := conn.Exec(ctx, `INSERT INTO release_cells (release_id, key, cells) VALUES ($1, $2, '\x01')`, id, stale); err != nil {
			t.Fatal(err)
		}
		importWithLog(t, d, dir, db.ImportOptions{Replace: true})
		if n := count(t, conn, `SELECT count(*) FROM release_cells WHERE release_id = $1 AND key = $2`, id, stale); n != 0 {
			t.Error("a cell stored for the release before it was replaced is still there")
		}
		if n := stored(); n != want {
			t.Errorf("%d tables stored after the replace, want %d, computed again", n, want)
		}
		r2, err := d.Release(ctx, &id)
		if err != nil {
			t.Fatal(err)
		}
		r = r2
		served(t, d, trace, func(ctx context.Context) (any, error) { return d.AnnualReport(ctx, r, 2022) })
	})

	t.Run("unreadable cells are computed afresh", func(t *testing.T) {
		if _, err := conn.Exec(ctx, `UPDATE release_cells SET cells = '\x00' WHERE release_id = $1`, id); err != nil {
			t.Fatal(err)
		}
		trace.reset()
		got, err := d.AnnualReport(ctx, r, 2022)
		if err != nil {
			t.Fatal(err)
		}
		want, err := d.AnnualReport(fresh, r, 2022)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("with unreadable cells: %v, want the report computed afresh", err)
		}
	})

}
