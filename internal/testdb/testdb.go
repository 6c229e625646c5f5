// Package testdb gives each test its own fresh database on a real PostgreSQL: the
// server at DATABASE_URL when it is set, otherwise a private server started from the
// machine's PostgreSQL binaries for the test binary's lifetime. Databases are cloned
// from a template migrated once per test binary, so a fresh database costs milliseconds.
//
// It is imported only by tests. When no database can be had, tests fail; they never skip.
package testdb

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/harnessdb"
	"github.com/dualuse-transparency/portal/internal/pgembed"
	"github.com/dualuse-transparency/portal/internal/release"
)

var (
	once      sync.Once
	setupErr  error
	server    *pgembed.Server // nil when DATABASE_URL is used
	serverDir string
	adminURL  string
	template  string
	created   []string
	mu        sync.Mutex
)

// Main runs a package's tests, then drops the databases they made and stops the
// private server. Call it from TestMain: os.Exit(testdb.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if err := teardown(); err != nil {
		fmt.Fprintln(os.Stderr, "testdb:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// New returns a handle on a fresh database with the schema and reference data.
func New(t testing.TB, opts ...db.Option) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), NewURL(t), opts...)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(d.Close)
	return d
}

// ImportDemo generates a synthetic release with the options and imports it into d.
// It returns the release as read, the known truth the tests compare published figures to.
func ImportDemo(t testing.TB, d *db.DB, opts demodata.Options) *release.Release {
	t.Helper()
	dir := t.TempDir()
	if _, err := demodata.Write(dir, opts); err != nil {
		t.Fatalf("testdb: demo data: %v", err)
	}
	return ImportFolder(t, d, dir)
}

// ImportFolder reads a release folder against d's reference data and imports it. It
// returns the release as read, the known truth the tests compare published figures to.
func ImportFolder(t testing.TB, d *db.DB, dir string) *release.Release {
	t.Helper()
	ctx := context.Background()
	ref, err := d.ReleaseReference(ctx)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	rel, err := release.Read(dir, ref)
	if err != nil {
		t.Fatalf("testdb: release %s: %v", dir, err)
	}
	if _, err := d.Import(ctx, rel, db.ImportOptions{PseudonymKey: []byte("test key")}); err != nil {
		t.Fatalf("testdb: import %s: %v", dir, err)
	}
	return rel
}

// NewURL creates a fresh database with the schema and reference data and returns its URL.
func NewURL(t testing.TB) string {
	t.Helper()
	once.Do(func() { setupErr = setup(context.Background()) })
	if setupErr != nil {
		t.Fatalf("testdb: no database for the tests: %v", setupErr)
	}
	name := harnessdb.UniqueName("portal_test")
	if err := exec(context.Background(), fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	remember(name)
	return DatabaseURL(name)
}

// DatabaseURL returns the URL of the named database on the test server.
func DatabaseURL(name string) string {
	if server != nil {
		return server.URL(name)
	}
	u, err := harnessdb.DatabaseURL(adminURL, name)
	if err != nil { // setup connected to adminURL, so it parses
		panic("testdb: " + err.Error())
	}
	return u
}

// Server returns the private server, or nil when the tests use DATABASE_URL.
func Server() *pgembed.Server { return server }

func setup(ctx context.Context) error {
	adminURL = os.Getenv("DATABASE_URL")
	if adminURL == "" {
		if err := startServer(ctx); err != nil {
			return err
		}
	}
	template = harnessdb.UniqueName("portal_template")
	if err := exec(ctx, "CREATE DATABASE "+template); err != nil {
		return err
	}
	remember(template)
	d, err := db.Open(ctx, DatabaseURL(template))
	if err != nil {
		return err
	}
	defer d.Close()
	_, err = d.Migrate(ctx)
	return err
}

func startServer(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "portal-test-pgdata-")
	if err != nil {
		return err
	}
	serverDir = dir
	if dir, err = pgembed.ResolveDataDir(dir); err != nil {
		return err
	}
	server, err = pgembed.Start(ctx, pgembed.Options{DataDir: dir, Fast: true})
	if err != nil {
		return err
	}
	adminURL = server.URL("postgres")
	return nil
}

func teardown() error {
	if setupErr != nil || adminURL == "" {
		return nil
	}
	ctx := context.Background()
	var errs []string
	for i := len(created) - 1; i >= 0; i-- {
		if err := exec(ctx, "DROP DATABASE IF EXISTS "+created[i]+" WITH (FORCE)"); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if server != nil {
		if err := server.Stop(); err != nil {
			errs = append(errs, err.Error())
		}
		os.RemoveAll(serverDir)
	}
	if len(errs) > 0 {
		return fmt.Errorf("teardown: %s", strings.Join(errs, "; "))
	}
	return nil
}

// exec runs one statement on the server's maintenance database.
func exec(ctx context.Context, sql string) error { return harnessdb.Exec(ctx, adminURL, sql) }

func remember(name string) {
	mu.Lock()
	defer mu.Unlock()
	created = append(created, name)
}
