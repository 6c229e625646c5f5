package explore_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dualuse-transparency/portal/internal/explore"
)

// The committed dist/ is what the lockfile builds: every file has the SHA-256 that the
// manifest records, and every package used has the version that package-lock.json pins.
// (CI also rebuilds dist/ with go generate and fails on any difference.)
func TestDistMatchesManifestAndLockfile(t *testing.T) {
	m := explore.Bundle()
	entries, err := os.ReadDir("dist")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Name() == "manifest.json" {
			continue
		}
		seen[e.Name()] = true
		b, err := os.ReadFile("dist/" + e.Name())
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if got, want := hex.EncodeToString(sum[:]), m.Files[e.Name()]; got != want {
			t.Errorf("dist/%s has SHA-256 %s, the manifest says %q: run go generate ./internal/explore", e.Name(), got, want)
		}
	}
	for name := range m.Files {
		if !seen[name] {
			t.Errorf("the manifest lists %s, which dist/ lacks", name)
		}
	}
	if !seen[m.Script] || !seen[m.Style] || !seen[m.Atlas] || !strings.HasSuffix(m.Script, ".js") || !strings.HasSuffix(m.Style, ".css") || !strings.HasSuffix(m.Atlas, ".json") {
		t.Errorf("manifest script %q, style %q, atlas %q: not files of dist/", m.Script, m.Style, m.Atlas)
	}

	var lock struct {
		Packages map[string]struct{ Version string } `json:"packages"`
	}
	readJSON(t, "package-lock.json", &lock)
	for _, name := range []string{"@observablehq/plot", "d3-geo", "d3-scale", "topojson-client", "world-atlas"} {
		if m.Packages[name] == "" {
			t.Errorf("the build does not use %s", name)
		}
	}
	for name, version := range m.Packages {
		if got := lock.Packages["node_modules/"+name].Version; got != version {
			t.Errorf("the build has %s %s, package-lock.json pins %q", name, version, got)
		}
	}

	// Direct dependencies are pinned exactly, and the lockfile agrees.
	var pkg struct{ Dependencies, DevDependencies map[string]string }
	readJSON(t, "package.json", &pkg)
	exact := regexp.MustCompile(`^\d+\.\d+\.\d+$`)
	for _, deps := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name, version := range deps {
			if !exact.MatchString(version) {
				t.Errorf("package.json: %s %q is not an exact version", name, version)
			}
			if got := lock.Packages["node_modules/"+name].Version; got != version {
				t.Errorf("package.json pins %s %s, package-lock.json has %q", name, version, got)
			}
		}
	}

	// The licences name every package used, and credit the map data.
	licences, err := os.ReadFile("dist/LICENSES.txt")
	if err != nil {
		t.Fatal(err)
	}
	for name, version := range m.Packages {
		if !strings.Contains(string(licences), name+" "+version) {
			t.Errorf("LICENSES.txt lacks %s %s", name, version)
		}
	}
	if !strings.Contains(string(licences), "Natural Earth") || !strings.Contains(string(licences), "public domain") {
		t.Error("LICENSES.txt does not credit Natural Earth")
	}

	// The script stays small enough for a phone: it is fetched on every first visit.
	if b, _ := os.ReadFile("dist/" + m.Script); len(b) > 400_000 {
		t.Errorf("the script is %d bytes", len(b))
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

var (
	nonceAttr  = regexp.MustCompile(`data-nonce="([A-Za-z0-9_-]{20,})"`)
	nonceInCSP = regexp.MustCompile(`style-src 'self' 'nonce-([A-Za-z0-9_-]{20,})'`)
)

// The page loads its script, stylesheet and shapes from its own origin, under a policy
// that allows nothing else, with a fresh nonce in each answer.
func TestPage(t *testing.T) {
	h := explore.Handler("/graphql")
	m := explore.Bundle()
	nonces := map[string]bool{}
	for range 2 {
		w := serve(h, http.MethodGet, explore.PagePath+"?year=2020&measure=denials", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", explore.PagePath, w.Code)
		}
		body := w.Body.String()
		want := map[string]string{
			"Content-Type":            "text/html; charset=utf-8",
			"Cache-Control":           "no-store",
			"X-Frame-Options":         "DENY",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"Content-Security-Policy": "",
		}
		for k, v := range want {
			if got := w.Header().Get(k); got == "" || (v != "" && got != v) {
				t.Errorf("%s: %q, want %q", k, got, v)
			}
		}
		csp := w.Header().Get("Content-Security-Policy")
		for _, directive := range []string{"default-src 'none'", "script-src 'self';", "connect-src 'self';", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, directive) {
				t.Errorf("CSP %q lacks %s", csp, directive)
			}
		}
		for _, bad := range []string{"unsafe-inline", "unsafe-eval", "http:", "https:", "*"} {
			if strings.Contains(csp, bad) {
				t.Errorf("CSP %q allows %s", csp, bad)
			}
		}
		attr, inCSP := nonceAttr.FindStringSubmatch(body), nonceInCSP.FindStringSubmatch(csp)
		if attr == nil || inCSP == nil || attr[1] != inCSP[1] {
			t.Fatalf("the page's nonce %v is not the policy's %v", attr, inCSP)
		}
		nonces[attr[1]] = true
		for _, s := range []string{
			`<script src="` + explore.AssetsPath + m.Script + `" defer></script>`,
			`<link rel="stylesheet" href="` + explore.AssetsPath + m.Style + `">`,
			`data-atlas="` + explore.AssetsPath + m.Atlas + `"`,
			`data-endpoint="/graphql"`,
			`data-downloads="/download/"`,
			`href="/feeds/surveillance-list.atom"`,
		} {
			if !strings.Contains(body, s) {
				t.Errorf("the page lacks %s:\n%s", s, body)
			}
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "<style") || strings.Contains(body, "//") {
			t.Errorf("the page has an inline script or style, or an address elsewhere:\n%s", body)
		}
	}
	if len(nonces) != 2 {
		t.Errorf("two answers had the same nonce")
	}

	// The endpoint is an attribute value, escaped.
	w := serve(explore.Handler(`/graphql?a="><script>alert(1)</script>`), http.MethodGet, explore.PagePath, nil)
	if body := w.Body.String(); strings.Contains(body, "<script>alert") || !strings.Contains(body, `data-endpoint="/graphql?a=&#34;&gt;&lt;script&gt;`) {
		t.Errorf("endpoint not escaped:\n%s", body)
	}
	// An endpoint on another origin is the only other place the page may connect to,
	// and its downloads are that origin's.
	w = serve(explore.Handler("https://api.example.org/graphql"), http.MethodGet, explore.PagePath, nil)
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' https://api.example.org;") {
		t.Errorf("CSP for an endpoint elsewhere: %q", csp)
	}
	if !strings.Contains(w.Body.String(), `data-downloads="https://api.example.org/download/"`) {
		t.Errorf("downloads for an endpoint elsewhere:\n%s", w.Body.String())
	}

	if w := serve(h, http.MethodPost, explore.PagePath, nil); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
	if w := serve(h, http.MethodHead, explore.PagePath, nil); w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("HEAD: %d, %d bytes, CSP %q", w.Code, w.Body.Len(), w.Header().Get("Content-Security-Policy"))
	}
}

// The hashed assets are cached for good and revalidated by ETag; other names are 404.
func TestAssets(t *testing.T) {
	h := explore.Handler("/graphql")
	m := explore.Bundle()
	for name, typ := range map[string]string{m.Script: "text/javascript; charset=utf-8", m.Style: "text/css; charset=utf-8", m.Atlas: "application/json"} {
		w := serve(h, http.MethodGet, explore.AssetsPath+name, nil)
		want, err := os.ReadFile("dist/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if w.Code != http.StatusOK || w.Body.String() != string(want) {
			t.Fatalf("GET %s: %d, %d bytes, want the %d bytes of dist/%s", name, w.Code, w.Body.Len(), len(want), name)
		}
		for k, v := range map[string]string{
			"Content-Type":                 typ,
			"Cache-Control":                "public, max-age=31536000, immutable",
			"X-Content-Type-Options":       "nosniff",
			"Cross-Origin-Resource-Policy": "same-origin",
		} {
			if got := w.Header().Get(k); got != v {
				t.Errorf("%s %s: %q, want %q", name, k, got, v)
			}
		}
		etag := w.Header().Get("ETag")
		if len(etag) != 34 || !strings.Contains(m.Files[name], strings.Trim(etag, `"`)) {
			t.Errorf("%s ETag %q", name, etag)
		}
		if w := serve(h, http.MethodGet, explore.AssetsPath+name, http.Header{"If-None-Match": {etag}}); w.Code != http.StatusNotModified {
			t.Errorf("%s with If-None-Match: %d, want 304", name, w.Code)
		}
	}
	w := serve(h, http.MethodGet, explore.AssetsPath+"LICENSES.txt", nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "@observablehq/plot "+m.Packages["@observablehq/plot"]) || w.Header().Get("Cache-Control") != "public, max-age=3600" {
		t.Errorf("LICENSES.txt: %d, Cache-Control %q", w.Code, w.Header().Get("Cache-Control"))
	}
	for _, p := range []string{"manifest.json", "explore.js", "../explore.go", "", "x/" + m.Script} {
		w := serve(h, http.MethodGet, explore.AssetsPath+p, nil)
		if w.Code != http.StatusNotFound || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s%s: %d %q, want 404 no-store", explore.AssetsPath, p, w.Code, w.Header().Get("Cache-Control"))
		}
		_, _ = io.Copy(io.Discard, w.Body)
	}
}

func serve(h http.Handler, method, target string, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// The page's language is ?lang='s, or else Accept-Language's (English by default): the
// server writes <html lang>, the title and <main data-lang> in it, and the answer
// varies by Accept-Language.
func TestPageLanguage(t *testing.T) {
	h := explore.Handler("/graphql")
	for _, c := range []struct {
		target, accept, want, title string
	}{
		{explore.PagePath, "", "en", "Explore dual-use export licensing in the EU"},
		{explore.PagePath, "de-CH, fr;q=0.8, en;q=0.5", "de", "Ausfuhrgenehmigungen für Güter mit doppeltem Verwendungszweck in der EU erkunden"},
		{explore.PagePath, "fr-BE", "fr", "Explorer les autorisations d’exportation de biens à double usage dans l’UE"},
		{explore.PagePath, "it, es;q=0.9", "en", "Explore dual-use export licensing in the EU"},
		{explore.PagePath + "?lang=fr", "de", "fr", "Explorer les autorisations d’exportation de biens à double usage dans l’UE"},
		{explore.PagePath + "?lang=DE&year=2020", "", "de", "Ausfuhrgenehmigungen für Güter mit doppeltem Verwendungszweck in der EU erkunden"},
		{explore.PagePath + "?lang=en", "fr", "en", "Explore dual-use export licensing in the EU"},
		{explore.PagePath + "?lang=xx", "de", "de", "Ausfuhrgenehmigungen für Güter mit doppeltem Verwendungszweck in der EU erkunden"},
	} {
		var header http.Header
		if c.accept != "" {
			header = http.Header{"Accept-Language": {c.accept}}
		}
		w := serve(h, http.MethodGet, c.target, header)
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", c.target, w.Code)
		}
		for _, s := range []string{`<html lang="` + c.want + `">`, `data-lang="` + c.want + `"`, "<title>" + c.title + "</title>", "<h1>" + c.title + "</h1>", "licence-statistics.csv?lang=" + c.want} {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s with Accept-Language %q: the page lacks %s", c.target, c.accept, s)
			}
		}
		if v := w.Header().Values("Vary"); !slices.Contains(v, "Accept-Language") {
			t.Errorf("GET %s: Vary %q lacks Accept-Language", c.target, v)
		}
	}
}
