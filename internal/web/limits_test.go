package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

// publicServer is the API as the public meets it: over HTTP, with a rate limit.
func publicServer(t *testing.T, limit web.RateLimit) *httptest.Server {
	return publicServerWith(t, web.Options{RateLimit: limit})
}

// publicServerWith is the API over HTTP with opts (the schema and a logger added).
func publicServerWith(t *testing.T, opts web.Options) *httptest.Server {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 2, Decisions: 300})
	schema, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	opts.Schema = schema
	opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := web.NewHandler(d, opts)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

type answer struct {
	status int
	header http.Header
	errors []gqlError
	ext    map[string]any
	body   string
}

func post(t *testing.T, srv *httptest.Server, body string, header ...string) answer {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func get(t *testing.T, srv *httptest.Server, path string, header ...string) answer {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) answer {
	t.Helper()
	return doWith(t, http.DefaultClient, req)
}

func doWith(t *testing.T, client *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var parsed struct {
		Errors     []gqlError
		Extensions map[string]any
	}
	_ = json.Unmarshal(b, &parsed)
	return answer{status: resp.StatusCode, header: resp.Header, errors: parsed.Errors, ext: parsed.Extensions, body: string(b)}
}

func gqlBody(query string) string {
	b, _ := json.Marshal(map[string]string{"query": query})
	return string(b)
}

func gqlBodyOp(query, operationName string) string {
	b, _ := json.Marshal(map[string]string{"query": query, "operationName": operationName})
	return string(b)
}

// Hostile queries each get a clean, coded error, and the server stays healthy.
func TestHostileQueries(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	deep := "{ controlEntry(code: \"5A001.j\") { " + strings.Repeat("parent { ", 30) + "code" + strings.Repeat(" }", 30) + " } }"
	var aliases strings.Builder
	aliases.WriteString("{")
	for i := range 3000 {
		fmt.Fprintf(&aliases, " a%d: regions { code }", i)
	}
	aliases.WriteString(" }")
	years := make([]string, 20000)
	for i := range years {
		years[i] = "2020"
	}
	tests := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{name: "deep nesting", body: gqlBody(deep), status: 200, code: "DEPTH_LIMIT_EXCEEDED"},
		{name: "thousands of aliases", body: gqlBody(aliases.String()), status: 200, code: "GRAPHQL_PARSE_FAILED"},
		{name: "a few dozen aliases", body: gqlBody("{" + strings.Repeat(" r: regions { code }", 1) + aliasList(40) + " }"), status: 200, code: "ALIAS_LIMIT_EXCEEDED"},
		{name: "too complex", body: gqlBody(aliasedTables(3, "MEMBER_STATE, DESTINATION", 1000, "applications { value status note } issued { value status note } denials { value status note } valueApplied { value status note } valueIssued { value status note }")), status: 200, code: "COMPLEXITY_LIMIT_EXCEEDED"},
		{name: "a huge list", body: gqlBody(`{ licenceStatistics(groupBy: [YEAR], filter: {years: [` + strings.Join(years, ",") + `]}) { totalCount } }`), status: 200, code: "GRAPHQL_PARSE_FAILED"},
		{name: "a body over a megabyte", body: gqlBody(`{ controlEntries(search: "` + strings.Repeat("y", 1_500_000) + `") { totalCount } }`), status: 413, code: "BODY_TOO_LARGE"},
		{name: "fragment cycle", body: gqlBody(`{ regions { ...a } } fragment a on Region { parent { ...b } } fragment b on Region { parent { ...a } }`), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "a very long string", body: gqlBody(`{ controlEntries(search: "` + strings.Repeat("x", 200_000) + `") { totalCount } }`), status: 200, code: ""},
		{name: "not JSON", body: `{"query": "{ regions { code }`, status: 400, code: "BAD_REQUEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			a := post(t, srv, tt.body)
			if a.status != tt.status || (tt.code != "" && (len(a.errors) == 0 || a.errors[0].Extensions.Code != tt.code)) {
				t.Errorf("status %d, errors %+v; want %d with code %q", a.status, a.errors, tt.status, tt.code)
			}
			if strings.Contains(a.body, "panic") || strings.Contains(a.body, "goroutine") || len(a.body) > 20_000 {
				t.Errorf("the answer gives away internals or is huge (%d bytes)", len(a.body))
			}
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %s", time.Since(start))
			}
		})
	}
	if a := get(t, srv, "/healthz"); a.status != 200 {
		t.Errorf("healthz after the hostile queries: %d", a.status)
	}
	if a := post(t, srv, gqlBody(`{ regions { code } }`)); a.status != 200 || len(a.errors) != 0 {
		t.Errorf("an ordinary query after the hostile ones: %d %+v", a.status, a.errors)
	}
}

func aliasList(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " x%d: productGroups { code }", i)
	}
	return b.String()
}

// Every answer reports its cost; GET answers can be cached and revalidated.
func TestCostAndCaching(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	a := post(t, srv, gqlBody(`{ licenceStatistics(groupBy: [YEAR], first: 10) { rows { year applications { value } } } }`))
	cost, _ := a.ext["cost"].(map[string]any)
	if cost == nil || cost["complexity"].(float64) < 10 || cost["limit"].(float64) == 0 {
		t.Errorf("extensions %v, want the query's cost and the limit", a.ext)
	}
	path := "/graphql?query=" + strings.ReplaceAll("{ regions { code } }", " ", "%20")
	first := get(t, srv, path)
	etag := first.header.Get("ETag")
	if first.status != 200 || etag == "" || !strings.Contains(first.header.Get("Cache-Control"), "max-age=") || !strings.Contains(first.header.Get("Cache-Control"), "public") {
		t.Fatalf("GET: %d, ETag %q, Cache-Control %q", first.status, etag, first.header.Get("Cache-Control"))
	}
	if again := get(t, srv, path, "If-None-Match", etag); again.status != 304 || again.body != "" {
		t.Errorf("GET with If-None-Match: %d, %d bytes; want 304 and no body", again.status, len(again.body))
	}
	if other := get(t, srv, "/graphql?query="+strings.ReplaceAll("{ productGroups { code } }", " ", "%20"), "If-None-Match", etag); other.status != 200 {
		t.Errorf("another query with the first one's ETag: %d, want 200", other.status)
	}
	for _, path := range []string{"/download/surveillance-list.csv", "/download/licence-statistics.csv?groupBy=YEAR", "/download/denials-by-destination.csv", "/download/annual-report/2020.json"} {
		d := get(t, srv, path)
		if d.status != 200 || d.header.Get("ETag") == "" {
			t.Errorf("%s: %d, ETag %q", path, d.status, d.header.Get("ETag"))
			continue
		}
		if again := get(t, srv, path, "If-None-Match", d.header.Get("ETag")); again.status != 304 {
			t.Errorf("%s with If-None-Match: %d, want 304", path, again.status)
		}
	}
	metrics := get(t, srv, "/metrics")
	for _, want := range []string{"portal_http_requests_total", "portal_http_request_duration_seconds", `portal_response_cache_total{result="not_modified"}`, "portal_db_pool_connections"} {
		if !strings.Contains(metrics.body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// A client over its rate gets 429 with Retry-After; revalidating with 304 costs nothing.
func TestRateLimit(t *testing.T) {
	srv := publicServer(t, web.RateLimit{PerSecond: 1, Burst: 3})
	path := "/graphql?query=" + strings.ReplaceAll("{ regions { code } }", " ", "%20")
	first := get(t, srv, path)
	for range 10 {
		if a := get(t, srv, path, "If-None-Match", first.header.Get("ETag")); a.status != 304 {
			t.Fatalf("revalidation: %d, want 304 (never limited)", a.status)
		}
	}
	var limited answer
	for range 5 {
		if limited = post(t, srv, gqlBody(`{ productGroups { code } }`)); limited.status == 429 {
			break
		}
	}
	if limited.status != 429 || limited.header.Get("Retry-After") == "" || len(limited.errors) == 0 || limited.errors[0].Extensions.Code != "RATE_LIMITED" {
		t.Errorf("over the rate: %d, Retry-After %q, %+v; want 429 RATE_LIMITED with Retry-After", limited.status, limited.header.Get("Retry-After"), limited.errors)
	}
}

func TestCORS(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	req, _ := http.NewRequest("OPTIONS", srv.URL+"/graphql", bytes.NewReader(nil))
	req.Header.Set("Origin", "https://newsroom.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	a := do(t, req)
	if a.status != 204 || a.header.Get("Access-Control-Allow-Origin") != "*" || a.header.Get("Access-Control-Max-Age") == "" || a.header.Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("preflight: %d %v; want 204, any origin, cached, no credentials", a.status, a.header)
	}
	got := post(t, srv, gqlBody(`{ regions { code } }`), "Origin", "https://ngo.example")
	if got.header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(got.header.Get("Access-Control-Expose-Headers"), "Etag") && !strings.Contains(got.header.Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("cross-origin POST: %v", got.header)
	}
}

// A denials table or a statistics table over a period given by from/to costs what its
// parts cost: a month is one part, a whole year one, so such tables are within the
// limit as their years twins are, and so is ten whole years.
func TestPeriodsWithinTheCostLimit(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	for _, filter := range []string{
		`{from: "2022-03-01", to: "2022-03-31"}`,
		`{from: "2022-01-01", to: "2022-12-31"}`,
		`{from: "2021-07-01", to: "2023-06-30"}`,
		`{from: "2015-01-01", to: "2024-12-31", memberStates: ["DE"]}`,
	} {
		for _, q := range []string{
			`{ denialsByDestination(filter: ` + filter + `, first: 5) { totalCount rows { denials { value status } } } }`,
			`{ licenceStatistics(groupBy: [DESTINATION, DENIAL_GROUND], filter: ` + filter + `, first: 5) { totalCount } }`,
		} {
			a := post(t, srv, gqlBody(q))
			for _, e := range a.errors {
				if e.Extensions.Code == "COMPLEXITY_LIMIT_EXCEEDED" {
					t.Errorf("%s: refused as too complex: %s", q, e.Message)
				}
			}
		}
	}
}

// A request that is not a GraphQL request at all gets 400 (405 for a method the
// endpoint does not take) with the code BAD_REQUEST and a message that says what to
// send, without echoing the body back.
func TestBadRequestsAreCoded(t *testing.T) {
	srv := publicServer(t, web.RateLimit{})
	send := func(method, contentType, body string) answer {
		req, _ := http.NewRequest(method, srv.URL+"/graphql", strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		return do(t, req)
	}
	secret := strings.Repeat("echo", 2000)
	tests := []struct {
		name    string
		answer  answer
		status  int
		message string // a part of the message
	}{
		{"malformed JSON", send("POST", "application/json", `{"query": "{ regions { code } }", "x": "`+secret), 400, "is not a JSON object"},
		{"variables not JSON", send("POST", "application/json", `{"query": "{ regions { code } }", "variables": "{"}`), 400, "variables"},
		{"text/plain", send("POST", "text/plain", `{ regions { code } }`), 400, "application/json"},
		{"a form", send("POST", "application/x-www-form-urlencoded", `query=%7B%7D`), 400, "application/json"},
		{"no content type", send("POST", "", `{"query": "{ regions { code } }"}`), 400, "application/json"},
		{"PUT", send("PUT", "application/json", `{"query": "{ regions { code } }"}`), 405, "GET or POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.answer
			if a.status != tt.status || len(a.errors) != 1 || a.errors[0].Extensions.Code != "BAD_REQUEST" || !strings.Contains(a.errors[0].Message, tt.message) {
				t.Fatalf("status %d, errors %+v; want %d, one error coded BAD_REQUEST saying %q", a.status, a.errors, tt.status, tt.message)
			}
			if strings.Contains(a.body, "echoecho") {
				t.Errorf("the answer echoes the body back (%d bytes)", len(a.body))
			}
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}
