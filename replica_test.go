package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/pgembed"
)

// The production shape on one machine: a PostgreSQL primary and a streaming replica
// (pg_basebackup), two stateless `portal serve` processes reading from the replica
// behind one port, and a new release imported on the primary showing up through it.
func TestReadReplicaAndTwoServers(t *testing.T) {
	ctx := context.Background()
	parent := privateDir(t)
	primary := startPostgres(t, filepath.Join(parent, "primary"))
	if err := db.EnsureDatabase(ctx, primary.URL("postgres"), "portal"); err != nil {
		t.Fatal(err)
	}
	if err := primary.BaseBackup(ctx, filepath.Join(parent, "replica")); err != nil {
		t.Fatal(err)
	}
	replica := startPostgres(t, filepath.Join(parent, "replica"))

	env := []string{"DATABASE_URL=" + primary.URL("portal"), "PORTAL_PSEUDONYM_KEY=replica test"}
	first := filepath.Join(parent, "first")
	if err, log := runPortal(t, "demo-data --decisions 300 --seed 1 --out "+first); err != nil {
		t.Fatalf("demo-data: %v\n%s", err, log)
	}
	if err, log := runPortal(t, "import "+first, env...); err != nil {
		t.Fatalf("import on the primary: %v\n%s", err, log)
	}

	readEnv := []string{"DATABASE_URL=" + primary.URL("portal"), "DATABASE_READ_URL=" + replica.URL("portal"), "RATE_LIMIT_PER_SECOND=0"}
	a, b := startPortal(t, "serve", readEnv...), startPortal(t, "serve", readEnv...)
	front := roundRobin(t, a, b)

	waitFor(t, front, "demo-2015-2024")
	time.Sleep(1500 * time.Millisecond) // each server sees a new import within a second
	answers := map[string]bool{}
	for range 4 {
		answers[releasesVia(t, front)] = true
	}
	if len(answers) != 1 {
		t.Fatalf("the two servers answer %v; want one answer", answers)
	}
	if direct := [2]string{releasesVia(t, a.url("")), releasesVia(t, b.url(""))}; direct[0] != direct[1] {
		t.Errorf("server a says %s, server b %s", direct[0], direct[1])
	}

	second := filepath.Join(parent, "second")
	copyRelease(t, first, second, map[string]string{`"id": "demo-2015-2024"`: `"id": "demo-2015-2024-r2"`})
	if err, log := runPortal(t, "import "+second, env...); err != nil {
		t.Fatalf("second import on the primary: %v\n%s", err, log)
	}
	waitFor(t, front, "demo-2015-2024-r2")
	a.stop(t)
	b.stop(t)
}

// waitFor waits until the servers behind base list the release: replication is
// asynchronous, so the replica follows the primary within moments, not at once.
func waitFor(t *testing.T, base, release string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(releasesVia(t, base), `"`+release+`"`) {
		if time.Now().After(deadline) {
			t.Fatalf("release %s, imported on the primary, did not show through the replica in 30 s: %s", release, releasesVia(t, base))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// startPostgres starts a private server in dir (initialised when empty), stopped
// when the test ends.
func startPostgres(t *testing.T, dir string) *pgembed.Server {
	t.Helper()
	resolved, err := pgembed.ResolveDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := pgembed.Start(context.Background(), pgembed.Options{DataDir: resolved, Fast: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pg.Stop() })
	return pg
}

// roundRobin is one port in front of the servers, taking turns: a load balancer.
func roundRobin(t *testing.T, servers ...*portal) string {
	var next atomic.Int64
	proxies := make([]*httputil.ReverseProxy, len(servers))
	for i, s := range servers {
		u, _ := url.Parse(s.url(""))
		proxies[i] = httputil.NewSingleHostReverseProxy(u)
	}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxies[next.Add(1)%int64(len(proxies))].ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front.URL
}

// releasesVia asks a server for the release ids.
func releasesVia(t *testing.T, base string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": "{ releases { id } }"})
	resp, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", base, resp.StatusCode, b)
	}
	return string(b)
}
