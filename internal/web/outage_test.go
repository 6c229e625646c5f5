package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/pgembed"
	"github.com/dualuse-transparency/portal/internal/testdb"
)

// When PostgreSQL stops, requests fail fast with UNAVAILABLE and /readyz says not
// ready; when it comes back, the server answers again without a restart.
func TestDatabaseOutage(t *testing.T) {
	ctx := context.Background()
	pg := privatePostgres(t, 0)
	if err := db.EnsureDatabase(ctx, pg.URL("postgres"), "portal"); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, pg.URL("portal"), db.WithStatementTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	testdb.ImportDemo(t, d, demodata.Options{Seed: 4, Decisions: 200})
	srv := httptest.NewServer(newHandler(t, d))
	t.Cleanup(srv.Close)
	if a := post(t, srv, gqlBody(`{ regions { code } }`)); a.status != 200 || len(a.errors) != 0 {
		t.Fatalf("before the outage: %d %+v", a.status, a.errors)
	}

	if err := pg.Stop(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	a := post(t, srv, gqlBody(`{ memberStates { code } }`))
	if took := time.Since(start); len(a.errors) != 1 || a.errors[0].Extensions.Code != "UNAVAILABLE" || took > 5*time.Second {
		t.Errorf("during the outage: %+v after %s; want one UNAVAILABLE error, fast", a.errors, took)
	}
	if r := get(t, srv, "/readyz"); r.status != 503 {
		t.Errorf("readyz during the outage: %d, want 503", r.status)
	}

	privatePostgres(t, pg.Port(), pg.DataDir())
	deadline := time.Now().Add(20 * time.Second)
	for {
		a := post(t, srv, gqlBody(`{ productGroups { code } }`))
		if a.status == 200 && len(a.errors) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery 20 s after PostgreSQL came back: %+v", a.errors)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if r := get(t, srv, "/readyz"); r.status != 200 {
		t.Errorf("readyz after the outage: %d, want 200", r.status)
	}
}

// privatePostgres starts a PostgreSQL server of the test's own, in dir (a new folder
// when none is given) on port (a free one for 0), stopped when the test ends.
func privatePostgres(t *testing.T, port int, dir ...string) *pgembed.Server {
	t.Helper()
	if len(dir) == 0 {
		parent, err := os.MkdirTemp("", "portal-outage-")
		if err != nil {
			t.Fatal(err)
		}
		_ = os.Chmod(parent, 0o755)
		t.Cleanup(func() { os.RemoveAll(parent) })
		dir = []string{filepath.Join(parent, "pgdata")}
	}
	resolved, err := pgembed.ResolveDataDir(dir[0])
	if err != nil {
		t.Fatal(err)
	}
	pg, err := pgembed.Start(context.Background(), pgembed.Options{DataDir: resolved, Port: port, Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop() })
	return pg
}

// A query that runs over the statement timeout is cancelled by PostgreSQL and answered
// with a limit error, not an internal one.
func TestStatementTimeout(t *testing.T) {
	ctx := context.Background()
	url := testdb.NewURL(t)
	loader, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	testdb.ImportDemo(t, loader, demodata.Options{Seed: 6, Decisions: 60_000})
	loader.Close()
	d, err := db.Open(ctx, url, db.WithStatementTimeout(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	srv := httptest.NewServer(newHandler(t, d))
	t.Cleanup(srv.Close)
	a := post(t, srv, gqlBody(`{ licenceStatistics(groupBy: [YEAR, MEMBER_STATE, DESTINATION, CONTROL_ENTRY], first: 10) { totalCount } }`))
	if len(a.errors) != 1 || a.errors[0].Extensions.Code != "LIMIT_EXCEEDED" || !strings.Contains(a.errors[0].Message, "time limit") {
		t.Errorf("errors %+v, want one LIMIT_EXCEEDED about the time limit", a.errors)
	}
}
