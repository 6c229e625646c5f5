package graphiql_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dualuse-transparency/portal/internal/browsertest"
	"github.com/dualuse-transparency/portal/internal/demodata"
	"github.com/dualuse-transparency/portal/internal/testdb"
	"github.com/dualuse-transparency/portal/internal/web"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// newServer serves the portal's routes (web.NewHandler, which mounts GraphiQL at "/"
// and its assets under graphiql.AssetsPath) on a fresh database holding a small
// synthetic release.
func newServer(t *testing.T) *httptest.Server {
	d := testdb.New(t)
	testdb.ImportDemo(t, d, demodata.Options{Seed: 3, Decisions: 400})
	schema, err := os.ReadFile("../../schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	api := web.NewHandler(d, web.Options{Schema: schema, Logger: slog.New(slog.DiscardHandler)})
	s := httptest.NewServer(api)
	t.Cleanup(s.Close)
	return s
}

// readmeQuery returns the README's first example query.
func readmeQuery(t *testing.T) string {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README.md has no graphql block")
	}
	return string(m[1])
}

// In a real headless Chromium with no network but the loopback, against the portal's
// routes on a real database: the page loads; the documentation explorer shows the
// schema (so GraphiQL's introspection query passes the limits); the editor completes
// a field name from the schema; the README's first query runs and shows the answer the
// API gives; the console shows no error, warning or policy violation; and the browser
// asks for nothing but the portal's own addresses.
func TestGraphiQLInBrowser(t *testing.T) {
	browsertest.Chromium(t) // first: a missing browser fails, or skips, before the database is made
	srv := newServer(t)
	query := readmeQuery(t)

	browser := browsertest.Start(t, 1400, 900, 90*time.Second)
	ctx, blog, stderr := browser.Ctx, browser.Log, browser.Stderr

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			errs, _ := blog.Snapshot()
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ''`))
			t.Fatalf("%s: %v\nconsole: %q\npage text:\n%s", name, err, errs, text)
		}
	}
	wait := func(expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))
	}
	eval := func(expr string) chromedp.Action[chromedp.Void] { return chromedp.Evaluate[chromedp.Void](expr) }

	// The page loads, with its editors.
	step("load the page",
		chromedp.Navigate(srv.URL+"/"),
		wait(`document.querySelector('.graphiql-container .graphiql-query-editor .CodeMirror') !== null`),
	)

	// The documentation explorer shows the root type, then the fields of Query with
	// their descriptions: the schema was fetched.
	step("open the documentation explorer",
		wait(`document.querySelector('button[aria-label="Show Documentation Explorer"]') !== null`),
		eval(`document.querySelector('button[aria-label="Show Documentation Explorer"]').click()`),
		wait(`(() => { const d = document.querySelector('.graphiql-doc-explorer'); return d && [...d.querySelectorAll('a')].some(a => a.textContent === 'Query'); })()`),
		eval(`[...document.querySelectorAll('.graphiql-doc-explorer a')].find(a => a.textContent === 'Query').click()`),
		wait(`(() => { const d = document.querySelector('.graphiql-doc-explorer'); return d && d.innerText.includes('memberStates') && d.innerText.includes('The EU Member States on a date'); })()`),
	)

	// The settings dialog opens and closes: the <style> element that it adds while it
	// is open (it locks the page's scrolling) carries the policy's nonce.
	step("open the settings dialog",
		eval(`document.querySelector('button[aria-label="Open settings dialog"]').click()`),
		wait(`(() => { const d = document.querySelector('[role="dialog"]'); return d && d.innerText.includes('Theme'); })()`),
		wait(`[...document.querySelectorAll('style')].some(s => s.nonce !== '')`),
		chromedp.KeyEvent("\x1b"),
		wait(`document.querySelector('[role="dialog"]') === null`),
	)

	// Autocompletion: typing the start of a root field offers the schema's field.
	step("complete a field name",
		eval(`(() => { const cm = document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror; cm.setValue('{\n  memberSt\n}'); cm.focus(); cm.setCursor({line: 1, ch: 10}); })()`),
		chromedp.KeyEvent("a"),
		wait(`(() => { const h = document.querySelector('.CodeMirror-hints'); return h && h.innerText.includes('memberStates'); })()`),
	)

	// The README's query, set in the editor and run with the run button, shows what
	// the API answers to it.
	step("run the README's query",
		chromedp.KeyEvent("\x1b"), // close the hint list
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(%s)`, jsString(query))),
		eval(`document.querySelector('.graphiql-execute-button').click()`),
		wait(`(() => { const r = document.querySelector('.graphiql-response .CodeMirror'); return r && r.CodeMirror.getValue().includes('"licenceStatistics"'); })()`),
	)
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()`))
	if err != nil {
		t.Fatal(err)
	}
	var inPage, direct map[string]any
	if err := json.Unmarshal([]byte(shown), &inPage); err != nil {
		t.Fatalf("the result pane holds no JSON: %v\n%s", err, shown)
	}
	direct = postQuery(t, srv.URL+"/graphql", query)
	if inPage["errors"] != nil || inPage["data"] == nil {
		t.Fatalf("the README query shows errors or no data:\n%s", shown)
	}
	if got, want := mustJSON(inPage), mustJSON(direct); got != want {
		t.Errorf("the result pane shows\n%s\nthe API answers\n%s", got, want)
	}
	rel := inPage["data"].(map[string]any)["licenceStatistics"].(map[string]any)["release"].(map[string]any)
	if rel["id"] != "demo-2015-2024" || !strings.Contains(fmt.Sprint(rel["citation"]), "demo-2015-2024") {
		t.Errorf("the result pane shows release %v", rel)
	}

	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__violations`))
	if err != nil {
		t.Fatal(err)
	}
	errs, requests := blog.Snapshot()
	if len(violations) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", violations)
	}
	if len(errs) > 0 {
		t.Errorf("the console shows errors or warnings:\n%s", strings.Join(errs, "\n"))
	}
	var own int
	for _, u := range requests {
		switch {
		case strings.HasPrefix(u, srv.URL+"/"):
			own++
		case strings.HasPrefix(u, "data:"):
		default:
			t.Errorf("the browser asked for %s", u)
		}
	}
	if own < 4 { // the page, its script and stylesheet, introspection, the query
		t.Errorf("the browser made %d requests to the portal: %q", own, requests)
	}
	if t.Failed() {
		t.Logf("Chromium's output:\n%s", stderr.String())
	}
}

func postQuery(t *testing.T, url, query string) map[string]any {
	body, _ := json.Marshal(map[string]string{"query": query})
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	return string(b)
}

func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(errors.New("unreachable"))
	}
	return string(b)
}
