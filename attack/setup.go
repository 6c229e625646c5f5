package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dualuse-transparency/portal/internal/harnessdb"
)

// attackKey pseudonymises the synthetic exporters and draws the record keys. Both
// releases are imported with it, as an operator keeps one key across releases.
const attackKey = "portal-attack-suite-synthetic-data-only"

// target is the portal under attack and the database its truth is read from.
type target struct {
	base      string // http://127.0.0.1:PORT
	dbURL     string // the database holding the decisions, for scoring only
	release   string // the release attacked; empty: the latest the API lists
	revised   string // a revision of it, for the revisions attack; empty: none
	where     string // how the portal and its database were set up, for the report
	decisions int    // the size of the generated release; 0 when not generated here
	attacked  int    // the decisions of the release attacked, once read
	close     func()
}

// openTarget names the running portal of --portal-url, or sets up one of our own: a
// database, the synthetic release and a revision of it imported, `portal serve`.
func openTarget(ctx context.Context, o options) (*target, error) {
	if o.portalURL != "" {
		return &target{base: strings.TrimRight(o.portalURL, "/"), dbURL: o.databaseURL, release: o.release,
			revised: o.revised, where: "a running portal (--portal-url), truth from --database-url", close: func() {}}, nil
	}
	work, err := os.MkdirTemp("", "portal-attack-")
	if err != nil {
		return nil, err
	}
	database, err := openDatabase(ctx)
	if err != nil {
		os.RemoveAll(work)
		return nil, err
	}
	cleanup := func() {
		if err := database.Close(); err != nil {
			logf("cleaning up the database: %v", err)
		}
		os.RemoveAll(work)
	}
	t, err := ownTarget(ctx, o, database, work)
	if err != nil {
		cleanup()
		return nil, err
	}
	stopServer := t.close
	t.close = func() { stopServer(); cleanup() }
	return t, nil
}

// ownTarget generates and imports the release and its revision, then serves them.
func ownTarget(ctx context.Context, o options, database *harnessdb.Database, work string) (*target, error) {
	dir := filepath.Join(work, "release")
	args := []string{"demo-data", "--out", dir}
	if o.decisions > 0 {
		args = append(args, "--decisions", strconv.Itoa(o.decisions))
	}
	logf("generating the synthetic release")
	if err := portalCommand(ctx, o.portal, database.URL, work, args...); err != nil {
		return nil, err
	}
	if err := portalCommand(ctx, o.portal, database.URL, work, "migrate"); err != nil {
		return nil, err
	}
	logf("importing it")
	if err := portalCommand(ctx, o.portal, database.URL, work, "import", dir); err != nil {
		return nil, err
	}
	id, err := releaseID(dir)
	if err != nil {
		return nil, err
	}
	revised, err := importRevision(ctx, o, database.URL, work, dir, id)
	if err != nil {
		return nil, err
	}
	srv, err := startServer(ctx, o.portal, database.URL, work)
	if err != nil {
		return nil, err
	}
	return &target{base: srv.Base, dbURL: database.URL, release: id, revised: revised,
		where: database.Where + ", `portal serve` with `RATE_LIMIT_PER_SECOND=0`", decisions: o.decisions, close: srv.Stop}, nil
}

// importRevision writes a revision of the release (a few decisions changed, a new
// id) and imports it beside the original.
func importRevision(ctx context.Context, o options, dbURL, work, dir, id string) (string, error) {
	truth, err := readTruth(ctx, dbURL, id)
	if err != nil {
		return "", err
	}
	plan, err := planRevisions(truth, o.seed)
	if err != nil {
		return "", err
	}
	revisedDir := filepath.Join(work, "revised")
	revisedID := id + "-rev1"
	if err := writeRevision(dir, revisedDir, revisedID, plan); err != nil {
		return "", err
	}
	logf("importing the revision %s (%s)", revisedID, plan)
	return revisedID, portalCommand(ctx, o.portal, dbURL, work, "import", revisedDir)
}

// openDatabase makes a fresh database on the server at DATABASE_URL, dropped by Close,
// or else starts a private PostgreSQL in a temporary folder, stopped and removed by
// Close; fsync is off on a private server, as nothing here is timed.
func openDatabase(ctx context.Context) (*harnessdb.Database, error) {
	return harnessdb.Open(ctx, "portal_attack", true)
}

// isLoopback reports whether a URL names this machine, the only one the suite attacks.
func isLoopback(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// logf prints a progress line.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "attack: %s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
