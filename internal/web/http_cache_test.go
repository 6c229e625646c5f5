package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dualuse-transparency/portal/db"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

// httpServer serves the API on d with the options (the schema and logger filled in).
func httpServer(t *testing.T, d *db.DB, opts web.Options) *httptest.Server {
	t.Helper()
	schema, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	opts.Schema = schema
	opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := httptest.NewServer(web.NewHandler(d, opts))
	t.Cleanup(srv.Close)
	return srv
}

// plainClient sends requests as written: no Accept-Encoding added, nothing decoded.
var plainClient = &http.Client{Transport: &http.Transport{DisableCompression: true}}

type reply struct {
	status int
	header http.Header
	body   string
}

func (r reply) errors() []gqlError {
	var parsed struct{ Errors []gqlError }
	_ = json.Unmarshal([]byte(r.body), &parsed)
	return parsed.Errors
}

// fetch sends a request with the header pairs and reads the whole answer.
func fetch(ctx context.Context, t *testing.T, method, u, body string, header ...string) (reply, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if method == "POST" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := plainClient.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: string(b)}, err
}

func mustFetch(t *testing.T, method, u, body string, header ...string) reply {
	t.Helper()
	r, err := fetch(context.Background(), t, method, u, body, header...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func gqlGet(query string) string { return "/graphql?query=" + url.QueryEscape(query) }

// Errors are never cached, by the browser, a CDN or the server, and carry no ETag; an
// If-None-Match (even *) turns only a successful answer into 304.
func TestErrorsAreNotCached(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 100})
	srv := httpServer(t, d, web.Options{RateLimit: web.RateLimit{PerSecond: 0.001, Burst: 8}})

	notFound := []string{"/releases/nope", gqlGet(`{ controlEntry(code: "9Z999") { code } }`), "/download/annual-report/1800.json"}
	for _, path := range notFound {
		for _, inm := range []string{"", "*"} {
			r := mustFetch(t, "GET", srv.URL+path, "", "If-None-Match", inm)
			if r.status == 304 || r.header.Get("ETag") != "" || r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("GET %s (If-None-Match %q): %d, ETag %q, Cache-Control %q; want the error itself, no ETag, no-store",
					path, inm, r.status, r.header.Get("ETag"), r.header.Get("Cache-Control"))
			}
		}
	}

	ok := mustFetch(t, "GET", srv.URL+"/releases/demo-2015-2024", "")
	etag := ok.header.Get("ETag")
	if ok.status != 200 || etag == "" || !strings.HasPrefix(ok.header.Get("Cache-Control"), "public, max-age=") {
		t.Fatalf("a release: %d, ETag %q, Cache-Control %q; want 200, an ETag, public", ok.status, etag, ok.header.Get("Cache-Control"))
	}
	for _, inm := range []string{etag, "*"} {
		if r := mustFetch(t, "GET", srv.URL+"/releases/demo-2015-2024", "", "If-None-Match", inm); r.status != 304 || r.header.Get("ETag") != etag {
			t.Errorf("the release with If-None-Match %s: %d, ETag %q; want 304 with the ETag", inm, r.status, r.header.Get("ETag"))
		}
	}

	var limited reply // the bucket holds 8; the rest are refused
	for range 10 {
		if limited = mustFetch(t, "GET", srv.URL+gqlGet(`{ regions { code } }`), ""); limited.status == 429 {
			break
		}
	}
	if limited.status != 429 || limited.header.Get("ETag") != "" || limited.header.Get("Cache-Control") != "no-store" {
		t.Errorf("over the rate: %d, ETag %q, Cache-Control %q; want 429, no ETag, no-store", limited.status, limited.header.Get("ETag"), limited.header.Get("Cache-Control"))
	}
}

// Two queries that differ inside a string literal are two answers; two that differ
// only in layout share one.
func TestCacheKeyKeepsStringLiterals(t *testing.T) {
	srv := httpServer(t, testdb.New(t), web.Options{})
	count := func(query string) (int, string) {
		r := mustFetch(t, "GET", srv.URL+gqlGet(query), "")
		var parsed struct {
			Data struct{ ControlEntries struct{ TotalCount int } }
		}
		if err := json.Unmarshal([]byte(r.body), &parsed); err != nil || r.status != 200 {
			t.Fatalf("%s: %d %s", query, r.status, r.body)
		}
		return parsed.Data.ControlEntries.TotalCount, r.header.Get("ETag")
	}
	one, oneTag := count(`{ controlEntries(search: "Telecommunications systems") { totalCount } }`)
	two, twoTag := count(`{ controlEntries(search: "Telecommunications  systems") { totalCount } }`)
	if one == 0 || two != 0 || oneTag == twoTag {
		t.Errorf("one space: %d entries (ETag %s), two spaces: %d (ETag %s); want some, then none, under two ETags", one, oneTag, two, twoTag)
	}
	again, againTag := count("query {\n  controlEntries( search:\"Telecommunications systems\" ) {\n    totalCount\n  }\n}")
	if again != one || againTag != oneTag {
		t.Errorf("the first query laid out differently: %d (ETag %s), want %d (ETag %s)", again, againTag, one, oneTag)
	}
}

// When the client that started a computation leaves, the identical requests waiting
// for it still get its answer.
func TestSharedComputationOutlivesFirstClient(t *testing.T) {
	url := testdb.NewURL(t)
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 5, Decisions: 300})
	srv := httpServer(t, d, web.Options{})
	mustFetch(t, "GET", srv.URL+"/readyz", "") // the data version is known
	body := `{"query":"{ licenceStatistics(groupBy: [YEAR]) { totalCount } }"}`

	// Hold the decisions, so the computation waits for them.
	lock, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close(context.Background())
	tx, err := lock.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(context.Background(), "LOCK TABLE decisions IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}

	first, leave := context.WithCancel(context.Background())
	firstDone := make(chan error, 1)
	go func() { _, err := fetch(first, t, "POST", srv.URL+"/graphql", body); firstDone <- err }()
	time.Sleep(300 * time.Millisecond)
	var wg sync.WaitGroup
	replies := make([]reply, 3)
	for i := range replies {
		wg.Go(func() { replies[i], _ = fetch(context.Background(), t, "POST", srv.URL+"/graphql", body) })
	}
	time.Sleep(300 * time.Millisecond)
	leave()
	if err := <-firstDone; err == nil {
		t.Fatal("the first client got an answer while the decisions were locked")
	}
	time.Sleep(300 * time.Millisecond)
	if err := tx.Rollback(context.Background()); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, r := range replies {
		if r.status != 200 || len(r.errors()) != 0 || !strings.Contains(r.body, `"totalCount":`) {
			t.Errorf("waiting client %d: %d %.300s; want the answer", i, r.status, r.body)
		}
	}
}

// A cached answer does not wait for the database: not for a connection, not for the
// data version.
func TestCachedAnswerDoesNotWaitForDatabase(t *testing.T) {
	url := testdb.NewURL(t)
	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 5, Decisions: 100})
	srv := httpServer(t, d, web.Options{})
	path := gqlGet(`{ releases { id } }`)
	if r := mustFetch(t, "GET", srv.URL+path, ""); r.status != 200 || !strings.Contains(r.body, "demo-2015-2024") {
		t.Fatalf("warming: %d %s", r.status, r.body)
	}

	lock, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close(context.Background())
	tx, err := lock.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(context.Background(), "LOCK TABLE releases IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1200 * time.Millisecond) // the data version is due for a refresh
	for i := range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		start := time.Now()
		r, err := fetch(ctx, t, "GET", srv.URL+path, "")
		cancel()
		if took := time.Since(start); err != nil || r.status != 200 || !strings.Contains(r.body, "demo-2015-2024") || took > 500*time.Millisecond {
			t.Errorf("cached GET %d while the releases are locked: %v %d after %s; want the cached answer at once", i, err, r.status, took)
		}
	}
}

// Each failure carries a short message, whatever the client sent.
func TestErrorsEchoInputShort(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 100})
	srv := httpServer(t, d, web.Options{})
	long := strings.Repeat("A", 600_000)
	queries := []string{
		`{ controlEntries(first: 5, after: "` + long + `") { totalCount } }`,
		`{ controlEntry(code: "` + long + `") { code } }`,
		`{ releases(` + strings.Repeat("x", 50_000) + `) { id } }`,
	}
	for _, q := range queries {
		b, _ := json.Marshal(map[string]any{"query": q})
		r := mustFetch(t, "POST", srv.URL+"/graphql", string(b))
		if errs := r.errors(); len(errs) == 0 || len(r.body) > 2000 {
			t.Errorf("query of %d bytes: %d, %d bytes: %.300s; want an error of under 2,000 bytes", len(q), r.status, len(r.body), r.body)
		}
	}
	body := `{"query": "{ regions { code } }", "variables": {"x": "` + strings.Repeat("B", 900_000) + `"`
	if r := mustFetch(t, "POST", srv.URL+"/graphql", body); r.status < 400 || len(r.body) > 2000 {
		t.Errorf("a broken body of %d bytes: %d, %d bytes: %.300s; want an error of under 2,000 bytes", len(body), r.status, len(r.body), r.body)
	}
	for _, path := range []string{"/download/licence-statistics.csv?groupBy=YEAR&orderBy=" + strings.Repeat("C", 1900),
		"/download/licence-statistics.csv?groupBy=" + strings.Repeat("D", 1900), "/releases/" + strings.Repeat("E", 1900)} {
		if r := mustFetch(t, "GET", srv.URL+path, ""); r.status < 400 || len(r.body) > 1000 {
			t.Errorf("GET %.60s…: %d, %d bytes: %.300s; want an error of under 1,000 bytes", path, r.status, len(r.body), r.body)
		}
	}
}
