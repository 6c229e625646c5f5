package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

// A download refuses what it does not understand, naming the parameters that exist,
// instead of ignoring it; input no column can hold is invalid, not an internal error.
func TestDownloadsAreStrict(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 200})
	srv := httpServer(t, d, web.Options{})
	tests := []struct {
		path        string
		wantMessage string
	}{
		{"/download/licence-statistics.csv?groupBy=YEAR&year=2022", `unknown parameter "year"; the parameters are: groupBy, orderBy, release, years`},
		{"/download/licence-statistics.csv?groupBy=YEAR&years=2022%zz", "the query string does not parse"},
		{"/download/licence-statistics.csv?groupBy=YEAR;years=2022", "the query string does not parse"},
		{"/download/licence-statistics.csv?groupBy=YEAR&years=2021&years=2022", "years is given 2 times"},
		{"/download/licence-statistics.csv?groupBy=YEAR&years=2147483648", "years: \"2147483648\" is not a whole number"},
		{"/download/denials-by-destination.csv?level=COUNTRY&yeras=2022", `unknown parameter "yeras"`},
		{"/download/denials-by-destination.csv?memberStates=%00", "NUL"},
		{"/download/surveillance-list.json?asof=2024-01-01", `unknown parameter "asof"; the parameters are: asOf, release`},
		{"/download/annual-report/2147483648.json", "is not a whole number"},
		{"/download/annual-report/2022.json?relase=x", `unknown parameter "relase"`},
		{"/feeds/surveillance-list.atom?since=2020-01-01", `unknown parameter "since"; the parameters are: release`},
		{"/releases/%00", "NUL"},
		{"/releases/demo-2015-2024?x=1", `unknown parameter "x"; this address takes no parameters`},
	}
	for _, tt := range tests {
		r := mustFetch(t, "GET", srv.URL+tt.path, "")
		errs := r.errors()
		if r.status != 400 || len(errs) != 1 || errs[0].Extensions.Code != "INVALID_INPUT" || !strings.Contains(errs[0].Message, tt.wantMessage) {
			t.Errorf("GET %s: %d %s; want 400 INVALID_INPUT saying %q", tt.path, r.status, r.body, tt.wantMessage)
		}
	}
	if r := mustFetch(t, "GET", srv.URL+"/download/licence-statistics.csv?groupBy=YEAR&years=2022", ""); r.status != 200 || strings.Count(r.body, "\n") != 2 {
		t.Errorf("the year 2022: %d %q; want a header and one row", r.status, r.body)
	}
}

// Every answer says nosniff and sends no referrer; the page forbids framing and has a
// CSP; the GraphQL answer varies by Accept.
func TestSecurityHeaders(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 100})
	srv := httpServer(t, d, web.Options{})
	for _, path := range []string{"/", "/graphql?query=%7Bregions%7Bcode%7D%7D", "/download/surveillance-list.csv", "/releases/nope", "/healthz", "/nothing", "/schema.graphql"} {
		r := mustFetch(t, "GET", srv.URL+path, "")
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("GET %s: X-Content-Type-Options %q, Referrer-Policy %q", path, r.header.Get("X-Content-Type-Options"), r.header.Get("Referrer-Policy"))
		}
	}
	page := mustFetch(t, "GET", srv.URL+"/", "")
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || page.header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("the page: CSP %q, X-Frame-Options %q; want a CSP with frame-ancestors 'none' and DENY", csp, page.header.Get("X-Frame-Options"))
	}
	api := mustFetch(t, "GET", srv.URL+"/graphql?query=%7Bregions%7Bcode%7D%7D", "", "Accept", "application/graphql-response+json")
	if !strings.Contains(strings.Join(api.header.Values("Vary"), ","), "Accept") {
		t.Errorf("the GraphQL answer: Vary %q, want Accept in it", api.header.Values("Vary"))
	}
}

// Answers and downloads are compressed for a client that accepts gzip, under an ETag
// of their own, and the compressed variant's ETag gets a 304 too.
func TestCompression(t *testing.T) {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 300})
	srv := httpServer(t, d, web.Options{})
	for _, path := range []string{"/download/surveillance-list.csv", gqlGet(`{ controlEntries(first: 100) { nodes { code description } } }`)} {
		plain := mustFetch(t, "GET", srv.URL+path, "")
		zipped := mustFetch(t, "GET", srv.URL+path, "", "Accept-Encoding", "gzip")
		if plain.status != 200 || zipped.status != 200 || zipped.header.Get("Content-Encoding") != "gzip" || plain.header.Get("Content-Encoding") != "" {
			t.Fatalf("GET %s: plain %d (%q), with gzip %d (%q); want 200 each, gzip only when asked: %.300s", path, plain.status, plain.header.Get("Content-Encoding"), zipped.status, zipped.header.Get("Content-Encoding"), plain.body)
		}
		zr, err := gzip.NewReader(bytes.NewReader([]byte(zipped.body)))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, err := io.ReadAll(zr)
		if err != nil || string(unzipped) != plain.body || len(zipped.body) >= len(plain.body) {
			t.Errorf("GET %s: %d bytes gzipped to %d, unzipped equal: %t (%v)", path, len(plain.body), len(zipped.body), string(unzipped) == plain.body, err)
		}
		plainTag, zippedTag := plain.header.Get("ETag"), zipped.header.Get("ETag")
		if plainTag == "" || zippedTag == "" || plainTag == zippedTag {
			t.Errorf("GET %s: ETag %q plain, %q gzipped; want two different tags", path, plainTag, zippedTag)
		}
		// Accept-Encoding once: from memory too, where the answer was compressed when kept.
		again := mustFetch(t, "GET", srv.URL+path, "", "Accept-Encoding", "gzip")
		for _, r := range []reply{zipped, again} {
			if vary := strings.Join(r.header.Values("Vary"), ","); strings.Count(vary, "Accept-Encoding") != 1 {
				t.Errorf("GET %s: Vary %q, want Accept-Encoding in it once", path, vary)
			}
		}
		if r := mustFetch(t, "GET", srv.URL+path, "", "Accept-Encoding", "gzip", "If-None-Match", zippedTag); r.status != 304 {
			t.Errorf("GET %s with If-None-Match %s: %d, want 304", path, zippedTag, r.status)
		}
	}
}
