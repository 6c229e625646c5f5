// Package graphiql serves GraphiQL, the in-browser GraphQL IDE, entirely from the binary:
// the page, and GraphiQL with React and its stylesheet bundled into one script and one
// stylesheet (dist/), so that it works offline and no visitor's browser calls a third
// party.
//
// dist/ is built from the npm packages pinned in package-lock.json by `go generate`
// (npm ci, then build.mjs with esbuild; Node.js 20 and npm are needed) and committed,
// like the gqlgen output: the same lockfile gives the same bytes, and CI fails when the
// committed files are not what the build makes. dist/manifest.json names the files with
// their SHA-256 and the version of every package bundled in them.
package graphiql

//go:generate sh -c "npm ci --no-audit --no-fund --loglevel=error && npm run --silent build"

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/dualuse-transparency/portal/internal/bundle"
)

// AssetsPath is where Handler serves the script, the stylesheet and the licences of the
// bundled packages. Mount Handler there as well as at the page's own path.
const AssetsPath = "/graphiql/assets/"

//go:embed dist
var dist embed.FS

//go:embed page.html
var pageSource string

// Manifest describes dist/ as build.mjs wrote it.
type Manifest struct {
	Script   string            `json:"script"`   // the bundled script's file name
	Style    string            `json:"style"`    // the stylesheet's file name
	Packages map[string]string `json:"packages"` // bundled package (path under node_modules) → version
	Files    map[string]string `json:"files"`    // every file but the manifest → SHA-256, hex
}

var (
	manifest Manifest
	assets   bundle.Files
	page     = template.Must(template.New("page").Parse(pageSource))
)

func init() {
	b, err := dist.ReadFile("dist/manifest.json")
	if err != nil {
		panic("graphiql: dist/manifest.json is missing: run go generate ./internal/graphiql")
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		panic(fmt.Sprintf("graphiql: dist/manifest.json: %v", err))
	}
	if assets, err = bundle.Load(dist, "dist", manifest.Files, manifest.Script, manifest.Style); err != nil {
		panic(fmt.Sprintf("graphiql: %v", err))
	}
}

// Bundle returns the manifest of the embedded build.
func Bundle() Manifest { return manifest }

// Handler serves GraphiQL querying the GraphQL endpoint at endpoint (a path on the same
// origin, such as "/graphql", or an absolute URL). Requests under AssetsPath get the
// bundled files; any other request gets the page. Mount it at the page's path and at
// AssetsPath:
//
//	h := graphiql.Handler("/graphql")
//	mux.Handle("GET /{$}", h)
//	mux.Handle("GET "+graphiql.AssetsPath, h)
//
// The page's Content-Security-Policy allows scripts, styles, fonts, images and
// connections from its own origin only (and data: fonts and images, which GraphiQL's
// stylesheet holds), styles from a per-response nonce (the <style> elements that
// GraphiQL's dialogs add at run time), and no framing.
func Handler(endpoint string) http.Handler {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.Scheme != "" && u.Host != "" {
		connect += " " + u.Scheme + "://" + u.Host
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h.Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed: GraphiQL is read with GET", http.StatusMethodNotAllowed)
			return
		}
		if name, ok := strings.CutPrefix(r.URL.Path, AssetsPath); ok {
			assets.Serve(w, r, name)
			return
		}
		servePage(w, r, endpoint, connect)
	})
}

func servePage(w http.ResponseWriter, r *http.Request, endpoint, connect string) {
	bundle.WritePage(w, r, page, map[string]string{
		"Title":    "GraphiQL: dual-use export transparency portal",
		"Script":   AssetsPath + manifest.Script,
		"Style":    AssetsPath + manifest.Style,
		"Endpoint": endpoint,
	}, func(nonce string) string { return CSP(nonce, connect) })
}

// CSP returns the page's Content-Security-Policy for a nonce and the sources that
// connect-src allows.
func CSP(nonce, connect string) string {
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'nonce-" + nonce + "'",
		"connect-src " + connect,
		"img-src 'self' data:",
		"font-src 'self' data:",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}
